/*
** stap's pass-2 optimisations that change what -p2 shows and what runs: unused functions,
** variables and empty probes are elided, with stap's warnings for what the user wrote.
*/
#include <string.h>

#include "arena.h"
#include "builtins.h"
#include "diag.h"
#include "elab.h"
#include "session.h"

struct use {
	struct ptrvec seen_fns;     /* struct funcdecl * reached from a probe */
	struct ptrvec vars;         /* struct vardecl * referenced anywhere reachable */
	struct ptrvec written;      /* struct vardecl * assigned somewhere */
	struct ptrvec read;         /* struct vardecl * whose value is read somewhere */
	struct ptrvec rmw;          /* targets of += ++ .= ...: read too, for assignment elision */
	struct exp *discarded;      /* the expression statement being visited: its value goes unused */
	struct arena *a;
};

static void add_var(struct use *u, struct ptrvec *v, struct vardecl *d);
static void use_stmt(struct use *u, struct stmt *st);

static bool has(struct ptrvec *v, const void *p)
{
	for (int i = 0; i < v->n; i++)
		if (v->v[i] == p)
			return true;
	return false;
}

static void use_stmt(struct use *u, struct stmt *st);

static void mark_written(struct use *u, struct exp *lhs)
{
	if (lhs && (lhs->kind == E_SYM || lhs->kind == E_INDEX) && lhs->ref)
		add_var(u, &u->written, lhs->ref);
}

static void use_exp(struct use *u, struct exp *e);

/* The target of '=', '<<<' or delete: used and written, but not read (its indexes are). */
static void use_lhs(struct use *u, struct exp *e)
{
	if (e && (e->kind == E_SYM || e->kind == E_INDEX) && e->ref) {
		add_var(u, &u->vars, e->ref);
		mark_written(u, e);
		for (int i = 0; i < e->args.n; i++)
			use_exp(u, e->args.v[i]);
		return;
	}
	use_exp(u, e);
}

static void use_exp(struct use *u, struct exp *e)
{
	if (!e)
		return;
	/* an assignment target is written, not read, even for 'x .= y' or 'x++' (stap's
	   global display treats them so) */
	if (e->kind == E_ASSIGN || e->kind == E_PREINC || e->kind == E_POSTINC) {
		bool plain = e->kind == E_ASSIGN && e->op && (!strcmp(e->op, "=") || !strcmp(e->op, "<<<"));
		if (!plain && e->a0 && e->a0->ref)
			add_var(u, &u->rmw, e->a0->ref);
		/* ... but 'x++ == 0' or 'f(x += 1)' uses the old value: a read (stap -p2 shows no
		   end display for x then) */
		if (!plain && e != u->discarded && e->a0 && e->a0->ref)
			add_var(u, &u->read, e->a0->ref);
		use_lhs(u, e->a0);
		use_exp(u, e->a1);
		return;
	}
	if (e->ref) {
		add_var(u, &u->vars, e->ref);
		add_var(u, &u->read, e->ref);
	}
	for (int k = -1; e->fref && k < e->alts.n; k++) {
		struct funcdecl *fd = k < 0 ? e->fref : e->alts.v[k];
		if (!has(&u->seen_fns, fd)) {
			ast_vec_push(u->a, &u->seen_fns, fd);
			use_stmt(u, fd->body);
		}
	}
	use_exp(u, e->a0);
	use_exp(u, e->a1);
	use_exp(u, e->a2);
	use_exp(u, e->fmt);
	for (int i = 0; i < e->args.n; i++)
		use_exp(u, e->args.v[i]);
	for (int i = 0; i < e->comps.n; i++) {
		struct tcomp *tc = e->comps.v[i];
		if (tc->kind == COMP_INDEX_EXP)
			use_exp(u, tc->index);
	}
}

static void add_var(struct use *u, struct ptrvec *v, struct vardecl *d)
{
	if (!has(v, d))
		ast_vec_push(u->a, v, d);
}

static void use_stmt(struct use *u, struct stmt *st)
{
	if (!st)
		return;
	if (st->kind == S_FOREACH) {
		for (int i = 0; i < st->keys.n; i++)
			mark_written(u, st->keys.v[i]);
		mark_written(u, st->value);
	}
	if (st->kind == S_DELETE) {
		/* stap's varuse treats delete as a read-modify-write ("lrvalue"): x = 1; delete x
		   keeps the assignment, and a deleted global is not displayed at the end */
		use_lhs(u, st->e);
		if (st->e && (st->e->kind == E_SYM || st->e->kind == E_INDEX) && st->e->ref)
			add_var(u, &u->read, st->e->ref);
		return;
	}
	if (st->catch_var)
		add_var(u, &u->written, st->catch_var);
	u->discarded = st->kind == S_EXPR ? st->e : NULL;
	use_exp(u, st->e);
	u->discarded = st->init;
	use_exp(u, st->init);
	u->discarded = st->incr;
	use_exp(u, st->incr);
	u->discarded = NULL;
	for (int i = 0; i < st->keys.n; i++)
		use_exp(u, st->keys.v[i]);
	use_exp(u, st->value);
	use_exp(u, st->limit);
	use_exp(u, st->catch_sym);
	for (int i = 0; i < st->slice.n; i++)
		use_exp(u, st->slice.v[i]);
	if (st->catch_var && !has(&u->vars, st->catch_var))
		ast_vec_push(u->a, &u->vars, st->catch_var);
	for (int i = 0; i < st->body.n; i++)
		use_stmt(u, st->body.v[i]);
	use_stmt(u, st->s1);
	use_stmt(u, st->s2);
}

static bool user_pos(struct session *s, const struct srcpos *pos)
{
	return pos->file && pos->file == s->elab->user->src;
}

static bool empty_stmt(const struct stmt *st)
{
	if (!st || st->kind == S_NULL)
		return true;
	if (st->kind != S_BLOCK)
		return false;
	for (int i = 0; i < st->body.n; i++)
		if (!empty_stmt(st->body.v[i]))
			return false;
	return true;
}

/* "never-assigned ... (similar: ...)": stap suggests among the other locals (and params)
   and the globals; for a global its own name stays in the list (stap's mangling quirk). */
static void never_assigned(struct session *s, struct vardecl *v, const char *what,
                           struct ptrvec *l1, struct ptrvec *l2, bool self)
{
	struct ptrvec names = {0};
	struct ptrvec *lists[3] = { l1, l2, &s->elab->globals };
	for (int k = 0; k < 3; k++)
		for (int i = 0; lists[k] && i < lists[k]->n; i++) {
			struct vardecl *o = lists[k]->v[i];
			if ((self || strcmp(o->name, v->name)) && !(o->global && o->priv))
				ast_vec_push(&s->script_arena, &names, (void *)o->name);
		}
	char sugs[512];
	if (elab_levenshtein_suggest(v->name, &names, 5, sugs, sizeof sugs))
		diag_warn_tok(&s->diag, &v->pos, elab_vardesc(s, v), "never-assigned %s variable '%s' (similar: %s)",
		              what, v->name, sugs);
	else
		diag_warn_tok(&s->diag, &v->pos, elab_vardesc(s, v), "never-assigned %s variable '%s'", what, v->name);
}

static void elide_locals(struct session *s, struct use *u, struct ptrvec *locals, struct ptrvec *params)
{
	int k = 0;
	for (int i = 0; i < locals->n; i++) {
		struct vardecl *v = locals->v[i];
		if (has(&u->vars, v)) {
			locals->v[k++] = v;
			if (!has(&u->written, v))
				never_assigned(s, v, "local", params, locals, false);
			continue;
		}
		if (user_pos(s, &v->pos))
			diag_warn_tok(&s->diag, &v->pos, elab_vardesc(s, v), "Eliding unused variable '%s'", v->name);
	}
	locals->n = k;
}

/* perf ... .counter("NAME") never runs its handler: it exists for @perf("NAME") to read */
static bool is_counter(const struct dprobe *dp)
{
	const struct probe_point *pp = dp->point;
	for (int i = 0; pp && i < pp->comps.n; i++)
		if (!strcmp(((struct ppcomp *)pp->comps.v[i])->functor, "counter"))
			return dp->prov && !strcmp(dp->prov->name, "perf");
	return false;
}

/* Empty probes are elided last (stap does it when grouping probes, after type checks). */
void elab_elide_empty(struct session *s)
{
	struct elab_state *es = s->elab;
	int k = 0;
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *dp = s->probes[i];
		if (empty_stmt(dp->src->body) && !(dp->point && dp->point->cond) && !is_counter(dp)) {
			struct ppcomp *c0 = dp->point && dp->point->comps.n ? dp->point->comps.v[0] : NULL;
			struct probe *user = dp->src;
			while (user->base)
				user = user->base;
			if (c0 && user->pos.file == es->user->src)
				diag_warn_tok(&s->diag, &user->pos, "keyword", "Probe '%s' has been elided", c0->functor);
			continue;
		}
		dp->index = k;
		s->probes[k++] = dp;
	}
	s->nprobes = k;
	k = 0;
	for (int i = 0; i < es->handlers.n; i++) {
		struct probe *h = es->handlers.v[i];
		bool live = false;
		for (int j = 0; j < s->nprobes && !live; j++)
			live = s->probes[j]->src == h;
		if (live)
			es->handlers.v[k++] = h;
	}
	es->handlers.n = k;

}

/* ---- stap's opt2/opt4: write-only locals and side-effect-free statements ---- */

struct opt {
	struct session *s;
	struct use *u;
	struct ptrvec pure_fns, impure_fns;   /* memo for function calls */
	struct ptrvec first_st, first_exp;    /* each expression statement's first token */
	bool changed;
};

static bool exp_pure(struct opt *o, const struct exp *e);
static bool var_read(struct use *u, const struct vardecl *v);

/* stap tags its side-effect-free C functions /_* pure *_/; here: all but output, control
   and state changes. */
static bool builtin_pure(const struct builtin *b)
{
	static const char *const impure[] = { "exit", "error", "warn", "log", "system", "abort",
		"printk", "ftrace", "raise", "srand", "delete", "switch_file", "tokenize", "randint",
		"long_to_fp", "string_to_fp", "user_buffer_quoted", NULL };
	for (int i = 0; impure[i]; i++)
		if (!strcmp(b->name, impure[i]))
			return false;
	/* tokenize keeps state; stap's fp_* embedded C carries no pure tag */
	return strncmp(b->name, "print", 5) && strncmp(b->name, "set_", 4) &&
	       strncmp(b->name, "_stp", 4) && strncmp(b->name, "fp_", 3);
}

static bool stmt_pure(struct opt *o, const struct stmt *st, const struct funcdecl *fn)
{
	if (!st)
		return true;
	switch (st->kind) {
	case S_EMBEDDED: return false;
	case S_DELETE:
		return st->e && st->e->ref && !st->e->ref->global;
	case S_EXPR: case S_RETURN:
		return exp_pure(o, st->e);
	default:
		break;
	}
	if (!exp_pure(o, st->e) || !exp_pure(o, st->init) || !exp_pure(o, st->incr) ||
	    !exp_pure(o, st->limit))
		return false;
	for (int i = 0; i < st->body.n; i++)
		if (!stmt_pure(o, st->body.v[i], fn))
			return false;
	return stmt_pure(o, st->s1, fn) && stmt_pure(o, st->s2, fn);
}

static bool fn_pure(struct opt *o, struct funcdecl *fd)
{
	if (has(&o->pure_fns, fd))
		return true;
	if (has(&o->impure_fns, fd))
		return false;
	ast_vec_push(&o->s->script_arena, &o->pure_fns, fd);    /* recursion: assume pure */
	bool pure = !fd->embedded && stmt_pure(o, fd->body, fd);
	if (!pure) {
		for (int i = 0; i < o->pure_fns.n; i++)
			if (o->pure_fns.v[i] == fd)
				o->pure_fns.v[i] = o->pure_fns.v[--o->pure_fns.n];
		ast_vec_push(&o->s->script_arena, &o->impure_fns, fd);
	}
	return pure;
}

/* stap's side_effects_visitor: writes to globals, output, C code (builtins) are effects;
   a local's write is one only where the local is read afterwards (handled by the caller). */
static bool exp_pure(struct opt *o, const struct exp *e)
{
	if (!e)
		return true;
	switch (e->kind) {
	case E_ASSIGN: case E_PREINC: case E_POSTINC:
		if (!e->a0 || !e->a0->ref || e->a0->ref->global || e->a0->kind != E_SYM ||
		    var_read(o->u, e->a0->ref))
			return false;
		break;
	case E_PRINT:
		if (e->str && e->str[0] != 's')
			return false;
		break;
	case E_CALL:
		if (e->builtin && !builtin_pure(e->builtin))
			return false;
		for (int k = -1; e->fref && k < e->alts.n; k++)
			if (!fn_pure(o, k < 0 ? e->fref : e->alts.v[k]))
				return false;
		break;
	case E_PERF:
		return false;
	default:
		break;
	}
	if (!exp_pure(o, e->a0) || !exp_pure(o, e->a1) || !exp_pure(o, e->a2) || !exp_pure(o, e->fmt))
		return false;
	for (int i = 0; i < e->args.n; i++)
		if (!exp_pure(o, e->args.v[i]))
			return false;
	for (int i = 0; i < e->comps.n; i++) {   /* $p->a[f()]: the index's effects */
		const struct tcomp *tc = e->comps.v[i];
		if (tc->kind == COMP_INDEX_EXP && !exp_pure(o, tc->index))
			return false;
	}
	return true;
}

static bool var_read(struct use *u, const struct vardecl *v)
{
	return has(&u->read, v) || has(&u->rmw, v);
}

/* x = e / x <<< e where the local x is never read: keep e only (stap: "Eliding assignment"). */
static void elide_assign_exp(struct opt *o, struct exp *e)
{
	if (!e)
		return;
	elide_assign_exp(o, e->a0);
	elide_assign_exp(o, e->a1);
	elide_assign_exp(o, e->a2);
	for (int i = 0; i < e->args.n; i++)
		elide_assign_exp(o, e->args.v[i]);
	if (e->kind != E_ASSIGN || !e->op || (strcmp(e->op, "=") && strcmp(e->op, "<<<")))
		return;
	struct exp *l = e->a0;
	if (!l || l->kind != E_SYM || !l->ref || l->ref->global || var_read(o->u, l->ref) || !e->a1)
		return;
	if (l->pos.file && l->pos.file == o->s->elab->user->src)
		diag_warn_tok(&o->s->diag, &e->pos, elab_tokdesc(o->s, e), "Eliding assignment to '%s'", l->str);
	struct exp *r = e->a1;
	*e = *r;
	o->changed = true;
}

static void elide_assign_stmt(struct opt *o, struct stmt *st)
{
	if (!st)
		return;
	elide_assign_exp(o, st->e);
	elide_assign_exp(o, st->init);
	elide_assign_exp(o, st->incr);
	for (int i = 0; i < st->body.n; i++)
		elide_assign_stmt(o, st->body.v[i]);
	elide_assign_stmt(o, st->s1);
	elide_assign_stmt(o, st->s2);
}

/* The statement's first token, which stap names in the warning. */
static const struct exp *leftmost(const struct exp *e)
{
	while (e && e->a0 && (e->kind == E_ASSIGN || e->kind == E_BINARY || e->kind == E_COMPARE ||
	                      e->kind == E_AND || e->kind == E_OR || e->kind == E_CONCAT ||
	                      e->kind == E_TERNARY || e->kind == E_POSTINC || e->kind == E_INDEX ||
	                      e->kind == E_REGEX))
		e = e->a0;
	return e;
}

static bool elide_pure_stmt(struct opt *o, struct stmt *st)
{
	if (!st)
		return false;
	if (st->kind == S_EXPR && st->e && exp_pure(o, st->e)) {
		const struct exp *lm = leftmost(st->e);
		for (int i = 0; i < o->first_st.n; i++)
			if (o->first_st.v[i] == st)
				lm = o->first_exp.v[i];
		if (lm->pos.file && lm->pos.file == o->s->elab->user->src)
			diag_warn_tok(&o->s->diag, &lm->pos, elab_tokdesc(o->s, lm), "Eliding side-effect-free expression ");
		st->kind = S_NULL;
		st->e = NULL;
		o->changed = true;
		return true;
	}
	int k = 0;
	for (int i = 0; i < st->body.n; i++) {
		struct stmt *c = st->body.v[i];
		elide_pure_stmt(o, c);
		if (c->kind != S_NULL)
			st->body.v[k++] = c;
	}
	if (st->body.n != k)
		o->changed = true;
	st->body.n = k;
	/* a for's init and increment stay, even pure: stap's dead_stmtexpr_remover visits only
	   the loop's body ("for (0; 1; )" after an elided assignment, without a warning) */
	elide_pure_stmt(o, st->s1);
	elide_pure_stmt(o, st->s2);
	/* an if or foreach left with nothing to do goes too (stap's dead statement removal) */
	if ((st->kind == S_IF && empty_stmt(st->s1) && empty_stmt(st->s2) && exp_pure(o, st->e)) ||
	    ((st->kind == S_WHILE || st->kind == S_FOR) && empty_stmt(st->s1) && exp_pure(o, st->e) &&
	     exp_pure(o, st->init) && exp_pure(o, st->incr)) ||
	    (st->kind == S_FOREACH && empty_stmt(st->s1) && exp_pure(o, st->limit))) {
		st->kind = S_NULL;
		st->e = NULL;
		st->s1 = st->s2 = NULL;
		o->changed = true;
		return true;
	}
	return false;
}

/* Remember each expression statement's first token before assignments are elided. */
static void mark_first(struct opt *o, struct stmt *st)
{
	if (!st)
		return;
	if (st->kind == S_EXPR && st->e && st->e->kind == E_ASSIGN) {
		/* a copy: the node is overwritten if its assignment is elided */
		struct exp *c = arena_alloc(&o->s->script_arena, sizeof *c);
		*c = *leftmost(st->e);
		ast_vec_push(&o->s->script_arena, &o->first_st, st);
		ast_vec_push(&o->s->script_arena, &o->first_exp, c);
	}
	for (int i = 0; i < st->body.n; i++)
		mark_first(o, st->body.v[i]);
	mark_first(o, st->s1);
	mark_first(o, st->s2);
}

static void collect_use(struct session *s, struct use *u)
{
	struct elab_state *es = s->elab;
	for (int i = 0; i < es->handlers.n; i++)
		use_stmt(u, ((struct probe *)es->handlers.v[i])->body);
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->point)
			use_exp(u, s->probes[i]->point->cond);
}

static void drop_unused_locals(struct use *u, struct ptrvec *locals)
{
	int k = 0;
	for (int i = 0; i < locals->n; i++)
		if (has(&u->vars, locals->v[i]))
			locals->v[k++] = locals->v[i];
	locals->n = k;
}

void elab_optimize(struct session *s)
{
	struct elab_state *es = s->elab;
	struct use u0 = { .a = &s->script_arena };
	collect_use(s, &u0);
	/* iteration 0's variable pass: the never-assigned warnings (probes, functions, globals) */
	for (int i = 0; i < es->handlers.n; i++)
		elide_locals(s, &u0, &((struct probe *)es->handlers.v[i])->locals, NULL);
	for (int i = 0; i < es->functions.n; i++)
		if (has(&u0.seen_fns, es->functions.v[i]))
			elide_locals(s, &u0, &((struct funcdecl *)es->functions.v[i])->locals,
			             &((struct funcdecl *)es->functions.v[i])->params);
	for (int i = 0; i < es->globals.n; i++) {
		struct vardecl *v = es->globals.v[i];
		if (has(&u0.vars, v) && !has(&u0.written, v) && !v->init)
			never_assigned(s, v, "global", NULL, NULL, true);
	}
	struct opt o = { .s = s, .u = &u0 };
	for (int i = 0; i < es->handlers.n; i++)
		mark_first(&o, ((struct probe *)es->handlers.v[i])->body);
	for (int i = 0; i < es->functions.n; i++)
		if (has(&u0.seen_fns, es->functions.v[i]))
			mark_first(&o, ((struct funcdecl *)es->functions.v[i])->body);
	/* stap iterates its optimisations until nothing changes */
	struct use *cur = &u0;
	struct ptrvec emptied = {0};   /* functions already reported side-effect-free */
	for (int iter = 0; iter < 50; iter++) {
		o.changed = false;
		o.u = cur;
		o.pure_fns.n = o.impure_fns.n = 0;
		for (int i = 0; i < es->handlers.n; i++)
			elide_assign_stmt(&o, ((struct probe *)es->handlers.v[i])->body);
		for (int i = 0; i < es->functions.n; i++)
			if (has(&u0.seen_fns, es->functions.v[i]))
				elide_assign_stmt(&o, ((struct funcdecl *)es->functions.v[i])->body);
		for (int i = 0; i < es->handlers.n; i++)
			elide_pure_stmt(&o, ((struct probe *)es->handlers.v[i])->body);
		for (int i = 0; i < es->functions.n; i++)
			if (has(&u0.seen_fns, es->functions.v[i])) {
				struct funcdecl *fd = es->functions.v[i];
				elide_pure_stmt(&o, fd->body);
				/* stap's dead-statement pass leaves nothing of it (each round) */
				if (fd->body && fd->body->kind == S_BLOCK && !fd->body->body.n &&
				    !has(&emptied, fd)) {
					ast_vec_push(&s->script_arena, &emptied, fd);
					diag_warn_tok(&s->diag, &fd->pos, arena_printf(&s->script_arena,
					              "identifier '%s'", fd->name),
					              "side-effect-free function '%s'", fd->name);
				}
			}
		for (int i = 0; i < es->handlers.n; i++)
			o.changed |= elab_fold(s, ((struct probe *)es->handlers.v[i])->body, false);
		for (int i = 0; i < es->functions.n; i++)
			if (has(&u0.seen_fns, es->functions.v[i]))
				o.changed |= elab_fold(s, ((struct funcdecl *)es->functions.v[i])->body, false);
		if (!o.changed)
			break;
		cur = arena_alloc(&s->script_arena, sizeof *cur);
		cur->a = &s->script_arena;
		collect_use(s, cur);
	}

	struct use u = { .a = &s->script_arena };
	collect_use(s, &u);
	for (int i = 0; i < es->handlers.n; i++)
		drop_unused_locals(&u, &((struct probe *)es->handlers.v[i])->locals);
	/* functions */
	int k = 0;
	for (int i = 0; i < es->functions.n; i++) {
		struct funcdecl *fd = es->functions.v[i];
		if (has(&u.seen_fns, fd)) {
			es->functions.v[k++] = fd;
			continue;
		}
		fd->used = false;  /* stap 4.8 drops it without a word */
	}
	es->functions.n = k;
	for (int i = 0; i < es->functions.n; i++)
		drop_unused_locals(&u, &((struct funcdecl *)es->functions.v[i])->locals);
	/* globals */
	k = 0;
	for (int i = 0; i < es->globals.n; i++) {
		struct vardecl *v = es->globals.v[i];
		if (has(&u.vars, v)) {
			es->globals.v[k++] = v;
			continue;
		}
		v->used = false;   /* stap 4.8 drops it without a word */
	}
	es->globals.n = k;
}

/* stap's add_global_var_display: globals of the user's script that are written but never read
   get printed at the end. -p2 lists one synthetic "end" probe for each (lang prints them). */
void elab_display_globals(struct session *s)
{
	struct elab_state *es = s->elab;
	struct use u = { .a = &s->script_arena };
	for (int i = 0; i < es->handlers.n; i++)
		use_stmt(&u, ((struct probe *)es->handlers.v[i])->body);
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->point)
			use_exp(&u, s->probes[i]->point->cond);
	for (int i = 0; i < es->globals.n; i++) {
		struct vardecl *v = es->globals.v[i];
		v->written = has(&u.written, v);
		if (v->from_tapset || !v->written || has(&u.read, v))
			continue;
		ast_vec_push(&s->script_arena, &es->displayed, v);
	}
}

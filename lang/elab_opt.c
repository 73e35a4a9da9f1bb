/*
** stap's pass-2 optimisations that change what -p2 shows and what runs: unused functions,
** variables and empty probes are elided, with stap's warnings for what the user wrote.
*/
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "elab.h"
#include "session.h"

struct use {
	struct ptrvec seen_fns;     /* struct funcdecl * reached from a probe */
	struct ptrvec vars;         /* struct vardecl * referenced anywhere reachable */
	struct ptrvec written;      /* struct vardecl * assigned somewhere */
	struct ptrvec read;         /* struct vardecl * whose value is read somewhere */
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
		use_lhs(u, e->a0);
		use_exp(u, e->a1);
		return;
	}
	if (e->ref) {
		add_var(u, &u->vars, e->ref);
		add_var(u, &u->read, e->ref);
	}
	if (e->fref && !has(&u->seen_fns, e->fref)) {
		ast_vec_push(u->a, &u->seen_fns, e->fref);
		use_stmt(u, e->fref->body);
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
		use_lhs(u, st->e);
		return;
	}
	if (st->catch_var)
		add_var(u, &u->written, st->catch_var);
	use_exp(u, st->e);
	use_exp(u, st->init);
	use_exp(u, st->incr);
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

/* Empty probes are elided last (stap does it when grouping probes, after type checks). */
void elab_elide_empty(struct session *s)
{
	struct elab_state *es = s->elab;
	int k = 0;
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *dp = s->probes[i];
		if (empty_stmt(dp->src->body) && !(dp->point && dp->point->cond)) {
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

void elab_optimize(struct session *s)
{
	struct elab_state *es = s->elab;
	struct use u = { .a = &s->script_arena };
	for (int i = 0; i < es->handlers.n; i++)
		use_stmt(&u, ((struct probe *)es->handlers.v[i])->body);
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->point)
			use_exp(&u, s->probes[i]->point->cond);
	/* functions */
	int k = 0;
	for (int i = 0; i < es->functions.n; i++) {
		struct funcdecl *fd = es->functions.v[i];
		if (has(&u.seen_fns, fd)) {
			es->functions.v[k++] = fd;
			continue;
		}
		fd->used = false;
		if (!fd->from_tapset)
			diag_warn_tok(&s->diag, &fd->pos, elab_tokdesc(s, &(struct exp){ .kind = E_SYM, .str = fd->name }),
			              "Eliding unused function '%s'", fd->name);
	}
	es->functions.n = k;
	for (int i = 0; i < es->handlers.n; i++)
		elide_locals(s, &u, &((struct probe *)es->handlers.v[i])->locals, NULL);
	for (int i = 0; i < es->functions.n; i++)
		elide_locals(s, &u, &((struct funcdecl *)es->functions.v[i])->locals,
		             &((struct funcdecl *)es->functions.v[i])->params);
	/* globals */
	k = 0;
	for (int i = 0; i < es->globals.n; i++) {
		struct vardecl *v = es->globals.v[i];
		if (has(&u.vars, v)) {
			es->globals.v[k++] = v;
			if (!has(&u.written, v) && !v->init)
				never_assigned(s, v, "global", NULL, NULL, true);
			continue;
		}
		v->used = false;
		if (user_pos(s, &v->pos))
			diag_warn_tok(&s->diag, &v->pos, elab_vardesc(s, v), "Eliding unused variable '%s'", v->name);
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

/*
** Symbol resolution (stap's symresolution_info): every name in a handler or a used function
** becomes a local, a parameter or a global (script, then tapset, loaded on demand), and every
** call a script/tapset function or a C builtin. Errors are per statement, as stap reports them.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "builtins.h"
#include "diag.h"
#include "elab.h"
#include "lang.h"
#include "session.h"

struct sym {
	struct session *s;
	struct elab_state *es;
	struct probe *probe;        /* current handler, or NULL */
	struct funcdecl *fn;        /* current function, or NULL */
	const struct srcfile *file; /* for private visibility */
	bool cond;                  /* a probe condition: globals only, no calls */
};

#define ERR(ctx, pos, desc, ...) (diag_error(&(ctx)->s->diag, "semantic", (pos), (desc), __VA_ARGS__), -1)

static int res_exp(struct sym *c, struct exp *e);
static int res_stmt(struct sym *c, struct stmt *st);

static int set_arity(struct sym *c, struct vardecl *v, int a, const struct srcpos *pos)
{
	if (a < 0)
		return 0;
	if (a == 0 && v->maxsize > 0)
		return ERR(c, &v->pos, elab_vardesc(c->s, v), "inconsistent arity");
	if (v->arity != a && v->arity >= 0) {
		diag_error(&c->s->diag, "semantic", pos, elab_vardesc(c->s, v), "inconsistent arity (%d vs %d)",
		           v->arity, a);
		if (v->arity_pos.file)
			diag_error(&c->s->diag, "semantic", &v->arity_pos, elab_vardesc(c->s, v),
			           "arity %d first inferred here", v->arity);
		return -1;
	}
	if (v->arity != a) {
		v->arity_pos = *pos;
		v->arity = a;
	}
	return 0;
}

static bool visible(struct sym *c, const struct srcpos *declpos, bool priv)
{
	return !priv || declpos->file == c->file;
}

static void use_global(struct sym *c, struct vardecl *v)
{
	if (!v->used) {
		v->used = true;
		ast_vec_push(&c->s->script_arena, &c->es->globals, v);
	}
}

static struct vardecl *find_global(struct sym *c, const char *name)
{
	for (int pass = 0; pass < 2; pass++) {
		struct ptrvec *g = &c->es->all_globals;
		for (int i = 0; i < g->n; i++) {
			struct vardecl *v = g->v[i];
			if (!strcmp(v->name, name) && visible(c, &v->pos, v->priv))
				return v;
		}
		if (pass == 0 && tapset_load_global(c->s, name) <= 0)
			break;
	}
	return NULL;
}

/* stap's find_var: locals, then parameters (scalars), then globals. 0 with *out NULL: none. */
static int find_var(struct sym *c, const char *name, int arity, const struct srcpos *pos,
                    struct vardecl **out)
{
	*out = NULL;
	struct ptrvec *locals = c->fn ? &c->fn->locals : c->probe ? &c->probe->locals : NULL;
	for (int i = 0; locals && i < locals->n; i++) {
		struct vardecl *v = locals->v[i];
		if (!strcmp(v->name, name)) {
			*out = v;
			return set_arity(c, v, arity, pos);
		}
	}
	if (arity <= 0 && c->fn)
		for (int i = 0; i < c->fn->params.n; i++) {
			struct vardecl *v = c->fn->params.v[i];
			if (!strcmp(v->name, name)) {
				*out = v;
				return set_arity(c, v, 0, pos);
			}
		}
	struct vardecl *g = find_global(c, name);
	if (g) {
		use_global(c, g);
		*out = g;
		return set_arity(c, g, arity, pos);
	}
	return 0;
}

static struct vardecl *new_local(struct sym *c, const char *name, const struct srcpos *pos)
{
	struct vardecl *v = arena_alloc(&c->s->script_arena, sizeof *v);
	v->name = name;
	v->pos = *pos;
	v->arity = 0;
	v->arity_pos = *pos;
	ast_vec_push(&c->s->script_arena, c->fn ? &c->fn->locals : &c->probe->locals, v);
	return v;
}


/* Builtins that stap's tapset defines only from some version on (--compatible): abort() is
   in logging.stp under %( systemtap_v >= "4.0" %). */
static const struct builtin *too_new(struct session *s, const struct builtin *b)
{
	if (b && !strcmp(b->name, "abort") && !lang_has_version(s, "4.0"))
		return NULL;
	return b;
}
static int res_symbol(struct sym *c, struct exp *e)
{
	if (e->ref)
		return 0;
	struct vardecl *v;
	if (find_var(c, e->str, 0, &e->pos, &v) < 0)
		return -1;
	if (!v) {
		if (c->cond || (!c->fn && !c->probe))
			return ERR(c, &e->pos, elab_tokdesc(c->s, e), "probe condition must not reference undeclared global");
		v = new_local(c, e->str, &e->pos);
	}
	e->ref = v;
	return 0;
}

/* a0[args] / [args] in a0: the array is a0 (E_SYM) or a histogram (E_HIST). */
static int res_indexed(struct sym *c, struct exp *e, struct exp *arr, struct ptrvec *idx)
{
	for (int i = 0; i < idx->n; i++)
		if (idx->v[i] && res_exp(c, idx->v[i]) < 0)
			return -1;
	if (arr->kind != E_SYM)
		return res_exp(c, arr);
	if (!arr->ref) {
		struct vardecl *v;
		if (find_var(c, arr->str, idx->n, &arr->pos, &v) < 0)
			return -1;
		if (!v)
			return ERR(c, &e->pos, elab_tokdesc(c->s, e), "unresolved arity-%d global array %s, missing global declaration?",
			           idx->n, arr->str);
		arr->ref = v;
	}
	e->ref = arr->ref;
	return 0;
}

static int builtin_nargs(const struct builtin *b)
{
	const char *p = strchr(b->sig, ':');
	return p ? (int)strlen(p + 1) : 0;
}

static void use_function(struct sym *c, struct funcdecl *fd)
{
	if (!fd->used) {
		fd->used = true;
		ast_vec_push(&c->s->script_arena, &c->es->functions, fd);
	}
}

static bool stmt_has_next(const struct stmt *st)
{
	if (!st)
		return false;
	if (st->kind == S_NEXT)
		return true;
	for (int i = 0; i < st->body.n; i++)
		if (stmt_has_next(st->body.v[i]))
			return true;
	return stmt_has_next(st->s1) || stmt_has_next(st->s2);
}

/* The overloads of name/nargs among the script's (tapset false) or the tapsets' functions,
   by priority, then declaration (stap's stable_sort with function_priority_order). As stap's
   dead_overload_remover, those after the first one without a 'next' can never run. */
static struct funcdecl *find_script_function(struct sym *c, const char *name, int nargs,
                                             bool tapset, struct funcdecl **last,
                                             struct ptrvec *alts)
{
	struct ptrvec *fs = &c->es->all_functions;
	struct ptrvec found = {0};
	for (int i = 0; i < fs->n; i++) {
		struct funcdecl *fd = fs->v[i];
		if (fd->from_tapset != tapset || strcmp(fd->name, name) || !visible(c, &fd->pos, fd->priv))
			continue;
		if (fd->params.n != nargs) {
			*last = fd;
			continue;
		}
		fd->has_next = stmt_has_next(fd->body);
		int k = found.n;
		ast_vec_push(&c->s->script_arena, &found, fd);
		for (; k > 0 && ((struct funcdecl *)found.v[k - 1])->priority > fd->priority; k--)
			found.v[k] = found.v[k - 1];
		found.v[k] = fd;
	}
	if (!found.n)
		return NULL;
	for (int i = 1; i < found.n && ((struct funcdecl *)found.v[i - 1])->has_next; i++)
		ast_vec_push(&c->s->script_arena, alts, found.v[i]);
	return found.v[0];
}

static int res_call(struct sym *c, struct exp *e)
{
	if (c->cond || (!c->fn && !c->probe))
		return ERR(c, &e->pos, elab_tokdesc(c->s, e), "probe condition must not reference function");
	for (int i = 0; i < e->args.n; i++)
		if (res_exp(c, e->args.v[i]) < 0)
			return -1;
	if (e->fref || e->builtin)
		return 0;
	struct funcdecl *last = NULL;
	struct funcdecl *fd = find_script_function(c, e->str, e->args.n, false, &last, &e->alts);
	if (!fd) {
		const struct builtin *b = too_new(c->s, bi_lookup(e->str, e->args.n));
		if (b && b->guru && !c->s->opt.guru)
			return ERR(c, &e->pos, elab_tokdesc(c->s, e),
			           "function may not be used unless -g is specified");
		if (b) {
			e->builtin = b;
			bool seen = false;
			for (int i = 0; i < c->es->builtins.n && !seen; i++)
				seen = c->es->builtins.v[i] == b &&
				       (intptr_t)c->es->builtin_nargs.v[i] == e->args.n;
			if (!seen) {
				ast_vec_push(&c->s->script_arena, &c->es->builtins, (void *)b);
				ast_vec_push(&c->s->script_arena, &c->es->builtin_nargs, (void *)(intptr_t)e->args.n);
			}
			return 0;
		}
		fd = find_script_function(c, e->str, e->args.n, true, &last, &e->alts);
		if (!fd && tapset_load_function(c->s, e->str) > 0)
			fd = find_script_function(c, e->str, e->args.n, true, &last, &e->alts);
	}
	if (fd) {
		e->fref = fd;
		use_function(c, fd);
		for (int i = 0; i < e->alts.n; i++)
			use_function(c, e->alts.v[i]);
		return 0;
	}
	if (last) {
		elab_error2(c->s, &e->pos, elab_tokdesc(c->s, e), &last->pos,
		            arena_printf(&c->s->script_arena, "identifier '%s'", last->name),
		            "arity mismatch found (function '%s' takes %d args)", e->str, last->params.n);
		return -1;
	}
	const struct builtin *any = too_new(c->s, bi_lookup(e->str, -1));
	if (any)
		return ERR(c, &e->pos, elab_tokdesc(c->s, e), "arity mismatch found (function '%s' takes %d args)", e->str,
		           builtin_nargs(any));
	struct ptrvec names = {0};
	for (int i = 0; i < c->es->all_functions.n; i++) {
		struct funcdecl *fd = c->es->all_functions.v[i];
		if (!fd->priv || visible(c, &fd->pos, fd->priv))
			ast_vec_push(&c->s->script_arena, &names, (void *)fd->name);
	}
	tapset_function_names(c->s, &names);
	int k = 0;   /* tapset-internal helpers (_name, __name) are not offered */
	for (int i = 0; i < names.n; i++)
		if (((const char *)names.v[i])[0] != '_' && strcmp(names.v[i], e->str))
			names.v[k++] = names.v[i];
	names.n = k;
	char sugs[512];
	if (elab_levenshtein_suggest(e->str, &names, 5, sugs, sizeof sugs))
		return ERR(c, &e->pos, elab_tokdesc(c->s, e), "unresolved function %s (similar: %s)", e->str, sugs);
	return ERR(c, &e->pos, elab_tokdesc(c->s, e), "unresolved function %s", e->str);
}

static int res_vec(struct sym *c, struct ptrvec *v)
{
	for (int i = 0; i < v->n; i++)
		if (v->v[i] && res_exp(c, v->v[i]) < 0)
			return -1;
	return 0;
}

static int res_exp(struct sym *c, struct exp *e)
{
	if (!e)
		return 0;
	switch (e->kind) {
	case E_NUM: case E_STR: case E_PERF:
		return 0;
	case E_SYM:
		return res_symbol(c, e);
	case E_INDEX:
		return res_indexed(c, e, e->a0, &e->args);
	case E_IN:
		return res_indexed(c, e, e->a0, &e->args);
	case E_CALL:
		return res_call(c, e);
	case E_STATOP: case E_HIST:
		if (e->a0 && e->a0->kind == E_SYM) {
			if (res_indexed(c, e, e->a0, &(struct ptrvec){0}) < 0)
				return -1;
		} else if (res_exp(c, e->a0) < 0) {
			return -1;
		}
		return res_vec(c, &e->args);
	case E_TARGET: case E_CAST: case E_ATVAR: case E_ENTRY: case E_DEFINED:
		for (int i = 0; i < e->comps.n; i++) {
			struct tcomp *tc = e->comps.v[i];
			if (tc->kind == COMP_INDEX_EXP && res_exp(c, tc->index) < 0)
				return -1;
		}
		if (e->kind == E_ENTRY || e->kind == E_DEFINED) {
			/* @entry(expr) / @defined(expr): the operand is resolved in this context */
			return res_exp(c, e->a0);
		}
		return res_exp(c, e->a0);
	default:
		if (res_exp(c, e->fmt) < 0)
			return -1;
		if (res_exp(c, e->a0) < 0 || res_exp(c, e->a1) < 0 || res_exp(c, e->a2) < 0)
			return -1;
		return res_vec(c, &e->args);
	}
}

static int res_delete(struct sym *c, struct stmt *st)
{
	struct exp *e = st->e;
	if (!e)
		return 0;
	if (e->kind == E_SYM) {
		struct vardecl *v;
		if (e->ref)
			return 0;
		if (find_var(c, e->str, -1, &e->pos, &v) < 0)
			return -1;
		if (!v)
			return ERR(c, &e->pos, elab_tokdesc(c->s, e), "unresolved array in delete statement");
		e->ref = v;
		return 0;
	}
	if (e->kind == E_INDEX)
		return res_indexed(c, e, e->a0, &e->args);
	return res_exp(c, e);
}

static int res_foreach(struct sym *c, struct stmt *st)
{
	if (res_vec(c, &st->keys) < 0 || res_vec(c, &st->slice) < 0)
		return -1;
	struct exp *arr = st->e;
	if (arr && arr->kind == E_SYM && !arr->ref) {
		struct vardecl *v;
		if (find_var(c, arr->str, st->keys.n, &arr->pos, &v) < 0)
			return -1;
		if (!v)
			return ERR(c, &arr->pos, elab_tokdesc(c->s, arr), "unresolved arity-%d global array %s, missing global declaration?",
			           st->keys.n, arr->str);
		arr->ref = v;
	} else if (arr && res_exp(c, arr) < 0) {
		return -1;
	}
	if (arr && arr->kind == E_SYM && st->slice.n && st->slice.n != st->keys.n)
		return ERR(c, &arr->pos, elab_tokdesc(c->s, arr),
		           "unresolved arity-%d global array %s%s, missing global declaration?", st->slice.n,
		           arr->ref->global ? "__global_" : "", arr->str);   /* stap names it mangled */
	if (res_exp(c, st->value) < 0 || res_exp(c, st->limit) < 0)
		return -1;
	return res_stmt(c, st->s1);
}

static int res_try(struct sym *c, struct stmt *st)
{
	int r = res_stmt(c, st->s1);
	if (st->catch_sym) {
		if (res_symbol(c, st->catch_sym) < 0)
			return -1;
		st->catch_var = st->catch_sym->ref;
	}
	if (res_stmt(c, st->s2) < 0)
		r = -1;
	return r;
}

static int res_stmt(struct sym *c, struct stmt *st)
{
	if (!st)
		return 0;
	switch (st->kind) {
	case S_BLOCK: {
		int r = 0;
		for (int i = 0; i < st->body.n; i++)
			if (res_stmt(c, st->body.v[i]) < 0)
				r = -1;   /* stap reports each failing statement and goes on */
		return r;
	}
	case S_EXPR: case S_RETURN:
		return res_exp(c, st->e);
	case S_IF: case S_WHILE:
		if (res_exp(c, st->e) < 0)
			return -1;
		if (res_stmt(c, st->s1) < 0)
			return -1;
		return res_stmt(c, st->s2);
	case S_FOR:
		if (res_exp(c, st->init) < 0 || res_exp(c, st->e) < 0 || res_exp(c, st->incr) < 0)
			return -1;
		return res_stmt(c, st->s1);
	case S_FOREACH:
		return res_foreach(c, st);
	case S_DELETE:
		return res_delete(c, st);
	case S_TRY:
		return res_try(c, st);
	case S_EMBEDDED:
		return ERR(c, &st->pos, "embedded-code", "embedded C code is not supported by ustap");
	default:
		return 0;
	}
}

int elab_symbols(struct session *s)
{
	struct elab_state *es = s->elab;
	int err = 0;
	/* globals and functions enter the lists when first referenced (stap's order); the
	   script's unreferenced ones are never resolved nor warned about, as in stap */
	int h0 = es->sym_handlers;
	es->sym_handlers = es->handlers.n;
	for (int i = h0; i < es->handlers.n; i++) {
		struct probe *p = es->handlers.v[i];
		struct sym c = { s, es, p, NULL, p->body ? p->body->pos.file : p->pos.file, false };
		if (res_stmt(&c, p->body) < 0)
			err++;
	}
	/* probe conditions: globals only */
	for (int i = 0; i < s->nprobes; i++) {
		struct probe_point *pt = s->probes[i]->point;
		bool fresh = false;   /* a condition of one of the handlers resolved just now */
		for (int k = h0; k < es->handlers.n && !fresh; k++)
			fresh = es->handlers.v[k] == s->probes[i]->src;
		if (pt && pt->cond && fresh) {
			struct sym c = { s, es, NULL, NULL, pt->pos.file, true };
			if (res_exp(&c, pt->cond) < 0)
				err++;
		}
	}
	/* used functions, transitively (the list grows while we walk it) */
	for (int i = es->sym_functions; i < es->functions.n; i++) {
		es->sym_functions = i + 1;
		struct funcdecl *fd = es->functions.v[i];
		if (fd->embedded || (fd->body && fd->body->kind == S_EMBEDDED)) {
			if (!fd->from_tapset)
				continue;   /* reported by elab_run */
			diag_error(&s->diag, "semantic", &fd->pos, "embedded-code",
			           "embedded C code is not supported by ustap");
			err++;
			continue;
		}
		struct sym c = { s, es, NULL, fd, fd->pos.file, false };
		if (res_stmt(&c, fd->body) < 0)
			err++;
	}
	return err;
}

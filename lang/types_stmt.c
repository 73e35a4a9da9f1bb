/*
** Type inference, statements and the driver: stap's typeresolution_info passes over every
** function and handler until no type changes, then one last pass that reports.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "printf.h"

#include "arena.h"
#include "diag.h"
#include "elab.h"
#include "session.h"
#include "types_int.h"

static void t_foreach(struct ti *ti, struct stmt *st)
{
	enum type wanted = TY_UNKNOWN;
	struct exp *arr = st->e;
	if (arr && arr->kind == E_HIST) {
		if (st->keys.n != 1)
			ty_unresolved(ti, &st->pos, "keyword");
		ti->t = TY_LONG;
		if (st->keys.n)
			ty_texp(ti, st->keys.v[0]);
		ti->t = TY_STATS;
		ty_texp(ti, arr->a0);
		wanted = TY_LONG;
	} else if (arr && arr->ref) {
		struct vardecl *v = arr->ref;
		if (st->keys.n != v->arity)
			ty_unresolved(ti, &st->pos, "keyword");
		else {
			for (int i = 0; i < st->keys.n && i < 9; i++)
				ty_check_index(ti, st->keys.v[i], &v->index_types[i], v, i, false);
			for (int i = 0; i < st->slice.n && i < 9; i++)
				if (st->slice.v[i])
					ty_check_index(ti, st->slice.v[i], &v->index_types[i], v, i, false);
		}
		ti->t = TY_UNKNOWN;
		ty_resolve2(ti, arr, &v->type, v, TY_UNKNOWN, false);
		wanted = arr->type;
	}
	if (st->value) {
		if (wanted == TY_STATS)
			ty_invalid(ti, st->value, wanted);
		else if (wanted != TY_UNKNOWN)
			ty_check_arg(ti, wanted, st->value);
		else {
			ti->t = TY_UNKNOWN;
			ty_texp(ti, st->value);
		}
	}
	/* @sum etc. sorting needs a statistics array */
	if (wanted != TY_UNKNOWN && st->sort_aggr && wanted != TY_STATS && arr)
		ty_invalid(ti, arr, wanted);
	if (st->limit) {
		ti->t = TY_LONG;
		ty_texp(ti, st->limit);
	}
	ti->t = TY_UNKNOWN;
	ty_tstmt(ti, st->s1);
}

static void t_return(struct ti *ti, struct stmt *st)
{
	struct funcdecl *fn = ti->fn;
	if (!fn)
		return;
	ti->t = fn->type;
	if (!st->e) {
		if (fn->type != TY_UNKNOWN && fn->type != TY_VOID)
			ty_mismatch_decl(ti, &st->pos, "keyword", TY_UNKNOWN, fn, fn->type, -1);
		return;
	}
	ty_texp(ti, st->e);
	enum type vt = st->e->type;
	const char *d = elab_tokdesc(ti->s, st->e);
	if (fn->type != TY_UNKNOWN && vt != TY_UNKNOWN && fn->type != vt)
		ty_mismatch_decl(ti, &st->e->pos, d, vt, fn, fn->type, -1);
	if (fn->type == TY_UNKNOWN && (vt == TY_LONG || vt == TY_STRING)) {
		fn->type = vt;
		ty_resolved(ti, &st->e->pos, d, fn, -1);
	}
	if (vt == TY_STATS)
		ty_invalid(ti, st->e, vt);
}

void ty_tstmt(struct ti *ti, struct stmt *st)
{
	if (!st)
		return;
	switch (st->kind) {
	case S_BLOCK:
		for (int i = 0; i < st->body.n; i++) {
			ti->t = TY_UNKNOWN;
			ty_tstmt(ti, st->body.v[i]);
		}
		break;
	case S_EXPR:
		ti->t = TY_UNKNOWN;
		ty_texp(ti, st->e);
		break;
	case S_IF:
		ti->t = TY_LONG;
		ty_texp(ti, st->e);
		ti->t = TY_UNKNOWN;
		ty_tstmt(ti, st->s1);
		ti->t = TY_UNKNOWN;
		ty_tstmt(ti, st->s2);
		break;
	case S_WHILE:
		ti->t = TY_LONG;
		ty_texp(ti, st->e);
		ti->t = TY_UNKNOWN;
		ty_tstmt(ti, st->s1);
		break;
	case S_FOR:
		ti->t = TY_UNKNOWN;
		ty_texp(ti, st->init);
		ti->t = TY_LONG;
		ty_texp(ti, st->e);
		ti->t = TY_UNKNOWN;
		ty_texp(ti, st->incr);
		ti->t = TY_UNKNOWN;
		ty_tstmt(ti, st->s1);
		break;
	case S_FOREACH: t_foreach(ti, st); break;
	case S_RETURN: t_return(ti, st); break;
	case S_DELETE:
		ti->t = TY_UNKNOWN;
		if (st->e && st->e->kind == E_SYM && st->e->ref)
			ty_resolve2(ti, st->e, &st->e->ref->type, st->e->ref, TY_UNKNOWN, false);
		else if (st->e)
			ty_texp(ti, st->e);
		break;
	case S_TRY:
		ty_tstmt(ti, st->s1);
		if (st->catch_var && st->catch_var->type == TY_UNKNOWN) {
			/* stap's resolve on the catch symbol: its type is first inferred there */
			st->catch_var->type = TY_STRING;
			ty_resolved(ti, st->catch_sym ? &st->catch_sym->pos : &st->catch_var->pos,
			            elab_vardesc(ti->s, st->catch_var), st->catch_var, -1);
		} else if (st->catch_var && st->catch_var->type != TY_STRING) {
			ty_mismatch_decl(ti, &st->catch_var->pos, elab_vardesc(ti->s, st->catch_var), TY_STRING,
			              st->catch_var, st->catch_var->type, -1);
		}
		ty_tstmt(ti, st->s2);
		break;
	default:
		break;
	}
}

static void check_local(struct ti *ti, struct vardecl *v)
{
	const char *d = elab_vardesc(ti->s, v);
	if (v->arity != 0) {
		ti->still++;
		if (ti->assert_res && ty_site_first(ti, SITE_LOCAL))
			diag_error(&ti->s->diag, "semantic", &v->pos, d,
			           "array locals not supported, missing global declaration? ");
	}
	if (v->type == TY_UNKNOWN)
		ty_unresolved(ti, &v->pos, d);
	else if (v->type == TY_STATS) {
		ti->still++;
		if (ti->assert_res && ty_site_first(ti, SITE_LOCAL + 1))
			diag_error(&ti->s->diag, "semantic", &v->pos, d,
			           "stat locals not supported, missing global declaration? ");
	}
}

static void one_pass(struct ti *ti)
{
	struct elab_state *es = ti->es;
	struct session *s = ti->s;
	/* stap walks functions in name order: es->functions is sorted by then */
	for (int i = 0; i < es->functions.n; i++) {
		struct funcdecl *fd = es->functions.v[i];
		ti->fn = fd;
		ti->probe = NULL;
		ti->t = TY_UNKNOWN;
		ty_tstmt(ti, fd->body);
		for (int k = 0; k < fd->locals.n; k++)
			check_local(ti, fd->locals.v[k]);
	}
	for (int i = 0; i < es->handlers.n; i++) {
		struct probe *p = es->handlers.v[i];
		ti->fn = NULL;
		ti->probe = p;
		ti->t = TY_UNKNOWN;
		ty_tstmt(ti, p->body);
		for (int k = 0; k < p->locals.n; k++)
			check_local(ti, p->locals.v[k]);
	}
	for (int i = 0; i < s->nprobes; i++) {
		struct probe_point *pt = s->probes[i]->point;
		if (pt && pt->cond && (i == 0 || s->probes[i - 1]->point != pt)) {
			ti->fn = NULL;
			ti->probe = NULL;
			ti->t = TY_LONG;
			ty_texp(ti, pt->cond);
		}
	}
	for (int i = 0; i < es->globals.n; i++) {
		struct vardecl *g = es->globals.v[i];
		if (g->type == TY_UNKNOWN)
			ty_unresolved(ti, &g->pos, elab_vardesc(s, g));
	}
}

/* Literals are typed from the start, as stap's literal_number/literal_string are. */
static void lit_exp(struct exp *e)
{
	if (!e)
		return;
	if (e->kind == E_NUM)
		e->type = TY_LONG;
	else if (e->kind == E_STR)
		e->type = TY_STRING;
	lit_exp(e->a0);
	lit_exp(e->a1);
	lit_exp(e->a2);
	lit_exp(e->fmt);
	for (int i = 0; i < e->args.n; i++)
		lit_exp(e->args.v[i]);
	for (int i = 0; i < e->comps.n; i++)
		lit_exp(((struct tcomp *)e->comps.v[i])->index);
}

static void lit_stmt(struct stmt *st)
{
	if (!st)
		return;
	lit_exp(st->e);
	lit_exp(st->init);
	lit_exp(st->incr);
	lit_exp(st->value);
	lit_exp(st->limit);
	for (int i = 0; i < st->keys.n; i++)
		lit_exp(st->keys.v[i]);
	for (int i = 0; i < st->slice.n; i++)
		lit_exp(st->slice.v[i]);
	for (int i = 0; i < st->body.n; i++)
		lit_stmt(st->body.v[i]);
	lit_stmt(st->s1);
	lit_stmt(st->s2);
}

static int cmp_fn(const void *a, const void *b)
{
	const struct funcdecl *x = *(void *const *)a, *y = *(void *const *)b;
	return strcmp(x->name, y->name);
}

/* builtins by name (then arity), their arities kept alongside */
static void sort_builtins(struct elab_state *es)
{
	for (int i = 1; i < es->builtins.n; i++)
		for (int j = i; j > 0; j--) {
			const struct builtin *a = es->builtins.v[j - 1], *b = es->builtins.v[j];
			int c = strcmp(a->name, b->name);
			if (c < 0 || (c == 0 && (intptr_t)es->builtin_nargs.v[j - 1] <= (intptr_t)es->builtin_nargs.v[j]))
				break;
			void *x = es->builtins.v[j]; es->builtins.v[j] = es->builtins.v[j - 1]; es->builtins.v[j - 1] = x;
			x = es->builtin_nargs.v[j]; es->builtin_nargs.v[j] = es->builtin_nargs.v[j - 1];
			es->builtin_nargs.v[j - 1] = x;
		}
}

int type_infer(struct session *s)
{
	struct elab_state *es = s->elab;
	struct ti ti = { s, es, 0, 0, false, 0, NULL, NULL, TY_UNKNOWN };
	int errs = s->diag.errors;
	if (es->functions.n)   /* qsort(NULL, 0) is undefined (UBSan, make check SAN=1) */
		qsort(es->functions.v, (size_t)es->functions.n, sizeof(void *), cmp_fn);
	sort_builtins(es);
	for (int i = 0; i < es->globals.n; i++) {
		struct vardecl *g = es->globals.v[i];
		if (g->arity == 0 && g->wrap) {
			diag_error(&s->diag, "semantic", &g->pos, elab_vardesc(s, g),
			           "wrapping not supported for scalars");
			return 1;
		}
		if (g->init && g->type == TY_UNKNOWN)
			g->type = g->init->kind == E_STR ? TY_STRING : TY_LONG;
	}
	for (int i = 0; i < es->functions.n; i++)
		lit_stmt(((struct funcdecl *)es->functions.v[i])->body);
	for (int i = 0; i < es->handlers.n; i++)
		lit_stmt(((struct probe *)es->handlers.v[i])->body);
	for (int iter = 0; iter < 1000; iter++) {
		ti.newly = ti.still = 0;
		one_pass(&ti);
		if (ti.fatal)
			return 1 + s->diag.errors - errs;
		if (ti.newly == 0) {
			if (ti.still == 0)
				break;
			if (!ti.assert_res) {
				ti.assert_res = true;
				if (s->opt.verbose > 0)
					ti.complexity = 0;
			} else {
				return 1 + s->diag.errors - errs;
			}
		} else {
			ti.complexity = 0;
		}
	}
	return s->diag.errors - errs;
}

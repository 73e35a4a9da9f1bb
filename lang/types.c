/*
** Type inference (stap's typeresolution_info), expressions and the diagnostics: each pass
** pushes the type a context expects (t) down into expressions and propagates what symbols,
** functions and array indexes know. types_stmt.c walks statements and drives the passes.
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


const char *ty_tn(enum type t)
{
	return t == TY_VOID ? "unknown" : ast_type_name(t);
}

void ty_resolved(struct ti *ti, const struct srcpos *pos, const char *desc, const void *decl, int index)
{
	ti->newly++;
	if (!decl)
		return;
	struct ptrvec *f = &ti->es->first_types;
	for (int i = 0; i < f->n; i++) {
		struct first *x = f->v[i];
		if (x->decl == decl && x->index == index)
			return;
	}
	struct first *x = arena_alloc(&ti->s->script_arena, sizeof *x);
	x->decl = decl;
	x->index = index;
	x->pos = *pos;
	x->desc = desc;
	ast_vec_push(&ti->s->script_arena, f, x);
}

bool ty_site_first(struct ti *ti, enum site st)
{
	if (ti->s->opt.verbose > 0)
		return true;
	if (ti->sites & (1u << st)) {
		ti->s->diag.errors++;
		ti->s->diag.suppressed_errors++;
		return false;
	}
	ti->sites |= 1u << st;
	return true;
}

/* stap 4.8: mismatches are reported in the last (asserting) pass only, and one of a lower
   "complexity" level than one already seen is left out (binary 1 < expected-type 2 < decl 3). */
static bool report(struct ti *ti, int level)
{
	ti->still++;
	if (ti->assert_res && ti->complexity <= level)
		return true;
	if (ti->complexity < level)
		ti->complexity = level;
	return false;
}

void ty_unresolved(struct ti *ti, const struct srcpos *pos, const char *desc)
{
	ti->still++;
	if (ti->assert_res && ti->complexity <= 0 && ty_site_first(ti, SITE_UNRESOLVED))
		diag_error(&ti->s->diag, "semantic", pos, desc, "unresolved type ");
}

void ty_invalid(struct ti *ti, const struct exp *e, enum type t)
{
	ti->still++;
	if (!ti->assert_res || !ty_site_first(ti, SITE_INVALID))
		return;
	const char *d = elab_tokdesc(ti->s, e);
	if (!strncmp(d, "operator", 8))
		diag_error(&ti->s->diag, "semantic", &e->pos, d, "invalid operator");
	else
		diag_error(&ti->s->diag, "semantic", &e->pos, d, "invalid type %s", ty_tn(t));
}

void ty_mismatch_lr(struct ti *ti, const struct exp *e)
{
	if (report(ti, 1) && ty_site_first(ti, SITE_LR))
		diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
		           "type mismatch: left and right sides don't agree (%s vs %s)",
		           ty_tn(e->a0->type), ty_tn(e->a1->type));
}

void ty_mismatch_t(struct ti *ti, const struct exp *e, enum type t1, enum type t2)
{
	if (!report(ti, 2) || !ty_site_first(ti, SITE_T))
		return;
	if (t2 != TY_UNKNOWN)
		diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
		           "type mismatch: expected %s but found %s", ty_tn(t1), ty_tn(t2));
	else
		diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
		           "type mismatch: expected %s", ty_tn(t1));
}

/* A mismatch against a declaration (variable, function return, array index, parameter). */
void ty_mismatch_decl(struct ti *ti, const struct srcpos *pos, const char *desc, enum type type,
                          const void *decl, enum type decltype, int index)
{
	if (!report(ti, 3))
		return;
	if (ti->fn && index == -1)
		for (int i = 0; i < ti->fn->params.n; i++)
			if (ti->fn->params.v[i] == decl)
				index = i;
	const struct first *orig = NULL;
	for (int i = 0; i < ti->es->first_types.n && !orig; i++) {
		const struct first *x = ti->es->first_types.v[i];
		if (x->decl == decl && x->index == index)
			orig = x;
	}
	if (!orig) {
		if (ty_site_first(ti, SITE_DECL_PLAIN))
			diag_error(&ti->s->diag, "semantic", pos, desc, "type mismatch: expected %s but found %s",
			           ty_tn(type), ty_tn(decltype));
		return;
	}
	if (!ty_site_first(ti, SITE_DECL))
		return;
	if (index >= 0)
		diag_error(&ti->s->diag, "semantic", pos, desc, "index %d type mismatch (%s)", index, ty_tn(type));
	else
		diag_error(&ti->s->diag, "semantic", pos, desc, "type mismatch (%s)", ty_tn(type));
	if (ti->s->opt.verbose <= 1 && (ti->sites & (1u << SITE_DECL_CHAIN)))
		return;
	ti->sites |= 1u << SITE_DECL_CHAIN;
	if (index >= 0)
		diag_error(&ti->s->diag, "semantic", &orig->pos, orig->desc,
		           "type of index %d was first inferred here (%s)", index, ty_tn(decltype));
	else
		diag_error(&ti->s->diag, "semantic", &orig->pos, orig->desc,
		           "type was first inferred here (%s)", ty_tn(decltype));
}

/* stap's resolve_2types between a referring expression and its declaration's type. */
void ty_resolve2(struct ti *ti, struct exp *re, enum type *te, const void *decl, enum type t,
                     bool accept_unknown)
{
	const char *d = elab_tokdesc(ti->s, re);
	for (;;) {
		enum type rt = re->type;
		if (t != TY_UNKNOWN && rt == t && rt == *te)
			return;
		if (t == TY_UNKNOWN && rt != TY_UNKNOWN && rt == *te)
			return;
		if (rt != TY_UNKNOWN && *te != TY_UNKNOWN && rt != *te) {
			ty_mismatch_decl(ti, &re->pos, d, rt, decl, *te, -1);
			return;
		}
		if (rt != TY_UNKNOWN && t != TY_UNKNOWN && rt != t) {
			ty_mismatch_decl(ti, &re->pos, d, t, decl, *te, -1);
			return;
		}
		if (*te != TY_UNKNOWN && t != TY_UNKNOWN && *te != t) {
			ty_mismatch_decl(ti, &re->pos, d, t, decl, *te, -1);
			return;
		}
		if (rt == TY_UNKNOWN && t != TY_UNKNOWN) {
			re->type = t;
			ty_resolved(ti, &re->pos, d, NULL, 0);
		} else if (rt == TY_UNKNOWN && *te != TY_UNKNOWN) {
			re->type = *te;
			ty_resolved(ti, &re->pos, d, NULL, 0);
		} else if (rt != TY_UNKNOWN && *te == TY_UNKNOWN) {
			*te = rt;
			ty_resolved(ti, &re->pos, d, decl, -1);
		} else {
			if (!accept_unknown)
				ty_unresolved(ti, &re->pos, d);
			return;
		}
	}
}

void ty_set_type(struct ti *ti, struct exp *e, enum type t)
{
	if (e->type == TY_UNKNOWN) {
		e->type = t;
		ty_resolved(ti, &e->pos, NULL, NULL, 0);
	}
}

/* A $target/@cast/@var/@perf no provider resolved: its own error is due, not a guessed type. */
static bool tvar_unresolved(const struct exp *e)
{
	return (e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR || e->kind == E_PERF) &&
	       !e->tvar;
}

void ty_check_arg(struct ti *ti, enum type wanted, struct exp *arg)
{
	ti->t = wanted;
	ty_texp(ti, arg);
	if (arg->type == TY_UNKNOWN && tvar_unresolved(arg)) {
		ti->still++;      /* t_tvar reports it in the asserting pass (printf("%d", $nosuch)) */
	} else if (arg->type == TY_UNKNOWN) {
		arg->type = wanted;
		ty_resolved(ti, &arg->pos, NULL, NULL, 0);
	} else if (arg->type != wanted) {
		ty_mismatch_t(ti, arg, wanted, arg->type);
	}
}

/* Index expressions against the array's index types (also function args vs parameters). */
void ty_check_index(struct ti *ti, struct exp *ee, enum type *ft, const void *decl, int i,
                        bool is_arg)
{
	/* stap 4.8 visits call arguments with no expected type, array indexes with theirs */
	ti->t = *ft;
	(void)is_arg;
	ty_texp(ti, ee);
	enum type at = ee->type;
	if ((at == TY_STRING || at == TY_LONG) && *ft == TY_UNKNOWN) {
		*ft = at;
		ty_resolved(ti, &ee->pos, elab_tokdesc(ti->s, ee), decl, i);
	}
	if (at == TY_STATS)
		ty_invalid(ti, ee, at);
	if (*ft == TY_STATS)
		ty_invalid(ti, ee, *ft);
	if (at != TY_UNKNOWN && *ft != TY_UNKNOWN && *ft != at)   /* stap names the decl's own type */
		ty_mismatch_decl(ti, &ee->pos, elab_tokdesc(ti->s, ee), at, decl,
		              is_arg ? *ft : ((const struct vardecl *)decl)->type, i);
	if (at == TY_UNKNOWN)
		ty_unresolved(ti, &ee->pos, elab_tokdesc(ti->s, ee));
}

static void t_symbol(struct ti *ti, struct exp *e)
{
	if (!e->ref)
		return;
	ty_resolve2(ti, e, &e->ref->type, e->ref, ti->t, false);
}

static void t_index(struct ti *ti, struct exp *e)
{
	struct exp *arr = e->a0;
	if (arr && arr->kind == E_HIST) {
		if (e->args.n != 1)
			ty_unresolved(ti, &e->pos, elab_tokdesc(ti->s, e));
		ti->t = TY_LONG;
		ty_texp(ti, e->args.v[0]);
		ti->t = TY_STATS;
		ty_texp(ti, arr->a0);
		ty_set_type(ti, e, TY_LONG);
		return;
	}
	if (!arr || !arr->ref)
		return;
	struct vardecl *v = arr->ref;
	ty_resolve2(ti, e, &v->type, v, ti->t, false);
	arr->type = e->type;
	if (e->args.n != v->arity) {
		ty_unresolved(ti, &e->pos, elab_tokdesc(ti->s, e));
		return;
	}
	for (int i = 0; i < e->args.n && i < 9; i++)
		if (e->args.v[i])
			ty_check_index(ti, e->args.v[i], &v->index_types[i], v, i, false);
}

static void t_call(struct ti *ti, struct exp *e)
{
	if (e->builtin) {
		const struct builtin *b = e->builtin;
		const char *sig = b->sig;
		enum type want = ti->t;
		enum type rt = sig[0] == 'l' ? TY_LONG : sig[0] == 's' ? TY_STRING : TY_VOID;
		const char *args = strchr(sig, ':');
		args = args ? args + 1 : "";
		int na = (int)strlen(args);
		for (int i = 0; i < e->args.n; i++) {
			char c = na ? args[i < na ? i : na - 1] : 'l';
			if (c == '*')
				c = na > 1 ? args[na - 2] : 'l';
			enum type ft = c == 's' ? TY_STRING : TY_LONG;
			struct exp *a = e->args.v[i];
			ti->t = ft;
			ty_texp(ti, a);
			if (a->type == TY_STATS)
				ty_invalid(ti, a, a->type);
			else if (a->type != TY_UNKNOWN && a->type != ft)
				ty_mismatch_decl(ti, &a->pos, elab_tokdesc(ti->s, a), a->type, b, ft, -1);
			else if (a->type == TY_UNKNOWN)
				ty_unresolved(ti, &a->pos, elab_tokdesc(ti->s, a));
		}
		if (rt == TY_VOID) {
			if (e->type == TY_UNKNOWN)
				e->type = TY_VOID;
			return;
		}
		if (want != TY_UNKNOWN && want != rt && want != TY_VOID)
			ty_mismatch_t(ti, e, want, rt);
		ty_set_type(ti, e, rt);
		return;
	}
	if (!e->fref)
		return;
	enum type orig = ti->t;
	/* each overload in turn, as stap: the call's type may be changed by one, so restore it */
	for (int k = -1; k < e->alts.n; k++) {
		struct funcdecl *fd = k < 0 ? e->fref : e->alts.v[k];
		ti->t = orig;
		ty_resolve2(ti, e, &fd->type, fd, orig, true);
		if (e->type == TY_STATS)
			ty_invalid(ti, e, e->type);
		if (e->args.n != fd->params.n) {
			ty_unresolved(ti, &e->pos, elab_tokdesc(ti->s, e));
			return;
		}
		for (int i = 0; i < e->args.n; i++) {
			struct vardecl *p = fd->params.v[i];
			ty_check_index(ti, e->args.v[i], &p->type, p, i, true);
		}
	}
}

static void t_assign(struct ti *ti, struct exp *e)
{
	const char *op = e->op ? e->op : "=";
	if (ti->t == TY_STATS)
		ty_invalid(ti, e, ti->t);
	if (!strcmp(op, "<<<")) {
		if (ti->t == TY_STRING)
			ty_invalid(ti, e, ti->t);
		ti->t = TY_STATS;
		ty_texp(ti, e->a0);
		ti->t = TY_LONG;
		ty_texp(ti, e->a1);
		if (e->type == TY_UNKNOWN || e->type == TY_STATS) {
			e->type = TY_LONG;
			ty_resolved(ti, &e->pos, NULL, NULL, 0);
		}
	} else if (e->a0->type == TY_STATS) {
		ty_invalid(ti, e->a0, e->a0->type);
	} else if (e->a1->type == TY_STATS) {
		ty_invalid(ti, e->a1, e->a1->type);
	} else if (!strcmp(op, ".=")) {
		if (ti->t == TY_LONG || ti->t == TY_STATS)
			ty_invalid(ti, e, ti->t);
		ti->t = TY_STRING;
		ty_texp(ti, e->a0);
		ti->t = TY_STRING;
		ty_texp(ti, e->a1);
		ty_set_type(ti, e, TY_STRING);
	} else if (!strcmp(op, "=")) {
		enum type sub = ti->t;
		if (sub == TY_UNKNOWN && e->type != TY_UNKNOWN)
			sub = e->type;
		ti->t = sub != TY_UNKNOWN ? sub : e->a1->type;
		ty_texp(ti, e->a0);
		ti->t = sub != TY_UNKNOWN ? sub : e->a0->type;
		ty_texp(ti, e->a1);
		if (sub != TY_UNKNOWN && e->type == TY_UNKNOWN)
			ty_set_type(ti, e, sub);
		if (sub == TY_UNKNOWN && e->a0->type != TY_UNKNOWN && e->type != e->a0->type) {
			e->type = e->a0->type;
			ty_resolved(ti, &e->pos, NULL, NULL, 0);
		}
		if (e->a0->type != TY_UNKNOWN && e->a1->type != TY_UNKNOWN && e->a0->type != e->a1->type)
			ty_mismatch_lr(ti, e);
	} else {
		goto binary;
	}
	return;
binary:
	if (ti->t == TY_STATS || ti->t == TY_STRING)
		ty_invalid(ti, e, ti->t);
	ti->t = TY_LONG;
	ty_texp(ti, e->a0);
	ti->t = TY_LONG;
	ty_texp(ti, e->a1);
	if (e->a0->type != TY_UNKNOWN && e->a1->type != TY_UNKNOWN && e->a0->type != e->a1->type)
		ty_mismatch_lr(ti, e);
	ty_set_type(ti, e, TY_LONG);
}

static void t_binary(struct ti *ti, struct exp *e)
{
	if (ti->t == TY_STATS || ti->t == TY_STRING)
		ty_invalid(ti, e, ti->t);
	ti->t = TY_LONG;
	ty_texp(ti, e->a0);
	ti->t = TY_LONG;
	ty_texp(ti, e->a1);
	if (e->a0->type != TY_UNKNOWN && e->a1->type != TY_UNKNOWN && e->a0->type != e->a1->type)
		ty_mismatch_lr(ti, e);
	ty_set_type(ti, e, TY_LONG);
}

static void t_compare(struct ti *ti, struct exp *e)
{
	if (ti->t == TY_STATS || ti->t == TY_STRING)
		ty_invalid(ti, e, ti->t);
	ti->t = e->a1->type;
	ty_texp(ti, e->a0);
	ti->t = e->a0->type;
	ty_texp(ti, e->a1);
	if (e->a0->type != TY_UNKNOWN && e->a1->type != TY_UNKNOWN && e->a0->type != e->a1->type)
		ty_mismatch_lr(ti, e);
	ty_set_type(ti, e, TY_LONG);
}

static void t_ternary(struct ti *ti, struct exp *e)
{
	enum type sub = ti->t;
	ti->t = TY_LONG;
	ty_texp(ti, e->a0);
	if (sub == TY_UNKNOWN && e->type != TY_UNKNOWN)
		sub = e->type;
	ti->t = sub;
	ty_texp(ti, e->a1);
	ti->t = sub;
	ty_texp(ti, e->a2);
	if (sub == TY_UNKNOWN && e->type != TY_UNKNOWN)
		;
	else if (sub != TY_UNKNOWN && e->type == TY_UNKNOWN)
		ty_set_type(ti, e, sub);
	else if (sub == TY_UNKNOWN && e->a1->type != TY_UNKNOWN)
		ty_set_type(ti, e, e->a1->type);
	else if (sub == TY_UNKNOWN && e->a2->type != TY_UNKNOWN)
		ty_set_type(ti, e, e->a2->type);
	else if (e->type != sub)
		ty_mismatch_t(ti, e, sub, e->type);
}

/* print/printf/sprintf/println/printd...: formats are checked against argument types */
static void t_print(struct ti *ti, struct exp *e)
{
	const char *name = e->str ? e->str : "print";
	bool to_stream = name[0] != 's';
	bool with_fmt = strstr(name, "printf") != NULL;
	int unresolved_args = 0;
	if (e->a0 && e->a0->kind == E_HIST) {
		struct exp *h = e->a0;
		ti->t = TY_STATS;
		ty_texp(ti, h->a0);
		for (int i = 0; i < h->args.n; i++)
			ty_check_arg(ti, TY_LONG, h->args.v[i]);
	} else if (with_fmt && e->fmt && e->fmt->kind == E_STR) {
		char err[256] = "";
		struct fmt *f = fmt_parse(&ti->s->script_arena, e->fmt->str ? e->fmt->str : "", err, sizeof err);
		if (!f) {
			ti->still++;
			if (!ti->fatal)
				diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e), "%s", err);
			ti->fatal = true;
			return;
		}
		if (f->nargs != e->args.n) {
			ti->still++;
			if (!ti->fatal)
				diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
				           "Wrong number of args to formatted print operator");
			ti->fatal = true;
			return;
		}
		for (int i = 0; i < e->args.n; i++)
			ty_check_arg(ti, f->argtypes[i] == 's' ? TY_STRING : TY_LONG, e->args.v[i]);
	} else {
		if (e->fmt) {
			ti->t = TY_STRING;
			ty_texp(ti, e->fmt);
		}
		for (int i = 0; i < e->args.n; i++) {
			struct exp *a = e->args.v[i];
			ti->t = TY_UNKNOWN;
			ty_texp(ti, a);
			if (a->type == TY_UNKNOWN) {
				/* stap stops at a bad @perf's own error (it is thrown while deriving) */
				if (a->kind == E_PERF) {
					ti->still++;
					continue;
				}
				ty_unresolved(ti, &a->pos, elab_tokdesc(ti->s, a));
				unresolved_args++;
			}
		}
	}
	if (unresolved_args == 0)
		ty_set_type(ti, e, to_stream ? TY_LONG : TY_STRING);
	else {
		e->type = TY_UNKNOWN;
		ty_unresolved(ti, &e->pos, elab_tokdesc(ti->s, e));
	}
}

static void t_in(struct ti *ti, struct exp *e)
{
	enum type t1 = ti->t;
	struct exp *arr = e->a0;
	if (arr && arr->kind == E_SYM && arr->ref) {
		struct vardecl *v = arr->ref;
		if (e->args.n == v->arity)
			for (int i = 0; i < e->args.n && i < 9; i++)
				if (e->args.v[i])
					ty_check_index(ti, e->args.v[i], &v->index_types[i], v, i, false);
		ti->t = TY_UNKNOWN;
		ty_resolve2(ti, arr, &v->type, v, TY_UNKNOWN, true);
	} else if (arr) {
		ti->t = TY_UNKNOWN;
		ty_texp(ti, arr);
	}
	if (t1 == TY_UNKNOWN && e->type != TY_UNKNOWN)
		;
	else if (t1 == TY_STRING || t1 == TY_STATS)
		ty_mismatch_t(ti, e, t1, TY_LONG);
	else
		ty_set_type(ti, e, TY_LONG);
}

static void t_tvar(struct ti *ti, struct exp *e)
{
	enum type want = ti->t;    /* the context's, not the long of an index or @cast operand */
	for (int i = 0; i < e->comps.n; i++) {
		struct tcomp *tc = e->comps.v[i];
		if (tc->kind == COMP_INDEX_EXP)
			ty_check_arg(ti, TY_LONG, tc->index);
	}
	for (int i = 0; e->kind == E_ENTRY && i < ti->es->tvar_errs.n; i++) {
		const struct elab_tvar_err *te = ti->es->tvar_errs.v[i];
		if (te->e == e && te->text && !strncmp(te->text, "@entry ", 7)) {
			/* thrown in stap's type resolution: the pass stops */
			diag_error(&ti->s->diag, "semantic", NULL, NULL, "while processing probe %s", te->text + 7);
			diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
			           "internal error: @entry is only valid in .return probes");
			ti->fatal = true;
			return;
		}
	}
	if (e->kind == E_ENTRY && !e->tvar && e->a0) {
		/* @entry(expr) evaluated in place */
		enum type t = ti->t;
		ty_texp(ti, e->a0);
		if (e->a0->type != TY_UNKNOWN)
			ty_set_type(ti, e, e->a0->type);
		(void)t;
		return;
	}
	if (e->kind == E_CAST && e->a0)
		ty_check_arg(ti, TY_LONG, e->a0);
	ti->t = want;
	if (e->type == TY_UNKNOWN) {
		ti->still++;
		if (!ti->assert_res || !ty_site_first(ti, SITE_TVAR))
			return;
		const char *text = NULL;
		for (int i = 0; i < ti->es->tvar_errs.n && !text; i++) {
			const struct elab_tvar_err *te = ti->es->tvar_errs.v[i];
			if (te->e == e)
				text = te->text ? te->text : "";
		}
		if (text && *text) {
			/* the provider's own words, held back until now */
			fputs(text, ti->s->diag.out);
			ti->s->diag.errors++;
		} else {
			diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
			           e->kind == E_ATVAR ? "unresolved @var() expression" :
			           "unresolved target-symbol expression");
		}
		return;
	}
	if (ti->t != TY_UNKNOWN && ti->t != e->type)
		ty_mismatch_t(ti, e, ti->t, e->type);
}

void ty_texp(struct ti *ti, struct exp *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_NUM: case E_STR: {
		enum type own = e->kind == E_NUM ? TY_LONG : TY_STRING;
		e->type = own;
		if (ti->t != own && ti->t != TY_UNKNOWN && ti->t != TY_VOID)
			ty_mismatch_t(ti, e, ti->t, own);
		break;
	}
	case E_SYM: t_symbol(ti, e); break;
	case E_INDEX: t_index(ti, e); break;
	case E_CALL: t_call(ti, e); break;
	case E_PRINT: t_print(ti, e); break;
	case E_ASSIGN: t_assign(ti, e); break;
	case E_BINARY: case E_AND: case E_OR: t_binary(ti, e); break;
	case E_UNARY: case E_PREINC: case E_POSTINC:
		if (ti->t == TY_STATS || ti->t == TY_STRING)
			ty_invalid(ti, e, ti->t);
		ti->t = TY_LONG;
		ty_texp(ti, e->a0);
		ty_set_type(ti, e, TY_LONG);
		break;
	case E_COMPARE: t_compare(ti, e); break;
	case E_CONCAT:
		if (ti->t != TY_UNKNOWN && ti->t != TY_STRING)
			ty_invalid(ti, e, ti->t);
		ti->t = TY_STRING;
		ty_texp(ti, e->a0);
		ti->t = TY_STRING;
		ty_texp(ti, e->a1);
		ty_set_type(ti, e, TY_STRING);
		break;
	case E_REGEX:
		if (ti->t == TY_STATS || ti->t == TY_STRING)
			ty_invalid(ti, e, ti->t);
		ti->t = TY_STRING;
		ty_texp(ti, e->a0);
		ti->t = TY_STRING;
		ty_texp(ti, e->a1);
		ty_set_type(ti, e, TY_LONG);
		break;
	case E_TERNARY: t_ternary(ti, e); break;
	case E_IN: t_in(ti, e); break;
	case E_STATOP:
		ti->t = TY_STATS;
		ty_texp(ti, e->a0);
		if (e->type == TY_UNKNOWN)
			ty_set_type(ti, e, TY_LONG);
		else if (e->type != TY_LONG)
			ty_mismatch_t(ti, e, TY_LONG, e->type);
		break;
	case E_HIST:
		ti->t = TY_STATS;
		ty_texp(ti, e->a0);
		break;
	case E_DEFINED:
		ty_set_type(ti, e, TY_LONG);
		break;
	case E_PERF: case E_TARGET: case E_CAST: case E_ATVAR: case E_ENTRY:
		t_tvar(ti, e);
		break;
	default:
		break;
	}
}

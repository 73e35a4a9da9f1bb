/*
** Type inference (stap's typeresolution_info): each pass pushes the type a context expects
** (t) down into expressions and propagates what symbols, functions and array indexes know,
** until nothing changes; a last pass reports what is still unknown or contradictory.
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

struct first {                 /* where a declaration's type (or index type) was first inferred */
	const void *decl;
	int index;
	struct srcpos pos;
	const char *desc;
};

struct ti {
	struct session *s;
	struct elab_state *es;
	int newly, still;
	bool assert_res;
	int complexity;
	struct funcdecl *fn;
	struct probe *probe;
	enum type t;
	bool fatal;                /* a thrown error (stap): the types pass stops after it */
	unsigned sites;            /* enum site bits already reported */
};

static void texp(struct ti *ti, struct exp *e);
static void tstmt(struct ti *ti, struct stmt *st);

static const char *tn(enum type t)
{
	return t == TY_VOID ? "unknown" : ast_type_name(t);
}

static void resolved(struct ti *ti, const struct srcpos *pos, const char *desc, const void *decl, int index)
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

/* stap prints a semantic error once per place in its source that raises it (errsrc), and
   counts the rest as suppressed; -v shows them all. These are those places. */
enum site { SITE_UNRESOLVED, SITE_INVALID, SITE_LR, SITE_T, SITE_DECL_PLAIN, SITE_DECL,
            SITE_DECL_CHAIN, SITE_TVAR, SITE_LOCAL };

static bool site_first(struct ti *ti, enum site st)
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

static void unresolved(struct ti *ti, const struct srcpos *pos, const char *desc)
{
	ti->still++;
	if (ti->assert_res && ti->complexity <= 0 && site_first(ti, SITE_UNRESOLVED))
		diag_error(&ti->s->diag, "semantic", pos, desc, "unresolved type ");
}

static void invalid(struct ti *ti, const struct exp *e, enum type t)
{
	ti->still++;
	if (!ti->assert_res || !site_first(ti, SITE_INVALID))
		return;
	const char *d = elab_tokdesc(ti->s, e);
	if (!strncmp(d, "operator", 8))
		diag_error(&ti->s->diag, "semantic", &e->pos, d, "invalid operator");
	else
		diag_error(&ti->s->diag, "semantic", &e->pos, d, "invalid type %s", tn(t));
}

static void mismatch_lr(struct ti *ti, const struct exp *e)
{
	if (report(ti, 1) && site_first(ti, SITE_LR))
		diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
		           "type mismatch: left and right sides don't agree (%s vs %s)",
		           tn(e->a0->type), tn(e->a1->type));
}

static void mismatch_t(struct ti *ti, const struct exp *e, enum type t1, enum type t2)
{
	if (!report(ti, 2) || !site_first(ti, SITE_T))
		return;
	if (t2 != TY_UNKNOWN)
		diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
		           "type mismatch: expected %s but found %s", tn(t1), tn(t2));
	else
		diag_error(&ti->s->diag, "semantic", &e->pos, elab_tokdesc(ti->s, e),
		           "type mismatch: expected %s", tn(t1));
}

/* A mismatch against a declaration (variable, function return, array index, parameter). */
static void mismatch_decl(struct ti *ti, const struct srcpos *pos, const char *desc, enum type type,
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
		if (site_first(ti, SITE_DECL_PLAIN))
			diag_error(&ti->s->diag, "semantic", pos, desc, "type mismatch: expected %s but found %s",
			           tn(type), tn(decltype));
		return;
	}
	if (!site_first(ti, SITE_DECL))
		return;
	if (index >= 0)
		diag_error(&ti->s->diag, "semantic", pos, desc, "index %d type mismatch (%s)", index, tn(type));
	else
		diag_error(&ti->s->diag, "semantic", pos, desc, "type mismatch (%s)", tn(type));
	if (ti->s->opt.verbose <= 1 && (ti->sites & (1u << SITE_DECL_CHAIN)))
		return;
	ti->sites |= 1u << SITE_DECL_CHAIN;
	if (index >= 0)
		diag_error(&ti->s->diag, "semantic", &orig->pos, orig->desc,
		           "type of index %d was first inferred here (%s)", index, tn(decltype));
	else
		diag_error(&ti->s->diag, "semantic", &orig->pos, orig->desc,
		           "type was first inferred here (%s)", tn(decltype));
}

/* stap's resolve_2types between a referring expression and its declaration's type. */
static void resolve2(struct ti *ti, struct exp *re, enum type *te, const void *decl, enum type t,
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
			mismatch_decl(ti, &re->pos, d, rt, decl, *te, -1);
			return;
		}
		if (rt != TY_UNKNOWN && t != TY_UNKNOWN && rt != t) {
			mismatch_decl(ti, &re->pos, d, t, decl, *te, -1);
			return;
		}
		if (*te != TY_UNKNOWN && t != TY_UNKNOWN && *te != t) {
			mismatch_decl(ti, &re->pos, d, t, decl, *te, -1);
			return;
		}
		if (rt == TY_UNKNOWN && t != TY_UNKNOWN) {
			re->type = t;
			resolved(ti, &re->pos, d, NULL, 0);
		} else if (rt == TY_UNKNOWN && *te != TY_UNKNOWN) {
			re->type = *te;
			resolved(ti, &re->pos, d, NULL, 0);
		} else if (rt != TY_UNKNOWN && *te == TY_UNKNOWN) {
			*te = rt;
			resolved(ti, &re->pos, d, decl, -1);
		} else {
			if (!accept_unknown)
				unresolved(ti, &re->pos, d);
			return;
		}
	}
}

static void set_type(struct ti *ti, struct exp *e, enum type t)
{
	if (e->type == TY_UNKNOWN) {
		e->type = t;
		resolved(ti, &e->pos, NULL, NULL, 0);
	}
}

static void check_arg(struct ti *ti, enum type wanted, struct exp *arg)
{
	ti->t = wanted;
	texp(ti, arg);
	if (arg->type == TY_UNKNOWN) {
		arg->type = wanted;
		resolved(ti, &arg->pos, NULL, NULL, 0);
	} else if (arg->type != wanted) {
		mismatch_t(ti, arg, wanted, arg->type);
	}
}

/* Index expressions against the array's index types (also function args vs parameters). */
static void check_index(struct ti *ti, struct exp *ee, enum type *ft, const void *decl, int i,
                        bool is_arg)
{
	/* stap 4.8 visits call arguments with no expected type, array indexes with theirs */
	ti->t = *ft;
	(void)is_arg;
	texp(ti, ee);
	enum type at = ee->type;
	if ((at == TY_STRING || at == TY_LONG) && *ft == TY_UNKNOWN) {
		*ft = at;
		resolved(ti, &ee->pos, elab_tokdesc(ti->s, ee), decl, i);
	}
	if (at == TY_STATS)
		invalid(ti, ee, at);
	if (*ft == TY_STATS)
		invalid(ti, ee, *ft);
	if (at != TY_UNKNOWN && *ft != TY_UNKNOWN && *ft != at)   /* stap names the decl's own type */
		mismatch_decl(ti, &ee->pos, elab_tokdesc(ti->s, ee), at, decl,
		              is_arg ? *ft : ((const struct vardecl *)decl)->type, i);
	if (at == TY_UNKNOWN)
		unresolved(ti, &ee->pos, elab_tokdesc(ti->s, ee));
}

static void t_symbol(struct ti *ti, struct exp *e)
{
	if (!e->ref)
		return;
	resolve2(ti, e, &e->ref->type, e->ref, ti->t, false);
}

static void t_index(struct ti *ti, struct exp *e)
{
	struct exp *arr = e->a0;
	if (arr && arr->kind == E_HIST) {
		if (e->args.n != 1)
			unresolved(ti, &e->pos, elab_tokdesc(ti->s, e));
		ti->t = TY_LONG;
		texp(ti, e->args.v[0]);
		ti->t = TY_STATS;
		texp(ti, arr->a0);
		set_type(ti, e, TY_LONG);
		return;
	}
	if (!arr || !arr->ref)
		return;
	struct vardecl *v = arr->ref;
	resolve2(ti, e, &v->type, v, ti->t, false);
	arr->type = e->type;
	if (e->args.n != v->arity) {
		unresolved(ti, &e->pos, elab_tokdesc(ti->s, e));
		return;
	}
	for (int i = 0; i < e->args.n && i < 9; i++)
		if (e->args.v[i])
			check_index(ti, e->args.v[i], &v->index_types[i], v, i, false);
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
			texp(ti, a);
			if (a->type == TY_STATS)
				invalid(ti, a, a->type);
			else if (a->type != TY_UNKNOWN && a->type != ft)
				mismatch_decl(ti, &a->pos, elab_tokdesc(ti->s, a), a->type, b, ft, -1);
			else if (a->type == TY_UNKNOWN)
				unresolved(ti, &a->pos, elab_tokdesc(ti->s, a));
		}
		if (rt == TY_VOID) {
			if (e->type == TY_UNKNOWN)
				e->type = TY_VOID;
			return;
		}
		if (want != TY_UNKNOWN && want != rt && want != TY_VOID)
			mismatch_t(ti, e, want, rt);
		set_type(ti, e, rt);
		return;
	}
	struct funcdecl *fd = e->fref;
	if (!fd)
		return;
	enum type orig = ti->t;
	resolve2(ti, e, &fd->type, fd, orig, true);
	if (e->type == TY_STATS)
		invalid(ti, e, e->type);
	if (e->args.n != fd->params.n) {
		unresolved(ti, &e->pos, elab_tokdesc(ti->s, e));
		return;
	}
	for (int i = 0; i < e->args.n; i++) {
		struct vardecl *p = fd->params.v[i];
		check_index(ti, e->args.v[i], &p->type, p, i, true);
	}
}

static void t_assign(struct ti *ti, struct exp *e)
{
	const char *op = e->op ? e->op : "=";
	if (ti->t == TY_STATS)
		invalid(ti, e, ti->t);
	if (!strcmp(op, "<<<")) {
		if (ti->t == TY_STRING)
			invalid(ti, e, ti->t);
		ti->t = TY_STATS;
		texp(ti, e->a0);
		ti->t = TY_LONG;
		texp(ti, e->a1);
		if (e->type == TY_UNKNOWN || e->type == TY_STATS) {
			e->type = TY_LONG;
			resolved(ti, &e->pos, NULL, NULL, 0);
		}
	} else if (e->a0->type == TY_STATS) {
		invalid(ti, e->a0, e->a0->type);
	} else if (e->a1->type == TY_STATS) {
		invalid(ti, e->a1, e->a1->type);
	} else if (!strcmp(op, ".=")) {
		if (ti->t == TY_LONG || ti->t == TY_STATS)
			invalid(ti, e, ti->t);
		ti->t = TY_STRING;
		texp(ti, e->a0);
		ti->t = TY_STRING;
		texp(ti, e->a1);
		set_type(ti, e, TY_STRING);
	} else if (!strcmp(op, "=")) {
		enum type sub = ti->t;
		if (sub == TY_UNKNOWN && e->type != TY_UNKNOWN)
			sub = e->type;
		ti->t = sub != TY_UNKNOWN ? sub : e->a1->type;
		texp(ti, e->a0);
		ti->t = sub != TY_UNKNOWN ? sub : e->a0->type;
		texp(ti, e->a1);
		if (sub != TY_UNKNOWN && e->type == TY_UNKNOWN)
			set_type(ti, e, sub);
		if (sub == TY_UNKNOWN && e->a0->type != TY_UNKNOWN && e->type != e->a0->type) {
			e->type = e->a0->type;
			resolved(ti, &e->pos, NULL, NULL, 0);
		}
		if (e->a0->type != TY_UNKNOWN && e->a1->type != TY_UNKNOWN && e->a0->type != e->a1->type)
			mismatch_lr(ti, e);
	} else {
		goto binary;
	}
	return;
binary:
	if (ti->t == TY_STATS || ti->t == TY_STRING)
		invalid(ti, e, ti->t);
	ti->t = TY_LONG;
	texp(ti, e->a0);
	ti->t = TY_LONG;
	texp(ti, e->a1);
	if (e->a0->type != TY_UNKNOWN && e->a1->type != TY_UNKNOWN && e->a0->type != e->a1->type)
		mismatch_lr(ti, e);
	set_type(ti, e, TY_LONG);
}

static void t_binary(struct ti *ti, struct exp *e)
{
	if (ti->t == TY_STATS || ti->t == TY_STRING)
		invalid(ti, e, ti->t);
	ti->t = TY_LONG;
	texp(ti, e->a0);
	ti->t = TY_LONG;
	texp(ti, e->a1);
	if (e->a0->type != TY_UNKNOWN && e->a1->type != TY_UNKNOWN && e->a0->type != e->a1->type)
		mismatch_lr(ti, e);
	set_type(ti, e, TY_LONG);
}

static void t_compare(struct ti *ti, struct exp *e)
{
	if (ti->t == TY_STATS || ti->t == TY_STRING)
		invalid(ti, e, ti->t);
	ti->t = e->a1->type;
	texp(ti, e->a0);
	ti->t = e->a0->type;
	texp(ti, e->a1);
	if (e->a0->type != TY_UNKNOWN && e->a1->type != TY_UNKNOWN && e->a0->type != e->a1->type)
		mismatch_lr(ti, e);
	set_type(ti, e, TY_LONG);
}

static void t_ternary(struct ti *ti, struct exp *e)
{
	enum type sub = ti->t;
	ti->t = TY_LONG;
	texp(ti, e->a0);
	if (sub == TY_UNKNOWN && e->type != TY_UNKNOWN)
		sub = e->type;
	ti->t = sub;
	texp(ti, e->a1);
	ti->t = sub;
	texp(ti, e->a2);
	if (sub == TY_UNKNOWN && e->type != TY_UNKNOWN)
		;
	else if (sub != TY_UNKNOWN && e->type == TY_UNKNOWN)
		set_type(ti, e, sub);
	else if (sub == TY_UNKNOWN && e->a1->type != TY_UNKNOWN)
		set_type(ti, e, e->a1->type);
	else if (sub == TY_UNKNOWN && e->a2->type != TY_UNKNOWN)
		set_type(ti, e, e->a2->type);
	else if (e->type != sub)
		mismatch_t(ti, e, sub, e->type);
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
		texp(ti, h->a0);
		for (int i = 0; i < h->args.n; i++)
			check_arg(ti, TY_LONG, h->args.v[i]);
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
			check_arg(ti, f->argtypes[i] == 's' ? TY_STRING : TY_LONG, e->args.v[i]);
	} else {
		if (e->fmt) {
			ti->t = TY_STRING;
			texp(ti, e->fmt);
		}
		for (int i = 0; i < e->args.n; i++) {
			struct exp *a = e->args.v[i];
			ti->t = TY_UNKNOWN;
			texp(ti, a);
			if (a->type == TY_UNKNOWN) {
				unresolved(ti, &a->pos, elab_tokdesc(ti->s, a));
				unresolved_args++;
			}
		}
	}
	if (unresolved_args == 0)
		set_type(ti, e, to_stream ? TY_LONG : TY_STRING);
	else {
		e->type = TY_UNKNOWN;
		unresolved(ti, &e->pos, elab_tokdesc(ti->s, e));
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
					check_index(ti, e->args.v[i], &v->index_types[i], v, i, false);
		ti->t = TY_UNKNOWN;
		resolve2(ti, arr, &v->type, v, TY_UNKNOWN, true);
	} else if (arr) {
		ti->t = TY_UNKNOWN;
		texp(ti, arr);
	}
	if (t1 == TY_UNKNOWN && e->type != TY_UNKNOWN)
		;
	else if (t1 == TY_STRING || t1 == TY_STATS)
		mismatch_t(ti, e, t1, TY_LONG);
	else
		set_type(ti, e, TY_LONG);
}

static void t_tvar(struct ti *ti, struct exp *e)
{
	for (int i = 0; i < e->comps.n; i++) {
		struct tcomp *tc = e->comps.v[i];
		if (tc->kind == COMP_INDEX_EXP)
			check_arg(ti, TY_LONG, tc->index);
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
		texp(ti, e->a0);
		if (e->a0->type != TY_UNKNOWN)
			set_type(ti, e, e->a0->type);
		(void)t;
		return;
	}
	if (e->kind == E_CAST && e->a0)
		check_arg(ti, TY_LONG, e->a0);
	if (e->type == TY_UNKNOWN) {
		ti->still++;
		if (!ti->assert_res || !site_first(ti, SITE_TVAR))
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
			           "unresolved target-symbol expression");
		}
		return;
	}
	if (ti->t != TY_UNKNOWN && ti->t != e->type)
		mismatch_t(ti, e, ti->t, e->type);
}

static void texp(struct ti *ti, struct exp *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_NUM: case E_STR: {
		enum type own = e->kind == E_NUM ? TY_LONG : TY_STRING;
		e->type = own;
		if (ti->t != own && ti->t != TY_UNKNOWN && ti->t != TY_VOID)
			mismatch_t(ti, e, ti->t, own);
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
			invalid(ti, e, ti->t);
		ti->t = TY_LONG;
		texp(ti, e->a0);
		set_type(ti, e, TY_LONG);
		break;
	case E_COMPARE: t_compare(ti, e); break;
	case E_CONCAT:
		if (ti->t != TY_UNKNOWN && ti->t != TY_STRING)
			invalid(ti, e, ti->t);
		ti->t = TY_STRING;
		texp(ti, e->a0);
		ti->t = TY_STRING;
		texp(ti, e->a1);
		set_type(ti, e, TY_STRING);
		break;
	case E_REGEX:
		if (ti->t == TY_STATS || ti->t == TY_STRING)
			invalid(ti, e, ti->t);
		ti->t = TY_STRING;
		texp(ti, e->a0);
		ti->t = TY_STRING;
		texp(ti, e->a1);
		set_type(ti, e, TY_LONG);
		break;
	case E_TERNARY: t_ternary(ti, e); break;
	case E_IN: t_in(ti, e); break;
	case E_STATOP:
		ti->t = TY_STATS;
		texp(ti, e->a0);
		if (e->type == TY_UNKNOWN)
			set_type(ti, e, TY_LONG);
		else if (e->type != TY_LONG)
			mismatch_t(ti, e, TY_LONG, e->type);
		break;
	case E_HIST:
		ti->t = TY_STATS;
		texp(ti, e->a0);
		break;
	case E_DEFINED:
		set_type(ti, e, TY_LONG);
		break;
	case E_PERF: case E_TARGET: case E_CAST: case E_ATVAR: case E_ENTRY:
		t_tvar(ti, e);
		break;
	default:
		break;
	}
}

static void t_foreach(struct ti *ti, struct stmt *st)
{
	enum type wanted = TY_UNKNOWN;
	struct exp *arr = st->e;
	if (arr && arr->kind == E_HIST) {
		if (st->keys.n != 1)
			unresolved(ti, &st->pos, "keyword");
		ti->t = TY_LONG;
		if (st->keys.n)
			texp(ti, st->keys.v[0]);
		ti->t = TY_STATS;
		texp(ti, arr->a0);
		wanted = TY_LONG;
	} else if (arr && arr->ref) {
		struct vardecl *v = arr->ref;
		if (st->keys.n != v->arity)
			unresolved(ti, &st->pos, "keyword");
		else {
			for (int i = 0; i < st->keys.n && i < 9; i++)
				check_index(ti, st->keys.v[i], &v->index_types[i], v, i, false);
			for (int i = 0; i < st->slice.n && i < 9; i++)
				if (st->slice.v[i])
					check_index(ti, st->slice.v[i], &v->index_types[i], v, i, false);
		}
		ti->t = TY_UNKNOWN;
		resolve2(ti, arr, &v->type, v, TY_UNKNOWN, false);
		wanted = arr->type;
	}
	if (st->value) {
		if (wanted == TY_STATS)
			invalid(ti, st->value, wanted);
		else if (wanted != TY_UNKNOWN)
			check_arg(ti, wanted, st->value);
		else {
			ti->t = TY_UNKNOWN;
			texp(ti, st->value);
		}
	}
	/* @sum etc. sorting needs a statistics array */
	if (wanted != TY_UNKNOWN && st->sort_aggr && wanted != TY_STATS && arr)
		invalid(ti, arr, wanted);
	if (st->limit) {
		ti->t = TY_LONG;
		texp(ti, st->limit);
	}
	ti->t = TY_UNKNOWN;
	tstmt(ti, st->s1);
}

static void t_return(struct ti *ti, struct stmt *st)
{
	struct funcdecl *fn = ti->fn;
	if (!fn)
		return;
	ti->t = fn->type;
	if (!st->e) {
		if (fn->type != TY_UNKNOWN && fn->type != TY_VOID)
			mismatch_decl(ti, &st->pos, "keyword", TY_UNKNOWN, fn, fn->type, -1);
		return;
	}
	texp(ti, st->e);
	enum type vt = st->e->type;
	const char *d = elab_tokdesc(ti->s, st->e);
	if (fn->type != TY_UNKNOWN && vt != TY_UNKNOWN && fn->type != vt)
		mismatch_decl(ti, &st->e->pos, d, vt, fn, fn->type, -1);
	if (fn->type == TY_UNKNOWN && (vt == TY_LONG || vt == TY_STRING)) {
		fn->type = vt;
		resolved(ti, &st->e->pos, d, fn, -1);
	}
	if (vt == TY_STATS)
		invalid(ti, st->e, vt);
}

static void tstmt(struct ti *ti, struct stmt *st)
{
	if (!st)
		return;
	switch (st->kind) {
	case S_BLOCK:
		for (int i = 0; i < st->body.n; i++) {
			ti->t = TY_UNKNOWN;
			tstmt(ti, st->body.v[i]);
		}
		break;
	case S_EXPR:
		ti->t = TY_UNKNOWN;
		texp(ti, st->e);
		break;
	case S_IF:
		ti->t = TY_LONG;
		texp(ti, st->e);
		ti->t = TY_UNKNOWN;
		tstmt(ti, st->s1);
		ti->t = TY_UNKNOWN;
		tstmt(ti, st->s2);
		break;
	case S_WHILE:
		ti->t = TY_LONG;
		texp(ti, st->e);
		ti->t = TY_UNKNOWN;
		tstmt(ti, st->s1);
		break;
	case S_FOR:
		ti->t = TY_UNKNOWN;
		texp(ti, st->init);
		ti->t = TY_LONG;
		texp(ti, st->e);
		ti->t = TY_UNKNOWN;
		texp(ti, st->incr);
		ti->t = TY_UNKNOWN;
		tstmt(ti, st->s1);
		break;
	case S_FOREACH: t_foreach(ti, st); break;
	case S_RETURN: t_return(ti, st); break;
	case S_DELETE:
		ti->t = TY_UNKNOWN;
		if (st->e && st->e->kind == E_SYM && st->e->ref)
			resolve2(ti, st->e, &st->e->ref->type, st->e->ref, TY_UNKNOWN, false);
		else if (st->e)
			texp(ti, st->e);
		break;
	case S_TRY:
		tstmt(ti, st->s1);
		if (st->catch_var && st->catch_var->type == TY_UNKNOWN) {
			st->catch_var->type = TY_STRING;
			ti->newly++;
		} else if (st->catch_var && st->catch_var->type != TY_STRING) {
			mismatch_decl(ti, &st->catch_var->pos, elab_vardesc(ti->s, st->catch_var), TY_STRING,
			              st->catch_var, st->catch_var->type, -1);
		}
		tstmt(ti, st->s2);
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
		if (ti->assert_res && site_first(ti, SITE_LOCAL))
			diag_error(&ti->s->diag, "semantic", &v->pos, d,
			           "array locals not supported, missing global declaration? ");
	}
	if (v->type == TY_UNKNOWN)
		unresolved(ti, &v->pos, d);
	else if (v->type == TY_STATS) {
		ti->still++;
		if (ti->assert_res && site_first(ti, SITE_LOCAL + 1))
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
		tstmt(ti, fd->body);
		for (int k = 0; k < fd->locals.n; k++)
			check_local(ti, fd->locals.v[k]);
	}
	for (int i = 0; i < es->handlers.n; i++) {
		struct probe *p = es->handlers.v[i];
		ti->fn = NULL;
		ti->probe = p;
		ti->t = TY_UNKNOWN;
		tstmt(ti, p->body);
		for (int k = 0; k < p->locals.n; k++)
			check_local(ti, p->locals.v[k]);
	}
	for (int i = 0; i < s->nprobes; i++) {
		struct probe_point *pt = s->probes[i]->point;
		if (pt && pt->cond && (i == 0 || s->probes[i - 1]->point != pt)) {
			ti->fn = NULL;
			ti->probe = NULL;
			ti->t = TY_LONG;
			texp(ti, pt->cond);
		}
	}
	for (int i = 0; i < es->globals.n; i++) {
		struct vardecl *g = es->globals.v[i];
		if (g->type == TY_UNKNOWN)
			unresolved(ti, &g->pos, elab_vardesc(s, g));
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

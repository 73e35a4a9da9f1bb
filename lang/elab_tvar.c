/*
** $target accesses: each $var/@cast/@var/@entry/@perf in a handler gets a slot (e->slot,
** numbered per handler); every dprobe of that handler asks its provider to resolve it into
** dp->tvars[slot]. @defined(...) folds to 0/1 first and dead branches go, as in stap.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "builtins.h"
#include "context.h"
#include "diag.h"
#include "elab.h"
#include "ks.h"
#include "session.h"

static bool is_tvar(const struct exp *e)
{
	return e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR ||
	       e->kind == E_ENTRY || e->kind == E_PERF || e->kind == E_REGISTER || e->kind == E_DEREF;
}

/* @uregister(N), @uderef(SIZE, ADDR) and the kernel forms: the same reader in every probe */
static bool is_regop(const struct exp *e)
{
	return e->kind == E_REGISTER || e->kind == E_DEREF;
}

struct tctx {
	struct session *s;
	struct probe *h;
	struct ptrvec dps;          /* the dprobes of h */
	struct ptrvec exps;         /* its $target accesses, by slot */
	int err;
	FILE *devnull;
	bool entries;               /* a .return handler with entry snippets (h->entries) */
};

/* The resolver of e at dp: @cast(p, "T", "kernel") in any probe and a @cast in a provider
   without target variables (begin/end/error, timer) take kernel types from BTF
   (tracer/ks_cast.c); the rest its provider's. NULL: none. */
typedef int (*tvar_fn)(struct session *, struct dprobe *, struct exp *, struct tvar *);
static tvar_fn tvar_of(const struct dprobe *dp, const struct exp *e)
{
	if (e->kind == E_CAST && ks_cast_kernel_module(e->module))
		return ks_cast_only_tvar;
	return dp->prov->tvar ? dp->prov->tvar : e->kind == E_CAST ? ks_cast_only_tvar : NULL;
}

/* Try resolving e at every dprobe without reporting: is it defined everywhere? */
static bool try_resolve(struct tctx *t, struct exp *e)
{
	if (!is_tvar(e))
		return true;
	if (e->kind == E_ENTRY)
		return true;
	for (int i = 0; i < t->dps.n; i++) {
		struct dprobe *dp = t->dps.v[i];
		if (!tvar_of(dp, e) && !is_regop(e))
			return false;
		struct tvar tv = {0};
		FILE *save = t->s->diag.out;
		int errs = t->s->diag.errors;
		if (t->devnull)
			t->s->diag.out = t->devnull;
		int r = is_regop(e) ? ctx_regop_tvar(t->s, e, &tv) : tvar_of(dp, e)(t->s, dp, e, &tv);
		t->s->diag.out = save;
		t->s->diag.errors = errs;
		if (r < 0)
			return false;
	}
	return true;
}

struct defctx { struct tctx *t; bool defined; };

static void def_check(void *ud, struct exp *e, struct exp *parent)
{
	struct defctx *d = ud;
	(void)parent;
	if (is_tvar(e) && !try_resolve(d->t, e))
		d->defined = false;
}

static void fold_defined(void *ud, struct exp *e, struct exp *parent)
{
	struct tctx *t = ud;
	(void)parent;
	if (e->kind != E_DEFINED)
		return;
	struct defctx d = { t, true };
	ast_walk_exp(e->a0, e, def_check, &d, true);
	e->kind = E_NUM;
	e->num = d.defined;
	e->type = TY_LONG;
	e->a0 = NULL;
}

/* Const-fold what @defined left: `0 ? a : b`, `if (0) ...`, `1 && x`... (stap's const_folder). */
static bool is_const(const struct exp *e, int64_t *v)
{
	if (e && e->kind == E_NUM) {
		*v = e->num;
		return true;
	}
	if (e && e->kind == E_UNARY && e->op && !strcmp(e->op, "!") && is_const(e->a0, v)) {
		*v = !*v;
		return true;
	}
	return false;
}

static void fold_exp(void *ud, struct exp *e, struct exp *parent)
{
	int64_t v;
	(void)ud;
	(void)parent;
	if (e->kind == E_TERNARY && is_const(e->a0, &v)) {
		*e = *(v ? e->a1 : e->a2);
	} else if ((e->kind == E_AND || e->kind == E_OR) && is_const(e->a0, &v)) {
		int64_t w;
		bool decided = e->kind == E_AND ? !v : v != 0;
		if (decided) {
			e->num = e->kind == E_OR;
			e->kind = E_NUM;
			e->type = TY_LONG;
		} else if (is_const(e->a1, &w)) {
			e->kind = E_NUM;
			e->num = w != 0;
			e->type = TY_LONG;
		}
	} else if (e->kind == E_UNARY && e->op && !strcmp(e->op, "!") && is_const(e->a0, &v)) {
		e->kind = E_NUM;
		e->num = !v;
		e->type = TY_LONG;
	}
}

static void fold_stmt(struct stmt *st)
{
	if (!st)
		return;
	ast_walk_exp(st->e, NULL, fold_exp, NULL, false);
	int64_t v;
	if (st->kind == S_IF && is_const(st->e, &v)) {
		struct stmt *keep = v ? st->s1 : st->s2;
		if (keep) {
			fold_stmt(keep);
			*st = *keep;
		} else {
			st->kind = S_NULL;
			st->e = NULL;
			st->s1 = st->s2 = NULL;
		}
		return;
	}
	for (int i = 0; i < st->body.n; i++)
		fold_stmt(st->body.v[i]);
	fold_stmt(st->s1);
	fold_stmt(st->s2);
}

static bool is_written(struct exp *e, struct exp *parent);

/* ---- .return probes: @entry values saved at the entry (stap's "entry" saved returns) ---- */

static void mark_one(void *ud, struct exp *e, struct exp *parent)
{
	(void)ud;
	(void)parent;
	e->in_entry = true;
}

static void mark_entry(void *ud, struct exp *e, struct exp *parent)
{
	(void)ud;
	(void)parent;
	if (e->kind == E_ENTRY)
		ast_walk_exp(e->a0, e, mark_one, NULL, true);
}

/* stap: in a .return probe every $var but $return/$$return is captured as @entry($var). */
static void wrap_param(void *ud, struct exp *e, struct exp *parent)
{
	struct tctx *t = ud;
	if (e->kind != E_TARGET || e->in_entry || !e->str || !strcmp(e->str, "$return") ||
	    !strcmp(e->str, "$$return"))
		return;
	if (is_written(e, parent)) {
		if (!t->s->opt.guru)
			return;   /* resolve_slot says "need stap -g" first, as stap */
		diag_error(&t->s->diag, "semantic", &e->pos, elab_tokdesc(t->s, e),
		           "write to target variable not permitted in .return probes");
		t->err++;
		return;
	}
	struct strbuf sb;
	sb_init(&sb);
	ast_print_exp(&sb, e);
	diag_warn_tok(&t->s->diag, &e->pos, elab_tokdesc(t->s, e), "confusing usage, value is "
	              "captured as @entry(%s) in .return probe [man stapprobes] RETURN PROBES", sb.buf);
	sb_free(&sb);
	struct exp *in = arena_alloc(&t->s->script_arena, sizeof *in);
	*in = *e;
	in->in_entry = true;
	memset(e, 0, sizeof *e);
	e->kind = E_ENTRY;
	e->pos = in->pos;
	e->a0 = in;
}

static bool entry_handler(struct tctx *t)
{
	for (int i = 0; i < t->dps.n; i++)
		if (!((struct dprobe *)t->dps.v[i])->entry_snippet)
			return false;
	return t->dps.n > 0;
}

static void collect(void *ud, struct exp *e, struct exp *parent)
{
	struct tctx *t = ud;
	(void)parent;
	if (e->kind == E_ENTRY && t->entries && !e->in_entry) {
		e->slot = t->h->entries.n;
		e->type = TY_UNKNOWN;
		ast_vec_push(&t->s->script_arena, &t->h->entries, e);
	} else if (is_tvar(e)) {
		e->slot = t->exps.n;
		ast_vec_push(&t->s->script_arena, &t->exps, e);
	}
}

static bool is_written(struct exp *e, struct exp *parent)
{
	if (!parent)
		return false;
	if (parent->kind == E_ASSIGN && parent->a0 == e)
		return true;
	return (parent->kind == E_PREINC || parent->kind == E_POSTINC) && parent->a0 == e;
}

static int defer(struct tctx *t, struct exp *e, char *text)
{
	if (t->s->opt.skip_badvars) {   /* stap --skip-badvars: the access reads as 0 */
		diag_warn_tok(&t->s->diag, &e->pos, elab_tokdesc(t->s, e),
		              "Bad $context variable being substituted with literal 0");
		e->kind = E_NUM;
		e->num = 0;
		e->type = TY_LONG;
		e->tvar = NULL;
		memset(&e->comps, 0, sizeof e->comps);
		return 0;
	}
	struct elab_tvar_err *te = arena_alloc(&t->s->script_arena, sizeof *te);
	te->e = e;
	te->text = text;
	ast_vec_push(&t->s->script_arena, &t->s->elab->tvar_errs, te);
	e->type = TY_UNKNOWN;
	e->tvar = NULL;
	return 0;
}

static int resolve_slot(struct tctx *t, struct exp *e, bool written)
{
	struct session *s = t->s;
	for (int i = 0; i < t->dps.n; i++) {
		struct dprobe *dp = t->dps.v[i];
		if (e->kind == E_ENTRY && !dp->is_return) {
			/* reported by type_ if the optimiser keeps it (stap elides an unused @entry) */
			return defer(t, e, arena_printf(&s->script_arena, "@entry %s", dp->pp));
		}
		if (!tvar_of(dp, e) && !is_regop(e)) {
			if (e->kind == E_ENTRY)
				continue;     /* the compiler evaluates @entry(expr) in place */
			return defer(t, e, NULL);  /* types.c reports it, as stap's typeresolution does */
		}
		if (written && !s->opt.guru) {
			diag_error(&s->diag, "semantic", &e->pos, elab_tokdesc(s, e),
			           "write to target variable not permitted; need stap -g");
			return -1;
		}
		struct tvar *tv = arena_alloc(&s->arena, sizeof *tv);
		char *held = NULL;
		size_t heldlen = 0;
		const void *lf = s->diag.last_file;
		FILE *save = s->diag.out, *mem = open_memstream(&held, &heldlen);
		int errs = s->diag.errors;
		if (mem)
			s->diag.out = mem;
		int r = is_regop(e) ? ctx_regop_tvar(s, e, tv) : tvar_of(dp, e)(s, dp, e, tv);
		if (mem) {
			fclose(mem);
			s->diag.out = save;
		}
		if (r < 0) {
			s->diag.errors = errs;
			if (s->opt.skip_badvars)   /* nothing held is printed: stap's print_token */
				s->diag.last_file = lf;
			defer(t, e, held && heldlen ? arena_strdup(&s->script_arena, held) : NULL);
			free(held);
			return 0;
		}
		free(held);
		dp->tvars[e->slot] = tv;
		if (!e->tvar) {
			e->tvar = tv;
			e->type = tv->type;
		} else if (tv->type != e->type) {
			diag_error(&s->diag, "semantic", &e->pos, elab_tokdesc(s, e), "type mismatch: expected %s but found %s",
			           ast_type_name(e->type), ast_type_name(tv->type));
			return -1;
		}
	}
	return 0;
}

struct wfind { struct exp *target; bool written; };

static void find_write(void *ud, struct exp *e, struct exp *parent)
{
	struct wfind *w = ud;
	if (e == w->target && is_written(e, parent))
		w->written = true;
}

static int handler_tvars(struct session *s, struct probe *h, FILE *devnull)
{
	struct tctx t = { s, h, {0}, {0}, 0, devnull };
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->src == h)
			ast_vec_push(&s->script_arena, &t.dps, s->probes[i]);
	ast_walk_stmt(h->body, fold_defined, &t, false);
	fold_stmt(h->body);
	t.entries = entry_handler(&t);
	h->entries = (struct ptrvec){0};
	if (t.entries) {
		ast_walk_stmt(h->body, mark_entry, &t, false);
		ast_walk_stmt(h->body, wrap_param, &t, false);
		if (t.err)
			return t.err;
	}
	ast_walk_stmt(h->body, collect, &t, false);
	for (int i = 0; i < t.dps.n; i++) {
		struct dprobe *dp = t.dps.v[i];
		dp->ntvars = t.exps.n;
		dp->tvars = t.exps.n ? arena_alloc(&s->arena, sizeof *dp->tvars * (size_t)t.exps.n) : NULL;
	}
	int err = 0;
	for (int i = 0; i < t.exps.n; i++) {
		struct wfind w = { t.exps.v[i], false };
		ast_walk_stmt(h->body, find_write, &w, false);
		if (resolve_slot(&t, t.exps.v[i], w.written) < 0)
			err++;
	}
	return err;
}

struct fnctx { struct session *s; int err; };

static void fn_tvar(void *ud, struct exp *e, struct exp *parent)
{
	struct fnctx *f = ud;
	(void)parent;
	if (is_regop(e) && is_written(e, parent)) {   /* reads only: lang/comp_exp.c regop_call */
		const char *w = e->kind == E_REGISTER ? "register" : "deref";
		diag_error(&f->s->diag, "semantic", &e->pos,
		           arena_printf(&f->s->script_arena, "operator '@%s%s'", e->op, w),
		           "a write to @%s%s in a function is not supported by ustap: write it in the probe handler",
		           e->op, w);
		f->err++;
	} else if (is_regop(e)) {   /* read through a builtin (lang/comp_exp.c regop_call) */
		e->type = TY_LONG;
		e->builtin = bi_lookup("_ustap_regop", e->kind == E_DEREF ? 2 : 1);
	} else if (is_tvar(e) && e->kind != E_ENTRY) {
		diag_error(&f->s->diag, "semantic", &e->pos, elab_tokdesc(f->s, e), "unresolved target-symbol expression");
		f->err++;
	}
}

/* @defined over kernel @casts in a function: they resolve without a probe (BTF) */
struct fndef { struct session *s; bool defined, decided; };

static void fn_def_check(void *ud, struct exp *e, struct exp *parent)
{
	struct fndef *d = ud;
	(void)parent;
	if (!is_tvar(e))
		return;
	if (e->kind != E_CAST || !ks_cast_kernel_module(e->module))
		d->decided = false;
	else if (!ks_cast_defined(d->s, e))
		d->defined = false;
}

static void fn_fold(void *ud, struct exp *e, struct exp *parent)
{
	struct fnctx *f = ud;
	(void)parent;
	if (e->kind == E_CAST && ks_cast_kernel_module(e->module) && ks_cast_fold(f->s, e, true))
		return;
	if (e->kind != E_DEFINED)
		return;
	struct fndef d = { f->s, true, true };
	ast_walk_exp(e->a0, e, fn_def_check, &d, true);
	if (!d.decided)
		return;
	e->kind = E_NUM;
	e->num = d.defined;
	e->type = TY_LONG;
	e->a0 = NULL;
}

int elab_tvars(struct session *s)
{
	struct elab_state *es = s->elab;
	FILE *devnull = fopen("/dev/null", "w");
	int err = 0;
	for (int i = 0; i < es->handlers.n; i++)
		err += handler_tvars(s, es->handlers.v[i], devnull);
	if (devnull)
		fclose(devnull);
	/* functions have no probe context: stap resolves $vars there only in tapset
	   functions inlined into a probe; ustap refuses them */
	for (int i = 0; i < es->functions.n; i++) {
		struct funcdecl *fd = es->functions.v[i];
		struct fnctx f = { s, 0 };
		ast_walk_stmt(fd->body, fn_fold, &f, false);   /* kernel @casts: tracer/ks_cast.c */
		fold_stmt(fd->body);
		ast_walk_stmt(fd->body, fn_tvar, &f, false);
		err += f.err;
	}
	return err;
}

/*
** The last checks of pass 2, made by stap after typing: regular expressions compile
** (gen_dfa_table) and each statistic has one histogram shape (semantic_pass_stats).
** Errors here are stap's, printed at pass 2 instead of failing the translation.
*/
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "elab.h"
#include "rx.h"
#include "session.h"

struct statdecl {             /* stap's statistic_decl: the first histogram seen on a stat */
	const struct vardecl *v;
	int kind;                 /* 0 none (only <<<), 1 log, 2 linear */
	int64_t p[3];
};

struct late {
	struct session *s;
	struct statdecl *st;
	int nst, cap;
	int err;
};

static struct statdecl *stat_of(struct late *l, const struct vardecl *v, bool add)
{
	for (int i = 0; i < l->nst; i++)
		if (l->st[i].v == v)
			return &l->st[i];
	if (!add)
		return NULL;
	if (l->nst == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		struct statdecl *n = arena_alloc(&l->s->script_arena, (size_t)l->cap * sizeof(*n));
		if (l->nst)
			memcpy(n, l->st, (size_t)l->nst * sizeof(*n));
		l->st = n;
	}
	struct statdecl *d = &l->st[l->nst++];
	memset(d, 0, sizeof(*d));
	d->v = v;
	return d;
}

static void hist_decl(struct late *l, const struct exp *e)
{
	const struct vardecl *v = e->ref ? e->ref : e->a0 ? e->a0->ref : NULL;
	if (!v)
		return;
	struct statdecl n = { v, e->hist_linear ? 2 : 1, { 0, 0, 0 } };
	for (int i = 0; i < 3 && i < e->args.n; i++) {
		const struct exp *a = e->args.v[i];
		n.p[i] = a->kind == E_NUM ? a->num : 0;
	}
	struct statdecl *d = stat_of(l, v, false);
	if (!d) {
		*stat_of(l, v, true) = n;
	} else if (d->kind == 0) {
		*d = n;
	} else if (d->kind != n.kind || memcmp(d->p, n.p, sizeof n.p)) {
		diag_error(&l->s->diag, "semantic", &e->pos, elab_tokdesc(l->s, e),
		           "multiple histogram types declared on '__global_%s'", v->name);
		l->err++;
	}
}

/* stap compiles each =~ pattern once it is typed; the caret is on the pattern */
static void regex_check(struct late *l, const struct exp *e)
{
	const struct exp *pat = e->a1;
	if (!pat || pat->kind != E_STR || !pat->str)
		return;
	char err[256];
	int at = rx_check(pat->raw ? pat->raw : pat->str, pat->str, err, sizeof err);
	if (at == RX_OK)
		return;
	const char *desc = arena_printf(&l->s->script_arena, "string '%s'", pat->raw ? pat->raw : pat->str);
	if (at >= 0)
		diag_error(&l->s->diag, "semantic", &pat->pos, desc,
		           "regex compilation error (at position %d): %s", at, err);
	else
		diag_error(&l->s->diag, "semantic", &pat->pos, desc, "regex compilation error: %s", err);
	l->err++;
}

static void late_stmt(struct late *l, const struct stmt *st);

static void late_exp(struct late *l, const struct exp *e)
{
	if (!e)
		return;
	if (e->kind == E_ASSIGN && e->op && !strcmp(e->op, "<<<") && e->a0) {
		const struct vardecl *v = e->a0->ref;
		if (v)
			stat_of(l, v, true);
	} else if (e->kind == E_HIST) {
		hist_decl(l, e);
	} else if (e->kind == E_REGEX) {
		regex_check(l, e);
	}
	late_exp(l, e->a0);
	late_exp(l, e->a1);
	late_exp(l, e->a2);
	late_exp(l, e->fmt);
	for (int i = 0; i < e->args.n; i++)
		late_exp(l, e->args.v[i]);
	for (int i = 0; i < e->comps.n; i++)
		late_exp(l, ((const struct tcomp *)e->comps.v[i])->index);
}

static void late_stmt(struct late *l, const struct stmt *st)
{
	if (!st)
		return;
	late_exp(l, st->e);
	late_exp(l, st->init);
	late_exp(l, st->incr);
	late_exp(l, st->limit);
	for (int i = 0; i < st->body.n; i++)
		late_stmt(l, st->body.v[i]);
	late_stmt(l, st->s1);
	late_stmt(l, st->s2);
}

int elab_late_checks(struct session *s)
{
	struct elab_state *es = s->elab;
	struct late l = { .s = s };
	/* stap: functions (by name), then probes */
	for (int i = 0; i < es->functions.n; i++)
		late_stmt(&l, ((struct funcdecl *)es->functions.v[i])->body);
	for (int i = 0; i < es->handlers.n; i++)
		late_stmt(&l, ((struct probe *)es->handlers.v[i])->body);
	return l.err;
}

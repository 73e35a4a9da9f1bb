/*
** Elaboration driver and probe derivation: user probes are matched against probe aliases
** (script and tapset, wildcards, suffixes, alias on alias) and handed to their providers,
** which add derived probes. Then symbols (elab_sym.c), $target slots, types (types.c).
*/
#include "elab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "session.h"

/* ---- small helpers shared by the elab files ---- */

/* fnmatch-like glob with '*' and '?' (stap's probe point wildcards). */
bool elab_glob(const char *pat, const char *str)
{
	const char *star = NULL, *ss = NULL;
	while (*str) {
		if (*pat == '*') {
			star = pat++;
			ss = str;
		} else if (*pat == '?' || *pat == *str) {
			pat++;
			str++;
		} else if (star) {
			pat = star + 1;
			str = ++ss;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

static int lev(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	int d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int x = d[i - 1][j] + 1, y = d[i][j - 1] + 1;
			d[i][j] = c < x ? (c < y ? c : y) : (x < y ? x : y);
		}
	return d[la][lb];
}

/* stap's levenshtein_suggest: names within distance 5, closest first (ties by name), at most max. */
int elab_levenshtein_suggest(const char *name, struct ptrvec *names, int max, char *out, size_t outlen)
{
	const char *best[16];
	int bd[16], nb = 0;
	if (max > 16)
		max = 16;
	for (int i = 0; i < names->n; i++) {
		const char *c = names->v[i];
		int dup = 0;
		for (int k = 0; k < nb; k++)
			dup |= !strcmp(best[k], c);
		if (dup)
			continue;
		int dist = lev(name, c);
		if (dist > 5)
			continue;
		int k = nb < max ? nb++ : max;
		if (k == max && (dist > bd[max - 1] || (dist == bd[max - 1] && strcmp(c, best[max - 1]) >= 0)))
			continue;
		if (k == max)
			k = max - 1;
		while (k > 0 && (bd[k - 1] > dist || (bd[k - 1] == dist && strcmp(best[k - 1], c) > 0))) {
			best[k] = best[k - 1];
			bd[k] = bd[k - 1];
			k--;
		}
		best[k] = c;
		bd[k] = dist;
	}
	out[0] = 0;
	size_t len = 0;
	for (int i = 0; i < nb; i++)
		len += (size_t)snprintf(out + len, len < outlen ? outlen - len : 0, "%s%s", i ? ", " : "", best[i]);
	return nb;
}

const char *elab_tokdesc(struct session *s, const struct exp *e)
{
	struct arena *a = &s->script_arena;
	switch (e->kind) {
	case E_NUM: return arena_printf(a, "number '%lld'", (long long)e->num);
	case E_STR: return arena_printf(a, "string '%s'", e->str ? e->str : "");
	case E_SYM: case E_CALL: case E_PRINT:
		return arena_printf(a, "identifier '%s'", e->str ? e->str : "");
	case E_TARGET:
		return arena_printf(a, "identifier '%s%s'", e->str && e->str[0] == '$' ? "" : "$",
		                    e->str ? e->str : "");
	case E_INDEX:
		if (e->a0 && e->a0->kind == E_SYM)
			return elab_tokdesc(s, e->a0);
		return "operator '['";
	case E_STATOP: return arena_printf(a, "operator '@%s'", e->str ? e->str : "");
	case E_HIST: return e->hist_linear ? "operator '@hist_linear'" : "operator '@hist_log'";
	case E_CAST: return "operator '@cast'";
	case E_ATVAR: return "operator '@var'";
	case E_ENTRY: return "operator '@entry'";
	case E_DEFINED: return "operator '@defined'";
	case E_PERF: return "operator '@perf'";
	case E_IN: return "keyword";
	case E_AND: return "operator '&&'";
	case E_OR: return "operator '||'";
	case E_TERNARY: return "operator '?'";
	case E_CONCAT: return "operator '.'";
	default:
		return arena_printf(a, "operator '%s'", e->op ? e->op : "");
	}
}

const char *elab_vardesc(struct session *s, const struct vardecl *v)
{
	return arena_printf(&s->script_arena, "identifier '%s'", v->name);
}

void elab_add_file(struct session *s, struct file *f)
{
	struct elab_state *es = s->elab;
	struct arena *a = &s->script_arena;
	ast_vec_push(a, &es->files, f);
	for (int i = 0; i < f->aliases.n; i++)
		ast_vec_push(a, &es->aliases, f->aliases.v[i]);
	for (int i = 0; i < f->functions.n; i++) {
		struct funcdecl *fd = f->functions.v[i];
		fd->from_tapset = f->src->tapset;
		ast_vec_push(a, &es->all_functions, fd);
	}
	for (int i = 0; i < f->globals.n; i++) {
		struct vardecl *v = f->globals.v[i];
		v->global = true;
		v->from_tapset = f->src->tapset;
		if (!v->init && v->arity == 0 && !v->maxsize)
			v->arity = -1;          /* 'global a' may still become an array */
		ast_vec_push(a, &es->all_globals, v);
	}
}

/* ---- probe derivation ---- */

static const char *point_desc(struct session *s, const struct ppcomp *c)
{
	return arena_printf(&s->script_arena, "identifier '%s'", c->functor);
}

struct derive {
	struct session *s;
	struct elab_state *es;
	struct probe *user;       /* the user's probe being derived */
	bool optional;            /* the user's point (or an enclosing one) is optional */
	int depth;
};

static int derive_probe(struct derive *d, struct probe *p);

static const char *comp_functor(const struct probe_point *pt, int i)
{
	return ((const struct ppcomp *)pt->comps.v[i])->functor;
}

static bool comp_arg_equal(const struct ppcomp *a, const struct ppcomp *b)
{
	if (!a->arg || !b->arg)
		return !a->arg && !b->arg;
	if (a->arg->kind != b->arg->kind)
		return false;
	if (a->arg->kind == E_NUM)
		return a->arg->num == b->arg->num;
	return a->arg->str && b->arg->str && !strcmp(a->arg->str, b->arg->str);
}

/* Does alias name `name` match the first comps of `pt`? Returns the number of components
   matched (the alias name's length), or 0. */
static int alias_match(const struct probe_point *name, const struct probe_point *pt)
{
	if (name->comps.n > pt->comps.n)
		return 0;
	for (int i = 0; i < name->comps.n; i++) {
		const struct ppcomp *nc = name->comps.v[i], *uc = pt->comps.v[i];
		if (!elab_glob(uc->functor, nc->functor))
			return 0;
		if (!comp_arg_equal(nc, uc))
			return 0;
	}
	return name->comps.n;
}

static struct exp *join_cond(struct arena *a, struct exp *x, struct exp *y)
{
	if (!x)
		return y;
	if (!y)
		return x;
	struct exp *e = arena_alloc(a, sizeof *e);
	e->kind = E_AND;
	e->op = "&&";
	e->pos = x->pos;
	e->a0 = x;
	e->a1 = y;
	return e;
}

static struct stmt *join_blocks(struct arena *a, struct stmt *x, struct stmt *y)
{
	struct stmt *b = arena_alloc(a, sizeof *b);
	b->kind = S_BLOCK;
	b->pos = x ? x->pos : y->pos;
	if (x)
		ast_vec_push(a, &b->body, x);
	if (y)
		ast_vec_push(a, &b->body, y);
	return b;
}

/* Expand `use` (whose point `pt` matched alias `al` on its first `nmatch` components). */
static int expand_alias(struct derive *d, struct probe *use, struct probe_point *pt,
                        struct alias *al, int nmatch)
{
	struct arena *a = &d->s->script_arena;
	for (struct probe *q = use; q; q = q->base)
		if (q->alias == al) {
			diag_error(&d->s->diag, "semantic", NULL, NULL,
			           "recursive loop in alias expansion of %s at %s:%d:%d",
			           pp_text(d->s, pt), pt->pos.file ? pt->pos.file->name : "",
			           pt->pos.line, pt->pos.col);
			return -1;
		}
	struct probe *n = arena_alloc(a, sizeof *n);
	n->pos = pt->pos;
	n->base = use;
	n->alias = al;
	n->from_tapset = al->probe->from_tapset;
	n->privileged = use->privileged;
	for (int i = 0; i < al->probe->points.n; i++) {
		struct probe_point *np = elab_copy_point(a, al->probe->points.v[i]);
		for (int k = nmatch; k < pt->comps.n; k++)
			ast_vec_push(a, &np->comps, pt->comps.v[k]);
		np->cond = join_cond(a, np->cond, elab_copy_exp(a, pt->cond));
		np->optional = np->optional || pt->optional;
		ast_vec_push(a, &n->points, np);
	}
	struct stmt *ub = elab_copy_stmt(a, use->body);
	struct stmt *ab = elab_copy_stmt(a, al->probe->body);
	n->body = al->epilogue ? join_blocks(a, ub, ab) : join_blocks(a, ab, ub);
	bool save = d->optional;
	d->optional = d->optional || pt->optional;
	d->depth++;
	int r = derive_probe(d, n);
	d->depth--;
	d->optional = save;
	return r;
}

static void report_point(struct derive *d, struct probe_point *pt, const struct srcpos *pos,
                         const char *fmt, const char *arg)
{
	struct ppcomp *c0 = pt->comps.v[0];
	diag_error(&d->s->diag, "semantic", &c0->pos, point_desc(d->s, c0), "while resolving probe point");
	char msg[512];
	snprintf(msg, sizeof msg, fmt, arg ? arg : "");
	diag_error(&d->s->diag, "semantic", pos, point_desc(d->s, pt->comps.v[0]), "%s", msg);
}

/* One point of probe p: aliases first, then the provider that owns it. Returns the number of
   dprobes derived, -1 after an error. */
static int derive_point(struct derive *d, struct probe *p, struct probe_point *pt)
{
	struct session *s = d->s;
	struct elab_state *es = d->es;
	if (pt->comps.n == 0)
		return 0;
	if (tapset_load_alias(s, comp_functor(pt, 0)) < 0)
		return -1;
	/* full-length alias matches first; suffix matches only when there are none (stap) */
	int total = 0, matched = 0;
	for (int pass = 0; pass < 2 && !matched; pass++)
		for (int i = 0; i < es->aliases.n; i++) {
			struct alias *al = es->aliases.v[i];
			for (int k = 0; k < al->names.n; k++) {
				int m = alias_match(al->names.v[k], pt);
				if (!m || (pass == 0 && m != pt->comps.n) || (pass == 1 && m == pt->comps.n))
					continue;
				matched++;
				int r = expand_alias(d, p, pt, al, m);
				if (r < 0)
					return -1;
				total += r;
				break;
			}
		}
	if (matched)
		return total;
	const struct provider *prov = prov_find(pt);
	if (!prov) {
		if (pt->optional || d->optional)
			return 0;
		report_point(d, pt, &((struct ppcomp *)pt->comps.v[0])->pos, "probe point mismatch", NULL);
		return -1;
	}
	int before = s->nprobes;
	/* stap prints "while resolving probe point" before the provider's own error: hold the
	   provider's messages back until we know whether it failed */
	char *held = NULL;
	size_t heldlen = 0;
	FILE *save = s->diag.out, *mem = open_memstream(&held, &heldlen);
	if (mem)
		s->diag.out = mem;
	int r = prov->expand(s, p, pt);
	if (mem) {
		fclose(mem);
		s->diag.out = save;
	}
	if (r < 0 && !(pt->optional || d->optional) && d->depth == 0) {
		struct ppcomp *c0 = pt->comps.v[0];
		diag_error(&s->diag, "semantic", &c0->pos, point_desc(s, c0), "while resolving probe point");
	}
	if (held && (r >= 0 || !(pt->optional || d->optional)))
		fwrite(held, 1, heldlen, s->diag.out);
	free(held);
	if (r < 0)
		return -1;
	for (int i = before; i < s->nprobes; i++)
		s->probes[i]->point = pt;
	return s->nprobes - before;
}

static int derive_probe(struct derive *d, struct probe *p)
{
	int total = 0, err = 0;
	for (int i = 0; i < p->points.n; i++) {
		struct probe_point *pt = p->points.v[i];
		int errs = d->s->diag.errors;
		int r = derive_point(d, p, pt);
		if (r < 0) {
			if (d->depth > 0 && !(pt->optional || d->optional))
				return -1;
			if (!(pt->optional || d->optional))
				err = 1;
			else
				d->s->diag.errors = errs;   /* an optional point's failure is no error */
			continue;
		}
		if (r == 0 && !(pt->optional || d->optional)) {
			if (d->depth > 0)
				return -1;
			struct ppcomp *c0 = pt->comps.v[0];
			diag_error(&d->s->diag, "semantic", &c0->pos, point_desc(d->s, c0), "while resolving probe point");
			diag_error(&d->s->diag, "semantic", NULL, NULL, "no match");
			err = 1;
			continue;
		}
		total += r;
		if (pt->sufficient && r > 0)
			break;
	}
	return err && d->depth == 0 ? -1 : total;
}

static int derive_all(struct session *s, struct file *user)
{
	struct derive d = { s, s->elab, NULL, false, 0 };
	int err = 0;
	for (int i = 0; i < user->probes.n; i++) {
		d.user = user->probes.v[i];
		if (derive_probe(&d, d.user) < 0)
			err++;
	}
	/* the handlers: distinct dprobe->src, in order */
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *src = s->probes[i]->src;
		s->probes[i]->index = i;
		bool seen = false;
		for (int k = 0; k < s->elab->handlers.n && !seen; k++)
			seen = s->elab->handlers.v[k] == src;
		if (!seen)
			ast_vec_push(&s->script_arena, &s->elab->handlers, src);
	}
	return err;
}

/* ---- embedded C: ustap never runs it ---- */

static int refuse_embedded(struct session *s, struct file *f)
{
	int n = 0;
	for (int i = 0; i < f->embeds.n; i++, n++) {
		struct stmt *st = f->embeds.v[i];
		diag_error(&s->diag, "semantic", &st->pos, "embedded-code", "embedded C code is not supported by ustap");
	}
	for (int i = 0; i < f->functions.n; i++) {
		struct funcdecl *fd = f->functions.v[i];
		if (fd->embedded || (fd->body && fd->body->kind == S_EMBEDDED)) {
			diag_error(&s->diag, "semantic", &fd->pos, "embedded-code",
			           "embedded C code is not supported by ustap");
			n++;
		}
	}
	return n;
}

int elab_run(struct session *s, struct file *user)
{
	struct elab_state *es = arena_alloc(&s->script_arena, sizeof *es);
	s->elab = es;
	es->user = user;
	es->ts = tapset_index(s);
	elab_add_file(s, user);
	int start_errors = s->diag.errors;
	if (refuse_embedded(s, user))
		return s->diag.errors - start_errors;
	derive_all(s, user);
	if (s->diag.errors > start_errors)
		return s->diag.errors - start_errors;
	if (elab_symbols(s) != 0 || s->diag.errors > start_errors)
		return s->diag.errors - start_errors;
	if (elab_tvars(s) != 0 || s->diag.errors > start_errors)
		return s->diag.errors - start_errors;
	if (!s->opt.unoptimized)
		elab_optimize(s);
	if (type_infer(s) != 0 || s->diag.errors > start_errors)
		return s->diag.errors - start_errors;
	if (!s->opt.unoptimized)
		elab_elide_empty(s);
	if (s->nprobes == 0) {
		diag_error(&s->diag, "semantic", NULL, NULL, "no probes found");
		return s->diag.errors - start_errors;
	}
	return 0;
}

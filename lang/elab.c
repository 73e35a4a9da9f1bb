/*
** Elaboration driver and probe derivation: user probes are matched against probe aliases
** (script and tapset, wildcards, suffixes, alias on alias) and handed to their providers,
** which add derived probes. Then symbols (elab_sym.c), $target slots, types (types.c).
*/
#include "elab.h"

#include <stdarg.h>
#include <ctype.h>
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

int elab_levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 2 * (int)(la > lb ? la : lb);
	int d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			/* stap's penalties: substitution 2 (1 between cases), insertion and deletion 2 */
			int sub = a[i - 1] == b[j - 1] ? 0 : tolower((unsigned char)a[i - 1]) ==
			          tolower((unsigned char)b[j - 1]) ? 1 : 2;
			int c = d[i - 1][j - 1] + sub;
			int x = d[i - 1][j] + 2, y = d[i][j - 1] + 2;
			d[i][j] = c < x ? (c < y ? c : y) : (x < y ? x : y);
		}
	return d[la][lb];
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* stap's levenshtein_suggest: over the sorted, distinct names, keep the max lowest scores
   (a tie never displaces an earlier name), print them by score. */
int elab_levenshtein_suggest(const char *name, struct ptrvec *names, int max, char *out, size_t outlen)
{
	if (names->n)   /* names->v is NULL when empty: qsort(NULL, 0) is UB */
		qsort(names->v, (size_t)names->n, sizeof(void *), cmp_cstr);
	const char *best[16];
	int bd[16], nb = 0;
	if (max > 16)
		max = 16;
	for (int i = 0; i < names->n; i++) {
		const char *c = names->v[i];
		if (!*c || (i > 0 && !strcmp(c, names->v[i - 1])))
			continue;
		int dist = elab_levenshtein(name, c);
		if (nb == max && dist >= bd[nb - 1])
			continue;
		int k = nb < max ? nb++ : max - 1;
		while (k > 0 && bd[k - 1] > dist) {
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

void elab_error2(struct session *s, const struct srcpos *pos, const char *desc,
                 const struct srcpos *pos2, const char *desc2, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char *buf = NULL;
	size_t len = 0;
	FILE *save = s->diag.out, *mem = open_memstream(&buf, &len);
	if (!mem) {
		diag_error(&s->diag, "semantic", pos, desc, "%s", msg);
		return;
	}
	s->diag.out = mem;
	diag_error(&s->diag, "semantic", pos, desc, "%s", msg);
	int before = s->diag.suppressed_errors;
	fclose(mem);
	s->diag.out = save;
	if (len && before == s->diag.suppressed_errors) {
		/* the second place goes between the first's caret and the closing blank line */
		fwrite(buf, 1, len - 1, save);
		/* stap's print_token: after the first place, one in the same file is abbreviated */
		fprintf(save, "%s at %s:%d:%d\n", desc2, pos2->file && pos2->file != s->diag.last_file ?
		        pos2->file->name : "", pos2->line, pos2->col);
		s->diag.last_file = pos2->file;
		diag_source(&s->diag, pos2);
		fputc('\n', save);
	}
	free(buf);
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
	bool quiet;               /* an optional point: failures are no errors */
	bool rethrow;             /* inside an alias-with-suffix expansion: the caller reports */
	bool has_r;
	char rmsg[512];           /* the first error held for the caller */
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

/* The head of stap's chained error; stap dedups the whole chain, so this line repeats. */
static void resolving_error(struct session *s, const struct ppcomp *c0)
{
	int v = s->diag.verbose;
	s->diag.verbose = 1;
	diag_error(&s->diag, "semantic", &c0->pos, point_desc(s, c0), "while resolving probe point");
	s->diag.verbose = v;
}

/* stap's "while resolving probe point" pair; held for the caller in a suffix expansion. */
static void point_error(struct derive *d, struct probe_point *pt, const struct srcpos *pos,
                        const char *desc, const char *msg)
{
	if (d->quiet)
		return;
	if (d->rethrow) {
		if (!d->has_r)
			snprintf(d->rmsg, sizeof d->rmsg, "%s", msg);
		d->has_r = true;
		return;
	}
	struct ppcomp *c0 = pt->comps.v[0];
	resolving_error(d->s, c0);
	diag_error(&d->s->diag, "semantic", pos, desc, "%s", msg);
}

/* Expand `use` (whose point `pt` matched alias `al` on its first `nmatch` components). */
static int expand_alias(struct derive *d, struct probe *use, struct probe_point *pt,
                        struct alias *al, int nmatch)
{
	struct arena *a = &d->s->script_arena;
	for (struct probe *q = use; q; q = q->base)
		if (q->alias == al) {
			char msg[512];
			snprintf(msg, sizeof msg, "recursive loop in alias expansion of %s at %s:%d:%d",
			         pp_text(d->s, pt), pt->pos.file ? pt->pos.file->name : "",
			         pt->pos.line, pt->pos.col);
			point_error(d, pt, NULL, NULL, msg);
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
	if (nmatch == pt->comps.n) {
		/* the expansion reports its own failures; the caller then sees no match */
		bool save = d->rethrow;
		d->rethrow = false;
		int r = derive_probe(d, n);
		d->rethrow = save;
		return r < 0 ? 0 : r;
	}
	/* with a suffix, a failure is reported at the user's first suffix component (stap) */
	bool save = d->rethrow, save_has = d->has_r;
	char save_msg[sizeof d->rmsg];
	memcpy(save_msg, d->rmsg, sizeof save_msg);
	d->rethrow = true;
	d->has_r = false;
	int r = derive_probe(d, n);
	bool failed = r < 0 && d->has_r;
	char msg[sizeof d->rmsg];
	memcpy(msg, d->rmsg, sizeof msg);
	d->rethrow = save;
	d->has_r = save_has;
	memcpy(d->rmsg, save_msg, sizeof save_msg);
	if (failed) {
		struct ppcomp *sc = pt->comps.v[nmatch];
		point_error(d, pt, &sc->pos, point_desc(d->s, sc), msg);
		return -1;
	}
	return r < 0 ? -1 : r;
}

/* Leading components of alias name np that pt has too (stap's match_node tree) */
static int common_prefix(const struct probe_point *np, const struct probe_point *pt)
{
	int k = 0;
	while (k < np->comps.n && k < pt->comps.n && !strcmp(comp_functor(np, k), comp_functor(pt, k)))
		k++;
	return k;
}

/* pt's first components name aliases (a.q of a.q.b and a.q.e) but its next one none: stap
   fails at that component, suggesting the ones its tree has there (similar: b, e). */
static bool alias_level_mismatch(struct derive *d, struct probe_point *pt)
{
	int level = 0;
	for (int i = 0; i < d->es->aliases.n; i++) {
		struct alias *al = d->es->aliases.v[i];
		for (int k = 0; k < al->names.n; k++) {
			int c = common_prefix(al->names.v[k], pt);
			if (c < ((struct probe_point *)al->names.v[k])->comps.n && c > level)
				level = c;
		}
	}
	if (level == 0 || level >= pt->comps.n)
		return false;
	struct ptrvec names = {0};
	for (int i = 0; i < d->es->aliases.n; i++) {
		struct alias *al = d->es->aliases.v[i];
		for (int k = 0; k < al->names.n; k++) {
			struct probe_point *np = al->names.v[k];
			if (common_prefix(np, pt) >= level && np->comps.n > level &&
			    !strchr(comp_functor(np, level), '*'))
				ast_vec_push(&d->s->script_arena, &names, (void *)comp_functor(np, level));
		}
	}
	struct ppcomp *c = pt->comps.v[level];
	char sugs[512], msg[700];
	int n = elab_levenshtein_suggest(c->functor, &names, 5, sugs, sizeof sugs);
	snprintf(msg, sizeof msg, "probe point mismatch%s%s%s", n ? " (similar: " : "", n ? sugs : "",
	         n ? ")" : "");
	point_error(d, pt, &c->pos, point_desc(d->s, c), msg);
	return true;
}

/* No provider owns pt: "invalid suffix" when one owns a prefix of it, else a mismatch. */
static void no_provider(struct derive *d, struct probe_point *pt)
{
	struct probe_point tr = *pt;
	for (int k = pt->comps.n - 1; k >= 1; k--) {
		tr.comps.n = k;
		if (prov_find(&tr)) {
			struct ppcomp *c = pt->comps.v[k];
			point_error(d, pt, &c->pos, point_desc(d->s, c), "invalid suffix for probe");
			return;
		}
	}
	if (alias_level_mismatch(d, pt))
		return;
	struct ppcomp *c0 = pt->comps.v[0];
	/* stap suggests the functors known at that level: the families and the aliases */
	static const char *const families[] = { "begin", "end", "error", "never", "timer", "process",
		"kernel", "module", "perf", NULL };
	struct ptrvec names = {0};
	for (int i = 0; families[i]; i++)
		ast_vec_push(&d->s->script_arena, &names, (void *)families[i]);
	tapset_alias_names(d->s, &names);
	for (int i = 0; i < d->es->aliases.n; i++) {
		struct alias *al = d->es->aliases.v[i];
		for (int k = 0; k < al->names.n; k++) {
			const char *f = comp_functor(al->names.v[k], 0);
			if (!strchr(f, '*'))
				ast_vec_push(&d->s->script_arena, &names, (void *)f);
		}
	}
	char pre[128], sugs[512], msg[700];
	snprintf(pre, sizeof pre, "%s", c0->functor);
	char *star = strchr(pre, '*');
	if (star && star != pre)
		*star = 0;      /* stap suggests on the part before the glob */
	int n = star == pre ? 0 : elab_levenshtein_suggest(pre, &names, 5, sugs, sizeof sugs);
	snprintf(msg, sizeof msg, "probe point mismatch%s%s%s%s",
	         strchr(c0->functor, '*') ? ": didn't find any wildcard matches" : "",
	         n ? " (similar: " : "", n ? sugs : "", n ? ")" : "");
	point_error(d, pt, &c0->pos, point_desc(d->s, c0), msg);
}

/* Hand pt to its provider; its diagnostics follow our "while resolving probe point". */
static int provider_expand(struct derive *d, const struct provider *prov, struct probe *p,
                           struct probe_point *pt)
{
	struct session *s = d->s;
	int before = s->nprobes;
	char *held = NULL;
	size_t heldlen = 0;
	int errs = s->diag.errors;
	FILE *save = s->diag.out, *mem = open_memstream(&held, &heldlen);
	if (mem)
		s->diag.out = mem;
	/* held errors are printed after "while resolving probe point" (its file abbreviates theirs) */
	const void *lf = s->diag.last_file;
	s->diag.last_file = ((struct ppcomp *)pt->comps.v[0])->pos.file;
	int r = prov->expand(s, p, pt);
	if (mem) {
		fclose(mem);
		s->diag.out = save;
	}
	const void *held_lf = heldlen ? s->diag.last_file : lf;
	s->diag.last_file = lf;
	if (r < 0) {
		if (d->quiet) {
			s->diag.errors = errs;
		} else {
			struct ppcomp *c0 = pt->comps.v[0];
			if (d->rethrow)
				d->has_r = false;   /* printed here: nothing for the caller to re-aim */
			resolving_error(s, c0);
			s->diag.last_file = held_lf;
			if (held)
				fwrite(held, 1, heldlen, s->diag.out);
		}
		free(held);
		return -1;
	}
	if (held)
		fwrite(held, 1, heldlen, s->diag.out);   /* warnings */
	s->diag.last_file = held_lf;
	free(held);
	for (int i = before; i < s->nprobes; i++)
		s->probes[i]->point = pt;
	return s->nprobes - before;
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
	struct match { struct alias *al; int m; const char *key; } *ms = NULL;
	int nms = 0;
	for (int pass = 0; pass < 2 && !nms; pass++)
		for (int i = 0; i < es->aliases.n; i++) {
			struct alias *al = es->aliases.v[i];
			for (int k = 0; k < al->names.n; k++) {
				int m = alias_match(al->names.v[k], pt);
				if (!m || (pass == 0 && m != pt->comps.n) || (pass == 1 && m == pt->comps.n))
					continue;
				struct match *n = arena_alloc(&s->script_arena, sizeof *n * (size_t)(nms + 1));
				if (nms)
					memcpy(n, ms, sizeof *n * (size_t)nms);
				ms = n;
				struct strbuf sb;
				sb_init(&sb);
				ast_print_point(&sb, al->names.v[k]);
				ms[nms++] = (struct match){ al, m, arena_strdup(&s->script_arena, sb.buf ? sb.buf : "") };
				sb_free(&sb);
				break;
			}
		}
	/* a wildcard visits stap's match tree in name order; equal names keep definition order */
	for (int i = 1; i < nms; i++)
		for (int j = i; j > 0 && strcmp(ms[j - 1].key, ms[j].key) > 0; j--) {
			struct match x = ms[j];
			ms[j] = ms[j - 1];
			ms[j - 1] = x;
		}
	int total = 0, matched = nms, err = 0;
	for (int i = 0; i < nms; i++) {
		int r = expand_alias(d, p, pt, ms[i].al, ms[i].m);
		if (r < 0)
			err = 1;
		else
			total += r;
	}
	if (matched)
		return err && total == 0 ? -1 : total;
	const struct provider *prov = prov_find(pt);
	if (!prov) {
		no_provider(d, pt);
		return -1;
	}
	return provider_expand(d, prov, p, pt);
}

static int derive_probe(struct derive *d, struct probe *p)
{
	int total = 0, err = 0;
	for (int i = 0; i < p->points.n; i++) {
		struct probe_point *pt = p->points.v[i];
		bool save = d->quiet;
		d->quiet = d->quiet || pt->optional;
		int r = derive_point(d, p, pt);
		if (r == 0 && !d->quiet) {
			point_error(d, pt, NULL, NULL, "no match");
			r = -1;
		}
		d->quiet = save;
		if (r < 0) {
			if (!pt->optional)
				err = 1;
			continue;
		}
		total += r;
		if (pt->sufficient && r > 0)
			break;
	}
	return err ? -1 : total;
}

static int derive_all(struct session *s, struct file *user)
{
	struct derive d = { s, s->elab, NULL, false, false, false, {0} };
	int err = 0, n0 = s->nprobes;
	for (int i = 0; i < user->probes.n; i++) {
		d.user = user->probes.v[i];
		if (derive_probe(&d, d.user) < 0)
			err++;
	}
	/* the handlers: distinct dprobe->src, in order */
	for (int i = n0; i < s->nprobes; i++) {
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
			diag_error(&s->diag, "semantic", fd->body ? &fd->body->pos : &fd->pos, "embedded-code",
			           "embedded C code is not supported by ustap");
			n++;
		}
	}
	return n;
}

/* stap's register_library_aliases: an alias name may not have a '*' component nor a
   parameter (here for the user's aliases; tapset files are checked as they load in stap,
   and ustap's have none of these). */
static int check_alias_names(struct session *s, struct file *f)
{
	int err = 0;
	for (int i = 0; i < f->aliases.n; i++) {
		struct alias *al = f->aliases.v[i];
		const char *why = NULL;
		for (int n = 0; n < al->names.n && !why; n++) {
			struct probe_point *pt = al->names.v[n];
			for (int c = 0; c < pt->comps.n && !why; c++) {
				struct ppcomp *pc = pt->comps.v[c];
				if (pc->arg)
					why = arena_printf(&s->script_arena, "alias component %s contains "
					                   "illegal parameter", pc->functor);
				else if (!strcmp(pc->functor, "*"))
					why = "invalid use of wildcard probe point component";
			}
		}
		if (!why)
			continue;
		diag_error(&s->diag, "semantic", &al->pos, "keyword", "while registering probe alias");
		diag_error(&s->diag, "semantic", NULL, NULL, "%s", why);
		err++;
		struct ptrvec *all = &s->elab->aliases;   /* it never registers */
		int k = 0;
		for (int j = 0; j < all->n; j++)
			if (all->v[j] != al)
				all->v[k++] = all->v[j];
		all->n = k;
	}
	return err;
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
	check_alias_names(s, user);   /* stap goes on: the probes still resolve */
	derive_all(s, user);
	/* stap resolves the symbols of the probes that did derive in the same pass; a tapset
	   file pulled in by a symbol brings its probes too (stap's semantic_pass_symbols walks
	   s.files while it grows), whose handlers may pull in more files */
	for (es->files_derived = 1;; es->files_derived++) {
		if (elab_symbols(s) != 0 || s->diag.errors > start_errors)
			return s->diag.errors - start_errors;
		if (es->files_derived >= es->files.n)
			break;
		derive_all(s, es->files.v[es->files_derived]);
	}
	if (elab_tvars(s) != 0 || s->diag.errors > start_errors)
		return s->diag.errors - start_errors;
	/* stap finds a bad lvalue or a foreach'd array modified while it collects variable uses:
	   in the optimiser (after its warnings), or with -u only after the types */
	if (!s->opt.unoptimized) {
		elab_optimize(s);
		if (elab_checks(s) != 0)
			return s->diag.errors - start_errors;
	}
	if (type_infer(s) != 0 || s->diag.errors > start_errors)
		return s->diag.errors - start_errors;
	elab_fold_all(s, true);
	if (s->opt.unoptimized && elab_checks(s) != 0)
		return s->diag.errors - start_errors;
	if (!s->opt.unoptimized)
		elab_elide_empty(s);
	if (elab_late_checks(s) != 0)
		return s->diag.errors - start_errors;
	elab_display_globals(s);
	if (s->nprobes == 0) {
		diag_error(&s->diag, "semantic", NULL, NULL, "no probes found");
		return s->diag.errors - start_errors;
	}
	return 0;
}

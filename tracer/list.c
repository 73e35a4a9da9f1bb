/*
** -l / -L: list the probe points a pattern matches, as stap's printscript does: sorted and
** unique, aliases by their own names, with their locals and target variables for -L.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elab.h"
#include "lang.h"
#include "list.h"
#include "provider.h"
#include "session.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Print the lines of text sorted and without duplicates, as stap's -l/-L does. */
static void print_sorted(char *text)
{
	char **v = NULL;
	int n = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		v = realloc(v, (n + 1) * sizeof(*v));
		if (!v)
			abort();
		v[n++] = line;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (int i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			puts(v[i]);
	free(v);
}

static bool same_arg(const struct ppcomp *a, const struct ppcomp *b)
{
	if (!a->arg || !b->arg)
		return !a->arg && !b->arg;
	if (a->arg->kind != b->arg->kind)
		return false;
	return a->arg->kind == E_NUM ? a->arg->num == b->arg->num
	                             : !strcmp(a->arg->str ? a->arg->str : "", b->arg->str ? b->arg->str : "");
}

/* Add word to v (a NULL-terminated malloc'd list) unless there; its count in cnt. */
static int add_word(char ***v, int **cnt, int n, const char *word)
{
	for (int i = 0; i < n; i++)
		if (!strcmp((*v)[i], word))
			return ++(*cnt)[i], n;
	*v = realloc(*v, (n + 1) * sizeof(**v));
	*cnt = realloc(*cnt, (n + 1) * sizeof(**cnt));
	if (!*v || !*cnt)
		abort();
	(*v)[n] = strdup(word);
	(*cnt)[n] = 1;
	return n + 1;
}

/* -L on an alias, as stap's printscript: the alias locals (name:type) then the target
   variables, each kept only when every derived probe has it, in first-seen order. */
static void alias_vars(struct session *s, struct strbuf *out)
{
	char **v = NULL;
	int *cnt = NULL, n = 0, nlines = 0;
	struct probe *src = s->nprobes ? s->probes[0]->src : NULL;
	for (int i = 0; src && i < src->locals.n; i++) {
		const struct vardecl *d = src->locals.v[i];
		char word[256];
		snprintf(word, sizeof word, "%s:%s", d->name, ast_type_name(d->type));
		n = add_word(&v, &cnt, n, word);
	}
	int nlocals = n;
	for (int i = 0; i < nlocals; i++)
		cnt[i] = -1;   /* locals: from the one handler, always shown */
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		if (!p->prov->list || !p->point)
			continue;
		struct strbuf lines;
		sb_init(&lines);
		p->prov->list(s, p->point, true, &lines);
		for (char *l = lines.buf, *nl; l && *l; l = nl ? nl + 1 : l + strlen(l)) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = '\0';
			nlines++;
			/* "PP $a:int $b:char const*": arguments start at " $" (types have spaces) */
			char *a = strstr(l, " $");
			while (a) {
				char *next = strstr(a + 1, " $");
				if (next)
					*next = '\0';
				n = add_word(&v, &cnt, n, a + 1);
				a = next;
			}
		}
		sb_free(&lines);
	}
	for (int i = 0; i < n; i++) {
		if (cnt[i] < 0 || cnt[i] == nlines)
			sb_printf(out, " %s", v[i]);
		free(v[i]);
	}
	free(v);
	free(cnt);
}

/* stap lists a pattern that names aliases by the alias names (syscall.open), not by what
   they expand to. As elaboration does: full-length matches, else prefix matches with the
   rest of the pattern appended. Returns how many lines were added. */
static int list_aliases(struct session *s, struct strbuf *out)
{
	struct elab_state *es = s->elab;
	if (!es || !es->user || !es->user->probes.n)
		return 0;
	struct probe *up = es->user->probes.v[0];
	struct probe_point *pt = up->points.n ? up->points.v[0] : NULL;
	int n = 0;
	for (int pass = 0; pt && pass < 2 && !n; pass++)
		for (int i = 0; i < es->aliases.n; i++) {
			struct alias *al = es->aliases.v[i];
			for (int k = 0; k < al->names.n; k++) {
				struct probe_point *name = al->names.v[k], full = *pt;
				int m = name->comps.n;
				bool ok = m <= pt->comps.n && (pass == 0) == (m == pt->comps.n);
				for (int c = 0; ok && c < m; c++) {
					const struct ppcomp *nc = name->comps.v[c], *uc = pt->comps.v[c];
					ok = elab_glob(uc->functor, nc->functor) && same_arg(nc, uc);
				}
				if (!ok)
					continue;
				memset(&full.comps, 0, sizeof full.comps);
				for (int c = 0; c < pt->comps.n; c++)
					ast_vec_push(&s->arena, &full.comps,
					             c < m ? name->comps.v[c] : pt->comps.v[c]);
				sb_printf(out, "%s%s\n", pp_text(s, &full), pt->optional ? "?" : "");
				n++;
			}
		}
	/* -L: the variables go with one alias; which dprobe came from which of several
	   aliases is elaboration's secret, so several aliases list their names only */
	if (n == 1 && s->opt.list_vars) {
		out->buf[--out->len] = '\0';
		alias_vars(s, out);
		sb_putc(out, '\n');
	}
	return n;
}

/* -l/-L: elaborate "probe PATTERN {}" quietly, then one line per match (a provider with a
   ->list prints its own lines, with $vars for -L). Exit 1 when nothing matches, as stap. */
int list_run(struct session *s)
{
	s->opt.script_text = arena_printf(&s->arena, "probe %s {}", s->opt.list);
	s->opt.unoptimized = true;   /* keep the empty probe: it is the one being listed */
	FILE *null = fopen("/dev/null", "w");
	FILE *save = s->diag.out;
	if (null && s->opt.verbose == 0)
		s->diag.out = null;
	int rc = lang_load(s);
	s->diag.out = save;
	if (null)
		fclose(null);
	if (rc || s->nprobes == 0)
		return 1;
	struct strbuf out;
	sb_init(&out);
	for (int i = list_aliases(s, &out) ? s->nprobes : 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		bool done = false;
		for (int j = 0; j < i && !done; j++)
			done = s->probes[j]->prov == p->prov && s->probes[j]->point == p->point;
		if (done)
			continue;
		if (p->prov->list && p->point) {
			p->prov->list(s, p->point, s->opt.list_vars, &out);
		} else {
			sb_puts(&out, p->pp);
			if (p->point && p->point->optional)
				sb_putc(&out, '?');
			sb_putc(&out, '\n');
		}
	}
	if (out.buf)
		print_sorted(out.buf);
	sb_free(&out);
	fflush(stdout);
	return 0;
}


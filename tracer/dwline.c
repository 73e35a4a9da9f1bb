/*
** Line records for .statement("f@file:N") and .function("f@file:N"): stap's
** collect_lines_for_single_lineno / collect_all_lines over a function's ranges (out-of-line
** functions first, then inlined instances), each address probed once.
*/
#include <fnmatch.h>
#include <stdlib.h>

#include "dwarf_int.h"

struct lrec {
	int line;
	uint64_t addr;
	const char *src;
};

static int cmp_lrec(const void *a, const void *b)
{
	const struct lrec *x = a, *y = b;
	if (x->line != y->line)
		return x->line - y->line;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* The CU's line records from files matching file_glob, by (line, address): stap's
   get_cu_lines_sorted_by_lineno. malloc'd; *n records. */
static struct lrec *cu_lines(Dwarf_Die *cu, const char *file_glob, int *n)
{
	Dwarf_Lines *lines;
	size_t nl;
	struct lrec *v;

	*n = 0;
	if (dwarf_getsrclines(cu, &lines, &nl) != 0 || !(v = malloc((nl + 1) * sizeof *v)))
		return NULL;
	for (size_t i = 0; i < nl; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		const char *src = dwarf_linesrc(l, NULL, NULL);
		bool end = false;
		dwarf_lineendsequence(l, &end);
		if (end || !dw_file_match(file_glob, src))
			continue;
		Dwarf_Addr a;
		dwarf_lineaddr(l, &a);
		dwarf_lineno(l, &v[*n].line);
		v[*n].addr = a;
		v[(*n)++].src = src;
	}
	qsort(v, *n, sizeof *v, cmp_lrec);
	return v;
}

/* The lowest-addressed record of the run v[i..] (one line number) inside die, or -1;
   *next: the index after the run. */
static int first_in_die(const struct lrec *v, int n, int i, Dwarf_Die *die, int *next)
{
	int best = -1;
	int j;
	for (j = i; j < n && v[j].line == v[i].line; j++)
		if (best < 0 && dwarf_haspc(die, v[j].addr) == 1)
			best = j;
	*next = j;
	return best;
}

/* stap's collect_all_lines / collect_lines_for_single_lineno for one function: line N,
   or (N = 0) each line from the entry's on, stopping at the first without code in it. */
static int func_lines(struct dw_module *m, const struct dw_func *f, const char *file_glob,
                      int line, dw_line_cb cb, void *arg)
{
	Dwarf_Die die, cu;
	int n, k = 0, i, next;
	struct lrec *v;

	if (!dw_func_die(m, f, &die) || !dwarf_diecu(&die, &cu, NULL, NULL) ||
	    !(v = cu_lines(&cu, file_glob, &n)))
		return 0;
	if (line > 0) {
		for (i = 0; i < n && v[i].line < line; i++)
			;
		if (i < n && v[i].line == line && (i = first_in_die(v, n, i, &die, &next)) >= 0) {
			struct dw_line dl = { f, v[i].src, v[i].line, v[i].addr };
			cb(arg, &dl);
			k++;
		}
		free(v);
		return k;
	}
	/* stap's get_func_first_line: dwarf_getsrc_die at the entry (the last record there),
	   else the first record of the CU, by address, inside the function */
	int start = -1;
	Dwarf_Line *fl = dwarf_getsrc_die(&cu, f->entry);
	Dwarf_Addr fa = 0;
	if (fl && dwarf_lineaddr(fl, &fa) == 0 && fa == f->entry)
		dwarf_lineno(fl, &start);
	else {
		Dwarf_Lines *ls;
		size_t nl;
		if (dwarf_getsrclines(&cu, &ls, &nl) == 0)
			for (size_t j = 0; j < nl && start < 0; j++) {
				Dwarf_Line *l = dwarf_onesrcline(ls, j);
				dwarf_lineaddr(l, &fa);
				if (dwarf_haspc(&die, fa) == 1)
					dwarf_lineno(l, &start);
			}
	}
	for (i = 0; i < n && v[i].line < start; i++)
		;
	while (i < n) {
		int best = first_in_die(v, n, i, &die, &next);
		if (best < 0)
			break;
		struct dw_line dl = { f, v[best].src, v[best].line, v[best].addr };
		cb(arg, &dl);
		k++;
		i = next;
	}
	free(v);
	return k;
}

/* stap probes each address once: a line whose first address an earlier line already took
   (several records at one address, common at -O2) is not a probe point of its own. */
struct uniq {
	dw_line_cb cb;
	void *arg;
	uint64_t *seen;
	int n, cap, passed;
};

static void uniq_cb(void *arg, const struct dw_line *l)
{
	struct uniq *u = arg;

	for (int i = 0; i < u->n; i++)
		if (u->seen[i] == l->addr)
			return;
	if (u->n == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 64;
		if (!(u->seen = realloc(u->seen, u->cap * sizeof *u->seen)))
			abort();
	}
	u->seen[u->n++] = l->addr;
	u->passed++;
	u->cb(u->arg, l);
}

int dw_lines(struct dw_module *m, const char *func_glob, const char *file_glob, int line,
             dw_line_cb cb, void *arg)
{
	struct uniq u = { cb, arg };

	dw_load_funcs(m);
	/* out-of-line functions first, then inlined instances (foo@f.c:6 where foo exists only
	   inlined): an address a caller's line already took stays the caller's, as in stap */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < m->nfuncs; i++) {
			const struct dw_func *f = &m->funcs[i];
			if (f->has_dwarf && f->inlined == pass && fnmatch(func_glob, f->name, 0) == 0)
				func_lines(m, f, file_glob ? file_glob : "*", line, uniq_cb, &u);
		}
	free(u.seen);
	return u.passed;
}

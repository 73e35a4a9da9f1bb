/*
** -l / -L for process probes, in stap's text: process("/p").function("f@file.c:12") then,
** with -L, " $name:type" for each parameter and local visible and located at the probe
** address (tapsets.cxx saveargs), types named as dwarf_wrappers.cxx dwarf_type_name does.
*/
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dwarf_int.h"
#include "session.h"

static bool type_name_rec(Dwarf_Die *t, struct strbuf *o, Dwarf_Die *sub, bool *has_sub);

static bool type_modifier(Dwarf_Die *t, struct strbuf *o, Dwarf_Die *sub, bool *has_sub)
{
	Dwarf_Die st_mem, *st;
	Dwarf_Attribute at;
	int tag = dwarf_tag(t);

	st = dwarf_formref_die(dwarf_attr(t, DW_AT_type, &at), &st_mem);
	if (st && tag == DW_TAG_pointer_type && dwarf_tag(st) == DW_TAG_structure_type &&
	    !strcmp(dwarf_diename(st) ? dwarf_diename(st) : "", "__va_list_tag")) {
		sb_puts(o, "va_list");
		return true;
	}
	if (!st || !type_name_rec(st, o, sub, has_sub))
		sb_puts(o, "void");
	switch (tag) {
	case DW_TAG_reference_type: sb_puts(o, "&"); break;
	case DW_TAG_rvalue_reference_type: sb_puts(o, "&&"); break;
	case DW_TAG_pointer_type: sb_puts(o, "*"); break;
	case DW_TAG_array_type: sb_puts(o, "[]"); break;
	case DW_TAG_const_type:
		if (!st || (dwarf_tag(st) != DW_TAG_reference_type &&
		            dwarf_tag(st) != DW_TAG_rvalue_reference_type))
			sb_puts(o, " const");
		break;
	case DW_TAG_volatile_type: sb_puts(o, " volatile"); break;
	case DW_TAG_restrict_type: sb_puts(o, " restrict"); break;
	default: return false;
	}
	return true;
}

static bool type_name_rec(Dwarf_Die *t, struct strbuf *o, Dwarf_Die *sub, bool *has_sub)
{
	const char *name;

	switch (dwarf_tag(t)) {
	case DW_TAG_enumeration_type: sb_puts(o, "enum "); break;
	case DW_TAG_structure_type: sb_puts(o, "struct "); break;
	case DW_TAG_union_type: sb_puts(o, "union "); break;
	case DW_TAG_class_type: sb_puts(o, "class "); break;
	case DW_TAG_typedef:
	case DW_TAG_base_type: break;
	case DW_TAG_reference_type: case DW_TAG_rvalue_reference_type:
	case DW_TAG_pointer_type: case DW_TAG_array_type: case DW_TAG_const_type:
	case DW_TAG_volatile_type: case DW_TAG_restrict_type:
		return type_modifier(t, o, sub, has_sub);
	case DW_TAG_subroutine_type:
		*sub = *t;
		*has_sub = true;
		return true;
	default:
		return false;
	}
	name = dwarf_diename(t);
	sb_puts(o, name ? name : "{...}");
	return true;
}

/* "int (*)(int, char*)": return type, the modifiers collected so far, the parameters. */
static bool subroutine_name(Dwarf_Die *sub, const char *mod, struct strbuf *o)
{
	Dwarf_Die rt, child;
	Dwarf_Attribute at;
	bool first = true;

	if (!dwarf_formref_die(dwarf_attr(sub, DW_AT_type, &at), &rt))
		sb_puts(o, "void");
	else if (!dw_type_name(&rt, o))
		return false;
	sb_printf(o, " (%s) (", mod);
	if (dwarf_child(sub, &child) == 0) {
		do {
			int tag = dwarf_tag(&child);
			if (tag != DW_TAG_unspecified_parameters && tag != DW_TAG_formal_parameter)
				continue;
			if (!first)
				sb_puts(o, ", ");
			first = false;
			if (tag == DW_TAG_unspecified_parameters)
				sb_puts(o, "...");
			else if (!dwarf_formref_die(dwarf_attr(&child, DW_AT_type, &at), &rt))
				sb_puts(o, "void");
			else if (!dw_type_name(&rt, o))
				return false;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	sb_puts(o, first ? "void)" : ")");
	return true;
}

bool dw_type_name(Dwarf_Die *type, struct strbuf *out)
{
	struct strbuf o;
	Dwarf_Die sub;
	bool has_sub = false, ok;

	sb_init(&o);
	sb_puts(&o, "");
	ok = type_name_rec(type, &o, &sub, &has_sub);
	if (ok && has_sub)
		ok = subroutine_name(&sub, o.buf, out);
	else if (ok)
		sb_puts(out, o.buf);
	sb_free(&o);
	return ok;
}

/* One scope's variables, as saveargs keeps them: named, located at pc (or constant), typed. */
static void scope_vars(Dwarf_Die *scope, uint64_t pc, struct strbuf *out)
{
	Dwarf_Die v, t;
	Dwarf_Attribute at;

	if (dwarf_child(scope, &v) != 0)
		return;
	do {
		int tag = dwarf_tag(&v);
		const char *name = dwarf_diename(&v);
		if ((tag != DW_TAG_variable && tag != DW_TAG_formal_parameter) || !name)
			continue;
		if (!dwarf_attr_integrate(&v, DW_AT_const_value, &at)) {
			Dwarf_Op *expr;
			size_t len;
			if (!dwarf_attr_integrate(&v, DW_AT_location, &at))
				continue;
			if (!(dwarf_getlocation_addr(&at, pc, &expr, &len, 1) == 1 && len > 0))
				continue;
		}
		if (!dwarf_formref_die(dwarf_attr_integrate(&v, DW_AT_type, &at), &t))
			continue;
		size_t mark = out->len;
		sb_printf(out, " $%s:", name);
		if (!dw_type_name(&t, out)) {
			out->len = mark;
			out->buf[mark] = 0;
		}
	} while (dwarf_siblingof(&v, &v) == 0);
}

/* Scopes from die outwards, stopping at the CU (no file-level variables). */
static void list_scopes(Dwarf_Die *die, uint64_t pc, struct strbuf *out)
{
	Dwarf_Die *scopes;
	int n = dwarf_getscopes_die(die, &scopes);

	for (int i = 0; i < n; i++) {
		if (dwarf_tag(&scopes[i]) == DW_TAG_compile_unit)
			break;
		scope_vars(&scopes[i], pc, out);
		/* stap's getscopes leaves an inlined instance for its abstract origin's parent
		   (the CU): the caller's variables are not in scope */
		if (dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine)
			break;
	}
	free(scopes);
}

static void return_var(Dwarf_Die *fn, struct strbuf *out)
{
	Dwarf_Die t;
	Dwarf_Attribute at;
	size_t mark = out->len;

	if (!dwarf_formref_die(dwarf_attr_integrate(fn, DW_AT_type, &at), &t))
		return;
	sb_puts(out, " $return:");
	if (!dw_type_name(&t, out)) {
		out->len = mark;
		out->buf[mark] = 0;
	}
}

/* dwarf_getscopes, except that a subprogram nested in another one outside its parent's
   ranges (gcc's main._omp_fn.0) is found too: its innermost block at pc, then its parents,
   as stap's getscopes(die) walks them. */
int dw_scopes_at(struct dw_module *m, Dwarf_Die *cu, uint64_t pc, Dwarf_Die **scopes)
{
	int n = dwarf_getscopes(cu, pc, scopes);
	const struct dw_func *f;
	Dwarf_Die d, k;

	for (int i = 0; i < n; i++)
		if (dwarf_tag(&(*scopes)[i]) == DW_TAG_subprogram)
			return n;
	if (!(f = dw_func_at(m, pc)) || !f->has_dwarf || f->inlined || !dw_func_die(m, f, &d) ||
	    dwarf_tag(&d) != DW_TAG_subprogram)
		return n;
	for (bool deeper = true; deeper;) {
		deeper = false;
		if (dwarf_child(&d, &k) == 0)
			do {
				int tag = dwarf_tag(&k);
				if ((tag == DW_TAG_lexical_block || tag == DW_TAG_inlined_subroutine) &&
				    dwarf_haspc(&k, pc) == 1) {
					d = k;
					deeper = true;
					break;
				}
			} while (dwarf_siblingof(&k, &k) == 0);
	}
	if (n > 0)
		free(*scopes);
	return dwarf_getscopes_die(&d, scopes);
}

/* outer: the line belongs to the out-of-line function around pc (stap lists its variables,
   not those of an instance inlined into it there). */
static void vars_at(struct dw_module *m, uint64_t pc, bool outer, struct strbuf *out)
{
	Dwarf_Die cu, *scopes;
	int n, k = 0;

	if (!m->dw || !dwarf_addrdie(m->dw, pc, &cu))
		return;
	n = dw_scopes_at(m, &cu, pc, &scopes);
	for (int i = 0; outer && i < n && dwarf_tag(&scopes[i]) != DW_TAG_subprogram; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine)
			k = i + 1;
	if (k < n)
		list_scopes(&scopes[k], pc, out);
	if (n > 0)
		free(scopes);
}

void dw_list_vars(struct session *s, struct dw_module *m, uint64_t pc, struct strbuf *out)
{
	(void)s;
	vars_at(m, pc, false, out);
}

/* One derived probe: its point text and " $a:int $b:char*" (the args of -L). */
struct entry {
	char *pp, *args;
	int seq;
};

struct list_q {
	struct session *s;
	struct dw_module *m;
	const char *prefix, *suffix;
	bool vars, is_return;
	struct entry *v;
	int n, cap;
};

static void add_entry(struct list_q *q, struct strbuf *pp, struct strbuf *args, bool late)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 64;
		q->v = realloc(q->v, q->cap * sizeof *q->v);
		if (!q->v)
			abort();
	}
	/* stap derives out-of-line functions before inlined instances */
	q->v[q->n] = (struct entry){ sb_steal(pp), sb_steal(args), q->n + (late ? 1 << 28 : 0) };
	q->n++;
}

static void list_func(void *arg, const struct dw_func *f)
{
	struct list_q *q = arg;
	struct strbuf sb, args;
	Dwarf_Die die;

	if (q->is_return && f->inlined)
		return;         /* no .return for inlined instances */
	sb_init(&sb);
	sb_init(&args);
	sb_puts(&args, "");
	sb_printf(&sb, "%s.function(\"%s", q->prefix, f->name);
	if (f->has_dwarf && f->file)
		sb_printf(&sb, "@%s:%d", f->file, f->line);
	sb_printf(&sb, "\")%s", q->suffix);
	if (q->vars && dw_func_die(q->m, f, &die)) {
		if (q->is_return)
			return_var(&die, &args);
		list_scopes(&die, f->probe_pc, &args);
	}
	add_entry(q, &sb, &args, f->inlined);
}

static void list_line(void *arg, const struct dw_line *l)
{
	struct list_q *q = arg;
	struct strbuf sb, args;

	sb_init(&sb);
	sb_init(&args);
	sb_puts(&args, "");
	sb_printf(&sb, "%s.statement(\"%s@%s:%d\")%s", q->prefix, l->func->name, l->func->file,
	          l->line, q->suffix);
	if (q->vars)
		vars_at(q->m, l->addr, !l->func->inlined, &args);
	add_entry(q, &sb, &args, false);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->pp, y->pp);
	return c ? c : x->seq - y->seq;
}

/* Does entry e's arg list hold " $tok" (tok up to the next " $")? */
static bool has_arg(const char *args, const char *tok, size_t len)
{
	for (const char *p = args; (p = strstr(p, " $")); p += 2) {
		size_t l = strcspn(p + 2, "$");
		l = p[2 + l] ? l - 1 : l;       /* back over the space before the next " $" */
		if (l == len && !memcmp(p + 2, tok, len))
			return true;
	}
	return false;
}

/* stap's printscript: one line per point text; the args every derived probe of it has,
   in the order they were first seen. */
static void print_group(struct strbuf *out, const struct entry *g, int n)
{
	struct strbuf done;

	sb_init(&done);
	sb_puts(&done, "");
	sb_puts(out, g[0].pp);
	for (int i = 0; i < n; i++)
		for (const char *p = g[i].args; (p = strstr(p, " $")); p += 2) {
			size_t l = strcspn(p + 2, "$");
			l = p[2 + l] ? l - 1 : l;
			bool all = true;
			for (int j = 0; j < n && all; j++)
				all = has_arg(g[j].args, p + 2, l);
			if (!all || has_arg(done.buf, p + 2, l))
				continue;
			sb_printf(&done, " $%.*s", (int)l, p + 2);
			sb_printf(out, " $%.*s", (int)l, p + 2);
		}
	sb_putc(out, '\n');
	sb_free(&done);
}

int dw_list(struct session *s, struct dw_module *m, const char *prefix, bool statement,
            const char *suffix, const char *func_glob, const char *file_glob, int line,
            bool vars, struct strbuf *out)
{
	struct list_q q = { s, m, prefix, suffix ? suffix : "", vars,
	                    suffix && !strcmp(suffix, ".return") };
	int n = 0;

	if (statement)
		dw_lines(m, func_glob, file_glob, line, list_line, &q);
	else
		dw_functions(m, func_glob, file_glob, 0, list_func, &q);
	if (q.n)   /* q.v is NULL when nothing matched: qsort(NULL) is UB */
		qsort(q.v, q.n, sizeof *q.v, cmp_entry);
	for (int i = 0, j; i < q.n; i = j) {
		for (j = i + 1; j < q.n && !strcmp(q.v[i].pp, q.v[j].pp); j++)
			;
		print_group(out, &q.v[i], j - i);
		n++;
	}
	for (int i = 0; i < q.n; i++) {
		free(q.v[i].pp);
		free(q.v[i].args);
	}
	free(q.v);
	return n;
}

int dw_list_point(struct session *s, struct dw_module *m, const char *prefix, const char *what,
                  const char *spec, const char *suffix, bool vars, struct strbuf *out)
{
	char glob[512], *file = NULL, *colon = NULL;
	bool stmt = !strcmp(what, "statement");
	int n = 0, lo, hi;

	snprintf(glob, sizeof glob, "%s", spec);
	if ((file = strchr(glob, '@'))) {
		*file++ = 0;
		if ((colon = strrchr(file, ':')))
			*colon++ = 0;
	}
	if (!stmt || !colon || *colon == '*')
		return dw_list(s, m, prefix, stmt, suffix, glob, file, 0, vars, out);
	/* lines, ranges A-B and lists A,B-C: one listing */
	struct strbuf tmp;
	sb_init(&tmp);
	sb_puts(&tmp, "");
	for (const char *it = colon; dw_line_range(&it, &lo, &hi);)
		for (int l = lo; l <= hi; l++)
			n += dw_list(s, m, prefix, true, suffix, glob, file, l, vars, &tmp);
	sb_puts(out, tmp.buf);
	sb_free(&tmp);
	return n;
}

bool dw_line_range(const char **it, int *lo, int *hi)
{
	const char *d, *cm;
	if (!*it)
		return false;
	d = strchr(*it, '-');
	cm = strchr(*it, ',');
	*lo = atoi(*it);
	*hi = d && (!cm || d < cm) ? atoi(d + 1) : *lo;
	if ((long long)*hi - *lo > 99999)
		*hi = *lo + 99999;
	if (*lo < 1)
		*lo = 1;
	*it = cm ? cm + 1 : NULL;
	return true;
}

/* ---- stap's suggest_alternative_linenos ---- */

struct advice_q {
	const char *file;
	int decl_line;
};

static void advice_func(void *arg, const struct dw_func *f)
{
	struct advice_q *q = arg;
	if (!q->file && f->file) {
		q->file = f->file;
		q->decl_line = f->line;
	}
}

static void no_line_cb(void *arg, const struct dw_line *l)
{
	(void)arg;
	(void)l;
}

int dw_lines_advice(struct dw_module *m, const char *func_glob, const char *file_glob, int line,
                    bool relative, char *msg, size_t n)
{
	struct advice_q q = { NULL, 0 };
	int lo = -1, hi = -1;

	if (!m->dw || dw_functions(m, func_glob, file_glob, 0, advice_func, &q) <= 0 || !q.file)
		return 0;
	if (relative)
		line += q.decl_line;       /* stap: relative to the first function's decl line */
	for (int i = 1; i < 6; i++) {
		if (lo < 0 && line - i > 0 && dw_lines(m, func_glob, file_glob, line - i, no_line_cb, NULL))
			lo = line - i;
		if (hi < 0 && dw_lines(m, func_glob, file_glob, line + i, no_line_cb, NULL))
			hi = line + i;
	}
	int k = snprintf(msg, n, "no line records for %s:%d [man error::dwarf]", q.file, line);
	if ((lo > 0 || hi > 0) && k > 0 && (size_t)k < n) {
		char a[16] = "", b[16] = "";
		if (lo > 0)
			snprintf(a, sizeof a, ":%d", lo);
		if (hi > 0)
			snprintf(b, sizeof b, ":%d", hi);
		snprintf(msg + k, n - k, " (try %s%s%s)", a, lo > 0 && hi > 0 ? " or " : "", b);
	}
	return 1;
}

/*
** The process provider: process("PATH")/process(PID)/process with .function("GLOB[@FILE[:N]]")
** [.call|.return], .statement(ADDR|"F@FILE:N"), .begin/.end/.thread.begin/.thread.end, as
** stap's uprobes tapset offers them, on top of the ptrace breakpoint engine (engine.h).
*/
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wordexp.h>

#include "context.h"
#include "dwarf.h"
#include "elab.h"
#include "engine.h"
#include "ks.h"
#include "prov_process.h"
#include "provider.h"
#include "sdt.h"
#include "session.h"

extern const struct provider prov_process;

static const char *functor(const struct probe_point *pt, int i)
{
	return i < pt->comps.n ? ((const struct ppcomp *)pt->comps.v[i])->functor : NULL;
}

static const struct exp *comp_arg(const struct probe_point *pt, int i)
{
	return i < pt->comps.n ? ((const struct ppcomp *)pt->comps.v[i])->arg : NULL;
}

static bool proc_owns(const struct probe_point *pt)
{
	const char *f = functor(pt, 0);
	return f && !strcmp(f, "process") && pt->comps.n >= 2;
}

static int sem_error(struct session *s, const struct probe_point *pt, int comp, const char *fmt,
                     const char *arg)
{
	char desc[160];
	const struct ppcomp *c = pt->comps.v[comp];
	snprintf(desc, sizeof desc, "identifier '%s'", c->functor);
	diag_error(&s->diag, "semantic", comp ? prov_comp_pos(s, &c->pos) : NULL,
	           comp ? desc : NULL, fmt, arg);
	return -1;
}

/* stap: process("SCRIPT") of a "#!INTERP" file means the interpreter ("#!/usr/bin/env X": X
   looked up), an executable regular file; path is freed when replaced. */
static char *script_interp(char *path)
{
	for (int depth = 0; path && depth < 4; depth++) {
		char line[PATH_MAX], *p;
		struct stat st;
		FILE *f = fopen(path, "r");
		bool ok = f && fgets(line, sizeof line, f) && !strncmp(line, "#!", 2);
		if (f)
			fclose(f);
		if (!ok)
			break;
		line[strcspn(line, "\r\n")] = 0;
		for (size_t n = strlen(line); n > 2 && (line[n - 1] == ' ' || line[n - 1] == '\t'); n--)
			line[n - 1] = 0;
		p = line + 2 + strspn(line + 2, " \t");
		if (!strncmp(p, "/usr/bin/env", 12) || !strncmp(p, "/bin/env", 8))
			p += strcspn(p, " \t"), p += strspn(p, " \t");
		char *np = *p ? mod_resolve_path(p) : NULL;
		if (!np || access(np, X_OK) || stat(np, &st) || !S_ISREG(st.st_mode)) {
			free(np);
			break;
		}
		free(path);
		path = np;
	}
	return path;
}

/* The command of -c as stap fills process("...") in: its first word, looked up in $PATH. */
static char *cmd_path(struct session *s)
{
	wordexp_t w;
	char *r = NULL;
	if (!s->opt.cmd || wordexp(s->opt.cmd, &w, WRDE_NOCMD) != 0)
		return NULL;
	if (w.we_wordc > 0)
		r = mod_resolve_path(w.we_wordv[0]);
	wordfree(&w);
	return r;
}

/* stap's session::cmd_file errors for a code probe on a bare process (no -x): -c missing,
   or its command not a plain word list (wordexp with WRDE_NOCMD|WRDE_UNDEF). */
static int bare_error(struct session *s)
{
	wordexp_t w;
	int rc;
	if (!s->opt.cmd) {
		diag_error(&s->diag, "semantic", NULL, NULL, "unspecified process probe is invalid without "
		           "a -c COMMAND or -x PID [man stapprobes]");
		return -1;
	}
	rc = wordexp(s->opt.cmd, &w, WRDE_NOCMD | WRDE_UNDEF);
	if (rc == 0) {
		wordfree(&w);
		return 0;
	}
	diag_error(&s->diag, "semantic", NULL, NULL,
	           "invalid -c command for unspecified process probe [man stapprobes]");
	diag_error(&s->diag, "semantic", NULL, NULL, "%s",
	           rc == WRDE_BADCHAR ? "command contains illegal characters" :
	           rc == WRDE_BADVAL ? "command contains undefined shell variables" :
	           rc == WRDE_CMDSUB ? "command contains command substitutions" :
	           rc == WRDE_NOSPACE ? "out of memory" :
	           rc == WRDE_SYNTAX ? "command contains shell syntax errors" : "unspecified wordexp failure");
	return -1;
}

struct expand {
	struct session *s;
	struct probe *src;
	struct probe_point *pt;
	struct pprobe proto;
	const char *prefix;       /* process("/abs") */
	const char *suffix;       /* "", ".call", ".return" */
	const char *label;        /* .label("glob"), NULL if none */
	int label_line;           /* function("f@file:N").label: only labels on line N (0: any) */
	struct rel_line *rel;     /* statement("f@file+N"): the functions matched */
	struct plt_exports *exports; /* .exported: only these DWARF functions (prov_plt.c) */
	int n;
};

struct rel_line {
	struct rel_line *next;
	const char *name, *file;
	int line;
	uint64_t entry;
};

static void on_rel_func(void *arg, const struct dw_func *f)
{
	struct expand *x = arg;
	if (!f->has_dwarf || f->inlined)
		return;
	struct rel_line *r = arena_alloc(&x->s->arena, sizeof *r);
	*r = (struct rel_line){ NULL, arena_strdup(&x->s->arena, f->name),
	                        arena_strdup(&x->s->arena, f->file ? f->file : ""), f->line, f->entry };
	struct rel_line **rp = &x->rel;   /* by address: stap's (DWARF) order at -O0 */
	while (*rp && (*rp)->entry <= r->entry)
		rp = &(*rp)->next;
	r->next = *rp;
	*rp = r;
}

/* "f@file+N" also counts from an inline function's decl line (all its instances are taken by
   dw_lines at once: one entry per function, as stap's query of an inline-only Move@f.c+2). */
static void on_rel_func_inl(void *arg, const struct dw_func *f)
{
	struct expand *x = arg;
	if (f->inlined)
		for (struct rel_line *r = x->rel; r; r = r->next)
			if (!strcmp(r->name, f->name) && r->line == f->line)
				return;
	struct dw_func g = *f;
	g.inlined = false;
	on_rel_func(arg, &g);
}

static struct pprobe *add(struct expand *x, const char *pp)
{
	struct dprobe *dp = sess_add_probe(x->s, &prov_process, x->src, x->pt, pp);
	struct pprobe *p = arena_alloc(&x->s->arena, sizeof(*p));
	*p = x->proto;
	p->dp = dp;
	dp->data = p;
	dp->is_return = p->is_return;
	dp->entry_snippet = p->is_return && p->kind == PK_CODE;
	dp->rewrites_point = true;   /* -p2 chains show the resolved point, as stap does */
	x->n++;
	return p;
}

/* -p2: stap's printsig note, the probe pc relative to the module's first PT_LOAD. */
static void set_pc_note(struct expand *x, struct pprobe *p)
{
	const struct dw_module *m = x->proto.dw;
	char note[64];
	if (!m)
		return;
	snprintf(note, sizeof note, "pc=%s+0x%" PRIx64, dw_module_is_pie(m) ? ".dynamic" : ".absolute",
	         p->addr - dw_module_base(m));
	p->dp->sig_note = arena_strdup(&x->s->arena, note);
}

/* stap's pp: function("f@FILE:LABEL_LINE").label("name") */
static void on_label(void *arg, const struct dw_func *f, const char *name, int line, uint64_t addr)
{
	struct expand *x = arg;
	char pp[1024];
	if (x->label_line && line != x->label_line)
		return;
	snprintf(pp, sizeof pp, "%s.function(\"%s@%s:%d\").label(\"%s\")", x->prefix, f->name,
	         f->file ? f->file : "", line, name);
	struct pprobe *p = add(x, pp);
	p->addr = addr;
	set_pc_note(x, p);
	p->entry = f->entry;
	p->func = arena_strdup(&x->s->arena, f->name);
}

/* stap's user blocklist for .return: entries that do not use the normal call ABI */
static bool ret_blocklisted(const char *name)
{
	return !strcmp(name, "_start") || (!strncmp(name, "__", 2) && strstr(name + 2, ".get_pc_thunk."));
}

static void on_func(void *arg, const struct dw_func *f)
{
	struct expand *x = arg;
	char pp[1024];
	if (x->proto.is_return && ret_blocklisted(f->name)) {
		const struct probe *user = x->src;
		while (user->base)
			user = user->base;
		x->s->diag.last_file = NULL;   /* a warning names its file (expansion holds it) */
		diag_warn_tok(&x->s->diag, &user->pos, "keyword", "function %s return probe is blocklisted",
		              f->name);
		return;
	}
	if (x->label) {
		dw_labels(x->proto.dw, f, x->label, on_label, x);
		return;
	}
	if (f->inlined && (x->proto.is_return || strcmp(x->suffix, ".call") == 0))
		return;
	if (x->exports && f->has_dwarf && (f->inlined || !plt_exported(x->exports, f->name)))
		return;   /* stap filters DWARF functions only: symbol-table ones all stay */
	if (f->has_dwarf && f->file)
		snprintf(pp, sizeof pp, "%s.function(\"%s@%s:%d\")%s", x->prefix, f->name, f->file,
		         f->line, x->suffix);
	else
		snprintf(pp, sizeof pp, "%s.function(\"%s\")%s", x->prefix, f->name, x->suffix);
	uint64_t addr = x->proto.is_return ? f->entry : f->probe_pc;
	/* one dprobe per place: symbol aliases (getpid, __GI_getpid) name the same address */
	for (int i = 0; i < x->s->nprobes; i++) {
		struct dprobe *o = x->s->probes[i];
		struct pprobe *op = o->prov == &prov_process ? o->data : NULL;
		if (o->src == x->src && o->point == x->pt && op && op->kind == PK_CODE && op->addr == addr &&
		    op->is_return == x->proto.is_return && op->path && !strcmp(op->path, x->proto.path))
			return;
	}
	struct pprobe *p = add(x, pp);
	p->addr = addr;
	set_pc_note(x, p);
	p->entry = f->entry;
	p->entry_pc = f->probe_pc;
	p->func = arena_strdup(&x->s->arena, f->name);
	/* -p2 order: functions without DWARF after the others, by address, as stap lists them
	   (stap's DWARF functions come in its hash table's order: ours stay by name) */
	p->order = f->has_dwarf ? (uint64_t)x->n : (1ull << 62) | f->entry;
}

static int by_order(const void *a, const void *b)
{
	const struct pprobe *x = (*(struct dprobe *const *)a)->data, *y = (*(struct dprobe *const *)b)->data;
	return (x->order > y->order) - (x->order < y->order);
}

/* Put the probes of one function expansion (from index first on) in stap's order. */
static void sort_expansion(struct session *s, int first)
{
	if (s->nprobes - first < 2)
		return;   /* also: s->probes is NULL while there are none (qsort(NULL) is UB) */
	qsort(s->probes + first, s->nprobes - first, sizeof *s->probes, by_order);
	for (int i = first; i < s->nprobes; i++)
		s->probes[i]->index = i;
}

static void on_line(void *arg, const struct dw_line *l)
{
	struct expand *x = arg;
	char pp[1024];
	snprintf(pp, sizeof pp, "%s.statement(\"%s@%s:%d\")%s", x->prefix,
	         l->func ? l->func->name : "*", l->file, l->line, x->suffix);
	struct pprobe *p = add(x, pp);
	p->addr = l->addr;
	set_pc_note(x, p);
	p->entry = l->func ? l->func->entry : l->addr;
	p->func = l->func ? arena_strdup(&x->s->arena, l->func->name) : "";
}

/* stap's statement("f@file") without a line: f's entry pc, named by its declaration line */
static void on_entry_stmt(struct expand *x, const struct rel_line *r)
{
	char pp[1024];
	snprintf(pp, sizeof pp, "%s.statement(\"%s@%s:%d\")%s", x->prefix, r->name, r->file, r->line,
	         x->suffix);
	struct pprobe *p = add(x, pp);
	p->addr = r->entry;
	set_pc_note(x, p);
	p->entry = r->entry;
	p->func = r->name;
}

/* "GLOB@FILE:LINE" into its parts (file NULL when absent, line 0). */
static void split_spec(struct session *s, const char *spec, char **glob, char **file, int *line)
{
	char *g = arena_strdup(&s->arena, spec), *at = strchr(g, '@');
	*glob = g;
	*file = NULL;
	*line = 0;
	if (!at)
		return;
	*at++ = 0;
	*file = at;
	char *colon = strrchr(at, ':');
	if (colon) {
		*colon = 0;
		*line = atoi(colon + 1);
	}
}

/* stap: "no match (similar functions: a, b)" from the module's function names. */
static void collect_name(void *arg, const struct dw_func *f)
{
	struct expand *x = arg;
	struct ptrvec *v = (struct ptrvec *)x->prefix;
	ast_vec_push(&x->s->arena, v, (void *)arena_strdup(&x->s->arena, f->name));
}

static int no_match(struct expand *x, struct dw_module *m, const char *glob)
{
	struct ptrvec names = { 0 };
	struct expand y = *x;
	char similar[512] = "";
	y.prefix = (const char *)&names;
	dw_functions(m, "*", NULL, 0, collect_name, &y);
	elab_levenshtein_suggest(glob, &names, 5, similar, sizeof similar);
	if (similar[0])
		diag_error(&x->s->diag, "semantic", NULL, NULL, "no match (similar functions: %s)", similar);
	else
		diag_error(&x->s->diag, "semantic", NULL, NULL, "no match");
	return -1;
}

/* stap's "no line records for F:L [man error::dwarf] (try :A or :B)" for a statement at a
   line (or f@file+N) without code while functions match there (tracer/dwlist.c), reported at
   once as stap does (before the probe point's chain), then a plain "no match". */
static bool no_lines(struct expand *x, struct dw_module *m, const char *glob, const char *file,
                     const char *spec)
{
	const char *colon = strrchr(spec, ':'), *plus = strrchr(spec, '+');
	bool rel = !colon && plus;
	const char *num = rel ? plus + 1 : colon ? colon + 1 : NULL;
	char msg[PATH_MAX + 128];

	if (!file || !num || !*num || num[strspn(num, "0123456789")] ||
	    !dw_lines_advice(m, glob, file, atoi(num), rel, msg, sizeof msg))
		return false;
	FILE *held = x->s->diag.out;
	x->s->diag.out = stderr;
	diag_error(&x->s->diag, "semantic", NULL, NULL, "%s", msg);
	x->s->diag.out = held;
	diag_error(&x->s->diag, "semantic", NULL, NULL, "no match");
	return true;
}

static int expand_code(struct expand *x, int ci)
{
	struct session *s = x->s;
	const struct probe_point *pt = x->pt;
	const char *what = functor(pt, ci), *tail = functor(pt, ci + 1);
	const struct exp *a = comp_arg(pt, ci);
	x->suffix = "";
	if (tail && strcmp(what, "function") == 0 && (!strcmp(tail, "return") || !strcmp(tail, "call")) &&
	    pt->comps.n == ci + 2) {
		x->suffix = !strcmp(tail, "return") ? ".return" : ".call";
		x->proto.is_return = !strcmp(tail, "return");
	} else if (tail && !strcmp(what, "function") && !strcmp(tail, "exported") && pt->comps.n == ci + 2 &&
	           !comp_arg(pt, ci + 1)) {
		x->suffix = ".exported";
		x->exports = arena_alloc(&s->arena, sizeof *x->exports);   /* loaded with the module */
	} else if (tail && !strcmp(what, "function") && !strcmp(tail, "label") && pt->comps.n == ci + 2 &&
	           comp_arg(pt, ci + 1) && comp_arg(pt, ci + 1)->kind == E_STR) {
		x->label = comp_arg(pt, ci + 1)->str;
	} else if (tail && !(strcmp(what, "statement") == 0 && !strcmp(tail, "absolute") && !comp_arg(pt, ci + 1))) {
		return sem_error(s, pt, ci + 1, "probe point mismatch", NULL);
	}
	struct dw_module *m = dw_module_get(s, x->proto.path);
	if (!m) {
		diag_error(&s->diag, "semantic", NULL, NULL, "cannot find module %s debuginfo: %s",
		           x->proto.path, strerror(errno ? errno : ENOEXEC));
		return -1;
	}
	x->proto.dw = m;
	if (x->exports)
		plt_exports_load(s, m, x->exports);
	x->proto.is_exe = !strstr(x->proto.path, ".so") || access(x->proto.path, X_OK) == 0;
	if (strstr(x->proto.path, ".so") || x->proto.only_exe)
		x->proto.is_exe = false;
	x->proto.kind = PK_CODE;
	if (strcmp(what, "statement") == 0 && a && a->kind == E_NUM) {
		char pp[1024];
		snprintf(pp, sizeof pp, "%s.statement(0x%" PRIx64 ")%s", x->prefix, (uint64_t)a->num, x->suffix);
		struct pprobe *p = add(x, pp);
		p->addr = p->entry = (uint64_t)a->num;
		set_pc_note(x, p);
		const struct dw_func *f = dw_func_at(m, p->addr);
		p->func = f ? f->name : "";
		return 1;
	}
	if (!a || a->kind != E_STR)
		return sem_error(s, pt, ci, "probe point mismatch", NULL);
	char *glob, *file;
	int line;
	split_spec(s, a->str, &glob, &file, &line);
	int n, lo, hi;
	char *plus = file && !strchr(file, ':') ? strrchr(file, '+') : NULL;
	if (strcmp(what, "statement") == 0 && plus && plus[1]) {
		*plus = 0;   /* "f@file+N": N lines after each f's declaration line */
		n = dw_functions(m, glob, file, 0, on_rel_func_inl, x);
		struct rel_line *rl = x->rel;
		for (x->rel = NULL; rl; rl = rl->next)
			dw_lines(m, rl->name, file, rl->line + atoi(plus + 1), on_line, x);
	} else if (strcmp(what, "statement") == 0 && !strchr(a->str, ':')) {
		n = dw_functions(m, glob, file, 0, on_rel_func, x);   /* "f[@file]": each f's entry */
		struct rel_line *rl = x->rel;
		for (x->rel = NULL; rl; rl = rl->next)
			on_entry_stmt(x, rl);
	} else if (strcmp(what, "statement") == 0) {
		const char *colon = strrchr(a->str, ':');
		bool all = colon && !strcmp(colon, ":*");       /* every line (dw_lines line 0) */
		if (!file || !colon || (!all && (colon[1] < '0' || colon[1] > '9')))
			return sem_error(s, pt, ci, "statement probe needs FUNC@FILE:LINE, not '%s'", a->str);
		n = all ? dw_lines(m, glob, file, 0, on_line, x) : 0;
		for (const char *it = all ? NULL : colon + 1; dw_line_range(&it, &lo, &hi);)
			for (int l = lo; l <= hi; l++)              /* :A-B ranges and A,B-C lists */
				n += dw_lines(m, glob, file, l, on_line, x);
	} else {
		int first = s->nprobes;
		x->label_line = x->label ? line : 0;
		n = dw_functions(m, glob, file, line, on_func, x);
		sort_expansion(s, first);
	}
	if (n <= 0 || x->n == 0) {
		if (pt->optional)
			return 0;
		if (strcmp(what, "statement") == 0 && no_lines(x, m, glob, file, a->str))
			return -1;
		return no_match(x, m, glob);
	}
	return x->n;
}

/* The point's part after process(...) or .library(...), from component ci, on x->proto. */
static int expand_rest(struct expand *x, int ci)
{
	const char *what = functor(x->pt, ci);
	const char *lp = x->proto.list_prefix ? x->proto.list_prefix :   /* stap: the path, always */
	                 arena_printf(&x->s->arena, "process(\"%s\")", x->proto.path);
	if (!what)
		return sem_error(x->s, x->pt, ci - 1, "probe point mismatch", NULL);
	if (!strcmp(what, "plt")) {   /* as expand_code decides it */
		x->proto.is_exe = !x->proto.only_exe && !strstr(x->proto.path, ".so");
		return plt_expand(x->s, x->src, x->pt, ci, &x->proto, lp);
	}
	if (!strcmp(what, "mark") || !strcmp(what, "provider"))
		return sdt_expand(x->s, x->src, x->pt, ci, &x->proto, x->prefix);
	if (!strcmp(what, "function") || !strcmp(what, "statement"))
		return expand_code(x, ci);
	return sem_error(x->s, x->pt, ci, "probe point mismatch", NULL);
}

/* process("EXE").library("LIB")...: the point in each library LIB names (tracer/prov_plt.c),
   as process("/LIB")... restricted to processes of EXE. Libraries found through EXE's
   needed ones or a glob may match nothing, as in stap (optional each). */
static int expand_library(struct expand *x, int ci)
{
	struct session *s = x->s;
	const struct exp *a = comp_arg(x->pt, ci);
	struct plt_lib *v;
	int total = 0;
	if (!a || a->kind != E_STR || !functor(x->pt, ci + 1))
		return sem_error(s, x->pt, a && a->kind == E_STR ? ci : ci + 1, "probe point mismatch", NULL);
	int n = plt_libraries(s, x->proto.path, a->str, &v);
	bool optional = x->pt->optional;
	for (int i = 0; i < n; i++) {
		struct expand y = *x;
		y.n = 0;
		y.proto.path = v[i].path;
		y.proto.only_exe = x->proto.path;
		y.proto.is_exe = false;
		y.prefix = arena_printf(&s->arena, "process(\"%s\")", v[i].path);
		y.proto.list_prefix = arena_printf(&s->arena, "process(\"%s\").library(\"%s\")",
		                                   x->proto.path, v[i].text);
		x->pt->optional = optional || strcmp(v[i].text, a->str);
		int first = s->nprobes, r = expand_rest(&y, ci + 1);
		x->pt->optional = optional;
		if (r < 0)
			return -1;
		for (int j = first; j < s->nprobes; j++)   /* -p2's chain, as stap derives it */
			if (strlen(s->probes[j]->pp) > strlen(y.prefix))
				s->probes[j]->chain_pp = arena_printf(&s->arena, "%s%s", y.proto.list_prefix,
				                                      s->probes[j]->pp + strlen(y.prefix));
		total += r;
	}
	if (n < 0)
		return -1;
	if (!total && !optional) {
		diag_error(&s->diag, "semantic", NULL, NULL, "no match");
		return -1;
	}
	return total;
}

static int proc_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	struct expand x = { s, src, pt };
	const struct exp *a = comp_arg(pt, 0);
	char prefix[PATH_MAX + 32];
	char *path = NULL;
	int ci = 1;
	/* a bare process with -x PID is process(PID), as stap rewrites it */
	int64_t pidn = a && a->kind == E_NUM ? a->num : !a && !s->opt.cmd ? s->opt.target_pid : 0;
	if (pidn) {
		char exe[64];
		snprintf(exe, sizeof exe, "/proc/%" PRId64 "/exe", pidn);
		if (kill((int)pidn, 0) < 0 && errno == ESRCH) {
			diag_error(&s->diag, "semantic", NULL, NULL, "cannot probe pid %" PRId64 ": No such process",
			           pidn);
			return -1;
		}
		path = realpath(exe, NULL);
		char f1[40];   /* a zombie has no exe: begin/end/syscall/thread probes need none */
		snprintf(f1, sizeof f1, "|%s|", functor(pt, 1) ? functor(pt, 1) : "");
		bool no_exe_ok = errno == ENOENT && strstr("|begin|end|syscall|thread|", f1);
		if (!path && errno == ENOENT && !no_exe_ok) {   /* code probes there: stap's words */
			diag_error(&s->diag, "semantic", NULL, NULL, "no match");
			return -1;
		}
		if (!path && !no_exe_ok) {
			diag_error(&s->diag, "semantic", NULL, NULL, "cannot probe pid %" PRId64 ": %s",
			           pidn, strerror(errno));
			return -1;
		}
		x.proto.pid = (int)pidn;
		snprintf(prefix, sizeof prefix, "process(%" PRId64 ")", pidn);
	} else if (a && a->kind == E_STR) {
		path = mod_resolve_path(a->str);
		if (!path && strchr(a->str, '/'))
			return 0;              /* stap: a plain "no match" */
		if (!path) {
			diag_error(&s->diag, "semantic", NULL, NULL, "cannot find executable '%s'", a->str);
			return -1;
		}
		path = script_interp(path);
		snprintf(prefix, sizeof prefix, "process(\"%s\")", path);
	} else {
		path = cmd_path(s);
		snprintf(prefix, sizeof prefix, "process");
	}
	x.prefix = arena_strdup(&s->arena, prefix);
	x.proto.path = path ? arena_strdup(&s->arena, path) : NULL;
	free(path);
	const char *what = functor(pt, ci);
	bool code = !strcmp(what, "mark") || !strcmp(what, "provider") || !strcmp(what, "function") ||
	            !strcmp(what, "statement") || !strcmp(what, "plt") || !strcmp(what, "library");
	if (code && !a && !pidn && bare_error(s) < 0)
		return -1;
	if (code && !x.proto.path)
		return sem_error(s, pt, 0, "process probe needs a path or pid (or -c CMD)", NULL);
	if (!strcmp(what, "library"))
		return expand_library(&x, ci);
	if (code)
		return expand_rest(&x, ci);
	enum pkind k;
	char pp[PATH_MAX + 64];
	if (!strcmp(what, "begin") || !strcmp(what, "end"))
		k = what[0] == 'b' ? PK_BEGIN : PK_END;
	else if (!strcmp(what, "syscall") && functor(pt, 2) && !strcmp(functor(pt, 2), "return"))
		k = PK_SYSRET, ci++;
	else if (!strcmp(what, "syscall"))
		k = PK_SYSCALL;
	else if (!strcmp(what, "thread") && functor(pt, 2) && (!strcmp(functor(pt, 2), "begin") || !strcmp(functor(pt, 2), "end")))
		k = functor(pt, 2)[0] == 'b' ? PK_TBEGIN : PK_TEND, ci++;
	else
		return sem_error(s, pt, ci, "probe point mismatch", NULL);
	if (pt->comps.n != ci + 1 || comp_arg(pt, ci))
		return sem_error(s, pt, pt->comps.n > ci + 1 ? ci + 1 : ci, "probe point mismatch", NULL);
	if (!a)
		x.proto.path = NULL;   /* every traced process */
	x.proto.kind = k;
	x.proto.is_exe = true;
	static const char *const names[] = { "", "begin", "end", "thread.begin", "thread.end",
	                                     "syscall", "syscall.return" };
	snprintf(pp, sizeof pp, "%s.%s", x.prefix, names[k]);
	add(&x, pp);
	return 1;
}

/* process.syscall: $syscall, $arg1..$arg6; .return: $syscall, $return */
static int sc_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *str)
{
	const struct pt_thread *t = c->priv;
	int k = (int)(intptr_t)tv->data;
	*l = k == 0 ? (int64_t)t->sc_nr : k == 7 ? t->sc_ret : (int64_t)t->sc_args[k - 1];
	return 0;
}

/* $$parms: stap's sprintf("$arg1=%#x ... $arg6=%#x") of the six argument registers */
static int sc_parms(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *str)
{
	const struct pt_thread *t = c->priv;
	int n = 0, max = c->sess->lim.maxstringlen + 1;
	for (int i = 0; i < 6 && n < max; i++)
		n += snprintf(str + n, (size_t)(max - n), "%s$arg%d=0x%" PRIx64, i ? " " : "", i + 1,
		              t->sc_args[i]);
	return 0;
}

static int sc_tvar(struct session *s, struct pprobe *p, struct exp *e, struct tvar *out)
{
	const char *n = e->str ? e->str : "", *why = NULL;
	int k = -1;
	bool args = !strcmp(n, "$$parms") || (strlen(n) > 4 && !memcmp(n, "$arg", 4));
	if (args && p->kind == PK_SYSRET)
		why = "only \"process(PATH_OR_PID).syscall\" support $argN or $$parms.";
	else if (!strcmp(n, "$$parms") && e->kind == E_TARGET && !e->comps.n) {
		out->type = TY_STRING;
		out->read = sc_parms;
		out->write = NULL;
		out->data = NULL;
		return 0;
	} else if (!strcmp(n, "$syscall"))
		k = 0;
	else if (!strcmp(n, "$return") && p->kind == PK_SYSRET)
		k = 7;
	else if (!strcmp(n, "$return"))
		why = "only \"process(PATH_OR_PID).syscall.return\" support $return.";
	else if (!strncmp(n, "$arg", 4) && n[4] >= '1' && n[4] <= '6' && !n[5])
		k = n[4] - '0';
	else if (!strncmp(n, "$arg", 4) && n[4] >= '0' && n[4] <= '9')
		why = "invalid syscall argument number (1-6)";
	if (k < 0 || e->kind != E_TARGET || e->comps.n) {
		diag_error(&s->diag, "semantic", &e->pos, elab_tokdesc(s, e), "%s", why ? why :
		           "invalid target symbol for utrace probe, $syscall, $return, $argN or $$parms expected");
		return -1;
	}
	out->type = TY_LONG;
	out->read = sc_read;
	out->write = NULL;
	out->data = (void *)(intptr_t)k;
	return 0;
}

static int proc_tvar(struct session *s, struct dprobe *dp, struct exp *e, struct tvar *out)
{
	struct pprobe *p = dp->data;
	if (e->kind == E_PERF)
		return ks_perf_tvar(s, e, out);
	if (p->sdt)
		return sdt_tvar(s, p, e, out);
	if (p->plt_name)
		return plt_tvar(s, p, e, out);
	if (p->kind == PK_SYSCALL || p->kind == PK_SYSRET)
		return sc_tvar(s, p, e, out);
	if (p->kind != PK_CODE && e->kind == E_ATVAR && e->module && *e->module) {
		/* @var("g", "module") needs no probe pc: process.begin/.end read it too */
		struct dw_module *m = dw_module_get(s, e->module);
		if (m)
			return dw_tvar(s, m, 0, false, e, out);
	}
	if (p->kind != PK_CODE || !p->dw) {
		diag_error(&s->diag, "semantic", &e->pos, NULL,
		           "target variables are not available in this probe");
		return -1;
	}
	if (p->is_return && e->in_entry)   /* the operand of an @entry: at the entry probe */
		return dw_tvar(s, p->dw, p->entry_pc ? p->entry_pc : p->addr, false, e, out);
	return dw_tvar(s, p->dw, p->addr, p->is_return, e, out);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What -l shows of dp: its .plt text, or pp with .library()'s prefix instead of process("/LIB") */
static const char *list_text(struct session *s, const struct dprobe *dp)
{
	const struct pprobe *p = dp->data;
	if (p->list_pp)
		return p->list_pp;
	size_t skip = p->path ? strlen(p->path) + 11 : 0;   /* process("PATH") */
	if (!p->list_prefix || strlen(dp->pp) < skip)
		return dp->pp;
	return arena_printf(&s->arena, "%s%s", p->list_prefix, dp->pp + skip);
}

/* .plt, .label, statement("f@file+N") and ("f@file") points: each derived point once, sorted
   as stap prints them, -L with the $vars in scope there (none at a PLT stub) */
static int label_list(struct session *s, struct probe_point *pt, bool vars, struct strbuf *out)
{
	char **v = arena_alloc(&s->arena, (size_t)(s->nprobes + 1) * sizeof *v);
	int n = 0;
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *dp = s->probes[i];
		struct pprobe *p = dp->data;
		if (dp->point != pt || dp->prov != &prov_process || (!p->dw && !p->plt_name))
			continue;
		struct strbuf sb;
		sb_init(&sb);
		sb_puts(&sb, list_text(s, dp));
		if (vars && !p->plt_name)
			dw_list_vars(s, p->dw, p->addr, &sb);
		v[n++] = arena_strdup(&s->arena, sb.buf);
		sb_free(&sb);
	}
	qsort(v, n, sizeof *v, cmp_str);
	for (int i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]))
			sb_printf(out, "%s\n", v[i]);
	return 0;
}

/* -l/-L: the text of tracer/dwlist.c (stap's, with -L's $vars) for code points, once per
   module (.library globs name several); the derived points themselves for the others. */
static int proc_list(struct session *s, struct probe_point *pt, bool vars, struct strbuf *out)
{
	int ci = functor(pt, 1) && !strcmp(functor(pt, 1), "library") ? 2 : 1;
	const char *what = functor(pt, ci), *tail = functor(pt, ci + 1);
	const struct exp *a = comp_arg(pt, ci);
	const struct dw_module *last = NULL;
	if (!what)
		return 0;
	if ((tail && (!strcmp(tail, "label") || !strcmp(tail, "exported"))) || !strcmp(what, "plt") ||
	    (!strcmp(what, "statement") &&
	    a && a->kind == E_STR && !strchr(a->str, ':')))
		return label_list(s, pt, vars, out);   /* also "f@file+N" and "f@file" */
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *dp = s->probes[i];
		struct pprobe *p = dp->data;
		if (dp->point != pt || dp->prov != &prov_process)
			continue;
		if (p->sdt) {
			sdt_list(s, dp, vars, out);
			continue;
		}
		const char *cut = strstr(dp->pp, !strcmp(what, "function") ? ".function(" : ".statement(");
		if (p->kind == PK_CODE && p->dw && a && a->kind == E_STR && cut) {
			if (p->dw == last)
				continue;
			last = p->dw;
			char *prefix = p->list_prefix ? (char *)p->list_prefix :
			               arena_strndup(&s->arena, dp->pp, cut - dp->pp);
			const char *suffix = p->is_return ? ".return" : tail && !strcmp(tail, "call") ? ".call" : "";
			if (dw_list_point(s, p->dw, prefix, what, a->str, suffix, vars, out) < 0)
				return -1;
			continue;
		}
		sb_printf(out, "%s\n", list_text(s, dp));
	}
	return 0;
}

const struct provider prov_process = {
	.name = "process",
	.owns = proc_owns,
	.expand = proc_expand,
	.tvar = proc_tvar,
	.list = proc_list,
	.arm = procx_arm,
	.disarm = procx_disarm,
};

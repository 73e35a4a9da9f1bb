/*
** The language's face to the tracer: passes 1-3 (parse, elaborate, compile) with stap's
** -p output and failure lines, running a handler, soft-error reports, and the display
** of globals written but never read (stap's synthetic end probes, elaborate.cxx).
*/
#include "lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "compile.h"
#include "context.h"
#include "elab.h"
#include "map.h"
#include "parse.h"
#include "printf.h"
#include "regex.h"
#include "session.h"
#include "vm.h"

static int failed(struct session *s, int pass)
{
	static const char *const what[] = { "", "Pass 1: parse failed.  [man error::pass1]",
		"Pass 2: analysis failed.  [man error::pass2]",
		"Pass 3: translation failed.  [man error::pass3]" };
	fflush(stdout);
	fprintf(s->diag.out ? s->diag.out : stderr, "%s\n", what[pass]);
	diag_report_suppression(&s->diag);   /* stap: after the "Pass N: ... failed" line */
	return 1;
}

static void put(struct strbuf *out)
{
	if (out->len)
		fwrite(out->buf, 1, out->len, stdout);
	fflush(stdout);
	sb_free(out);
}

/* stap -v's line after each pass (main.cxx: getmemusage, TIMESPRINT): the testsuite reads it */
struct pass_clock { struct tms t; struct timespec r; };

static void clock_start(struct pass_clock *c)
{
	times(&c->t);
	clock_gettime(CLOCK_MONOTONIC, &c->r);
}

static void pass_note(struct session *s, struct pass_clock *c, bool mem, const char *what)
{
	if (!s->opt.verbose)
		return;
	struct tms t;
	struct timespec r;
	times(&t);
	clock_gettime(CLOCK_MONOTONIC, &r);
	long tck = sysconf(_SC_CLK_TCK), kb = sysconf(_SC_PAGESIZE) / 1024;
	long v = 0, res = 0, shr = 0, txt = 0, lib = 0, data = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld %ld %ld %ld %ld", &v, &res, &shr, &txt, &lib, &data) != 6)
			v = res = shr = data = 0;
		fclose(f);
	}
	fflush(stdout);
	fprintf(stderr, "%s ", what);
	if (mem)
		fprintf(stderr, "using %ldvirt/%ldres/%ldshr/%lddata kb, ", v * kb, res * kb, shr * kb,
		        data * kb);
	fprintf(stderr, "in %ldusr/%ldsys/%ldreal ms.\n",
	        (long)((t.tms_utime + t.tms_cutime - c->t.tms_utime - c->t.tms_cutime) * 1000 / tck),
	        (long)((t.tms_stime + t.tms_cstime - c->t.tms_stime - c->t.tms_cstime) * 1000 / tck),
	        (long)((r.tv_sec - c->r.tv_sec) * 1000 + (r.tv_nsec - c->r.tv_nsec) / 1000000));
	clock_start(c);
}

static const char *plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void pass2_note(struct session *s, struct pass_clock *c)
{
	char what[160];
	long np = s->nprobes;
	long nf = s->elab ? (long)(s->elab->functions.n + s->elab->builtins.n) : 0;
	long ng = s->elab ? (long)s->elab->globals.n : 0;
	snprintf(what, sizeof what, "Pass 2: analyzed script: %ld %s%ld %s0 embeds, %ld %s", np,
	         plural(np, "probe, ", "probes, "), nf, plural(nf, "function, ", "functions, "), ng,
	         plural(ng, "global", "globals"));
	pass_note(s, c, true, what);
}

/* stap's main.cxx after pass 2: an argument no $N/@N took, unless the script reads argc/argv
   (the argv tapset passes them on) */
static void warn_unused_args(struct session *s)
{
	for (int i = 0; s->elab && i < s->elab->globals.n; i++) {
		const char *n = ((struct vardecl *)s->elab->globals.v[i])->name;
		if (!strcmp(n, "argc") || !strcmp(n, "argv"))
			return;
	}
	for (int i = 0; i < s->opt.nargs; i++)
		if (!s->opt.args_used || !s->opt.args_used[i])
			diag_warn(&s->diag, NULL, "unused command line option $%d/@%d", i + 1, i + 1);
}

/* -W: a pass that printed a warning fails (stap counts seen warnings as errors) */
static bool warn_failed(struct session *s)
{
	return s->opt.warn_error && s->diag.warnings > 0;
}

int lang_load(struct session *s)
{
	struct strbuf out;
	struct pass_clock clk;
	sb_init(&out);
	clock_start(&clk);
	/* stap parses the user's script even after a bad .stpm file, then fails pass 1 */
	int bad_macros = parse_load_macros(s, s->opt.tapset_dir);
	const struct srcfile *src = s->opt.script_text
		? src_from_text(s, "<input>", s->opt.script_text, false)
		: src_load_file(s, s->opt.script_file ? s->opt.script_file : "-", false);
	if (!src)
		return failed(s, 1);
	struct file *f = parse_file(s, src);
	tapset_check_includes(s);
	if (!f || bad_macros || warn_failed(s))
		return failed(s, 1);
	pass_note(s, &clk, true, "Pass 1: parsed user script and 0 library scripts");
	if (s->opt.pass == 1) {
		sb_puts(&out, "# parse tree dump\n");   /* stap main.cxx: header, files, endl */
		ast_print_file(&out, f);
		sb_putc(&out, '\n');
		put(&out);
		diag_report_suppression(&s->diag);   /* stap: at the end, after the output */
		return 0;
	}
	int erc = elab_run(s, f);
	warn_unused_args(s);
	if (erc != 0 || warn_failed(s))
		return failed(s, 2);
	pass2_note(s, &clk);
	if (s->opt.pass == 2) {
		elab_print(s, &out);
		put(&out);
		diag_report_suppression(&s->diag);   /* stap: at the end, after the output */
		return 0;
	}
	if (comp_script(s, s->elab ? &s->elab->files : NULL) != 0 || warn_failed(s))
		return failed(s, 3);
	pass_note(s, &clk, true, "Pass 3: translated to bytecode");
	if (s->opt.pass == 3) {
		comp_list(&out, s->script);
		put(&out);
		diag_report_suppression(&s->diag);   /* stap: at the end, after the output */
		return 0;
	}
	if (vm_init(s->script, s) != 0)
		return failed(s, 3);
	if (vm_set_globals(s->script, s) != 0)
		return 1;
	pass_note(s, &clk, false, "Pass 4: prepared the interpreter");
	if (s->opt.pass == 4)
		diag_report_suppression(&s->diag);
	return 0;
}

/* "ERROR: division by 0 near operator '/' at <input>:1:30", as the runtime reports. */
static void report(struct session *s, struct vm *vm)
{
	struct strbuf msg;
	sb_init(&msg);
	sb_puts(&msg, "ERROR: ");
	vm_error_text(&msg, vm);
	sb_putc(&msg, '\n');
	sess_flush(s);
	if (write(STDERR_FILENO, msg.buf, msg.len) < 0)
		(void)0;
	sb_free(&msg);
}

int lang_run(struct session *s, struct dprobe *p, struct ctx *c)
{
	struct script *sc = s->script;
	if (!sc || !sc->vm || p->index < 0 || p->index >= sc->nbyprobe)
		return 0;
	const struct proto *proto = sc->byprobe[p->index];
	if (!proto)
		return 0;
	if (sc->vm->running) {
		/* a probe fired from inside a handler (the VM's stacks are in use): stap's
		   reentrancy rule skips it */
		sess_skip(s);
		return 0;
	}
	sc->vm->running = true;
	struct timespec t0, t1;
	if (sc->timing)
		clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = vm_run(sc->vm, proto, c);
	if (sc->timing) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		struct ptiming *pt = &sc->timing[p->index];
		int64_t ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
		if (!pt->count || ns < pt->min)
			pt->min = ns;
		if (!pt->count || ns > pt->max)
			pt->max = ns;
		pt->count++;
		pt->sum += ns;
		pt->sumsq += (double)ns * (double)ns;
	}
	sc->vm->running = false;
	if (rc < 0) {
		if (!s->opt.suppress_handler_errors)   /* stap: quietly skipped, still counted */
			report(s, sc->vm);
		s->errors++;         /* sess_check_errors() applies MAXERRORS */
	}
	return 0;
}

/* -t: stap's "probe hit report" (translate.cxx, printed at module exit), one line per probe
   that ran: point, (source location), hits, min/avg/max and variance of the handler time,
   the derivation. stap counts cycles in the kernel; its user-space runtime, as ustap, nsecs. */
void lang_timing_report(struct session *s)
{
	struct script *sc = s->script;
	if (!sc || !sc->timing)
		return;
	struct strbuf out;
	sb_init(&out);
	sb_puts(&out, "----- probe hit report: \n");
	for (int i = 0; i < s->nprobes && i < sc->nbyprobe; i++) {
		const struct dprobe *dp = s->probes[i];
		const struct ptiming *pt = &sc->timing[i];
		if (!pt->count)
			continue;
		int64_t avg = pt->sum / (int64_t)pt->count;
		double var = pt->count > 1 ? (pt->sumsq - (double)pt->sum * (double)avg) /
		                             (double)(pt->count - 1) : 0;
		const struct srcpos *pos = dp->src ? &dp->src->pos : NULL;
		sb_printf(&out, "%s, (%s:%d:%d), hits: %lld, nsecs: %lldmin/%lldavg/%lldmax, "
		          "variance: %lld,", dp->pp ? dp->pp : "?",
		          pos && pos->file ? pos->file->name : "?", pos ? pos->line : 0,
		          pos ? pos->col : 0, (long long)pt->count, (long long)pt->min,
		          (long long)avg, (long long)pt->max, (long long)(var > 0 ? var : 0));
		p2_derivation(&out, dp);
		sb_printf(&out, ", index: %d\n", i);
	}
	sess_write(s, out.buf, out.len);
	sess_flush(s);
	sb_free(&out);
}

size_t lang_entry_size(struct session *s, struct dprobe *dp)
{
	struct script *sc = s->script;
	if (!sc || !sc->vm || !sc->byentry || !dp->entry_snippet || !dp->src)
		return 0;
	return (size_t)dp->src->entries.n * (size_t)(8 + sc->vm->slen);
}

int lang_run_entry(struct session *s, struct dprobe *dp, struct ctx *c, char *vals)
{
	struct script *sc = s->script;
	if (!sc || !sc->vm || !sc->byentry || dp->index < 0 || dp->index >= sc->nbyprobe ||
	    !sc->byentry[dp->index] || !vals)
		return 0;
	memset(vals, 0, lang_entry_size(s, dp));
	if (sc->vm->running) {
		sess_skip(s);
		return 0;
	}
	c->entry_vals = vals;
	sc->vm->running = true;
	int rc = vm_run(sc->vm, sc->byentry[dp->index], c);
	sc->vm->running = false;
	if (rc < 0) {
		report(s, sc->vm);
		s->errors++;
	}
	return 0;
}

/* ---- globals display ---- */

static void fmt_out(struct session *s, struct strbuf *tmp, const char *format,
		    const struct mval *args)
{
	char err[256];
	struct fmt *f = fmt_parse(&s->script_arena, format, err, sizeof err);
	if (!f)
		return;
	sb_reset(tmp);
	if (fmt_format(tmp, f, args, NULL, NULL, err, sizeof err) == 0 && tmp->len)
		sess_write(s, tmp->buf, tmp->len);
}

/* stap before 1.4 showed them in hex */
static void stats_fmt(struct session *s, struct strbuf *f)
{
	sb_puts(f, lang_has_version(s, "1.4") ? " @count=%#d @min=%#d @max=%#d @sum=%#d @avg=%#d\n" :
	        " @count=%#x @min=%#x @max=%#x @sum=%#x @avg=%#x\n");
}

static void stats_args(const struct stat_spec *sp, const struct stat *st, struct mval *a)
{
	static const enum stat_op ops[] = { STAT_COUNT, STAT_MIN, STAT_MAX, STAT_SUM, STAT_AVG };
	for (int i = 0; i < 5; i++) {
		int64_t v = 0;
		if (st && st->count)
			stat_get(sp, st, ops[i], &v);
		a[i].l = v;
	}
}

static void show_map(struct session *s, struct strbuf *tmp, const struct gvar *g, struct map *m)
{
	struct strbuf f;
	sb_init(&f);
	const char *sig = map_keysig(m);
	int nk = map_nkeys(m);
	sb_printf(&f, "%s[", g->decl->name);
	for (int i = 0; i < nk; i++)
		sb_puts(&f, i ? (sig[i] == 's' ? ",\"%#s\"" : ",%#d") : (sig[i] == 's' ? "\"%#s\"" : "%#d"));
	sb_putc(&f, ']');
	enum map_vtype vt = map_vtype(m);
	if (vt == MAPV_STATS)
		stats_fmt(s, &f);
	else
		sb_puts(&f, vt == MAPV_STRING ? "=\"%#s\"\n" : "=%d\n");
	map_sort(m, 0, -1, STAT_COUNT, 0);
	for (int e = map_first(m); e >= 0; e = map_next(m, e)) {
		struct mval a[MAP_MAXKEYS + 5];
		map_keys(m, e, a);
		void *v = map_val(m, e);
		if (vt == MAPV_STATS)
			stats_args(map_stat_spec(m), v, a + nk);
		else if (vt == MAPV_STRING)
			a[nk].s = v;
		else
			a[nk].l = *(int64_t *)v;
		fmt_out(s, tmp, f.buf, a);
	}
	sb_free(&f);
}

static void show_global(struct session *s, struct strbuf *tmp, struct strbuf *f,
			const struct gvar *g, union val *v)
{
	struct mval a[5];
	sb_reset(f);
	switch (g->kind) {
	case G_LONG:
		sb_printf(f, "%s=%%d\n", g->decl->name);
		a[0].l = v->l;
		fmt_out(s, tmp, f->buf, a);
		break;
	case G_STRING:
		sb_printf(f, "%s=\"%%#s\"\n", g->decl->name);
		a[0].s = v->p;
		fmt_out(s, tmp, f->buf, a);
		break;
	case G_STATS:
		if (((struct stat *)v->p)->count == 0) {
			sb_printf(f, "%s @count=0x0\n", g->decl->name);
		} else {
			sb_puts(f, g->decl->name);
			stats_fmt(s, f);
			stats_args(&g->spec, v->p, a);
		}
		fmt_out(s, tmp, f->buf, a);
		break;
	case G_MAP:
	case G_STATMAP:
		show_map(s, tmp, g, v->p);
		break;
	}
}

/* The global's index, or -1 when the script never touches it. */
static int gindex(const struct script *sc, const struct vardecl *d)
{
	for (int i = 0; i < sc->nglobals; i++)
		if (sc->globals[i].decl == d)
			return i;
	return -1;
}

/* stap's synthetic end probes: one per global written but never read, in the order of the
   session's globals (elaboration's order), user script globals only. */
void lang_print_globals(struct session *s)
{
	struct script *sc = s->script;
	if (!sc || !sc->vm)
		return;
	struct strbuf tmp, f;
	sb_init(&tmp);
	sb_init(&f);
	int n = s->elab ? s->elab->globals.n : 0;
	bool *done = calloc((size_t)sc->nglobals + 1, sizeof *done);
	for (int k = 0; k <= n; k++) {
		/* elaboration's order first, then anything it did not list */
		for (int i = k < n ? gindex(sc, s->elab->globals.v[k]) : 0;
		     i >= 0 && i < sc->nglobals; i = k < n ? -1 : i + 1) {
			const struct gvar *g = &sc->globals[i];
			if (done && done[i])
				continue;
			if (done)
				done[i] = true;
			if (!g->written || g->read || g->decl->from_tapset)
				continue;
			show_global(s, &tmp, &f, g, &sc->vm->gv[i]);
		}
	}
	free(done);
	sb_free(&tmp);
	sb_free(&f);
	sess_flush(s);
}

void lang_fini(struct session *s)
{
	struct script *sc = s->script;
	if (!sc)
		return;
	vm_free(sc->vm);
	sc->vm = NULL;
	for (int i = 0; i < sc->nre; i++)
		rx_free(sc->re[i]);
	free(sc->funcs);
	free(sc->globals);
	free(sc->k);
	free(sc->str);
	free(sc->bi);
	free(sc->fmt);
	free(sc->re);
	sc->funcs = NULL;
	sc->globals = NULL;
	sc->k = NULL;
	sc->str = NULL;
	sc->bi = NULL;
	sc->fmt = NULL;
	sc->re = NULL;
}

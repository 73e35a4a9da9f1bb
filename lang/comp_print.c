/*
** The print family: printf/sprintf with a literal format, and print/println/printd/printdln
** and their s- forms turned into one format at compile time ("%d"/"%s" per argument, the
** delimiter and newline as literal text). Formats are parsed once, here.
*/
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "comp_int.h"
#include "lang.h"
#include "printf.h"
#include "session.h"

/* Append literal text to a format, doubling '%'. */
static void lit(struct strbuf *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '%')
			sb_putc(f, '%');
		sb_putc(f, *s);
	}
}

/* --compatible before 1.3: the old %p layout */
static void compat_fmt(struct session *s, struct fmt *f)
{
	if (lang_has_version(s, "1.3"))
		return;
	for (int i = 0; i < f->nsegs; i++)
		if (f->segs[i].conv == FC_POINTER)
			f->segs[i].flags |= FMT_PTR_OLD;
}

static int make_fmt(struct fstate *fs, struct exp *e, const char *text)
{
	char err[256] = "";
	struct fmt *f = fmt_parse(&fs->C->s->script_arena, text, err, sizeof err);
	if (!f) {
		comp_err(fs, &e->pos, "%s", err[0] ? err : "invalid format");
		return -1;
	}
	return comp_fmt(fs->C->sc, f);
}

/* printf/sprintf: check the arguments against the format's conversions. */
static void print_f(struct fstate *fs, struct exp *e, int t, int res)
{
	struct exp *fe = e->fmt;
	if (!fe || fe->kind != E_STR) {
		comp_err(fs, fe ? &fe->pos : &e->pos, "format string must be a literal string");
		return;
	}
	char err[256] = "";
	struct fmt *f = fmt_parse(&fs->C->s->script_arena, fe->str, err, sizeof err);
	if (!f) {
		comp_err(fs, &fe->pos, "%s", err[0] ? err : "invalid format");
		return;
	}
	compat_fmt(fs->C->s, f);
	int n = e->args.n;
	if (n != f->nargs) {
		comp_err(fs, &e->pos, "wrong number of arguments to %s: format wants %d, got %d",
			 e->str, f->nargs, n);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct exp *a = e->args.v[i];
		bool want_s = f->argtypes[i] == 's';
		if (want_s != comp_is_string(a)) {
			comp_err(fs, &a->pos, "type mismatch: format wants a %s",
				 want_s ? "string" : "long");
			return;
		}
		comp_exp(fs, a);
	}
	E3(fs, OP_PRINTF, res - n, comp_fmt(fs->C->sc, f), n, t);
}

/* print(@hist_log(x), ...) and the like: one argument at a time. */
static void print_parts(struct fstate *fs, struct exp *e, int first, const char *delim, bool nl)
{
	for (int i = first; i < e->args.n; i++) {
		struct exp *a = e->args.v[i];
		struct strbuf f;
		sb_init(&f);
		if (i > first && delim)
			lit(&f, delim);
		if (a->kind == E_HIST) {
			if (f.len) {
				int p = make_fmt(fs, e, f.buf);
				if (p >= 0)
					E3(fs, OP_PRINTF, 0, p, 0, -1);
			}
			comp_hist(fs, a, -1);
			sb_free(&f);
			continue;
		}
		sb_puts(&f, comp_is_string(a) ? "%s" : "%d");
		comp_exp(fs, a);
		int p = make_fmt(fs, e, f.buf);
		if (p >= 0)
			E3(fs, OP_PRINTF, -1, p, 1, -1);
		sb_free(&f);
	}
	if (nl) {
		int p = make_fmt(fs, e, "\n");
		if (p >= 0)
			E3(fs, OP_PRINTF, 0, p, 0, -1);
	}
}

void comp_print(struct fstate *fs, struct exp *e)
{
	const char *name = e->str;
	bool to_str = name[0] == 's';
	const char *base = to_str ? name + 1 : name;
	int t = to_str ? comp_temp(fs) : -1;
	int res = to_str ? 1 : 0;
	const struct srcpos *save = fs->cur;
	fs->cur = &e->pos;
	if (strcmp(base, "printf") == 0) {
		print_f(fs, e, t, res);
		fs->cur = save;
		return;
	}
	bool d = strncmp(base, "printd", 6) == 0;
	bool nl = strcmp(base + strlen(base) - 2, "ln") == 0;
	const char *delim = NULL;
	int first = 0;
	if (d) {
		struct exp *de = e->fmt;
		if (!de || de->kind != E_STR) {
			comp_err(fs, de ? &de->pos : &e->pos, "delimiter must be a literal string");
			fs->cur = save;
			return;
		}
		delim = de->str;
	}
	if (e->a0 && e->a0->kind == E_HIST && (!to_str || e->args.n == 0)) {
		comp_hist(fs, e->a0, t);
		if (!to_str)
			print_parts(fs, e, first, delim, nl);
		fs->cur = save;
		return;
	}
	bool has_hist = false;
	for (int i = first; i < e->args.n; i++)
		has_hist |= ((struct exp *)e->args.v[i])->kind == E_HIST;
	if (has_hist && !to_str) {
		print_parts(fs, e, first, delim, nl);
		fs->cur = save;
		return;
	}
	struct strbuf f;
	sb_init(&f);
	int n = 0;
	bool ch = strcmp(name, "print_char") == 0;   /* stap's _stp_print_char: the byte itself */
	for (int i = first; i < e->args.n; i++, n++) {
		struct exp *a = e->args.v[i];
		if (i > first && delim)
			lit(&f, delim);
		sb_puts(&f, comp_is_string(a) ? "%s" : ch ? "%c" : "%d");
		comp_exp(fs, a);
	}
	if (nl)
		sb_putc(&f, '\n');
	int p = make_fmt(fs, e, f.len ? f.buf : "");
	sb_free(&f);
	if (p >= 0)
		E3(fs, OP_PRINTF, res - n, p, n, t);
	fs->cur = save;
}

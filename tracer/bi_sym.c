/*
** User symbols and stacks for scripts (stap's ucontext-symbols.stp, ucontext-unwind.stp,
** ucontext.stp): usymname, usymdata, umodname, ustack, ucallers, ubacktrace and the
** print_/sprint_ forms, in the runtime's _stp_snprint_addr formats.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "context.h"
#include "dwarf.h"
#include "provider.h"
#include "session.h"
#include "unwind.h"

enum symfmt { SF_SYMBOL, SF_DATA, SF_FULL, SF_FULLER, SF_SIMPLE, SF_BRIEF, SF_NONE, SF_FILE,
              SF_LINE, SF_FILELINE };

/* One address as _stp_snprint_addr prints it with the _STP_SYM_* set that fmt stands for. */
static int fmt_addr(struct bi_call *c, char *buf, size_t n, uint64_t addr, enum symfmt fmt)
{
	char name[256];
	uint64_t off = 0, size = 0;
	const char *mod = NULL;
	int r = -1;
	unsigned long long a = addr;

	if (fmt != SF_NONE)     /* no target (end probe): any process seen, as a saved stack needs */
		r = dw_addr_sym(c->sess, c->ctx->ops ? c->ctx->pid : 0, addr, name, sizeof name, &off,
		                &size, &mod);
	bool has_name = r == 0, has_mod = r >= 0 && mod;
	const char *file = NULL;
	int line = 0;
	if (fmt >= SF_FILE || fmt == SF_FULLER)
		dw_addr_line(c->sess, c->ctx->ops ? c->ctx->pid : 0, addr, &file, &line);
	const char *base = has_mod && strrchr(mod, '/') ? strrchr(mod, '/') + 1 : mod;
	unsigned long long o = off, z = size;

	switch (fmt) {
	case SF_SYMBOL:
		if (has_name)
			return snprintf(buf, n, "%s", name);
		break;
	case SF_BRIEF:
		if (has_name)
			return snprintf(buf, n, "%s+0x%llx\n", name, o);
		return snprintf(buf, n, "0x%llx\n", a);
	case SF_DATA:
		if (has_name)
			return snprintf(buf, n, "%s+0x%llx/0x%llx [%s]", name, o, z, mod);
		if (has_mod)
			return snprintf(buf, n, "0x%llx [%s+0x%llx/0x%llx]", a, mod, o, z);
		break;
	case SF_FULL:
		if (has_name)
			return snprintf(buf, n, " 0x%llx : %s+0x%llx/0x%llx [%s]\n", a, name, o, z, mod);
		if (has_mod)
			return snprintf(buf, n, " 0x%llx [%s+0x%llx/0x%llx]\n", a, mod, o, z);
		return snprintf(buf, n, " 0x%llx\n", a);
	case SF_SIMPLE:
		if (has_name)
			return snprintf(buf, n, "%s+0x%llx [%s]\n", name, o, base);
		if (has_mod)
			return snprintf(buf, n, "0x%llx [%s+0x%llx]\n", a, base, o);
		return snprintf(buf, n, "0x%llx\n", a);
	case SF_NONE:
		return snprintf(buf, n, "0x%llx ", a);
	case SF_FILE:
		if (file)
			return snprintf(buf, n, "%s", file);
		break;
	case SF_LINE:
		if (line)
			return snprintf(buf, n, "%d", line);
		break;
	case SF_FILELINE:
		if (file && line)
			return snprintf(buf, n, "%s:%d", file, line);
		if (file)
			return snprintf(buf, n, "%s", file);
		if (line)
			return snprintf(buf, n, "??:%d", line);
		break;
	case SF_FULLER:     /* _STP_SYM_FULLER: " at file:line" after the symbol */
		if (has_name && file && line)
			return snprintf(buf, n, " 0x%llx : %s+0x%llx/0x%llx at %s:%d [%s]\n", a, name, o, z,
			                file, line, mod);
		if (has_name && file)
			return snprintf(buf, n, " 0x%llx : %s+0x%llx/0x%llx at %s [%s]\n", a, name, o, z,
			                file, mod);
		if (has_name)
			return snprintf(buf, n, " 0x%llx : %s+0x%llx/0x%llx [%s]\n", a, name, o, z, mod);
		if (has_mod)
			return snprintf(buf, n, " 0x%llx [%s+0x%llx/0x%llx]\n", a, mod, o, z);
		return snprintf(buf, n, " 0x%llx\n", a);
	}
	return snprintf(buf, n, "0x%llx", a);
}

static int stack(struct bi_call *c, uint64_t *pcs, int max)
{
	if (!c->ctx->ops)
		return -1;
	if (c->ctx->ops->ustack)
		return c->ctx->ops->ustack(c->ctx, pcs, max);
	return unw_ustack(c->ctx, pcs, max);
}

static int maxbt(struct bi_call *c)
{
	int64_t m = c->sess->lim.maxbacktrace;
	return m > 0 && m <= 256 ? (int)m : 20;
}

/* The whole user stack in one of the formats, appended to buf (size n). */
static int stack_text(struct bi_call *c, char *buf, size_t n, enum symfmt fmt)
{
	uint64_t pcs[256];
	int k = stack(c, pcs, maxbt(c)), len = 0;

	buf[0] = 0;
	if (k < 0) {
		if (fmt == SF_NONE)
			return 0;
		return snprintf(buf, n, "<no user backtrace at %s>\n",
		                c->ctx->probe && c->ctx->probe->pp ? c->ctx->probe->pp : "");
	}
	for (int i = 0; i < k && (size_t)len < n - 1; i++) {
		char line[512];
		int l = fmt_addr(c, line, sizeof line, pcs[i], fmt);
		if ((size_t)(len + l) >= n)
			break;      /* cut off cleanly, never half a line */
		memcpy(buf + len, line, l + 1);
		len += l;
	}
	return len;
}

static void out(struct bi_call *c, const char *s, size_t n) { sess_write(c->sess, s, n); }

static int bi_usymname(struct bi_call *c)
{
	fmt_addr(c, c->ret_s, c->maxstringlen + 1, (uint64_t)c->l[0], SF_SYMBOL);
	return 0;
}

static int bi_usymdata(struct bi_call *c)
{
	fmt_addr(c, c->ret_s, c->maxstringlen + 1, (uint64_t)c->l[0], SF_DATA);
	return 0;
}

static int bi_umodname(struct bi_call *c)
{
	char name[8];
	uint64_t off, size;
	const char *mod = NULL;

	if (dw_addr_sym(c->sess, c->ctx->ops ? c->ctx->pid : 0, (uint64_t)c->l[0], name, 0, &off,
	                &size, &mod) < 0 || !mod) {
		snprintf(c->ret_s, c->maxstringlen + 1, "<unknown>");
		return bi_error(c, "module cannot be found");
	}
	snprintf(c->ret_s, c->maxstringlen + 1, "%s", mod);
	return 0;
}

static int bi_ustack(struct bi_call *c)
{
	uint64_t pcs[256];
	int64_t n = c->l[0];
	int k = n >= 0 && n < maxbt(c) ? stack(c, pcs, (int)n + 1) : -1;

	if (k <= n)
		return bi_error(c, "cannot unwind user stack to depth %lld", (long long)n);
	c->ret_l = (int64_t)pcs[n];
	return 0;
}

static int bi_ucallers(struct bi_call *c)
{
	uint64_t pcs[256];
	int64_t n = c->l[0];
	int k = stack(c, pcs, n < 0 ? maxbt(c) : (int)(n + 1 < maxbt(c) ? n + 1 : maxbt(c)));
	size_t len = 0, max = (size_t)c->maxstringlen;

	c->ret_s[0] = 0;
	for (int i = 0; i < k; i++) {
		char tmp[32];
		int l = snprintf(tmp, sizeof tmp, "%s0x%llx", i ? " " : "", (unsigned long long)pcs[i]);
		if (len + l > max)
			break;
		memcpy(c->ret_s + len, tmp, l + 1);
		len += l;
	}
	if (n >= 0 && k <= n && k >= 0 && n < maxbt(c))
		return bi_error(c, "cannot unwind user stack to depth %lld", (long long)n);
	return 0;
}

static int bi_ubacktrace(struct bi_call *c)
{
	stack_text(c, c->ret_s, c->maxstringlen + 1, SF_NONE);
	return 0;
}

static int bi_sprint_ubacktrace(struct bi_call *c)
{
	stack_text(c, c->ret_s, c->maxstringlen + 1, SF_SIMPLE);
	return 0;
}

static int print_stack(struct bi_call *c, enum symfmt fmt)
{
	char buf[256 * 300];
	int n;

	/* stap's uretprobe layout: where it returns from, then the stack from the return site */
	if (c->ctx->ret_from && c->ctx->ops && (fmt == SF_FULL || fmt == SF_FULLER)) {
		n = fmt_addr(c, buf, sizeof buf, c->ctx->ret_from, fmt);
		out(c, "Returning from: ", 16);
		out(c, buf, n);
		out(c, "Returning to  : ", 16);
	}
	n = stack_text(c, buf, sizeof buf, fmt);
	out(c, buf, n);
	return 0;
}

static int bi_print_ubacktrace(struct bi_call *c) { return print_stack(c, SF_FULL); }
static int bi_print_ubacktrace_brief(struct bi_call *c) { return print_stack(c, SF_BRIEF); }
static int bi_print_ubacktrace_fileline(struct bi_call *c) { return print_stack(c, SF_FULLER); }

static int addr_fmt(struct bi_call *c, enum symfmt f)
{
	fmt_addr(c, c->ret_s, c->maxstringlen + 1, (uint64_t)c->l[0], f);
	return 0;
}

static int bi_usymfile(struct bi_call *c) { return addr_fmt(c, SF_FILE); }
static int bi_usymline(struct bi_call *c) { return addr_fmt(c, SF_LINE); }
static int bi_usymfileline(struct bi_call *c) { return addr_fmt(c, SF_FILELINE); }

/* " 0x... : sym+0x../0x.. [mod]\n" for each hex address of a ubacktrace()/ucallers() string. */
static int usyms(struct bi_call *c, char *buf, size_t n)
{
	char tok[64], data[512];
	const char *p = c->s[0];
	size_t len = 0;

	buf[0] = 0;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t t = strcspn(p, " ");
		if (!t)
			break;
		snprintf(tok, sizeof tok, "%.*s", (int)(t < 63 ? t : 63), p);
		p += t;
		fmt_addr(c, data, sizeof data, strtoull(tok, NULL, 16), SF_DATA);
		int l = snprintf(buf + len, n - len, " %s : %s\n", tok, data);
		if (l < 0 || len + l >= n) {
			buf[len] = 0;
			break;
		}
		len += l;
	}
	return (int)len;
}

static int bi_print_usyms(struct bi_call *c)
{
	char buf[256 * 300];
	out(c, buf, usyms(c, buf, sizeof buf));
	return 0;
}

static int bi_sprint_usyms(struct bi_call *c)
{
	usyms(c, c->ret_s, c->maxstringlen + 1);
	return 0;
}

const struct builtin bi_sym_tab[] = {
	{ "usymname", "s:l", bi_usymname, true },
	{ "usymdata", "s:l", bi_usymdata, true },
	{ "umodname", "s:l", bi_umodname, true },
	{ "ustack", "l:l", bi_ustack, true },
	{ "ucallers", "s:l", bi_ucallers, true },
	{ "ubacktrace", "s:", bi_ubacktrace, true },
	{ "sprint_ubacktrace", "s:", bi_sprint_ubacktrace, true },
	{ "print_ubacktrace", "v:", bi_print_ubacktrace, true },
	{ "print_ubacktrace_brief", "v:", bi_print_ubacktrace_brief, true },
	{ "print_ubacktrace_fileline", "v:", bi_print_ubacktrace_fileline, true },
	{ "usymfile", "s:l", bi_usymfile, true },
	{ "usymline", "s:l", bi_usymline, true },
	{ "usymfileline", "s:l", bi_usymfileline, true },
	{ "print_usyms", "v:s", bi_print_usyms, true },
	{ "print_ustack", "v:s", bi_print_usyms, true },
	{ "sprint_usyms", "s:s", bi_sprint_usyms, true },
	{ "sprint_ustack", "s:s", bi_sprint_usyms, true },
	{ NULL },
};

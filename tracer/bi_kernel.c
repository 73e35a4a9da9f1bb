/*
** Kernel-side builtins: kernel stacks from perf callchains (backtrace, print_backtrace,
** callers, stack), kernel symbols (symname, symdata, print_syms) in stap's text formats
** (runtime/sym.c _stp_snprint_addr), and task helpers the sched tapset needs.
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "context.h"
#include "kallsyms.h"
#include "session.h"

#define MAXFRAMES 128

static size_t cap(struct bi_call *c)
{
	return (size_t)c->maxstringlen + 1;
}

static int kstack(struct bi_call *c, uint64_t *pcs)
{
	struct ctx *x = c->ctx;
	int n;

	if (!x->ops || !x->ops->kstack)
		return -1;
	n = x->ops->kstack(x, pcs, MAXFRAMES);
	if (n > c->sess->lim.maxbacktrace && c->sess->lim.maxbacktrace > 0)
		n = (int)c->sess->lim.maxbacktrace;
	return n;
}

/* _STP_SYM_DATA: "name+0xoff/0xsize [mod]", or the hex address */
static void symdata(struct session *s, uint64_t a, char *out, size_t n)
{
	uint64_t off, size;
	const char *mod, *name = ksym_lookup(s, a, &off, &size, &mod);

	if (name)
		snprintf(out, n, "%s+%#llx/%#llx [%s]", name, (unsigned long long)off,
		         (unsigned long long)size, mod);
	else
		snprintf(out, n, "%#llx", (unsigned long long)a);
}

/* one line of print_backtrace (_STP_SYM_FULL) */
static void put_full(struct session *s, uint64_t a)
{
	char d[512], line[600];

	symdata(s, a, d, sizeof d);
	int n = snprintf(line, sizeof line, " %#llx : %s\n", (unsigned long long)a, d);
	sess_write(s, line, (size_t)n);
}

/* hex list "0x.. 0x.." of frames [first, n) */
static void hexlist(struct bi_call *c, const uint64_t *pcs, int first, int n)
{
	size_t l = 0;

	c->ret_s[0] = 0;
	for (int i = first; i < n && l + 20 < cap(c); i++)
		l += (size_t)snprintf(c->ret_s + l, cap(c) - l, "%s%#llx", i > first ? " " : "",
		                      (unsigned long long)pcs[i]);
}

static int no_stack(struct bi_call *c)
{
	return bi_error(c, "cannot access kernel stack: the probe has no kernel callchain");
}

static int f_backtrace(struct bi_call *c)
{
	uint64_t pcs[MAXFRAMES];
	int n = kstack(c, pcs);

	if (n < 0)
		return no_stack(c);
	hexlist(c, pcs, 0, n);
	return 0;
}

static int f_callers(struct bi_call *c)
{
	uint64_t pcs[MAXFRAMES];
	int n = kstack(c, pcs), want = (int)c->l[0];

	if (n < 0)
		return no_stack(c);
	if (want >= 0 && want + 1 < n)
		n = want + 1;
	hexlist(c, pcs, 1, n);
	return 0;
}

static int f_stack(struct bi_call *c)
{
	uint64_t pcs[MAXFRAMES];
	int n = kstack(c, pcs);

	if (n < 0)
		return no_stack(c);
	if (c->l[0] < 0 || c->l[0] >= n)
		return bi_error(c, "cannot find stack frame %lld", (long long)c->l[0]);
	c->ret_l = (int64_t)pcs[c->l[0]];
	return 0;
}

static int f_print_backtrace(struct bi_call *c)
{
	uint64_t pcs[MAXFRAMES];
	int n = kstack(c, pcs);

	if (n < 0)
		return no_stack(c);
	for (int i = 0; i < n; i++)
		put_full(c->sess, pcs[i]);
	return 0;
}

static int f_sprint_backtrace(struct bi_call *c)
{
	uint64_t pcs[MAXFRAMES];
	int n = kstack(c, pcs);
	size_t l = 0;
	char d[512];

	if (n < 0)
		return no_stack(c);
	for (int i = 0; i < n && l < cap(c); i++) {
		symdata(c->sess, pcs[i], d, sizeof d);
		l += (size_t)snprintf(c->ret_s + l, cap(c) - l, " %#llx : %s\n",
		                      (unsigned long long)pcs[i], d);
	}
	return 0;
}

/* print_syms / print_stack: " 0x.. : symdata\n" for each hex word of the string */
static int f_print_syms(struct bi_call *c)
{
	const char *p = c->s[0];

	while (*p) {
		char *end;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		uint64_t a = strtoull(p, &end, 16);
		if (end == p)
			break;
		char d[512], line[700];
		symdata(c->sess, a, d, sizeof d);
		int n = snprintf(line, sizeof line, " %.*s : %s\n", (int)(end - p), p, d);
		sess_write(c->sess, line, (size_t)n);
		p = end;
	}
	return 0;
}

static int f_sprint_syms(struct bi_call *c)
{
	const char *p = c->s[0];
	size_t l = 0;

	while (*p && l < cap(c)) {
		char *end;
		while (*p == ' ')
			p++;
		uint64_t a = strtoull(p, &end, 16);
		if (end == p)
			break;
		char d[512];
		symdata(c->sess, a, d, sizeof d);
		l += (size_t)snprintf(c->ret_s + l, cap(c) - l, " %.*s : %s\n", (int)(end - p), p, d);
		p = end;
	}
	return 0;
}

static int f_symname(struct bi_call *c)
{
	uint64_t off, size;
	const char *mod, *name = ksym_lookup(c->sess, (uint64_t)c->l[0], &off, &size, &mod);

	if (name)
		snprintf(c->ret_s, cap(c), "%s", name);
	else
		snprintf(c->ret_s, cap(c), "%#llx", (unsigned long long)c->l[0]);
	return 0;
}

static int f_symdata(struct bi_call *c)
{
	symdata(c->sess, (uint64_t)c->l[0], c->ret_s, cap(c));
	return 0;
}

/* The thread group of a thread, from /proc (the thread itself when it is gone). */
static int f_tgid(struct bi_call *c)
{
	int tid = (int)c->l[0];

	c->ret_l = tid > 0 ? proc_status_field(tid, "Tgid:", 0, 10, tid) : tid;
	return 0;
}

/* ---- kernel memory: stap's kernel_string/_long/... ----
   ustap runs no kernel code and has no /dev/kmem: every read of kernel memory faults, with
   stap's fault message and why; the forms that take an error message return it. */
static int kfault(struct bi_call *c, const char *what)
{
	return bi_error(c, "kernel %s copy fault at 0x%llx [man error::fault] (ustap cannot read "
	                "kernel memory)", what, (unsigned long long)c->l[0]);
}

static int f_kernel_string(struct bi_call *c) { return kfault(c, "string"); }
static int f_kernel_long(struct bi_call *c) { return kfault(c, "long"); }
static int f_kernel_int(struct bi_call *c) { return kfault(c, "int"); }
static int f_kernel_short(struct bi_call *c) { return kfault(c, "short"); }
static int f_kernel_char(struct bi_call *c) { return kfault(c, "char"); }
static int f_kernel_pointer(struct bi_call *c) { return kfault(c, "pointer"); }

/* kernel_string(addr, err_msg), kernel_string2, kernel_string_n's 3-argument form: err_msg */
static int f_kernel_string_msg(struct bi_call *c)
{
	snprintf(c->ret_s, (size_t)c->maxstringlen + 1, "%s", c->s[c->nargs - 1]);
	return 0;
}

/* kernel_string_quoted(addr): stap gives the address, unquoted, when it cannot read there */
static int f_kernel_string_quoted(struct bi_call *c)
{
	snprintf(c->ret_s, (size_t)c->maxstringlen + 1, "0x%llx", (unsigned long long)c->l[0]);
	return 0;
}

/* kernel_buffer_quoted(addr, inlen[, outlen]): the address as text (at most outlen - 1 bytes) */
static int f_kernel_buffer_quoted(struct bi_call *c)
{
	int64_t out = c->nargs > 2 ? c->l[2] : c->maxstringlen + 1;

	if (out > c->maxstringlen + 1)
		out = c->maxstringlen + 1;
	if (out > 0)
		snprintf(c->ret_s, (size_t)out, "0x%llx", (unsigned long long)c->l[0]);
	return 0;
}

static int f_kernel_buffer_quoted_error(struct bi_call *c)
{
	return bi_error(c, "Unable to access kernel space data at 0x%llx (ustap cannot read kernel "
	                "memory)", (unsigned long long)c->l[0]);
}

/* stap's stp_pid(): the pid of the process that runs the script (stapio's; here ustap's) */
static int f_stp_pid(struct bi_call *c)
{
	c->ret_l = c->sess->self_pid;
	return 0;
}

const struct builtin bi_kernel_tab[] = {
	{ "stp_pid", "l:", f_stp_pid, false },
	{ "kernel_string", "s:l", f_kernel_string, false },
	{ "kernel_string", "s:ls", f_kernel_string_msg, false },
	{ "kernel_string2", "s:ls", f_kernel_string_msg, false },
	{ "kernel_string_n", "s:ll", f_kernel_string, false },
	{ "kernel_string_quoted", "s:l", f_kernel_string_quoted, false },
	{ "kernel_string_utf16", "s:l", f_kernel_string, false },
	{ "kernel_string_utf16", "s:ls", f_kernel_string_msg, false },
	{ "kernel_string_utf32", "s:l", f_kernel_string, false },
	{ "kernel_string_utf32", "s:ls", f_kernel_string_msg, false },
	{ "kernel_long", "l:l", f_kernel_long, false },
	{ "kernel_int", "l:l", f_kernel_int, false },
	{ "kernel_short", "l:l", f_kernel_short, false },
	{ "kernel_char", "l:l", f_kernel_char, false },
	{ "kernel_pointer", "l:l", f_kernel_pointer, false },
	{ "kernel_buffer_quoted", "s:ll", f_kernel_buffer_quoted, false },
	{ "kernel_buffer_quoted", "s:lll", f_kernel_buffer_quoted, false },
	{ "kernel_buffer_quoted_error", "s:lll", f_kernel_buffer_quoted_error, false },
	{ "backtrace", "s:", f_backtrace, false },
	{ "callers", "s:l", f_callers, false },
	{ "stack", "l:l", f_stack, false },
	{ "print_backtrace", "v:", f_print_backtrace, false },
	{ "sprint_backtrace", "s:", f_sprint_backtrace, false },
	{ "print_syms", "v:s", f_print_syms, false },
	{ "print_stack", "v:s", f_print_syms, false },
	{ "sprint_syms", "s:s", f_sprint_syms, false },
	{ "sprint_stack", "s:s", f_sprint_syms, false },
	{ "symname", "s:l", f_symname, false },
	{ "symdata", "s:l", f_symdata, false },
	{ "__ks_tgid", "l:l", f_tgid, false },
	{ NULL, NULL, NULL, false }
};

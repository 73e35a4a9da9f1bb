/*
** Context builtins: who fired the probe (pid, tid, execname, uid ...), which probe (pp,
** ppfunc, probefunc), its registers and arguments (register, u_register, *_arg, returnval),
** and user memory (user_string*, user_<type>*, user_buffer_quoted) with stap's fault texts.
*/
#include <elf.h>
#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "builtins.h"
#include "context.h"
#include "dwarf.h"
#include "engine.h"
#include "prov_process.h"
#include "printf.h"
#include "provider.h"
#include "session.h"

static int msl(struct bi_call *c) { return c->maxstringlen; }

/* ---- identity, from /proc of the probed process (ustap's own in begin/end) ---- */

/* A field of /proc/PID/status ("Uid:"), column col. */
static int64_t status_field(struct ctx *x, const char *key, int col)
{
	return proc_status_field(x->pid, key, col, 10, -1);
}

static int f_pid(struct bi_call *c) { c->ret_l = c->ctx->pid; return 0; }
static int f_tid(struct bi_call *c) { c->ret_l = c->ctx->tid; return 0; }
static int f_ppid(struct bi_call *c) { c->ret_l = status_field(c->ctx, "PPid:", 0); return 0; }
static int f_uid(struct bi_call *c) { c->ret_l = status_field(c->ctx, "Uid:", 0); return 0; }
static int f_euid(struct bi_call *c) { c->ret_l = status_field(c->ctx, "Uid:", 1); return 0; }
static int f_gid(struct bi_call *c) { c->ret_l = status_field(c->ctx, "Gid:", 0); return 0; }
static int f_egid(struct bi_call *c) { c->ret_l = status_field(c->ctx, "Gid:", 1); return 0; }

static int f_execname(struct bi_call *c)
{
	char buf[64];
	if (c->ctx->comm) {   /* kernel events know it, even for a task already gone */
		snprintf(c->ret_s, msl(c) + 1, "%s", c->ctx->comm);
		return 0;
	}
	if (proc_read(c->ctx->pid, c->ctx->tid, "comm", buf, sizeof buf) > 0) {
		buf[strcspn(buf, "\n")] = 0;
		snprintf(c->ret_s, msl(c) + 1, "%s", buf);
	}
	return 0;
}

/* stap's cmdline_args(n, m, delim): arguments n..m (m < 0: to the last), an empty one as "" */
static void cmdline_args(struct bi_call *c, int64_t n, int64_t m, const char *delim)
{
	char buf[8192];
	int len = proc_read(c->ctx->pid, 0, "cmdline", buf, sizeof buf);
	size_t cap = (size_t)msl(c) + 1, k = 0;
	for (int64_t nr = 0, at = 0; at < len && (m < 0 || nr <= m); nr++) {
		const char *a = buf + at;
		at += (int64_t)strlen(a) + 1;
		if (nr == n)
			k = (size_t)snprintf(c->ret_s, cap, "%s", a);
		else if (nr > n && k < cap)
			k += (size_t)snprintf(c->ret_s + k, cap - k, "%s%s", delim, *a ? a : "\"\"");
	}
}

static int f_cmdline_str(struct bi_call *c) { cmdline_args(c, 0, -1, " "); return 0; }
static int f_cmdline_arg(struct bi_call *c) { cmdline_args(c, c->l[0], c->l[0], ""); return 0; }
static int f_cmdline_args(struct bi_call *c) { cmdline_args(c, c->l[0], c->l[1], c->s[2]); return 0; }

static int f_cpu(struct bi_call *c)
{
	struct ctx *x = c->ctx;
	if (x->cpu < 0) {         /* a traced thread: field 39 of its stat */
		char buf[1024];
		x->cpu = 0;
		if (proc_read(x->pid, x->tid, "stat", buf, sizeof buf) > 0) {
			char *p = strrchr(buf, ')');
			for (int f = 2; p && f < 39; f++)
				p = strchr(p + 1, ' ');
			if (p)
				x->cpu = atoi(p + 1);
		}
	}
	c->ret_l = x->cpu;
	return 0;
}

/* ---- the probe point ---- */

static const char *cur_pp(struct bi_call *c)
{
	return c->ctx->probe && c->ctx->probe->pp ? c->ctx->probe->pp : "";
}

static int f_pp(struct bi_call *c)
{
	snprintf(c->ret_s, msl(c) + 1, "%s", cur_pp(c));
	return 0;
}

/* The name inside label("...") of the derived point (stap's pnlabel), "" without one. */
static int f_pnlabel(struct bi_call *c)
{
	const char *st = strstr(cur_pp(c), "label(\"");
	if (st)
		snprintf(c->ret_s, msl(c) + 1, "%.*s", (int)strcspn(st + 7, "\""), st + 7);
	return 0;
}

/* The name inside function("...") or statement("..."), up to '@' or '"' (stap's ppfunc). */
static int f_ppfunc(struct bi_call *c)
{
	const char *pp = cur_pp(c), *st = strstr(pp, "function(\"");
	st = st ? st + 10 : strstr(pp, "statement(\"") ? strstr(pp, "statement(\"") + 11 : NULL;
	if (st)
		snprintf(c->ret_s, msl(c) + 1, "%.*s", (int)strcspn(st, "@\""), st);
	return 0;
}

/* stap 2.0+: probefunc() is usymname(uaddr()) in a user probe. The pp's function when it names
   one (ppfunc), else the symbol at the pc (.plt, .mark, .statement(ADDR) probes). */
static int f_probefunc(struct bi_call *c)
{
	char name[256];
	uint64_t off, size;
	const char *mod = NULL;
	f_ppfunc(c);
	if (c->ret_s[0] || !c->ctx->probe || strcmp(c->ctx->probe->prov->name, "process") ||
	    !c->ctx->ops || !c->ctx->ops->pc)
		return 0;
	if (dw_addr_sym(c->sess, c->ctx->pid, c->ctx->ops->pc(c->ctx), name, sizeof name, &off, &size,
	                &mod) == 0)
		snprintf(c->ret_s, msl(c) + 1, "%s", name);
	return 0;
}

static int f_probemod(struct bi_call *c)
{
	const char *st = strstr(cur_pp(c), "module(\"");
	if (!st)
		return bi_error(c, "Cannot determine kernel module name");
	snprintf(c->ret_s, msl(c) + 1, "%.*s", (int)strcspn(st + 8, "\""), st + 8);
	return 0;
}

static int f_is_return(struct bi_call *c) { c->ret_l = c->ctx->is_return; return 0; }

static int f_uaddr(struct bi_call *c)
{
	c->ret_l = c->ctx->ops && c->ctx->ops->pc ? (int64_t)c->ctx->ops->pc(c->ctx) : 0;
	return 0;
}

static int f_user_mode(struct bi_call *c) { c->ret_l = c->ctx->user_mode; return 0; }

/* stap: user mode in a compat (32-bit) task; ELF class of the task's executable here */
static int f_probing_32bit_app(struct bi_call *c)
{
	char id[EI_NIDENT + 1];
	if (c->ctx->ops == &ctx_ptrace_ops) {   /* a traced process: its mode is known (module.c) */
		c->ret_l = pt_ctx_mode(c->ctx) == 1;
		return 0;
	}
	c->ret_l = c->ctx->user_mode && proc_read(c->ctx->pid, 0, "exe", id, sizeof id) > EI_CLASS &&
	           id[EI_CLASS] == ELFCLASS32;
	return 0;
}

/* stap's arch_bytes (sizeof(long) of the kernel) and uarch_bytes (of the user task) */
static int f_arch_bytes(struct bi_call *c) { c->ret_l = (int64_t)sizeof(long); return 0; }
static int f_uarch_bytes(struct bi_call *c)
{
	if (!c->ctx->user_mode)
		return bi_error(c, "requires user mode");
	f_probing_32bit_app(c);
	c->ret_l = c->ret_l ? 4 : 8;
	return 0;
}

/* ---- registers and arguments ---- */

static int reg_named(struct bi_call *c, bool sign)
{
	int no, bytes, shift;
	uint64_t v;
	if (!c->ctx->ops || !c->ctx->ops->reg)
		return bi_error(c, "cannot access CPU registers in this context");
	if (arch_reg_byname_mode(c->s[0], pt_ctx_mode(c->ctx), &no, &bytes, &shift) < 0)
		return bi_error(c, "Unknown register: %s", c->s[0]);
	if (c->ctx->ops->reg(c->ctx, no, &v) < 0)
		return bi_error(c, "No registers available in this context");
	v >>= shift;
	if (bytes < 8) {
		int bits = bytes * 8;
		v &= (1ull << bits) - 1;
		if (sign && (v >> (bits - 1)))
			v |= ~0ull << bits;
	}
	c->ret_l = (int64_t)v;
	return 0;
}

static int f_register(struct bi_call *c) { return reg_named(c, true); }
static int f_u_register(struct bi_call *c) { return reg_named(c, false); }

static int get_arg(struct bi_call *c, int bits, bool sign)
{
	struct ctx *x = c->ctx;
	int64_t n = c->l[0];
	uint64_t v = 0;
	if (!x->ops || !x->ops->reg)
		return bi_error(c, "cannot access function args in this context");
	if (n < 1 || n > 64)
		return bi_error(c, "cannot access arg(%lld)", (long long)n);
	int mode = pt_ctx_mode(x), no = arch_arg_regno_mode((int)n, mode);
	if (no >= 0) {
		if (x->ops->reg(x, no, &v) < 0)
			return bi_error(c, "cannot access arg(%lld)", (long long)n);
	} else {
		uint64_t sp;
		int spno;
		int b, sh;
		arch_reg_byname_mode("sp", mode, &spno, &b, &sh);
		if (x->ops->reg(x, spno, &sp) < 0 ||
		    x->ops->read(x, sp + arch_stack_arg_off_mode((int)n, mode), &v,
		                 (size_t)arch_ptr_bytes(mode)) < 0)
			return bi_error(c, "kernel fault at %#llx accessing arg(%lld)",
			                (unsigned long long)sp, (long long)n);
	}
	if (bits == 32 || mode)   /* stap: 32-bit values in a 32-bit app */
		v = sign ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
	c->ret_l = (int64_t)v;
	return 0;
}

static int f_int_arg(struct bi_call *c) { return get_arg(c, 32, true); }
static int f_uint_arg(struct bi_call *c) { return get_arg(c, 32, false); }
static int f_long_arg(struct bi_call *c) { return get_arg(c, 64, true); }
static int f_ulong_arg(struct bi_call *c) { return get_arg(c, 64, false); }   /* pointer_arg too */

/* stap's longlong_arg: in a 32-bit app the value takes two argument slots, low half first */
static int f_longlong_arg(struct bi_call *c)
{
	if (!pt_ctx_mode(c->ctx))
		return get_arg(c, 64, true);
	int64_t n = c->l[0];
	if (get_arg(c, 32, false) < 0)
		return -1;
	uint64_t lo = (uint64_t)c->ret_l;
	c->l[0] = n + 1;
	int r = get_arg(c, 32, false);
	c->l[0] = n;
	if (r < 0)
		return -1;
	c->ret_l = (int64_t)((uint64_t)c->ret_l << 32 | lo);
	return 0;
}

/* @uregister/@uderef (and the kernel forms) read inside a script function (lang/comp_exp.c) */
static int f_regop(struct bi_call *c)
{
	if (ctx_regop_read(c->ctx, (uint64_t)c->l[0], c->nargs > 1 ? (uint64_t)c->l[1] : 0, &c->ret_l) < 0)
		return bi_error(c, "%s", c->ctx->err);
	return 0;
}

static int f_returnval(struct bi_call *c)
{
	uint64_t v;
	if (!c->ctx->ops || !c->ctx->ops->reg || c->ctx->ops->reg(c->ctx, arch_retval_regno(), &v) < 0)
		return bi_error(c, "returnval() not defined in this context %s", cur_pp(c));
	c->ret_l = (int64_t)v;
	return 0;
}

/* ---- user memory ---- */

static int uread(struct bi_call *c, uint64_t addr, void *buf, size_t len)
{
	struct ctx *x = c->ctx;
	if (!x->ops || !x->ops->read) {
		errno = EFAULT;
		return -1;
	}
	return x->ops->read(x, addr, buf, len);
}

/* stap's uconversions-guru.stp: set_user_* write the target's memory (-g only) */
static int uwrite(struct bi_call *c, uint64_t addr, const void *buf, size_t len, const char *what)
{
	struct ctx *x = c->ctx;
	if (!x->ops || !x->ops->write || x->ops->write(x, addr, buf, len) < 0)
		return bi_error(c, "user %s copy fault at 0x%" PRIx64 " [man error::fault]", what, addr);
	return 0;
}

/* stap's store_uderef_string: at most len-1 bytes of s, then a NUL */
static int set_ustr(struct bi_call *c, uint64_t addr, const char *s, int64_t len)
{
	size_t n = strlen(s);
	if (len < 1)
		len = 1;
	if (n > (size_t)len - 1)
		n = (size_t)len - 1;
	char buf[n + 1];
	memcpy(buf, s, n);
	buf[n] = 0;
	return uwrite(c, addr, buf, n + 1, "string");
}

static int f_set_user_string(struct bi_call *c) { return set_ustr(c, c->l[0], c->s[1], msl(c)); }
static int f_set_user_string_n(struct bi_call *c)
{
	return set_ustr(c, c->l[0], c->s[2], c->l[1] + 1 > msl(c) ? msl(c) : c->l[1] + 1);
}

#define SET_USER(T, CT, WHAT) \
	static int f_set_user_##T(struct bi_call *c) \
	{ \
		CT v = (CT)c->l[1]; \
		return uwrite(c, c->l[0], &v, sizeof v, WHAT); \
	}
SET_USER(long, long, "long")
SET_USER(int, int, "int")
SET_USER(short, short, "short")
SET_USER(char, char, "char")
SET_USER(pointer, uint64_t, "pointer")

/* Up to n bytes of a C string at addr into out (n+1 bytes). 0, or -errno. */
static int ustr(struct bi_call *c, uint64_t addr, int64_t n, char *out)
{
	if (n < 0)
		n = 0;
	if (n > msl(c))
		n = msl(c);
	int64_t got = 0;
	while (got < n) {
		/* page by page: a string may end just before an unmapped page */
		int64_t chunk = 4096 - (int64_t)((addr + got) & 4095);
		if (chunk > n - got)
			chunk = n - got;
		if (uread(c, addr + got, out + got, chunk) < 0) {
			/* the page may be readable up to the string's end: byte by byte */
			for (int64_t i = 0; i < chunk; i++) {
				if (uread(c, addr + got + i, out + got + i, 1) < 0) {
					out[0] = 0;
					return -EFAULT;
				}
				if (!out[got + i])
					return 0;
			}
		}
		if (memchr(out + got, 0, chunk))
			return 0;
		got += chunk;
	}
	out[got] = 0;
	return 0;
}

static void warn(struct bi_call *c, const char *msg)
{
	sess_flush(c->sess);
	fprintf(stderr, "WARNING: %s\n", msg);
}

static int64_t str_n(struct bi_call *c, int i) { return c->nargs > i ? c->l[i] : msl(c); }

static int f_user_string_n(struct bi_call *c)
{
	int rc = ustr(c, (uint64_t)c->l[0], str_n(c, 1), c->ret_s);
	if (rc == 0)
		return 0;
	snprintf(c->ret_s, msl(c) + 1, "<unknown>");
	return bi_error(c, "user string copy fault %d at 0x%llx [man error::fault]", rc,
	                (unsigned long long)c->l[0]);
}

/* user_string(addr, err_msg), user_string_n(addr, n, err_msg): the message instead of an error */
static int f_user_string_msg(struct bi_call *c)
{
	bool has_n = c->nargs == 3;
	if (ustr(c, (uint64_t)c->l[0], has_n ? c->l[1] : msl(c), c->ret_s) < 0)
		snprintf(c->ret_s, msl(c) + 1, "%s", c->s[has_n ? 2 : 1]);
	return 0;
}

static int string_warn(struct bi_call *c, int64_t n, const char *msg)
{
	int rc = ustr(c, (uint64_t)c->l[0], n, c->ret_s);
	if (rc == 0)
		return 0;
	char w[160];
	snprintf(w, sizeof w, "user string copy fault %d at 0x%llx [man error::fault]", rc,
	         (unsigned long long)c->l[0]);
	warn(c, w);
	snprintf(c->ret_s, msl(c) + 1, "%s", msg);
	return 0;
}

static int f_user_string_warn(struct bi_call *c)
{
	return string_warn(c, msl(c), c->nargs > 1 ? c->s[1] : "");
}

static int f_user_string_n_warn(struct bi_call *c)
{
	return string_warn(c, c->l[1], c->nargs > 2 ? c->s[2] : "");
}

static int f_user_string_nofault(struct bi_call *c)
{
	if (ustr(c, (uint64_t)c->l[0], str_n(c, 1), c->ret_s) < 0)
		c->ret_s[0] = 0;
	return 0;
}

static int f_user_string_quoted(struct bi_call *c)
{
	char *tmp = malloc(msl(c) + 1);
	int64_t n = str_n(c, 1);
	if (!tmp || ustr(c, (uint64_t)c->l[0], n, tmp) < 0)
		snprintf(c->ret_s, msl(c) + 1, "0x%llx", (unsigned long long)c->l[0]);
	else
		fmt_text_str(c->ret_s, msl(c) + 1, tmp, msl(c), msl(c), true);
	free(tmp);
	/* user_string_n_quoted(addr, inlen, outlen): at most outlen characters, stap 3.0's
	   cut: the first outlen-4 and "\"..." (a fault: the address, whole) */
	size_t len = strlen(c->ret_s);
	if (c->nargs == 3 && c->ret_s[0] == '"' && c->l[2] >= 4 && (int64_t)len > c->l[2] - 2)
		snprintf(c->ret_s + c->l[2] - 4, msl(c) + 1 - (c->l[2] - 4), "\"...");
	return 0;
}

/* stap's _stp_convert_utf32: c as UTF-8 into buf (size bytes with the NUL); the length,
   0 when it does not fit, -1 for a surrogate or a value past U+10FFFF */
static int utf8_put(char *buf, int size, uint32_t c)
{
	int n = c <= 0x7F ? 1 : c <= 0x7FF ? 2 : (c >= 0xD800 && c <= 0xDFFF) ? -1 :
	        c <= 0xFFFF ? 3 : c <= 0x10FFFF ? 4 : -1;
	if (n < 0 || size < n + 1)
		return n < 0 ? -1 : 0;
	buf[n] = 0;
	for (int i = n - 1; i > 0; i--, c >>= 6)
		buf[i] = (char)(0x80 | (c & 0x3F));
	buf[0] = (char)(n == 1 ? c : ((0xFF00u >> n) & 0xFF) | c);
	return n;
}

/* user_string_utf16/32: UTF-16 (surrogate pairs joined) or UTF-32 units up to a 0 unit, as
   UTF-8 into out (maxstringlen+1 bytes). 0, or -1 with stap's error text in c. */
static int utf_read(struct bi_call *c, uint64_t a, int width, char *out)
{
	int len = msl(c) + 1, rc;
	uint32_t c32 = 0;
	out[0] = 0;
	for (; len > 1; a += width, out += rc, len -= rc) {
		uint16_t lo = 0;
		if (uread(c, a, &c32, width) < 0)
			return bi_error(c, "user string copy fault at 0x%" PRIx64 " [man error::fault]", a);
		c32 &= width == 2 ? 0xFFFF : 0xFFFFFFFF;
		if (!c32)
			break;
		if (width == 2 && c32 >= 0xD800 && c32 <= 0xDBFF && uread(c, a + 2, &lo, 2) == 0 &&
		    lo >= 0xDC00 && lo <= 0xDFFF) {
			c32 = 0x10000 + ((c32 & 0x3FF) << 10) + (lo & 0x3FF);
			a += 2;
		}
		if ((rc = utf8_put(out, len, c32)) <= 0) {
			if (rc < 0)
				return bi_error(c, "invalid UTF-%d character U+%X at 0x%" PRIx64, width * 8,
				                c32, a);
			break;
		}
	}
	return 0;
}

static int utf_width(struct bi_call *c, const char *name) { return strstr(name, "16") ? 2 : 4; }

#define UTF_FNS(W) \
	static int f_user_string_utf##W(struct bi_call *c) \
	{ \
		int rc = utf_read(c, c->l[0], utf_width(c, #W), c->ret_s); \
		if (rc < 0 && c->nargs == 2) {   /* (addr, err_msg): the message instead */ \
			snprintf(c->ret_s, msl(c) + 1, "%s", c->s[1]); \
			return 0; \
		} \
		return rc; \
	} \
	static int f_user_string_quoted_utf##W(struct bi_call *c) \
	{ \
		char *tmp = malloc(msl(c) + 1); \
		if (!tmp || utf_read(c, c->l[0], utf_width(c, #W), tmp) < 0) \
			snprintf(c->ret_s, msl(c) + 1, "0x%llx", (unsigned long long)c->l[0]); \
		else \
			fmt_text_str(c->ret_s, msl(c) + 1, tmp, msl(c), msl(c), true); \
		c->err[0] = 0; \
		free(tmp); \
		return 0; \
	}
UTF_FNS(16)
UTF_FNS(32)

/* user_<type>: width and signedness from the table entry's name */
struct utype { const char *name; int bytes; bool sign; };
static const struct utype utypes[] = {
	{ "char", 1, true }, { "short", 2, true }, { "ushort", 2, false }, { "int", 4, true },
	{ "uint", 4, false }, { "long", 8, true }, { "ulong", 8, false },
	{ "int8", 1, true }, { "uint8", 1, false }, { "int16", 2, true }, { "uint16", 2, false },
	{ "int32", 4, true }, { "uint32", 4, false }, { "int64", 8, true }, { "uint64", 8, false },
	{ NULL, 0, false },
};

/* mode: 0 plain (0 on a fault), 1 _error (soft error), 2 _warn (warning, 0) */
static int user_num(struct bi_call *c, const char *name, int mode)
{
	const struct utype *t = utypes;
	while (t->name && strcmp(t->name, name))
		t++;
	uint64_t v = 0;
	struct utype t32;
	if (t->bytes == 8 && t->name[strlen(t->name) - 1] == 'g' && pt_ctx_mode(c->ctx)) {
		t32 = *t;      /* stap: user_long/ulong of a 32-bit app read 4 bytes */
		t32.bytes = arch_ptr_bytes(pt_ctx_mode(c->ctx));
		t = &t32;
	}
	if (uread(c, (uint64_t)c->l[0], &v, t->bytes) < 0) {
		c->ret_l = 0;
		if (mode == 1)
			return bi_error(c, "read fault [man error::fault] at 0x%llx", (unsigned long long)c->l[0]);
		if (mode == 2) {
			char msg[160];
			snprintf(msg, sizeof msg, "user %s copy fault at 0x%llx [man error::fault]", name,
			         (unsigned long long)c->l[0]);
			warn(c, msg);
		}
		return 0;
	}
	if (t->bytes < 8) {
		int bits = t->bytes * 8;
		v &= (1ull << bits) - 1;
		if (t->sign && (v >> (bits - 1)))
			v |= ~0ull << bits;
	}
	c->ret_l = (int64_t)v;
	return 0;
}

#define UNUM(T) \
	static int f_user_##T(struct bi_call *c) { return user_num(c, #T, 0); } \
	static int f_user_##T##_error(struct bi_call *c) { return user_num(c, #T, 1); } \
	static int f_user_##T##_warn(struct bi_call *c) { return user_num(c, #T, 2); }
UNUM(char) UNUM(short) UNUM(ushort) UNUM(int) UNUM(uint) UNUM(long) UNUM(ulong)
UNUM(int8) UNUM(uint8) UNUM(int16) UNUM(uint16) UNUM(int32) UNUM(uint32) UNUM(int64) UNUM(uint64)

/* _stp_text_str's buffer mode (runtime/stp_string.c), byte for byte: outlen counts the quotes
   and the "..." of a truncated buffer; an escape that does not fit ends it whole. */
static int f_user_buffer_quoted(struct bi_call *c)
{
	int64_t inlen = c->l[1], outlen = c->nargs > 2 ? c->l[2] : msl(c);
	if (inlen <= 0 || inlen > msl(c) - 1) inlen = msl(c) - 1;
	if (outlen > msl(c)) outlen = msl(c);
	if (outlen <= 0)
		return 0;
	unsigned char *buf = malloc(inlen + 1);
	if (!buf || uread(c, (uint64_t)c->l[0], buf, inlen) < 0) {
		snprintf(c->ret_s, outlen, "0x%llx", (unsigned long long)c->l[0]);
		free(buf);
		return 0;
	}
	char *o = c->ret_s;
	int64_t k = 0, room = (outlen > msl(c) - 1 ? msl(c) - 1 : outlen), i = 0, esc = -1, esc_len = 0;
	int ch = 0;
	room = (room < 5 ? 5 : room) - 2;
	o[k++] = '"';
	while (i < inlen) {
		static const char sesc[] = "\a\b\f\n\r\t\v\"\\";
		static const char srep[] = "abfnrtv\"\\";
		char e[8];
		int num;
		ch = buf[i];
		if (room <= 0)
			break;
		i++;
		const char *q = ch ? strchr(sesc, ch) : NULL;
		if (ch >= 32 && ch < 127 && ch != '"' && ch != '\\')
			num = 1, e[0] = (char)ch, e[1] = 0;
		else if (q)
			num = 2, snprintf(e, sizeof e, "\\%c", srep[q - sesc]);
		else
			num = 4, snprintf(e, sizeof e, ch ? "\\%03o" : "\\0", ch);   /* stap counts "\\0" as 4 */
		if (num > 1) {
			if (esc < 0 && room - 3 < num)
				esc = k, esc_len = num;
			if (room < num)
				break;
		}
		memcpy(o + k, e, strlen(e));
		k += (int64_t)strlen(e);
		room -= num;
	}
	if (ch && i < inlen) {
		int64_t cut = k - 3 + room;
		k = esc >= 0 && esc < cut && cut < esc + esc_len ? esc : cut;
		memcpy(o + k, "\"...", 4);
		k += 4;
	} else {
		o[k++] = '"';
	}
	o[k] = 0;
	free(buf);
	return 0;
}

#define UENT(T) \
	{ "user_" #T, "l:l", f_user_##T, false }, \
	{ "user_" #T "_error", "l:l", f_user_##T##_error, false }, \
	{ "user_" #T "_warn", "l:l", f_user_##T##_warn, false }

const struct builtin bi_context_tab[] = {
	{ "pid", "l:", f_pid, false },
	{ "tid", "l:", f_tid, false },
	{ "ppid", "l:", f_ppid, false },
	{ "uid", "l:", f_uid, false },
	{ "euid", "l:", f_euid, false },
	{ "gid", "l:", f_gid, false },
	{ "egid", "l:", f_egid, false },
	{ "execname", "s:", f_execname, false },
	{ "cmdline_str", "s:", f_cmdline_str, false },
	{ "cmdline_arg", "s:l", f_cmdline_arg, false },
	{ "cmdline_args", "s:lls", f_cmdline_args, false },
	{ "cpu", "l:", f_cpu, false },
	{ "pp", "s:", f_pp, false },
	{ "pnlabel", "s:", f_pnlabel, false },
	{ "set_user_string", "v:ls", f_set_user_string, false, true },
	{ "set_user_string_n", "v:lls", f_set_user_string_n, false, true },
	{ "set_user_long", "v:ll", f_set_user_long, false, true },
	{ "set_user_int", "v:ll", f_set_user_int, false, true },
	{ "set_user_short", "v:ll", f_set_user_short, false, true },
	{ "set_user_char", "v:ll", f_set_user_char, false, true },
	{ "set_user_pointer", "v:ll", f_set_user_pointer, false, true },
	{ "ppfunc", "s:", f_ppfunc, false },
	{ "probefunc", "s:", f_probefunc, false },
	{ "probemod", "s:", f_probemod, false },
	{ "is_return", "l:", f_is_return, false },
	{ "uaddr", "l:", f_uaddr, false },
	{ "user_mode", "l:", f_user_mode, false },
	{ "probing_32bit_app", "l:", f_probing_32bit_app, false },
	{ "arch_bytes", "l:", f_arch_bytes, false },
	{ "uarch_bytes", "l:", f_uarch_bytes, false },
	{ "register", "l:s", f_register, false },
	{ "u_register", "l:s", f_u_register, false },
	{ "int_arg", "l:l", f_int_arg, false },
	{ "s32_arg", "l:l", f_int_arg, false },
	{ "uint_arg", "l:l", f_uint_arg, false },
	{ "u32_arg", "l:l", f_uint_arg, false },
	{ "long_arg", "l:l", f_long_arg, false },
	{ "ulong_arg", "l:l", f_ulong_arg, false },
	{ "longlong_arg", "l:l", f_longlong_arg, false },
	{ "ulonglong_arg", "l:l", f_longlong_arg, false },
	{ "pointer_arg", "l:l", f_ulong_arg, false },
	{ "s64_arg", "l:l", f_longlong_arg, false },
	{ "u64_arg", "l:l", f_longlong_arg, false },
	{ "returnval", "l:", f_returnval, false },
	{ "_ustap_regop", "l:l", f_regop, false },
	{ "_ustap_regop", "l:ll", f_regop, false },
	{ "user_string", "s:l", f_user_string_n, false },
	{ "user_string", "s:ls", f_user_string_msg, false },
	{ "user_string2", "s:ls", f_user_string_msg, false },
	{ "user_string_n", "s:ll", f_user_string_n, false },
	{ "user_string_n", "s:lls", f_user_string_msg, false },
	{ "user_string_n2", "s:lls", f_user_string_msg, false },
	{ "user_string_warn", "s:l", f_user_string_warn, false },
	{ "user_string_warn", "s:ls", f_user_string_warn, false },
	{ "user_string2_warn", "s:ls", f_user_string_warn, false },
	{ "user_string_n_warn", "s:ll", f_user_string_n_warn, false },
	{ "user_string_n_warn", "s:lls", f_user_string_n_warn, false },
	{ "user_string_nofault", "s:l", f_user_string_nofault, false },
	{ "user_string_n_nofault", "s:ll", f_user_string_nofault, false },
	{ "user_string_quoted", "s:l", f_user_string_quoted, false },
	{ "user_string_utf16", "s:l", f_user_string_utf16, false },
	{ "user_string_utf16", "s:ls", f_user_string_utf16, false },
	{ "user_string2_utf16", "s:ls", f_user_string_utf16, false },
	{ "user_string_quoted_utf16", "s:l", f_user_string_quoted_utf16, false },
	{ "user_string_utf32", "s:l", f_user_string_utf32, false },
	{ "user_string_utf32", "s:ls", f_user_string_utf32, false },
	{ "user_string2_utf32", "s:ls", f_user_string_utf32, false },
	{ "user_string_quoted_utf32", "s:l", f_user_string_quoted_utf32, false },
	{ "user_string_n_quoted", "s:ll", f_user_string_quoted, false },
	{ "user_string_n_quoted", "s:lll", f_user_string_quoted, false },
	{ "user_buffer_quoted", "s:ll", f_user_buffer_quoted, false },
	{ "user_buffer_quoted", "s:lll", f_user_buffer_quoted, false },
	UENT(char), UENT(short), UENT(ushort), UENT(int), UENT(uint), UENT(long), UENT(ulong),
	UENT(int8), UENT(uint8), UENT(int16), UENT(uint16), UENT(int32), UENT(uint32),
	UENT(int64), UENT(uint64),
	{ NULL },
};

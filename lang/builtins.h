/*
** The registry of C builtins: functions a script can call that need the runtime (context,
** memory, time, stacks, strings done fast). Each area contributes one table; builtins.c
** lists the tables. Script and tapset functions shadow nothing here: elaboration looks up a
** call in the script, then here, then in tapset/ *.stp files.
*/
#ifndef USTAP_BUILTINS_H
#define USTAP_BUILTINS_H

#include <stdbool.h>
#include <stdint.h>

struct session;
struct ctx;

#define BI_MAXARGS 8

struct bi_call {
	struct session *sess;
	struct ctx *ctx;          /* never NULL: begin/end/timer get a plain context */
	int nargs;
	int64_t l[BI_MAXARGS];    /* long arguments, by position */
	const char *s[BI_MAXARGS];/* string arguments, by position (NUL-terminated) */
	int64_t ret_l;            /* long result */
	char *ret_s;              /* string result: a buffer of maxstringlen+1 bytes, prefilled "" */
	int maxstringlen;
	char err[256];            /* set with bi_error(): the VM raises a soft error with it */
};

/* Signature string: return type, ':', argument types. 'l' long, 's' string, 'v' void (return
   only). "l:ss" is long f(string, string). A trailing '*' repeats the last type (variadic). */
struct builtin {
	const char *name;
	const char *sig;
	int (*fn)(struct bi_call *c); /* 0 ok; -1 soft error (c->err set); BI_ABORT: abort() */
	bool needs_target;        /* only meaningful in a probe with a target process/thread */
	bool guru;                /* stap's guru-only functions: pass 2 refuses them without -g */
};

/* abort(): the handler (and its callers, try/catch included) stops at once without an error;
   exit() has been requested, so end probes run next, as in stap. */
#define BI_ABORT (-2)

/* Run the system() commands a handler queued (call after the handler's output is flushed). */
void bi_run_system(struct session *s);

/* Format the error text; returns -1 so that 'return bi_error(c, ...)' reads well. */
int bi_error(struct bi_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "ENOENT" for 2 or -2 (stap's errno table), NULL if unknown: for returnstr() and friends. */
const char *bi_errno_name(int64_t e);

/* The i-th builtin over all tables (0..), NULL past the last: for "(similar: ...)" lists. */
const struct builtin *bi_at(int i);

/* Lookup by name and arity (-1: any). NULL if none. */
const struct builtin *bi_lookup(const char *name, int nargs);

/* The tables, each ending with a {NULL} entry. builtins.c lists them all. */
extern const struct builtin bi_string_tab[];  /* lang/bi_string.c */
extern const struct builtin bi_time_tab[];    /* lang/bi_time.c */
extern const struct builtin bi_ctl_tab[];     /* lang/bi_ctl.c: exit, error, warn, system ... */
extern const struct builtin bi_context_tab[]; /* tracer/bi_context.c: pid, execname, user_* ... */
extern const struct builtin bi_sym_tab[];     /* tracer/bi_sym.c: usymname, ubacktrace ... */
extern const struct builtin bi_kernel_tab[];  /* tracer/bi_kernel.c: backtrace, symname ... */
extern const struct builtin bi_task_tab[];    /* tracer/bi_task.c: task_current, task_pid ... */
extern const struct builtin bi_sysc_tab[];    /* tracer/bi_sysc.c: errno_str, _sys_open_flag_str ... */
extern const struct builtin bi_fp_tab[];      /* lang/bi_fp.c: fp_add, string_to_fp ... */

#endif

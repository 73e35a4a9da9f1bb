/*
** The probe context: what a handler may ask of the event that fired it.
** An interface (identity + registers + a memory reader), so a stopped thread, a perf
** record, or later an in-target snapshot can all stand behind it.
*/
#ifndef USTAP_CONTEXT_H
#define USTAP_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;
struct dprobe;
struct ctx;

struct ctx_ops {
	/* Memory of the probed process (user space). 0, or -1 on a fault (errno set). */
	int (*read)(struct ctx *c, uint64_t addr, void *buf, size_t len);
	int (*write)(struct ctx *c, uint64_t addr, const void *buf, size_t len);
	/* A register by DWARF number (arch numbering, see tracer/arch.h). 0, or -1 if unavailable. */
	int (*reg)(struct ctx *c, int dwregno, uint64_t *val);
	int (*set_reg)(struct ctx *c, int dwregno, uint64_t val);
	/* Program counter of the hit (the probed address, after the trap is fixed up). */
	uint64_t (*pc)(struct ctx *c);
	/* .return probes: a register as it was at the function's entry (saved with the shadow
	   frame), so that $param in a .return probe reads the entry value as stap's do.
	   0, or -1 if not saved. NULL: not supported (such reads fail with a clear error). */
	int (*entry_reg)(struct ctx *c, int dwregno, uint64_t *val);
	/* A word read from the stack at addr that may be a hijacked return address (a .return
	   probe's trampoline): the original return address, else val. For unwinders. NULL: none. */
	uint64_t (*fix_ret)(struct ctx *c, uint64_t addr, uint64_t val);
	/* Stacks, innermost first. Return the number of frames, or -1. */
	int (*ustack)(struct ctx *c, uint64_t *pcs, int max);
	int (*kstack)(struct ctx *c, uint64_t *pcs, int max);
};

struct ctx {
	struct session *sess;
	struct dprobe *probe;     /* the probe whose handler runs */
	int pid, tid;             /* the traced thread; ustap's own in begin/end/timer */
	int cpu;
	bool user_mode;           /* the event happened in user space (user_mode()) */
	bool is_return;           /* a .return probe */
	uint64_t uaddr;           /* uaddr(): user address of the probe, 0 if none */
	uint64_t mod_bias;        /* load bias of the probed module in this process (DWARF addresses) */
	uint64_t ret_from;        /* .return probes: the returning function's entry address, else 0 */
	const struct ctx_ops *ops;/* NULL when there is no target (begin/end/timer) */
	void *priv;               /* the provider's per-hit data (regs, raw record, ...) */
	const char *comm;         /* the task's name when the provider knows it (kernel events: from
	                             perf COMM records, right even for tasks gone since), or NULL */
	uint64_t time_ns;         /* when the event happened, CLOCK_MONOTONIC ns, if that was before
	                             the handler runs (a kernel record drained later), else 0:
	                             the time builtins (lang/bi_time.c) report the event's time */
	char err[256];            /* soft error text set by a failing read, for the VM to raise */
	/* .return probes with entry snippets: this call's saved @entry values (written by
	   lang_run_entry at the entry, read by the handler at the return); NULL: none */
	char *entry_vals;
};

/* A context with no target: begin, end, error, timer. pid/tid are ustap's own. */
void ctx_init_plain(struct ctx *c, struct session *s, struct dprobe *p);

/* @uregister(N), @kregister(N), @uderef(SIZE, ADDR), @kderef(SIZE, ADDR) in any probe: a tvar
   reading (and, guru, writing) through the context's ops. 0, or -1 after a semantic error. */
struct exp;
struct tvar;
int ctx_regop_tvar(struct session *s, const struct exp *e, struct tvar *out);
/* The same read without a tvar (in script functions: lang/comp_exp.c calls the builtin
   _ustap_regop(PACKED[, ADDR])): PACKED = ctx_regop_pack(N or SIZE, deref, kernel form).
   0, or -1 with c->err set. */
static inline uint64_t ctx_regop_pack(int64_t n, bool deref, bool kernel)
{
	return (uint64_t)n << 2 | (uint64_t)deref << 1 | (uint64_t)kernel;
}
int ctx_regop_read(struct ctx *c, uint64_t packed, uint64_t addr, int64_t *val);

#endif

/*
** Between the process provider's elaboration half (prov_process.c: probe points into
** pprobes) and its run half (proc_arm.c: pprobes into breakpoints and handlers).
*/
#ifndef USTAP_PROV_PROCESS_H
#define USTAP_PROV_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

struct session;
struct dprobe;
struct dw_module;
struct pt_thread;
struct ctx;
struct sdt_note;

enum pkind { PK_CODE, PK_BEGIN, PK_END, PK_TBEGIN, PK_TEND, PK_SYSCALL, PK_SYSRET };

struct pprobe {
	struct dprobe *dp;
	enum pkind kind;
	const char *path;         /* module (absolute); NULL: any traced process */
	bool is_exe;              /* an executable (else a shared library) */
	bool is_return;
	int pid;                  /* process(PID): that process only */
	uint64_t addr;            /* static address of the breakpoint */
	uint64_t entry;           /* static entry of the function (return probes hijack there) */
	uint64_t entry_pc;        /* .return: the function's probe pc (after the prologue), where
	                             @entry values are taken (stap's entry probe) */
	struct dw_module *dw;
	const char *func;         /* ppfunc() */
	uint64_t order;           /* -p2 listing order within one expansion (see sort_expansion) */
	const struct sdt_note *sdt; /* .mark(): the marker site (tracer/sdt.h), else NULL */
};

int procx_arm(struct session *s);
void procx_disarm(struct session *s);

/* tracer/ctx_ptrace.c: the context of a stopped traced thread. */
extern const struct ctx_ops ctx_ptrace_ops;
void ctx_ptrace_init(struct ctx *c, struct session *s, struct dprobe *dp, struct pt_thread *t);

#endif

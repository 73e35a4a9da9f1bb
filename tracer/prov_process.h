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
	const char *only_exe;     /* .library(): only in processes of this executable, else NULL */
	const char *list_prefix;  /* .library(): -l/-L's process("EXE").library("LIB"), else NULL */
	const char *plt_name;     /* .plt(): the stub's function ($$name), else NULL */
	const char *list_pp;      /* -l/-L text when it is not pp (.plt), else NULL */
};

int procx_arm(struct session *s);

/* tracer/prov_plt.c: .plt("GLOB")[.return] from component ci, on proto->path (prepared by
   prov_process.c); list_prefix: what -l shows before .plt(...). Adds one dprobe per stub;
   returns their number, 0 (optional point, none) or -1 after an error. */
struct probe;
struct probe_point;
struct exp;
struct tvar;
int plt_expand(struct session *s, struct probe *src, struct probe_point *pt, int ci,
               const struct pprobe *proto, const char *list_prefix);
int plt_tvar(struct session *s, struct pprobe *p, struct exp *e, struct tvar *out);
/* The libraries .library(LIB) names for executable exe: path (absolute) and the text -l
   shows in .library("..."). Returns their number (0: none), -1 after an error. */
struct plt_lib {
	const char *path, *text;
};
int plt_libraries(struct session *s, const char *exe, const char *lib, struct plt_lib **out);
/* .function("GLOB").exported: the module's exported function names (stap's func_is_exported). */
struct plt_exports {
	const char **v;           /* sorted */
	int n;
};
int plt_exports_load(struct session *s, struct dw_module *m, struct plt_exports *out);
bool plt_exported(const struct plt_exports *x, const char *name);
void procx_disarm(struct session *s);

/* tracer/ctx_ptrace.c: the context of a stopped traced thread. */
extern const struct ctx_ops ctx_ptrace_ops;
void ctx_ptrace_init(struct ctx *c, struct session *s, struct dprobe *dp, struct pt_thread *t);

#endif

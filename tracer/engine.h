/*
** The ptrace breakpoint engine, as a library: traced processes and threads (pt_, ptrace.c),
** breakpoints with out-of-line slots and shadow return stacks (bp_, bkpt.c), and the modules
** of a process with their load biases (mod_, module.c). Providers drive it through pt_ops.
*/
#ifndef USTAP_ENGINE_H
#define USTAP_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

struct session;
struct pt_proc;
struct bp;

struct shadow_frame {
	uint64_t orig_ret;        /* the real return address */
	uint64_t ret_sp;          /* stack pointer once returned: frames below it are dead */
	uint64_t slot;            /* stack address holding the trampoline, 0 if a register */
	struct bp *bp;            /* whose return users run */
	uint64_t func;            /* the function's entry address */
	bool chained;             /* entered by a tail call from the frame below: same return */
	struct arch_regs entry_regs; /* registers at entry: $param in .return reads these */
};

struct pt_thread {
	struct pt_thread *next;
	struct pt_proc *proc;
	int tid;
	bool stopped;             /* in a ptrace stop that nobody resumed yet */
	bool listening;           /* group-stop, resumed with PTRACE_LISTEN */
	bool exiting;             /* its PTRACE_EVENT_EXIT was seen */
	int resume_sig;           /* signal to deliver when resumed */
	int pending_status;       /* a stop seen while waiting for another (0: none) */
	struct shadow_frame *shadow;
	int nshadow, shadow_cap;
	struct arch_regs regs;    /* valid while handling a stop */
	uint64_t trap_pc;         /* the probed address of the current hit */
	/* process.syscall: the current syscall (entry: nr + args; exit: nr kept, ret set) */
	uint64_t sc_nr, sc_args[6];
	int64_t sc_ret;
	bool in_syscall;
	const struct shadow_frame *ret_frame; /* the frame returning, while its users run */
	/* entry values (lang_run_entry) of shadow frame i: entry_store + i * pt_state.entry_stride,
	   grown with the shadow stack (entry_frames of them), reused by the next call at depth i */
	char *entry_store;
	int entry_frames;
	size_t entry_size;        /* bytes allocated at entry_store */
	char *ret_entry;          /* the returning frame's, while its users run */
	uint64_t stk[2][2];       /* the last two stack mappings [lo, hi] seen (shadow.c), 0: none */
};

struct bp_user {
	struct bp_user *next;
	void *cookie;             /* the provider's (a dprobe) */
	bool ret;                 /* a return probe: runs at the trampoline */
};

struct bp {
	struct bp *next;          /* hash chain */
	uint64_t addr;
	uint8_t orig[ARCH_MAX_INSN];
	struct arch_insn insn;
	uint64_t slot;            /* XOL slot, 0 when emulated */
	struct bp_user *users;
	int nret;
	bool internal;            /* the engine's own (the dynamic linker's r_brk) */
};

#define BP_HASH 256
#define PT_RET_REC 4096       /* entries of a process's hijack record (a power of two) */

/* The real return address of the latest hijack whose frame returns at sp (shadow.c). */
struct ret_rec {
	uint64_t sp, ret, slot;   /* slot: where the trampoline went (0: a register) */
};

struct xol_page {
	struct xol_page *next;
	uint64_t addr;
	int used;                 /* slots given out */
};

struct mod {
	struct mod *next;
	char *path;
	uint64_t bias;
	uint64_t lo, hi;          /* mapped range (lowest PT_LOAD .. highest end), biased */
	struct dw_module *dw;     /* NULL until asked */
	bool armed;               /* probes placed by the provider */
	bool seen;                /* found by the latest mod_refresh (module.c) */
};

struct pt_proc {
	struct pt_proc *next;
	int pid, ppid;
	int memfd;                /* /proc/PID/mem */
	struct pt_thread *threads;
	struct bp *bps[BP_HASH];
	int nbps;
	struct xol_page *xol;
	uint64_t tramp;           /* return trampoline (a breakpoint in an XOL page), 0 if none */
	struct ret_rec *rec;      /* PT_RET_REC hijack records, NULL until the first hijack */
	/* a system call injection under way (for the crash rescue): the code it replaced at
	   entry and the registers of thread inj_tid; inj_len 0: none */
	int inj_len, inj_tid;
	uint8_t inj_orig[16];
	struct arch_regs inj_saved;
	bool ret_warned;          /* a return-probe warning was printed for it */
	uint64_t entry, phdr, at_base;   /* auxv: AT_ENTRY, AT_PHDR, AT_BASE */
	int mode;                 /* arch_elf_mode of its executable (1: i386 on x86_64), -1: untraceable */
	uint64_t r_debug;         /* address of struct r_debug, 0 until known */
	struct mod *mods;
	bool shares_mm;           /* a vfork child: its memory is the parent's */
	bool exec_pending;        /* seized before exec (-c): probes go in at the exec stop */
	bool syscalls;            /* resumed with PTRACE_SYSCALL (process.syscall probes) */
	bool gone;
	void *user;               /* the provider's */
};

enum pt_why { PTW_ATTACH, PTW_EXEC, PTW_FORK, PTW_VFORK };

struct pt_ops {
	/* A process is traced and stopped (t): place probes. parent: the forking process. */
	void (*proc_new)(struct session *s, struct pt_thread *t, struct pt_proc *parent, enum pt_why why);
	/* The dynamic linker changed the link map (t stopped in p): place library probes. */
	void (*mods_changed)(struct session *s, struct pt_thread *t);
	void (*thread_new)(struct session *s, struct pt_thread *t);
	/* The process exec'd (PTRACE_EVENT_EXEC stop, t its only thread), before the old image's
	   modules are forgotten: the old image has ended (stap's process.end at exec). Optional. */
	void (*exec_old)(struct session *s, struct pt_thread *t);
	/* About to exit (PTRACE_EVENT_EXIT stop); last: the process's last thread. */
	void (*thread_exit)(struct session *s, struct pt_thread *t, bool last);
	/* A breakpoint user fired; t->regs hold the registers (pc at the probed address). */
	void (*hit)(struct session *s, struct pt_thread *t, struct bp *b, struct bp_user *u,
	            uint64_t func);
	/* A breakpoint with return users hijacked the return address: t->regs as at the entry,
	   vals the new frame's store (pt_state.entry_stride bytes) for the entry snippets. */
	void (*entry)(struct session *s, struct pt_thread *t, struct bp *b, char *vals);
	/* A syscall entry or exit stop (process.syscall): t->sc_* hold it. */
	void (*syscall)(struct session *s, struct pt_thread *t, bool entry);
	/* The last traced process is gone. */
	void (*all_gone)(struct session *s);
};

struct pt_state {
	const struct pt_ops *ops;
	struct pt_proc *procs;
	int nprocs;
	bool detaching;
	uint64_t hits, lost;      /* statistics */
	char err[512];            /* the last error, stap-worded (for ERROR: lines) */
	void *prov;               /* the provider's (proc_arm.c) */
	uint64_t gen;             /* bumped when a thread or process is added */
	bool syscalls;            /* stop at every syscall entry and exit (set before attaching) */
	size_t entry_stride;      /* bytes of entry values per shadow frame (0: none) */
	uint64_t crash_after;     /* USTAP_TEST_CRASH: fault on purpose at this hit (tests only) */
	bool crash_inject;        /* USTAP_TEST_CRASH=inject: fault while injecting (tests only) */
};

/* ---- ptrace.c ---- */
int pt_init(struct session *s, const struct pt_ops *ops);
/* Seize a running process and all its threads, stop its leader and report proc_new.
   0, or -1 with s->pt->err set ("... pid N ..."). */
int pt_attach(struct session *s, int pid);
/* Seize a process, all its threads, that has not exec'd yet (the -c child; a process held in
   its execve by tracer/execwatch.c): probes go in at its exec. */
int pt_attach_child(struct session *s, int pid);
/* Reap and handle every pending ptrace stop (call on SIGCHLD). */
void pt_poll(struct session *s);
/* Remove every breakpoint, restore hijacked return addresses, detach every thread.
   Idempotent; safe on any exit path. */
void pt_detach_all(struct session *s);
struct pt_proc *pt_find_proc(struct session *s, int pid);
/* Resume a stopped thread (with its pending signal). */
void pt_resume(struct pt_thread *t);
int pt_getregs(struct pt_thread *t);
int pt_setregs(struct pt_thread *t);
/* Run syscall nr in stopped thread t (at the process's entry point). Returns its result. */
long pt_inject_syscall(struct pt_thread *t, long nr, const long args[6]);
/* Memory of p: 0 or -1 (errno). read uses process_vm_readv, falling back to /proc/PID/mem. */
int pt_read(struct pt_proc *p, uint64_t addr, void *buf, size_t len);
int pt_write(struct pt_proc *p, uint64_t addr, const void *buf, size_t len);
/* The arch_mem of a process. */
struct arch_mem pt_mem(struct pt_proc *p);

/* ---- bkpt.c ---- */
/* Add a user at addr in p (t: a stopped thread of p, for mapping XOL pages). Installs the
   breakpoint on first use. 0, or -1 with s->pt->err set (naming addr; EIO on hugetlb). */
int bp_add(struct session *s, struct pt_thread *t, uint64_t addr, void *cookie, bool ret,
           bool internal);
struct bp *bp_find(struct pt_proc *p, uint64_t addr);
/* A SIGTRAP stop of t with registers loaded: handle it if it is ours (true). */
bool bp_trap(struct session *s, struct pt_thread *t);
/* Copy p's breakpoints into the forked child c (same addresses, slots and trampoline), and
   the forking thread's shadow stack into c's first thread. */
void bp_fork(struct pt_proc *p, struct pt_thread *forker, struct pt_proc *c);
/* Put the original bytes back for every breakpoint of p (the child case: no users kept). */
void bp_remove_all(struct pt_proc *p);
/* Detach-time fix of a stopped thread: pc out of XOL slots and trampoline, hijacked return
   addresses restored. Registers are written back. */
void bp_unhijack_thread(struct session *s, struct pt_thread *t);
/* Return addresses hijacked into a register (aarch64) put back, in t->regs and the frames;
   system calls only (the crash rescue uses it too). */
void bp_unhijack_regs(struct pt_thread *t);
/* Every hijacked return address of t back in its place (stack slots, then bp_unhijack_regs);
   the shadow frames stay (an exception unwinder starts on t: tracer/eh.c). */
void bp_unhijack_frames(struct pt_thread *t);
/* Forget everything of p without touching its memory (exec: the image is gone). */
void bp_forget(struct pt_proc *p);
/* Forget p's breakpoints in [lo, hi) without touching its memory: a library dlclose'd
   (unmapped); its next load gets new ones. */
void bp_forget_range(struct pt_proc *p, uint64_t lo, uint64_t hi);
/* Unmap p's XOL pages through t (all threads out of them). */
void bp_unmap_xol(struct pt_thread *t);
/* Run b's users of one kind (ret: return users) for a hit of t. */
void bp_run_users(struct session *s, struct pt_thread *t, struct bp *b, bool ret, uint64_t func);

/* ---- shadow.c ---- */
/* Entry of a function with return users (t stopped at b, registers loaded): hijack the return
   address (a tail call from a hijacked function chains to its frame), push, run entry snippets. */
void shadow_enter(struct session *s, struct pt_thread *t, struct bp *b);
/* t trapped at the trampoline: run the return users of the returning frame(s) and set pc (and
   the registers) to the real return address. false (with a warning) when nothing records it. */
bool shadow_return(struct session *s, struct pt_thread *t);
/* The real return address for t at the trampoline with stack pointer sp (its frames dropped),
   0 if unknown. */
uint64_t shadow_take(struct session *s, struct pt_thread *t, uint64_t sp);
/* Fork: the child c inherits p's hijack record, its thread ct the forker's shadow stack. */
void shadow_fork(struct pt_proc *p, struct pt_thread *forker, struct pt_proc *c,
                 struct pt_thread *ct);
void shadow_forget(struct pt_proc *p);
/* The real return address of t at the trampoline with stack pointer sp, 0 if unknown. Reads
   only (async-signal-safe). */
uint64_t shadow_ret_addr(const struct pt_thread *t, uint64_t sp);
/* Every stack slot the hijack record knows that still holds the trampoline gets its real
   return address back, through fd (p's /proc/PID/mem): frames dropped as dead that were not.
   pread/pwrite only (async-signal-safe). */
void shadow_unhijack_rec(struct pt_proc *p, int fd);
/* It was caught (t at __cxa_begin_catch): unwound frames dropped, live ones hijacked again. */
void shadow_eh_caught(struct pt_thread *t);

/* ---- ctx_ptrace.c ---- */
struct ctx;
/* The arch mode (tracer/arch.h) of the process c traces: 1 for an i386 program on x86_64;
   0 when c is no ptrace context (kernel events, begin/end). */
int pt_ctx_mode(const struct ctx *c);

/* ---- rescue.c ---- */
/* Crash handlers (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL) that restore every process of pt
   and detach before ustap dies; removed again before pt is freed. */
void rescue_install(struct pt_state *pt);
void rescue_remove(struct pt_state *pt);
/* USTAP_TEST_CRASH: the deliberate fault; rescue_test_point(true) faults there when asked
   for a fault in the middle of a system call injection. */
void rescue_test_crash(void);
void rescue_test_point(bool inject);

/* ---- module.c ---- */
/* Read auxv (entry, phdr, base) of p. 0 or -1. */
int mod_read_auxv(struct pt_proc *p);
/* Refresh p's module list: the executable (bias from AT_PHDR), the dynamic linker (AT_BASE)
   and the link map; a library gone from a consistent link map is dropped with its
   breakpoints (bp_forget_range). Returns how many modules are new. */
int mod_refresh(struct session *s, struct pt_proc *p);
/* The module of p that is the same file as path (device and inode), or NULL. */
struct mod *mod_find(struct pt_proc *p, const char *path);
void mod_forget(struct pt_proc *p);
/* The dynamic linker's r_brk (_dl_debug_state), biased, 0 if unknown. */
uint64_t mod_r_brk(struct session *s, struct pt_proc *p);
/* Resolve a process("PATH") argument like stap: absolute, relative to cwd, or looked up in
   $PATH (with a slash: as is). Shared libraries: a path, or a soname searched in the usual
   library directories. Returns a malloc'd absolute path or NULL (errno). */
char *mod_resolve_path(const char *path);
/* Same file (device and inode)? */
bool mod_same_file(const char *a, const char *b);

#endif

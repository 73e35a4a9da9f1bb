/*
** Emergency cleanup when ustap itself crashes (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL): stop
** every traced thread, move pcs out of breakpoints, XOL slots and the return trampoline, put the
** hijacked return addresses and the original code back through the open /proc/PID/mem fds,
** detach, then let the signal take ustap down. Async-signal-safe: syscalls and the engine's own
** lists only (a breakpoint or shadow frame is linked once complete), no allocation, no stdio.
** SIGKILL cannot be caught: the kernel detaches and the breakpoints stay (README says so).
*/
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <elf.h>

#include "engine.h"

static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
#define NCRASH (int)(sizeof(crash_sigs) / sizeof(crash_sigs[0]))

/* The engine's one global: a signal handler gets no argument to find the session by. */
static struct {
	struct pt_state *volatile pt;
	struct sigaction old[NCRASH];
	sigjmp_buf jb;            /* a fault inside the rescue skips to the next process */
	volatile sig_atomic_t busy;
} rs;

static void say(const char *m)
{
	ssize_t r = write(2, m, strlen(m));
	(void)r;
}

/* A stop of tid (0.5 s at most): its status, or -1 (gone, or not stopping). */
static int wait_stop(int tid)
{
	for (int i = 0; i < 500; i++) {
		int st;
		int r = waitpid(tid, &st, __WALL | WNOHANG);
		if (r == tid)
			return WIFSTOPPED(st) ? st : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Interrupted just as it ran into a breakpoint: the interrupt stop came first and the SIGTRAP
   is still queued (it would kill the program once detached). Take it now. */
static void take_queued_trap(int tid)
{
	siginfo_t si[8];
	struct __ptrace_peeksiginfo_args a = { 0, 0, 8 };
	long n = ptrace(PTRACE_PEEKSIGINFO, tid, &a, si);
	for (long i = 0; i < n; i++)
		if (si[i].si_signo == SIGTRAP && (si[i].si_code == SI_KERNEL || si[i].si_code == TRAP_BRKPT)) {
			if (ptrace(PTRACE_CONT, tid, 0, 0) == 0)
				wait_stop(tid);
			return;
		}
}

static bool stopped_by_bkpt(int tid)
{
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0 || si.si_signo != SIGTRAP)
		return false;
	return si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT;
}

/* Where t would be in the original code: out of a slot, back on a trapped breakpoint, or at
   the real return address for the trampoline. 0: where it is. */
static uint64_t fixed_pc(struct pt_proc *p, struct pt_thread *t, const struct arch_regs *r)
{
	uint64_t pc = arch_pc(r);
	int bl;
	arch_bkpt(&bl);
	/* the injection's own breakpoint is no trap of the program */
	if (stopped_by_bkpt(t->tid) && !(p->inj_len && t->tid == p->inj_tid)) {
		uint64_t tp = arch_trap_pc(r);
		if (p->tramp && tp == p->tramp)
			return shadow_ret_addr(t, arch_sp_after_ret(r));
		if (bp_find(p, tp))
			return tp;
		t->resume_sig = SIGTRAP;   /* the program's own breakpoint instruction */
	}
	if (p->tramp && pc == p->tramp)
		return shadow_ret_addr(t, arch_sp_after_ret(r));
	for (int h = 0; h < BP_HASH; h++)
		for (struct bp *b = p->bps[h]; b; b = b->next)
			if (b->slot && pc >= b->slot && pc < b->slot + ARCH_XOL_SLOT)
				return arch_xol_unmap_pc(&b->insn, b->addr, b->slot, pc);
	return 0;
}

static void fix_thread(struct pt_proc *p, struct pt_thread *t)
{
	struct arch_regs r;
	if (arch_regs_io(t->tid, &r, false) == 0) {
		uint64_t npc = fixed_pc(p, t, &r);
		if (npc) {
			arch_set_pc(&r, npc);
			arch_regs_io(t->tid, &r, true);
		}
	}
}

/* The original code and the hijacked return addresses of t's frames, in memory fd. */
static void restore_mem(int fd, struct pt_proc *p, struct pt_thread *only)
{
	int bl;
	arch_bkpt(&bl);
	for (struct pt_thread *t = p->threads; t; t = t->next) {
		if (only && t != only)
			continue;
		for (int i = t->nshadow - 1; i >= 0; i--) {
			const struct shadow_frame *f = &t->shadow[i];
			uint64_t v = 0;
			ssize_t w = arch_ptr_bytes(p->mode);   /* 4 in an i386 process */
			if (f->slot && pread(fd, &v, w, f->slot) == w && v == p->tramp)
				if (pwrite(fd, &f->orig_ret, w, f->slot) < 0)
					continue;
		}
	}
	for (int h = 0; h < BP_HASH; h++)
		for (struct bp *b = p->bps[h]; b; b = b->next)
			if (pwrite(fd, b->orig, bl, b->addr) < 0)
				continue;
}

/* A fork or clone stop: the new process has our breakpoints and the forker's hijacked frames
   but is not in our lists yet. Clean its memory, then let it go. */
static void rescue_child(struct pt_proc *p, struct pt_thread *forker, int st)
{
	int ev = st >> 16;
	unsigned long pid = 0;
	if ((ev != PTRACE_EVENT_FORK && ev != PTRACE_EVENT_VFORK && ev != PTRACE_EVENT_CLONE) ||
	    ptrace(PTRACE_GETEVENTMSG, forker->tid, 0, &pid) < 0 || !pid)
		return;
	if (ev != PTRACE_EVENT_CLONE) {
		char path[32] = "/proc/";
		char num[16];
		int n = 0;
		for (unsigned long v = pid; v; v /= 10)
			num[n++] = (char)('0' + v % 10);
		int k = 6;
		while (n)
			path[k++] = num[--n];
		memcpy(path + k, "/mem", 5);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			restore_mem(fd, p, forker);
			shadow_unhijack_rec(p, fd);
			close(fd);
		}
	}
	wait_stop((int)pid);
	ptrace(PTRACE_DETACH, (int)pid, 0, 0);
}

static void rescue_proc(struct pt_proc *p)
{
	for (struct pt_thread *t = p->threads; t; t = t->next)
		if (!t->stopped)
			ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
	for (struct pt_thread *t = p->threads; t; t = t->next) {
		if (t->stopped)
			continue;
		int st = wait_stop(t->tid);
		if (st < 0)
			continue;
		t->stopped = true;
		int sig = WSTOPSIG(st), ev = st >> 16;
		if (ev == PTRACE_EVENT_STOP)
			take_queued_trap(t->tid);
		else if (ev)
			rescue_child(p, t, st);
		else if (sig != SIGTRAP && sig != (SIGTRAP | 0x80))
			t->resume_sig = sig;   /* a signal on its way to the program */
	}
	if (p->inj_len && p->memfd >= 0) {   /* caught injecting a system call: undo it */
		if (pwrite(p->memfd, p->inj_orig, p->inj_len, p->entry) < 0 ||
		    arch_regs_io(p->inj_tid, &p->inj_saved, true) < 0)
			say("ustap: could not undo a system call injection\n");
	}
	for (struct pt_thread *t = p->threads; t; t = t->next)
		if (t->stopped)
			fix_thread(p, t);
	if (p->memfd >= 0) {
		restore_mem(p->memfd, p, NULL);
		shadow_unhijack_rec(p, p->memfd);
	}
	for (struct pt_thread *t = p->threads; t; t = t->next)
		if (t->stopped && p->tramp && pt_getregs(t) == 0)
			bp_unhijack_regs(t);   /* aarch64: x30 and where prologues saved it */
	for (struct pt_thread *t = p->threads; t; t = t->next)
		ptrace(PTRACE_DETACH, t->tid, 0, (void *)(long)(t->stopped ? t->resume_sig : 0));
}

static void on_crash(int sig, siginfo_t *si, void *uc)
{
	if (rs.busy)
		siglongjmp(rs.jb, 1);   /* a fault while rescuing: on to the next process */
	rs.busy = 1;
	struct pt_state *pt = rs.pt;
	if (pt && pt->procs) {
		say("ustap: crashed (signal); restoring the traced processes and detaching\n");
		struct pt_proc *volatile p = pt->procs;
		while (p) {
			struct pt_proc *cur = p;
			p = p->next;
			if (!sigsetjmp(rs.jb, 1))
				rescue_proc(cur);
		}
	}
	for (int i = 0; i < NCRASH; i++)
		sigaction(crash_sigs[i], &rs.old[i], NULL);
	/* a fault comes back when the instruction reruns; a sent or raised signal is raised again */
	if (si->si_code <= 0 || sig == SIGABRT)
		raise(sig);
}

void rescue_install(struct pt_state *pt)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	rs.pt = pt;
	rs.busy = 0;
	for (int i = 0; i < NCRASH; i++)
		sigaction(crash_sigs[i], &sa, &rs.old[i]);
	/* USTAP_TEST_CRASH=N (tests only, tests/stp/process/crash.sh): ustap faults on purpose at
	   its Nth breakpoint hit, to exercise this cleanup for real */
	/* USTAP_TEST_CRASH=inject: in the middle of the first system call injection instead */
	const char *e = getenv("USTAP_TEST_CRASH");
	pt->crash_after = e ? strtoull(e, NULL, 10) : 0;
	pt->crash_inject = e && strcmp(e, "inject") == 0;
}

void rescue_test_point(bool inject)
{
	struct pt_state *pt = rs.pt;
	if (pt && inject && pt->crash_inject)
		rescue_test_crash();
}

void rescue_remove(struct pt_state *pt)
{
	if (rs.pt != pt)
		return;
	rs.pt = NULL;
	for (int i = 0; i < NCRASH; i++)
		sigaction(crash_sigs[i], &rs.old[i], NULL);
}

void rescue_test_crash(void)
{
	volatile uintptr_t bad = 8;
	*(volatile int *)bad = 1;
}

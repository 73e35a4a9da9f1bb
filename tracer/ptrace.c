/*
** Traced processes and threads: PTRACE_SEIZE with clone/fork/vfork/exec/exit events, the
** reaper that the session's SIGCHLD drives (each known thread is waited for by tid, so other
** children of ustap, such as system() commands, stay theirs), and the detach on every exit.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <elf.h>
#include <dirent.h>

#include "engine.h"
#include "ks.h"
#include "session.h"
#include "target.h"

#define PT_OPTS (PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
                 PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACESYSGOOD)

int pt_init(struct session *s, const struct pt_ops *ops)
{
	if (!s->pt) {
		s->pt = calloc(1, sizeof(*s->pt));
		if (!s->pt)
			return -1;
	}
	s->pt->ops = ops;
	rescue_install(s->pt);
	return 0;
}

struct pt_proc *pt_find_proc(struct session *s, int pid)
{
	for (struct pt_proc *p = s->pt ? s->pt->procs : NULL; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

static struct pt_proc *proc_new(struct session *s, int pid)
{
	struct pt_proc *p = calloc(1, sizeof(*p));
	char path[64];
	s->pt->gen++;
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	p->pid = pid;
	p->syscalls = s->pt->syscalls;
	p->memfd = open(path, O_RDWR | O_CLOEXEC);
	p->next = s->pt->procs;
	s->pt->procs = p;
	s->pt->nprocs++;
	return p;
}

static struct pt_thread *thread_new(struct pt_proc *p, int tid)
{
	struct pt_thread *t = calloc(1, sizeof(*t));
	t->tid = tid;
	t->proc = p;
	t->next = p->threads;
	p->threads = t;
	return t;
}

static void thread_free(struct pt_thread *t)
{
	struct pt_thread **pp = &t->proc->threads;
	while (*pp != t)
		pp = &(*pp)->next;
	*pp = t->next;
	free(t->shadow);
	free(t->entry_store);
	free(t);
}

static void proc_free(struct session *s, struct pt_proc *p)
{
	struct pt_proc **pp = &s->pt->procs;
	while (*pp && *pp != p)
		pp = &(*pp)->next;
	if (*pp)
		*pp = p->next;
	while (p->threads)
		thread_free(p->threads);
	bp_forget(p);
	mod_forget(p);
	if (p->memfd >= 0)
		close(p->memfd);
	free(p);
	s->pt->nprocs--;
}

int pt_getregs(struct pt_thread *t) { return arch_regs_io(t->tid, &t->regs, false); }
int pt_setregs(struct pt_thread *t) { return arch_regs_io(t->tid, &t->regs, true); }

void pt_resume(struct pt_thread *t)
{
	if (!t->stopped)
		return;
	t->stopped = false;
	if (t->listening) {
		t->listening = false;
		ptrace(PTRACE_LISTEN, t->tid, 0, 0);
		return;
	}
	int sig = t->resume_sig;
	t->resume_sig = 0;
	ptrace(t->proc->syscalls ? PTRACE_SYSCALL : PTRACE_CONT, t->tid, 0, (void *)(long)sig);
}

int pt_read(struct pt_proc *p, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)addr, len };
	ssize_t n = process_vm_readv(p->pid, &l, 1, &r, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (p->memfd >= 0 && pread(p->memfd, buf, len, addr) == (ssize_t)len)
		return 0;
	if (errno == 0)
		errno = EFAULT;
	return -1;
}

/* /proc/PID/mem writes with FOLL_FORCE: read-only text and private hugetlb pages too. */
int pt_write(struct pt_proc *p, uint64_t addr, const void *buf, size_t len)
{
	ssize_t n = p->memfd >= 0 ? pwrite(p->memfd, buf, len, addr) : -1;
	if (n == (ssize_t)len)
		return 0;
	if (n >= 0)
		errno = EIO;
	return -1;
}

static int mem_read(void *arg, uint64_t addr, void *buf, size_t len) { return pt_read(arg, addr, buf, len); }
static int mem_write(void *arg, uint64_t addr, const void *buf, size_t len) { return pt_write(arg, addr, buf, len); }

struct arch_mem pt_mem(struct pt_proc *p)
{
	return (struct arch_mem){ mem_read, mem_write, p };
}

/* Wait for tid's next stop, blocking. Returns the status, or -1 when it is gone. */
static int wait_tid(int tid)
{
	int st;
	for (;;) {
		int r = waitpid(tid, &st, __WALL);
		if (r == tid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* Resume t from the registers in t->regs until it reaches the injected breakpoint. */
static int run_to_trap(struct pt_thread *t)
{
	if (pt_setregs(t) < 0 || ptrace(PTRACE_CONT, t->tid, 0, 0) < 0)
		return -1;
	for (;;) {
		int st = wait_tid(t->tid);
		if (st < 0 || !WIFSTOPPED(st))
			return -1;
		if (WSTOPSIG(st) == SIGTRAP && (st >> 16) == 0)
			return pt_getregs(t);
		/* an interrupt or signal stop on the way: keep a real signal for later */
		if ((st >> 16) == 0 && !t->resume_sig)
			t->resume_sig = WSTOPSIG(st);
		ptrace(PTRACE_CONT, t->tid, 0, 0);
	}
}

/* A thread in a syscall stop leaves it first, to an interrupt stop: at an entry the syscall
   runs, at an exit an interrupted one is rewound for its restart. The kernel does that only
   on its way out, and on aarch64 from state no register set gives back (the syscall number
   beside x8, orig_x0, x7 replaced by the stop's direction). 0, or -1: the thread stopped at an
   event instead (exit, exec, clone: kept pending) or is gone. */
static int leave_syscall_stop(struct pt_thread *t)
{
	struct __ptrace_syscall_info si;
	memset(&si, 0, sizeof(si));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(si), &si) <= 0 ||
	    (si.op != PTRACE_SYSCALL_INFO_ENTRY && si.op != PTRACE_SYSCALL_INFO_EXIT))
		return 0;
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0 || ptrace(PTRACE_CONT, t->tid, 0, 0) < 0)
		return -1;
	for (;;) {
		int st = wait_tid(t->tid);
		if (st < 0 || !WIFSTOPPED(st))
			return -1;
		if ((st >> 16) == PTRACE_EVENT_STOP)
			return 0;
		if (st >> 16) {
			t->pending_status = st;
			return -1;
		}
		if (!t->resume_sig)
			t->resume_sig = WSTOPSIG(st);
		ptrace(PTRACE_CONT, t->tid, 0, 0);
	}
}

/* The code goes at the entry point, which no thread runs again. The thread first runs to the
   breakpoint alone, to leave whatever syscall it was stopped in (execve would overwrite the
   syscall number with its result); the saved registers, restored last, let the kernel
   restart an interrupted syscall as usual. */
long pt_inject_syscall(struct pt_thread *t, long nr, const long args[6])
{
	struct pt_proc *p = t->proc;
	struct arch_regs saved;
	int clen, blen;
	const uint8_t *code = arch_syscall_code_mode(p->mode, &clen);
	uint8_t orig[16];
	long ret = -EIO;
	static const long none[6];
	arch_bkpt(&blen);
	if (!p->entry || leave_syscall_stop(t) < 0 || pt_getregs(t) < 0)
		return -ENOSYS;
	saved = t->regs;
	if (pt_read(p, p->entry, orig, clen) < 0)
		return -EIO;
	memcpy(p->inj_orig, orig, clen);
	p->inj_saved = saved;
	p->inj_tid = t->tid;
	p->inj_len = clen;        /* last: the crash rescue puts both back from here on */
	if (pt_write(p, p->entry, code, clen) < 0) {
		p->inj_len = 0;
		return -EIO;
	}
	arch_syscall_setup(&t->regs, p->entry + clen - blen, 0, none);
	if (run_to_trap(t) == 0) {
		rescue_test_point(true);
		arch_syscall_setup(&t->regs, p->entry, nr, args);
		if (run_to_trap(t) == 0)
			ret = arch_syscall_result(&t->regs);
	}
	pt_write(p, p->entry, orig, clen);
	t->regs = saved;
	pt_setregs(t);
	p->inj_len = 0;
	return ret;
}

static int seize(int tid, char *err, size_t n)
{
	if (ptrace(PTRACE_SEIZE, tid, 0, (void *)(long)PT_OPTS) == 0)
		return 0;
	int e = errno;
	const char *why = strerror(e);
	if (e == ESRCH)
		why = "no such process";
	else if (e == EPERM) {
		FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
		int scope = 0;
		if (f) {
			if (fscanf(f, "%d", &scope) != 1)
				scope = 0;
			fclose(f);
		}
		if (proc_status_field(tid, "TracerPid:", 0, 10, 0))
			why = "already traced by another process";
		else if (scope > 0)
			why = "not permitted (see /proc/sys/kernel/yama/ptrace_scope)";
		else
			why = "not permitted (process of another user, or not dumpable)";
	}
	snprintf(err, n, "cannot attach to pid %d: %s", tid, why);
	errno = e;
	return -1;
}

/* Stop t and wait for it: any stop will do. A stop other than the interrupt's is kept in
   pending_status, to be handled like any other later. */
static int stop_thread(struct pt_thread *t)
{
	if (t->stopped || t->pending_status) {
		t->stopped = true;
		return 0;
	}
	ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
	int st = wait_tid(t->tid);
	if (st < 0 || !WIFSTOPPED(st)) {
		t->pending_status = st < 0 ? 0 : st;
		return -1;
	}
	t->stopped = true;
	if ((st >> 16) != PTRACE_EVENT_STOP)
		t->pending_status = st;
	return 0;
}

static void attach_threads(struct session *s, struct pt_proc *p)
{
	for (int round = 0, added = 1; added && round < 10; round++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task", p->pid);
		DIR *d = opendir(path);
		struct dirent *de;
		added = 0;
		while (d && (de = readdir(d))) {
			int tid = atoi(de->d_name);
			bool known = false;
			if (tid <= 0)
				continue;
			for (struct pt_thread *t = p->threads; t; t = t->next)
				known |= t->tid == tid;
			if (!known && seize(tid, s->pt->err, sizeof(s->pt->err)) == 0) {
				thread_new(p, tid);
				added++;
			}
		}
		if (d)
			closedir(d);
	}
}

int pt_attach(struct session *s, int pid)
{
	if (pt_find_proc(s, pid))
		return 0;
	if (seize(pid, s->pt->err, sizeof(s->pt->err)) < 0)
		return -1;
	struct pt_proc *p = proc_new(s, pid);
	struct pt_thread *lead = thread_new(p, pid);
	attach_threads(s, p);
	mod_read_auxv(p);
	if (stop_thread(lead) < 0) {
		snprintf(s->pt->err, sizeof(s->pt->err), "pid %d exited while attaching", pid);
		return -1;
	}
	if ((lead->pending_status >> 16) == PTRACE_EVENT_EXEC) {
		/* seized inside its execve (tracer/execwatch.c, a rescan): probes placed now would
		   be forgotten at the exec stop while their int3s stay; place them there instead */
		p->exec_pending = true;
		return 0;
	}
	s->pt->ops->proc_new(s, lead, NULL, PTW_ATTACH);
	if (!lead->pending_status)
		pt_resume(lead);
	return 0;
}

int pt_attach_child(struct session *s, int pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)PT_OPTS) < 0) {
		snprintf(s->pt->err, sizeof(s->pt->err), "cannot attach to pid %d: %s", pid, strerror(errno));
		return -1;
	}
	struct pt_proc *p = proc_new(s, pid);
	thread_new(p, pid);
	attach_threads(s, p);   /* execwatch: the exec'ing thread may not be the leader */
	p->exec_pending = true;
	return 0;
}

static struct pt_thread *find_thread(struct session *s, int tid)
{
	for (struct pt_proc *p = s->pt->procs; p; p = p->next)
		for (struct pt_thread *t = p->threads; t; t = t->next)
			if (t->tid == tid)
				return t;
	return NULL;
}

static void on_new_task(struct session *s, struct pt_thread *t, int ev)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg);
	int ntid = (int)msg;
	if (ntid <= 0 || find_thread(s, ntid))
		return;
	if (ev == PTRACE_EVENT_CLONE && proc_status_field(ntid, "Tgid:", 0, 10, ntid) == t->proc->pid) {
		struct pt_thread *n = thread_new(t->proc, ntid);
		s->pt->gen++;
		if (s->pt->ops->thread_new)
			s->pt->ops->thread_new(s, n);
		return;
	}
	struct pt_proc *c = proc_new(s, ntid);
	struct pt_thread *ct = thread_new(c, ntid);
	c->ppid = t->proc->pid;
	c->entry = t->proc->entry;
	c->phdr = t->proc->phdr;
	c->at_base = t->proc->at_base;
	c->mode = t->proc->mode;
	c->r_debug = t->proc->r_debug;
	c->shares_mm = ev == PTRACE_EVENT_VFORK;
	bp_fork(t->proc, t, c);
	/* the child's first stop may not be reaped yet: the provider only edits memory */
	ct->stopped = false;
	s->pt->ops->proc_new(s, ct, t->proc, ev == PTRACE_EVENT_VFORK ? PTW_VFORK : PTW_FORK);
}

static void on_exec(struct session *s, struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	unsigned long old = 0;
	ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &old);
	/* the exec'ing thread takes the leader's tid; the others are gone */
	for (struct pt_thread *o = p->threads, *nx; o; o = nx) {
		nx = o->next;
		if (o != t)
			thread_free(o);
	}
	t->tid = p->pid;
	t->nshadow = 0;
	if (s->pt->ops->exec_old)
		s->pt->ops->exec_old(s, t);
	bp_forget(p);
	mod_forget(p);
	p->tramp = 0;
	p->r_debug = 0;
	p->exec_pending = false;
	if (p->shares_mm) {         /* a vfork child now has its own memory */
		p->shares_mm = false;
	}
	if (p->memfd >= 0)
		close(p->memfd);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", p->pid);
	p->memfd = open(path, O_RDWR | O_CLOEXEC);
	mod_read_auxv(p);
	s->pt->ops->proc_new(s, t, NULL, PTW_EXEC);
}

static void on_gone(struct session *s, struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	thread_free(t);
	if (!p->threads) {
		proc_free(s, p);
		if (!s->pt->procs && s->pt->ops->all_gone && !s->pt->detaching)
			s->pt->ops->all_gone(s);
	}
}

/* A syscall stop (PTRACE_O_TRACESYSGOOD): entry or exit, as the kernel says. */
static void on_syscall(struct session *s, struct pt_thread *t)
{
	struct __ptrace_syscall_info si;
	memset(&si, 0, sizeof(si));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(si), &si) <= 0)
		return;
	bool entry = si.op == PTRACE_SYSCALL_INFO_ENTRY;
	if (entry) {
		t->sc_nr = si.entry.nr;
		memcpy(t->sc_args, si.entry.args, sizeof(t->sc_args));
		t->sc_ret = 0;
	} else if (si.op == PTRACE_SYSCALL_INFO_EXIT) {
		if (!t->in_syscall)
			return;   /* attached in the middle of this one: its entry was not seen */
		t->sc_ret = si.exit.rval;
	} else {
		return;
	}
	t->in_syscall = entry;
	if (s->pt->ops->syscall && !t->proc->exec_pending && pt_getregs(t) == 0)
		s->pt->ops->syscall(s, t, entry);
}

/* One reaped status of t. Leaves t resumed unless the handler keeps it. */
static void dispatch(struct session *s, struct pt_thread *t, int st)
{
	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		tgt_note_exit(s, t->tid, st);   /* the -c command's status (tracer/target.c) */
		on_gone(s, t);
		return;
	}
	if (!WIFSTOPPED(st))
		return;
	t->stopped = true;
	int sig = WSTOPSIG(st), ev = st >> 16;
	switch (ev) {
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			t->listening = true;
		break;
	case PTRACE_EVENT_CLONE: case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK:
		on_new_task(s, t, ev);
		break;
	case PTRACE_EVENT_EXEC:
		on_exec(s, t);
		break;
	case PTRACE_EVENT_EXIT: {
		/* the last thread to report its exit, whatever order exit_group() gives */
		bool last = true;
		ks_drain(s);   /* kernel records of this task, while its memory can still be read */
		t->exiting = true;
		for (struct pt_thread *o = t->proc->threads; o; o = o->next)
			last &= o->exiting;
		if (s->pt->ops->thread_exit)
			s->pt->ops->thread_exit(s, t, last);
		break;
	}
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			on_syscall(s, t);
			break;
		}
		if (sig == SIGTRAP && pt_getregs(t) == 0 && bp_trap(s, t))
			break;
		t->resume_sig = sig;
		break;
	}
	pt_resume(t);
}

/* One round: every thread known at its start gets one look, so that busy threads early in
   the list cannot starve the others. Returns how many events were handled. */
static int poll_round(struct session *s)
{
	int tids[512], n = 0, done = 0;
	for (struct pt_proc *p = s->pt->procs; p; p = p->next)
		for (struct pt_thread *t = p->threads; t && n < 512; t = t->next)
			tids[n++] = t->tid;
	for (int i = 0; i < n && !s->exiting; i++) {
		struct pt_thread *t = find_thread(s, tids[i]);
		if (!t)
			continue;
		int st = t->pending_status;
		t->pending_status = 0;
		if (!st) {
			if (t->stopped)
				continue;
			int r = waitpid(t->tid, &st, __WALL | WNOHANG);
			if (r == 0 || (r < 0 && errno != ECHILD))
				continue;
			if (r < 0) {
				on_gone(s, t);
				done++;
				continue;
			}
		}
		dispatch(s, t, st);
		done++;
	}
	return done;
}

/* Handle pending stops. One round is enough for threads already known: a stop after our
   look at a thread raises a new SIGCHLD. A thread or process that appeared during the round
   may have stopped before (its SIGCHLD merged with its parent's): look again then. */
void pt_poll(struct session *s)
{
	if (!s->pt)
		return;
	for (int rounds = 0; rounds < 64 && !s->exiting; rounds++) {
		uint64_t gen = s->pt->gen;
		if (!poll_round(s) || gen == s->pt->gen)
			return;
	}
	if (!s->exiting)
		kill(getpid(), SIGCHLD);   /* still busy: let the session's other events in first */
}

/* Is a SIGTRAP queued for this thread (SigPnd of /proc/TID/status)? */
static bool sigtrap_pending(int tid)
{
	return (uint64_t)proc_status_field(tid, "SigPnd:", 0, 16, 0) & (1ull << (SIGTRAP - 1));
}

/* Stop every thread of every process for the detach; breakpoint traps already taken are
   undone (pc back on the original instruction, which is restored next), new children met on
   the way are registered so that their inherited breakpoints are cleaned too. */
static bool stop_all(struct session *s)
{
	for (struct pt_proc *p = s->pt->procs; p; p = p->next)
		for (struct pt_thread *t = p->threads, *tn; t; t = tn) {
			tn = t->next;
			if (stop_thread(t) < 0) {
				t->stopped = false;
				continue;
			}
			if (!t->pending_status && sigtrap_pending(t->tid)) {
				/* it ran into a breakpoint just as the interrupt came: the interrupt
				   stop is reported first, the SIGTRAP still queued. Take it now. */
				ptrace(PTRACE_CONT, t->tid, 0, 0);
				int st2 = wait_tid(t->tid);
				t->pending_status = st2 > 0 ? st2 : 0;
			}
			int st = t->pending_status, ev = st >> 16;
			t->pending_status = 0;
			if (!st || !WIFSTOPPED(st))
				continue;
			if (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK || ev == PTRACE_EVENT_CLONE) {
				on_new_task(s, t, ev);
				return true;
			}
			if (!ev && WSTOPSIG(st) == (SIGTRAP | 0x80))
				continue;   /* a syscall stop: nothing to deliver */
			if (ev || WSTOPSIG(st) != SIGTRAP || pt_getregs(t) < 0) {
				if (!ev)
					t->resume_sig = WSTOPSIG(st);
				continue;
			}
			uint64_t pc = arch_trap_pc(&t->regs);
			if (bp_find(p, pc)) {
				arch_set_pc(&t->regs, pc);
				pt_setregs(t);
			} else if (pc != p->tramp) {
				t->resume_sig = SIGTRAP;
			}
		}
	return false;
}

void pt_detach_all(struct session *s)
{
	if (!s->pt || s->pt->detaching)
		return;
	s->pt->detaching = true;
	while (stop_all(s))
		;
	for (struct pt_proc *p = s->pt->procs; p; p = p->next) {
		struct pt_thread *any = NULL;
		for (struct pt_thread *t = p->threads; t; t = t->next)
			if (t->stopped) {
				bp_unhijack_thread(s, t);
				any = t;
			}
		if (!p->exec_pending)
			shadow_unhijack_rec(p, p->memfd);   /* frames dropped that were alive */
		if (!p->shares_mm && !p->exec_pending) {
			bp_remove_all(p);
			if (any)
				bp_unmap_xol(any);
		}
	}
	while (s->pt->procs) {
		struct pt_proc *p = s->pt->procs;
		for (struct pt_thread *t = p->threads; t; t = t->next)
			ptrace(PTRACE_DETACH, t->tid, 0, (void *)(long)(t->stopped ? t->resume_sig : 0));
		proc_free(s, p);
	}
	s->pt->detaching = false;
}

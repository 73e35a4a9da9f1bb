/*
** The process provider at run time: which processes to trace (-c, -x, process(PID), or every
** running process of a probed file), breakpoints placed at exec/attach and when the dynamic
** linker adds libraries, begin/end/thread probes, and a hit turned into a handler run.
*/
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "context.h"
#include "eh.h"
#include "engine.h"
#include "execwatch.h"
#include "ks.h"
#include "lang.h"
#include "prov_process.h"
#include "sdt.h"
#include "session.h"

extern const struct provider prov_process;

struct procx {
	struct pprobe **v;
	int n;
	bool has_lib;             /* some code probe is in a shared library */
	bool failed;
	int scan_fd;              /* timerfd: look for new processes of probed executables */
	struct ew_state *ew;      /* tracer/execwatch.c: new processes caught at their exec */
};

static struct procx *px(struct session *s) { return s->pt->prov; }

/* Does pp apply to process p? Sets *m to the probed module for code probes. */
static bool applies(struct pprobe *pp, struct pt_proc *p, struct mod **m)
{
	if (pp->pid && pp->pid != p->pid)
		return false;
	if (!pp->path)
		return true;
	if (pp->only_exe && !(p->mods && mod_same_file(p->mods->path, pp->only_exe)))
		return false;   /* .library(): a process of another program */
	struct mod *mm = mod_find(p, pp->path);
	if (m)
		*m = mm;
	if (!mm)
		return false;
	/* an executable is its path, as stap's task finder sees it: a hard link under another
	   name is another program (libraries stay matched by file) */
	if (mm == p->mods && pp->is_exe && strcmp(mm->path, pp->path) != 0)
		return false;
	return pp->kind == PK_CODE || mm == p->mods;   /* begin/end: the executable itself */
}

static void run_kind(struct session *s, struct pt_thread *t, enum pkind k)
{
	struct procx *x = px(s);
	for (int i = 0; i < x->n; i++) {
		struct pprobe *pp = x->v[i];
		if (pp->kind != k || !applies(pp, t->proc, NULL))
			continue;
		struct ctx c;
		ctx_ptrace_init(&c, s, pp->dp, t);
		c.uaddr = 0;
		sess_run_probe(s, pp->dp, &c);
	}
}

static void arm_error(struct session *s, struct pt_proc *p, struct pprobe *pp)
{
	fprintf(stderr, "ERROR: probe %s: %s\n", pp->dp->pp, s->pt->err);
	px(s)->failed = true;
	bp_remove_all(p);         /* never a half-installed probe */
	s->exit_code = 1;
	sess_request_exit(s);
}

/* A .return probe whose @entry values are taken at a second breakpoint after the prologue. */
static bool late_entry(struct session *s, const struct pprobe *pp)
{
	return pp->is_return && pp->dp->entry_snippet && pp->entry_pc && pp->entry_pc != pp->entry &&
	       lang_entry_size(s, pp->dp);
}

/* Place every code probe whose module p has loaded (idempotent). */
static int place(struct session *s, struct pt_thread *t)
{
	struct procx *x = px(s);
	struct pt_proc *p = t->proc;
	mod_refresh(s, p);
	for (int i = 0; i < x->n; i++) {
		struct pprobe *pp = x->v[i];
		struct mod *m = NULL;
		if (pp->kind != PK_CODE || !applies(pp, p, &m))
			continue;
		if (bp_add(s, t, pp->addr + m->bias, pp->dp, pp->is_return, false) < 0 ||
		    (late_entry(s, pp) && bp_add(s, t, pp->entry_pc + m->bias, pp->dp, false, false) < 0)) {
			arm_error(s, p, pp);
			return -1;
		}
		sdt_sema_arm(p, pp, m->bias);
	}
	eh_place(s, t);
	if (x->has_lib || p->tramp) {   /* libraries to probe, or the C++ unwinder (eh.c) */
		uint64_t brk = mod_r_brk(s, p);
		if (brk && !bp_find(p, brk))
			bp_add(s, t, brk, NULL, false, true);
	}
	return 0;
}

static bool wanted_in_child(struct session *s, struct pt_proc *c)
{
	struct procx *x = px(s);
	for (int i = 0; i < x->n; i++)
		if (x->v[i]->kind == PK_CODE && applies(x->v[i], c, NULL))
			return true;
	return false;
}

static void on_proc(struct session *s, struct pt_thread *t, struct pt_proc *parent, enum pt_why why)
{
	struct pt_proc *p = t->proc;
	if (px(s)->failed)
		return;
	if (why == PTW_FORK || why == PTW_VFORK) {
		mod_refresh(s, p);
		if (!p->shares_mm && !wanted_in_child(s, p))
			bp_remove_all(p);
		if (parent)
			sdt_sema_fork(parent, p, wanted_in_child(s, p));
	} else {
		sdt_sema_forget(p);   /* exec: the counted image is gone */
		pt_getregs(t);
		if (place(s, t) < 0)
			return;
	}
	run_kind(s, t, PK_BEGIN);
}

static void on_mods(struct session *s, struct pt_thread *t)
{
	struct arch_regs saved = t->regs;   /* injection (XOL pages) reuses the thread */
	place(s, t);
	t->regs = saved;
}

static void on_thread(struct session *s, struct pt_thread *t)
{
	run_kind(s, t, PK_TBEGIN);
}

/* exec: the old image's process.end probes, as stap's task finder reports an exec */
static void on_exec_old(struct session *s, struct pt_thread *t)
{
	if (!t->proc->mods)
		return;   /* no image of its own yet: the -c command leaving ustap's fork */
	pt_getregs(t);
	run_kind(s, t, PK_END);
}

static void on_thread_exit(struct session *s, struct pt_thread *t, bool last)
{
	pt_getregs(t);
	if (t->tid != t->proc->pid)
		run_kind(s, t, PK_TEND);
	if (last)
		run_kind(s, t, PK_END);
	if (last)
		sdt_sema_forget(t->proc);
}

static void on_hit(struct session *s, struct pt_thread *t, struct bp *b, struct bp_user *u,
                   uint64_t func)
{
	if (eh_hit(t, u->cookie))
		return;
	struct dprobe *dp = u->cookie;
	struct pprobe *pp = dp->data;
	struct ctx c;
	ctx_ptrace_init(&c, s, dp, t);
	c.mod_bias = b->addr - (u->ret ? pp->entry : pp->addr);
	c.is_return = u->ret;
	if (dp->is_return && !u->ret) {
		/* the entry probe of a .return one, after the prologue: the call's frame is the
		   top one (pushed at the entry, nothing ran since) */
		struct shadow_frame *f = t->nshadow ? &t->shadow[t->nshadow - 1] : NULL;
		size_t stride = s->pt->entry_stride;
		c.mod_bias = b->addr - pp->entry_pc;
		if (f && f->func == pp->entry + c.mod_bias && t->entry_store &&
		    t->entry_frames >= t->nshadow)
			lang_run_entry(s, dp, &c, t->entry_store + (size_t)(t->nshadow - 1) * stride +
			               dp->entry_off);
		return;
	}
	if (u->ret && dp->entry_snippet && t->ret_entry && lang_entry_size(s, dp))
		c.entry_vals = t->ret_entry + dp->entry_off;
	sess_run_probe(s, dp, &c);
}

/* A call into a function with .return probes: their entry snippets save @entry values
   (those whose probe pc is the entry itself; the others run at late_entry's breakpoint). */
static void on_entry(struct session *s, struct pt_thread *t, struct bp *b, char *vals)
{
	for (struct bp_user *u = b->users; u; u = u->next) {
		struct dprobe *dp = u->cookie;
		if (!u->ret || !dp->entry_snippet || !lang_entry_size(s, dp) || late_entry(s, dp->data))
			continue;
		struct pprobe *pp = dp->data;
		struct ctx c;
		ctx_ptrace_init(&c, s, dp, t);
		c.mod_bias = b->addr - pp->entry;
		c.is_return = false;
		lang_run_entry(s, dp, &c, vals + dp->entry_off);
	}
}

static void on_syscall(struct session *s, struct pt_thread *t, bool entry)
{
	run_kind(s, t, entry ? PK_SYSCALL : PK_SYSRET);
}

static const struct pt_ops ops = {
	.syscall = on_syscall,
	.proc_new = on_proc,
	.mods_changed = on_mods,
	.thread_new = on_thread,
	.thread_exit = on_thread_exit,
	.exec_old = on_exec_old,
	.hit = on_hit,
	.entry = on_entry,
};

static void on_sigchld(struct session *s, const struct signalfd_siginfo *si, void *arg)
{
	pt_poll(s);
}

/* Does running process pid map a probed file? (not ustap itself) */
static bool maps_probed(struct session *s, int pid)
{
	struct procx *x = px(s);
	char path[64], exe[PATH_MAX];
	snprintf(path, sizeof path, "/proc/%d/exe", pid);
	ssize_t n = readlink(path, exe, sizeof exe - 1);
	if (n <= 0)
		return false;
	exe[n] = 0;
	for (int i = 0; i < x->n; i++) {
		struct pprobe *pp = x->v[i];
		if (!pp->path || pp->pid)
			continue;
		if (pp->is_exe && strcmp(exe, pp->path) == 0)
			return true;
		if (!pp->is_exe) {
			char line[PATH_MAX + 128];
			snprintf(path, sizeof path, "/proc/%d/maps", pid);
			FILE *f = fopen(path, "r");
			bool hit = false;
			while (f && !hit && fgets(line, sizeof line, f)) {
				char *sl = strchr(line, '/');
				if (sl) {
					sl[strcspn(sl, "\n")] = 0;
					hit = strcmp(sl, pp->path) == 0;
				}
			}
			if (f)
				fclose(f);
			if (hit)
				return true;
		}
	}
	return false;
}

static int attach_or_fail(struct session *s, int pid)
{
	if (pt_attach(s, pid) == 0)
		return 0;
	fprintf(stderr, "ERROR: %s\n", s->pt->err);
	return -1;
}

/* Is pid's leader inside execve? Attaching stops the leader, which would wait for ever if it
   were held by our own fanotify group (execwatch) for an answer that we give in this very
   loop. Skipping it loses nothing: if it execs a probed executable execwatch takes it. */
static bool in_execve(int pid)
{
	char path[64];
	long nr = -1;
	snprintf(path, sizeof path, "/proc/%d/syscall", pid);
	FILE *f = fopen(path, "r");
	if (f && fscanf(f, "%ld", &nr) != 1)
		nr = -1;
	if (f)
		fclose(f);
	return nr == SYS_execve || nr == SYS_execveat;
}

/* Without -c/-x: every running process of a probed file the user may trace, as stap does.
   Later ones come from execwatch (their exec), else from a periodic rescan. */
static void attach_running(struct session *s)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		int pid = atoi(de->d_name);
		if (pid <= 0 || pid == s->self_pid || pid == getpid() || !maps_probed(s, pid))
			continue;
		ew_drain(s, px(s)->ew);
		if (px(s)->ew && in_execve(pid))
			continue;
		if (pt_attach(s, pid) < 0 && s->opt.verbose)
			fprintf(stderr, "WARNING: %s\n", s->pt->err);
	}
	if (d)
		closedir(d);
}

static void on_scan(struct session *s, int fd, uint32_t events, void *arg)
{
	uint64_t n;
	if (read(fd, &n, sizeof n) > 0 && s->pt && !s->exiting)
		attach_running(s);
}

/* Rescan /proc a few times a second for new processes of the probed executables, unless
   execwatch sees their execs. Library probes (a library is mapped, not exec'd: no event
   holds a process at that point, and a blocking FAN_OPEN_PERM on libc would stall every
   program start, ustap's own reads of the file included) ride along with the rescan
   whenever an executable is probed too, as before. */
static void start_rescan(struct session *s, struct procx *x)
{
	bool exe = false;
	for (int i = 0; i < x->n; i++)
		exe |= x->v[i]->path && (x->v[i]->is_exe || x->v[i]->only_exe) && !x->v[i]->pid;
	if (!exe || (x->ew && !x->has_lib))
		return;
	struct itimerspec it = { { 0, 250000000 }, { 0, 250000000 } };
	x->scan_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (x->scan_fd < 0 || timerfd_settime(x->scan_fd, 0, &it, NULL) < 0 ||
	    sess_watch(s, x->scan_fd, EPOLLIN, on_scan, NULL) < 0) {
		if (x->scan_fd >= 0)
			close(x->scan_fd);
		x->scan_fd = -1;
	}
}

/* Processes of the probed executables started from now on: watched at their exec (marked
   before the scan of running ones, so that none falls between the two). */
static void watch_execs(struct session *s, struct procx *x)
{
	const char **paths = calloc((size_t)x->n + 1, sizeof(*paths));
	int n = 0;
	for (int i = 0; i < x->n; i++)
		if (x->v[i]->path && !x->v[i]->pid && (x->v[i]->is_exe || x->v[i]->only_exe))
			paths[n++] = x->v[i]->only_exe ? x->v[i]->only_exe : x->v[i]->path;
	const char *first = n ? paths[0] : NULL;
	if (n)
		x->ew = ew_start(s, paths, n);
	free(paths);
	enum ew_mech m = ew_mech(x->ew);
	if (first && m == EW_NONE && !s->opt.no_warn)
		fprintf(stderr, "WARNING: process(\"%s\"): processes started later are found by a look "
		        "at /proc 4 times a second, short-lived ones are missed (fanotify needs "
		        "CAP_SYS_ADMIN, system-wide exec events CAP_PERFMON or "
		        "kernel.perf_event_paranoid <= 0)\n", first);
	else if (first && s->opt.verbose >= 2)
		fprintf(stderr, "new processes of probed executables: %s\n", ew_name(x->ew));
}

/* -c with kernel probes and no process ones: the command is still traced (no breakpoints), so
   that the records of each task are drained at its exit, while the user memory they point to
   (a syscall's filename) can mostly still be read: it is read after the fact, so a buffer the
   task reused shows its later contents. Only when a kernel handler reads the task's context. */
static bool kernel_probes(struct session *s)
{
	for (int i = 0; i < s->nprobes; i++) {
		const char *prov = s->probes[i]->prov->name;
		if ((!strcmp(prov, "tracepoint") || !strcmp(prov, "kprobe")) &&
		    (ks_probe_uses(s, s->probes[i]) & KS_USES_TASK))
			return true;
	}
	return false;
}

int procx_arm(struct session *s)
{
	struct procx *x = calloc(1, sizeof(*x));
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->prov == &prov_process)
			x->n++;
	if (!x->n && !(s->target_spawned && kernel_probes(s))) {
		free(x);
		return 0;
	}
	x->v = calloc(x->n + 1, sizeof(*x->v));
	x->n = 0;
	x->scan_fd = -1;
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->prov == &prov_process) {
			struct pprobe *pp = s->probes[i]->data;
			x->v[x->n++] = pp;
			x->has_lib |= pp->kind == PK_CODE && !pp->is_exe;
		}
	if (pt_init(s, &ops) < 0)
		return -1;
	s->pt->prov = x;
	for (int i = 0; i < x->n; i++) {
		struct dprobe *dp = x->v[i]->dp;
		dp->entry_off = s->pt->entry_stride;
		s->pt->entry_stride += lang_entry_size(s, dp);
	}
	for (int i = 0; i < x->n; i++)
		s->pt->syscalls |= x->v[i]->kind == PK_SYSCALL || x->v[i]->kind == PK_SYSRET;
	sess_on_sigchld(s, on_sigchld, NULL);
	if (s->target_spawned) {
		if (pt_attach_child(s, s->target) < 0) {
			fprintf(stderr, "ERROR: %s\n", s->pt->err);
			return -1;
		}
	} else if (s->opt.target_pid) {
		if (attach_or_fail(s, s->opt.target_pid) < 0)
			return -1;
	} else {
		for (int i = 0; i < x->n; i++)
			if (x->v[i]->pid && attach_or_fail(s, x->v[i]->pid) < 0)
				return -1;
		watch_execs(s, x);
		attach_running(s);
		start_rescan(s, x);
	}
	return x->failed ? -1 : 0;
}

void procx_disarm(struct session *s)
{
	if (!s->pt)
		return;
	struct procx *x = px(s);
	if (x) {
		ew_stop(s, x->ew);   /* first: a thread held in execve would never stop for the detach */
		x->ew = NULL;
	}
	for (struct pt_proc *p = s->pt->procs; p; p = p->next)
		sdt_sema_release(p);   /* PROV_NAME_ENABLED() is false again after us */
	pt_detach_all(s);
	if (x && x->scan_fd >= 0) {
		sess_unwatch(s, x->scan_fd);
		close(x->scan_fd);
	}
	if (x) {
		free(x->v);
		free(x);
	}
	rescue_remove(s->pt);
	free(s->pt);
	s->pt = NULL;   /* a second disarm (another exit path) finds nothing to do */
}

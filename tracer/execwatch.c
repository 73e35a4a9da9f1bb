/*
** New processes of the probed executables (process("PATH") without -c/-x): fanotify's
** FAN_OPEN_EXEC_PERM holds each execve of a marked executable until we answer, and we seize
** the task before answering; failing that the sched_process_exec tracepoint (or, where tracefs
** is closed to us, a dummy event's PERF_RECORD_COMM of each exec) wakes us after each exec (the
** process already runs); failing that the caller's /proc rescan stays alone. Before Linux 6.8 the
** exec holds cred_guard_mutex while it waits, and PTRACE_SEIZE takes it: there we answer first.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "engine.h"
#include "execwatch.h"
#include "perf.h"
#include "session.h"
#include "tracefs.h"

#define EW_RING_PAGES 2

struct ew_file {
	dev_t dev;
	ino_t ino;
};

struct ew_state {
	enum ew_mech mech;
	int fan_fd;               /* EW_FANOTIFY: the group, -1 otherwise */
	bool tid_report;          /* FAN_REPORT_TID: the event names the exec'ing thread */
	bool seize_held;          /* the held exec can be seized (Linux 6.8+), see exec_locks() */
	struct perf_ring *rings;  /* EW_PERF: one per CPU opened */
	int nrings;
	struct ew_file *files;    /* the executables, for the tracepoint's check */
	int nfiles;
	bool warned;              /* one warning for processes we may not trace */
	bool comm;                /* EW_PERF through COMM records, not the tracepoint */
};

/* Tgid of a thread (the exec'ing thread may not be the leader), 0 when it is gone. */
static int tgid_of(int tid) { return (int)proc_status_field(tid, "Tgid:", 0, 10, 0); }

static void warn_once(struct session *s, struct ew_state *w, int pid, const char *why)
{
	if (w->warned || s->opt.no_warn)
		return;
	w->warned = true;
	fprintf(stderr, "WARNING: process %d of a probed executable is not probed: %s\n", pid, why);
}

/* A process of a probed executable is exec'ing (blocked in fanotify) or has just exec'd
   (the tracepoint): give it to the engine. Processes already ours (a traced tree's fork,
   seized by the kernel before we heard of it) are left to the engine's exec event. */
static void take(struct session *s, struct ew_state *w, int pid, bool before_exec)
{
	if (pid <= 0 || pid == s->self_pid || !s->pt || s->exiting || pt_find_proc(s, pid))
		return;
	int r = before_exec ? pt_attach_child(s, pid) : pt_attach(s, pid);
	/* seized as its exec went on (before 6.8): a thread's exec took the leader's pid while
	   we waited on the old leader (EPERM, it was exiting), the pid names the new one now */
	if (r < 0 && !before_exec && errno != ESRCH && !pt_find_proc(s, pid))
		r = pt_attach(s, pid);
	if (r == 0 || errno == ESRCH)
		return;
	int tracer = (int)proc_status_field(pid, "TracerPid:", 0, 10, 0);
	if (tracer == s->self_pid)
		return;
	warn_once(s, w, pid, tracer ? "already traced by another process" : s->pt->err);
}

/* ---- fanotify ---- */

/* Before Linux 6.8 (commit 978ffcbf00d8, "execve: open the executable file before doing
   anything else") execve opens the file, and so waits for our answer, holding the task's
   cred_guard_mutex, which PTRACE_SEIZE takes too: seizing it before answering deadlocks
   (Debian 12's 6.1). There we answer first and seize at once: the seize waits until the exec
   has passed its point of no return, and the task stops at its exec event or very soon after. */
static bool exec_locks(void)
{
	struct utsname u;
	int major = 0, minor = 0;
	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return true;
	return major < 6 || (major == 6 && minor < 8);
}

static int fan_open(struct ew_state *w, const char *const *paths, int n)
{
	w->tid_report = true;
	int fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_TID,
	                       O_RDONLY | O_CLOEXEC | O_LARGEFILE);
	if (fd < 0 && errno == EINVAL) {   /* before Linux 4.20 */
		w->tid_report = false;
		fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK,
		                   O_RDONLY | O_CLOEXEC | O_LARGEFILE);
	}
	if (fd < 0)
		return -1;
	w->seize_held = !exec_locks();
	for (int i = 0; i < n; i++)
		if (fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN_EXEC_PERM, AT_FDCWD, paths[i]) < 0) {
			close(fd);
			return -1;
		}
	return fd;
}

/* Read and answer what is queued. The answer is always FAN_ALLOW, whatever happened: a
   process we could not seize runs unprobed, never blocked. Where the held exec cannot be
   seized (exec_locks) every event read is answered first, then its process is seized. */
static void fan_read(struct session *s, struct ew_state *w)
{
	char buf[4096] __attribute__((aligned(8)));
	int later[sizeof buf / FAN_EVENT_METADATA_LEN];
	for (;;) {
		ssize_t len = read(w->fan_fd, buf, sizeof buf);
		if (len <= 0)
			return;
		int nlater = 0;
		struct fanotify_event_metadata *m = (void *)buf;
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			if (m->vers != FANOTIFY_METADATA_VERSION || m->fd < 0)
				continue;
			int pid = w->tid_report ? tgid_of(m->pid) : m->pid;
			/* a non-leader thread may be the one exec'ing: every thread of its
			   process is seized (pt_attach_child), the exec'ing one takes the
			   leader's pid in the exec and reports PTRACE_EVENT_EXEC under it */
			if ((m->mask & FAN_OPEN_EXEC_PERM) && w->seize_held)
				take(s, w, pid, true);
			else if (m->mask & FAN_OPEN_EXEC_PERM)
				later[nlater++] = pid;
			struct fanotify_response resp = { .fd = m->fd, .response = FAN_ALLOW };
			if (write(w->fan_fd, &resp, sizeof resp) < 0)
				(void)0;   /* nothing more we can do: closing the group allows it */
			close(m->fd);
		}
		for (int i = 0; i < nlater; i++)
			take(s, w, later[i], false);
	}
}

static void on_fan(struct session *s, int fd, uint32_t events, void *arg)
{
	fan_read(s, arg);
}

/* ---- the sched_process_exec tracepoint ---- */

/* Is pid's executable one of ours? (stat follows /proc/PID/exe to the file) */
static bool is_probed_exe(struct ew_state *w, int pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/exe", pid);
	if (stat(path, &st) < 0)
		return false;
	for (int i = 0; i < w->nfiles; i++)
		if (w->files[i].dev == st.st_dev && w->files[i].ino == st.st_ino)
			return true;
	return false;
}

static void on_perf(struct session *s, int fd, uint32_t events, void *arg)
{
	struct ew_state *w = arg;
	struct perf_ring *r = NULL;
	for (int i = 0; i < w->nrings && !r; i++)
		if (w->rings[i].fd == fd)
			r = &w->rings[i];
	if (!r || !perf_ring_poll(r))
		return;
	const struct perf_event_header *h;
	while ((h = perf_ring_next(r))) {
		struct perf_sample smp;
		int pid = 0;
		if (h->type == PERF_RECORD_SAMPLE && perf_parse_sample(h, PERF_SAMPLE_TID, 0, &smp) == 0)
			pid = (int)smp.pid;
		else if (h->type == PERF_RECORD_COMM && (h->misc & PERF_RECORD_MISC_COMM_EXEC))
			pid = (int)((const uint32_t *)(h + 1))[0];   /* { u32 pid, tid; char comm[] } */
		/* the process runs meanwhile: pt_attach seizes and interrupts it at once, the
		   probes it passed before that are missed */
		if (pid > 0 && is_probed_exe(w, pid))
			take(s, w, pid, false);
	}
	perf_ring_release(r);
}

/* sched_process_exec, system-wide: its id is in tracefs, often root's only. Without it a
   dummy software event reports each exec as a PERF_RECORD_COMM (comm_exec), which needs no
   tracefs, only the right to open CPU-wide events. */
static void exec_attr(struct session *s, struct perf_event_attr *a, bool comm)
{
	const struct tfs_event *ev = comm ? NULL : tfs_event(s, "sched", "sched_process_exec");
	memset(a, 0, sizeof *a);
	if (ev) {
		a->type = PERF_TYPE_TRACEPOINT;
		a->config = (uint64_t)ev->id;
		a->sample_period = 1;
		a->sample_type = PERF_SAMPLE_TID;   /* no PERF_SAMPLE_RAW: root-only data */
		a->wakeup_events = 1;
	} else {
		a->type = PERF_TYPE_SOFTWARE;
		a->config = PERF_COUNT_SW_DUMMY;
		a->comm = a->comm_exec = 1;
		a->watermark = 1;
		a->wakeup_watermark = 1;           /* wake at every record, not only samples */
	}
}

static int perf_watch(struct session *s, struct ew_state *w, bool comm)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	struct perf_event_attr a;
	exec_attr(s, &a, comm);
	w->comm = a.type == PERF_TYPE_SOFTWARE;
	w->rings = calloc(ncpu > 0 ? ncpu : 1, sizeof(*w->rings));
	for (int cpu = 0; cpu < ncpu; cpu++) {
		int fd = perf_open(&a, -1, cpu, -1, 0);
		if (fd < 0)
			continue;   /* an offline CPU */
		struct perf_ring *r = &w->rings[w->nrings];
		if (perf_ring_map(r, fd, cpu, EW_RING_PAGES) < 0 ||
		    sess_watch(s, fd, EPOLLIN, on_perf, w) < 0) {
			perf_ring_unmap(r);
			close(fd);
			continue;
		}
		w->nrings++;
	}
	return w->nrings ? 0 : -1;
}

/* ---- the interface ---- */

static void add_files(struct ew_state *w, const char *const *paths, int n)
{
	w->files = calloc(n > 0 ? n : 1, sizeof(*w->files));
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(paths[i], &st) == 0)
			w->files[w->nfiles++] = (struct ew_file){ st.st_dev, st.st_ino };
	}
}

struct ew_state *ew_start(struct session *s, const char *const *paths, int n)
{
	const char *force = getenv("USTAP_EXECWATCH");
	struct ew_state *w = n > 0 ? calloc(1, sizeof(*w)) : NULL;
	if (!w)
		return NULL;
	w->fan_fd = -1;
	add_files(w, paths, n);
	if (!force || !strcmp(force, "fanotify")) {
		w->fan_fd = fan_open(w, paths, n);
		if (w->fan_fd >= 0 && sess_watch(s, w->fan_fd, EPOLLIN, on_fan, w) == 0) {
			w->mech = EW_FANOTIFY;
			return w;
		}
		if (w->fan_fd >= 0)
			close(w->fan_fd);
		w->fan_fd = -1;
	}
	if ((!force || !strcmp(force, "perf") || !strcmp(force, "comm")) &&
	    perf_watch(s, w, force && !strcmp(force, "comm")) == 0) {
		w->mech = EW_PERF;
		return w;
	}
	ew_stop(s, w);
	return NULL;
}

enum ew_mech ew_mech(const struct ew_state *w)
{
	return w ? w->mech : EW_NONE;
}

const char *ew_name(const struct ew_state *w)
{
	switch (ew_mech(w)) {
	case EW_FANOTIFY:
		return w->seize_held ? "fanotify (held at exec)" : "fanotify (seized as the exec ends)";
	case EW_PERF: return w->comm ? "exec COMM records (racy)" : "sched_process_exec (racy)";
	default: return "a look at /proc 4 times a second";
	}
}

void ew_drain(struct session *s, struct ew_state *w)
{
	if (w && w->fan_fd >= 0)
		fan_read(s, w);
}

void ew_stop(struct session *s, struct ew_state *w)
{
	if (!w)
		return;
	if (w->fan_fd >= 0) {
		sess_unwatch(s, w->fan_fd);
		close(w->fan_fd);   /* the kernel allows every exec still waiting */
	}
	for (int i = 0; i < w->nrings; i++) {
		sess_unwatch(s, w->rings[i].fd);
		int fd = w->rings[i].fd;
		perf_ring_unmap(&w->rings[i]);
		close(fd);
	}
	free(w->rings);
	free(w->files);
	free(w);
}

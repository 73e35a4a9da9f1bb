/*
** -c CMD and -x PID. A -c command is forked at once but waits on a pipe before its execve, so
** that every probe is armed and the begin probes have run before its first instruction; its
** exit (a pidfd in the event loop) ends the session, as stap's -c does.
**
** Contract with the ptrace engine (tracer/ptrace.c, helper BP): tgt_start() runs before the
** providers are armed. When a provider's arm() finds s->target != 0 it may seize it:
**   - s->target_spawned: our child, blocked in read() before execve(); seize it with
**     PTRACE_O_TRACEEXEC and plant breakpoints at the exec stop (the image is still ustap's
**     until then). tgt_release() (after the begin probes) lets it exec.
**   - otherwise (-x): a running process; seize all its threads.
** Reaping: while the engine listens to SIGCHLD (sess_on_sigchld) it reaps every traced process,
** our child included; without it session.c reaps. Either way the reaper hands the -c command's
** status to tgt_note_exit; this file watches a pidfd, and reaps through it when first.
** -x follows stap: "the script runs independently of the PID's lifespan".
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#ifndef P_PIDFD
#define P_PIDFD 3         /* waitid() on a pidfd (Linux 5.4) */
#endif

#include "session.h"
#include "target.h"

struct tgt_state {
	int hold_fd;         /* write end of the child's pipe, -1 once released */
	int pidfd;
	bool exited;
	bool reaped;         /* status is the -c command's wait status */
	int status;
};

static int pidfd_open(int pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* In the child: wait for the go, then run CMD as staprun does: split into words when it
   is a plain command line, through /bin/sh -c when it needs a shell. */
static void child(struct session *s, int rfd)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	char go;
	if (read(rfd, &go, 1) != 1)
		_exit(0);   /* ustap gave up before the begin probes: never run the command */
	/* rfd is O_CLOEXEC: no close(2) here, which syscall.close probes of target() would see
	   (in some runs only: the events may be enabled a moment after the release) */
	const char *cmd = s->opt.cmd;
	wordexp_t w;
	/* the program's name on this stack: a kernel record of the execve (syscall.execve) is read
	   after the exec replaced our memory, but with the copy of the user stack the record
	   carries (tracer/ks.c ks_ustack_copy) its filename is still there */
	char file[PATH_MAX];
	if (wordexp(cmd, &w, WRDE_NOCMD) == 0 && w.we_wordc > 0) {
		snprintf(file, sizeof file, "%s", w.we_wordv[0]);
		execvp(file, w.we_wordv);
	} else {
		snprintf(file, sizeof file, "/bin/sh");
		execl(file, "sh", "-c", cmd, (char *)NULL);
	}
	fprintf(stderr, "%s: %s\n", cmd, strerror(errno));   /* stapio: perror(target_cmd) */
	_exit(1);
}

void tgt_note_exit(struct session *s, int pid, int status)
{
	struct tgt_state *t = s->tgt;
	if (t && s->target_spawned && pid == s->target) {
		t->reaped = true;
		t->status = status;
	}
}

/* The command ended by itself: a failure is stapio's warning, and the run fails (exit 1). */
static void report_exit(struct session *s, struct tgt_state *t)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	/* not reaped yet by the engine or the session: take it here */
	if (!t->reaped && waitid((idtype_t)P_PIDFD, (id_t)t->pidfd, &si, WEXITED | WNOHANG) == 0 &&
	    si.si_pid == s->target)
		tgt_note_exit(s, s->target, si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8
		                                                     : (si.si_status & 0x7f));
	if (!t->reaped || !t->status)
		return;
	sess_flush(s);
	if (WIFSIGNALED(t->status))
		fprintf(stderr, "WARNING: Child process exited with signal %d (%s)\n",
		        WTERMSIG(t->status), strsignal(WTERMSIG(t->status)));
	else if (WIFEXITED(t->status))
		fprintf(stderr, "WARNING: Child process exited with status %d\n", WEXITSTATUS(t->status));
	s->run_failed = true;
}

static void on_exit_fd(struct session *s, int fd, uint32_t events, void *arg)
{
	struct tgt_state *t = arg;
	sess_unwatch(s, fd);
	t->exited = true;
	report_exit(s, t);
	sess_request_exit(s);
}

static int spawn(struct session *s, struct tgt_state *t)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		fprintf(stderr, "ERROR: pipe: %s\n", strerror(errno));
		return 1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "ERROR: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		/* close_range, not close: the child is target() already, and a syscall.close probe
		   would see this close in the runs where the events are enabled before it runs */
		if (syscall(SYS_close_range, p[1], p[1], 0) < 0)
			close(p[1]);
		child(s, p[0]);
	}
	close(p[0]);
	t->hold_fd = p[1];
	s->target = pid;
	s->target_spawned = true;
	t->pidfd = pidfd_open(pid);
	if (t->pidfd >= 0)
		sess_watch(s, t->pidfd, EPOLLIN, on_exit_fd, t);
	return 0;
}

int tgt_start(struct session *s)
{
	if (!s->opt.cmd && !s->opt.target_pid)
		return 0;
	struct tgt_state *t = arena_alloc(&s->arena, sizeof(*t));
	t->hold_fd = t->pidfd = -1;
	s->tgt = t;
	if (s->opt.cmd)
		return spawn(s, t);
	int pid = s->opt.target_pid;
	if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH)) {
		fprintf(stderr, "ERROR: Invalid target process ID %d: %s\n", pid, strerror(ESRCH));
		return 1;
	}
	s->target = pid;
	return 0;
}

void tgt_release(struct session *s)
{
	struct tgt_state *t = s->tgt;
	if (!t || t->hold_fd < 0)
		return;
	if (write(t->hold_fd, "g", 1) != 1)
		(void)0;   /* the child is gone: its pidfd tells the loop */
	close(t->hold_fd);
	t->hold_fd = -1;
}

void tgt_finish(struct session *s)
{
	struct tgt_state *t = s->tgt;
	if (!t || !s->target_spawned)
		return;
	if (t->hold_fd >= 0) {   /* never released: the child exits without running CMD */
		close(t->hold_fd);
		t->hold_fd = -1;
		waitpid(s->target, NULL, 0);
	} else if (!t->exited && kill(s->target, 0) == 0) {
		kill(s->target, SIGTERM);
		/* reap it (no zombie left behind), but never hang on one that ignores SIGTERM */
		for (int i = 0; i < 50 && waitpid(s->target, NULL, WNOHANG) == 0; i++)
			usleep(10000);
	}
	waitpid(s->target, NULL, WNOHANG);
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
}

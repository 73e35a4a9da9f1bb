/*
** The session's run: one epoll loop over a signalfd (SIGCHLD, SIGINT, SIGTERM, SIGHUP), the -T
** timerfd and whatever providers watch; running handlers (hit counts, MAXERRORS, MAXSKIPPED);
** the output (stdout or -o FILE with -S rotation); and the one cleanup every exit path takes.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "context.h"
#include "dwarf.h"
#include "lang.h"
#include "provider.h"
#include "builtins.h"
#include "session.h"
#include "target.h"

struct sess_watch {
	int fd;
	sess_fd_fn fn;
	void *arg;
	bool dead;               /* unwatched during a dispatch: freed after the batch */
	struct sess_watch *next;
};

void sess_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
	/* stap's defaults (runtime/runtime_defines.h, 64-bit); MAXNESTING: stap derives it from
	   the call graph, 0 here means "the compiler decides" */
	s->lim.maxstringlen = 512;
	s->lim.maxmapentries = 2048;
	s->lim.maxaction = 1000;
	s->lim.maxnesting = 0;
	s->lim.maxerrors = 0;
	s->lim.maxskipped = 100;
	s->lim.maxbacktrace = 20;
	s->lim.maxtracequeue = 0;
	diag_init(&s->diag, stderr);
	arena_init(&s->script_arena);
	arena_init(&s->arena);
	sb_init(&s->out);
	s->epfd = s->sigfd = s->timeout_fd = -1;
	s->out_fd = STDOUT_FILENO;
	s->self_pid = getpid();
	s->state = SESS_STARTING;
}

/* ---- output ---- */

static int write_all(int fd, const char *p, size_t n);

static const char *out_name(struct session *s, char *buf, size_t len, int seq)
{
	const char *cpu = s->opt.bulk ? "_cpu0" : "";   /* -b: staprun's FILE_cpuN */
	if (s->opt.out_size > 0 || seq > 0)   /* seq > 0 without -S: after switch_file() */
		snprintf(buf, len, "%s%s.%d", s->opt.outfile, cpu, seq);
	else
		snprintf(buf, len, "%s%s", s->opt.outfile, cpu);
	return buf;
}

/* -b: each flush is one record as stap's bulk transport frames it (struct _stp_trace):
   the magic bytes, a sequence number, the length, then the data */
static int write_bulk_header(struct session *s, size_t len)
{
	unsigned char h[12] = { 0xF0, 0x9F, 0xA9, 0xBA };
	uint32_t seq = s->bulk_seq++, n = (uint32_t)len;
	memcpy(h + 4, &seq, 4);
	memcpy(h + 8, &n, 4);
	return write_all(s->out_fd, (const char *)h, sizeof h);
}

/* Open output file number seq (-S: FILE.seq, stap's staprun naming), dropping the oldest
   beyond N files. */
static int open_out(struct session *s, int seq)
{
	char name[4096];
	out_name(s, name, sizeof name, seq);
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "ERROR: Couldn't open output file %s: %s\n", name, strerror(errno));
		return -1;
	}
	if (s->out_fd >= 0 && s->out_fd != STDOUT_FILENO)
		close(s->out_fd);
	s->out_fd = fd;
	s->out_seq = seq;
	s->out_written = 0;
	if (s->opt.out_size > 0 && s->opt.out_count > 0 && seq >= s->opt.out_count) {
		char old[4096];
		unlink(out_name(s, old, sizeof old, seq - s->opt.out_count));
	}
	return 0;
}

int sess_open_output(struct session *s)
{
	if (!s->opt.outfile) {
		if (s->opt.out_size > 0) {
			fprintf(stderr, "You have to specify output FILE with '-S' option.\n");
			return 1;
		}
		return 0;
	}
	if (strchr(s->opt.outfile, '%')) {   /* stap: -o supports strftime(3) formats */
		char buf[4096];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		if (strftime(buf, sizeof buf, s->opt.outfile, &tm) > 0)
			s->opt.outfile = arena_strdup(&s->arena, buf);
	}
	return open_out(s, 0) < 0 ? 1 : 0;
}

void sess_write(struct session *s, const char *buf, size_t len)
{
	sb_add(&s->out, buf, len);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void sess_flush(struct session *s)
{
	if (!s->out.len)
		return;
	/* -S: switch files at a buffer boundary once the next write would pass the size */
	int64_t max = s->opt.out_size * 1024 * 1024;
	if (max > 0 && s->out_written > 0 && s->out_written + (int64_t)s->out.len > max)
		open_out(s, s->out_seq + 1);
	/* SIGPIPE is ignored (it would kill ustap with breakpoints in place): a reader gone
	   away (ustap ... | head) ends the run the clean way instead */
	if (s->opt.bulk && s->out_fd != STDOUT_FILENO && write_bulk_header(s, s->out.len) < 0 &&
	    errno == EPIPE)
		s->exiting = true;
	if (write_all(s->out_fd, s->out.buf, s->out.len) < 0 && errno == EPIPE)
		s->exiting = true;
	s->out_written += (int64_t)s->out.len;
	sb_reset(&s->out);
}

/* switch_file(): the output so far goes to the current file, the rest to the next one
   (FILE.1, FILE.2, ... as stap's staprun names them); nothing without -o */
void sess_switch_file(struct session *s)
{
	if (!s->opt.outfile || s->out_fd < 0 || s->out_fd == STDOUT_FILENO)
		return;
	sess_flush(s);
	open_out(s, s->out_seq + 1);
}

/* ---- the loop ---- */

int sess_watch(struct session *s, int fd, uint32_t events, sess_fd_fn fn, void *arg)
{
	struct sess_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return -1;
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
	struct epoll_event ev = { .events = events, .data.ptr = w };
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(w);
		return -1;
	}
	w->next = s->watches;
	s->watches = w;
	return 0;
}

void sess_unwatch(struct session *s, int fd)
{
	for (struct sess_watch *w = s->watches; w; w = w->next)
		if (w->fd == fd && !w->dead) {
			epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
			w->dead = true;
		}
}

static void sweep_watches(struct session *s)
{
	struct sess_watch **pp = &s->watches;
	while (*pp) {
		struct sess_watch *w = *pp;
		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

void sess_on_sigchld(struct session *s, sess_sig_fn fn, void *arg)
{
	s->on_sigchld = fn;
	s->on_sigchld_arg = arg;
}

void sess_request_exit(struct session *s)
{
	s->exiting = true;
	if (s->in_handler)
		s->exit_called = true;   /* exit() or abort() from the script */
}

void sess_check_errors(struct session *s)
{
	if ((int64_t)s->errors > s->lim.maxerrors && s->state != SESS_ERROR &&
	    s->state != SESS_STOPPED) {
		s->state = SESS_ERROR;
		s->exiting = true;
	}
}

void sess_skip(struct session *s)
{
	s->skipped++;
	if ((int64_t)s->skipped > s->lim.maxskipped && s->state != SESS_ERROR &&
	    s->state != SESS_STOPPED) {
		sess_flush(s);
		fprintf(stderr, "ERROR: Skipped too many probes, check MAXSKIPPED or try again "
		        "with stap -t for more details.\n");
		s->errors++;
		s->state = SESS_ERROR;
		s->exiting = true;
	}
}

void sess_run_probe(struct session *s, struct dprobe *p, struct ctx *c)
{
	/* stap: once the session is in error, only the error probes still run */
	if (s->state == SESS_STOPPED || (s->state == SESS_ERROR && !core_is(p, CORE_ERROR)))
		return;
	/* stap: after exit() "new probes will not fire (except end probes)" */
	if (s->exit_called && !core_is(p, CORE_END) && !core_is(p, CORE_ERROR))
		return;
	p->hits++;
	s->in_handler++;
	lang_run(s, p, c);
	s->in_handler--;
	sess_flush(s);
	bi_run_system(s);         /* system(): after the handler, as stap */
	sess_check_errors(s);
}

static void on_signal(struct session *s, int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si[8];
	ssize_t n = read(fd, si, sizeof si);
	if (n <= 0)
		return;
	for (int i = 0; i < (int)(n / (ssize_t)sizeof si[0]); i++) {
		if (si[i].ssi_signo == SIGCHLD) {
			if (s->on_sigchld) {
				s->on_sigchld(s, &si[i], s->on_sigchld_arg);
			} else {
				/* nobody traces: reap our own children (the -c command) */
				int st, pid;
				while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
					tgt_note_exit(s, pid, st);
			}
		} else {
			/* SIGINT, SIGTERM, SIGHUP, SIGQUIT: end probes, exit 0, as stap */
			sess_request_exit(s);
		}
	}
}

static void on_timeout(struct session *s, int fd, uint32_t events, void *arg)
{
	uint64_t n;
	if (read(fd, &n, sizeof n) < 0)
		return;
	sess_request_exit(s);
}

static int start_timeout(struct session *s)
{
	if (s->opt.timeout <= 0)
		return 0;
	s->timeout_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->timeout_fd < 0)
		return -1;
	struct itimerspec it = { 0 };
	int64_t ns = (int64_t)(s->opt.timeout * 1e9);
	it.it_value.tv_sec = ns / 1000000000;
	it.it_value.tv_nsec = ns % 1000000000;
	if (timerfd_settime(s->timeout_fd, 0, &it, NULL) < 0)
		return -1;
	return sess_watch(s, s->timeout_fd, EPOLLIN, on_timeout, NULL);
}

int sess_start(struct session *s)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->epfd < 0 || s->sigfd < 0 || sess_watch(s, s->sigfd, EPOLLIN, on_signal, NULL) < 0 ||
	    start_timeout(s) < 0) {
		fprintf(stderr, "ERROR: cannot set up the event loop: %s\n", strerror(errno));
		return 1;
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->run_start_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return 0;
}

void sess_loop(struct session *s)
{
	struct epoll_event ev[32];
	if (s->state == SESS_STARTING)
		s->state = SESS_RUNNING;
	while (!s->exiting) {
		int n = epoll_wait(s->epfd, ev, 32, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "ERROR: epoll_wait: %s\n", strerror(errno));
			break;
		}
		for (int i = 0; i < n && !s->exiting; i++) {
			struct sess_watch *w = ev[i].data.ptr;
			if (!w->dead)
				w->fn(s, w->fd, ev[i].events, w->arg);
		}
		sweep_watches(s);
	}
}

/* Disarm in reverse registry order (stap unregisters in reverse), each provider once. */
static void disarm_all(struct session *s)
{
	int n = 0;
	while (prov_all[n])
		n++;
	for (int i = n - 1; i >= 0; i--)
		if (prov_all[i]->disarm)
			prov_all[i]->disarm(s);
}

int sess_abort(struct session *s)
{
	if (s->state != SESS_STOPPED) {
		disarm_all(s);
		sess_flush(s);
		s->state = SESS_STOPPED;
		tgt_finish(s);
	}
	return s->exit_code ? s->exit_code : 1;
}

int sess_finish(struct session *s)
{
	if (s->state == SESS_STOPPED)
		return s->exit_code;
	/* breakpoints out and probes off before anything else can go wrong */
	disarm_all(s);
	if (s->state == SESS_ERROR) {
		core_run(s, CORE_ERROR);
	} else {
		s->state = SESS_STOPPING;
		core_run(s, CORE_END);
		if (s->state == SESS_STOPPING)
			lang_print_globals(s);
	}
	lang_timing_report(s);
	sess_flush(s);
	s->state = SESS_STOPPED;
	tgt_finish(s);
	if (s->errors || s->skipped) {
		fprintf(stderr, "WARNING: Number of errors: %d, skipped probes: %d\n",
		        (int)s->errors, (int)s->skipped);
	}
	diag_report_suppression(&s->diag);
	if (s->errors || s->run_failed)   /* main.c says "Pass 5: run failed" after -v's timing */
		s->exit_code = 1;
	if (s->out_fd >= 0 && s->out_fd != STDOUT_FILENO)
		close(s->out_fd);
	s->out_fd = -1;
	return s->exit_code;
}

void sess_free(struct session *s)
{
	while (s->watches) {
		struct sess_watch *w = s->watches;
		s->watches = w->next;
		free(w);
	}
	dw_free(s);
	free(s->probes);
	s->probes = NULL;
	s->nprobes = s->probes_cap = 0;
	rx_state_free(&s->rx);
	free(s->tok_buf);
	s->tok_buf = s->tok_start = s->tok_end = NULL;
	for (int i = 0; i < s->nsys_cmds; i++)
		free(s->sys_cmds[i]);
	free(s->sys_cmds);
	s->sys_cmds = NULL;
	s->nsys_cmds = s->sys_cmds_cap = 0;
	free(s->opt.defines);
	free(s->opt.includes);
	free(s->opt.debuginfo);
	free(s->opt.args);
	s->opt.defines = s->opt.includes = s->opt.debuginfo = NULL;
	s->opt.args = NULL;
	sb_free(&s->out);
	diag_free(&s->diag);
	arena_free(&s->script_arena);
	arena_free(&s->arena);
}

int proc_read(int pid, int tid, const char *what, char *buf, size_t n)
{
	char path[96];
	if (tid)
		snprintf(path, sizeof path, "/proc/%d/task/%d/%s", pid, tid, what);
	else
		snprintf(path, sizeof path, "/proc/%d/%s", pid, what);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t k = read(fd, buf, n - 1);
	close(fd);
	buf[k > 0 ? k : 0] = 0;
	return k > 0 ? (int)k : -1;
}

/* The kernel's CONFIG_HZ from /boot/config-RELEASE, read once per session; 250 (Debian's
   default) when unreadable. */
int64_t proc_status_field(int tid, const char *key, int col, int base, int64_t dflt)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return dflt;
	buf[n] = 0;
	size_t kl = strlen(key);
	for (char *p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kl)) {
			p += kl;
			int64_t v = dflt;
			for (int i = 0; i <= col; i++)
				v = (int64_t)strtoull(p, &p, base);
			return v;
		}
	return dflt;
}

int64_t sess_kernel_hz(struct session *s)
{
	/* CONFIG_HZ from /boot/config-RELEASE, else /proc/config.gz (gzopen reads both). */
	char paths[2][128], line[128];
	struct utsname u;
	if (s->kernel_hz > 0)
		return s->kernel_hz;
	s->kernel_hz = 250;
	snprintf(paths[0], sizeof paths[0], "/boot/config-%s", uname(&u) == 0 ? u.release : "");
	snprintf(paths[1], sizeof paths[1], "/proc/config.gz");
	for (int i = 0; i < 2; i++) {
		gzFile f = gzopen(paths[i], "r");
		if (!f)
			continue;
		int found = 0;
		while (!found && gzgets(f, line, sizeof line))
			if (strncmp(line, "CONFIG_HZ=", 10) == 0 && strtoll(line + 10, NULL, 10) > 0)
				s->kernel_hz = strtoll(line + 10, NULL, 10), found = 1;
		gzclose(f);
		if (found)
			break;
	}
	return s->kernel_hz;
}

/*
** Control builtins: exit, abort, error, warn, log, system, target, randint (stap's
** tapset/logging.stp, system.stp, random.stp embedded C). system() commands wait in the
** session until the handler is over (stap runs them after the probe, via staprun).
*/
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "builtins.h"
#include "session.h"

static int f_exit(struct bi_call *c)
{
	sess_request_exit(c->sess);
	return 0;
}

/* abort(): exit(), and the handler stops here (BI_ABORT): stap's tapset sets the session
   stopping exactly as exit() does, plus CONTEXT->aborted, which try/catch cannot catch. */
static int f_abort(struct bi_call *c)
{
	sess_request_exit(c->sess);
	return BI_ABORT;
}

static int f_error(struct bi_call *c)
{
	return bi_error(c, "%s", c->s[0]);
}

/* stap's _stp_warn: "WARNING: " + message + a newline if it has none, on stderr */
static void put_line(const char *prefix, const char *msg)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, prefix);
	sb_puts(&sb, msg);
	if (sb.buf[sb.len - 1] != '\n')
		sb_putc(&sb, '\n');
	for (size_t off = 0; off < sb.len;) {
		ssize_t n = write(STDERR_FILENO, sb.buf + off, sb.len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	sb_free(&sb);
}

/* stapio: -w drops runtime warnings; below -vv each text is printed once. Its counter as
   it is (dyninst/transport.c): 1023 texts remembered, then "deduplication table full". */
static bool warn_is_new(struct session *s, const char *msg)
{
	uint64_t h = 14695981039346656037ull;   /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	int cap = (int)(sizeof s->warn_seen / sizeof s->warn_seen[0]);
	for (int i = 0; i < s->nwarn_seen && i < cap - 1; i++)
		if (s->warn_seen[i] == h)
			return false;
	int n = s->nwarn_seen++;
	if (n == cap)
		put_line("WARNING ", "deduplication table full");   /* stapio's text */
	else if (n > cap)
		s->nwarn_seen = cap + 1;
	else if (n + 1 < cap)
		s->warn_seen[n] = h;
	return true;
}

static int f_switch_file(struct bi_call *c)
{
	if (c->sess)
		sess_switch_file(c->sess);
	return 0;
}

static int f_warn(struct bi_call *c)
{
	struct session *s = c->sess;
	if (s && s->opt.no_warn)
		return 0;
	if (s && s->opt.verbose < 2 && !warn_is_new(s, c->s[0]))
		return 0;
	put_line("WARNING: ", c->s[0]);
	return 0;
}

static int f_log(struct bi_call *c)
{
	sess_write(c->sess, c->s[0], strlen(c->s[0]));
	sess_write(c->sess, "\n", 1);
	return 0;
}

static int f_system(struct bi_call *c)
{
	struct session *s = c->sess;
	if (s->nsys_cmds == s->sys_cmds_cap) {
		int cap = s->sys_cmds_cap ? s->sys_cmds_cap * 2 : 4;
		char **n = realloc(s->sys_cmds, (size_t)cap * sizeof *n);
		if (!n)
			return bi_error(c, "out of memory");
		s->sys_cmds = n;
		s->sys_cmds_cap = cap;
	}
	char *cmd = strdup(c->s[0]);
	if (!cmd)
		return bi_error(c, "out of memory");
	s->sys_cmds[s->nsys_cmds++] = cmd;
	return 0;
}

static int f_target(struct bi_call *c)
{
	c->ret_l = c->sess->target;
	return 0;
}

/* randint(n): [0, n), n at most 2^20 as stap */
static int f_randint(struct bi_call *c)
{
	uint64_t n = (uint64_t)c->l[0], r = 0;
	if (n > 1024 * 1024)
		return bi_error(c, "range too wide");
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != sizeof r)
		r = (uint64_t)rand();
	c->ret_l = n ? (int64_t)(r % n) : 0;
	return 0;
}

/* One command, detached: the grandchild is nobody's to reap, so the ptrace engine's
   waitpid(-1) never meets it; the shell gets a clean signal state. */
static void spawn(const char *cmd)
{
	pid_t p = fork();
	if (p == 0) {
		if (fork() == 0) {
			sigset_t none;
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			signal(SIGPIPE, SIG_DFL);
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	if (p > 0)
		while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
			;
}

void bi_run_system(struct session *s)
{
	for (int i = 0; i < s->nsys_cmds; i++) {
		spawn(s->sys_cmds[i]);
		free(s->sys_cmds[i]);
	}
	s->nsys_cmds = 0;
}

const struct builtin bi_ctl_tab[] = {
	{ "exit", "v:", f_exit, false },
	{ "abort", "v:", f_abort, false },
	{ "error", "v:s", f_error, false },
	{ "warn", "v:s", f_warn, false },
	{ "switch_file", "v:", f_switch_file, false },
	{ "log", "v:s", f_log, false },
	{ "system", "v:s", f_system, false },
	{ "target", "l:", f_target, false },
	{ "randint", "l:l", f_randint, false },
	{ NULL },
};

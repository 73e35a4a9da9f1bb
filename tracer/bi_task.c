/*
** stap's task_*() functions. stap passes kernel task_struct pointers around; ustap cannot read
** kernel memory, so its task handles are thread ids (task_current() is tid()), and every
** task_*() reads /proc/TID of a live thread. A handle of a thread that is gone is an error.
*/
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "context.h"
#include "session.h"

/* /proc/TID/FILE into buf (NUL-terminated); its length, or -1 when the thread is gone. */
static int task_file(int64_t tid, const char *file, char *buf, size_t n)
{
	return tid <= 0 || tid > 0x3fffffff ? -1 : proc_read((int)tid, 0, file, buf, n);
}

static int gone(struct bi_call *c, int64_t t)
{
	return bi_error(c, "task %lld is not a live thread (ustap's task handles are thread ids; "
	                "kernel task_structs cannot be read from user space)", (long long)t);
}

/* A column of a /proc/TID/status line, or -1 with the error set. */
static int status(struct bi_call *c, const char *key, int col)
{
	int64_t tid = c->l[0];
	int64_t v = tid <= 0 || tid > 0x3fffffff ? INT64_MIN :
	            proc_status_field((int)tid, key, col, 10, INT64_MIN);

	if (v == INT64_MIN)
		return gone(c, tid);   /* no such thread (its status has every key asked for) */
	c->ret_l = v;
	return 0;
}

/* Field n (from 1, as proc(5) counts) of /proc/TID/stat: after the "(comm)" part. */
static int stat_field(struct bi_call *c, int n)
{
	char buf[1024];

	if (task_file(c->l[0], "stat", buf, sizeof buf) < 0)
		return gone(c, c->l[0]);
	char *p = strrchr(buf, ')');
	if (!p)
		return gone(c, c->l[0]);
	p++;
	int64_t v = 0;
	for (int i = 3; i <= n; i++) {
		while (*p == ' ')
			p++;
		if (i == 3) {            /* the state letter */
			p++;
			continue;
		}
		v = strtoll(p, &p, 10);
	}
	c->ret_l = v;
	return 0;
}

static int f_task_current(struct bi_call *c) { c->ret_l = c->ctx->tid; return 0; }
static int f_task_pid(struct bi_call *c) { return status(c, "Tgid:", 0); }
static int f_task_parent(struct bi_call *c) { return status(c, "PPid:", 0); }
static int f_task_uid(struct bi_call *c) { return status(c, "Uid:", 0); }
static int f_task_euid(struct bi_call *c) { return status(c, "Uid:", 1); }
static int f_task_gid(struct bi_call *c) { return status(c, "Gid:", 0); }
static int f_task_egid(struct bi_call *c) { return status(c, "Gid:", 1); }
static int f_task_prio(struct bi_call *c) { return stat_field(c, 18); }
static int f_task_nice(struct bi_call *c) { return stat_field(c, 19); }
static int f_task_cpu(struct bi_call *c) { return stat_field(c, 39); }

static int f_task_tid(struct bi_call *c)
{
	char buf[8];

	if (task_file(c->l[0], "comm", buf, sizeof buf) < 0)
		return gone(c, c->l[0]);
	c->ret_l = c->l[0];
	return 0;
}

static int f_task_execname(struct bi_call *c)
{
	char buf[64];

	if (task_file(c->l[0], "comm", buf, sizeof buf) < 0)
		return gone(c, c->l[0]);
	buf[strcspn(buf, "\n")] = 0;
	snprintf(c->ret_s, (size_t)c->maxstringlen + 1, "%s", buf);
	return 0;
}

/* The kernel's task state bits for /proc's letter (include/linux/sched.h): R 0, S 1, D 2,
   T 4, t 8, X 16, Z 32, P 0x40, I (TASK_IDLE) 0x402. The probe's own task was running at its
   event (a kernel record is read later, when /proc may say otherwise). */
static int f_task_state(struct bi_call *c)
{
	char buf[1024];

	if (c->l[0] == c->ctx->tid && c->ctx->ops) {
		c->ret_l = 0;
		return 0;
	}

	if (task_file(c->l[0], "stat", buf, sizeof buf) < 0 || !strrchr(buf, ')'))
		return gone(c, c->l[0]);
	const char *p = strrchr(buf, ')') + 1;
	while (*p == ' ')
		p++;
	static const char letters[] = "RSDTtXZPI";
	static const int64_t bits[] = { 0, 1, 2, 4, 8, 16, 32, 0x40, 0x402 };
	const char *at = *p ? strchr(letters, *p) : NULL;
	c->ret_l = at ? bits[at - letters] : 0;
	return 0;
}

/* Open file descriptors of the task's process (its /proc/TID/fd entries). */
static int f_task_open_file_handles(struct bi_call *c)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%lld/fd", (long long)c->l[0]);
	DIR *d = c->l[0] > 0 ? opendir(path) : NULL;
	if (!d)
		return gone(c, c->l[0]);
	int64_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	c->ret_l = n;
	return 0;
}

/* pid2task(pid): the handle of a live process, else 0 (stap: NULL) */
static int f_pid2task(struct bi_call *c)
{
	char buf[8];

	c->ret_l = task_file(c->l[0], "comm", buf, sizeof buf) < 0 ? 0 : c->l[0];
	return 0;
}

static int f_pid2execname(struct bi_call *c)
{
	char buf[64];

	if (task_file(c->l[0], "comm", buf, sizeof buf) >= 0) {
		buf[strcspn(buf, "\n")] = 0;
		snprintf(c->ret_s, (size_t)c->maxstringlen + 1, "%s", buf);
	}
	return 0;
}

/* The probe's own process: pgrp(), sid() (stat fields 5 and 6), pexecname() */
static int self_stat(struct bi_call *c, int field)
{
	c->l[0] = c->ctx->pid;
	return stat_field(c, field);
}

static int f_pgrp(struct bi_call *c) { return self_stat(c, 5); }
static int f_sid(struct bi_call *c) { return self_stat(c, 6); }

static int f_pexecname(struct bi_call *c)
{
	c->l[0] = c->ctx->pid;
	if (status(c, "PPid:", 0) < 0)
		return -1;
	c->l[0] = c->ret_l;
	return f_task_execname(c);
}

/* is_myproc(): the probe's process belongs to the user who runs the script */
static int f_is_myproc(struct bi_call *c)
{
	c->ret_l = proc_status_field(c->ctx->pid, "Uid:", 0, 10, -1) == (int64_t)getuid();
	return 0;
}

/* The soft RLIMIT_NOFILE of the task's process (/proc/TID/limits "Max open files") */
static int f_task_max_file_handles(struct bi_call *c)
{
	char buf[4096];

	if (task_file(c->l[0], "limits", buf, sizeof buf) < 0)
		return gone(c, c->l[0]);
	const char *p = strstr(buf, "Max open files");
	if (!p)
		return gone(c, c->l[0]);
	p += strlen("Max open files");
	c->ret_l = strncmp(p + strspn(p, " "), "unlimited", 9) ? strtoll(p, NULL, 10) : -1;
	return 0;
}

const struct builtin bi_task_tab[] = {
	{ "pgrp", "l:", f_pgrp, false },
	{ "sid", "l:", f_sid, false },
	{ "pexecname", "s:", f_pexecname, false },
	{ "is_myproc", "l:", f_is_myproc, false },
	{ "task_max_file_handles", "l:l", f_task_max_file_handles, false },
	{ "task_current", "l:", f_task_current, false },
	{ "task_pid", "l:l", f_task_pid, false },
	{ "task_tid", "l:l", f_task_tid, false },
	{ "task_parent", "l:l", f_task_parent, false },
	{ "task_execname", "s:l", f_task_execname, false },
	{ "task_state", "l:l", f_task_state, false },
	{ "task_uid", "l:l", f_task_uid, false },
	{ "task_euid", "l:l", f_task_euid, false },
	{ "task_gid", "l:l", f_task_gid, false },
	{ "task_egid", "l:l", f_task_egid, false },
	{ "task_prio", "l:l", f_task_prio, false },
	{ "task_nice", "l:l", f_task_nice, false },
	{ "task_cpu", "l:l", f_task_cpu, false },
	{ "task_open_file_handles", "l:l", f_task_open_file_handles, false },
	{ "pid2task", "l:l", f_pid2task, false },
	{ "pid2execname", "s:l", f_pid2execname, false },
	{ NULL },
};

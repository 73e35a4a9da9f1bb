/*
** Tracepoints without the language: format-file parsing (fixed texts), then real events
** through perf_event_open and a ring: openat arguments, sched_switch of this thread, the
** __data_loc filename of sched_process_exec, all decoded with the format's fields.
*/
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perf.h"
#include "session.h"
#include "tracefs.h"
#include "unit.h"

static const char fmt_switch[] =
	"name: sched_switch\nID: 372\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	"\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
	"\tfield:__data_loc char[] name;\toffset:40;\tsize:4;\tsigned:0;\n"
	"\tfield:__rel_loc char[] rname;\toffset:44;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long args[6];\toffset:48;\tsize:48;\tsigned:0;\n"
	"\tfield:const char * filename;\toffset:96;\tsize:8;\tsigned:0;\n"
	"\tfield:int dfd;\toffset:104;\tsize:8;\tsigned:0;\n"
	"\tfield:__data_loc u32[] ids;\toffset:112;\tsize:4;\tsigned:0;\n"
	"\nprint fmt: \"prev_comm=%s\", REC->prev_comm\n";

static void test_parse(struct session *s)
{
	struct tfs_event *ev = tfs_parse_format(&s->arena, "sched", fmt_switch);
	uint8_t raw[160] = { 0 };
	char str[64];
	int64_t v;

	CHECK(ev != NULL);
	if (!ev)
		return;
	CHECK_S(ev->name, "sched_switch");
	CHECK_L(ev->id, 372);
	CHECK_L(ev->nfields, 11);
	const struct tfs_field *f = tfs_field(ev, "prev_comm");
	CHECK(f && f->kind == TFS_STR && f->count == 16);
	CHECK_S(f ? f->type : NULL, "char[16]");
	CHECK(tfs_field(ev, "common_pid")->common);
	CHECK_S(tfs_field(ev, "name")->type, "char[]");
	CHECK_L(tfs_field(ev, "name")->kind, TFS_DYNSTR);
	CHECK_S(tfs_field(ev, "filename")->type, "const char*");
	CHECK_L(tfs_field(ev, "filename")->kind, TFS_PTR);
	CHECK_S(tfs_field(ev, "args")->type, "unsigned long[6]");
	CHECK_L(tfs_field(ev, "args")->elem_size, 8);
	CHECK_L(tfs_field(ev, "ids")->kind, TFS_DYNARRAY);
	CHECK_L(tfs_field(ev, "ids")->elem_size, 4);

	/* a record: comm "sh", pid -5, state 1, name "hello" at 120, rname "rel" after it */
	memcpy(raw + 8, "sh", 3);
	int32_t pid = -5;
	memcpy(raw + 24, &pid, 4);
	int64_t st = 1;
	memcpy(raw + 32, &st, 8);
	memcpy(raw + 120, "hello", 6);
	uint32_t loc = 6u << 16 | 120;
	memcpy(raw + 40, &loc, 4);
	memcpy(raw + 126, "rel", 4);
	uint32_t rloc = 4u << 16 | (126 - 48);
	memcpy(raw + 44, &rloc, 4);
	uint64_t a3 = 0xdeadbeef;
	memcpy(raw + 48 + 24, &a3, 8);
	uint64_t dfd = 0xffffff9c;       /* AT_FDCWD as the syscall event stores an int */
	memcpy(raw + 104, &dfd, 8);
	uint32_t ids[2] = { 7, 9 };
	memcpy(raw + 140, ids, 8);
	uint32_t iloc = 8u << 16 | 140;
	memcpy(raw + 112, &iloc, 4);

	CHECK(tfs_get_str(tfs_field(ev, "prev_comm"), raw, sizeof raw, str, sizeof str) == 0);
	CHECK_S(str, "sh");
	CHECK(tfs_get_int(tfs_field(ev, "prev_pid"), raw, sizeof raw, 0, &v) == 0);
	CHECK_L(v, -5);
	CHECK(tfs_get_str(tfs_field(ev, "name"), raw, sizeof raw, str, sizeof str) == 0);
	CHECK_S(str, "hello");
	CHECK(tfs_get_str(tfs_field(ev, "rname"), raw, sizeof raw, str, sizeof str) == 0);
	CHECK_S(str, "rel");
	CHECK(tfs_get_int(tfs_field(ev, "args"), raw, sizeof raw, 3, &v) == 0);
	CHECK_L(v, 0xdeadbeef);
	CHECK(tfs_get_int(tfs_field(ev, "args"), raw, sizeof raw, 6, &v) < 0);
	CHECK(tfs_get_int(tfs_field(ev, "dfd"), raw, sizeof raw, 0, &v) == 0);
	CHECK_L(v, -100);
	CHECK_L(tfs_count(tfs_field(ev, "ids"), raw, sizeof raw), 2);
	CHECK(tfs_get_int(tfs_field(ev, "ids"), raw, sizeof raw, 1, &v) == 0);
	CHECK_L(v, 9);
	CHECK(tfs_get_int(tfs_field(ev, "ids"), raw, sizeof raw, 2, &v) < 0);
	/* truncated record: the string is out of range */
	CHECK(tfs_get_str(tfs_field(ev, "name"), raw, 100, str, sizeof str) < 0);
}

/* Open a tracepoint for one task (all CPUs: cpu -1 is fine without inherit) and map it. */
static int open_tp(const struct tfs_event *ev, pid_t pid, struct perf_ring *r)
{
	struct perf_event_attr a = { 0 };

	a.type = PERF_TYPE_TRACEPOINT;
	a.config = (uint64_t)ev->id;
	a.sample_period = 1;
	a.sample_type = PERF_BASE_SAMPLE | PERF_SAMPLE_RAW;
	a.sample_id_all = 1;
	a.wakeup_events = 1;
	int fd = perf_open(&a, pid, -1, -1, 0);
	if (fd < 0)
		return -1;
	if (perf_ring_map(r, fd, -1, 16) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int count_samples(struct perf_ring *r, const struct tfs_event *ev, const char *field,
                         int64_t want, int64_t *matches)
{
	const struct perf_event_header *h;
	struct perf_sample smp;
	int n = 0;

	perf_ring_poll(r);
	while ((h = perf_ring_next(r))) {
		if (h->type != PERF_RECORD_SAMPLE)
			continue;
		if (perf_parse_sample(h, PERF_BASE_SAMPLE | PERF_SAMPLE_RAW, 0, &smp) < 0)
			continue;
		n++;
		int64_t v;
		if (field && tfs_get_int(tfs_field(ev, field), smp.raw, smp.raw_size, 0, &v) == 0 && v == want)
			(*matches)++;
	}
	perf_ring_release(r);
	return n;
}

static void test_openat(struct session *s)
{
	struct tfs_event *ev = tfs_event(s, "syscalls", "sys_enter_openat");
	struct perf_ring r;
	static const char path[] = "/etc/hostname";
	int64_t match = 0;

	CHECK(ev != NULL);
	if (!ev)
		return;
	int fd = open_tp(ev, getpid(), &r);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 3; i++) {
		int f = openat(AT_FDCWD, path, O_RDONLY);
		if (f >= 0)
			close(f);
	}
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	/* every record is ours: all three name our string, from the cwd, read-only */
	int n = count_samples(&r, ev, "filename", (int64_t)(uintptr_t)path, &match);
	CHECK_L(n, 3);
	CHECK_L(match, 3);
	perf_ring_unmap(&r);
	close(fd);
}

static void test_switch(struct session *s)
{
	struct tfs_event *ev = tfs_event(s, "sched", "sched_switch");
	struct perf_ring r;
	int64_t match = 0;

	CHECK(ev != NULL);
	if (!ev)
		return;
	int fd = open_tp(ev, getpid(), &r);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 5; i++)
		usleep(1000);      /* each sleep switches this thread out at least once */
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	int n = count_samples(&r, ev, "prev_pid", getpid(), &match);
	CHECK(n >= 5);
	CHECK(match >= 5);
	perf_ring_unmap(&r);
	close(fd);
}

static void test_exec(struct session *s)
{
	struct tfs_event *ev = tfs_event(s, "sched", "sched_process_exec");
	const struct perf_event_header *h;
	struct perf_sample smp;
	struct perf_ring r;
	int pfd[2], found = 0;
	char str[256] = "";

	CHECK(ev != NULL);
	if (!ev || pipe(pfd) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(pfd[1]);
		if (read(pfd[0], &c, 1) == 1)
			execl("/bin/true", "true", (char *)NULL);
		_exit(1);
	}
	close(pfd[0]);
	int fd = open_tp(ev, pid, &r);
	CHECK(fd >= 0);
	if (fd >= 0)
		ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	if (write(pfd[1], "x", 1) != 1)
		kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(pfd[1]);
	if (fd < 0)
		return;
	perf_ring_poll(&r);
	while ((h = perf_ring_next(&r)))
		if (h->type == PERF_RECORD_SAMPLE &&
		    perf_parse_sample(h, PERF_BASE_SAMPLE | PERF_SAMPLE_RAW, 0, &smp) == 0 &&
		    tfs_get_str(tfs_field(ev, "filename"), smp.raw, smp.raw_size, str, sizeof str) == 0)
			found++;
	CHECK_L(found, 1);
	CHECK_S(str, "/bin/true");
	CHECK_L(smp.pid, pid);
	perf_ring_unmap(&r);
	close(fd);
}

/* A one-page ring overflows: the kernel says how many records it dropped (PERF_RECORD_LOST),
   and perf_ring_next adds them up for the end-of-run report. */
static void test_lost(struct session *s)
{
	struct tfs_event *ev = tfs_event(s, "syscalls", "sys_enter_getppid");
	struct perf_event_attr a = { 0 };
	struct perf_ring r;
	int n = 0;

	if (!ev)
		return;
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = (uint64_t)ev->id;
	a.sample_period = 1;
	a.sample_type = PERF_BASE_SAMPLE | PERF_SAMPLE_RAW;
	a.sample_id_all = 1;
	a.disabled = 1;
	int fd = perf_open(&a, getpid(), -1, -1, 0);
	CHECK(fd >= 0);
	if (fd < 0 || perf_ring_map(&r, fd, -1, 1) < 0)
		return;
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 2000; i++)
		getppid();
	perf_ring_poll(&r);
	while (perf_ring_next(&r))
		n++;
	perf_ring_release(&r);
	getppid();      /* the kernel reports the loss with the next record that fits */
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	perf_ring_poll(&r);
	while (perf_ring_next(&r))
		n++;
	perf_ring_release(&r);
	CHECK(r.lost > 0);
	CHECK(n > 0);
	CHECK(r.lost + (uint64_t)n >= 2000);
	perf_ring_unmap(&r);
	close(fd);
}

static int count_cb(void *arg, const char *sys, const char *name)
{
	(*(int *)arg)++;
	return 0;
}

int main(void)
{
	struct session s;

	memset(&s, 0, sizeof s);
	arena_init(&s.arena);
	test_parse(&s);
	if (!tfs_root(&s)) {
		printf("test_tracepoint: no tracefs (%s): kernel parts skipped\n", strerror(errno));
		return unit_done("test_tracepoint");
	}
	int n = 0;
	CHECK(tfs_events(&s, "sched", "sched_switch", count_cb, &n) == 1);
	CHECK(tfs_events(&s, "ftrace", "*", count_cb, &n) == 0);
	test_openat(&s);
	test_switch(&s);
	test_exec(&s);
	test_lost(&s);
	arena_free(&s.arena);
	return unit_done("test_tracepoint");
}

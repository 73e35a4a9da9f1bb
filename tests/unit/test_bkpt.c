/*
** The breakpoint engine as a library, against a real target (tests/targets/bp_loop): entry
** breakpoints on an emulated push and on an out-of-line mov, a return probe, exact hit counts
** and argument sums over many threads, and the target's own output unchanged.
*/
#include <fcntl.h>
#include <libgen.h>
#include <sys/file.h>
#include <stdio.h>
#include <time.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "dwarf.h"
#include "engine.h"
#include "session.h"
#include "unit.h"

static char targets[1024];

struct run {
	const char *bin;
	int off;               /* breakpoint at add + off */
	bool ret;              /* plus a return probe on add */
	bool gone;
	long hits, rets, argsum, retsum;
	int cookie_entry, cookie_ret;
	char err[512];
};

static struct run *cur;

static void place(struct session *s, struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	mod_refresh(s, p);
	struct mod *m = p->mods;           /* the executable */
	uint64_t a, sz;
	struct dw_module *dm = m ? dw_module_get(s, m->path) : NULL;
	if (!dm || dw_sym_addr(dm, "add", &a, &sz) < 0) {
		snprintf(cur->err, sizeof cur->err, "no add in %s", m ? m->path : "?");
		return;
	}
	if (bp_add(s, t, a + m->bias + cur->off, &cur->cookie_entry, false, false) < 0 ||
	    (cur->ret && bp_add(s, t, a + m->bias, &cur->cookie_ret, true, false) < 0))
		snprintf(cur->err, sizeof cur->err, "%s", s->pt->err);
}

static void on_proc(struct session *s, struct pt_thread *t, struct pt_proc *parent, enum pt_why why)
{
	if (why == PTW_EXEC || why == PTW_ATTACH)
		place(s, t);
}

static void on_hit(struct session *s, struct pt_thread *t, struct bp *b, struct bp_user *u, uint64_t func)
{
	if (u->cookie == &cur->cookie_ret) {
		cur->rets++;
		cur->retsum += arch_retval(&t->regs);
	} else {
		cur->hits++;
		cur->argsum += arch_arg(&t->regs, 1);
	}
}

static void on_gone(struct session *s) { cur->gone = true; }

static const struct pt_ops ops = { .proc_new = on_proc, .hit = on_hit, .all_gone = on_gone };

/* Run bin with args under the engine; returns the target's stdout first line. */
static void run(struct session *s, struct run *r, const char *a1, const char *a2, char *out, size_t n)
{
	char path[1200];
	int gate[2], pout[2];
	snprintf(path, sizeof path, "%s/%s", targets, r->bin);
	cur = r;
	if (pipe(gate) < 0 || pipe(pout) < 0)
		return;
	int pid = fork();
	if (pid == 0) {
		char c;
		close(gate[1]);
		dup2(pout[1], 1);
		if (read(gate[0], &c, 1) != 1)
			_exit(1);
		execl(path, path, a1, a2, (char *)NULL);
		_exit(127);
	}
	close(gate[0]);
	close(pout[1]);
	pt_init(s, &ops);
	CHECK_L(pt_attach_child(s, pid), 0);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (write(gate[1], "g", 1) != 1)
		return;
	close(gate[1]);
	while (!r->gone) {
		siginfo_t si;
		struct timespec ts = { 5, 0 };
		if (sigtimedwait(&set, &si, &ts) < 0)
			break;
		pt_poll(s);
	}
	ssize_t k = read(pout[0], out, n - 1);
	out[k > 0 ? k : 0] = 0;
	close(pout[0]);
	CHECK(r->gone);
	CHECK_S(r->err, "");
}

/* -x: attach to a running target whose text is on huge pages and mlocked, count for a
   while, detach; the target goes on and its own sum must agree with its call count. */
static int get_hugepages(void)
{
	int n = -1;
	FILE *f = fopen("/proc/sys/vm/nr_hugepages", "r");
	if (f && fscanf(f, "%d", &n) != 1)
		n = -1;
	if (f)
		fclose(f);
	return n;
}

static int set_hugepages(int n)
{
	FILE *f = fopen("/proc/sys/vm/nr_hugepages", "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", n);
	return fclose(f);
}

static void run_attach(struct session *s, struct run *r, int pool, bool want_ok)
{
	char path[1200], line[256] = "";
	int pout[2];
	snprintf(path, sizeof path, "%s/%s", targets, r->bin);
	cur = r;
	if (pipe(pout) < 0)
		return;
	if (pool >= 0)
		set_hugepages(pool);
	int pid = fork();
	if (pid == 0) {
		if (pool >= 0)
			setenv("BP_HUGE_NORESERVE", "1", 1);
		dup2(pout[1], 1);
		execl(path, path, "0", "2", (char *)NULL);
		_exit(127);
	}
	close(pout[1]);
	FILE *f = fdopen(pout[0], "r");
	if (!fgets(line, sizeof line, f) || strcmp(line, "ready\n")) {
		printf("test_bkpt: skipped hugetlb -x (%s)", line);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fclose(f);
		return;
	}
	pt_init(s, &ops);
	CHECK_L(pt_attach(s, pid), 0);
	if (want_ok)
		CHECK_S(r->err, "");
	else
		CHECK(strstr(r->err, "nr_hugepages") != NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (time_t end = time(NULL) + 3; time(NULL) < end && r->hits < 300;) {
		siginfo_t si;
		struct timespec ts = { 0, 20000000 };
		if (sigtimedwait(&set, &si, &ts) >= 0)
			pt_poll(s);
	}
	if (getenv("BPDEBUG"))
		fprintf(stderr, "hits=%ld err=%s\n", r->hits, r->err);
	pt_detach_all(s);
	long calls = -1, sum = -2;
	if (fgets(line, sizeof line, f))
		sscanf(line, "calls=%ld sum=%ld", &calls, &sum);
	int st;
	waitpid(pid, &st, 0);
	fclose(f);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st))
		fprintf(stderr, "status %x\n", st);
	CHECK(calls > 0);
	CHECK_L(sum, calls * (calls + 1) / 2);
	if (want_ok)
		CHECK(r->hits >= 300);
}

int main(int argc, char **argv)
{
	struct session s;
	char exe[1024], out[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	snprintf(targets, sizeof targets, "%s/../targets", dirname(exe));
	memset(&s, 0, sizeof s);
	arena_init(&s.arena);

	/* -O0: add starts with push %rbp (emulated); +1 is mov %rsp,%rbp (out of line) */
	struct run a = { .bin = "bp_loop", .off = 0, .ret = true };
	run(&s, &a, "1000", "1", out, sizeof out);
	CHECK_S(out, "calls=1000 threads=1 total=500500\n");
	CHECK_L(a.hits, 1000);
	CHECK_L(a.argsum, 499500);
	CHECK_L(a.rets, 1000);
	CHECK_L(a.retsum, 500500);

	struct run b = { .bin = "bp_loop", .off = 1 };
	run(&s, &b, "1000", "1", out, sizeof out);
	CHECK_S(out, "calls=1000 threads=1 total=500500\n");
	CHECK_L(b.hits, 1000);
	CHECK_L(b.argsum, 499500);

	/* -O2: lea (%rdi,%rsi),%rax out of line; 8 threads: none lost, none doubled */
	struct run c = { .bin = "bp_loop-O2", .off = 0, .ret = true };
	run(&s, &c, "20000", "8", out, sizeof out);
	CHECK_S(out, "calls=20000 threads=8 total=1600080000\n");
	CHECK_L(c.hits, 160000);
	CHECK_L(c.argsum, 8 * (20000L * 19999 / 2));
	CHECK_L(c.rets, 160000);
	CHECK_L(c.retsum, 1600080000);

	/* huge-page text, mlockall: -c (breakpoints placed at exec, copied by the remap) */
	/* one user of the huge page pool at a time (tests/stp/process/hugetlb.sh takes it too) */
	int lock = open("/tmp/ustap-hugetlb.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0666);
	if (lock >= 0)
		flock(lock, LOCK_EX);
	int saved_pool = get_hugepages();
	if (getuid() == 0 && set_hugepages(4) == 0) {
		struct run d = { .bin = "bp_huge", .ret = true };
		run(&s, &d, "1000", NULL, out, sizeof out);
		CHECK_S(out, "ready\ncalls=1000 sum=500500\n");
		CHECK_L(d.hits, 1000);
		CHECK_L(d.rets, 1000);
		struct run e = { .bin = "bp_huge-O2", .ret = true };
		run_attach(&s, &e, -1, true);
		/* an exhausted pool: a clear error, nothing half-installed, the target unharmed */
		struct run g = { .bin = "bp_huge" };
		run_attach(&s, &g, 1, false);
		set_hugepages(saved_pool > 0 ? saved_pool : 0);
	} else {
		printf("test_bkpt: hugetlb cases skipped (needs root for /proc/sys/vm/nr_hugepages)\n");
	}

	free(s.pt);
	dw_free(&s);
	arena_free(&s.arena);
	return unit_done("test_bkpt");
}

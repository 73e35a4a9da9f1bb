/*
** Time and control builtins: stap's ctime text and range errors, the clocks' units,
** randint's bound, error/warn/exit/abort, and system() run after the handler.
*/
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "builtins.h"
#include "session.h"
#include "unit.h"

static struct session S;
static char RET[513];
static struct bi_call C;

static int call(const char *name, int nargs, int64_t l0, const char *s0)
{
	const struct builtin *b = bi_lookup(name, nargs);
	if (!b)
		return -99;
	memset(&C, 0, sizeof C);
	C.sess = &S;
	C.maxstringlen = 512;
	C.ret_s = RET;
	RET[0] = '\0';
	C.nargs = nargs;
	C.l[0] = l0;
	C.s[0] = s0;
	return b->fn(&C);
}

static void test_ctime(void)
{
	call("ctime", 1, 0, NULL);
	CHECK_S(RET, "Thu Jan  1 00:00:00 1970");
	call("ctime", 1, -1, NULL);
	CHECK_S(RET, "Wed Dec 31 23:59:59 1969");
	call("ctime", 1, 2147483647, NULL);
	CHECK_S(RET, "Tue Jan 19 03:14:07 2038");
	call("ctime", 1, 951782400, NULL);          /* a leap day */
	CHECK_S(RET, "Tue Feb 29 00:00:00 2000");
	call("ctime", 1, -2147483648LL, NULL);
	CHECK_S(RET, "Fri Dec 13 20:45:52 1901");
	CHECK_L(call("ctime", 1, 2147483648LL, NULL), -1);
	CHECK_S(C.err, "Time too far in the future to be converted");
	CHECK_L(call("ctime", 1, -2147483649LL, NULL), -1);
	CHECK_S(C.err, "Time too far in the past to be converted");
	/* against libc for a spread of times */
	int ok = 1;
	for (int64_t t = -2000000000; t < 2100000000; t += 86400 * 37 + 3671) {
		time_t tt = (time_t)t;
		struct tm tm;
		char want[64];
		gmtime_r(&tt, &tm);
		strftime(want, sizeof want, "%a %b %e %H:%M:%S %Y", &tm);
		call("ctime", 1, t, NULL);
		ok &= strcmp(RET, want) == 0;
	}
	CHECK(ok);
}

static void test_clocks(void)
{
	call("gettimeofday_ns", 0, 0, NULL);
	int64_t ns = C.ret_l;
	CHECK(llabs(ns / 1000000000 - (int64_t)time(NULL)) <= 1);
	call("local_clock_ns", 0, 0, NULL);
	int64_t a = C.ret_l;
	call("local_clock_ns", 0, 0, NULL);
	CHECK(C.ret_l >= a && a > 0);
	CHECK_L(call("cpu_clock_ns", 1, 0, NULL), 0);
	CHECK_L(call("cpu_clock_ns", 1, -1, NULL), -1);
	CHECK_S(C.err, "cpu -1 is not online");
	call("HZ", 0, 0, NULL);
	CHECK(C.ret_l == 100 || C.ret_l == 250 || C.ret_l == 300 || C.ret_l == 1000);
	call("jiffies", 0, 0, NULL);
	CHECK(C.ret_l > 0);
	call("tz_gmtoff", 0, 0, NULL);
	CHECK(C.ret_l > -86400 && C.ret_l < 86400);
	CHECK(bi_lookup("gettimeofday_s", 0) == NULL);   /* stap language: tapset/timestamp.stp */
}

static void test_ctl(void)
{
	CHECK_L(call("error", 1, 0, "custom failure"), -1);
	CHECK_S(C.err, "custom failure");
	S.exiting = false;
	CHECK_L(call("exit", 0, 0, NULL), 0);
	CHECK(S.exiting);
	S.exiting = false;
	CHECK_L(call("abort", 0, 0, NULL), BI_ABORT);
	CHECK(S.exiting);
	S.target = 4242;
	call("target", 0, 0, NULL);
	CHECK_L(C.ret_l, 4242);
	int ok = 1;
	for (int i = 0; i < 200; i++) {
		call("randint", 1, 10, NULL);
		ok &= C.ret_l >= 0 && C.ret_l < 10;
	}
	CHECK(ok);
	CHECK_L(call("randint", 1, 1024 * 1024 + 1, NULL), -1);
	CHECK_S(C.err, "range too wide");
	CHECK_L(call("randint", 1, -1, NULL), -1);

	/* system(): queued by the handler, run afterwards, detached */
	char path[] = "/tmp/ustap-sys-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "echo ran > %s", path);
	CHECK_L(call("system", 1, 0, cmd), 0);
	CHECK_L(S.nsys_cmds, 1);
	CHECK(access(path, F_OK) != 0);
	bi_run_system(&S);
	CHECK_L(S.nsys_cmds, 0);
	int seen = 0;
	for (int i = 0; i < 200 && !seen; i++) {
		seen = access(path, F_OK) == 0;
		usleep(10000);
	}
	CHECK(seen);
	unlink(path);
}

static void test_warn(void)
{
	char path[] = "/tmp/ustap-warn-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	dup2(fd, 2);
	call("warn", 1, 0, "first");
	call("warn", 1, 0, "second\n");
	dup2(saved, 2);
	close(saved);
	char buf[128] = { 0 };
	CHECK(pread(fd, buf, sizeof buf - 1, 0) > 0);
	CHECK_S(buf, "WARNING: first\nWARNING: second\n");
	close(fd);
	unlink(path);
}

int main(void)
{
	test_warn();
	test_ctime();
	test_clocks();
	test_ctl();
	free(S.sys_cmds);
	return unit_done("test_bi_misc");
}

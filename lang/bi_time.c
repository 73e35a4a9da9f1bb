/*
** Time builtins: the embedded-C clocks of stap's timestamp tapsets, ctime's own calendar
** arithmetic (24-character text, no libc time zone), and the zone staprun hands the module.
** The _us/_ms/_s variants and ctime() are stap functions in tapset/timestamp.stp, ctime.stp.
** A kernel record handled after the fact reads its clocks at the record's own time (ctx.time_ns).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>

#include "builtins.h"
#include "context.h"
#include "session.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* id's reading when the event happened: now, or for a record drained later its CLOCK_MONOTONIC
   time stamp moved by id's offset from CLOCK_MONOTONIC now (stap's handler runs in the event) */
static int64_t event_ns(const struct bi_call *c, clockid_t id)
{
	uint64_t t = c->ctx ? c->ctx->time_ns : 0;

	if (!t)
		return clock_ns(id);
	if (id == CLOCK_MONOTONIC)
		return (int64_t)t;
	int64_t m0 = clock_ns(CLOCK_MONOTONIC), v = clock_ns(id), m1 = clock_ns(CLOCK_MONOTONIC);
	return (int64_t)t + (v - (m0 + (m1 - m0) / 2));
}

static int f_gettimeofday_ns(struct bi_call *c)
{
	c->ret_l = event_ns(c, CLOCK_REALTIME);
	return 0;
}

/* sched_clock's user-space twin: nanoseconds on the monotonic clock */
static int f_local_clock_ns(struct bi_call *c)
{
	c->ret_l = event_ns(c, CLOCK_MONOTONIC);
	return 0;
}

static int f_cpu_clock_ns(struct bi_call *c)
{
	if (c->l[0] < 0 || c->l[0] >= get_nprocs_conf())
		return bi_error(c, "cpu %lld is not online", (long long)c->l[0]);
	c->ret_l = event_ns(c, CLOCK_MONOTONIC);
	return 0;
}

/* No cycle counter outside arch/: raw monotonic nanoseconds stand in for cycles. */
static int f_get_cycles(struct bi_call *c)
{
	c->ret_l = clock_ns(CLOCK_MONOTONIC_RAW);
	return 0;
}

static int f_HZ(struct bi_call *c)
{
	c->ret_l = sess_kernel_hz(c->sess);
	return 0;
}

/* jiffies counted from boot (the kernel's own starts 5 minutes before zero) */
static int f_jiffies(struct bi_call *c)
{
	c->ret_l = event_ns(c, CLOCK_BOOTTIME) / (1000000000 / sess_kernel_hz(c->sess));
	return 0;
}

static int f_ktime_get_ns(struct bi_call *c)
{
	c->ret_l = event_ns(c, CLOCK_MONOTONIC);
	return 0;
}

#define SECSPERDAY 86400
static const int year_len[2] = { 365, 366 };
static const int mon_len[2][12] = {
	{ 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
	{ 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
};

static int isleap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* stap's tapset ctime(epochsecs): "Thu Jan  1 00:00:00 1970", 32-bit range only */
static int f_ctime(struct bi_call *c)
{
	static const char day[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t t = c->l[0];
	if (t > 2147483647LL)
		return bi_error(c, "Time too far in the future to be converted");
	if (t < -2147483648LL)
		return bi_error(c, "Time too far in the past to be converted");
	long days = (long)(t / SECSPERDAY), rem = (long)(t % SECSPERDAY);
	if (rem < 0) {
		rem += SECSPERDAY;
		days--;
	}
	int hour = (int)(rem / 3600), min = (int)(rem % 3600 / 60), sec = (int)(rem % 60);
	int wday = (int)((4 + days) % 7);
	if (wday < 0)
		wday += 7;
	int year = 1970, leap;
	if (days >= 0) {
		while (days >= year_len[leap = isleap(year)]) {
			days -= year_len[leap];
			year++;
		}
	} else {
		do {
			leap = isleap(--year);
			days += year_len[leap];
		} while (days < 0);
	}
	int m = 0;
	while (days >= mon_len[leap][m])
		days -= mon_len[leap][m++];
	snprintf(c->ret_s, (size_t)c->maxstringlen + 1, "%.3s %.3s%3d %.2d:%.2d:%.2d %d",
		 day[wday], mon[m], (int)days + 1, hour, min, sec, year);
	return 0;
}

/* staprun passes the zone at start; ustap reads it now (seconds west of UTC, as stap) */
static int f_tz_gmtoff(struct bi_call *c)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	c->ret_l = -(int64_t)tm.tm_gmtoff;
	return 0;
}

static int f_tz_name(struct bi_call *c)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	snprintf(c->ret_s, (size_t)c->maxstringlen + 1, "%s", tm.tm_zone ? tm.tm_zone : "");
	return 0;
}

const struct builtin bi_time_tab[] = {
	{ "gettimeofday_ns", "l:", f_gettimeofday_ns, false },
	{ "local_clock_ns", "l:", f_local_clock_ns, false },
	{ "cpu_clock_ns", "l:l", f_cpu_clock_ns, false },
	{ "ktime_get_ns", "l:", f_ktime_get_ns, false },
	{ "get_cycles", "l:", f_get_cycles, false },
	{ "jiffies", "l:", f_jiffies, false },
	{ "HZ", "l:", f_HZ, false },
	{ "ctime", "s:l", f_ctime, false },
	{ "tz_gmtoff", "l:", f_tz_gmtoff, false },
	{ "tz_name", "s:", f_tz_name, false },
	{ NULL },
};

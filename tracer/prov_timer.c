/*
** Timer probes: timer.s/sec/ms/msec/us/usec/ns/nsec/hz/jiffies(N) with .randomize(M), one
** timerfd each (stap's tapset-timers.cxx: same variants, limits and error texts). timer.profile
** belongs to the perf provider.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "provider.h"
#include "session.h"

/* stap's hrtimer limits: 100us minimum (a generous one day maximum) */
#define MIN_NS 100000LL
#define MAX_NS (1000000000LL * 60 * 60 * 24)

struct tmr {
	struct dprobe *p;
	int64_t period_ns, rand_ns;
	int fd;
	uint64_t rnd;            /* xorshift state for .randomize */
};

static const struct { const char *name; int64_t scale; } variants[] = {
	{ "s", 1000000000 }, { "sec", 1000000000 }, { "ms", 1000000 }, { "msec", 1000000 },
	{ "us", 1000 }, { "usec", 1000 }, { "ns", 1 }, { "nsec", 1 },
	{ "hz", 0 }, { "jiffies", -1 },
};
#define NVARIANTS ((int)(sizeof variants / sizeof variants[0]))

static bool timer_owns(const struct probe_point *pt)
{
	if (pt->comps.n < 2 || strcmp(((struct ppcomp *)pt->comps.v[0])->functor, "timer"))
		return false;
	return strcmp(((struct ppcomp *)pt->comps.v[1])->functor, "profile") != 0;
}

static int lev(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), d[32][32];
	if (la > 31 || lb > 31)
		return 99;
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++)
		for (int j = 1; j <= lb; j++) {
			int m = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < m)
				m = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < m)
				m = d[i][j - 1] + 1;
			d[i][j] = m;
		}
	return d[la][lb];
}

/* "probe point mismatch (similar: ...)": stap's levenshtein_suggest over the timer node's
   names, which it visits shortest first; the five closest, ties in that order. */
static int mismatch(struct session *s, const struct ppcomp *c)
{
	static const char *const names[] = { "s", "hz", "ms", "ns", "us", "sec", "msec", "nsec",
		"usec", "jiffies", "profile" };
	char similar[128] = "", desc[160];
	int shown = 0;
	for (int dist = 0; dist <= 5 && shown < 5; dist++)
		for (int i = 0; i < (int)(sizeof names / sizeof names[0]) && shown < 5; i++)
			if (lev(c->functor, names[i]) == dist) {
				if (shown++)
					strcat(similar, ", ");
				strcat(similar, names[i]);
			}
	snprintf(desc, sizeof desc, "identifier '%s'", c->functor);
	if (similar[0])
		diag_error(&s->diag, "semantic", prov_comp_pos(s, &c->pos), desc,
		           "probe point mismatch (similar: %s)", similar);
	else
		diag_error(&s->diag, "semantic", prov_comp_pos(s, &c->pos), desc,
		           "probe point mismatch");
	return -1;
}

static int timer_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	extern const struct provider prov_timer;
	const struct ppcomp *v = pt->comps.v[1];
	int k = 0;
	while (k < NVARIANTS && strcmp(variants[k].name, v->functor))
		k++;
	if (k == NVARIANTS || !v->arg || v->arg->kind != E_NUM)
		return mismatch(s, v);
	int64_t n = v->arg->num, r = 0;
	if (pt->comps.n > 2) {
		const struct ppcomp *rc = pt->comps.v[2];
		char desc[160];
		snprintf(desc, sizeof desc, "identifier '%s'", rc->functor);
		if (strcmp(rc->functor, "randomize") || variants[k].scale == 0 || pt->comps.n > 3) {
			diag_error(&s->diag, "semantic", prov_comp_pos(s, &rc->pos), desc,
			           "invalid suffix for probe");
			return -1;
		}
		if (!rc->arg || rc->arg->kind != E_NUM)
			return mismatch(s, rc);
		r = rc->arg->num;
	}
	int64_t period, scale = variants[k].scale;
	if (scale < 0) {   /* jiffies */
		if (n <= 0 || n > 1000000) {
			diag_error(&s->diag, "semantic", NULL, NULL, "invalid interval for jiffies timer");
			return -1;
		}
		if (r < 0 || r > n) {
			diag_error(&s->diag, "semantic", NULL, NULL, "invalid randomize for jiffies timer");
			return -1;
		}
		int64_t tick = 1000000000 / sess_kernel_hz(s);
		period = n * tick;
		r *= tick;
	} else if (scale == 0) {   /* hz */
		if (n <= 0) {
			diag_error(&s->diag, "semantic", NULL, NULL, "frequency must be greater than 0");
			return -1;
		}
		period = (1000000000 + n - 1) / n;
		scale = 1;
	} else {
		/* timer.ms(-9223372036854775808): an overflow lands in the out-of-range errors */
		if (__builtin_mul_overflow(n, scale, &period))
			period = -1;
		if (__builtin_mul_overflow(r, scale, &r))
			r = -1;
	}
	if (scale > 0 && (period < MIN_NS || period > MAX_NS)) {
		diag_error(&s->diag, "semantic", NULL, NULL, "interval value out of range (%lld, %lld)",
		           (long long)(scale < MIN_NS ? MIN_NS / scale : 1), (long long)(MAX_NS / scale));
		return -1;
	}
	if (scale > 0 && (r < 0 || r > period)) {
		diag_error(&s->diag, "semantic", NULL, NULL, "randomization value out of range");
		return -1;
	}
	struct dprobe *p = sess_add_probe(s, &prov_timer, src, pt, NULL);
	struct tmr *t = arena_alloc(&s->arena, sizeof(*t));
	t->p = p;
	t->period_ns = period;
	t->rand_ns = r;
	t->fd = -1;
	p->data = t;
	return 1;
}

static uint64_t next_ns(struct tmr *t)
{
	if (!t->rand_ns)
		return t->period_ns;
	t->rnd ^= t->rnd << 13;
	t->rnd ^= t->rnd >> 7;
	t->rnd ^= t->rnd << 17;
	/* stap: interval + a uniform draw in [-r, r] */
	int64_t d = (int64_t)(t->rnd % (uint64_t)(2 * t->rand_ns + 1)) - t->rand_ns;
	int64_t ns = t->period_ns + d;
	return ns > 0 ? (uint64_t)ns : 1;
}

static void set_timer(struct tmr *t)
{
	uint64_t ns = next_ns(t);
	struct itimerspec it = { 0 };
	it.it_value.tv_sec = ns / 1000000000;
	it.it_value.tv_nsec = ns % 1000000000;
	if (!t->rand_ns)   /* periodic; randomized ones are re-armed at each expiry */
		it.it_interval = it.it_value;
	timerfd_settime(t->fd, 0, &it, NULL);
}

/* The hit path: no allocation, one handler run per readiness (stap's hrtimer forwards over
   missed periods the same way). */
static void on_tick(struct session *s, int fd, uint32_t events, void *arg)
{
	struct tmr *t = arg;
	uint64_t n;
	if (read(fd, &n, sizeof n) != (ssize_t)sizeof n)
		return;
	if (t->rand_ns)
		set_timer(t);
	struct ctx c;
	ctx_init_plain(&c, s, t->p);
	sess_run_probe(s, t->p, &c);
}

static int timer_arm(struct session *s)
{
	extern const struct provider prov_timer;
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		if (p->prov != &prov_timer)
			continue;
		struct tmr *t = p->data;
		t->rnd = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)getpid() << 20) ^ (uint64_t)i ^
		         (uint64_t)time(NULL);
		t->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (t->fd < 0 || sess_watch(s, t->fd, EPOLLIN, on_tick, t) < 0) {
			fprintf(stderr, "ERROR: cannot create a timer for %s\n", p->pp);
			return -1;
		}
		set_timer(t);
	}
	return 0;
}

static void timer_disarm(struct session *s)
{
	extern const struct provider prov_timer;
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		if (p->prov != &prov_timer)
			continue;
		struct tmr *t = p->data;
		if (t->fd >= 0) {
			sess_unwatch(s, t->fd);
			close(t->fd);
			t->fd = -1;
		}
	}
}

const struct provider prov_timer = {
	.name = "timer",
	.owns = timer_owns,
	.expand = timer_expand,
	.arm = timer_arm,
	.disarm = timer_disarm,
};

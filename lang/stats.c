/*
** Aggregates: the arithmetic of stap's runtime/stat-common.c and stat.c (Welford variance
** with its 32-bit delta, the per-cpu total-variance formula applied to one cpu), and the
** histogram text of _stp_stat_print_histogram_buf, byte for byte.
*/
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "stats.h"

#define LOG_BUCKETS 128
#define LOG_BUCKET0 64
#define MAX_BUCKETS 128   /* STP_MAX_BUCKETS */
#define HIST_WIDTH 50
#define HIST_ELISION 2

/* The kernel builds stap's runtime with -fno-strict-overflow: its sums wrap. */
static inline int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

/* stap's _stp_div64: x/0 is 0, x/-1 is -x (no trap on INT64_MIN) */
static int64_t div64(int64_t x, int64_t y)
{
	if (y == 0)
		return 0;
	if (y == -1)
		return (int64_t)(0 - (uint64_t)x);
	return x / y;
}

int stat_spec_init(struct stat_spec *sp, enum stat_hist h, int64_t start, int64_t stop,
		   int64_t interval, char *err, size_t errlen)
{
	memset(sp, 0, sizeof *sp);
	sp->hist = h;
	if (h == HIST_LOG)
		sp->buckets = LOG_BUCKETS;
	if (h != HIST_LINEAR)
		return 0;
	sp->start = start;
	sp->stop = stop;
	sp->interval = interval;
	if (interval == 0) {
		snprintf(err, errlen, "histogram: interval cannot be zero.");
		return -1;
	}
	int64_t b = (stop - start) / interval + 3;
	if (b > MAX_BUCKETS || b < 3) {
		snprintf(err, errlen, "histogram: Number of buckets must be between 1 and %d\n"
			 "Number_of_buckets = (stop - start) / interval.\n"
			 "Please adjust your start, stop, and interval values.", MAX_BUCKETS - 2);
		return -1;
	}
	sp->buckets = (int)b;
	return 0;
}

size_t stat_size(const struct stat_spec *sp)
{
	return sizeof(struct stat) + (size_t)sp->buckets * sizeof(int64_t);
}

void stat_clear(const struct stat_spec *sp, struct stat *st)
{
	memset(st, 0, stat_size(sp));
}

int stat_log_bucket(int64_t v)
{
	if (v == 0)
		return LOG_BUCKET0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	int res = 64 - __builtin_clzll(u) + LOG_BUCKET0; /* stap's shift cascade, in one step */
	if (v < 0)
		res = LOG_BUCKETS - res;
	return res;
}

int64_t stat_log_bucket_value(int b)
{
	if (b == LOG_BUCKET0)
		return 0;
	if (b < LOG_BUCKET0)
		return INT64_MIN >> b;
	return (int64_t)(1ULL << (b - LOG_BUCKET0 - 1));
}

static void hist_add(const struct stat_spec *sp, struct stat *st, int64_t v)
{
	if (sp->hist == HIST_LOG) {
		int n = stat_log_bucket(v);
		if (n >= sp->buckets)
			n = sp->buckets - 1;
		st->histogram[n]++;
	} else if (sp->hist == HIST_LINEAR) {
		int64_t i = v - sp->start;
		if (i < 0)
			i = 0;
		else
			i = (int64_t)((uint64_t)i / (uint64_t)sp->interval) + 1;
		if (i >= sp->buckets - 1)
			i = sp->buckets - 1;
		st->histogram[i]++;
	}
}

void stat_add(const struct stat_spec *sp, struct stat *st, int64_t v)
{
	int sh = sp->shift;
	if (st->count == 0) {
		st->count = 1;
		st->sum = st->min = st->max = v;
		st->avg_s = (int64_t)((uint64_t)v << sh);
		st->m2 = 0;
	} else {
		st->count++;
		st->sum = wadd(st->sum, v);
		if (v > st->max)
			st->max = v;
		if (v < st->min)
			st->min = v;
		/* stap keeps delta in an int: its truncation is part of the result */
		int64_t vs = (int64_t)((uint64_t)v << sh);
		int32_t delta = (int32_t)wsub(vs, st->avg_s);
		st->avg_s = wadd(st->avg_s, div64(delta, st->count));
		st->m2 = wadd(st->m2, wmul(delta, wsub(vs, st->avg_s)));
		st->variance_s = st->count < 2 ? -1 : div64(st->m2, st->count - 1);
	}
	hist_add(sp, st, v);
}

/* _stp_stat_get's aggregation over cpus, for the one "cpu" ustap has; an array element's
   is _stp_pmap_agg's copy of that one cpu's (_new_map_copy_stat: no total-variance step) */
static int64_t variance(const struct stat_spec *sp, const struct stat *st)
{
	if (sp->keyed)
		return st->variance_s >> (2 * sp->shift);
	int64_t avg = div64((int64_t)((uint64_t)st->sum << sp->shift), st->count);
	int64_t d = wsub(st->avg_s, avg);
	int64_t s1 = wmul(wmul(st->count, d), d);
	int64_t s2 = wmul(st->count - 1, st->variance_s);
	return div64(wadd(s1, s2), st->count - 1) >> (2 * sp->shift);
}

int stat_get(const struct stat_spec *sp, const struct stat *st, enum stat_op op, int64_t *out)
{
	*out = 0;
	if (op == STAT_COUNT || op == STAT_SUM) {
		*out = op == STAT_COUNT ? st->count : st->sum;
		return 0;
	}
	if (st->count == 0)
		return -1;
	switch (op) {
	case STAT_MIN: *out = st->min; break;
	case STAT_MAX: *out = st->max; break;
	case STAT_AVG: *out = div64(st->sum, st->count); break;
	case STAT_VARIANCE: *out = variance(sp, st); break;
	default: break;
	}
	return 0;
}

int stat_op_from_name(const char *name)
{
	static const char *const names[] = { "count", "sum", "min", "max", "avg", "variance" };
	for (int i = 0; i < 6; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

int stat_hist_bucket(const struct stat_spec *sp, const struct stat *st, int64_t i, int64_t *out)
{
	*out = 0;
	if (st->count == 0)
		return -1;
	if (i < 0 || i >= sp->buckets)
		return -2;
	*out = st->histogram[i];
	return 0;
}

static int needed_space(int64_t v)
{
	int space = 0;
	uint64_t t = (uint64_t)v;
	if (v == 0)
		return 1;
	if (v < 0) {
		space++;
		t = 0 - t;
	}
	for (; t; t /= 10)
		space++;
	return space;
}

static int imax(int a, int b) { return a > b ? a : b; }

/* The rows to print: data range widened by two zero rows each side (stap's margins). */
static void hist_range(const struct stat_spec *sp, const struct stat *st, int *lo, int *hi,
		       int *under, int *over, int64_t *valmax)
{
	int low = -1, high = 0;
	*valmax = 0;
	for (int i = 0; i < sp->buckets; i++) {
		if (st->histogram[i] > 0 && low == -1)
			low = i;
		if (st->histogram[i] > 0)
			high = i;
		if (st->histogram[i] > *valmax)
			*valmax = st->histogram[i];
	}
	for (int i = 0; i < 2; i++) {
		if (sp->hist == HIST_LOG) {
			if (low != LOG_BUCKET0 && low > 0)
				low--;
		} else if (low > 0) {
			low--;
		}
		if (high < sp->buckets - 1)
			high++;
	}
	*under = *over = 0;
	if (sp->hist == HIST_LINEAR) {
		if (low == 0 && st->histogram[0] == 0)
			low++;
		if (high == sp->buckets - 1 && st->histogram[high] == 0)
			high--;
		*under = low == 0;
		*over = high == sp->buckets - 1;
	}
	*lo = low;
	*hi = high;
}

/* stap elides a zero row when every row within HIST_ELISION of it (inside the range) is zero;
   a negative HIST_ELISION elides nothing */
static int elided(const struct stat_spec *sp, const struct stat *st, int i, int lo, int hi,
		  int elision)
{
	if (elision < 0)
		return 0;
	int max_elide = elision < sp->buckets ? elision : sp->buckets;
	int a = i - max_elide > lo ? i - max_elide : lo;
	int b = i + max_elide < hi ? i + max_elide : hi;
	for (int k = a; k <= b; k++)
		if (st->histogram[k] != 0)
			return 0;
	return 1;
}

static void hist_row(struct strbuf *out, const struct stat_spec *sp, const struct stat *st,
		     int i, int val_space, int cnt_space, int64_t scale)
{
	const char *prefix = "";
	int64_t val;
	if (sp->hist == HIST_LINEAR) {
		if (i == 0) {
			val = sp->start;
			prefix = "<";
		} else if (i == sp->buckets - 1) {
			val = sp->start + (int64_t)(i - 2) * sp->interval;
			prefix = ">";
		} else {
			val = sp->start + (int64_t)(i - 1) * sp->interval;
		}
	} else {
		val = stat_log_bucket_value(i);
	}
	sb_printf(out, "%*s%lld |", val_space - needed_space(val), prefix, (long long)val);
	uint64_t v = (uint64_t)st->histogram[i] / (uint64_t)scale;
	for (uint64_t j = 0; j < v; j++)
		sb_putc(out, '@');
	sb_printf(out, "%*lld\n", (int)(HIST_WIDTH - v + 1 + cnt_space), (long long)st->histogram[i]);
}

int stat_print_hist(struct strbuf *out, const struct stat_spec *sp, const struct stat *st)
{
	return stat_print_hist_elision(out, sp, st, HIST_ELISION);
}

int stat_print_hist_elision(struct strbuf *out, const struct stat_spec *sp, const struct stat *st,
			    int elision)
{
	int lo, hi, under, over, val_space;
	int64_t valmax;
	if (st->count == 0)
		return -1;
	if (sp->hist != HIST_LOG && sp->hist != HIST_LINEAR)
		return 0;
	hist_range(sp, st, &lo, &hi, &under, &over, &valmax);
	int64_t scale = valmax <= HIST_WIDTH ? 1 : (valmax + HIST_WIDTH - 1) / HIST_WIDTH;
	int cnt_space = needed_space(valmax);
	if (sp->hist == HIST_LINEAR)
		val_space = imax(needed_space(sp->start) + under,
				 needed_space(sp->start + sp->interval * hi) + over);
	else
		val_space = imax(needed_space(stat_log_bucket_value(hi)),
				 needed_space(stat_log_bucket_value(lo)));
	val_space = imax(val_space, 5);

	sb_printf(out, "%*s |", val_space, "value");
	for (int j = 0; j < HIST_WIDTH; j++)
		sb_putc(out, '-');
	sb_puts(out, " count\n");
	int eliding = 0;
	for (int i = lo; i <= hi; i++) {
		if (elided(sp, st, i, lo, hi, elision)) {
			eliding = 1;
			continue;
		}
		if (eliding) {
			sb_printf(out, "%*s ~\n", val_space, "");
			eliding = 0;
		}
		hist_row(out, sp, st, i, val_space, cnt_space, scale);
	}
	sb_putc(out, '\n');
	return 0;
}

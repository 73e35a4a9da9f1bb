/*
** Aggregates (stap's statistics, fed with <<<): count, sum, min, max, avg, variance,
** and @hist_log / @hist_linear buckets printed exactly as stap's runtime prints them.
*/
#ifndef USTAP_STATS_H
#define USTAP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

enum stat_hist { HIST_NONE, HIST_LOG, HIST_LINEAR };

/* The shape of an aggregate, fixed at compile time: one per global/array of stats.
   stap allows one histogram kind per aggregate (elaboration checks consistency). */
struct stat_spec {
	enum stat_hist hist;
	int64_t start, stop, interval; /* HIST_LINEAR */
	int buckets;                   /* filled by stat_spec_init: 128 for log, (stop-start)/interval+3 */
	int shift;                     /* @variance(N): bit shift, 0 by default */
	bool keyed;                    /* an array element's (map_new sets it): stap's pmap
	                                  aggregation copies one cpu's variance as it is */
};

/* One aggregate's data. histogram[] has spec->buckets entries (variable length). */
struct stat {
	int64_t count, sum, min, max;
	int64_t avg_s, m2, variance_s;  /* Welford state, as stap's stat-common.c */
	int64_t histogram[];
};

/* Validate and complete a spec. 0 ok; -1 with err set (stap's histogram warnings' text). */
int stat_spec_init(struct stat_spec *sp, enum stat_hist h, int64_t start, int64_t stop,
		   int64_t interval, char *err, size_t errlen);
/* Bytes of a struct stat for this spec (header + buckets). */
size_t stat_size(const struct stat_spec *sp);
void stat_clear(const struct stat_spec *sp, struct stat *st);
/* a <<< v */
void stat_add(const struct stat_spec *sp, struct stat *st, int64_t v);

/* The @ operators. @count and @sum of an empty aggregate are 0; the others fail with
   stap's "empty aggregate" error: they return -1 and the caller raises STAT_EMPTY_MSG. */
enum stat_op { STAT_COUNT, STAT_SUM, STAT_MIN, STAT_MAX, STAT_AVG, STAT_VARIANCE };
#define STAT_EMPTY_MSG "empty aggregate"
int stat_get(const struct stat_spec *sp, const struct stat *st, enum stat_op op, int64_t *out);
/* "count"/"sum"/"min"/"max"/"avg"/"variance" -> op; -1 if none. */
int stat_op_from_name(const char *name);

/* print(@hist_log(s)) / print(@hist_linear(...)): appends stap's histogram text. An empty
   aggregate prints nothing and returns -1: raise STAT_EMPTY_MSG (as stap). */
int stat_print_hist(struct strbuf *out, const struct stat_spec *sp, const struct stat *st);
/* the same with -DHIST_ELISION=N's value (stap's default 2; negative: no row elided) */
int stat_print_hist_elision(struct strbuf *out, const struct stat_spec *sp, const struct stat *st,
			    int elision);
/* @hist_log(s)[i] / @hist_linear(s)[i]: the count of bucket i. -1 on an empty aggregate
   (STAT_EMPTY_MSG), -2 when i is outside [0, buckets) (STAT_HIST_RANGE_MSG). */
int stat_hist_bucket(const struct stat_spec *sp, const struct stat *st, int64_t i, int64_t *out);
#define STAT_HIST_RANGE_MSG "histogram index out of range"

/* Log-histogram helpers (exported for tests and foreach over @hist_log). */
int stat_log_bucket(int64_t v);
int64_t stat_log_bucket_value(int b);

#endif

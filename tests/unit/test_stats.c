/*
** Aggregates: stap's arithmetic (variance included) and histogram text. Expected texts follow
** stap's runtime algorithm and the outputs its testsuite (systemtap.maps) expects.
*/
#include <stdlib.h>

#include "arena.h"
#include "stats.h"
#include "unit.h"

static struct stat *new_stat(const struct stat_spec *sp)
{
	struct stat *st = calloc(1, stat_size(sp));
	return st;
}

static const char *hist_text(struct strbuf *sb, const struct stat_spec *sp, const struct stat *st)
{
	sb_reset(sb);
	sb_puts(sb, "");
	if (stat_print_hist(sb, sp, st) < 0)
		return "(empty)";
	return sb->buf;
}

static void test_overunder(struct strbuf *sb)
{
	struct stat_spec sp;
	char err[256];
	CHECK_L(stat_spec_init(&sp, HIST_LINEAR, 250, 1000, 50, err, sizeof err), 0);
	CHECK_L(sp.buckets, 18);
	struct stat *st = new_stat(&sp);
	static const int mul[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 14, 15 };
	for (int k = 0; k < 100; k++)
		for (int m = 0; m < 16; m++)
			stat_add(&sp, st, k * mul[m]);
	int64_t v;
	stat_get(&sp, st, STAT_COUNT, &v); CHECK_L(v, 1600);
	stat_get(&sp, st, STAT_SUM, &v); CHECK_L(v, 653400);
	stat_get(&sp, st, STAT_MIN, &v); CHECK_L(v, 0);
	stat_get(&sp, st, STAT_MAX, &v); CHECK_L(v, 1485);
	stat_get(&sp, st, STAT_AVG, &v); CHECK_L(v, 408);
	stat_get(&sp, st, STAT_VARIANCE, &v); CHECK_L(v, 450768);
	CHECK_S(hist_text(sb, &sp, st),
		"value |-------------------------------------------------- count\n"
		" <250 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@   680\n"
		"  250 |@@@@@@                                              94\n"
		"  300 |@@@@@                                               79\n"
		"  350 |@@@@@                                               79\n"
		"  400 |@@@@                                                65\n"
		"  450 |@@@@                                                67\n"
		"  500 |@@@                                                 55\n"
		"  550 |@@@                                                 54\n"
		"  600 |@@@                                                 51\n"
		"  650 |@@@                                                 45\n"
		"  700 |@@                                                  41\n"
		"  750 |@@                                                  40\n"
		"  800 |@@                                                  34\n"
		"  850 |@@                                                  33\n"
		"  900 |@@                                                  31\n"
		"  950 |@                                                   27\n"
		" 1000 |@                                                   23\n"
		">1000 |@@@@@@@                                            102\n\n");
	int64_t b;
	CHECK_L(stat_hist_bucket(&sp, st, 0, &b), 0); CHECK_L(b, 680);
	CHECK_L(stat_hist_bucket(&sp, st, 17, &b), 0); CHECK_L(b, 102);
	CHECK_L(stat_hist_bucket(&sp, st, 18, &b), -2);
	CHECK_L(stat_hist_bucket(&sp, st, -1, &b), -2);
	free(st);
}

static void test_elision(struct strbuf *sb)
{
	struct stat_spec sp;
	char err[256];
	stat_spec_init(&sp, HIST_LINEAR, 0, 1500, 50, err, sizeof err);
	struct stat *st = new_stat(&sp);
	stat_add(&sp, st, 444);
	stat_add(&sp, st, 999);
	CHECK_S(hist_text(sb, &sp, st),
		"value |-------------------------------------------------- count\n"
		"  300 |                                                   0\n"
		"  350 |                                                   0\n"
		"  400 |@                                                  1\n"
		"  450 |                                                   0\n"
		"  500 |                                                   0\n"
		"      ~\n"
		"  850 |                                                   0\n"
		"  900 |                                                   0\n"
		"  950 |@                                                  1\n"
		" 1000 |                                                   0\n"
		" 1050 |                                                   0\n\n");
	stat_clear(&sp, st);
	stat_add(&sp, st, 1500);   /* the last regular bucket's neighbour: overflow row hidden */
	CHECK_S(hist_text(sb, &sp, st),
		"value |-------------------------------------------------- count\n"
		" 1400 |                                                   0\n"
		" 1450 |                                                   0\n"
		" 1500 |@                                                  1\n\n");
	stat_clear(&sp, st);
	stat_add(&sp, st, 0);      /* no underflow row when it is empty */
	CHECK_S(hist_text(sb, &sp, st),
		"value |-------------------------------------------------- count\n"
		"    0 |@                                                  1\n"
		"   50 |                                                   0\n"
		"  100 |                                                   0\n\n");
	free(st);

	stat_spec_init(&sp, HIST_LINEAR, -100, 100, 10, err, sizeof err);
	st = new_stat(&sp);
	stat_add(&sp, st, -10);
	CHECK_S(hist_text(sb, &sp, st),
		"value |-------------------------------------------------- count\n"
		"  -30 |                                                   0\n"
		"  -20 |                                                   0\n"
		"  -10 |@                                                  1\n"
		"    0 |                                                   0\n"
		"   10 |                                                   0\n\n");
	free(st);

	stat_spec_init(&sp, HIST_LOG, 0, 0, 0, err, sizeof err);
	st = new_stat(&sp);
	stat_add(&sp, st, -2);
	stat_add(&sp, st, -4096);
	CHECK_S(hist_text(sb, &sp, st),
		" value |-------------------------------------------------- count\n"
		"-16384 |                                                   0\n"
		" -8192 |                                                   0\n"
		" -4096 |@                                                  1\n"
		" -2048 |                                                   0\n"
		" -1024 |                                                   0\n"
		"       ~\n"
		"    -8 |                                                   0\n"
		"    -4 |                                                   0\n"
		"    -2 |@                                                  1\n"
		"    -1 |                                                   0\n"
		"     0 |                                                   0\n\n");
	stat_clear(&sp, st);
	stat_add(&sp, st, 0);      /* log histograms do not go negative without negatives */
	CHECK_S(hist_text(sb, &sp, st),
		"value |-------------------------------------------------- count\n"
		"    0 |@                                                  1\n"
		"    1 |                                                   0\n"
		"    2 |                                                   0\n\n");
	free(st);
}

static void test_log_scale(struct strbuf *sb)
{
	struct stat_spec sp;
	char err[256];
	stat_spec_init(&sp, HIST_LOG, 0, 0, 0, err, sizeof err);
	struct stat *st = new_stat(&sp);
	for (int i = 0; i < 120; i++)
		stat_add(&sp, st, 5);      /* bucket 4: 120 / scale 3 = 40 '@' */
	for (int i = 0; i < 7; i++)
		stat_add(&sp, st, 1000);   /* bucket 512 */
	CHECK_S(hist_text(sb, &sp, st),
		"value |-------------------------------------------------- count\n"
		"    1 |                                                     0\n"
		"    2 |                                                     0\n"
		"    4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@           120\n"
		"    8 |                                                     0\n"
		"   16 |                                                     0\n"
		"      ~\n"
		"  128 |                                                     0\n"
		"  256 |                                                     0\n"
		"  512 |@@                                                   7\n"
		" 1024 |                                                     0\n"
		" 2048 |                                                     0\n\n");
	/* the full range: every power of two both signs, and zeros (val_space 20) */
	stat_clear(&sp, st);
	for (int i = 0; i < 63; i++)
		stat_add(&sp, st, (int64_t)1 << i);
	for (int i = 0; i < 64; i++)
		stat_add(&sp, st, (int64_t)(0 - ((uint64_t)1 << i)));
	for (int i = 0; i < 20; i++)
		stat_add(&sp, st, 0);
	const char *t = hist_text(sb, &sp, st);
	CHECK(strncmp(t, "               value |-----", 27) == 0);
	CHECK(strstr(t, "\n-9223372036854775808 |@                                                   1\n"
		      "-4611686018427387904 |@ ") != NULL);
	CHECK(strstr(t, "\n                  -1 |@                                                   1\n"
		      "                   0 |@@@@@@@@@@@@@@@@@@@@                               20\n"
		      "                   1 |@                                                   1\n") != NULL);
	CHECK(strstr(t, "\n 4611686018427387904 |@                                                   1\n\n") != NULL);
	int lines = 0;
	for (const char *p = t; *p; p++)
		lines += *p == '\n';
	CHECK_L(lines, 1 + 128 + 1);
	CHECK_L(stat_log_bucket(0), 64);
	CHECK_L(stat_log_bucket(1), 65);
	CHECK_L(stat_log_bucket(3), 66);
	CHECK_L(stat_log_bucket(-1), 63);
	CHECK_L(stat_log_bucket(INT64_MIN), 0);
	CHECK_L(stat_log_bucket(INT64_MAX), 127);
	CHECK_L(stat_log_bucket_value(0), INT64_MIN);
	CHECK_L(stat_log_bucket_value(127), 4611686018427387904LL);
	free(st);
}

static void test_empty_and_ops(struct strbuf *sb)
{
	struct stat_spec sp;
	char err[256];
	stat_spec_init(&sp, HIST_NONE, 0, 0, 0, err, sizeof err);
	struct stat *st = new_stat(&sp);
	int64_t v = 7;
	CHECK_L(stat_get(&sp, st, STAT_COUNT, &v), 0); CHECK_L(v, 0);
	CHECK_L(stat_get(&sp, st, STAT_SUM, &v), 0); CHECK_L(v, 0);
	CHECK_L(stat_get(&sp, st, STAT_MIN, &v), -1);
	CHECK_L(stat_get(&sp, st, STAT_AVG, &v), -1);
	CHECK_L(stat_get(&sp, st, STAT_VARIANCE, &v), -1);
	CHECK_S(hist_text(sb, &sp, st), "(empty)");
	stat_add(&sp, st, -5);
	CHECK_L(stat_get(&sp, st, STAT_VARIANCE, &v), 0); CHECK_L(v, 0);
	stat_add(&sp, st, 4);
	stat_get(&sp, st, STAT_AVG, &v); CHECK_L(v, 0);   /* -1/2 truncates toward 0 */
	stat_get(&sp, st, STAT_MIN, &v); CHECK_L(v, -5);
	stat_get(&sp, st, STAT_MAX, &v); CHECK_L(v, 4);
	/* Welford in integers: avg_s -1, M2 45; then the cpu total: 2*(-1-0)^2 + 45 = 47 */
	stat_get(&sp, st, STAT_VARIANCE, &v); CHECK_L(v, 47);
	CHECK_L(stat_op_from_name("variance"), STAT_VARIANCE);
	CHECK_L(stat_op_from_name("median"), -1);
	CHECK_L(stat_spec_init(&sp, HIST_LINEAR, 0, 10, 0, err, sizeof err), -1);
	CHECK_S(err, "histogram: interval cannot be zero.");
	CHECK_L(stat_spec_init(&sp, HIST_LINEAR, 0, 1000, 1, err, sizeof err), -1);
	free(st);
}

int main(void)
{
	struct strbuf sb;
	sb_init(&sb);
	test_overunder(&sb);
	test_elision(&sb);
	test_log_scale(&sb);
	test_empty_and_ops(&sb);
	sb_free(&sb);
	return unit_done("test_stats");
}

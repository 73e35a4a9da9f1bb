/*
** Associative arrays: lookup/insert, bounds and stap's overflow texts, wrapping, string
** truncation, deletion, insertion order, stable sorts by key or value, and a speed sanity check.
*/
#include <stdlib.h>
#include <time.h>

#include "arena.h"
#include "map.h"
#include "unit.h"

#define L(x) ((struct mval){ .l = (x) })
#define S(x) ((struct mval){ .s = (x) })

static void order(struct map *m, struct strbuf *sb)
{
	sb_reset(sb);
	sb_puts(sb, "");
	for (int e = map_first(m); e >= 0; e = map_next(m, e)) {
		const char *sig = map_keysig(m);
		for (int c = 0; sig[c]; c++) {
			if (sig[c] == 'l')
				sb_printf(sb, "%s%lld", c ? "," : "", (long long)map_key_l(m, e, c));
			else
				sb_printf(sb, "%s%s", c ? "," : "", map_key_s(m, e, c));
		}
		if (map_vtype(m) == MAPV_LONG)
			sb_printf(sb, "=%lld ", (long long)*(int64_t *)map_val(m, e));
		else if (map_vtype(m) == MAPV_STRING)
			sb_printf(sb, "=%s ", (char *)map_val(m, e));
		else
			sb_printf(sb, "=#%lld ", (long long)((struct stat *)map_val(m, e))->count);
	}
}

static void test_basic(struct strbuf *sb)
{
	struct map *m = map_new("l", MAPV_LONG, 2048, false, false, 512, NULL);
	struct mval k[1];
	for (int i = 0; i < 10; i++) {
		k[0] = L(i % 4);
		*(int64_t *)map_ref(m, k) += i;
	}
	CHECK_L(map_count(m), 4);
	k[0] = L(1); CHECK_L(map_get_l(m, k), 1 + 5 + 9);
	k[0] = L(7); CHECK_L(map_get_l(m, k), 0);
	CHECK(!map_exists(m, k));
	CHECK_L(map_count(m), 4);          /* reading does not insert */
	order(m, sb);
	CHECK_S(sb->buf, "0=12 1=15 2=8 3=10 ");
	k[0] = L(1); map_delete(m, k);
	CHECK(!map_exists(m, k));
	map_delete(m, k);                  /* absent: no-op */
	CHECK_L(map_count(m), 3);
	k[0] = L(1); map_set_l(m, k, 99);  /* re-inserted at the end */
	k[0] = L(-5); map_set_l(m, k, 0);  /* zero is a value, not a deletion */
	order(m, sb);
	CHECK_S(sb->buf, "0=12 2=8 3=10 1=99 -5=0 ");
	k[0] = L(-5); CHECK(map_exists(m, k));
	map_clear(m);
	CHECK_L(map_count(m), 0);
	CHECK_L(map_first(m), -1);
	k[0] = L(3); CHECK_L(map_set_l(m, k, 3), 0);
	order(m, sb);
	CHECK_S(sb->buf, "3=3 ");
	map_free(m);
}

static void test_bounds(struct strbuf *sb)
{
	struct map *m = map_new("l", MAPV_LONG, 3, false, false, 512, NULL);
	struct mval k[1];
	for (int i = 0; i < 3; i++) {
		k[0] = L(i);
		CHECK_L(map_set_l(m, k, i * 10), 0);
	}
	k[0] = L(3);
	CHECK_L(map_set_l(m, k, 1), -1);
	CHECK(map_ref(m, k) == NULL);
	k[0] = L(2);
	CHECK_L(map_set_l(m, k, 5), 0);    /* an existing key still works when full */
	CHECK_S(map_overflow_msg(m), "Array overflow, check MAXMAPENTRIES");
	map_free(m);

	m = map_new("l", MAPV_LONG, 100, true, false, 512, NULL);
	CHECK_S(map_overflow_msg(m), "Array overflow, check size limit (100)");
	map_free(m);

	/* global a%[3]: the oldest entry gives way */
	m = map_new("l", MAPV_LONG, 3, true, true, 512, NULL);
	for (int i = 0; i < 5; i++) {
		k[0] = L(i);
		CHECK_L(map_set_l(m, k, i), 0);
	}
	CHECK_L(map_count(m), 3);
	order(m, sb);
	CHECK_S(sb->buf, "2=2 3=3 4=4 ");
	k[0] = L(0); CHECK(!map_exists(m, k));
	k[0] = L(3); map_delete(m, k);
	k[0] = L(7); map_set_l(m, k, 7);
	k[0] = L(8); map_set_l(m, k, 8);
	order(m, sb);
	CHECK_S(sb->buf, "4=4 7=7 8=8 ");
	map_free(m);

	/* more than one chunk, and the bucket table growing past its first size */
	m = map_new("l", MAPV_LONG, 20000, false, false, 512, NULL);
	for (int i = 0; i < 20000; i++) {
		k[0] = L(i * 7919);
		map_set_l(m, k, i);
	}
	int ok = 1;
	for (int i = 0; i < 20000; i++) {
		k[0] = L(i * 7919);
		ok &= map_get_l(m, k) == i;
	}
	CHECK(ok);
	k[0] = L(-1);
	CHECK_L(map_set_l(m, k, 1), -1);
	map_free(m);
}

static void test_strings(struct strbuf *sb)
{
	struct map *m = map_new("sl", MAPV_STRING, 100, false, false, 8, NULL);
	struct mval k[2] = { S("abc"), L(1) };
	map_set_s(m, k, "one");
	k[1] = L(2);
	map_set_s(m, k, "a long value");         /* truncated to 7 bytes */
	k[0] = S("abcdefghij");                  /* key truncated to "abcdefg" */
	map_set_s(m, k, "x");
	k[0] = S("abcdefgXYZ");                  /* the same truncated key */
	CHECK_S(map_get_s(m, k), "x");
	k[0] = S("abc"); k[1] = L(2);
	CHECK_S(map_get_s(m, k), "a long ");
	k[0] = S(""); k[1] = L(0);
	CHECK_S(map_get_s(m, k), "");
	map_set_s(m, k, "");
	CHECK(map_exists(m, k));
	order(m, sb);
	CHECK_S(sb->buf, "abc,1=one abc,2=a long  abcdefg,2=x ,0= ");
	struct mval got[2];
	map_keys(m, map_first(m), got);
	CHECK_S(got[0].s, "abc");
	CHECK_L(got[1].l, 1);
	map_free(m);
}

static void test_sort(struct strbuf *sb)
{
	struct map *m = map_new("ls", MAPV_LONG, 100, false, false, 64, NULL);
	struct mval k[2];
	static const struct { int64_t a; const char *b; int64_t v; } in[] = {
		{ 3, "c", 20 }, { 1, "b", 10 }, { 2, "a", 20 }, { 1, "a", 5 }, { -4, "d", 10 },
	};
	for (int i = 0; i < 5; i++) {
		k[0] = L(in[i].a);
		k[1] = S(in[i].b);
		map_set_l(m, k, in[i].v);
	}
	map_sort(m, 0, 1, STAT_COUNT, 0);
	order(m, sb);
	CHECK_S(sb->buf, "1,a=5 1,b=10 -4,d=10 3,c=20 2,a=20 ");
	map_sort(m, 0, -1, STAT_COUNT, 0);       /* ties stay in their current order */
	order(m, sb);
	CHECK_S(sb->buf, "3,c=20 2,a=20 1,b=10 -4,d=10 1,a=5 ");
	map_sort(m, 1, 1, STAT_COUNT, 2);
	order(m, sb);
	CHECK_S(sb->buf, "-4,d=10 1,b=10 1,a=5 2,a=20 3,c=20 ");
	map_sort(m, 2, -1, STAT_COUNT, 0);
	order(m, sb);
	CHECK_S(sb->buf, "-4,d=10 3,c=20 1,b=10 1,a=5 2,a=20 ");
	/* the sorted order is the map's order now, as in stap */
	k[0] = L(9); k[1] = S("z");
	map_set_l(m, k, 0);
	order(m, sb);
	CHECK_S(sb->buf, "-4,d=10 3,c=20 1,b=10 1,a=5 2,a=20 9,z=0 ");
	map_free(m);

	/* stats values sort by @count unless told otherwise */
	struct stat_spec sp;
	char err[128];
	stat_spec_init(&sp, HIST_LOG, 0, 0, 0, err, sizeof err);
	m = map_new("s", MAPV_STATS, 100, false, false, 64, &sp);
	k[0] = S("x"); map_add_stat(m, k, 100);
	k[0] = S("y"); map_add_stat(m, k, 1); map_add_stat(m, k, 2);
	k[0] = S("z"); map_add_stat(m, k, 50); map_add_stat(m, k, 60); map_add_stat(m, k, 70);
	map_sort(m, 0, -1, STAT_COUNT, 0);
	order(m, sb);
	CHECK_S(sb->buf, "z=#3 y=#2 x=#1 ");
	map_sort(m, 0, -1, STAT_MAX, 0);
	order(m, sb);
	CHECK_S(sb->buf, "x=#1 z=#3 y=#2 ");
	map_sort(m, 0, 1, STAT_SUM, 0);
	order(m, sb);
	CHECK_S(sb->buf, "y=#2 x=#1 z=#3 ");
	k[0] = S("y");
	struct stat *st = map_get(m, k);
	CHECK(st && st->histogram[stat_log_bucket(2)] == 1);
	map_free(m);
}

/* the interpreter benchmark's shape: a[i % 1000] += i, 3e6 times */
static void test_speed(void)
{
	struct map *m = map_new("l", MAPV_LONG, 2048, false, false, 512, NULL);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct mval k[1];
	for (int64_t i = 0; i < 3000000; i++) {
		k[0].l = i % 1000;
		*(int64_t *)map_ref(m, k) += i;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	k[0].l = 999;
	CHECK_L(map_get_l(m, k), 3000LL * 999 + 1000LL * (2999 * 3000 / 2));  /* i = 999 + 1000j */
	CHECK(ms < 1000);
	printf("map: 3e6 lookups in %.1f ms\n", ms);
	map_free(m);
}

int main(void)
{
	struct strbuf sb;
	sb_init(&sb);
	test_basic(&sb);
	test_bounds(&sb);
	test_strings(&sb);
	test_sort(&sb);
	test_speed();
	sb_free(&sb);
	return unit_done("test_map");
}

/* Target for tests/stp/dwarf and tests/unit/test_dwarf: structs, arrays, pointers, strings,
   enums, bitfields, globals, an -O2-style leaf and a call back from libc (qsort). It writes to stderr only,
   so script tests compare ustap's stdout alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum color { RED, GREEN = 5, BLUE };
struct inner {
	int a;
	char name[8];
};
struct outer {
	long id;
	struct inner *in;
	struct inner arr[2];
	unsigned flag : 3;
	int neg : 4;
	enum color col;
	const char *label;
	short sh;
	unsigned char uc;
};
typedef struct outer outer_t;

int gcount = 5;
long garr[4] = { 10, 20, 30, -40 };
const char *gname = "global-name";
static struct inner gin = { 99, "gin" };

__attribute__((noinline)) int leaf(int x, int y)
{
	int z = x * y + 1;
	return z ^ (x >> 1);
}

__attribute__((noinline)) static int helper(outer_t *o, int k)
{
	int sum = o->in->a + k;
	sum += leaf(sum, k);
	return sum * 2;
}

__attribute__((noinline)) long sum_arr(const long *v, int n, void *opaque)
{
	long t = 0;
	for (int i = 0; i < n; i++)
		t += v[i];
	return t + (opaque != NULL);
}

__attribute__((noinline)) int greet(const char *who, char initial, unsigned long long big)
{
	return fprintf(stderr, "hello %s %c %llu\n", who, initial, big) > 0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return leaf((x > y) - (x < y), 1) - 1;
}

int main(int argc, char **argv)
{
	struct inner i = { 7, "abc" };
	outer_t o = { 42, &i, { { 1, "x" }, { 2, "y" } }, 5, -3, GREEN, "lbl", -2, 200 };
	long v[5] = { 5, 3, 9, 1, 7 };
	int r = helper(&o, argc);
	qsort(v, 5, sizeof v[0], cmp_long);
	r += (int)sum_arr(v, 5, &gin);
	r += greet(argc > 1 ? argv[1] : "world", 'w', 12345678901ULL);
	fprintf(stderr, "%d %d %s %ld\n", r, gcount, gname, garr[3]);
	return 0;
}

/* One parameter: the "unable to find local" error lists exactly one alternative. */
__attribute__((noinline)) int single(int only)
{
	return only + 1;
}

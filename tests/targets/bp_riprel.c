/* Functions whose first instruction reads or writes memory RIP-relative (at -O2), so that
   the out-of-line copy must re-aim the displacement; and one starting with a relative jump
   or call (emulated). Usage: bp_riprel N */
#include <stdio.h>
#include <stdlib.h>

long counter;
static long table[4] = { 1, 2, 3, 4 };

__attribute__((noinline)) long bump(long x)
{
	counter += x;
	return counter;
}

__attribute__((noinline)) long pick(long i)
{
	return table[i & 3];
}

__attribute__((noinline)) long twice(long x)
{
	return bump(x) + bump(x);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100, s = 0;
	for (long i = 0; i < n; i++)
		s += pick(i) + twice(1);
	printf("counter=%ld s=%ld\n", counter, s);
	return 0;
}

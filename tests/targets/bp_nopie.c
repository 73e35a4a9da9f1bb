/* A non-PIE executable (fixed load address, bias 0): add() N times, a .return and $vars.
   Usage: bp_nopie N */
// LDFLAGS: -no-pie
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) long add(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100, s = 0;
	for (long i = 0; i < n; i++)
		s += add(i, 1);
	printf("sum=%ld\n", s);
	return 0;
}

/* longjmp through probed functions: deep() is left by longjmp N times, so return probes on
   it and on mid() never fire for those calls; leaf() returns normally each time.
   Prints the sums it computed itself. Usage: bp_longjmp N */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf env;

__attribute__((noinline)) long leaf(long x)
{
	__asm__ volatile("" ::: "memory");
	return x * 2;
}

__attribute__((noinline)) long deep(long x)
{
	long r = leaf(x);
	if (x % 2)
		longjmp(env, 1);
	return r + 1;
}

__attribute__((noinline)) long mid(long x)
{
	return deep(x) + 1;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10, sum = 0, jumps = 0;
	for (volatile long i = 0; i < n; i++) {
		if (setjmp(env)) {
			jumps++;
			continue;
		}
		sum += mid(i);
	}
	printf("sum=%ld jumps=%ld leaf=%ld\n", sum, jumps, leaf(n));
	return 0;
}

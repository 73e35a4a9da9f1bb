// The program `make demo` traces (examples/demo.stp): a few calls of compute(), each summing
// the squares 1..n, with a pause so that timers fire in between. Usage: demo [ROUNDS]
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) long compute(int n)
{
	long s = 0;
	for (int i = 1; i <= n; i++)
		s += (long)i * i;
	return s;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5;
	for (int i = 1; i <= rounds; i++) {
		printf("demo: compute(%d) = %ld\n", i * 10, compute(i * 10));
		fflush(stdout);
		usleep(120000);
	}
	return 0;
}

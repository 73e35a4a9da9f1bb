/* getppid() argv[1] times (default 200000) and report the loop's cost on its own clock:
   "calls=N ns_per_call=X", for bench/tracepoint.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	fprintf(stderr, "calls=%ld ns_per_call=%.1f\n", n, ns / (double)n);
	return 0;
}

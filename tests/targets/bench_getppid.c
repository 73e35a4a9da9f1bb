/* getppid() argv[1] times (default 200000) and report the loop's cost on its own clocks:
   "calls=N ns_per_call=X cpu_ns_per_call=Y", for bench/tracepoint.sh. The CPU time leaves out
   the time spent waiting for a CPU (the VM is shared): it is the steadier figure. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	struct timespec a, b, ca, cb;

	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ca);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cb);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	double cpu = (cb.tv_sec - ca.tv_sec) * 1e9 + (cb.tv_nsec - ca.tv_nsec);
	fprintf(stderr, "calls=%ld ns_per_call=%.1f cpu_ns_per_call=%.1f\n", n, ns / (double)n, cpu / (double)n);
	return 0;
}

/* Time stamps around syscalls for the kernel-side time tests: argv[1] rounds (default 50) of
   t0 = CLOCK_REALTIME ns; lseek(-1, t0); t1 = CLOCK_REALTIME ns; lseek(-2, t1); a 2 ms sleep.
   The lseeks fail (EBADF) and only carry the times to a syscall.lseek probe. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 50;
	static const struct timespec pause = { 0, 2000000 };

	for (long i = 0; i < n; i++) {
		long long t0 = now_ns();
		lseek(-1, (off_t)t0, SEEK_SET);
		long long t1 = now_ns();
		lseek(-2, (off_t)t1, SEEK_SET);
		nanosleep(&pause, NULL);
	}
	return 0;
}

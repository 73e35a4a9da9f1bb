/* Spins in user space for argv[1] milliseconds of CPU time (default 300): a target for sampling
   probes. */
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the same samples on a loaded machine */
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

volatile unsigned long sink;

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 300);
	while (now() < end)
		for (int i = 0; i < 100000; i++)
			sink += (unsigned long)i * i;
	return 0;
}

/* Per-call cost as the traced program sees it: T threads each call f() N times; prints the
   mean wall time per call and the calls per second over all threads.
   Usage: bench_hit N [T [MS]]: with MS, each thread calls f() for MS milliseconds instead
   (at least N times), a steady target to attach to; MS=0: until SIGUSR1. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long n_calls = 100000;
static double deadline;
static volatile sig_atomic_t until_signal, stop;

static void on_usr1(int sig) { stop = 1; }
static double now(void);

__attribute__((noinline)) long f(long a)
{
	__asm__ volatile("" ::: "memory");
	return a + 1;
}

static void *worker(void *arg)
{
	long s = 0;
	long i = 0;
	do {
		for (long k = 0; k < n_calls; k++, i++)
			s += f(i);
	} while ((deadline && now() < deadline) || (until_signal && !stop));
	*(long *)arg = s;
	return NULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int t = argc > 2 ? atoi(argv[2]) : 1;
	long sums[64];
	pthread_t th[64];
	if (argc > 1)
		n_calls = atol(argv[1]);
	if (t < 1 || t > 64)
		t = 1;
	double t0 = now();
	if (argc > 3 && atoi(argv[3]) > 0)
		deadline = t0 + atoi(argv[3]) / 1000.0;
	else if (argc > 3) {
		until_signal = 1;
		signal(SIGUSR1, on_usr1);
	}
	for (int i = 0; i < t; i++)
		pthread_create(&th[i], NULL, worker, &sums[i]);
	for (int i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	double dt = now() - t0;
	if (deadline || until_signal)
		printf("ran\n");
	else
		printf("ns_per_call=%.1f calls_per_sec=%.0f\n", dt * 1e9 / n_calls, n_calls * t / dt);
	return 0;
}

/* A breakpoint target: calls add(i, 1) N times on each of T threads, then prints the sums
   the program itself computed (a probe must not change them). Usage: bp_loop [N] [T] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long n_calls = 1000;

__attribute__((noinline)) long add(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

static void *worker(void *arg)
{
	long sum = 0;
	for (long i = 0; i < n_calls; i++)
		sum += add(i, 1);
	*(long *)arg = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	int nthreads = 1;
	if (argc > 1)
		n_calls = atol(argv[1]);
	if (argc > 2)
		nthreads = atoi(argv[2]);
	pthread_t th[64];
	long sums[64] = { 0 }, total = 0;
	if (nthreads > 64)
		nthreads = 64;
	if (nthreads <= 1) {
		worker(&sums[0]);
	} else {
		for (int i = 0; i < nthreads; i++)
			pthread_create(&th[i], NULL, worker, &sums[i]);
		for (int i = 0; i < nthreads; i++)
			pthread_join(th[i], NULL);
	}
	for (int i = 0; i < nthreads; i++)
		total += sums[i];
	printf("calls=%ld threads=%d total=%ld\n", n_calls, nthreads, total);
	return 0;
}

/* Targets for processes caught at their exec (tracer/execwatch.c).
   ew_exec thread PROG ARGS...  a second thread (not the leader) execs PROG ARGS
   ew_exec sleep MS N [STATUS]  sleeps MS milliseconds, then calls add() N times, prints the sum,
                                exits with STATUS (0) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) long add(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

static void *exec_it(void *arg)
{
	char **argv = arg;
	execv(argv[0], argv);
	perror(argv[0]);
	exit(127);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "thread")) {
		pthread_t th;
		pthread_create(&th, NULL, exec_it, argv + 2);
		for (;;)
			pause();   /* the exec ends this thread */
	}
	if (argc > 3 && !strcmp(argv[1], "sleep")) {
		long ms = atol(argv[2]), n = atol(argv[3]), s = 0;
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
		for (long i = 0; i < n; i++)
			s += add(i, 1);
		printf("sum=%ld\n", s);
		return argc > 4 ? atoi(argv[4]) : 0;
	}
	fprintf(stderr, "usage: ew_exec thread PROG ARGS... | sleep MS N [STATUS]\n");
	return 2;
}

// An i386 program (gcc -m32) with 4 threads calling work() 1000 times each, then a forked child
// calling it 10 times (tests/stp/process/m32_threads: exact counts in parent and child).
// CFLAGS: -m32
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) int work(int x) { return x + 1; }

static void *run(void *a)
{
	int s = 0;
	for (int i = 0; i < 1000; i++)
		s += work(i);
	return (void *)(long)s;
}

int main(void)
{
	pthread_t t[4];
	long tot = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], 0, run, 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		tot += (long)r;
	}
	pid_t p = fork();
	if (p == 0) {
		int s = 0;
		for (int i = 0; i < 10; i++)
			s += work(i);
		_exit(s == 55 ? 0 : 1);
	}
	int st;
	waitpid(p, &st, 0);
	printf("%ld %d\n", tot, WEXITSTATUS(st));
	return 0;
}

/* Fork and exec follower target: add() N times in the parent, then a forked child calls it
   N times, then (with an argument) the child execs PROG ARGS... after its calls. Each process
   prints its own sum. Usage: bp_fork N [PROG ARGS...] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) long add(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

static long loop(long n)
{
	long s = 0;
	for (long i = 0; i < n; i++)
		s += add(i, 1);
	return s;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100;
	setvbuf(stdout, NULL, _IONBF, 0);
	long s = loop(n);
	printf("parent sum=%ld\n", s);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child sum=%ld\n", loop(n));
		if (argc > 2) {
			execv(argv[2], argv + 2);
			perror("execv");
			_exit(127);
		}
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("parent after child: %ld\n", loop(n) + s);
	return WEXITSTATUS(st);
}

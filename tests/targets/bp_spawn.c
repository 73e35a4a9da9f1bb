/* vfork-style children (system() uses posix_spawn: CLONE_VM|CLONE_VFORK) between probed
   calls: add() N times, system("exit 3"), add() N times again. Usage: bp_spawn N */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

__attribute__((noinline)) long add(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10, s = 0;
	for (long i = 0; i < n; i++)
		s += add(i, 1);
	int st = system("exit 3");
	for (long i = 0; i < n; i++)
		s += add(i, 1);
	printf("s=%ld system=%d\n", s, WEXITSTATUS(st));
	return 0;
}

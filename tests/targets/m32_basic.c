// An i386 program (gcc -m32) for the 32-bit tracee tests (tests/stp/process/m32_*): calls with
// known arguments and results, a struct behind a pointer, a 64-bit argument (two stack words),
// recursion, a libc call; argv[1] "wait": waits for SIGUSR1 between rounds (for -x).
// CFLAGS: -m32
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pt { int x; short y; const char *name; struct pt *next; };

static volatile sig_atomic_t go;
static void on_usr1(int sig) { (void)sig; go = 1; }

__attribute__((noinline)) int add(int a, int b) { return a + b; }
__attribute__((noinline)) long long wide(long long v, int k) { return v * k; }
__attribute__((noinline)) int walk(struct pt *p)
{
	int n = 0;
	for (; p; p = p->next)
		n += p->x + p->y;
	return n;
}
__attribute__((noinline)) int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }

/* "ready R", then wait for SIGUSR1 (m32_x detaches while round 1 is in here) */
__attribute__((noinline)) void wait_go(int r)
{
	printf("ready %d\n", r);
	fflush(stdout);
	while (!go)
		pause();
	go = 0;
}
#ifdef __i386__
/* Never called: starts with a far call (it would change cs), which ustap neither runs out of
   line nor emulates, so probing it is refused (tests/stp/process/m32_refuse.sh). */
__attribute__((naked, used)) void refused(void) { __asm__("lcall *4(%esp)\n\tret"); }
#endif

int main(int argc, char **argv)
{
	int wait_sig = argc > 1 && strcmp(argv[1], "wait") == 0;
	struct pt b = { 20, -2, "second", NULL }, a = { 10, 5, "first", &b };
	int rounds = wait_sig ? 2 : 1, sum = 0;
	signal(SIGUSR1, on_usr1);
	for (int r = 0; r < rounds; r++) {
		if (wait_sig)
			wait_go(r);
		for (int i = 1; i <= 3; i++)
			sum += add(i, 10 * i);
		sum += (int)wide(0x100000000ll + 7, 3);
		sum += walk(&a);
		sum += fact(5);
	}
	printf("sum %d len %zu\n", sum, strlen(a.name));
	return 0;
}

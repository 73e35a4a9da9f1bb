/* Coroutines (ucontext) on two stacks in one mapping: f() in coroutine A switches to B while
   its .return is pending; B calls g() (deeper in the shadow stack, higher on the stack: A's
   frame must not be taken for one left by longjmp) and switches back; f returns. N rounds.
   Prints the results it computed itself. Usage: bp_coro N */
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

static ucontext_t ctx_main, ctx_a, ctx_b;
static long res_a, res_b;

__attribute__((noinline)) long g(long x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

__attribute__((noinline)) long f(long x)
{
	swapcontext(&ctx_a, &ctx_b);
	return x * 2;
}

static void run_a(void) { res_a += f(21); }

static void run_b(void)
{
	res_b += g(1);
	swapcontext(&ctx_b, &ctx_a);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 3;
	char *blk = malloc(512 * 1024);   /* one mapping: A's stack below B's */
	for (long i = 0; i < n; i++) {
		getcontext(&ctx_a);
		ctx_a.uc_stack.ss_sp = blk;
		ctx_a.uc_stack.ss_size = 256 * 1024;
		ctx_a.uc_link = &ctx_main;
		makecontext(&ctx_a, run_a, 0);
		getcontext(&ctx_b);
		ctx_b.uc_stack.ss_sp = blk + 256 * 1024;
		ctx_b.uc_stack.ss_size = 256 * 1024;
		ctx_b.uc_link = &ctx_main;
		makecontext(&ctx_b, run_b, 0);
		swapcontext(&ctx_main, &ctx_a);
	}
	printf("a=%ld b=%ld\n", res_a, res_b);
	free(blk);
	return 0;
}

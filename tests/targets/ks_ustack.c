/* A struct on the stack handed to a syscall and overwritten right after: 20 rounds of
   clock_nanosleep(CLOCK_MONOTONIC, 0, {0, 1000000000 + i}) for i = 1..20 from the same stack
   slot (an invalid tv_nsec: EINVAL at once, no sleep), so a tracer that reads the struct after
   the fact sees a later round's value. */
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static __attribute__((noinline)) void nap(long ns)
{
	struct timespec ts = { 0, 1000000000 + ns };
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
	__asm__ volatile("" : : "r"(&ts) : "memory");
}

int main(void)
{
	for (long i = 1; i <= 20; i++)
		nap(i);
	return 0;
}

/* .return probes' @entry values (tests/stp/process/entry_*): functions that change their
   parameters before returning, recursion (nested frames), a string parameter walked to its
   end, and a longjmp out of a probed call. Exits 0 when it computed the expected sum. */
#include <setjmp.h>

static jmp_buf env;

__attribute__((noinline)) int compute(int n)
{
	n = n + 1;
	return n * 2;
}

__attribute__((noinline)) long sum3(long a, long b, long c)
{
	a += b;
	b += c;
	__asm__ volatile("" : "+r"(a), "+r"(b) :: "memory");
	return a + b + c;
}

__attribute__((noinline)) int slen(const char *s)
{
	int n = 0;
	while (*s++)
		n++;
	return n;
}

__attribute__((noinline)) long fact(long n)
{
	if (n <= 1)
		return 1;
	long r = fact(n - 1);
	__asm__ volatile("" : "+r"(r) :: "memory");
	return n * r;
}

__attribute__((noinline)) int inner(int y)
{
	if (y == 11)
		longjmp(env, 1);
	__asm__ volatile("" ::: "memory");
	return y;
}

__attribute__((noinline)) int outer(int x)
{
	x = inner(x + 1);
	__asm__ volatile("" ::: "memory");
	return x + 5;
}

int main(void)
{
	long t = compute(0) + compute(10) + compute(20);
	t += sum3(1, 2, 3) + sum3(4, 5, 6);
	t += slen("hello") + slen("entry values");
	t += fact(4);
	for (volatile int i = 0; i < 3; i++)
		if (!setjmp(env))
			t += outer(i * 10);
	return t == 176 ? 0 : 1;   /* no output: the script's lines alone are compared */
}

/* A system call made from inside the vdso: clock_gettime with a clock the vdso does not know
   falls back to the real syscall there; then getuid from libc. */
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timespec ts;
	int r = clock_gettime(12345, &ts);   /* invalid: -1 (EINVAL), from the kernel */
	return r == -1 && getuid() == getuid() ? 0 : 1;
}

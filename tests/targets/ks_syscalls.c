/* Known syscalls for the kernel-side tests: 3 openat("/etc/hostname"), one failing openat,
   2 reads of 4 bytes, a write of "hello\n" to /dev/null, 5 getppid, a nanosleep, then a pause
   so that ustap reads the strings while this process still exists. argv[1]: loop count for
   getppid (default 5). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const char path[] = "/etc/hostname";
	long n = argc > 1 ? atol(argv[1]) : 5;
	char buf[4];

	for (int i = 0; i < 3; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (i < 2 && read(fd, buf, sizeof buf) < 0)
				return 1;
			close(fd);
		}
	}
	if (openat(AT_FDCWD, "/nonexistent/ustap", O_WRONLY | O_CREAT | O_TRUNC, 0640) >= 0)
		return 1;
	int null = open("/dev/null", O_WRONLY);
	if (null < 0 || write(null, "hello\n", 6) != 6)
		return 1;
	close(null);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	/* two variables: a tracer reads our memory after the fact, so the first request must
	   still hold its value when the second is made */
	static const struct timespec ts1 = { 0, 1000000 }, ts2 = { 0, 200000000 };
	nanosleep(&ts1, NULL);
	nanosleep(&ts2, NULL);   /* let the tracer read our memory before we go */
	return 0;
}

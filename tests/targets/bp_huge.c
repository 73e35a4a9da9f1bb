/* Remaps its own text onto a hugetlb memfd (private, as DPDK apps like ovs-vswitchd do with
   huge-page text) and calls mlockall, then calls add() N times and prints the sum.
   Usage: bp_huge N [SECONDS]: with SECONDS, keep calling add() every millisecond that long
   (a target for -x), then print. BP_HUGE_NORESERVE=1: no huge page reserved for copy-on-write
   of the text, so that a debugger's write fails when the pool is empty. Prints "nohuge: why" and exits 3 if it cannot remap. */
// LDFLAGS: -Wl,-z,max-page-size=0x200000 -Wl,-z,common-page-size=0x200000
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define HUGE (2ul << 20)

__attribute__((noinline)) long add(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

static int remap_text(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], exe[512] = "";
	unsigned long lo = 0, hi = 0;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long a, b;
		char perm[8];
		if (sscanf(line, "%lx-%lx %7s", &a, &b, perm) == 3 && perm[2] == 'x' && strstr(line, exe)) {
			lo = a, hi = b;
			break;
		}
	}
	if (f)
		fclose(f);
	if (!lo || (lo & (HUGE - 1))) {
		printf("nohuge: text not 2MB aligned\n");
		return -1;
	}
	size_t size = (hi - lo + HUGE - 1) & ~(HUGE - 1);
	int fd = memfd_create("text", MFD_HUGETLB);
	if (fd < 0 || ftruncate(fd, size) < 0) {
		printf("nohuge: memfd: %m\n");
		return -1;
	}
	void *tmp = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (tmp == MAP_FAILED) {
		printf("nohuge: mmap: %m\n");
		return -1;
	}
	memcpy(tmp, (void *)lo, hi - lo);
	munmap(tmp, size);
	/* the same bytes at the same address: execution continues in the copy */
	if (mmap((void *)lo, size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED |
	         (getenv("BP_HUGE_NORESERVE") ? MAP_NORESERVE : 0), fd, 0) == MAP_FAILED) {
		printf("nohuge: remap: %m\n");
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000, sum = 0, calls = 0;
	int secs = argc > 2 ? atoi(argv[2]) : 0;
	if (remap_text() < 0)
		return 3;
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
		printf("nohuge: mlockall: %m\n");
		return 3;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	for (long i = 0; i < n; i++, calls++)
		sum += add(i, 1);
	if (secs) {
		struct timespec ms = { 0, 1000000 };
		time_t end = time(NULL) + secs;
		while (time(NULL) < end) {
			sum += add(calls++, 1);
			nanosleep(&ms, NULL);
		}
	}
	printf("calls=%ld sum=%ld\n", calls, sum);
	return 0;
}

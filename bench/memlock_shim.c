/*
** LD_PRELOAD shim for the start-up benchmark: Debian's bpftrace insists on raising
** RLIMIT_MEMLOCK, which this VM refuses; modern kernels account BPF memory by cgroup, so
** pretending the call worked changes nothing else. Built by bench/run, never installed.
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/resource.h>

int setrlimit(__rlimit_resource_t res, const struct rlimit *rl)
{
	static int (*real)(__rlimit_resource_t, const struct rlimit *);
	if (res == RLIMIT_MEMLOCK)
		return 0;
	if (!real)
		real = (int (*)(__rlimit_resource_t, const struct rlimit *))dlsym(RTLD_NEXT, "setrlimit");
	return real(res, rl);
}

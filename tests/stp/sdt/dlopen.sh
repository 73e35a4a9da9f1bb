#!/bin/bash
# A dlopen'ed library's marker with a semaphore: placed when the dynamic linker adds the
# library (the semaphore counted up in its data at the library's load bias), its guarded
# path taken and every call seen. (A library dlclose'd and opened again is not probed again:
# the breakpoint engine keeps the old breakpoints, for functions as well.)
cat > "$TMPDIR/libmk.c" <<'C'
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
unsigned short dlt_hit_semaphore __attribute__((section(".probes")));
int mk_hit(int i)
{
	if (__builtin_expect(dlt_hit_semaphore, 0)) {
		STAP_PROBE1(dlt, hit, i);
		return 1;
	}
	return 0;
}
C
cat > "$TMPDIR/dlmain.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	void *h = dlopen(argv[1], RTLD_NOW);
	int (*hit)(int) = (int (*)(int))dlsym(h, "mk_hit");
	unsigned short *sem = dlsym(h, "dlt_hit_semaphore");
	int n = 0;
	for (int i = 0; i < 3; i++)
		n += hit(i * 7);
	printf("guarded=%d semaphore=%d\n", n, *sem);
	return 0;
}
C
gcc -g -shared -fPIC -o "$TMPDIR/libmk.so" "$TMPDIR/libmk.c" && gcc -g -o "$TMPDIR/dlmain" "$TMPDIR/dlmain.c" -ldl || exit 1
"$TMPDIR/dlmain" "$TMPDIR/libmk.so"     # untraced: the guarded path is off
$USTAP -e 'global v
probe process(@1).provider("dlt").mark("hit") { v[$arg1] = $$name }
probe end { foreach (k+ in v) printf("%d %s\n", k, v[k]) }' "$TMPDIR/libmk.so" -c "$TMPDIR/dlmain $TMPDIR/libmk.so"

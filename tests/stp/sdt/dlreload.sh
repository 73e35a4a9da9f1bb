#!/bin/bash
# A library dlclose'd and dlopen'ed again: its marker (and function) are probed in every load,
# the semaphore counted up in each new copy of its data.
cat > "$TMPDIR/libmr.c" <<'C'
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
unsigned short dlr_hit_semaphore __attribute__((section(".probes")));
int mr_hit(int i)
{
	if (__builtin_expect(dlr_hit_semaphore, 0)) {
		STAP_PROBE1(dlr, hit, i);
		return 1;
	}
	return 0;
}
C
cat > "$TMPDIR/dlrmain.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	int n = 0;
	for (int k = 0; k < 3; k++) {
		void *h = dlopen(argv[1], RTLD_NOW);
		int (*hit)(int) = (int (*)(int))dlsym(h, "mr_hit");
		for (int i = 0; i < 2; i++)
			n += hit(k * 10 + i);
		dlclose(h);
	}
	printf("guarded=%d\n", n);
	return 0;
}
C
gcc -g -shared -fPIC -o "$TMPDIR/libmr.so" "$TMPDIR/libmr.c" && gcc -g -o "$TMPDIR/dlrmain" "$TMPDIR/dlrmain.c" -ldl || exit 1
$USTAP -e 'global v, f
probe process(@1).provider("dlr").mark("hit") { v[$arg1] = $$name }
probe process(@1).function("mr_hit") { f++ }
probe end { foreach (k+ in v) printf("%d %s\n", k, v[k]); printf("calls=%d\n", f) }' "$TMPDIR/libmr.so" -c "$TMPDIR/dlrmain $TMPDIR/libmr.so"

#!/bin/bash
# Without -c/-x, process("EXE").library("LIB") probes reach the processes of EXE started later
# (caught at their exec, as EXE's own probes), never those of another program mapping LIB:
# m1 (3 calls of lib_f, 3 of strlen) runs twice, m2 (5 calls) once.
cd "$TMPDIR" || exit 1
printf '#include <string.h>\nint lib_f(const char *s) { return (int)strlen(s); }\n' > l.c
printf 'int lib_f(const char *);\nint main(void) { int s = 0; for (int i = 0; i < N; i++) s += lib_f("ab"); return s != 2 * N; }\n' > m.c
gcc -g -shared -fPIC -o libpx.so l.c && gcc -g -DN=3 -o m1 m.c -L. -lpx -Wl,-rpath,"$TMPDIR" &&
	gcc -g -DN=5 -o m2 m.c -L. -lpx -Wl,-rpath,"$TMPDIR" || exit 1
$USTAP -e 'global f, p
probe process("./m1").library("libpx.so").function("lib_f") { f[pid()]++ }
probe process("./m1").library("libpx*").plt("strlen") { p++ }
probe begin { printf("ready\n") }
probe end { foreach (x in f) { n++; t += f[x] }; printf("processes=%d lib_f=%d strlen=%d\n", n, t, p) }' \
	-T 20 > u.out 2> u.err &
u=$!
for i in $(seq 100); do grep -q ready u.out 2>/dev/null && break; sleep 0.1; done
./m1 && ./m2 && ./m1 || echo "a target failed"
kill -INT $u
wait $u
cat u.out

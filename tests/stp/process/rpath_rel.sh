#!/bin/bash
# A library found through a relative rpath (-Wl,-rpath,.) is "./librp.so" in the link map:
# it is the file relative to the process's cwd, and its functions are probed.
cd "$TMPDIR" || exit 1
printf 'int lib_f(int x) { return x + 1; }\n' > l.c
printf 'int lib_f(int);\nint main(void) { int s = 0; for (int i = 0; i < 3; i++) s += lib_f(i); return s != 6; }\n' > m.c
gcc -g -shared -fPIC -o librp.so l.c && gcc -g -o m m.c -L. -lrp -Wl,-rpath,. || exit 1
$USTAP -e 'global n
probe process("./librp.so").function("lib_f") { n++ }
probe end { printf("lib_f=%d\n", n) }' -c ./m

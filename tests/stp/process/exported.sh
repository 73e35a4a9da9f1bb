#!/bin/bash
# .function("GLOB").exported: DWARF functions only when their symbol is global or weak (the
# static hid is left out); functions known from the symbol table only are all kept, as stap
# 4.8 lists them. The run: pub 2 calls, wk 1, hid (2 calls) not probed.
cd "$TMPDIR" || exit 1
printf 'static int hid(int x) { return x * 2; }\nint pub(int y) { return hid(y) + 1; }\n__attribute__((weak)) int wk(int z) { return z; }\n' > le.c
printf 'int pub(int);\nint wk(int);\nint main(void) { return pub(1) + pub(2) + wk(0) != 8; }\n' > m.c
gcc -g -O0 -shared -fPIC -o libe.so le.c && gcc -g -o m m.c -L. -le -Wl,-rpath,"$TMPDIR" || exit 1
$USTAP -L 'process("./m").library("libe.so").function("*").exported' | sed "s|$TMPDIR|TMP|g"
$USTAP -e 'global n
probe process("./m").library("libe.so").function("*").exported { n[ppfunc()]++ }
probe end { foreach (f+ in n) printf("%s %d\n", f, n[f]) }' -c ./m

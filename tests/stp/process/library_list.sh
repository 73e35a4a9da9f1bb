#!/bin/bash
# -l/-L of .library() and .plt points, as stap 4.8 lists them: a LIB that names a file (here,
# in the current directory) stays as written, one found among EXE's needed libraries (a glob)
# becomes its absolute path; .plt names come from .rela.plt, sorted. -p2 shows the probes as
# process("/LIB").statement(0xSTUB) or .function(...) derived from the .library() point.
cd "$TMPDIR" || exit 1
printf '#include <string.h>\n#include <stdio.h>\nint lib_f(const char *s) { puts(s); return (int)strlen(s); }\n' > l.c
printf '#include <sys/sdt.h>\nint lib_m(int x) { DTRACE_PROBE1(pv, ping, x); return x; }\n' > s.c
printf 'int lib_f(const char *);\nint lib_m(int);\nint main(void) { return lib_f("ab") != 2 + lib_m(0); }\n' > m.c
gcc -g -shared -fPIC -o libll.so l.c && gcc -g -shared -fPIC -o libls.so s.c &&
	gcc -g -o m m.c -L. -lll -lls -Wl,-rpath,"$TMPDIR" || exit 1
for p in 'process("./m").library("libll.so").function("*")' \
	'process("./m").library("libll*").function("lib_f")' \
	'process("./m").library("libll.so").statement("lib_f@l.c:3")' \
	'process("./m").library("libll*").plt' \
	'process("./m").library("libll.so").plt("s*")' \
	'process("./m").plt("*")' \
	'process("./m").plt("lib_?")' \
	'process("./m").library("libls*").mark("*")' \
	'process("./m").library("libls.so").provider("pv").mark("ping")'; do
	echo "== -l $p"
	$USTAP -l "$p" 2>&1
	echo "== -L $p"
	$USTAP -L "$p" 2>&1
done | sed "s|$TMPDIR|TMP|g"
echo "== -p2"
$USTAP -p2 -e 'probe process("./m").library("libll.so").function("lib_f"),
	process("./m").library("libll*").plt("s*"), process("./m").library("libll.so").plt("p*"),
	process("./m").library("libls*").mark("ping") { print(1) }' 2>&1 | grep '^process' |
	sed "s|$TMPDIR|TMP|g"

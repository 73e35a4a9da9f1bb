#!/bin/bash
# process("EXE").library("LIB").function/.plt: probes in LIB, in processes of EXE only. m1
# calls lib_f 3 times, m2 (same library) 5 times: only m1's count; process("LIB") sees both.
cd "$TMPDIR" || exit 1
printf '#include <string.h>\nint lib_f(const char *s) { return (int)strlen(s); }\n' > l.c
printf 'int lib_f(const char *);\nint main(void) { int s = 0; for (int i = 0; i < N; i++) s += lib_f("ab"); return s != 2 * N; }\n' > m.c
gcc -g -shared -fPIC -o libpl.so l.c && gcc -g -DN=3 -o m1 m.c -L. -lpl -Wl,-rpath,"$TMPDIR" &&
	gcc -g -DN=5 -o m2 m.c -L. -lpl -Wl,-rpath,"$TMPDIR" || exit 1
$USTAP -e 'global f, fr, plt, any, p
probe process("./m1").library("libpl.so").function("lib_f") { f++; p[pp()]++ }
probe process("./m1").library("libpl.so").function("lib_f").return { fr++ }
probe process("./m1").library("libpl*").plt("str*") { plt++; p[pp()." ".$$name]++ }
probe process("./libpl.so").function("lib_f") { any++ }
probe end { printf("m1 lib_f=%d returns=%d plt=%d; any lib_f=%d\n", f, fr, plt, any)
	foreach (s+ in p) printf("%s %d\n", s, p[s]) }' -c "sh -c './m1; ./m2'" | sed "s|$TMPDIR|TMP|g"

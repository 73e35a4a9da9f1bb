#!/bin/bash
# Markers with semaphores in a system library: libpython3.11's function__entry runs only
# under PyDTrace_FUNCTION_ENTRY_ENABLED(), i.e. while ustap holds its semaphore (counted up
# when the library is mapped, before any Python code). A 2-line embedding of the interpreter
# (Debian's python3 binary is linked statically, without the markers) runs a script.
lib=/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0
printf 'int Py_BytesMain(int, char **);\nint main(int c, char **v) { return Py_BytesMain(c, v); }\n' \
	> "$TMPDIR/pymain.c"
gcc -o "$TMPDIR/pymain" "$TMPDIR/pymain.c" "$lib" || exit 1
$USTAP -e 'global n, bad
probe process(@1).provider("python").mark("function__entry") {
	n++
	if ($arg3 <= 0 || user_string($arg1) == "" || user_string($arg2) == "") bad++
}
probe end { printf("entries>0=%d bad=%d\n", n > 0, bad) }' "$lib" -c "$TMPDIR/pymain -c 'print(6*7)'"

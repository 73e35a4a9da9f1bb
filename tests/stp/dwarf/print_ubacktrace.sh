#!/usr/bin/env bash
# print_ubacktrace() in stap's layout (" 0xADDR : sym+0xOFF/0xSIZE [module]") from a callback
# that libc's qsort makes, at -O0: addresses masked, libc's frames reduced to one line each
# run (their names depend on the libc build).
out=$("$USTAP" -e 'global n probe process(@1).function("cmp_long") { n = n + 1; if (n == 1) print_ubacktrace() }' \
	-c "$TARGETS/dwtypes" "$TARGETS/dwtypes" 2>/dev/null) || { echo "$out"; exit 1; }
echo "$out" | sed -E "s|$TARGETS/||; s|^ 0x[0-9a-f]+ : | 0xADDR : |; s|^ 0xADDR : [^ ]+ \[/[^]]*/libc\.so\.6\]$| (libc)|" | uniq

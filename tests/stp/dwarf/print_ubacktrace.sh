#!/usr/bin/env bash
# print_ubacktrace() in stap's layout (" 0xADDR : sym+0xOFF/0xSIZE [module]") from a callback
# that libc's qsort makes, at -O0, then in a .return probe (stap's "Returning from:" and
# "Returning to  :" lines): addresses masked, libc's frames reduced to one line each run
# (their names depend on the libc build). Last, through a frame a .return probe hijacked.
mask() {
	sed -E "s|$TARGETS/||; s|^(Returning [a-z ]+: )? 0x[0-9a-f]+ : |\1 0xADDR : |; s|^ 0xADDR : [^ ]+ \[/[^]]*/libc\.so\.6\]$| (libc)|" | uniq
}
out=$("$USTAP" -e 'global n probe process(@1).function("cmp_long") { n = n + 1; if (n == 1) print_ubacktrace() }' \
	-c "$TARGETS/dwtypes" "$TARGETS/dwtypes" 2>/dev/null) || { echo "$out"; exit 1; }
echo "$out" | mask
out=$("$USTAP" -e 'global n probe process(@1).function("leaf").return { n = n + 1; if (n == 1) print_ubacktrace() }' \
	-c "$TARGETS/dwtypes" "$TARGETS/dwtypes" 2>/dev/null) || { echo "$out"; exit 1; }
echo "$out" | mask
# through a frame whose return address a .return probe has hijacked (stap's uretprobe fixup)
out=$("$USTAP" -e 'global n probe process(@1).function("helper").return { } probe process(@1).function("leaf") { n = n + 1; if (n == 1) print_ubacktrace() }' \
	-w -c "$TARGETS/dwtypes" "$TARGETS/dwtypes" 2>/dev/null) || { echo "$out"; exit 1; }
echo "$out" | mask

# -p2 prints stap's "/* pc=SECTION+OFFSET */" note on process probes: .dynamic for PIE and shared
# objects (offset = the static address), .absolute for ET_EXEC (offset from the first PT_LOAD).
# Expected values come from nm; where Debian's stap is installed, the whole -p2 text must match it.
. "$SRCDIR/tests/lib.bash"
addr() { nm "$1" | awk -v f="$2" '$3 == f { print $1 }'; }
pie=$TARGETS/bp_loop-O2 nopie=$TARGETS/bp_nopie-O2
a=$(addr "$pie" add) b=$(addr "$nopie" add)
[ -n "$a" ] && [ -n "$b" ] || fail "nm found no add"
"$USTAP" -p2 -e "probe process(\"$pie\").function(\"add\") { print(1) }" > "$TMPDIR/pie" || fail "ustap -p2 pie"
"$USTAP" -p2 -e "probe process(\"$nopie\").function(\"add\") { print(1) }" > "$TMPDIR/nopie" || fail "ustap -p2 nopie"
grep -q "/\* pc=.dynamic+0x$(printf %x 0x$a) \*/" "$TMPDIR/pie" || fail "pie: $(cat "$TMPDIR/pie")"
grep -q "/\* pc=.absolute+0x$(printf %x $((0x$b - 0x400000))) \*/" "$TMPDIR/nopie" || fail "nopie: $(cat "$TMPDIR/nopie")"
"$USTAP" -p2 -e "probe process(\"$pie\").statement(0x$a) { print(1) }" | grep -q "pc=.dynamic+0x$(printf %x 0x$a) " ||
	fail "statement(0x$a) has no pc note"
if [ -x /usr/bin/stap ] && stap -p2 -e "probe process(\"$pie\").function(\"add\") { print(1) }" > "$TMPDIR/s" 2>/dev/null; then
	diff "$TMPDIR/s" "$TMPDIR/pie" >&2 || fail "differs from stap -p2"
fi
echo ok

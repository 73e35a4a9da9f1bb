# The seeds' -l/-L commands, compared with real stap's -l/-L on the same files (pass 2 works
# here): seed 004's dp_netdev_input* on an ovs-like binary, seed 002's -L on a relative
# "a.out" (seed 001's test.c), seed 000's -l/-L of malloc in libc (Debian's path, not /lib64).
. "$SRCDIR/tests/lib.bash"
[ -x /usr/bin/stap ] || { echo "no stap: skipped" >&2; exit 0; }
same() {   # same OPT PATTERN: ustap and stap print the same lines
	"$USTAP" "$1" "$2" > "$TMPDIR/u" 2> "$TMPDIR/u.err" || fail "ustap $1 '$2': exit $?: $(cat "$TMPDIR/u.err")"
	stap "$1" "$2" > "$TMPDIR/s" 2> /dev/null || fail "stap $1 '$2' failed"
	[ -s "$TMPDIR/s" ] || fail "stap $1 '$2' listed nothing"
	diff "$TMPDIR/s" "$TMPDIR/u" >&2 || fail "ustap $1 '$2' differs from stap"
}
same -l 'process("'"$TARGETS"'/seed_ovs").function("dp_netdev_input*")'
[ "$(wc -l < "$TMPDIR/u")" = 2 ] || fail "dp_netdev_input and dp_netdev_input__: $(cat "$TMPDIR/u")"
cp "$TARGETS/seed_hello" "$TMPDIR/a.out"
cd "$TMPDIR" || exit 1
same -L 'process("a.out").function("*")'
grep -q '^process("'"$TMPDIR"'/a.out").function("main@' "$TMPDIR/u" || fail "no main: $(cat "$TMPDIR/u")"
libc=/lib/x86_64-linux-gnu/libc.so.6
same -L 'process("'$libc'").function("malloc")'
same -l 'process("'$libc'").function("malloc")'

# switch_file(): with -o FILE the output continues in FILE.1, FILE.2 (stap's naming); without
# -o it does nothing; it is never elided as side-effect free
. $SRCDIR/tests/lib.bash
s='probe begin { println("a"); switch_file(); println("b"); switch_file(); println("c"); exit() }'
$USTAP -o $TMPDIR/sw.out -e "$s" 2> $TMPDIR/err || fail "exit $?"
[ "$(cat $TMPDIR/sw.out)" = a ] || fail "FILE: $(cat $TMPDIR/sw.out)"
[ "$(cat $TMPDIR/sw.out.1)" = b ] || fail "FILE.1: $(cat $TMPDIR/sw.out.1)"
[ "$(cat $TMPDIR/sw.out.2)" = c ] || fail "FILE.2: $(cat $TMPDIR/sw.out.2)"
[ ! -s $TMPDIR/err ] || fail "stderr: $(cat $TMPDIR/err)"
[ "$($USTAP -e "$s" 2>&1)" = "$(printf 'a\nb\nc')" ] || fail "stdout: $($USTAP -e "$s" 2>&1)"
exit 0

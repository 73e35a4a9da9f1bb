# output into a pipe whose reader left (ustap ... | head -2): the run ends cleanly, exit 0
. $SRCDIR/tests/lib.bash
out=$( { $USTAP -e 'probe timer.ms(10) { println("x") } probe end { println("end") }'; echo "rc=$?" >&2; } 2>$TMPDIR/err | head -2)
[ "$out" = "$(printf 'x\nx')" ] || fail "output: $out"
grep -q '^rc=0$' $TMPDIR/err || fail "stderr: $(cat $TMPDIR/err)"

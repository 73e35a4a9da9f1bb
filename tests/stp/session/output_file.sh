# -o FILE: the script's output goes to FILE, nothing to stdout; strftime formats expand
. $SRCDIR/tests/lib.bash
$USTAP -o $TMPDIR/out -e 'probe begin { println("to the file"); exit() }' > $TMPDIR/stdout || fail "exit $?"
[ ! -s $TMPDIR/stdout ] || fail "stdout: $(cat $TMPDIR/stdout)"
[ "$(cat $TMPDIR/out)" = "to the file" ] || fail "file: $(cat $TMPDIR/out)"
$USTAP -o "$TMPDIR/out-%Y" -e 'probe begin { println("dated"); exit() }' || fail "exit $?"
[ "$(cat $TMPDIR/out-$(date +%Y))" = "dated" ] || fail "strftime name: $(ls $TMPDIR)"
$USTAP -o /nonexistent/dir/out -e 'probe begin { exit() }' 2> $TMPDIR/err && fail "bad -o succeeded"
grep -q "nonexistent/dir/out" $TMPDIR/err || fail "stderr: $(cat $TMPDIR/err)"

# -x PID: target() is PID; the process is left running when ustap ends
. $SRCDIR/tests/lib.bash
sleep 30 &
pid=$!
$USTAP -x $pid -T 0.3 -e 'probe begin { printf("%d\n", target()) } probe end { println("end") }' \
	> $TMPDIR/out 2> $TMPDIR/err || { kill $pid; fail "exit $?: $(cat $TMPDIR/err)"; }
kill -0 $pid || fail "the -x process died"
kill $pid
[ "$(cat $TMPDIR/out)" = "$(printf '%s\nend' $pid)" ] || fail "output: $(cat $TMPDIR/out)"

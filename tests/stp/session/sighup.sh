# SIGHUP: the end probes run once, the exit code is 0 (stap's behaviour)
. $SRCDIR/tests/lib.bash
$USTAP -e 'probe begin { println("start") } probe timer.s(100) { println("tick") }
            probe end { println("end") }' > $TMPDIR/out 2> $TMPDIR/err &
pid=$!
wait_for $TMPDIR/out start
kill -HUP $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "exit code $rc: $(cat $TMPDIR/err)"
[ "$(cat $TMPDIR/out)" = "$(printf 'start\nend')" ] || fail "output: $(cat $TMPDIR/out)"
[ ! -s $TMPDIR/err ] || fail "stderr: $(cat $TMPDIR/err)"

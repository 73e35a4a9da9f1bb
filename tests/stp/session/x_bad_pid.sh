# -x with a pid that does not exist: an error, exit 1, no probe runs
. $SRCDIR/tests/lib.bash
sh -c 'exit 0' &
pid=$!
wait $pid
$USTAP -x $pid -e 'probe begin { println("ran") }' > $TMPDIR/out 2> $TMPDIR/err && fail "succeeded"
[ ! -s $TMPDIR/out ] || fail "stdout: $(cat $TMPDIR/out)"
[ "$(cat $TMPDIR/err)" = "ERROR: Invalid target process ID $pid: No such process" ] || fail "stderr: $(cat $TMPDIR/err)"

# -T ends the run before the -c command: ustap does not leave it running
. $SRCDIR/tests/lib.bash
$USTAP -T 0.5 -c 'sleep 30' -e 'probe begin { printf("%d\n", target()) } probe end { println("end") }' \
	> $TMPDIR/out || fail "exit $?"
pid=$(head -1 $TMPDIR/out)
[ "$(tail -1 $TMPDIR/out)" = end ] || fail "output: $(cat $TMPDIR/out)"
sleep 0.3
state=$(ps -o stat= -p "$pid")
case $state in ""|Z*) ;; *) kill "$pid"; fail "the -c command $pid still runs ($state)" ;; esac

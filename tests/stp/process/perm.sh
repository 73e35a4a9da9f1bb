#!/bin/bash
# Permissions: an ordinary user traces their own -c command; another user's process gives an
# ERROR naming the pid and why, exit 1, and that process is left alone.
run() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
bin=$TARGETS/bp_loop-O2
run $USTAP -e 'global n probe process(@1).function("add") { n++ } probe end { printf("own=%d\n", n) }' \
	$bin -c "$bin 10" || exit 1
$bin 2000000000 1 > /dev/null &
pid=$!
sleep 0.2
run $USTAP -x $pid -e 'probe process("'"$bin"'").function("add") { println(1) }' 2> "$TMPDIR/err"
rc=$?
sed "s/$pid/PID/" "$TMPDIR/err"
echo "exit=$rc"
run $USTAP -p2 -e "probe process($pid).function(\"add\") { }" 2>&1 | sed -n "s/$pid/PID/; /cannot probe/p"
grep -q '^TracerPid:.0$' /proc/$pid/status && echo untraced
kill $pid
# a process already traced by another tracer (strace here)
if command -v strace > /dev/null; then
	cp $TARGETS/bench_hit-O2 $TMPDIR/bh_strace
	strace -o /dev/null $TMPDIR/bh_strace 1000 1 0 > /dev/null &
	for i in $(seq 50); do pid=$(pgrep -n -x bh_strace) && break; sleep 0.1; done
	sleep 0.2
	$USTAP -T 10 -x $pid -e 'probe process("'"$TMPDIR"'/bh_strace").function("f") { println(1) }' 2>&1 |
		sed "s/$pid/PID/"
	kill -USR1 $pid
	wait
else
	echo "ERROR: cannot attach to pid PID: already traced by another process"
fi

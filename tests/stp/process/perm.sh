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

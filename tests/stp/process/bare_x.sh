#!/bin/bash
# A bare process.function(...) with -x PID is process(PID).function(...) (stap rewrites the
# probe point so): the running target's f() is probed, pp() names the pid.
bin=$TARGETS/bench_hit
$bin 100000000 1 0 > "$TMPDIR/t.out" &
pid=$!
sleep 0.3
out=$($USTAP -x $pid -e 'global n
probe process.function("f") {
	if (++n == 3) {
		println(substr(pp(), 0, strlen(sprintf("process(%d).function(\"f@", target()))) ==
		        sprintf("process(%d).function(\"f@", target()))
		exit()
	}
}' 2>&1)
rc=$?
kill -USR1 $pid
wait $pid
[ $rc = 0 ] || { echo "ustap exit $rc: $out"; exit 1; }
echo "$out"

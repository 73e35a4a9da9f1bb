#!/bin/bash
# Detaching while .return frames are live (each worker thread sits in worker() for its whole
# run, f() is entered and left around the exit): the hijacked return addresses go back, in
# memory or, on aarch64, in x30 or wherever the prologue saved it, and the target runs on to
# its normal end (on SIGUSR1) with its own result.
bin=$TARGETS/bench_hit
$bin 1000 2 0 > "$TMPDIR/t.out" &
pid=$!
sleep 0.3
$USTAP -x $pid -e 'global n, r
probe process(@1).function("worker").return { r++ }
probe process(@1).function("f").return { if (++n == 300) exit() }' $bin > "$TMPDIR/u.out" 2>&1
rc=$?
[ $rc = 0 ] || { echo "ustap exit $rc: $(cat "$TMPDIR/u.out")"; exit 1; }
grep -q '^TracerPid:.0$' /proc/$pid/status || { echo "still traced"; exit 1; }
kill -USR1 $pid
wait $pid || { echo "target exit $?: $(cat "$TMPDIR/t.out")"; exit 1; }
grep -q '^ran$' "$TMPDIR/t.out" || { echo "target output: $(cat "$TMPDIR/t.out")"; exit 1; }
echo "detached with live .return frames, target ran on"

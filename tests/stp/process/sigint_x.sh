#!/bin/bash
# Ctrl-C (SIGINT to ustap) in the middle of a busy -x run on a 4-thread target: ustap runs its
# end probe and exits 0; the target, detached, finishes with its own result unchanged.
bin=$TARGETS/bp_loop-O2
$bin 100000000 4 > "$TMPDIR/target.out" &
pid=$!
sleep 0.05
$USTAP -x $pid -e 'global n
probe process("'"$bin"'").function("add") { n++ }
probe end { printf("traced=%d\n", n > 1000) }' > "$TMPDIR/ustap.out" 2> "$TMPDIR/ustap.err" &
u=$!
sleep 1.5
kill -INT $u
wait $u; urc=$?
wait $pid; trc=$?
cat "$TMPDIR/ustap.out" "$TMPDIR/target.out"
[ $urc -eq 0 ] || { echo "ustap exit $urc: $(cat "$TMPDIR/ustap.err")"; exit 1; }
[ $trc -eq 0 ] || { echo "target exit $trc"; exit 1; }
exit 0

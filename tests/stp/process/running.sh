#!/bin/bash
# process("PATH") without -c/-x reaches an already running process (4 busy threads); exit()
# after 1000 hits stops exactly there, and the detached target finishes unharmed (no stray
# SIGTRAP from a breakpoint hit racing the detach). Three rounds.
bin=$TMPDIR/bh_running
cp "$TARGETS/bench_hit-O2" "$bin"   # a private copy: other tests run the shared one
for round in 1 2 3; do
	$bin 1000 4 1500 > "$TMPDIR/t.out" &
	pid=$!
	sleep 0.2
	$USTAP -e 'global n
probe process(@1).function("f") { if (++n == 1000) exit() }
probe end { printf("n=%d\n", n) }' $bin || exit 1
	wait $pid
	rc=$?
	[ $rc -eq 0 ] && grep -q '^ran$' "$TMPDIR/t.out" || { echo "target exit $rc"; exit 1; }
done

#!/bin/bash
# Without -c/-x, process("PATH") also reaches processes started later, outside any traced
# tree (found by ustap's periodic look at /proc): two runs started after ustap, both probed.
bin=$TMPDIR/bh_rescan
cp "$TARGETS/bench_hit-O2" "$bin"   # a private copy: no other process runs this file
( sleep 0.5; "$bin" 1000 1 1000 > /dev/null; "$bin" 1000 1 1000 > /dev/null ) &
$USTAP -T 20 -e 'global n, p, np, ends
probe process(@1).function("f") { n++; if (!(pid() in p)) { p[pid()] = 1; np++ } }
probe process(@1).end { if (++ends == 2) exit() }
probe end { printf("pids=%d ends=%d hits>0=%d\n", np, ends, n > 0) }' "$bin"
wait

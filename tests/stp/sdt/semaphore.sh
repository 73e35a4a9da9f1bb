#!/bin/bash
# Semaphores: a running sdt_marks (30 rounds, 100 ms apart) takes its guarded path only while
# ustap -x holds the marker's semaphore up; ustap exits after 3 guarded hits and counts it
# back down, so the target's last line shows 3 guarded rounds and a semaphore of 0 again.
out=$TMPDIR/sdt_sem.out
"$TARGETS/sdt_marks-O2" 30 100 > "$out" &
pid=$!
sleep 0.5          # some rounds pass untraced: the guarded path stays off
$USTAP -x $pid -e 'global n, sem
probe process(@1).mark("guarded") { sem = $arg2; if (++n == 3) exit() }
probe end { printf("hits=%d semaphore=%d\n", n, sem) }' "$TARGETS/sdt_marks-O2" 2>&1
wait $pid
cat "$out"

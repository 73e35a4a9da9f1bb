#!/bin/bash
# Semaphores across fork: ustap -x holds the guarded marker's semaphore in sdt_marks, which
# forks in round 5 (of 30, 100 ms apart); the child's memory holds the count too and it is
# probed as well. ustap exits after the child's 3rd guarded hit and counts the semaphore down
# in both processes: each reports its guarded path taken and its semaphore at 0 again.
out=$TMPDIR/sdt_sem_fork.out
"$TARGETS/sdt_marks-O2" 30 100 5 > "$out" &
pid=$!
sleep 0.2
$USTAP -x $pid -e 'global c
probe process(@1).mark("guarded") { if (pid() != target() && ++c == 3) exit() }
probe end { printf("child hits=%d\n", c) }' "$TARGETS/sdt_marks-O2" 2>&1
wait $pid
cat "$out"

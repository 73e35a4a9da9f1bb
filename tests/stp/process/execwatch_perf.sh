#!/bin/bash
# The second way to reach processes started after ustap (no -c/-x), where fanotify is not
# allowed: the sched_process_exec tracepoint, or where tracefs is closed a dummy perf event's
# exec COMM records, wake ustap after each exec, and it seizes the process then (forced here
# with USTAP_EXECWATCH=perf / comm; the /proc rescan is off in this mode, so each count below
# comes from the exec event). The process already runs by then: main may be missed, add()
# called after 300 ms is counted exactly.
. "$SRCDIR/tests/lib.bash"
bin=$TMPDIR/ew_perf
cp "$TARGETS/ew_exec" "$bin"
for mode in perf:sched_process_exec comm:"exec COMM records"; do
	rm -f "$TMPDIR/u.out" "$TMPDIR/u.err"   # the last round's "armed" is no sign of this one
	USTAP_EXECWATCH=${mode%%:*} "$USTAP" -vv -T 40 -e 'global adds, ends
probe begin { printf("armed\n") }
probe process(@1).function("add") { adds[pid()]++ }
probe process(@1).end { if (++ends == 3) exit() }
probe end { foreach (p in adds) printf("add=%d\n", adds[p]); printf("processes=%d\n", ends) }' \
		"$bin" > "$TMPDIR/u.out" 2> "$TMPDIR/u.err" &
	u=$!
	wait_for "$TMPDIR/u.out" "armed"   # the begin probes run once every probe is armed
	grep -q "^new processes of probed executables: ${mode#*:}" "$TMPDIR/u.err" ||
		fail "not ${mode#*:}: $(grep -i 'new processes\|WARNING' "$TMPDIR/u.err")"
	for i in 1 2 3; do
		out=$("$bin" sleep 300 5 2>&1); rc=$?
		[ "$out" = "sum=15" ] || fail "the program's output changed: $out (exit $rc); ustap: $(grep -v "^Pass" "$TMPDIR/u.err")"
	done
	wait $u || fail "ustap exit $?: $(grep -v '^Pass' "$TMPDIR/u.err")"
	echo "${mode#*:}:"
	cat "$TMPDIR/u.out"
done

#!/bin/bash
# ustap itself crashing leaves its targets as if never traced: its crash handler puts back the
# code bytes and the hijacked return addresses, moves threads out of breakpoints, XOL slots and
# the trampoline, and detaches before dying. Three ways: USTAP_TEST_CRASH=N (a real fault inside
# ustap at its Nth hit, with .return frames live under -c), a SIGSEGV sent to a -x session, and
# USTAP_TEST_CRASH=inject (a fault while a system call is injected at the entry point: the
# code there and the thread's registers come back).
# Each target then runs to a normal exit (on SIGUSR1) with its code bytes as in the file.
bin=$TARGETS/bench_hit
off=$(nm "$bin" | awk '$3 == "f" { print $1 }')
text() {   # 16 bytes at f in process $1, hex
	local base
	base=$(grep -m1 -F "$(readlink -f "$bin")" /proc/$1/maps | cut -d- -f1)   # XOL pages may come first
	dd if=/proc/$1/mem bs=16 count=1 iflag=skip_bytes skip=$((0x$base + 0x$off)) 2>/dev/null | od -An -tx1
}
entry() {  # 8 bytes at the entry point in process $1, hex
	local base
	base=$(grep -m1 -F "$(readlink -f "$bin")" /proc/$1/maps | cut -d- -f1)
	dd if=/proc/$1/mem bs=8 count=1 iflag=skip_bytes skip=$((0x$base + $(readelf -h "$bin" | awk '/Entry point/ { print $4 }'))) 2>/dev/null | od -An -tx1
}
file_text=$(dd if="$bin" bs=16 count=1 iflag=skip_bytes skip=$((0x$off)) 2>/dev/null | od -An -tx1)
s='global n probe process(@1).function("f") { n++ }
probe process(@1).function("worker").return, process(@1).function("f").return { n++ }'
check() {   # MODE PID USTAP_RC
	grep -q '^TracerPid:.0$' /proc/$2/status || { echo "$1: still traced"; exit 1; }
	[ "$(text $2)" = "$file_text" ] || { echo "$1: text $(text $2), file $file_text"; exit 1; }
	grep -q "restoring the traced processes" "$TMPDIR/u.err" || { echo "$1: $(cat "$TMPDIR/u.err")"; exit 1; }
	# ustap died of the signal (under SAN=1 ASan's report ends it with exit 1)
	[ "$3" = 139 ] || grep -q "AddressSanitizer: SEGV" "$TMPDIR/u.err" || { echo "$1: ustap exit $3"; exit 1; }
	echo "$1: ustap died, target untouched"
}

pid= u=
trap 'kill -KILL $u 2>/dev/null; kill -USR1 $pid 2>/dev/null' EXIT   # nothing left behind on a failure
# -c: the workers' frames are hijacked (worker.return) when ustap faults at its 3000th hit
USTAP_TEST_CRASH=3000 timeout -s INT 20 $USTAP -e "$s" $bin \
	-c "sh -c 'echo \$\$ > $TMPDIR/pid; exec $bin 1000 2 0'" > "$TMPDIR/c.out" 2> "$TMPDIR/u.err"
rc=$?
pid=$(cat "$TMPDIR/pid")
check USTAP_TEST_CRASH $pid $rc
kill -USR1 $pid
for i in $(seq 100); do grep -q '^ran$' "$TMPDIR/c.out" && break; sleep 0.05; done
grep -q '^ran$' "$TMPDIR/c.out" || { echo "target did not finish: $(cat "$TMPDIR/c.out")"; exit 1; }

# -x: SIGSEGV from outside while two threads hit f and f.return
$bin 1000 2 0 > "$TMPDIR/t.out" &
pid=$!
sleep 0.2
$USTAP -x $pid -e "$s" $bin > /dev/null 2> "$TMPDIR/u.err" &
u=$!
for i in $(seq 100); do grep -q '^TracerPid:.0$' /proc/$pid/status || break; sleep 0.05; done
sleep 0.5
kill -SEGV $u
wait $u
check SIGSEGV $pid $?
kill -USR1 $pid
wait $pid || { echo "target exit $?"; exit 1; }
grep -q '^ran$' "$TMPDIR/t.out" || { echo "target output: $(cat "$TMPDIR/t.out")"; exit 1; }

# -x: a fault in the middle of the first system call injection (mapping the XOL page)
$bin 1000 2 0 > "$TMPDIR/t.out" &
pid=$!
sleep 0.2
before=$(entry $pid)
USTAP_TEST_CRASH=inject $USTAP -x $pid -e "$s" $bin > /dev/null 2> "$TMPDIR/u.err"
check inject $pid $?
[ "$(entry $pid)" = "$before" ] || { echo "entry point $before -> $(entry $pid)"; exit 1; }
kill -USR1 $pid
wait $pid || { echo "target exit $?"; exit 1; }
grep -q '^ran$' "$TMPDIR/t.out" || { echo "target output: $(cat "$TMPDIR/t.out")"; exit 1; }

#!/bin/bash
# Every way a -x session can end (SIGTERM, SIGHUP, exit(), error(), -T timeout; exit() while
# stopping at syscalls too) leaves the target as if never traced: no tracer, its code bytes
# as before, no XOL page left mapped (ustap maps anonymous r-x pages), and it runs on to a
# normal exit (on SIGUSR1).
bin=$TARGETS/bench_hit-O2
off=$(nm "$bin" | awk '$3 == "f" { print $1 }')
text() {   # 16 bytes at f in process $1, hex
	local base
	base=$(grep -m1 -F "$(readlink -f "$bin")" /proc/$1/maps | cut -d- -f1)   # XOL pages may come first
	dd if=/proc/$1/mem bs=16 count=1 iflag=skip_bytes skip=$((0x$base + 0x$off)) 2>/dev/null | od -An -tx1
}
xol() { grep -c ' r-xp 00000000 00:00 0 *$' /proc/$1/maps; }
script='global n probe process(@1).function("f") { n++; if (n == 500) { MODE } }'
for mode in SIGTERM SIGHUP 'exit()' 'error("boom")' timeout syscalls; do
	$bin 1000 2 0 > "$TMPDIR/t.out" &
	pid=$!
	sleep 0.2
	before=$(text $pid) nx=$(xol $pid)
	case $mode in
	SIG*|timeout) s=${script/MODE/} ;;
	syscalls) s='global n probe process.syscall { n++ } probe process(@1).function("f") { if (++n > 500) exit() }' ;;
	*) s=${script/MODE/$mode} ;;
	esac
	opts=""
	[ "$mode" = timeout ] && opts="-T 1"
	$USTAP $opts -x $pid -e "$s" $bin > /dev/null 2> "$TMPDIR/err" &
	u=$!
	case $mode in SIG*)
		for i in $(seq 100); do grep -q '^TracerPid:.0$' /proc/$pid/status || break; sleep 0.05; done
		sleep 0.5
		kill -${mode#SIG} $u ;;
	esac
	wait $u
	rc=$?
	after=$(text $pid)
	grep -q '^TracerPid:.0$' /proc/$pid/status || { echo "$mode: still traced"; exit 1; }
	[ "$before" = "$after" ] || { echo "$mode: text $before -> $after"; exit 1; }
	[ "$(xol $pid)" = "$nx" ] || { echo "$mode: XOL page left"; exit 1; }
	kill -USR1 $pid
	wait $pid || { echo "$mode: target exit $?"; exit 1; }
	grep -q '^ran$' "$TMPDIR/t.out" || { echo "$mode: target output"; exit 1; }
	echo "$mode: ustap exit $rc, target untouched"
done

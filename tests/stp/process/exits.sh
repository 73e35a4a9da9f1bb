#!/bin/bash
# Every way a -x session can end (SIGTERM, SIGHUP, exit(), error(), -T timeout) leaves the
# target as if never traced: no tracer, its code bytes as before, no XOL page left mapped
# (ustap maps anonymous r-x pages), and it runs on to a normal exit.
bin=$TARGETS/bench_hit-O2
off=$(nm "$bin" | awk '$3 == "f" { print $1 }')
text() {   # 16 bytes at f in process $1, hex
	python3 - "$1" "$off" <<'PY'
import sys
pid, off = sys.argv[1], int(sys.argv[2], 16)
exe = open(f"/proc/{pid}/maps").readline().split()[0].split("-")[0]
with open(f"/proc/{pid}/mem", "rb") as m:
    m.seek(int(exe, 16) + off)
    print(m.read(16).hex())
PY
}
xol() { grep -c ' r-xp 00000000 00:00 0 *$' /proc/$1/maps; }
script='global n probe process(@1).function("f") { n++; if (n == 500) { MODE } }'
for mode in SIGTERM SIGHUP 'exit()' 'error("boom")' timeout; do
	$bin 1000 2 4000 > "$TMPDIR/t.out" &
	pid=$!
	sleep 0.2
	before=$(text $pid) nx=$(xol $pid)
	case $mode in
	SIG*|timeout) s=${script/MODE/} ;;
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
	kill -0 $pid || { echo "$mode: target ended early"; exit 1; }
	wait $pid || { echo "$mode: target exit $?"; exit 1; }
	grep -q '^ran$' "$TMPDIR/t.out" || { echo "$mode: target output"; exit 1; }
	echo "$mode: ustap exit $rc, target untouched"
done

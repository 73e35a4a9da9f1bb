#!/usr/bin/env bash
# Per-event cost of a counting tracepoint probe, kernel.trace("syscalls:sys_enter_getppid")
# { n++ } in ustap (perf ring, drained in batches) against bpftrace's tracepoint probe
# (BPF run per event), on the same getppid() loop measured by the target's own clock
# (tests/targets/bench_getppid: N calls); also ustap's own CPU time per event.
#   BUILD (default build) holds ustap and the targets; USTAP may point elsewhere; N (200000).
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
USTAP=${USTAP:-$BUILD/ustap}
BIN=$PWD/$BUILD/tests/targets/bench_getppid-O2
N=${N:-200000}
TMP=$(mktemp -d /tmp/ustap-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
[ -x "$USTAP" ] && [ -x "$BIN" ] || { echo "bench: build first (make BUILD=$BUILD $BIN)" >&2; exit 2; }

ns() { sed -n 's/.*ns_per_call=\([0-9.]*\).*/\1/p' | head -1; }
best() {   # the fastest of 3 runs: the least disturbed by the other VM tenants
	local b="" v
	for _ in 1 2 3; do
		v=$("$@" 2>&1 >/dev/null | ns)
		[ -n "$v" ] && { [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if $v < $b else 1)"; } && b=$v
	done
	echo "${b:-nan}"
}
per() { python3 -c "import sys; print('%.0f ns/event' % (float(sys.argv[1]) - float(sys.argv[2])))" "$1" "$2" 2>/dev/null || echo n/a; }

SCRIPT='global n probe kernel.trace("syscalls:sys_enter_getppid") { if (pid() == target()) n++ } probe end { printf("counted %d\n", n) }'
base=$(best "$BIN" "$N")
u=$(best "$USTAP" -e "$SCRIPT" -c "$BIN $N")
echo "per-event cost, $N getppid() calls with a counting probe on sys_enter_getppid (target's clock)"
echo "  no probe   ${base} ns/call"
echo "  ustap      ${u} ns/call   -> $(per "$u" "$base")"
counted=$("$USTAP" -e "$SCRIPT" -c "$BIN $N" 2>/dev/null)
/usr/bin/time -f "%U %S" -o "$TMP/t" "$USTAP" -e "$SCRIPT" -c "$BIN $N" > /dev/null 2>&1
cpu=$(python3 -c "import sys; u, s = open(sys.argv[1]).read().split()[-2:]; print('%.0f' % ((float(u) + float(s)) * 1e9 / int(sys.argv[2])))" "$TMP/t" "$N" 2>/dev/null)
echo "  ustap $counted; its own CPU time (parse + run + drain, all in): ${cpu:-n/a} ns/event"
if command -v bpftrace >/dev/null; then
	gcc -shared -fPIC -O2 -o "$TMP/memlock_shim.so" bench/memlock_shim.c -ldl
	b=$(best env LD_PRELOAD="$TMP/memlock_shim.so" bpftrace -e 'tracepoint:syscalls:sys_enter_getppid { @n = count(); }' -c "$BIN $N")
	echo "  bpftrace   ${b} ns/call   -> $(per "$b" "$base")"
	python3 -c "print('  ratio ustap/bpftrace (target side) = %.2f   (goal: <= 1)' % ((float('$u') - float('$base')) / (float('$b') - float('$base'))))" 2>/dev/null ||
		echo "  ratio: n/a"
else
	echo "  bpftrace not installed: no ratio"
fi

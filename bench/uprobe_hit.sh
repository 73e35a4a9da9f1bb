#!/usr/bin/env bash
# Per-hit cost of a user-space function-entry probe doing { n++ }, measured by the target
# itself (tests/targets/bench_hit: 100,000 calls), ustap's ptrace engine against bpftrace's
# kernel uprobe in the same run; then ustap's hits/s with 8 threads.
#   BUILD (default build) holds ustap and the targets; USTAP may point elsewhere.
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
USTAP=${USTAP:-$BUILD/ustap}
BIN=$PWD/$BUILD/tests/targets/bench_hit-O2
N=${N:-100000}
TMP=$(mktemp -d /tmp/ustap-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
[ -x "$USTAP" ] && [ -x "$BIN" ] || { echo "bench: build first (make BUILD=$BUILD $BIN)" >&2; exit 2; }

ns() { sed -n 's/.*ns_per_call=\([0-9.]*\).*/\1/p'; }
best() {   # the fastest of 3 runs: the least disturbed by the other VM tenants
	local b=""
	for _ in 1 2 3; do
		v=$("$@" 2>/dev/null | ns | head -1)
		[ -n "$v" ] && { [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if $v < $b else 1)"; } && b=$v
	done
	echo "${b:-nan}"
}

base=$(best "$BIN" "$N")
u=$(best "$USTAP" -e 'global n probe process("'"$BIN"'").function("f") { n++ }' -c "$BIN $N")
echo "per-hit cost, $N calls of f() with { n++ } at its entry (target's own clock)"
echo "  no probe   ${base} ns/call"
echo "  ustap      ${u} ns/call   -> $(python3 -c "print('%.2f us/hit' % (($u - $base) / 1000))")"
b=nan
if command -v bpftrace >/dev/null; then
	gcc -shared -fPIC -O2 -o "$TMP/memlock_shim.so" bench/memlock_shim.c -ldl
	b=$(best env LD_PRELOAD="$TMP/memlock_shim.so" bpftrace -e "uprobe:$BIN:f { @n = count(); }" -c "$BIN $N")
	echo "  bpftrace   ${b} ns/call   -> $(python3 -c "print('%.2f us/hit' % (($b - $base) / 1000))" 2>/dev/null)"
	python3 -c "print('  ratio ustap/bpftrace = %.2f   (goal: <= 7)' % (($u - $base) / ($b - $base)))" 2>/dev/null ||
		echo "  ratio: n/a"
else
	echo "  bpftrace not installed: no ratio"
fi
echo "8 threads x 20,000 calls under ustap { n++ }"
"$USTAP" -e 'global n probe process("'"$BIN"'").function("f") { n++ } probe end { printf("  hits counted %d\n", n) }' \
	-c "$BIN 20000 8" | sed 's/.*calls_per_sec=\([0-9]*\)/  \1 hits\/s (target clock)/'

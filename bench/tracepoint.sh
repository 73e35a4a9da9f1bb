#!/usr/bin/env bash
# Per-event cost of a counting tracepoint probe on the same getppid() loop, ustap against
# bpftrace (BPF run per event), in one run with the variants interleaved (ROUNDS rounds, the
# median of each): the target (tests/targets/bench_getppid: N calls) reports its loop's wall
# time and its own CPU time per call; the CPU time leaves out waiting for a CPU, the steadier
# figure on a shared VM. Cost per event = figure with the probe - figure without.
#   ustap      kernel.trace("syscalls:sys_enter_getppid") { n++ }      (counted, not sampled)
#   ustap/pid  ... { if (pid() == target()) n++ }                       (sampled: needs the pid)
#   bpftrace   tracepoint:syscalls:sys_enter_getppid { @n = count(); }
#   BUILD (default build) holds ustap and the targets; USTAP may point elsewhere; N (200000),
#   ROUNDS (5).
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
USTAP=${USTAP:-$BUILD/ustap}
BIN=$PWD/$BUILD/tests/targets/bench_getppid-O2
N=${N:-200000}
ROUNDS=${ROUNDS:-5}
TMP=$(mktemp -d /tmp/ustap-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
[ -x "$USTAP" ] && [ -x "$BIN" ] || { echo "bench: build first (make BUILD=$BUILD $BIN)" >&2; exit 2; }

COUNT='global n probe kernel.trace("syscalls:sys_enter_getppid") { n++ } probe end { printf("counted %d\n", n) }'
PID='global n probe kernel.trace("syscalls:sys_enter_getppid") { if (pid() == target()) n++ } probe end { printf("counted %d\n", n) }'
BPF='tracepoint:syscalls:sys_enter_getppid { @n = count(); }'
have_bpf=
if command -v bpftrace >/dev/null; then
	# Debian's bpftrace gives up when it cannot raise RLIMIT_MEMLOCK (refused here)
	gcc -shared -fPIC -O2 -o "$TMP/memlock_shim.so" bench/memlock_shim.c -ldl && have_bpf=1
fi

# run NAME CMD...: one run; appends "wall cpu total_cpu" (ns per call; total: everything the
# command and its children used, from /usr/bin/time) to $TMP/NAME
run() {
	local name=$1
	shift
	/usr/bin/time -f "%U %S" -o "$TMP/time" "$@" > "$TMP/out" 2> "$TMP/err"
	local w c t
	w=$(sed -n 's/.* ns_per_call=\([0-9.]*\).*/\1/p' "$TMP/err" | head -1)
	c=$(sed -n 's/.*cpu_ns_per_call=\([0-9.]*\).*/\1/p' "$TMP/err" | head -1)
	t=$(python3 -c "import sys; u, s = open(sys.argv[1]).read().split()[-2:]; print((float(u) + float(s)) * 1e9 / int(sys.argv[2]))" "$TMP/time" "$N" 2>/dev/null)
	[ -n "$w" ] && [ -n "$c" ] && echo "$w $c ${t:-0}" >> "$TMP/$name"
	# every task's getppid() counts for { n++ }: at least N; the target's alone for the other
	local got
	got=$(sed -n 's/^counted \([0-9]*\)$/\1/p' "$TMP/out")
	case $name in
	ustap) [ "${got:-0}" -ge "$N" ] || echo "  warning: ustap counted '${got}', expected >= $N" ;;
	ustap_pid) [ "${got:-0}" -eq "$N" ] || echo "  warning: ustap counted '${got}', expected $N" ;;
	esac
}

for _ in $(seq "$ROUNDS"); do
	run base "$BIN" "$N"
	run ustap "$USTAP" -e "$COUNT" -c "$BIN $N"
	run ustap_pid "$USTAP" -e "$PID" -c "$BIN $N"
	[ -n "$have_bpf" ] && run bpftrace env LD_PRELOAD="$TMP/memlock_shim.so" bpftrace -e "$BPF" -c "$BIN $N"
done

echo "per-event cost, $N getppid() calls, probe on syscalls:sys_enter_getppid, median of $ROUNDS (ns)"
python3 - "$TMP" <<'EOF'
import os, statistics, sys
d = sys.argv[1]
def load(n):
    p = os.path.join(d, n)
    if not os.path.exists(p): return None
    rows = [list(map(float, l.split())) for l in open(p) if l.strip()]
    return [statistics.median(col) for col in zip(*rows)] if rows else None
base = load('base')
res = {k: load(k) for k in ('ustap', 'ustap_pid', 'bpftrace')}
print('  %-34s %9s %9s %16s' % ('', 'wall/call', 'cpu/call', 'event cost (cpu)'))
print('  %-34s %9.1f %9.1f' % ('no probe', base[0], base[1]))
labels = {'ustap': 'ustap { n++ }  (counted)', 'ustap_pid': 'ustap { if (pid()==target()) n++ }',
          'bpftrace': 'bpftrace { @n = count(); }'}
cost = {}
for k, v in res.items():
    if not v: continue
    cost[k] = (v[0] - base[0], v[1] - base[1])
    print('  %-34s %9.1f %9.1f %16.1f' % (labels[k], v[0], v[1], cost[k][1]))
if 'bpftrace' in cost and cost['bpftrace'][1] > 0:
    b = cost['bpftrace']
    for k in ('ustap', 'ustap_pid'):
        if k in cost:
            print('  ratio %-28s cpu %.2f  wall %.2f   (goal: <= 1)' % (labels[k].split('  ')[0] if k == 'ustap' else 'ustap pid()-filtered', cost[k][1] / b[1], cost[k][0] / b[0] if b[0] > 0 else float('nan')))
else:
    print('  bpftrace not installed: no ratio')
EOF

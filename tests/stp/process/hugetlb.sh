#!/bin/bash
# Text remapped onto a hugetlb memfd + mlockall (ovs-vswitchd with DPDK): probes under -c and
# under -x, exact counts, and the target's own result unchanged after the detach. Root only
# (sets /proc/sys/vm/nr_hugepages); skipped otherwise.
exec 9> /tmp/ustap-hugetlb.lock   # one user of the pool at a time (tests/unit/test_bkpt too)
flock 9
saved=$(cat /proc/sys/vm/nr_hugepages)
if [ "$(id -u)" != 0 ] || ! echo 4 > /proc/sys/vm/nr_hugepages 2>/dev/null; then
	echo "skipped: needs root for /proc/sys/vm/nr_hugepages"
	exit 0
fi
trap 'echo $saved > /proc/sys/vm/nr_hugepages' EXIT
bin=$TARGETS/bp_huge
$USTAP -e 'global n, r
probe process("'"$bin"'").function("add") { n++ }
probe process("'"$bin"'").function("add").return { r += returnval() }
probe end { printf("-c hits=%d retsum=%d\n", n, r) }' -c "$bin 1000" || exit 1
# -x: attach to the running remapped process, 200 hits, exit(); it goes on untouched
$bin-O2 0 3 > "$TMPDIR/t.out" &
pid=$!
for i in $(seq 50); do grep -q ready "$TMPDIR/t.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^r-xp.*memfd:text' /proc/$pid/maps || grep -q 'memfd:text' /proc/$pid/maps || { echo "text not remapped"; exit 1; }
$USTAP -x $pid -e 'global n
probe process("'"$bin"'-O2").function("add") { if (++n == 200) exit() }
probe end { printf("-x hits=%d\n", n) }' || exit 1
wait $pid || exit 1
read calls sum < <(sed -n 's/^calls=\([0-9]*\) sum=\([0-9]*\)$/\1 \2/p' "$TMPDIR/t.out")
[ -n "$calls" ] && [ "$sum" -eq $((calls * (calls + 1) / 2)) ] || { echo "target: $(cat "$TMPDIR/t.out")"; exit 1; }
echo "-x target consistent"
# an exhausted pool (no huge page left for the copy-on-write of the text): a clear ERROR
# naming the probe and the fix, exit 1, nothing half-installed, the target unharmed
echo 1 > /proc/sys/vm/nr_hugepages
BP_HUGE_NORESERVE=1 $bin 0 2 > "$TMPDIR/t2.out" &
pid=$!
for i in $(seq 50); do grep -q ready "$TMPDIR/t2.out" 2>/dev/null && break; sleep 0.1; done
$USTAP -x $pid -e 'probe process("'"$bin"'").function("add") { println("hit") }' 2> "$TMPDIR/err"
rc=$?
grep -q "^ERROR: probe process(\"$bin\").function(\"add@[^\"]*\"): cannot [a-z -]* at 0x[0-9a-f]* in pid $pid: Input/output error (.*/proc/sys/vm/nr_hugepages)" "$TMPDIR/err" ||
	{ echo "stderr: $(cat "$TMPDIR/err")"; exit 1; }
wait $pid || exit 1
read calls sum < <(sed -n 's/^calls=\([0-9]*\) sum=\([0-9]*\)$/\1 \2/p' "$TMPDIR/t2.out")
[ -n "$calls" ] && [ "$sum" -eq $((calls * (calls + 1) / 2)) ] || { echo "target: $(cat "$TMPDIR/t2.out")"; exit 1; }
echo "exhausted pool: exit $rc, target consistent"

# An unprivileged user: kernel probes say what they need; optional ones are skipped while
# user-space probes of the same script keep working. Runs as nobody through setpriv.
. $SRCDIR/tests/lib.bash
command -v setpriv > /dev/null || { echo "skipped: no setpriv"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "skipped: not root, cannot switch to nobody"; exit 0; }
asnobody() { (cd /tmp && setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$@"); }
t=$TARGETS/ks_syscalls
for pp in 'kernel.trace("sched_switch")' 'syscall.openat' 'timer.profile' 'perf.sw.cpu_clock' \
	'kernel.data(0x20000000).write' 'syscall_any'; do
	err=$(asnobody $USTAP -e "probe $pp { n++ } global n" 2>&1 >/dev/null) && fail "$pp ran unprivileged"
	echo "$err" | grep -q "needs root or CAP_PERFMON" || fail "$pp: no clear message: $err"
done
out=$(asnobody $USTAP -e "probe kernel.trace(\"sched_switch\")? { n++ } global n
	probe process(\"$t\").function(\"main\") { println(\"main\") }
	probe syscall.openat? { println(\"openat\") }" -c $t 2>&1) || fail "optional run failed: $out"
[ "$out" = main ] || fail "optional run printed: $out"
# a watchpoint in one's own process needs no privilege (perf breakpoint, user space only)
if [ -d /sys/bus/event_source/devices/breakpoint ]; then
	out=$(asnobody $USTAP -e 'global n probe process.data(0x20000000).write { n++ } probe end { println(n) }' \
		-c $TARGETS/ks_hwwatch 2>&1) || fail "process.data unprivileged: $out"
	[ "$out" = 10 ] || fail "process.data unprivileged printed: $out"
fi
exit 0

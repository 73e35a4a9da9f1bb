# An unprivileged user: kernel probes say what they need; optional ones are skipped while
# user-space probes of the same script keep working. Runs as nobody through setpriv.
. $SRCDIR/tests/lib.bash
command -v setpriv > /dev/null || { echo "skipped: no setpriv"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "skipped: not root, cannot switch to nobody"; exit 0; }
asnobody() { (cd /tmp && setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$@"); }
t=$TARGETS/ks_syscalls
for pp in 'kernel.trace("sched_switch")' 'syscall.openat' 'timer.profile' 'perf.sw.cpu_clock'; do
	err=$(asnobody $USTAP -e "probe $pp { n++ } global n" 2>&1 >/dev/null) && fail "$pp ran unprivileged"
	echo "$err" | grep -q "needs root or CAP_PERFMON" || fail "$pp: no clear message: $err"
done
out=$(asnobody $USTAP -e "probe kernel.trace(\"sched_switch\")? { n++ } global n
	probe process(\"$t\").function(\"main\") { println(\"main\") }
	probe syscall.openat? { println(\"openat\") }" -c $t 2>&1) || fail "optional run failed: $out"
[ "$out" = main ] || fail "optional run printed: $out"
exit 0

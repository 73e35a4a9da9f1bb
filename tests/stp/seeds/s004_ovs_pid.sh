# Seed 004's process(PID) one-liners, each run unchanged but for the pid, with -vv, against an
# ovs-vswitchd-like daemon (tests/targets/seed_ovs.c) started first. One SIGUSR1 per run makes
# it do one round: 3 packets on its pmd thread (netdev_rxq_recv, netdev_send), 2 ovs_mutex_lock_at
# and 1 shash_find__ on the main thread, 1 daemonStreamMessageFinished. Times, cpus and the pmd
# thread's tid (checked to be another thread than the main one) are replaced by names.
. "$SRCDIR/tests/lib.bash"
"$TARGETS/seed_ovs" "$TMPDIR/ready" &
P=$!
trap 'kill $P 2>/dev/null' EXIT
wait_for "$TMPDIR/ready" ready
run() {   # run SCRIPT: ustap -e SCRIPT -vv until one round is done
	rm -f "$TMPDIR/u.out" "$TMPDIR/u.err"
	"$USTAP" -e "$1" -vv > "$TMPDIR/u.out" 2> "$TMPDIR/u.err" &
	local u=$!
	wait_for "$TMPDIR/u.err" "Pass 5: starting run."
	kill -USR1 $P
	sleep 1
	kill -INT $u
	wait $u || fail "ustap exit $?: $(cat "$TMPDIR/u.err")"
	cat "$TMPDIR/u.out"
}
run 'probe process('$P').function("netdev_rxq_recv"), process('$P').function("netdev_send").return {printf("%-16s %6d [%03d] %s %24s\n",execname(),tid(),cpu(),usecs_to_string(gettimeofday_us()),probefunc())}' > "$TMPDIR/netdev"
grep -q " $P \[" "$TMPDIR/netdev" && fail "a pmd hit on the main thread: $(cat "$TMPDIR/netdev")"
sed -E 's/^seed_ovs +[0-9]+ \[[0-9]{3}\] [0-9]+m[0-9]{1,2}\.[0-9]{6}s( +[a-z_]+)$/seed_ovs         PMD [CPU] TIME\1/' "$TMPDIR/netdev"
run 'probe process('$P').function("ovs_mutex_lock_at") {printf("hhhhhh\n")}'
run 'probe process('$P').function("daemonStreamMessageFinished") {printf("hhhhh\n")}'
run 'probe process('$P').function("shash_find__") {printf("hhhhhh\n")}'
kill -0 $P || fail "the daemon died"

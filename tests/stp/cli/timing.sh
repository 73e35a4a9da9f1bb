# -t: stap's probe hit report after the end probes, one line per probe that ran
# (stap's "cycles" are "nsecs" here, as in stap's user-space runtime)
. $SRCDIR/tests/lib.bash
out=$($USTAP -t -e 'global n
probe begin { print("hi\n") }
probe timer.ms(10) { if (++n > 3) exit() }
probe end { print("end\n") }') || fail "exit $?"
echo "$out" | sed -n 1p | grep -qx "hi" || fail "$out"
echo "$out" | sed -n 2p | grep -qx "end" || fail "$out"
echo "$out" | sed -n 3p | grep -qx -- "----- probe hit report: " || fail "$out"
echo "$out" | grep -qE '^begin, \(<input>:2:1\), hits: 1, nsecs: [0-9]+min/[0-9]+avg/[0-9]+max, variance: 0, from: begin, index: 0$' || fail "begin: $out"
echo "$out" | grep -qE '^timer\.ms\(10\), \(<input>:3:1\), hits: 4, nsecs: [0-9]+min/[0-9]+avg/[0-9]+max, variance: [0-9]+, from: timer\.ms\(10\), index: 1$' || fail "timer: $out"
echo "$out" | grep -qE '^end, \(<input>:4:1\), hits: 1, .*, from: end, index: 2$' || fail "end: $out"
out=$($USTAP -e 'probe begin { exit() }')
[ -z "$out" ] || fail "no -t: $out"
exit 0

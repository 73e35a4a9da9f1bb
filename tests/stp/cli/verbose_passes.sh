# -v reports passes 1-4 with stap's "using ...kb, in ...ms." shape (stap's testsuite reads these
# lines: stap_run.exp needs one per pass), counting probes/functions/globals as stap -v does
. $SRCDIR/tests/lib.bash
err=$($USTAP -v -e 'global a, b; probe begin { a = 1; b = 2; exit() } probe end { println(a + b) }' 2>&1 >/dev/null)
mem='using [0-9]+virt/[0-9]+res/[0-9]+shr/[0-9]+data kb, in [0-9]+usr/[0-9]+sys/[0-9]+real ms\.'
echo "$err" | sed -n 1p | grep -qE "^Pass 1: parsed user script and [0-9]+ library scripts $mem\$" || fail "pass 1: $err"
echo "$err" | sed -n 2p | grep -qE "^Pass 2: analyzed script: 2 probes, 1 function, 0 embeds, 2 globals $mem\$" || fail "pass 2: $err"
echo "$err" | sed -n 3p | grep -qE "^Pass 3: translated to bytecode $mem\$" || fail "pass 3: $err"
echo "$err" | sed -n 4p | grep -qE "^Pass 4: [a-z ]+ in [0-9]+usr/[0-9]+sys/[0-9]+real ms\.\$" || fail "pass 4: $err"
echo "$err" | sed -n 5p | grep -qx "Pass 5: starting run." || fail "pass 5: $err"
# -p2 stops after pass 2's line
n=$($USTAP -v -p2 -e 'probe begin { exit() }' 2>&1 >/dev/null | grep -c '^Pass ')
[ "$n" = 2 ] || fail "-p2 -v: $n pass lines"
exit 0

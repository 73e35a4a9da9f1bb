# '-' reads the script from stdin; the arguments follow it
. $SRCDIR/tests/lib.bash
out=$(echo 'probe begin { println("from stdin ", @1); exit() }' | $USTAP - arg1) || fail "exit $?"
[ "$out" = "from stdin arg1" ] || fail "output: $out"

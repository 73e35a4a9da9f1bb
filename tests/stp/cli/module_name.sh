# -m NAME: no module is built, but stap's checks on the name hold (stap 4.8's texts)
. $SRCDIR/tests/lib.bash
out=$($USTAP -p1 -m "" -e 'probe begin { }' 2>&1) && fail "-m '': exit 0"
[ "$out" = "Module name cannot be empty." ] || fail "-m '': $out"
out=$($USTAP -p1 -m "a-b" -e 'probe begin { }' 2>&1) && fail "-m a-b: exit 0"
[ "$out" = "ERROR: Safety pattern mismatch for -m parameter ('a-b' vs. '^[a-z0-9_]+$') rc=1" ] || fail "-m a-b: $out"
$USTAP -p1 -w -m My_mod2 -e 'probe begin { }' > /dev/null || fail "-m My_mod2: exit $?"
exit 0

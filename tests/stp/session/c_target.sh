# -c: target() is the command's pid
. $SRCDIR/tests/lib.bash
$USTAP -c 'sh -c "echo pid=\$\$"' -e 'probe begin { printf("target=%d\n", target()) }' > $TMPDIR/out || fail "exit $?"
t=$(sed -n 's/^target=//p' $TMPDIR/out); p=$(sed -n 's/^pid=//p' $TMPDIR/out)
[ -n "$t" ] && [ "$t" = "$p" ] || fail "output: $(cat $TMPDIR/out)"

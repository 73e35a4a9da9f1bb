# -b -o FILE: the output goes to FILE_cpu0 as stap's bulk transport frames it (magic F0 9F A9
# BA, a 32-bit sequence number, a 32-bit length, the data), which stap-merge reads back
. $SRCDIR/tests/lib.bash
mkdir -p $TMPDIR/bulk && cd $TMPDIR/bulk || fail "tmpdir"
$USTAP -b -o out -e 'probe begin { print("hello\n"); exit() }' || fail "exit $?"
[ -f out_cpu0 ] || fail "no out_cpu0: $(ls)"
[ ! -e out ] || fail "out written too"
got=$(od -An -tx1 out_cpu0 | tr -s ' \n' ' ')
want=" f0 9f a9 ba 00 00 00 00 06 00 00 00 68 65 6c 6c 6f 0a "
[ "$got" = "$want" ] || fail "got:$got"
out=$($USTAP -b -e 'probe begin { print("plain\n"); exit() }') || fail "no -o: exit $?"
[ "$out" = plain ] || fail "no -o: $out"
exit 0

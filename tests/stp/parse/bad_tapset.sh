# a -I tapset file with parse errors: reported in pass 1 and skipped with a warning, which
# -W makes fatal (stap 4.8's texts)
. $SRCDIR/tests/lib.bash
mkdir -p $TMPDIR/ts && cd $TMPDIR || fail "tmpdir"
printf 'function ok() { return 1 }\nfunction bad( { }\n' > ts/bad.stp
printf 'function good() { return 2 }\n' > ts/good.stp
want='parse error: expected identifier
        saw: operator '"'{'"' at ts/bad.stp:2:15
     source: function bad( { }
                           ^

1 parse error.
WARNING: tapset "ts/bad.stp" has errors, and will be skipped'
err=$($USTAP -p1 -I ts/ -e 'probe begin { println(good()) }' 2>&1 >/dev/null) || fail "without -W: exit $?"
[ "$err" = "$want" ] || fail "without -W: $err"
err=$($USTAP -p1 -I ts -W -e 'probe begin { }' 2>&1 >/dev/null) && fail "-W: exit 0"
[ "$err" = "$want
Pass 1: parse failed.  [man error::pass1]" ] || fail "-W: $err"
out=$($USTAP -I ts -e 'probe begin { println(good()); exit() }' 2>/dev/null) || fail "run: exit $?"
[ "$out" = 2 ] || fail "run: $out"
exit 0

# a -I tapset file with parse errors: with -W, pass 1 parses the -I files as stap does and
# fails on stap's warning; without -W the file is never parsed unless the script needs it
# (stap 4.8's texts)
. $SRCDIR/tests/lib.bash
mkdir -p $TMPDIR/ts && cd $TMPDIR || fail "tmpdir"
printf 'function ok() { return 1 }\nfunction bad( { }\n' > ts/bad.stp
printf 'function good() { return 2 }\n' > ts/good.stp
want='parse error: expected identifier
        saw: operator '"'{'"' at ts/bad.stp:2:15
     source: function bad( { }
                           ^

1 parse error.
WARNING: tapset "ts/bad.stp" has errors, and will be skipped
Pass 1: parse failed.  [man error::pass1]'
err=$($USTAP -p1 -I ts/ -W -e 'probe begin { }' 2>&1 >/dev/null) && fail "-W: exit 0"
[ "$err" = "$want" ] || fail "-W: $err"
err=$($USTAP -p1 -I ts -W -e 'probe begin { }' 2>&1 >/dev/null) && fail "-W, -I ts: exit 0"
[ "$err" = "$want" ] || fail "-W, -I ts: $err"
out=$($USTAP -I ts -e 'probe begin { println(good()); exit() }') || fail "run: exit $?"
[ "$out" = 2 ] || fail "run: $out"
exit 0

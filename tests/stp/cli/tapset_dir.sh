# the tapset is found beside the binary (build tree, installed layout) or from $USTAP_TAPSET
. $SRCDIR/tests/lib.bash
script='probe begin { println(msecs_to_string(61001)); exit() }'
want=$($USTAP -e "$script") || fail "in the build tree: exit $?"
[ "$want" = "1m1.001s" ] || fail "msecs_to_string: $want"
mkdir -p $TMPDIR/p/bin $TMPDIR/p/share/ustap
cp $USTAP $TMPDIR/p/bin/ustap
cp -r $SRCDIR/tapset $TMPDIR/p/share/ustap/
[ "$($TMPDIR/p/bin/ustap -e "$script")" = "$want" ] || fail "installed layout"
mv $TMPDIR/p/share/ustap/tapset $TMPDIR/elsewhere
$TMPDIR/p/bin/ustap -e "$script" > /dev/null 2>&1 && fail "ran without a tapset"
[ "$(USTAP_TAPSET=$TMPDIR/elsewhere $TMPDIR/p/bin/ustap -e "$script")" = "$want" ] || fail "USTAP_TAPSET"

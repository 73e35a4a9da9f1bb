# make demo's script on the demo program (-O0 and -O2): every call seen with its argument and result
. $SRCDIR/tests/lib.bash
for bin in demo demo-O2; do
	$USTAP $SRCDIR/examples/demo.stp -c "$TARGETS/$bin 3" > $TMPDIR/out 2> $TMPDIR/err || fail "$bin: exit $?: $(cat $TMPDIR/err)"
	sed -e 's/pid [0-9]*/pid N/' -e 's/in about [0-9]* ms/in about T ms/' $TMPDIR/out > $TMPDIR/norm
	diff -u - $TMPDIR/norm <<'OUT' || fail "$bin: output differs"
ustap: tracing pid N
ustap: compute(10) returned 385
demo: compute(10) = 385
ustap: compute(20) returned 2870
demo: compute(20) = 2870
ustap: compute(30) returned 9455
demo: compute(30) = 9455
ustap: 3 calls in about T ms, results sum to 12710
OUT
done

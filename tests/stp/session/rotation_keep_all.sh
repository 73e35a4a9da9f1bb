# -S 1 without N keeps every file: FILE.0 ... FILE.n, all of the output, in order
. $SRCDIR/tests/lib.bash
$USTAP -o $TMPDIR/out -S 1 -e 'global n
probe timer.ms(10) { for (i = 0; i < 3000; i++) printf("%d %0100d\n", n, i); if (++n == 12) exit() }' \
	--suppress-time-limits || fail "exit $?"
files=$(cd $TMPDIR && ls out.* | sort -t. -k2 -n)
[ "$(echo "$files" | wc -l)" -ge 3 ] || fail "files: $files"
for f in $files; do cat $TMPDIR/$f; done > $TMPDIR/all
[ "$(wc -l < $TMPDIR/all)" -eq 36000 ] || fail "$(wc -l < $TMPDIR/all) lines"
[ "$(cut -d' ' -f1 $TMPDIR/all | uniq | tr '\n' ' ')" = "0 1 2 3 4 5 6 7 8 9 10 11 " ] || fail "order"

# -S 1,2 -o FILE: FILE.0, FILE.1 ... each at most 1MB, only the newest 2 kept
. $SRCDIR/tests/lib.bash
line=0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789
$USTAP --suppress-time-limits -T 1 -o $TMPDIR/out -S 1,2 \
	-e "probe timer.ms(20) { for (i = 0; i < 1000; i++) println(\"$line\") }" || fail "exit $?"
files=$(cd $TMPDIR && ls out.* | sort -t. -k2 -n)
[ "$(echo "$files" | wc -l)" -eq 2 ] || fail "files: $files"
last=$(echo "$files" | tail -1); last=${last#out.}
[ "$last" -ge 3 ] || fail "only $last rotations: $files"
for f in $files; do
	size=$(stat -c %s $TMPDIR/$f)
	[ "$size" -le 1048576 ] || fail "$f has $size bytes"
	[ -z "$(grep -v "^$line\$" $TMPDIR/$f)" ] || fail "$f has a torn line"
done

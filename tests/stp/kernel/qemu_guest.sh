# The kprobe tests (tests/qemu/guest) and these tracepoint tests again, on Debian's kernel in a
# qemu guest under TCG (tests/qemu/run-guest.sh): kprobes for real, and a second kernel.
. $SRCDIR/tests/lib.bash
out=$($SRCDIR/tests/qemu/run-guest.sh "$BUILD" 2>&1)
rc=$?
echo "$out" >&2
[ $rc = 77 ] && { echo "skipped: $out"; exit 0; }
for t in kprobe_open kprobe_args kprobe_list kprobe_btf kprobe_listvars; do
	echo "$out" | grep -q "^PASS guest/$t\$" || fail "guest/$t did not pass"
done
[ $rc = 0 ] || fail "guest tests failed: $(echo "$out" | grep -E '^(FAIL|GUEST-RESULT)')"
exit 0

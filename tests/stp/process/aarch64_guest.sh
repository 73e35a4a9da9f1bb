# The breakpoint engine on aarch64 for real: ustap and the targets cross-built by make arm64
# run on Debian's arm64 kernel in qemu-system-aarch64 (tests/qemu/run-guest-arm64.sh). make
# check runs this subset; make check-aarch64 runs all of tests/stp/process there.
. $SRCDIR/tests/lib.bash
export GUEST_ONLY="process/a64_pcrel process/count_args process/count_args_O2 process/entry_values
	process/longjmp process/fork process/exec process/libc process/nopie_O2 process/stripped
	process/threads process/exits process/detach_ret process/coro"
out=$($SRCDIR/tests/qemu/run-guest-arm64.sh "$SRCDIR/build-arm64" stp/process 2>&1)
rc=$?
echo "$out" >&2
[ $rc = 77 ] && { echo "skipped: $out"; exit 0; }
[ $rc = 0 ] || fail "aarch64 guest: $(echo "$out" | grep -E '^(GUEST: FAIL|GUEST-RESULT|run-guest)')"
n=$(echo "$out" | sed -n 's/^GUEST-RESULT: \([0-9]*\) passed, 0 failed.*/\1/p')
[ "${n:-0}" -ge 12 ] || fail "aarch64 guest: too few tests passed: $(echo "$out" | grep GUEST-RESULT)"
exit 0

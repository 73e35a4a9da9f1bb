# -v and a run with errors: "Pass 5: run completed in ..." comes before "Pass 5: run failed",
# as stap prints them (stap testsuite error_fn: stap_run.exp waits for the timing line)
. $SRCDIR/tests/lib.bash
err=$($USTAP -v -e 'probe begin { error("x") }' 2>&1 >/dev/null) && fail "exit 0"
echo "$err" | tail -2 | head -1 | grep -qE '^Pass 5: run completed in [0-9]+usr/[0-9]+sys/[0-9]+real ms\.$' || fail "$err"
[ "$(echo "$err" | tail -1)" = "Pass 5: run failed.  [man error::pass5]" ] || fail "$err"
err=$($USTAP -e 'probe begin { error("x") }' 2>&1 >/dev/null) && fail "no -v: exit 0"
[ "$(echo "$err" | tail -1)" = "Pass 5: run failed.  [man error::pass5]" ] || fail "no -v: $err"
exit 0

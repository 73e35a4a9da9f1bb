# options that only shape stap's kernel module: -b and -m are accepted (-m with a warning),
# -F and -r for another kernel are refused with a sentence saying why
. $SRCDIR/tests/lib.bash
out=$($USTAP -b -e 'probe begin { print("ok\n"); exit() }' 2>&1) || fail "-b: exit $?"
[ "$out" = ok ] || fail "-b: $out"
out=$($USTAP -m foo -e 'probe begin { print("ok\n"); exit() }' 2>&1) || fail "-m: exit $?"
echo "$out" | grep -q "^WARNING: -m foo: ustap builds no kernel module; the name is ignored$" || fail "-m: $out"
out=$($USTAP -F -e 'probe begin { exit() }' 2>&1) && fail "-F accepted"
echo "$out" | grep -q "^ERROR: -F (flight recorder mode) needs a kernel module" || fail "-F: $out"
out=$($USTAP -r 0.0.1-nosuch -e 'probe begin { exit() }' 2>&1) && fail "-r accepted"
echo "$out" | grep -q "^ERROR: -r 0.0.1-nosuch: ustap builds no kernel module" || fail "-r: $out"
out=$($USTAP -r "$(uname -r)" -e 'probe begin { print("ok\n"); exit() }' 2>&1) || fail "-r running: exit $?"
[ "$out" = ok ] || fail "-r running kernel: $out"
exit 0

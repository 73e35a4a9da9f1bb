# $SYSTEMTAP_TAPSET (stap's variable) names the tapset directory as $USTAP_TAPSET does
# (stap testsuite parseok/macros09)
. $SRCDIR/tests/lib.bash
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
echo '@define __envmacro %( 7 %)' > "$d/env.stpm"
out=$(SYSTEMTAP_TAPSET=$d $USTAP -p1 -e 'probe begin { println(@__envmacro) }' 2>&1) || fail "exit $?: $out"
echo "$out" | grep -q 'println(7)' || fail "$out"
SYSTEMTAP_TAPSET=$d USTAP_TAPSET=/nonexistent $USTAP -p1 -e 'probe begin { println(@__envmacro) }' >/dev/null 2>&1 &&
	fail "USTAP_TAPSET should win"
exit 0

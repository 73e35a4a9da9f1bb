#!/bin/bash
# An ordinary user has neither fanotify's permission events (CAP_SYS_ADMIN) nor system-wide
# perf events (kernel.perf_event_paranoid > 0 here, tracefs root's): process("PATH") without
# -c/-x says that later processes come only from the /proc rescan, and a long enough one is
# still reached.
. "$SRCDIR/tests/lib.bash"
run() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
d=$(mktemp -d /tmp/ew_user.XXXXXX)
trap 'rm -rf "$d"' EXIT
chmod 755 "$d"
cp "$TARGETS/ew_exec" "$d/ew_user"
run "$USTAP" -T 40 -e 'global adds
probe begin { printf("armed\n") }
probe process(@1).function("add") { adds++ }
probe process(@1).end { exit() }
probe end { printf("add=%d\n", adds) }' "$d/ew_user" > "$TMPDIR/u.out" 2> "$TMPDIR/u.err" &
u=$!
wait_for "$TMPDIR/u.out" "armed"   # the begin probes run once every probe is armed
[ "$(run "$d/ew_user" sleep 800 5)" = "sum=15" ] || fail "the program's output changed"
wait $u || fail "ustap exit $?: $(cat "$TMPDIR/u.err")"
cat "$TMPDIR/u.out"
sed "s|$d|DIR|" "$TMPDIR/u.err"

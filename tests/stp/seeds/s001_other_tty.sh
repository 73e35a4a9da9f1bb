#!/bin/bash
# Seed 001 as the blog runs it: `stap -e 'probe process("/home/i/stap/test").function("main")
# { printf("probe ok\n"); }'`, then ./test run "in another tty" (no -c, no -x): main of that
# later process is probed. ustap marks the file with fanotify before its first /proc look;
# the test waits for that mark (in ustap's fdinfo) rather than for a fixed delay.
. "$SRCDIR/tests/lib.bash"
mkdir -p "$TMPDIR/stap" && cp "$TARGETS/seed_hello" "$TMPDIR/stap/test"
"$USTAP" -e 'probe process("'"$TMPDIR"'/stap/test").function("main") { printf("probe ok\n"); }' \
	> "$TMPDIR/u.out" 2> "$TMPDIR/u.err" &
u=$!
for i in $(seq 100); do grep -qs '^fanotify ino:' /proc/$u/fdinfo/* && break; sleep 0.1; done
grep -qs '^fanotify ino:' /proc/$u/fdinfo/* || fail "no fanotify mark: $(cat "$TMPDIR/u.err")"
(cd "$TMPDIR/stap" && ./test) || fail "the program failed"
for i in $(seq 50); do [ -s "$TMPDIR/u.out" ] && break; sleep 0.1; done
kill -INT $u
wait $u || fail "ustap exit $?: $(cat "$TMPDIR/u.err")"
cat "$TMPDIR/u.out" "$TMPDIR/u.err"

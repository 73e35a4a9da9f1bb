#!/bin/bash
# Seed 001 ("run the program in another tty"): without -c/-x, process("PATH") reaches every
# process of PATH started after ustap, from its first instruction (fanotify holds each exec
# until ustap has seized the process): short runs, one after the other, two at once, a
# multi-threaded one, and one exec'd by a thread that is not its process's leader. Every
# run's main is counted once and add() exactly; the programs' own output is unchanged.
. "$SRCDIR/tests/lib.bash"
bin=$TMPDIR/bl_exec
cp "$TARGETS/bp_loop" "$bin"          # private copies: no other test runs these files
cp "$TARGETS/ew_exec" "$TMPDIR/launch"
"$USTAP" -T 40 -e 'global mains, adds, ends
probe begin { printf("armed\n") }
probe process(@1).function("main") { mains[pid()]++ }
probe process(@1).function("add") { adds[pid()]++ }
probe process(@1).end { if (++ends == 7) exit() }
probe end {
	foreach (p in mains) printf("main=%d add=%d\n", mains[p], adds[p])
	printf("processes=%d\n", ends)
}' "$bin" > "$TMPDIR/u.out" 2> "$TMPDIR/u.err" &
u=$!
wait_for "$TMPDIR/u.out" "armed"   # the begin probes run once every probe is armed
check() { [ "$1" = "$2" ] || fail "the program's output changed: '$1', not '$2'"; }
for i in 1 2 3; do check "$("$bin" 7 1)" "calls=7 threads=1 total=28"; done
"$bin" 7 1 > "$TMPDIR/a" & "$bin" 7 1 > "$TMPDIR/b"; wait $!
check "$(cat "$TMPDIR/a" "$TMPDIR/b")" "calls=7 threads=1 total=28
calls=7 threads=1 total=28"
check "$("$bin" 7 3)" "calls=7 threads=3 total=84"
check "$("$TMPDIR/launch" thread "$bin" 7 1)" "calls=7 threads=1 total=28"
wait $u || fail "ustap exit $?: $(cat "$TMPDIR/u.err")"
sort "$TMPDIR/u.out"
cat "$TMPDIR/u.err" >&2

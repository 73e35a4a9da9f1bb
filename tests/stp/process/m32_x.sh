#!/bin/bash
# -x on a running i386 program (m32_basic wait): one round of calls is traced exactly (add 3
# entries and returns, fact 5 frames), and once ustap has gone the program's code is the
# file's again (no int3 left at add, fact or the entry point where the XOL page was mapped
# from) and it runs its second round to the same sum: wait_go's frame, live when ustap
# detached, had its 4-byte return address slot given back (not the trampoline's).
bin=$TARGETS/m32_basic
base() { grep -m1 -F "$(readlink -f "$bin")" /proc/$1/maps | cut -d- -f1; }
bytes() {  # PID SYMBOL_OFFSET: 16 bytes in process PID, hex
	dd if=/proc/$1/mem bs=16 count=1 iflag=skip_bytes skip=$((0x$(base $1) + $2)) 2>/dev/null | od -An -tx1
}
filebytes() { dd if="$bin" bs=16 count=1 iflag=skip_bytes skip=$(($1)) 2>/dev/null | od -An -tx1; }
off() { echo $((0x$(nm "$bin" | awk -v s=$1 '$3 == s { print $1 }'))); }
entry=$(readelf -h "$bin" | awk '/Entry point/ { print $4 }')
$bin wait > "$TMPDIR/t.out" &
pid=$!
trap 'kill -KILL $pid $u 2>/dev/null' EXIT
for i in $(seq 100); do grep -q '^ready 0' "$TMPDIR/t.out" && break; sleep 0.05; done
$USTAP -x $pid -e 'global n
probe process(@1).function("add") { n["add"]++ }
probe process(@1).function("add").return { printf("add(%d, %d) -> %d\n", @entry($a), @entry($b), $return) }
probe process(@1).function("fact").return { n["fact"]++ }
probe process(@1).function("main") { n["main"]++ }
probe process(@1).function("wait_go") { n["wait_go"]++ }
probe process(@1).function("wait_go").return { n["wait_go.return"]++ }
probe end { foreach (k in n-) printf("%s %d\n", k, n[k]) }' $bin > "$TMPDIR/u.out" 2> "$TMPDIR/u.err" &
u=$!
for i in $(seq 100); do grep -q "^TracerPid:.$u" /proc/$pid/status 2>/dev/null && break; sleep 0.05; done
sleep 0.5
kill -USR1 $pid
for i in $(seq 100); do grep -q '^ready 1' "$TMPDIR/t.out" && break; sleep 0.05; done
kill -INT $u
wait $u || { echo "ustap exit $?: $(cat "$TMPDIR/u.err")"; exit 1; }
cat "$TMPDIR/u.out"
for s in add fact wait_go; do
	[ "$(bytes $pid $(off $s))" = "$(filebytes $(off $s))" ] || { echo "$s: $(bytes $pid $(off $s)) file $(filebytes $(off $s))"; exit 1; }
done
[ "$(bytes $pid $entry)" = "$(filebytes $entry)" ] || { echo "entry point changed"; exit 1; }
grep -q '^TracerPid:.0$' /proc/$pid/status || { echo "still traced"; exit 1; }
kill -USR1 $pid
wait $pid || { echo "target exit $?"; exit 1; }
tail -1 "$TMPDIR/t.out"

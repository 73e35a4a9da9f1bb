#!/bin/bash
# An i386 instruction ustap cannot run out of line nor emulate (refused() starts its body with
# a far call) under -x: a stap-style error naming the pid, exit 1, and the program
# untouched -- the code at add (probed first, taken back out) and refused is the file's, it is
# no longer traced and its second round gives the same sum.
bin=$TARGETS/m32_basic
base() { grep -m1 -F "$(readlink -f "$bin")" /proc/$1/maps | cut -d- -f1; }
bytes() { dd if=/proc/$1/mem bs=16 count=1 iflag=skip_bytes skip=$((0x$(base $1) + $2)) 2>/dev/null | od -An -tx1; }
filebytes() { dd if="$bin" bs=16 count=1 iflag=skip_bytes skip=$(($1)) 2>/dev/null | od -An -tx1; }
off() { echo $((0x$(nm "$bin" | awk -v s=$1 '$3 == s { print $1 }'))); }
$bin wait > "$TMPDIR/t.out" &
pid=$!
trap 'kill -KILL $pid 2>/dev/null' EXIT
for i in $(seq 100); do grep -q '^ready 0' "$TMPDIR/t.out" && break; sleep 0.05; done
timeout 20 $USTAP -x $pid -e 'probe process(@1).function("add") { println("add") }
probe process(@1).function("refused") { println("refused") }' $bin > "$TMPDIR/u.out" 2> "$TMPDIR/u.err"
rc=$?
[ $rc = 1 ] || { echo "ustap exit $rc"; exit 1; }
grep -qE "^ERROR: probe process\(.*\)\.function\(\"refused@.*\): cannot probe the instruction at 0x[0-9a-f]+ in pid $pid: far call/jmp$" "$TMPDIR/u.err" ||
	{ echo "stderr: $(cat "$TMPDIR/u.err")"; exit 1; }
for s in add refused; do
	[ "$(bytes $pid $(off $s))" = "$(filebytes $(off $s))" ] || { echo "$s changed"; exit 1; }
done
for i in $(seq 100); do grep -q '^TracerPid:.0$' /proc/$pid/status && break; sleep 0.05; done
grep -q '^TracerPid:.0$' /proc/$pid/status || { echo "still traced"; exit 1; }
kill -USR1 $pid
for i in $(seq 100); do grep -q '^ready 1' "$TMPDIR/t.out" && break; sleep 0.05; done
kill -USR1 $pid
wait $pid || { echo "target exit $?"; exit 1; }
cat "$TMPDIR/u.out"
tail -1 "$TMPDIR/t.out"

# Bad command lines and bad script files: each gets a clear message and exit 1, never a
# crash (signal, sanitizer report) or a hang.
fails=0
# expect NAME RC PATTERN ARGS...: ustap ARGS exits RC with PATTERN (grep -E) on stderr
expect() {
	local name=$1 want=$2 pat=$3
	shift 3
	timeout 20 "$USTAP" "$@" < /dev/null > "$TMPDIR/out" 2> "$TMPDIR/err"
	local rc=$?
	if [ $rc -ne "$want" ] || { [ -n "$pat" ] && ! grep -Eq -- "$pat" "$TMPDIR/err"; } ||
	   grep -Eq 'Sanitizer|runtime error:' "$TMPDIR/err"; then
		echo "$name: exit $rc (want $want), stderr:" >&2
		head -5 "$TMPDIR/err" >&2
		fails=$((fails + 1))
	fi
}
ok='probe begin { exit() }'
expect huge_define 1 "Invalid -D MAXSTRINGLEN value '99999999999999999999'" \
	-D MAXSTRINGLEN=99999999999999999999 -e "$ok"
expect big_stringlen 1 "Invalid -D MAXSTRINGLEN value '9000000000'" -D MAXSTRINGLEN=9000000000 -e "$ok"
expect word_define 1 "Invalid -D MAXMAPENTRIES value 'abc'" -D MAXMAPENTRIES=abc -e "$ok"
expect zero_stringlen 1 "Invalid -D MAXSTRINGLEN value '0'" -D MAXSTRINGLEN=0 -e "$ok"
expect bad_define_chars 1 "Safety pattern mismatch for -D parameter" -D 'X=`id`' -e "$ok"
expect deep_recursion 1 "ERROR: MAXNESTING exceeded near keyword at <input>:1:" \
	-e 'function f(n) { if (n <= 0) return 0; return f(n - 1) + 1 }
	    probe begin { print(f(100000)) exit() }'
expect deep_recursion_nolimit 1 "ERROR: MAX(NESTING|ACTION) exceeded" -D MAXNESTING=100000000 \
	-e 'function f(n) { if (n <= 0) return 0; return f(n - 1) + 1 }
	    probe begin { print(f(10000000)) exit() }'
# binary garbage (fixed bytes, NULs included) as a script file
printf 'probe begin \001\377\000\376{ }\n' > "$TMPDIR/garbage.stp"
expect garbage 1 "^parse error: .*|Pass 1: parse failed" "$TMPDIR/garbage.stp"
head -c 4096 /dev/urandom > "$TMPDIR/random.stp"
expect random 1 "Pass 1: parse failed" -p1 "$TMPDIR/random.stp"
# stap: "Input file '/tmp' is empty." for a directory
expect directory 1 "^Input file '.*' is empty\.$" "$TMPDIR"
expect missing_file 1 "Pass 1: parse failed" "$TMPDIR/no-such.stp"
# a 1 MB script: it parses and runs; the same with an error at its end points at the last line
for i in $(seq 1 20000); do echo "function f$i(x) { return x + $i }"; done > "$TMPDIR/big.stp"
echo 'probe begin { printf("%d\n", f20000(1)) exit() }' >> "$TMPDIR/big.stp"
expect big_script 0 "" "$TMPDIR/big.stp"
grep -qx 20001 "$TMPDIR/out" || { echo "big_script: output $(head -c 80 "$TMPDIR/out")" >&2; fails=$((fails + 1)); }
echo 'probe begin { x = }' >> "$TMPDIR/big.stp"
expect big_script_error 1 "big\.stp:20002:" "$TMPDIR/big.stp"
expect unwritable_output 1 "Couldn't open output file /proc/no-such/x" -o /proc/no-such/x -e "$ok"
expect output_is_dir 1 "Couldn't open output file" -o "$TMPDIR" -e "$ok"
expect pid_word 1 "^Invalid target process ID number\.$" -x abc -e "$ok"
expect pid_huge 1 "^Invalid target process ID number\.$" -x 99999999999999999999 -e "$ok"
expect pid_gone 1 "Invalid target process ID 999999" -x 999999 -e "$ok"
expect timeout_zero 1 "^Invalid timeout interval\.$" -T 0 -e "$ok"
expect timeout_word 1 "^Invalid timeout interval\.$" -T soon -e "$ok"
expect probe_dir 1 "semantic error: .*$TMPDIR" -p2 -e "probe process(\"$TMPDIR\").function(\"main\") {}"
expect probe_not_elf 1 "semantic error: .*garbage\.stp" -p2 \
	-e "probe process(\"$TMPDIR/garbage.stp\").function(\"main\") {}"
expect kthread 1 "semantic error" -p2 -x 2 -e 'probe process.function("main") {}'
# 10000 parentheses, a 200000-operator chain, 100000 nested loops: a parse error, not a
# stack overflow in some pass
python3 -c 'print("probe begin { x = " + "(" * 10000 + "1" + ")" * 10000 + " }")' > "$TMPDIR/deep1.stp"
python3 -c 'print("probe begin { x = 1" + "+1" * 200000 + " }")' > "$TMPDIR/deep2.stp"
python3 -c 'print("probe begin { " + "while (1) " * 100000 + "next }")' > "$TMPDIR/deep3.stp"
for f in deep1 deep2 deep3; do
	expect $f 1 "^parse error: too many nested levels" -p3 "$TMPDIR/$f.stp"
done
exit $((fails > 0))

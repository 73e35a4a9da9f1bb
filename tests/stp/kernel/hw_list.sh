# -l/-L of kernel.data and procfs/input probes print what stap 4.8 prints (checked with
# Debian's stap): the address in hex, .length only when given, no target variables.
. $SRCDIR/tests/lib.bash
[ "$($USTAP -l 'kernel.data(16).write')" = 'kernel.data(0x10).write' ] || fail "-l kernel.data(16)"
[ "$($USTAP -l 'kernel.data(16).length(3).rw')" = 'kernel.data(0x10).length(3).rw' ] || fail "-l length"
[ "$($USTAP -L 'kernel.data("x").rw')" = 'kernel.data("x").rw' ] || fail "-L symbol"
[ "$($USTAP -L 'input.char')" = 'input.char char:string' ] || fail "-L input.char: $($USTAP -L input.char)"
[ "$($USTAP -l 'procfs("__stdin").write')" = 'procfs("__stdin").write' ] || fail "-l procfs stdin"
# stap refuses a symbol with .length (mismatch): so does -l, quietly, exit 1
$USTAP -l 'kernel.data("x").length(2).rw' > /dev/null 2>&1 && fail "-l symbol with length exit 0"
exit 0

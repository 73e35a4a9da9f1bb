# exit() in a kernel probe: exactly one line, whatever the target does meanwhile (its records
# drained after it exited, with the session already ending, must run nothing). The name may
# be empty: a task that ended before ustap saw it start is not known by name.
out=$("$USTAP" -e 'probe syscall.read {printf("%s %d\n", execname(), pid()); exit()}' -c "cat $USTAP > /dev/null") || exit 1
echo "$out" | grep -Eq '^[^ ]* [0-9]+$' && [ "$(echo "$out" | wc -l)" = 1 ] || { echo "got: $(echo "$out" | head -5)" >&2; exit 1; }
# the same for a breakpoint probe on two threads that hit it at once, and a kernel probe
bp=$("$USTAP" -e 'probe process.function("add") { printf("%d\n", tid()); exit() }
probe syscall.getppid { print("x\n") } probe end { print("end\n") }' -c "$TARGETS/bp_loop 1000 2") || exit 1
bp=$(echo "$bp" | grep -v '^calls=')   # the target's own line, when it finishes first
echo "$bp" | grep -Eq '^[0-9]+$' && [ "$(echo "$bp" | wc -l)" = 2 ] && [ "$(echo "$bp" | tail -1)" = end ] ||
	{ echo "got: $(echo "$bp" | head -5)" >&2; exit 1; }

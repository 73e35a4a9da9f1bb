# -l over kernel.trace("sched:*") lists what tracefs has (not a frozen copy: kernels differ),
# and -L of sched_switch shows its format fields as $name:type, common ones left out.
. $SRCDIR/tests/lib.bash
ev=/sys/kernel/tracing/events
[ -d $ev/sched ] || ev=/sys/kernel/debug/tracing/events
[ -d $ev/sched ] || fail "no tracefs"
want=$(for d in $ev/sched/*/; do n=$(basename $d); echo "kernel.trace(\"sched:$n\")"; done | LC_ALL=C sort)
got=$($USTAP -l 'kernel.trace("sched:*")') || fail "-l exit $?"
[ "$got" = "$want" ] || fail "-l differs: $(diff <(echo "$want") <(echo "$got") | head -5)"
# the event name alone finds the system too
got=$($USTAP -l 'kernel.trace("sched_switch")') || fail "-l sched_switch exit $?"
[ "$got" = 'kernel.trace("sched:sched_switch")' ] || fail "-l sched_switch: $got"
# -L: "$field:type" for each non-common field of the format file, in its order
fields=$(sed -n 's/^\tfield:\(.*\);\toffset.*/\1/p' $ev/sched/sched_switch/format | grep -v common_ |
	awk '{ d = $0; arr = ""; if (match(d, /\[[0-9]*\]$/)) { arr = substr(d, RSTART); d = substr(d, 1, RSTART - 1) }
	       n = split(d, w, " "); name = w[n]; t = substr(d, 1, length(d) - length(name)); sub(/ +$/, "", t)
	       gsub(/ \*/, "*", t); printf "%s$%s:%s%s", sep, name, t, arr; sep = " " }')
got=$($USTAP -L 'kernel.trace("sched:sched_switch")') || fail "-L exit $?"
[ "$got" = "kernel.trace(\"sched:sched_switch\") $fields" ] || fail "-L: $got != $fields"
case "$got" in *'$prev_comm:char[16]'*) ;; *) fail "-L lacks \$prev_comm:char[16]: $got" ;; esac
# no match is an error, as stap's
$USTAP -l 'kernel.trace("sched:no_such_event")' > /dev/null 2>&1 && fail "-l no match exit 0"
exit 0

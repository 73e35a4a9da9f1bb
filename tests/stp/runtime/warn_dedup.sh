# warn(): each text printed once (stapio's duplicate elimination), all of them with -vv,
# none with -w; the table keeps 1023 texts, then says it is full
. $SRCDIR/tests/lib.bash
s='probe begin { warn("a"); warn("b"); warn("a"); exit() }'
[ "$($USTAP -e "$s" 2>&1)" = "$(printf 'WARNING: a\nWARNING: b')" ] || fail "default: $($USTAP -e "$s" 2>&1)"
[ -z "$($USTAP -w -e "$s" 2>&1)" ] || fail "-w: $($USTAP -w -e "$s" 2>&1)"
n=$($USTAP -vv -e "$s" 2>&1 | grep -c '^WARNING: a$')
[ "$n" = 2 ] || fail "-vv: $n"
out=$($USTAP -e 'probe begin { for (i = 0; i < 1030; i++) warn(sprint(i % 1026)); exit() }' 2>&1)
[ "$(echo "$out" | grep -c '^WARNING: ')" = 1026 ] || fail "1030 warnings: $(echo "$out" | grep -c '^WARNING: ')"
echo "$out" | sed -n 1025p | grep -qx 'WARNING deduplication table full' || fail "full: $(echo "$out" | sed -n 1024,1026p)"
exit 0

# --skip-badvars: a $variable the probe point does not have reads as 0, with stap's warning
# (text checked against stap 4.8 -p2); without it, the usual error
. $SRCDIR/tests/lib.bash
s='probe process(@1).function("main") { println($nosuch) }'
err=$($USTAP -p2 --skip-badvars -e "$s" "$TARGETS/demo" 2>&1 >/dev/null) || fail "exit $?: $err"
want='WARNING: Bad $context variable being substituted with literal 0: identifier '"'"'$nosuch'"'"' at <input>:1:46
 source: probe process(@1).function("main") { println($nosuch) }
                                                      ^'
[ "$err" = "$want" ] || fail "got: $err"
$USTAP -p2 -e "$s" "$TARGETS/demo" >/dev/null 2>&1 && fail "no error without --skip-badvars"
exit 0

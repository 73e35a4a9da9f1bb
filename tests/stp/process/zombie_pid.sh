#!/bin/bash
# process(PID).begin/.end/.syscall/.thread.begin need no executable: a zombie pid (its exe
# link is gone) elaborates as with stap -p2; a code probe there is stap's 'no match'.
(sleep 0.1 & exec sleep 5) &
holder=$!
sleep 0.5
z=$(pgrep -P $holder sleep)
grep -q '^State:.Z' /proc/$z/status || { echo "no zombie"; exit 1; }
for p in begin end syscall thread.begin; do
	$USTAP -p2 -e "probe process(\$1).$p { exit() }" $z 2>&1 | sed -n "s/$z/PID/g; /^process/p"
done
$USTAP -p2 -e 'probe process($1).function("main") { exit() }' $z 2>&1 | grep '^semantic error: [a-z]' | tail -1
$USTAP -p2 -x $z -e 'probe process.mark("*") { exit() }' 2>&1 | grep '^semantic error: [a-z]' | tail -1
kill $holder
exit 0

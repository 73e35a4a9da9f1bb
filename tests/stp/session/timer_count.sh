# timer.ms(100) over -T 1 fires about 10 times (checked loosely: 5..15)
. $SRCDIR/tests/lib.bash
n=$($USTAP -T 1 -e 'probe timer.ms(100) { println("t") }' | wc -l)
[ "$n" -ge 5 ] && [ "$n" -le 15 ] || fail "timer.ms(100) fired $n times in 1s"
n=$($USTAP -T 1 -e 'probe timer.hz(20) { println("t") }' | wc -l)
[ "$n" -ge 10 ] && [ "$n" -le 30 ] || fail "timer.hz(20) fired $n times in 1s"
n=$($USTAP -T 1 -e 'probe timer.ms(100).randomize(50) { println("t") }' | wc -l)
[ "$n" -ge 5 ] && [ "$n" -le 25 ] || fail "timer.ms(100).randomize(50) fired $n times in 1s"
n=$($USTAP -T 1 -e 'probe timer.jiffies(25) { println("t") }' | wc -l)
[ "$n" -ge 2 ] && [ "$n" -le 20 ] || fail "timer.jiffies(25) fired $n times in 1s"

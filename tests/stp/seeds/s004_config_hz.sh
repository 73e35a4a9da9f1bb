# Seed 004: `stap - << EOF ... EOF` (the script on stdin) measuring CONFIG_HZ. In 12345 ms
# timer.ms(100) fires 123 times and timer.jiffies(100) every 100 jiffies = 100000/HZ ms, so
# floor(12345 / (100000/HZ)) times; hz = 1000*jiffies/ms (integer division). As stap's
# hrtimers, a tick that finds ustap late by a whole period is not run twice: on this shared
# 2-core VM (load 15+) many may be lost, so only the upper bounds and the arithmetic are exact.
. "$SRCDIR/tests/lib.bash"
hz=$( (zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null) | sed -n 's/^CONFIG_HZ=//p')
[ -n "$hz" ] || hz=250
j=$((12345 * hz / 100000))
got=$("$USTAP" - < s004_config_hz.stap) || fail "ustap exit $?"
[[ $got =~ ^jiffies:ms\ ratio\ ([0-9]+):([0-9]+)\ =\>\ CONFIG_HZ=([0-9]+)$ ]] || fail "got '$got'"
gj=${BASH_REMATCH[1]} gms=${BASH_REMATCH[2]} ghz=${BASH_REMATCH[3]}
[ "$gj" -le $j ] && [ "$gj" -ge $((j / 2)) ] || fail "$gj jiffies ticks, want $j: $got"
[ "$gms" -le 123 ] && [ "$gms" -ge 60 ] || fail "$gms ms ticks, want 123: $got"
[ "$ghz" = $((1000 * gj / gms)) ] || fail "hz $ghz is not 1000*$gj/$gms: $got"

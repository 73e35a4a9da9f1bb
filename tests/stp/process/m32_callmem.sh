#!/bin/bash
# i386 calls through memory and through a register, probed on the call instruction itself
# (process.statement(ADDR) at each "call *" of main, -O0 and -O2, -fno-plt): ustap emulates them
# (the return address pushed is the original's, the target read from [ebx-0x10] / [edi-0x10]),
# so twice() runs 3 times, puts once, and the program prints "six".
for bin in $TARGETS/m32_callmem $TARGETS/m32_callmem-O2; do
	addrs=$(objdump -d --no-show-raw-insn "$bin" | awk '/<main>:/,/ret/' | awk '/call +\*/ { sub(":", "", $1); print "0x" $1 }')
	[ "$(echo $addrs | wc -w)" = 2 ] || { echo "calls in main: $addrs"; exit 1; }
	s='global n, t'
	for a in $addrs; do
		s="$s probe process(@1).statement($a) { n[\"$(objdump -d --no-show-raw-insn "$bin" | grep -m1 "^ *${a#0x}:" | sed 's/.*call *//')\"]++ }"
	done
	s="$s probe process(@1).function(\"twice\").return { t += \$return }
probe end { foreach (k in n-) printf(\"%s %d\\n\", k, n[k]); printf(\"twice total %d\\n\", t) }"
	$USTAP -e "$s" "$bin" -c "$bin" || { echo "ustap exit $?"; exit 1; }
done

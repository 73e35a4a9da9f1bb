#!/bin/bash
# Without debuginfo stap finds no V1 marker (it resolves one as a DWARF statement probe), while
# V2 ones stay: -l of a stripped sdt_legacy lists the V2 markers only; a V1 point warns that the
# module has no DWARF, then stap's "no match" with the similar names (checked with stap -l/-p2;
# stap prints the warning before the chained error, ustap after its first line: counted apart).
x=$TMPDIR/sdt_legacy_stripped
strip -o "$x" "$TARGETS/sdt_legacy"
"$USTAP" -l "process(\"$x\").mark(\"*\")" 2>&1 | sed "s|$x|X|g"
"$USTAP" -p2 -e 'probe process(@1).mark("v1_args") { println($$name) }' "$x" > "$TMPDIR/nd.out" 2>&1
echo "rc=$?"
sed "s|$x|X|g" "$TMPDIR/nd.out" | grep -v '^WARNING'
sed "s|$x|X|g" "$TMPDIR/nd.out" | grep -c '^WARNING: cannot find module X debuginfo: No DWARF information found \[man warning::debuginfo\]$'

#!/usr/bin/env bash
# A binary without DWARF (strip --strip-debug): -l lists its symbol table as stap does
# (no @file:line), symbols still name addresses at run time, and $var is refused with
# stap's text.
bin=$TMPDIR/dwtypes-nodebug
cp "$TARGETS/dwtypes" "$bin" && strip --strip-debug "$bin" || exit 1
"$USTAP" -l "process(\"$bin\").function(\"*\")" | sed "s|$bin|BIN|"
"$USTAP" -e 'global n probe process(@1).function("leaf") { n = n + 1; if (n == 1) println(usymname(uaddr()), " ", usymdata(uaddr()) =~ "^leaf\\+0x0/0x[0-9a-f]+ \\[/") }' \
	-c "$bin" "$bin" 2>/dev/null
"$USTAP" -p2 -e 'probe process(@1).function("leaf") { println($x) }' "$bin" 2>&1 |
	grep -c "^semantic error: debuginfo scope not found for module '$bin', cannot resolve context variable \[man error::dwarf\]: identifier '\$x' at <input>:1:"

#!/bin/bash
# -l/-L of .mark points as stap 4.8 prints them (checked with Debian's stap -l/-L on these
# targets): sorted and unique (the two "twice" sites are one line), the provider shown only
# when the point names one, -L's "$argN:long" per note argument; -p2 shows each site as
# stap's statement probe (addresses masked: they move with the compiler).
t=$TARGETS
U() { "$USTAP" "$@" 2>&1 | sed "s|$t/|TARGETS/|g"; }
U -L "process(\"$t/sdt_marks\").mark(\"*\")"
U -l "process(\"$t/sdt_marks-O2\").provider(\"ust*\").mark(\"s*\")"
U -L "process(\"$t/sdt_marks-O2\").provider(\"ustapt\").mark(\"gua*\")"
"$USTAP" -l "process(\"$t/sdt_marks\").provider(\"nosuch\").mark(\"*\")" 2>&1
echo "no match: rc=$?"
U -p2 -e 'probe process(@1).provider("ustapt").mark("twice") { println($arg1, $$name) }' "$t/sdt_marks-O2" |
	sed 's/0x[0-9a-f]*/0xN/g'

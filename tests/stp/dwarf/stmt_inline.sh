#!/usr/bin/env bash
# statement("f@file:N") where f exists only inlined (always_inline, two call sites): each
# inlined instance is a probe point; -L as Debian's stap 4.8 prints it (a line claimed by the
# caller at an address lists the caller's variables), and $i read in both instances.
for b in dw_inl dw_inl-O2; do
	for p in 'statement("twice@dw_inl.c:7")' 'statement("twice@dw_inl.c:*")' 'statement("*@dw_inl.c:7")' \
		'statement("twice@dw_inl.c+2")'; do
		"$USTAP" -L "process(\"$TARGETS/$b\").$p" 2>&1 | sed "s|$TARGETS|@TARGETS@|g"
	done
done
"$USTAP" -e 'probe process(@1).statement("twice@dw_inl.c:7") { printf("before printf i=%d\n", $i) }' \
	-c "$TARGETS/dw_inl x" "$TARGETS/dw_inl" | grep -v "^twice"

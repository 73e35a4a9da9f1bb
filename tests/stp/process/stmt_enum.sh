#!/bin/bash
# -l of statement lists (stapprobes): ":A,B-C" enumerations, lines outside the function
# dropped, "+N" per matching function and "f@file" (the entry) list the points stap 4.8 does.
for spec in 'step@bp_labels.c:8,10-12' '*@bp_labels.c:1-9,30' 'step@bp_labels.c:0,8,999' \
	'*@bp_labels.c+2' 'main@bp_labels.c'; do
	echo "$spec"
	$USTAP -l 'process("'$TARGETS'/bp_labels").statement("'"$spec"'")' | sed "s|$TARGETS|T|"
done

#!/bin/bash
# -l/-L of .label points: stap 4.8's lines for the labels of DWARF functions (sorted, -L with
# the variables in scope at each label).
$USTAP -l 'process("'$TARGETS'/bp_labels").function("*").label("*")' | sed "s|$TARGETS|T|"
$USTAP -L 'process("'$TARGETS'/bp_labels").function("main").label("*")' | sed "s|$TARGETS|T|"
# function("f@file:N").label: the labels on line N only (none on line 10)
$USTAP -l 'process("'$TARGETS'/bp_labels").function("main@bp_labels.c:29").label("*")' | sed "s|$TARGETS|T|"
$USTAP -l 'process("'$TARGETS'/bp_labels").function("main@bp_labels.c:10").label("*")' 2>/dev/null
echo "rc=$?"

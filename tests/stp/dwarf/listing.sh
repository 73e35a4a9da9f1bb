#!/usr/bin/env bash
# -l / -L for process probes against the text Debian's stap printed for the same binaries
# (tests/unit/dwarf/*.txt, @TARGETS@ standing for the build's targets dir).
rc=0
check() {   # option point expected-file
	if ! diff <("$USTAP" "$1" "$2" 2>&1 | sed "s|$TARGETS|@TARGETS@|g") "$SRCDIR/tests/unit/dwarf/$3"; then
		echo "FAIL: $1 $2"
		rc=1
	fi
}
check -l "process(\"$TARGETS/dwtypes\").function(\"*\")" l_func_dwtypes.txt
check -L "process(\"$TARGETS/dwtypes\").function(\"*\")" L_func_dwtypes.txt
check -l "process(\"$TARGETS/dwtypes-O2\").function(\"*\")" l_func_dwtypes-O2.txt
check -L "process(\"$TARGETS/dwtypes-O2\").function(\"*\")" L_func_dwtypes-O2.txt
check -L "process(\"$TARGETS/dwtypes\").statement(\"*@dwtypes.c:*\")" L_stmt_dwtypes.txt
check -L "process(\"$TARGETS/dwtypes-O2\").statement(\"*@dwtypes.c:*\")" L_stmt_dwtypes-O2.txt
exit $rc

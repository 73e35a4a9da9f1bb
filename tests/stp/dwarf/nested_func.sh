#!/usr/bin/env bash
# Subprograms nested in main (gcc's OpenMP body main._omp_fn.0, a GNU C nested function) are
# DWARF functions: -L as Debian's stap 4.8 prints them (expected file), and a probe on the
# OpenMP body fires once per thread of the parallel region.
T=$TARGETS/dw_nested-O2
for p in 'statement("*@*:*")' 'function("*")'; do
	"$USTAP" -L "process(\"$T\").$p" 2>&1 | sed "s|$TARGETS|@TARGETS@|g" |
		grep -v '_fini\|_init\|_start\|tm_clones\|frame_dummy\|global_dtors'
done
"$USTAP" -e 'global n; probe process(@1).function("main._omp_fn.0") { n++ }
	probe end { println("omp bodies: ", n) }' -c "$T" "$T"

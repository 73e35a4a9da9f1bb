#!/bin/bash
# -l/-L of STAP_SDT_V1/V2 markers (tests/targets/sdt_legacy.c), as Debian's stap -l/-L prints
# them for this target: V2 lists "$argN:long" per the entry's argument count; stap resolves V1
# markers as DWARF statement probes, so -L shows the variables in scope there (the old macros'
# arg1.. first). provider("") is any provider; V1 markers have the provider "". A misspelt
# marker: stap's "no match" with the similar V1/V2 names.
t=$TARGETS
U() { "$USTAP" "$@" 2>&1 | sed "s|$t/|TARGETS/|g"; }
U -L "process(\"$t/sdt_legacy\").mark(\"*\")"
U -l "process(\"$t/sdt_legacy-O2\").provider(\"\").mark(\"*\")"
U -L "process(\"$t/sdt_legacy-O2\").provider(\"ustapl\").mark(\"v2_[rs]*\")"
U -l "process(\"$t/sdt_legacy\").provider(\"ust*\").mark(\"v1*\")"
U -p2 -e 'probe process(@1).mark("v2_regz") {}' "$t/sdt_legacy"

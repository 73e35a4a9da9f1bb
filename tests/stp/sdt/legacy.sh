#!/bin/bash
# STAP_SDT_V1/V2 markers (the .probes section, tests/targets/sdt_legacy.c) at -O0 (operands in
# memory) and -O2 (registers, constants): V2's $argN from the entry's operand string, read as
# signed longs as stap's sdt_uprobe_var_expanding_visitor does ("%rax", "-24(%rbp)", "$-5",
# "g_word(%rip)"), $$parms from the entry's argument count; V1 has neither provider nor count:
# $$provider and $$parms are "", $argN are the DWARF locals arg1, arg2 at the marker.
# Semaphores: V2's from the entry, else (V2 with a 0 slot, V1) stap's PROVIDER_NAME_semaphore /
# NAME_semaphore symbols; the target counts the rounds its guarded paths saw them set, so the
# second run, probing v2_bysym alone, sets that one only.
t=$TARGETS
for b in sdt_legacy sdt_legacy-O2; do
	echo "== $b"
	"$USTAP" -e 'probe process(@1).mark("v2_none"), process(@1).mark("v1*") {
	printf("%s [%s] [%s]\n", $$name, $$provider, $$parms) }
probe process(@1).mark("v2_regs") { printf("%s.%s %d %d %d: %s\n", $$provider, $$name, $arg1, $arg2, $arg3, $$parms) }
probe process(@1).provider("ustapl").mark("v2_const") { printf("%s %d %d\n", $$name, $arg1, $arg2) }
probe process(@1).mark("v2_mem") { printf("%s %d %d\n", $$name, $arg1, $arg2) }
probe process(@1).mark("v2_sem"), process(@1).mark("v2_bysym") { printf("%s %d\n", $$name, $arg1) }
probe process(@1).mark("v1_args") { printf("%s %d %d\n", $$name, $arg1, $arg2) }' "$t/$b" -c "$t/$b" 2>&1
	"$USTAP" -e 'probe process(@1).mark("v2_bysym") { printf("%s %d\n", $$name, $arg1) }' "$t/$b" -c "$t/$b" 2>&1
done

#!/bin/bash
# Markers in i386 programs (gcc -m32): V3 notes with i386 operands (tests/targets/sdt_m32.c:
# -O0 "-4@8(%ebp)", -O2 "-4@%ebx", "1@%edx") read with stap's i386 register table, and the
# V1/V2 .probes entries of sdt_legacy32 (4-byte addresses in 8-byte slots). stap's value rules:
# a 1-byte memory operand is user_int8 (-O0's unsigned 201 reads -55), a register is masked
# to its width (-O2's "-8@%esi" long long: its low 32 bits). V2 operands are the target's
# signed long (4 bytes here; $arg2 of v2_mem, "g_word@GOTOFF(%ecx)", is not one stap reads).
# Semaphores as on x86_64. -L as stap -L prints it for this target.
t=$TARGETS
for b in sdt_m32 sdt_m32-O2; do
	echo "== $b"
	"$USTAP" -e 'probe process(@1).mark("args") { printf("%s %d %d %d %d\n", $$name, $arg1, $arg2, $arg3, $arg4) }
probe process(@1).provider("ustapm").mark("wide") { printf("%s %d %d: %s\n", $$name, $arg1, $arg2, $$parms) }' \
		"$t/$b" -c "$t/$b" 2>&1
done
for b in sdt_legacy32 sdt_legacy32-O2; do
	echo "== $b"
	"$USTAP" -e 'probe process(@1).mark("v2_regs") { printf("%s %d %d %d: %s\n", $$name, $arg1, $arg2, $arg3, $$parms) }
probe process(@1).mark("v2_const") { printf("%s %d %d\n", $$name, $arg1, $arg2) }
probe process(@1).mark("v2_mem") { printf("%s %d\n", $$name, $arg1) }
probe process(@1).mark("v2_sem"), process(@1).mark("v2_bysym") { printf("%s %d\n", $$name, $arg1) }
probe process(@1).mark("v1_args") { printf("%s %d %d [%s]\n", $$name, $arg1, $arg2, $$provider) }' "$t/$b" -c "$t/$b" 2>&1
done
"$USTAP" -L "process(\"$t/sdt_legacy32-O2\").mark(\"v*_[as]*\")" 2>&1 | sed "s|$t/|TARGETS/|g"
# v2_mem's "g_word@GOTOFF(%ecx)": not an operand stap reads (its V2 parser takes the '@' for
# V3's size and stops with "bad lexical cast"); ustap names the whole operand, then DWARF
"$USTAP" -p2 -e 'probe process(@1).mark("v2_mem") { println($arg2) }' "$t/sdt_legacy32" 2>&1 | head -1

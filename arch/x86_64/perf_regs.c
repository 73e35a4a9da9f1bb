/*
** x86_64 registers as perf_event samples them (asm/perf_regs.h: AX=0 ... FLAGS=9, CS, SS,
** DS..GS (not sampled on 64-bit), R8=16 ... R15=23), by DWARF number.
*/
#include <stdint.h>

#include "arch.h"

/* DWARF 0..16: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip */
static const int8_t dw2perf[17] = { 0, 3, 2, 1, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 8 };

int arch_perf_pc_regno(void)
{
	return 8;   /* IP */
}

uint64_t arch_perf_regs_mask(void)
{
	return 0xfff | 0xffULL << 16;   /* AX..SS, R8..R15 */
}

int arch_perf_regno(int dwregno)
{
	return dwregno >= 0 && dwregno < 17 ? dw2perf[dwregno] : -1;
}

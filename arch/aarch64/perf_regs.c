/*
** aarch64 registers as perf_event samples them (asm/perf_regs.h: X0..X30 = 0..30, SP = 31,
** PC = 32), by DWARF number (x0..x30 = 0..30, sp = 31).
*/
#include <stdint.h>

#include "arch.h"

int arch_perf_pc_regno(void)
{
	return 32;   /* PC */
}

uint64_t arch_perf_regs_mask(void)
{
	return (1ULL << 33) - 1;
}

int arch_perf_regno(int dwregno)
{
	return dwregno >= 0 && dwregno <= 31 ? dwregno : -1;
}

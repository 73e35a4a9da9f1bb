/*
** aarch64 out-of-line execution and emulation: a slot is the original instruction and a B back
** to the next one (so slots live within +-128MB of the code); pc-relative instructions are
** emulated on the saved registers.
*/
#include <string.h>
#include <asm/ptrace.h>

#include "arch.h"
#include "a64.h"

#define R(r) ((struct user_pt_regs *)(r)->r)

uint64_t arch_xol_reach(void) { return 128ull << 20; }

int arch_xol_build(const struct arch_insn *in, uint64_t addr, uint64_t slot, uint8_t *out)
{
	int64_t d = (int64_t)(addr + 4) - (int64_t)(slot + 4);
	if (d < -(128ll << 20) || d >= (128ll << 20))
		return -1;
	uint32_t b = 0x14000000 | ((uint32_t)(d >> 2) & 0x3ffffff);
	memcpy(out, in->bytes, 4);
	memcpy(out + 4, &b, 4);
	return 8;
}

uint64_t arch_xol_unmap_pc(const struct arch_insn *in, uint64_t addr, uint64_t slot, uint64_t pc)
{
	if (pc == slot)
		return addr;
	if (pc == slot + 4)
		return addr + 4;
	return 0;
}

static bool cond(uint64_t ps, int c)
{
	bool n = ps >> 31 & 1, z = ps >> 30 & 1, cf = ps >> 29 & 1, v = ps >> 28 & 1, r;
	switch (c >> 1) {
	case 0: r = z; break;
	case 1: r = cf; break;
	case 2: r = n; break;
	case 3: r = v; break;
	case 4: r = cf && !z; break;
	case 5: r = n == v; break;
	case 6: r = n == v && !z; break;
	default: return true;
	}
	return (c & 1) ? !r : r;
}

static uint64_t xreg(struct arch_regs *r, int n) { return n == 31 ? 0 : R(r)->regs[n]; }

int arch_emulate(const struct arch_insn *in, uint64_t addr, struct arch_regs *r,
                 const struct arch_mem *m)
{
	uint32_t w;
	memcpy(&w, in->bytes, 4);
	int rt = w & 31;
	uint64_t next = addr + 4, v = 0;
	switch (in->op) {
	case A64_BL:
		R(r)->regs[30] = next;
		/* fall through */
	case A64_B:
		R(r)->pc = addr + in->imm;
		break;
	case A64_BCOND:
		R(r)->pc = cond(R(r)->pstate, w & 15) ? addr + in->imm : next;
		break;
	case A64_CBZ: {
		uint64_t x = xreg(r, rt);
		if (!(w >> 31))
			x &= 0xffffffff;
		bool nz = w >> 24 & 1;
		R(r)->pc = (nz ? x != 0 : x == 0) ? addr + in->imm : next;
		break;
	}
	case A64_TBZ: {
		int bit = (int)((w >> 31) << 5 | ((w >> 19) & 31));
		bool set = xreg(r, rt) >> bit & 1, nz = w >> 24 & 1;
		R(r)->pc = (nz ? set : !set) ? addr + in->imm : next;
		break;
	}
	case A64_ADR:
		R(r)->regs[rt] = (w >> 31) ? (addr & ~0xfffull) + ((uint64_t)in->imm << 12) : addr + in->imm;
		R(r)->pc = next;
		break;
	case A64_LDRLIT: {
		int opc = w >> 30;
		if (opc == 3) {          /* PRFM: a hint */
			R(r)->pc = next;
			break;
		}
		if (m->read(m->arg, addr + in->imm, &v, opc == 0 || opc == 2 ? 4 : 8) < 0)
			return -1;
		if (opc == 0)
			v &= 0xffffffff;
		else if (opc == 2)
			v = (uint64_t)(int64_t)(int32_t)v;
		if (rt != 31)
			R(r)->regs[rt] = v;
		R(r)->pc = next;
		break;
	}
	case A64_BLR:
		v = xreg(r, (w >> 5) & 31);
		R(r)->regs[30] = next;
		R(r)->pc = v;
		break;
	case A64_NOP:
		R(r)->pc = next;
		break;
	default:
		return -1;
	}
	return 0;
}

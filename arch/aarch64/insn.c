/*
** aarch64 instruction classes for breakpoints: every instruction is 4 bytes; the pc-relative
** ones (B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, ADR/ADRP, LDR literal) and BLR are emulated,
** BRK, FP literal loads and exclusives are refused, everything else runs out of line
** followed by a B back (within +-128MB).
*/
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "a64.h"

static int64_t sx(uint64_t v, int bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

int arch_decode(struct arch_insn *in, const uint8_t *p, size_t n, uint64_t addr)
{
	memset(in, 0, sizeof(*in));
	in->rip_off = -1;
	if (n < 4) {
		snprintf(in->why, sizeof(in->why), "truncated");
		in->kind = ARCH_REFUSE;
		return -1;
	}
	uint32_t w;
	memcpy(&w, p, 4);
	memcpy(in->bytes, p, 4);
	in->len = 4;
	in->kind = ARCH_EMULATE;
	if ((w & 0x7c000000) == 0x14000000) {            /* B, BL */
		in->op = w >> 31 ? A64_BL : A64_B;
		in->imm = sx(w & 0x3ffffff, 26) * 4;
	} else if ((w & 0xff000010) == 0x54000000) {     /* B.cond */
		in->op = A64_BCOND;
		in->imm = sx((w >> 5) & 0x7ffff, 19) * 4;
	} else if ((w & 0x7e000000) == 0x34000000) {     /* CBZ, CBNZ */
		in->op = A64_CBZ;
		in->imm = sx((w >> 5) & 0x7ffff, 19) * 4;
	} else if ((w & 0x7e000000) == 0x36000000) {     /* TBZ, TBNZ */
		in->op = A64_TBZ;
		in->imm = sx((w >> 5) & 0x3fff, 14) * 4;
	} else if ((w & 0x1f000000) == 0x10000000) {     /* ADR, ADRP */
		in->op = A64_ADR;
		in->imm = sx(((w >> 5) & 0x7ffff) << 2 | ((w >> 29) & 3), 21);
	} else if ((w & 0x3b000000) == 0x18000000 && !(w & 0x04000000)) {   /* LDR literal */
		in->op = A64_LDRLIT;
		in->imm = sx((w >> 5) & 0x7ffff, 19) * 4;
	} else if ((w & 0x3b000000) == 0x18000000) {     /* LDR s/d/q literal: FP registers */
		in->kind = ARCH_REFUSE;
		snprintf(in->why, sizeof(in->why), "pc-relative FP literal load");
	} else if ((w & 0x3f000000) == 0x08000000) {     /* load/store exclusive class */
		/* a trap between ldxr and stxr clears the monitor: the loop would never end
		   (Linux's uprobes refuse them too) */
		in->kind = ARCH_REFUSE;
		snprintf(in->why, sizeof(in->why), "exclusive load/store");
	} else if ((w & 0xfffffc1f) == 0xd63f0000) {     /* BLR */
		in->op = A64_BLR;
	} else if (w == 0xd503201f) {                    /* NOP */
		in->op = A64_NOP;
	} else if ((w & 0xffe0001f) == 0xd4200000) {     /* BRK */
		in->kind = ARCH_REFUSE;
		snprintf(in->why, sizeof(in->why), "breakpoint instruction");
	} else {
		in->kind = ARCH_XOL;
		in->rip_off = 0;   /* the jump back is pc-relative: the slot must be near */
	}
	(void)addr;
	return 0;
}

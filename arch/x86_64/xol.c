/*
** x86_64 out-of-line execution and emulation: an XOL slot holds the relocated instruction
** (RIP-relative displacement re-aimed from the slot) and an absolute jump back, which clobbers
** no register; branches, calls, push, ret and nops are emulated on the saved registers.
** i386 code (X86_F_32): a jmp rel32 back (any address is in reach), 4-byte stack words.
*/
#include <string.h>
#include <sys/user.h>

#include "arch.h"
#include "x86.h"

#define U(r) ((struct user_regs_struct *)(r)->r)

/* ModRM register number -> DWARF number */
static const int enc2dw[16] = { 0, 2, 1, 3, 7, 6, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15 };

uint64_t arch_xol_reach(void) { return 0x7fff0000ull; }

int arch_xol_build(const struct arch_insn *in, uint64_t addr, uint64_t slot, uint8_t *out)
{
	memcpy(out, in->bytes, in->len);
	if (in->rip_off >= 0) {
		int32_t d;
		memcpy(&d, in->bytes + in->rip_off, 4);
		int64_t nd = (int64_t)d + (int64_t)(addr - slot);
		if (nd != (int32_t)nd)
			return -1;
		d = (int32_t)nd;
		memcpy(out + in->rip_off, &d, 4);
	}
	int n = in->len;
	if (in->flags & X86_F_32) {
		int32_t rel = (int32_t)(uint32_t)(addr + in->len - (slot + n + 5));
		out[n] = 0xe9;
		memcpy(out + n + 1, &rel, 4);
		return n + 5;
	}
	static const uint8_t jmp[6] = { 0xff, 0x25, 0, 0, 0, 0 };   /* jmp *0(%rip) */
	memcpy(out + n, jmp, 6);
	uint64_t back = addr + in->len;
	memcpy(out + n + 6, &back, 8);
	return n + 14;
}

uint64_t arch_xol_unmap_pc(const struct arch_insn *in, uint64_t addr, uint64_t slot, uint64_t pc)
{
	if (pc == slot)
		return addr;
	if (pc == slot + in->len)
		return addr + in->len;
	return 0;
}

static bool cond(uint64_t fl, int cc)
{
	bool cf = fl & 1, pf = fl & 4, zf = fl & 0x40, sf = fl & 0x80, of = fl & 0x800, r;
	switch (cc >> 1) {
	case 0: r = of; break;
	case 1: r = cf; break;
	case 2: r = zf; break;
	case 3: r = cf || zf; break;
	case 4: r = sf; break;
	case 5: r = pf; break;
	case 6: r = sf != of; break;
	default: r = zf || sf != of; break;
	}
	return (cc & 1) ? !r : r;
}

static int push(struct arch_regs *r, const struct arch_mem *m, uint64_t v, int w)
{
	uint64_t sp = U(r)->rsp - (uint64_t)w;
	if (m->write(m->arg, sp, &v, (size_t)w) < 0)
		return -1;
	U(r)->rsp = sp;
	return 0;
}

/* i386: the address of the ModRM memory operand of in (opcode at byte 0, no prefixes) from
   the registers: base + index * scale + disp, or an absolute disp32 (mod 00, rm/base 101). */
static uint64_t ea32(const struct arch_insn *in, const struct arch_regs *r)
{
	const uint8_t *p = in->bytes + 1;
	int m = *p++, mod = m >> 6, rm = m & 7;
	uint64_t a = 0, v;
	if (rm == 4) {
		int sib = *p++, base = sib & 7, idx = (sib >> 3) & 7;
		if (idx != 4 && arch_reg_get(r, idx, &v) == 0)
			a += v << (sib >> 6);
		rm = base;
	}
	if (mod == 0 && rm == 5) {
		int32_t d;
		memcpy(&d, p, 4);
		return (uint32_t)(a + (uint64_t)(int64_t)d);
	}
	if (arch_reg_get(r, rm, &v) == 0)
		a += v;
	if (mod == 1)
		a += (uint64_t)(int64_t)(int8_t)*p;
	else if (mod == 2) {
		int32_t d;
		memcpy(&d, p, 4);
		a += (uint64_t)(int64_t)d;
	}
	return (uint32_t)a;
}

static int emulate_one(const struct arch_insn *in, uint64_t next, struct arch_regs *r,
                       const struct arch_mem *m, int op, bool twobyte, int w)
{
	uint64_t v = 0;
	int reg = w == 4 ? (int)(in->imm & 7) : enc2dw[in->imm & 15];   /* i386: DWARF = ModRM */
	if (op == 0x90) {
		U(r)->rip = next;
	} else if (!twobyte && op == 0xe8) {
		if (push(r, m, next, w) < 0)
			return -1;
		U(r)->rip = next + in->imm;
	} else if (!twobyte && (op == 0xe9 || op == 0xeb)) {
		U(r)->rip = next + in->imm;
	} else if ((!twobyte && op >= 0x70 && op <= 0x7f) || (twobyte && op >= 0x80 && op <= 0x8f)) {
		U(r)->rip = cond(U(r)->eflags, op & 0xf) ? next + in->imm : next;
	} else if (op >= 0x50 && op <= 0x57) {
		arch_reg_get(r, reg, &v);
		if (push(r, m, v, w) < 0)
			return -1;
		U(r)->rip = next;
	} else if (op == 0xc3) {
		if (m->read(m->arg, U(r)->rsp, &v, (size_t)w) < 0)
			return -1;
		U(r)->rsp += (uint64_t)w;
		U(r)->rip = v;
	} else if (op == 0xff) {        /* call *reg or call *disp(%rip) */
		if ((in->aux >> 6) == 3) {
			arch_reg_get(r, reg, &v);
		} else if (w == 4) {   /* i386 call *mem: esp as it is before the push */
			if (m->read(m->arg, ea32(in, r), &v, 4) < 0)
				return -1;
		} else {
			int32_t d;
			memcpy(&d, in->bytes + in->rip_off, 4);
			if (m->read(m->arg, next + d, &v, 8) < 0)
				return -1;
		}
		if (push(r, m, next, w) < 0)
			return -1;
		U(r)->rip = v;
	} else {
		return -1;
	}
	return 0;
}

int arch_emulate(const struct arch_insn *in, uint64_t addr, struct arch_regs *r,
                 const struct arch_mem *m)
{
	uint64_t next = addr + in->len;
	int op = in->op;
	bool twobyte = in->flags & X86_F_0F, m32 = in->flags & X86_F_32;
	int w = m32 ? 4 : 8;
	if (emulate_one(in, next, r, m, op, twobyte, w) < 0)
		return -1;
	if (m32)
		U(r)->rip &= 0xffffffffull;
	return 0;
}

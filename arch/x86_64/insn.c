/*
** x86_64 instruction decoding for breakpoints: length (prefixes, REX, VEX/EVEX, ModRM, SIB,
** displacement, immediate), where a RIP-relative displacement sits, and the class the engine
** needs: run out of line, emulate (branches, calls, push, nop), or refuse (Linux uprobes'
** branch_setup_xol_ops/uprobe_init_insn play this role in the kernel). i386 code (compat
** mode): no REX (0x40-0x4f are inc/dec), mod 00 rm 101 is an absolute disp32.
*/
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "x86.h"

enum { M = 1, I8 = 2, I16 = 4, IZ = 8, IV = 16, BAD = 32 };

/* One-byte map: operand-encoding flags by opcode. */
static uint8_t map1(int op)
{
	int lo = op & 7;
	if (op < 0x40) {
		if ((op & 0xf) == 0xf)
			return 0;           /* 0F escape, handled before */
		if ((lo == 6 || lo == 7))
			return op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e ? 0 : BAD;
		return lo < 4 ? M : lo == 4 ? I8 : IZ;
	}
	if (op < 0x60)
		return 0;                   /* REX (consumed earlier), push/pop */
	switch (op) {
	case 0x60: case 0x61: case 0x62: case 0x82: case 0x9a: case 0xc4: case 0xc5: case 0xce:
	case 0xd4: case 0xd5: case 0xd6: case 0xea:
		return BAD;
	case 0x63: return M;
	case 0x68: return IZ;
	case 0x69: return M | IZ;
	case 0x6a: return I8;
	case 0x6b: return M | I8;
	case 0x80: case 0x83: case 0xc0: case 0xc1: case 0xc6: return M | I8;
	case 0x81: case 0xc7: return M | IZ;
	case 0xa8: return I8;
	case 0xa9: return IZ;
	case 0xc2: case 0xca: return I16;
	case 0xc8: return I16 | I8;
	case 0xcd: return I8;
	case 0xe8: case 0xe9: return IZ;
	case 0xeb: return I8;
	case 0xe4: case 0xe5: case 0xe6: case 0xe7: return I8;
	}
	if (op >= 0x70 && op <= 0x7f) return I8;
	if (op >= 0x84 && op <= 0x8f) return M;
	if (op >= 0xb0 && op <= 0xb7) return I8;
	if (op >= 0xb8 && op <= 0xbf) return IV;
	if (op >= 0xd0 && op <= 0xd3) return M;
	if (op >= 0xd8 && op <= 0xdf) return M;
	if (op >= 0xe0 && op <= 0xe3) return I8;
	if (op == 0xf6 || op == 0xf7 || op == 0xfe || op == 0xff) return M;
	return 0;
}

/* Two-byte map (0F xx). */
static uint8_t map2(int op)
{
	if (op >= 0x80 && op <= 0x8f) return IZ;
	switch (op) {
	case 0x04: case 0x0a: case 0x0c: case 0x24: case 0x25: case 0x26: case 0x27:
	case 0x36: case 0x39: case 0x3b: case 0x3c: case 0x3d: case 0x3e: case 0x3f:
		return BAD;
	case 0x05: case 0x06: case 0x07: case 0x08: case 0x09: case 0x0b: case 0x0e:
	case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x37:
	case 0x77: case 0xa0: case 0xa1: case 0xa2: case 0xa8: case 0xa9: case 0xaa:
		return 0;
	case 0x0f: return M | I8;
	case 0x70: case 0x71: case 0x72: case 0x73: case 0xa4: case 0xac: case 0xba:
	case 0xc2: case 0xc4: case 0xc5: case 0xc6:
		return M | I8;
	}
	if (op >= 0xc8 && op <= 0xcf) return 0;
	return M;
}

static int imm_len(int fl, bool w, bool opsize16)
{
	int n = 0;
	if (fl & I8) n += 1;
	if (fl & I16) n += 2;
	if (fl & IZ) n += opsize16 ? 2 : 4;
	if (fl & IV) n += w ? 8 : opsize16 ? 2 : 4;
	return n;
}

static int refuse(struct arch_insn *in, const char *why)
{
	in->kind = ARCH_REFUSE;
	snprintf(in->why, sizeof(in->why), "%s", why);
	return 0;
}

/* ModRM, SIB and displacement at p[i]; sets rip_off. Returns the new index or -1. */
static int modrm(struct arch_insn *in, const uint8_t *p, int i, int n, bool m32)
{
	if (i >= n)
		return -1;
	int m = p[i++], mod = m >> 6, rm = m & 7;
	in->flags |= X86_F_MODRM;
	in->aux = m;
	if (mod == 3)
		return i;
	if (rm == 4) {
		if (i >= n)
			return -1;
		int sib = p[i++];
		if (mod == 0 && (sib & 7) == 5)
			return i + 4;
	} else if (mod == 0 && rm == 5) {
		if (!m32)
			in->rip_off = i;
		return i + 4;
	}
	return i + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static int64_t sext(const uint8_t *p, int len)
{
	int8_t b; int16_t h; int32_t w; int64_t q;
	switch (len) {
	case 1: memcpy(&b, p, 1); return b;
	case 2: memcpy(&h, p, 2); return h;
	case 4: memcpy(&w, p, 4); return w;
	default: memcpy(&q, p, 8); return q;
	}
}

static void classify(struct arch_insn *in, int map, int op, int opi, int immi, bool rex_b)
{
	const uint8_t *p = in->bytes;
	int ilen = in->len - immi;
	in->kind = ARCH_XOL;
	in->op = op;
	if (map == 1) {
		if (op == 0xe8 || op == 0xe9 || op == 0xeb || (op >= 0x70 && op <= 0x7f)) {
			in->kind = ARCH_EMULATE;
			in->imm = sext(p + immi, ilen);
			return;
		}
		if (op >= 0x50 && op <= 0x57 && opi == 0 + (in->flags & X86_F_REX ? 1 : 0)) {
			in->kind = ARCH_EMULATE;
			in->imm = (op & 7) | (rex_b ? 8 : 0);
			return;
		}
		if (op == 0x90 && !rex_b) {
			in->kind = ARCH_EMULATE;
			return;
		}
		if (op == 0xc3) {
			in->kind = ARCH_EMULATE;
			return;
		}
		if (op >= 0xe0 && op <= 0xe3) { refuse(in, "loop/jrcxz"); return; }
		if (op == 0xcc || op == 0xcd || op == 0xf1) { refuse(in, "interrupt instruction"); return; }
		if (op == 0xc2 || op == 0xca || op == 0xcb || op == 0xcf) { refuse(in, "far/imm return"); return; }
		if (op == 0xff) {
			int reg = (in->aux >> 3) & 7;
			if (reg == 2) {   /* call *r/m: the pushed address must be the original's */
				if ((in->aux >> 6) == 3 || in->rip_off >= 0 ||
				    ((in->flags & X86_F_32) && opi == 0)) {   /* i386: any address form */
					in->kind = ARCH_EMULATE;
					in->imm = (in->aux & 7) | (rex_b ? 8 : 0);
					return;
				}
				refuse(in, "indirect call through memory");
			}
			if (reg == 3 || reg == 5)
				refuse(in, "far call/jmp");
		}
		return;
	}
	if (map == 2) {
		in->flags |= X86_F_0F;
		if (op >= 0x80 && op <= 0x8f) {
			in->kind = ARCH_EMULATE;
			in->imm = sext(p + immi, ilen);
			return;
		}
		if (op == 0x1f || (op == 0x1e && (in->aux == 0xfa || in->aux == 0xfb))) {   /* nopw / endbr */
			in->kind = ARCH_EMULATE;
			in->op = 0x90;
			return;
		}
	}
}

int arch_decode(struct arch_insn *in, const uint8_t *p, size_t n, uint64_t addr)
{
	return arch_decode_mode(in, p, n, addr, 0);
}

/* i386 opcodes the x86_64 tables call invalid: those with no operand bytes run out of line;
   LES/LDS/BOUND (not VEX/EVEX when ModRM's mod is not 3) and far branches are refused. */
static int legacy32(struct arch_insn *in, const uint8_t *p, int i, int n)
{
	int op = p[i];
	if (op == 0xc4 || op == 0xc5 || op == 0x62)
		return i + 1 < n && (p[i + 1] & 0xc0) != 0xc0 ? (refuse(in, "les/lds/bound"), -1) : 0;
	switch (op) {
	case 0x06: case 0x07: case 0x0e: case 0x16: case 0x17: case 0x1e: case 0x1f:
	case 0x27: case 0x2f: case 0x37: case 0x3f: case 0x60: case 0x61:
		in->len = (uint8_t)(i + 1);
		memcpy(in->bytes, p, in->len);
		in->kind = ARCH_XOL;
		in->op = op;
		return 1;
	case 0x9a: case 0xea: case 0xce:
		return refuse(in, "far branch"), -1;
	}
	return 0;
}

int arch_decode_mode(struct arch_insn *in, const uint8_t *p, size_t n, uint64_t addr, int mode)
{
	(void)addr;
	memset(in, 0, sizeof(*in));
	bool m32 = mode == 1;
	in->rip_off = -1;
	if (n > ARCH_MAX_INSN)
		n = ARCH_MAX_INSN;
	int i = 0, map = 1, op, fl, opi;
	bool opsize16 = false, a32 = false, w = false, rex_b = false, vex = false;
	for (; i < (int)n; i++) {
		int b = p[i];
		if (b == 0x66) opsize16 = true;
		else if (b == 0x67) a32 = true;
		else if (b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x3e ||
		         b == 0x26 || b == 0x36 || b == 0x64 || b == 0x65)
			;
		else
			break;
	}
	if (m32) {
		in->flags |= X86_F_32;
		if (a32)
			return refuse(in, "16-bit addressing"), 0;
		int l = i < (int)n ? legacy32(in, p, i, (int)n) : 0;
		if (l)
			return l > 0 ? 0 : -1;
	}
	if (!m32 && i < (int)n && (p[i] & 0xf0) == 0x40) {
		w = p[i] & 8;
		rex_b = p[i] & 1;
		in->flags |= X86_F_REX;
		i++;
	}
	if (i >= (int)n)
		return refuse(in, "truncated"), -1;
	if (p[i] == 0xc4 || p[i] == 0xc5 || p[i] == 0x62) {
		int pre = p[i] == 0xc5 ? 1 : p[i] == 0xc4 ? 2 : 3;
		if (i + pre + 1 >= (int)n)
			return refuse(in, "truncated"), -1;
		map = p[i] == 0xc5 ? 1 : (p[i + 1] & (p[i] == 0x62 ? 3 : 0x1f));
		if (map < 1 || map > 3)
			return refuse(in, "unknown VEX map"), -1;
		vex = true;
		i += pre + 1;
		map += 1;           /* 2: 0F, 3: 0F38, 4: 0F3A */
	} else if (p[i] == 0x0f) {
		i++;
		map = 2;
		if (i < (int)n && (p[i] == 0x38 || p[i] == 0x3a)) {
			map = p[i] == 0x38 ? 3 : 4;
			i++;
		}
	}
	if (i >= (int)n)
		return refuse(in, "truncated"), -1;
	op = p[i];
	opi = i++;
	if (map == 1) fl = map1(op);
	else if (map == 2) fl = map2(op);
	else fl = map == 3 ? M : M | I8;
	if (vex && map == 2 && (op >= 0x80 && op <= 0x8f))
		fl = M;             /* no jcc in VEX space */
	if (fl & BAD)
		return refuse(in, "invalid opcode"), -1;
	if (fl & M) {
		i = modrm(in, p, i, n, m32);
		if (i < 0)
			return refuse(in, "truncated"), -1;
	}
	if (map == 1 && (op == 0xf6 || op == 0xf7) && ((in->aux >> 3) & 7) < 2)
		fl |= op == 0xf6 ? I8 : IZ;
	if (map == 1 && op >= 0xa0 && op <= 0xa3)
		fl |= m32 ? IZ : a32 ? IZ : IV, w = !m32;
	int immi = i;
	i += imm_len(fl, w, opsize16 && !(map == 1 && (op == 0xe8 || op == 0xe9)));
	if (i > (int)n || i > 15)
		return refuse(in, "truncated"), -1;
	in->len = i;
	memcpy(in->bytes, p, i);
	classify(in, map, op, opi, immi, rex_b);
	if (opsize16 && in->kind == ARCH_EMULATE && in->op != 0x90)
		return refuse(in, "16-bit operand branch"), 0;
	return 0;
}

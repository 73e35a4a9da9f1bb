/*
** User stacks of an i386 program (gcc -m32 on x86_64), which libunwind's x86_64 build cannot
** step: each frame by its module's call frame information (dw_module_cfi: .debug_frame, else
** .eh_frame; i386 DWARF register numbers), else by the frame-pointer chain (the caller's
** ebp at [ebp], the return address at [ebp+4]).
*/
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "dwarf.h"
#include "dwarf_int.h"
#include "unwind.h"

#define NREG 9                /* eax ecx edx ebx esp ebp esi edi eip */
#define R_ESP 4
#define R_EBP 5
#define R_EIP 8

struct frame32 {
	uint64_t r[NREG];
	bool have[NREG];
};

static int rd32(struct ctx *c, uint64_t addr, uint64_t *v)
{
	uint32_t w;
	if (c->ops->read(c, addr, &w, 4) != 0)
		return -1;
	*v = c->ops->fix_ret ? c->ops->fix_ret(c, addr, w) : w;   /* a .return's trampoline */
	return 0;
}

/* The DWARF expressions CFI uses for CFA and saved registers: register + offset, the CFA, small
   arithmetic. 0 with *out, *is_val (a DW_OP_stack_value result), or -1. */
static int eval(struct ctx *c, const Dwarf_Op *ops, size_t n, const struct frame32 *f,
                uint64_t cfa, uint64_t *out, bool *is_val)
{
	uint64_t st[8];
	int sp = 0;
	*is_val = false;
	for (size_t i = 0; i < n; i++) {
		uint8_t a = ops[i].atom;
		if (sp >= 7)
			return -1;
		if (a >= DW_OP_breg0 && a <= DW_OP_breg0 + R_EIP) {
			if (!f->have[a - DW_OP_breg0])
				return -1;
			st[sp++] = (uint32_t)(f->r[a - DW_OP_breg0] + ops[i].number);
		} else if (a == DW_OP_bregx) {   /* libdw's form of a register + offset CFA rule */
			if (ops[i].number >= NREG || !f->have[ops[i].number])
				return -1;
			st[sp++] = (uint32_t)(f->r[ops[i].number] + ops[i].number2);
		} else if (a == DW_OP_call_frame_cfa) {
			st[sp++] = cfa;
		} else if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
			st[sp++] = a - DW_OP_lit0;
		} else if (a == DW_OP_consts || a == DW_OP_constu || a == DW_OP_const1u ||
		           a == DW_OP_const1s || a == DW_OP_const2u || a == DW_OP_const2s ||
		           a == DW_OP_const4u || a == DW_OP_const4s) {
			st[sp++] = ops[i].number;
		} else if (a == DW_OP_plus_uconst && sp > 0) {
			st[sp - 1] += ops[i].number;
		} else if (a == DW_OP_deref && sp > 0) {
			if (rd32(c, st[sp - 1], &st[sp - 1]) < 0)
				return -1;
		} else if (sp > 1 && (a == DW_OP_plus || a == DW_OP_minus || a == DW_OP_and ||
		                      a == DW_OP_shl || a == DW_OP_ge)) {
			uint64_t y = st[--sp], x = st[sp - 1];
			st[sp - 1] = a == DW_OP_plus ? x + y : a == DW_OP_minus ? x - y :
			             a == DW_OP_and ? x & y : a == DW_OP_shl ? x << y : (int64_t)x >= (int64_t)y;
		} else if (a == DW_OP_stack_value) {
			*is_val = true;
		} else {
			return -1;
		}
	}
	if (sp != 1)
		return -1;
	*out = (uint32_t)st[0];
	return 0;
}

/* One step by CFI: the caller's registers in nf. 0, 1 (the outermost frame), or -1 (no CFI). */
static int step_cfi(struct ctx *c, Dwarf_CFI *cfi, uint64_t at, const struct frame32 *f,
                    struct frame32 *nf)
{
	Dwarf_Frame *fr;
	Dwarf_Op *ops, mem[3];
	size_t nops;
	uint64_t cfa, v;
	bool is_val;
	if (!cfi || dwarf_cfi_addrframe(cfi, at, &fr) != 0)
		return -1;
	int rc = -1, ra = dwarf_frame_info(fr, NULL, NULL, NULL);
	if (ra < 0 || ra >= NREG || dwarf_frame_cfa(fr, &ops, &nops) != 0 ||
	    eval(c, ops, nops, f, 0, &cfa, &is_val) < 0)
		goto out;
	memset(nf, 0, sizeof(*nf));
	for (int r = 0; r < NREG; r++) {
		int k = dwarf_frame_register(fr, r, mem, &ops, &nops);
		if (k < 0)
			continue;
		if (nops == 0 && !ops) {                /* libdw: same value (ops set: undefined) */
			nf->r[r] = f->r[r];
			nf->have[r] = f->have[r];
		} else if (nops && eval(c, ops, nops, f, cfa, &v, &is_val) == 0 &&
		           (is_val || k == 1 || rd32(c, v, &v) == 0)) {
			nf->r[r] = v;
			nf->have[r] = true;
		}
	}
	nf->r[R_ESP] = cfa;
	nf->have[R_ESP] = true;
	nf->r[R_EIP] = nf->r[ra];
	nf->have[R_EIP] = nf->have[ra];
	rc = nf->have[R_EIP] ? 0 : 1;
out:
	free(fr);
	return rc;
}

static int step_fp(struct ctx *c, const struct frame32 *f, struct frame32 *nf)
{
	uint64_t bp = f->r[R_EBP], nbp, ret;
	if (!f->have[R_EBP] || !bp || (bp & 3) || bp < f->r[R_ESP] ||
	    rd32(c, bp, &nbp) < 0 || rd32(c, bp + 4, &ret) < 0)
		return 1;
	*nf = *f;
	nf->r[R_EBP] = nbp;
	nf->r[R_ESP] = bp + 8;
	nf->r[R_EIP] = ret;
	return 0;
}

int unw_ustack32(struct ctx *c, uint64_t *pcs, int max)
{
	struct frame32 f, nf;
	int n = 0;
	if (!c->ops || !c->ops->reg || !c->ops->read || max <= 0)
		return -1;
	for (int r = 0; r < NREG; r++)
		f.have[r] = c->ops->reg(c, r, &f.r[r]) == 0;
	f.r[R_EIP] = c->ops->pc ? c->ops->pc(c) : f.r[R_EIP];
	dw_pid_note(c->sess, c->pid);
	while (n < max && f.r[R_EIP]) {
		pcs[n++] = f.r[R_EIP];
		uint64_t bias = 0;
		struct dw_module *m = dw_addr_module(c->sess, c->pid, f.r[R_EIP], &bias);
		Dwarf_CFI *cfi = m ? dw_module_cfi(m) : NULL;   /* cached per module */
		/* a return address is after its call: look up the call's own pc */
		int rc = step_cfi(c, cfi, f.r[R_EIP] - bias - (n > 1), &f, &nf);
		if (rc < 0)
			rc = step_fp(c, &f, &nf);
		if (rc != 0 || nf.r[R_ESP] <= f.r[R_ESP])   /* the stack only grows back up */
			break;
		f = nf;
	}
	return n;
}

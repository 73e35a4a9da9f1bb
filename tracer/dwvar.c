/*
** $target variables: at elaboration, find the variable (scopes at the probe pc, globals,
** @var, @cast), take its DWARF location valid at that pc (and the frame base and CFA rule
** it needs), and compile ->field / [i] / & into a short step list; at a hit, evaluate that
** against the thread's registers and memory. No DWARF is touched at the hit.
*/
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "context.h"
#include "dwarf_int.h"
#include "dwvar.h"
#include "session.h"

/* ---- elaboration: copying locations ---- */

static struct dwloc loc_copy(struct arena *a, const Dwarf_Op *ops, size_t n)
{
	struct dwloc l = { (int)n, arena_alloc(a, (n ? n : 1) * sizeof(struct dwop)) };
	for (size_t i = 0; i < n; i++)
		l.ops[i] = (struct dwop){ ops[i].atom, ops[i].number, ops[i].number2 };
	return l;
}

/* The CFA rule at pc, for DW_OP_call_frame_cfa (gcc's usual frame base). */
static bool cfa_at(struct dw_module *m, struct arena *a, uint64_t pc, struct dwloc *out)
{
	Dwarf_CFI *cfi = dw_module_cfi(m);
	Dwarf_Frame *fr;
	Dwarf_Op *ops;
	size_t n;

	if (!cfi || dwarf_cfi_addrframe(cfi, pc, &fr) != 0)
		return false;
	bool ok = dwarf_frame_cfa(fr, &ops, &n) == 0 && n > 0;
	if (ok)
		*out = loc_copy(a, ops, n);
	free(fr);
	return ok;
}

/* Frame base of the function around scopes (DW_AT_frame_base at pc). */
static void frame_base(struct dw_module *m, struct arena *a, Dwarf_Die *scopes, int n,
                       uint64_t pc, struct dwv *v)
{
	for (int i = 0; i < n; i++) {
		Dwarf_Attribute at;
		Dwarf_Op *ops;
		size_t len;
		int tag = dwarf_tag(&scopes[i]);
		if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine)
			continue;
		if (!dwarf_attr_integrate(&scopes[i], DW_AT_frame_base, &at))
			continue;
		if (dwarf_getlocation_addr(&at, pc, &ops, &len, 1) == 1 && len > 0)
			v->fb = loc_copy(a, ops, len);
		break;
	}
	cfa_at(m, a, pc, &v->cfa);
}

/* ---- hit: evaluating a location ---- */

struct evalst {
	struct ctx *c;
	const struct dwv *v;
	uint64_t stack[32];
	int sp;
};

static int rd(struct ctx *c, uint64_t addr, void *buf, size_t n)
{
	if (c->ops->read(c, addr, buf, n) == 0)
		return 0;
	snprintf(c->err, sizeof c->err, "read fault [man error::fault] at 0x%llx",
	         (unsigned long long)addr);
	return -1;
}

static int wr(struct ctx *c, uint64_t addr, const void *buf, size_t n)
{
	if (c->ops->write(c, addr, buf, n) == 0)
		return 0;
	snprintf(c->err, sizeof c->err, "write fault [man error::fault] at 0x%llx",
	         (unsigned long long)addr);
	return -1;
}

static int reg_now(struct ctx *c, int no, uint64_t *val)
{
	if (c->ops->reg(c, no, val) == 0)
		return 0;
	snprintf(c->err, sizeof c->err, "register access fault [man error::fault]");
	return -1;
}

static int reg_entry(struct ctx *c, int no, uint64_t *val)
{
	if (!c->ops->entry_reg) {
		snprintf(c->err, sizeof c->err, "entry values of parameters are not available in "
		         ".return probes here");
		return -1;
	}
	if (c->ops->entry_reg(c, no, val) == 0)
		return 0;
	snprintf(c->err, sizeof c->err, "register access fault [man error::fault]");
	return -1;
}

static int reg(struct evalst *e, int no, uint64_t *val)
{
	return e->v->at_entry ? reg_entry(e->c, no, val) : reg_now(e->c, no, val);
}

static int eval_ops(struct evalst *e, const struct dwloc *l, struct place *out);

static int push(struct evalst *e, uint64_t x)
{
	if (e->sp >= 32) {
		snprintf(e->c->err, sizeof e->c->err, "DWARF expression stack overflow");
		return -1;
	}
	e->stack[e->sp++] = x;
	return 0;
}

static int frame_base_val(struct evalst *e, uint64_t *fb)
{
	struct place p;
	const struct dwloc *l = &e->v->fb;

	if (l->n == 1 && l->ops[0].atom == DW_OP_call_frame_cfa)
		l = &e->v->cfa;
	if (!l->n) {
		snprintf(e->c->err, sizeof e->c->err, "no frame base at this address");
		return -1;
	}
	struct evalst sub = { e->c, e->v, { 0 }, 0 };
	if (eval_ops(&sub, l, &p) < 0)
		return -1;
	*fb = p.v;      /* DW_OP_bregN frame bases give an address-valued result */
	return 0;
}

static int eval_binop(struct evalst *e, uint8_t op)
{
	if (e->sp < 2)
		return -1;
	uint64_t b = e->stack[--e->sp], a = e->stack[e->sp - 1], r;
	switch (op) {
	case DW_OP_plus: r = a + b; break;
	case DW_OP_minus: r = a - b; break;
	case DW_OP_mul: r = a * b; break;
	case DW_OP_and: r = a & b; break;
	case DW_OP_or: r = a | b; break;
	case DW_OP_xor: r = a ^ b; break;
	case DW_OP_shl: r = a << (b & 63); break;
	case DW_OP_shr: r = a >> (b & 63); break;
	case DW_OP_shra: r = (uint64_t)((int64_t)a >> (b & 63)); break;
	default: return -1;
	}
	e->stack[e->sp - 1] = r;
	return 0;
}

/* Load bias of the variable's module: the probed one, or @var's "module". */
static int var_bias(struct evalst *e, uint64_t *bias)
{
	*bias = e->c->mod_bias;
	if (!e->v->other || dw_module_bias(e->c->sess, e->c->pid, e->v->other, bias) == 0)
		return 0;
	snprintf(e->c->err, sizeof e->c->err, "module %s is not mapped in pid %d",
	         dw_module_path(e->v->other), e->c->pid);
	return -1;
}

static int eval_one(struct evalst *e, const struct dwop *o, struct place *out, bool *done)
{
	uint64_t x;
	uint8_t a = o->atom;

	if (a >= DW_OP_lit0 && a <= DW_OP_lit31)
		return push(e, a - DW_OP_lit0);
	if (a >= DW_OP_reg0 && a <= DW_OP_reg31) {
		if (reg(e, a - DW_OP_reg0, &x) < 0)
			return -1;
		*out = (struct place){ true, x };
		*done = true;
		return 0;
	}
	if (a >= DW_OP_breg0 && a <= DW_OP_breg31)
		return reg(e, a - DW_OP_breg0, &x) < 0 ? -1 : push(e, x + (int64_t)o->n1);
	switch (a) {
	case DW_OP_addr:
		return var_bias(e, &x) < 0 ? -1 : push(e, o->n1 + x);
	case DW_OP_form_tls_address: case DW_OP_GNU_push_tls_address: {
		uint64_t bias;
		if (!e->sp || var_bias(e, &bias) < 0 ||
		    dwtls_addr(e->c, &e->v->tls, bias, e->stack[e->sp - 1], &x) < 0)
			return -1;
		e->stack[e->sp - 1] = x;
		return 0;
	}
	case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u: case DW_OP_const8u:
	case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s: case DW_OP_const8s:
	case DW_OP_constu: case DW_OP_consts:
		return push(e, o->n1);
	case DW_OP_regx:
		if (reg(e, (int)o->n1, &x) < 0)
			return -1;
		*out = (struct place){ true, x };
		*done = true;
		return 0;
	case DW_OP_bregx:
		return reg(e, (int)o->n1, &x) < 0 ? -1 : push(e, x + (int64_t)o->n2);
	case DW_OP_fbreg:
		return frame_base_val(e, &x) < 0 ? -1 : push(e, x + (int64_t)o->n1);
	case DW_OP_call_frame_cfa: {
		struct evalst sub = { e->c, e->v, { 0 }, 0 };
		struct place p;
		return eval_ops(&sub, &e->v->cfa, &p) < 0 ? -1 : push(e, p.v);
	}
	case DW_OP_plus_uconst:
		if (!e->sp)
			return -1;
		e->stack[e->sp - 1] += o->n1;
		return 0;
	case DW_OP_dup: return e->sp ? push(e, e->stack[e->sp - 1]) : -1;
	case DW_OP_drop: return e->sp ? (e->sp--, 0) : -1;
	case DW_OP_over: return e->sp > 1 ? push(e, e->stack[e->sp - 2]) : -1;
	case DW_OP_swap:
		if (e->sp < 2)
			return -1;
		x = e->stack[e->sp - 1];
		e->stack[e->sp - 1] = e->stack[e->sp - 2];
		e->stack[e->sp - 2] = x;
		return 0;
	case DW_OP_neg: return e->sp ? (e->stack[e->sp - 1] = -e->stack[e->sp - 1], 0) : -1;
	case DW_OP_not: return e->sp ? (e->stack[e->sp - 1] = ~e->stack[e->sp - 1], 0) : -1;
	case DW_OP_deref: case DW_OP_deref_size: {
		size_t n = a == DW_OP_deref ? 8 : o->n1;
		x = 0;
		if (!e->sp || n > 8 || rd(e->c, e->stack[e->sp - 1], &x, n) < 0)
			return -1;
		e->stack[e->sp - 1] = x;
		return 0;
	}
	case DW_OP_stack_value:
		if (!e->sp)
			return -1;
		*out = (struct place){ true, e->stack[e->sp - 1] };
		*done = true;
		return 0;
	case DW_OP_piece:      /* the first piece only: enough for scalars split by gcc */
		*done = true;
		if (e->sp)
			*out = (struct place){ false, e->stack[e->sp - 1] };
		return e->sp || out->is_val ? 0 : -1;
	case DW_OP_nop: return 0;
	default:
		if (eval_binop(e, a) == 0)
			return 0;
		snprintf(e->c->err, sizeof e->c->err, "unsupported DWARF operation 0x%x", a);
		return -1;
	}
}

static int eval_ops(struct evalst *e, const struct dwloc *l, struct place *out)
{
	bool done = false;

	*out = (struct place){ 0 };
	for (int i = 0; i < l->n && !done; i++)
		if (eval_one(e, &l->ops[i], out, &done) < 0) {
			if (!e->c->err[0])
				snprintf(e->c->err, sizeof e->c->err, "bad DWARF location expression");
			return -1;
		}
	if (!done) {
		if (!e->sp)
			return -1;
		*out = (struct place){ false, e->stack[e->sp - 1] };
	}
	return 0;
}

/* n bytes at place p: target memory, or a constant block (DW_AT_const_value) */
static int place_rd(struct ctx *c, const struct place *p, void *buf, size_t n)
{
	if (!p->blk)
		return rd(c, p->v, buf, n);
	if (p->v > p->blklen || n > p->blklen - p->v) {
		snprintf(c->err, sizeof c->err, "read past the end of a constant value (offset %llu)",
		         (unsigned long long)p->v);
		return -1;
	}
	memcpy(buf, p->blk + p->v, n);
	return 0;
}

/* A location of pieces (DW_OP_piece: a value split between registers, constants and memory;
   DW_OP_implicit_value) assembled into p->cbuf; an empty piece (optimized out) reads as 0. */
static int eval_composite(struct evalst *e, const struct dwloc *l, struct place *p)
{
	size_t len = 0;

	memset(p->cbuf, 0, sizeof p->cbuf);
	for (int i = 0, start = 0; i <= l->n; i++) {
		if (i < l->n && l->ops[i].atom != DW_OP_piece)
			continue;
		const struct dwop *seg = l->ops + start;
		int segn = i - start;
		bool implicit = segn == 1 && seg[0].atom == DW_OP_implicit_value;
		if (i == l->n && !segn)
			break;
		size_t n = i < l->n ? l->ops[i].n1 : implicit ? seg[0].n1 : 8;
		start = i + 1;
		if (n > sizeof p->cbuf - len) {
			snprintf(e->c->err, sizeof e->c->err, "DWARF pieces larger than %zu bytes",
			         sizeof p->cbuf);
			return -1;
		}
		if (implicit) {
			memcpy(p->cbuf + len, (const void *)(uintptr_t)seg[0].n2, n < seg[0].n1 ? n : seg[0].n1);
		} else if (segn) {
			struct dwloc sub = { segn, (struct dwop *)seg };
			struct evalst s2 = { e->c, e->v, { 0 }, 0 };
			struct place q;
			if (eval_ops(&s2, &sub, &q) < 0)
				return -1;
			if (q.is_val)
				memcpy(p->cbuf + len, &q.v, n < 8 ? n : 8);
			else if (rd(e->c, q.v, p->cbuf + len, n) < 0)
				return -1;
		}
		len += n;
	}
	p->is_val = false;
	p->v = 0;
	p->blk = p->cbuf;
	p->blklen = len;
	return 0;
}

/* The base place of v at this hit: a register/stack value or a memory address. */
int dwv_base(struct ctx *c, const struct dwv *v, const int64_t *idx, struct place *p)
{
	struct evalst e = { c, v, { 0 }, 0 };

	switch (v->base) {
	case B_CONST:
		*p = (struct place){ true, (uint64_t)v->cval };
		return 0;
	case B_CONSTBLK:
		*p = (struct place){ false, 0, v->cblk, v->cblk_len };
		return 0;
	case B_PTRARG:
		*p = (struct place){ false, (uint64_t)idx[0] };
		return 0;
	case B_RETREG:
		*p = (struct place){ true, 0 };
		if (v->ret_pair) {
			uint64_t lo, hi;
			if (reg_now(c, v->retreg, &lo) < 0 || reg_now(c, 2, &hi) < 0)   /* 2: edx */
				return -1;
			p->v = (uint32_t)lo | hi << 32;
			return 0;
		}
		return reg_now(c, v->retreg, &p->v);
	default:
		return v->composite ? eval_composite(&e, &v->loc, p) : eval_ops(&e, &v->loc, p);
	}
}

/* Apply the ->field / [i] steps. */
int dwv_walk(struct ctx *c, const struct dwv *v, const int64_t *idx, struct place *p)
{
	for (int i = 0; i < v->nsteps; i++) {
		const struct step *s = &v->steps[i];
		uint64_t x;
		switch (s->kind) {
		case ST_DEREF:
			x = 0;   /* n: the pointer's size, 4 in an i386 program (0: 8) */
			if (p->is_val)
				x = p->v;
			else if (place_rd(c, p, &x, s->n == 4 ? 4 : 8) < 0)
				return -1;
			*p = (struct place){ false, x };
			break;
		case ST_ADD:
			p->v += s->n;
			break;
		case ST_INDEX:
			p->v += (uint64_t)(idx[s->idx] * s->n);
			break;
		}
	}
	return 0;
}

/* A scalar of size bytes (and maybe a bitfield) at p. */
int dwv_scalar(struct ctx *c, const struct scalar *sc, const struct place *p, int64_t *out)
{
	uint64_t x = 0;

	if (p->is_val)
		x = p->v;
	else if (place_rd(c, p, &x, sc->size > 8 ? 8 : sc->size) < 0)
		return -1;
	if (sc->bitsize) {
		x >>= sc->bitoff;
		x &= sc->bitsize >= 64 ? ~0ULL : (1ULL << sc->bitsize) - 1;
		if (sc->is_signed && (x >> (sc->bitsize - 1)) & 1)
			x |= ~0ULL << sc->bitsize;
	} else if (sc->size < 8) {
		int bits = sc->size * 8;
		x &= (1ULL << bits) - 1;
		if (sc->is_signed && (x >> (bits - 1)) & 1)
			x |= ~0ULL << bits;
	}
	*out = (int64_t)x;
	return 0;
}

static int tv_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *s)
{
	const struct dwv *v = tv->data;
	struct place p;

	if (v->fin == FIN_VARS)
		return dwv_vars(c, v, s);
	if (dwv_base(c, v, idx, &p) < 0 || dwv_walk(c, v, idx, &p) < 0)
		return -1;
	switch (v->fin) {
	case FIN_ADDR:
		if (p.blk) {
			snprintf(c->err, sizeof c->err, "a constant value has no address");
			return -1;
		}
		*l = (int64_t)p.v;
		return 0;
	case FIN_PRETTY:
		return dwv_pretty(c, v, &p, s);
	default:
		return dwv_scalar(c, &v->sc, &p, l);
	}
}

static int tv_write(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t l,
                    const char *s)
{
	const struct dwv *v = tv->data;
	struct place p;

	if (dwv_base(c, v, idx, &p) < 0 || dwv_walk(c, v, idx, &p) < 0)
		return -1;
	if (p.blk) {
		snprintf(c->err, sizeof c->err, "cannot write to a constant value");
		return -1;
	}
	if (p.is_val) {
		if (v->base == B_LOC && v->loc.n == 1 && v->loc.ops[0].atom >= DW_OP_reg0 &&
		    v->loc.ops[0].atom <= DW_OP_reg31 && !v->nsteps)
			return c->ops->set_reg(c, v->loc.ops[0].atom - DW_OP_reg0, (uint64_t)l);
		snprintf(c->err, sizeof c->err, "cannot write to a computed value");
		return -1;
	}
	if (v->sc.bitsize) {
		uint64_t x = 0, mask = ((v->sc.bitsize >= 64 ? 0 : 1ULL << v->sc.bitsize) - 1)
		                       << v->sc.bitoff;
		if (rd(c, p.v, &x, v->sc.size) < 0)
			return -1;
		x = (x & ~mask) | (((uint64_t)l << v->sc.bitoff) & mask);
		return wr(c, p.v, &x, v->sc.size);
	}
	return wr(c, p.v, &l, v->sc.size);
}

void dwv_bind(struct dwv *v, struct tvar *out, bool writable)
{
	out->type = v->fin == FIN_PRETTY || v->fin == FIN_VARS ? TY_STRING : TY_LONG;
	out->read = tv_read;
	out->write = writable ? tv_write : NULL;
	out->data = v;
}

/* Location of variable die at pc into v (B_LOC or B_CONST). 0, or -1 with why set. */
int dwv_locate(struct dw_module *m, struct arena *a, Dwarf_Die *var, Dwarf_Die *scopes,
               int nscopes, uint64_t pc, struct dwv *v, const char **why)
{
	Dwarf_Attribute at;
	Dwarf_Op *ops;
	size_t n;

	if (dwarf_attr_integrate(var, DW_AT_const_value, &at)) {
		Dwarf_Sword sv;
		Dwarf_Block b;
		v->base = B_CONST;
		if (dwarf_formsdata(&at, &sv) == 0) {
			v->cval = sv;
			return 0;
		}
		if (dwarf_formblock(&at, &b) == 0 && b.length) {   /* a struct or array constant */
			uint8_t *copy = arena_alloc(a, b.length);
			memcpy(copy, b.data, b.length);
			v->base = B_CONSTBLK;
			v->cblk = copy;
			v->cblk_len = b.length;
			return 0;
		}
		*why = "unsupported constant value";
		return -1;
	}
	if (!dwarf_attr_integrate(var, DW_AT_location, &at)) {
		*why = "failed to retrieve location attribute";
		return -1;
	}
	if (dwarf_getlocation_addr(&at, pc, &ops, &n, 1) != 1 || n == 0) {
		*why = "not accessible at this address";
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (ops[i].atom == DW_OP_GNU_entry_value || ops[i].atom == DW_OP_entry_value ||
		    ops[i].atom == DW_OP_implicit_pointer || ops[i].atom == DW_OP_GNU_implicit_pointer) {
			*why = "not accessible at this address";
			return -1;
		}
	for (size_t i = 0; i < n; i++)
		if ((ops[i].atom == DW_OP_form_tls_address ||
		     ops[i].atom == DW_OP_GNU_push_tls_address) && dwtls_layout(&v->tls) < 0) {
			*why = "thread-local storage layout of this C library is unknown";
			return -1;
		}
	v->base = B_LOC;
	v->loc = loc_copy(a, ops, n);
	for (size_t i = 0; i < n; i++) {
		Dwarf_Block b;
		v->composite |= ops[i].atom == DW_OP_piece || ops[i].atom == DW_OP_implicit_value;
		if (ops[i].atom != DW_OP_implicit_value)
			continue;
		v->loc.ops[i].n1 = 0;       /* n2: a copy of its bytes, n1 their count */
		if (dwarf_getlocation_implicit_value(&at, &ops[i], &b) == 0 && b.length) {
			uint8_t *copy = arena_alloc(a, b.length);
			memcpy(copy, b.data, b.length);
			v->loc.ops[i].n1 = b.length;
			v->loc.ops[i].n2 = (uint64_t)(uintptr_t)copy;
		}
	}
	frame_base(m, a, scopes, nscopes, pc, v);
	return 0;
}

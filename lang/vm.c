/*
** The interpreter loop: a stack machine over typed opcodes, dispatched Lua-style through
** vmcase/vmbreak (computed goto with gcc). `pc` points at the executing opcode until the
** case advances it, so an error anywhere in a case knows its own position.
*/
#include "vm.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "builtins.h"
#include "context.h"
#include "lang.h"
#include "map.h"
#include "printf.h"
#include "regex.h"
#include "session.h"
#include "stats.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Copy at most slen-1 bytes (stap's strlcpy into a string_t); src may overlap dst. */
static inline void scopy(char *dst, const char *src, int64_t slen)
{
	if (dst == src)
		return;
	size_t n = strnlen(src, (size_t)slen - 1);
	memmove(dst, src, n);
	dst[n] = 0;
}

static void concat(char *dst, const char *a, const char *b, int64_t slen)
{
	size_t max = (size_t)slen - 1;
	size_t na = strnlen(a, max);
	size_t nb = strnlen(b, max - na);
	if (dst != a)
		memmove(dst, a, na);
	memmove(dst + na, b, nb);
	dst[na + nb] = 0;
}

static int mem_read(void *ud, uint64_t addr, void *buf, size_t len)
{
	struct ctx *c = ud;
	if (!c || !c->ops || !c->ops->read)
		return -1;
	return c->ops->read(c, addr, buf, len);
}

/* Keys of a map operation from the stack (strings point into the caller's values). */
static void keys_of(struct map *m, const union val *v, int n, struct mval *keys)
{
	const char *sig = map_keysig(m);
	for (int i = 0; i < n; i++) {
		if (sig[i] == 's')
			keys[i].s = v[i].s;
		else
			keys[i].l = v[i].l;
	}
}

/* Set up a new activation's slots: strings own buffers; params are copied into theirs. */
static inline void init_slots(const struct proto *p, union val *base, char *str, int64_t slen)
{
	int k = 0;
	for (int i = 0; i < p->nlocals; i++) {
		if (p->strslot[i]) {
			char *buf = str + (int64_t)k++ * slen;
			if (i < p->nparams)
				scopy(buf, base[i].s, slen);
			else
				buf[0] = 0;
			base[i].s = buf;
		} else if (i >= p->nparams) {
			base[i].l = 0;
		}
	}
}

static int64_t div_floor(int64_t a, int64_t b)
{
	if (b == -1)
		return (int64_t)(0 - (uint64_t)a);   /* INT64_MIN / -1 wraps, as the kernel's */
	return a / b;
}

static int64_t mod_floor(int64_t a, int64_t b)
{
	if (b == -1)
		return 0;
	return a % b;
}

static int do_bicall(struct vm *vm, const struct builtin *b, union val *args, int n, int smask,
		     char *ret)
{
	struct bi_call *c = &vm->bc;
	c->sess = vm->sess;
	c->ctx = vm->ctx;
	c->nargs = n;
	for (int i = 0; i < n && i < BI_MAXARGS; i++) {
		if (smask & (1 << i)) {
			c->s[i] = args[i].s;
			c->l[i] = 0;
		} else {
			c->l[i] = args[i].l;
			c->s[i] = NULL;
		}
	}
	c->ret_l = 0;
	c->ret_s = ret;
	ret[0] = 0;
	c->maxstringlen = (int)vm->slen - 1;
	c->err[0] = 0;
	int rc = b->fn(c);
	if (rc == BI_ABORT)
		return BI_ABORT;
	if (rc < 0) {
		snprintf(vm->err, sizeof vm->err, "%s", c->err[0] ? c->err : "error");
		return -1;
	}
	return 0;
}

static int do_printf(struct vm *vm, const struct fmt *f, union val *args, int n, char *dst)
{
	struct mval mv[64];
	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++) {
		if (f->argtypes[i] == 's')
			mv[i].s = args[i].s;
		else
			mv[i].l = args[i].l;
	}
	struct strbuf *out = &vm->prbuf;
	sb_reset(out);
	int r = dst ? fmt_sprintf(out, f, mv, (size_t)vm->slen, mem_read, vm->ctx, vm->err,
				  sizeof vm->err)
		    : fmt_format(out, f, mv, mem_read, vm->ctx, vm->err, sizeof vm->err);
	if (r < 0)
		return -1;
	if (dst)
		scopy(dst, out->buf ? out->buf : "", vm->slen);
	else if (out->len)
		sess_write(vm->sess, out->buf, out->len);
	return 0;
}

static int do_statop(struct vm *vm, const struct gvar *g, union val *gv, union val *keys, int n,
		     int op, int64_t *out)
{
	const struct stat *st;
	if (n == 0) {
		st = gv->p;
	} else {
		struct mval k[MAP_MAXKEYS];
		keys_of(gv->p, keys, n, k);
		st = map_get(gv->p, k);
	}
	if (!st || st->count == 0) {
		/* @sum of nothing is 0 since stap 1.5 (PR 2142+2610), an error before */
		if (op == STAT_COUNT || (op == STAT_SUM && lang_has_version(vm->sess, "1.5"))) {
			*out = 0;
			return 0;
		}
		scopy(vm->err, STAT_EMPTY_MSG, sizeof vm->err);
		return -1;
	}
	if (stat_get(n > 0 ? map_stat_spec(gv->p) : &g->spec, st, (enum stat_op)op, out) < 0) {
		scopy(vm->err, STAT_EMPTY_MSG, sizeof vm->err);
		return -1;
	}
	return 0;
}

static int do_bucket(struct vm *vm, const struct gvar *g, union val *gv, union val *keys, int n,
		     int64_t b, int64_t *out)
{
	const struct stat *st = gv->p;
	const struct stat_spec *sp = &g->spec;
	if (n > 0) {
		struct mval k[MAP_MAXKEYS];
		keys_of(gv->p, keys, n, k);
		st = map_get(gv->p, k);
		sp = map_stat_spec(gv->p);
	}
	if (!st || st->count == 0) {
		scopy(vm->err, STAT_EMPTY_MSG, sizeof vm->err);   /* absentstats: as @min etc. */
		return -1;
	}
	if (b < 0 || b >= sp->buckets) {
		scopy(vm->err, STAT_HIST_RANGE_MSG, sizeof vm->err);
		return -1;
	}
	*out = 0;
	if (stat_hist_bucket(sp, st, b, out) < 0) {
		scopy(vm->err, STAT_HIST_RANGE_MSG, sizeof vm->err);
		return -1;
	}
	return 0;
}

/* -DHIST_ELISION=N (stap's runtime macro), else its default 2 */
static int hist_elision(const struct session *s)
{
	for (int i = s->opt.ndefines - 1; i >= 0; i--)
		if (!strncmp(s->opt.defines[i], "HIST_ELISION=", 13))
			return (int)strtol(s->opt.defines[i] + 13, NULL, 0);
	return 2;
}

static int do_hist(struct vm *vm, const struct gvar *g, union val *gv, union val *keys, int n,
		   char *dst)
{
	if (dst)
		dst[0] = 0;
	const struct stat *st = gv->p;
	if (n > 0) {
		struct mval k[MAP_MAXKEYS];
		keys_of(gv->p, keys, n, k);
		st = map_get(gv->p, k);
	}
	struct strbuf *out = &vm->prbuf;
	sb_reset(out);
	/* stap (translate.cxx, PR 2142): an absent or empty aggregate's histogram is an error */
	const struct stat_spec *sp = n > 0 ? map_stat_spec(gv->p) : &g->spec;
	if (!st || stat_print_hist_elision(out, sp, st, hist_elision(vm->sess)) < 0) {
		scopy(vm->err, STAT_EMPTY_MSG, sizeof vm->err);
		return -1;
	}
	if (dst)
		scopy(dst, out->buf ? out->buf : "", vm->slen);
	else if (out->len)
		sess_write(vm->sess, out->buf, out->len);
	return 0;
}

/* Does entry e match a slice? vals: the given columns' values in order, mask: given ones. */
static bool slice_match(struct map *m, int e, const union val *vals, int mask)
{
	const char *sig = map_keysig(m);
	int j = 0;
	for (int i = 0; sig[i]; i++) {
		if (!(mask & (1 << i)))
			continue;
		if (sig[i] == 's' ? strcmp(map_key_s(m, e, i), vals[j].s) != 0
				  : map_key_l(m, e, i) != vals[j].l)
			return false;
		j++;
	}
	return true;
}

static bool slice_in(struct map *m, const union val *vals, int mask)
{
	for (int e = map_first(m); e >= 0; e = map_next(m, e))
		if (slice_match(m, e, vals, mask))
			return true;
	return false;
}

static void slice_delete(struct map *m, const union val *vals, int mask)
{
	struct mval k[MAP_MAXKEYS];
	int e = map_first(m);
	while (e >= 0) {
		int next = map_next(m, e);
		if (slice_match(m, e, vals, mask)) {
			map_keys(m, e, k);
			map_delete(m, k);
		}
		e = next;
	}
}

static void iter_start(struct vm *vm, union val *it, struct map *m, int c, int64_t limit)
{
	int col = ITER_COL(c);
	if (col)
		map_sort(m, col == ITER_VALCOL ? 0 : col, (c & ITER_DESC) ? -1 : 1,
			 (c >> ITER_AGG_SHIFT) ? (enum stat_op)((c >> ITER_AGG_SHIFT) - 1) : STAT_COUNT,
			 (c & ITER_LIMIT) ? limit : 0);
	it[0].l = map_first(m);
	it[1].l = (c & ITER_LIMIT) ? (limit < 0 ? 0 : limit) : -1;
	it[2].p = m;
}

static void clear_global(struct vm *vm, const struct gvar *g, union val *gv)
{
	switch (g->kind) {
	case G_LONG: gv->l = 0; break;
	case G_STRING: ((char *)gv->p)[0] = 0; break;
	case G_MAP: case G_STATMAP: map_clear(gv->p); break;
	case G_STATS: stat_clear(&g->spec, gv->p); break;
	}
}

/* ---- the loop ---- */

#define vmfetch()   goto *disptab[*pc]
#define vmcase(l)   L_##l:
#define vmbreak     vmfetch()
#define NEXT(n)     do { pc += 1 + (n); vmbreak; } while (0)
#define A1          ((int32_t)pc[1])
#define A2          ((int32_t)pc[2])
#define A3          ((int32_t)pc[3])
#define A4          ((int32_t)pc[4])
#define TEMP(t)     (fr->str + ((int64_t)p->nstrlocal + (t)) * slen)
#define RAISE(...)  do { snprintf(vm->err, sizeof vm->err, __VA_ARGS__); goto error; } while (0)
#define RAISED()    goto error
#define JUMP(t)     do { pc = p->code + (t); vmbreak; } while (0)
#define COUNT(n)    do { if (unlikely((vm->remaining -= (n)) <= 0) && vm->budget > 0) \
				RAISE("MAXACTION exceeded"); } while (0)

int vm_run(struct vm *vm, const struct proto *entry, struct ctx *c)
{
	static const void *const disptab[OP__COUNT] = {
#define OPDEF_LABEL(name, ops, eff, doc) &&L_OP_##name,
		OPCODES(OPDEF_LABEL)
#undef OPDEF_LABEL
	};
	struct script *sc = vm->sc;
	const int64_t slen = vm->slen;
	union val *gv = vm->gv;
	vm->ctx = c;
	vm->remaining = vm->budget > 0 ? vm->budget : INT64_MAX;
	vm->ntries = 0;
	vm->err[0] = 0;
	vm->errpos = NULL;
	vm->depth = 0;
	vm->next = false;
	struct frame *fr = &vm->frames[0];
	const struct proto *p = entry;
	fr->p = p;
	fr->base = vm->stack;
	fr->str = vm->strarea;
	fr->retbuf = NULL;
	union val *base = fr->base;
	init_slots(p, base, fr->str, slen);
	union val *sp = base + p->nlocals;
	const uint32_t *pc = p->code;
	vmfetch();

	vmcase(OP_NOP) NEXT(0);
	vmcase(OP_PUSHI) { sp->l = A1; sp++; NEXT(1); }
	vmcase(OP_PUSHK) { sp->l = sc->k[A1]; sp++; NEXT(1); }
	vmcase(OP_PUSHS) { sp->s = sc->str[A1]; sp++; NEXT(1); }
	vmcase(OP_POP) { sp--; NEXT(0); }
	vmcase(OP_DUP) { *sp = sp[-1]; sp++; NEXT(0); }
	vmcase(OP_LOADL) { *sp++ = base[A1]; NEXT(1); }
	vmcase(OP_STOREL) { base[A1] = *--sp; NEXT(1); }
	vmcase(OP_STORELS) { sp--; scopy((char *)base[A1].s, sp->s, slen); NEXT(1); }
	vmcase(OP_LOADG) { *sp++ = gv[A1]; NEXT(1); }
	vmcase(OP_LOADGS) { *sp++ = gv[A1]; NEXT(1); }
	vmcase(OP_STOREG) { gv[A1] = *--sp; NEXT(1); }
	vmcase(OP_STOREGS) { sp--; scopy(gv[A1].p, sp->s, slen); NEXT(1); }
	vmcase(OP_APPENDL) {
		char *dst = (char *)base[A1].s;
		sp--;
		concat(dst, dst, sp->s, slen);
		NEXT(1);
	}
	vmcase(OP_ADDLI) { base[A1].l = (int64_t)((uint64_t)base[A1].l + (uint64_t)(int64_t)A2); NEXT(2); }
	vmcase(OP_ADDL) { sp--; base[A1].l = (int64_t)((uint64_t)base[A1].l + (uint64_t)sp->l); NEXT(1); }
	vmcase(OP_ADDG) { sp--; gv[A1].l = (int64_t)((uint64_t)gv[A1].l + (uint64_t)sp->l); NEXT(1); }
#define ARITH(op, expr) vmcase(op) { sp--; int64_t a = sp[-1].l, b = sp->l; (void)a; (void)b; \
		sp[-1].l = (expr); NEXT(0); }
	ARITH(OP_ADD, (int64_t)((uint64_t)a + (uint64_t)b))
	ARITH(OP_SUB, (int64_t)((uint64_t)a - (uint64_t)b))
	ARITH(OP_MUL, (int64_t)((uint64_t)a * (uint64_t)b))
	ARITH(OP_SHL, (int64_t)((uint64_t)a << (b & 63)))
	ARITH(OP_SHR, a >> (b & 63))
	ARITH(OP_SHRU, (int64_t)((uint64_t)a >> (b & 63)))
	ARITH(OP_BAND, a & b)
	ARITH(OP_BOR, a | b)
	ARITH(OP_BXOR, a ^ b)
	ARITH(OP_LT, a < b)
	ARITH(OP_LE, a <= b)
	ARITH(OP_GT, a > b)
	ARITH(OP_GE, a >= b)
	ARITH(OP_EQ, a == b)
	ARITH(OP_NE, a != b)
	vmcase(OP_DIV) {
		if (unlikely(sp[-1].l == 0))
			RAISE("division by 0");
		sp--;
		sp[-1].l = div_floor(sp[-1].l, sp->l);
		NEXT(0);
	}
	vmcase(OP_MOD) {
		if (unlikely(sp[-1].l == 0))
			RAISE("division by 0");
		sp--;
		sp[-1].l = mod_floor(sp[-1].l, sp->l);
		NEXT(0);
	}
	vmcase(OP_MODI) { sp[-1].l %= A1; NEXT(1); }
	vmcase(OP_NEG) { sp[-1].l = (int64_t)(0 - (uint64_t)sp[-1].l); NEXT(0); }
	vmcase(OP_BNOT) { sp[-1].l = ~sp[-1].l; NEXT(0); }
	vmcase(OP_NOT) { sp[-1].l = !sp[-1].l; NEXT(0); }
	vmcase(OP_SCMP) {
		sp--;
		int r = strcmp(sp[-1].s, sp->s);
		int64_t v = 0;
		switch (A1) {
		case 0: v = r < 0; break;
		case 1: v = r <= 0; break;
		case 2: v = r > 0; break;
		case 3: v = r >= 0; break;
		case 4: v = r == 0; break;
		default: v = r != 0; break;
		}
		sp[-1].l = v;
		NEXT(1);
	}
	vmcase(OP_CONCAT) {
		char *dst = TEMP(A1);
		sp--;
		concat(dst, sp[-1].s, sp->s, slen);
		sp[-1].s = dst;
		NEXT(1);
	}
	vmcase(OP_JMP) JUMP(A1);
	vmcase(OP_JZ) { if ((--sp)->l == 0) JUMP(A1); NEXT(1); }
	vmcase(OP_JNZ) { if ((--sp)->l != 0) JUMP(A1); NEXT(1); }
	vmcase(OP_JGELI) { if (base[A1].l >= A2) JUMP(A3); NEXT(3); }
	vmcase(OP_ACT) { COUNT(A1); NEXT(1); }
	vmcase(OP_LOOP) { COUNT(A1); JUMP(A2); }
	vmcase(OP_CALL) {
		const struct proto *callee = sc->funcs[A1];
		int n = A2, t = A3;
		if (unlikely(vm->depth + 1 >= vm->maxdepth))
			RAISE("MAXNESTING exceeded");
		fr->ret_pc = pc + 4;
		char *retbuf = t >= 0 ? TEMP(t) : NULL;
		char *str = fr->str + ((int64_t)p->nstrlocal + p->ntemps) * slen;
		fr = &vm->frames[++vm->depth];
		fr->p = p = callee;
		fr->base = base = sp - n;
		fr->str = str;
		fr->retbuf = retbuf;
		init_slots(p, base, str, slen);
		sp = base + p->nlocals;
		pc = p->code;
		vmbreak;
	}
	vmcase(OP_NEXTRET) vmcase(OP_RETV) vmcase(OP_RET) {
		union val v = { .l = 0 };
		vm->next = *pc == OP_NEXTRET;
		bool has = p->ret == TY_LONG || p->ret == TY_STRING;
		if (*pc == OP_RETV)
			v = sp[-1];
		if (p->ret == TY_STRING) {
			if (*pc == OP_RETV)
				scopy(fr->retbuf, v.s, slen);
			else
				fr->retbuf[0] = 0;
			v.s = fr->retbuf;
		}
		while (vm->ntries > 0 && vm->tries[vm->ntries - 1].depth >= vm->depth)
			vm->ntries--;
		sp = base;
		fr = &vm->frames[--vm->depth];
		p = fr->p;
		base = fr->base;
		pc = fr->ret_pc;
		if (has)
			*sp++ = v;
		vmbreak;
	}
	vmcase(OP_JNONEXT) {
		if (!vm->next)
			JUMP(A1);
		vm->next = false;
		NEXT(1);
	}
	vmcase(OP_CHKNEXT) {
		if (unlikely(vm->next)) {
			vm->next = false;
			RAISE("all functions exhausted");
		}
		NEXT(0);
	}
	vmcase(OP_BICALL) {
		int n = A2, t = A3;
		char *ret = t >= 0 ? TEMP(t) : vm->bi_ret;
		/* stap's library functions take a frame too: they count against MAXNESTING */
		if (unlikely(vm->depth + 1 >= vm->maxdepth))
			RAISE("MAXNESTING exceeded");
		sp -= n;
		int brc = do_bicall(vm, sc->bi[A1], sp, n, A4, ret);
		if (brc == BI_ABORT)
			return 0;   /* abort(): the handler ends here, past any try/catch, no error */
		if (brc < 0) {
			if (!vm->err[0] && c && c->err[0])
				snprintf(vm->err, sizeof vm->err, "%s", c->err);
			RAISED();
		}
		char rt = sc->bi[A1]->sig[0];
		if (rt == 's')
			(sp++)->s = ret;
		else if (rt == 'l')
			(sp++)->l = vm->bc.ret_l;
		NEXT(4);
	}
	vmcase(OP_PRINTF) {
		int n = A2, t = A3;
		sp -= n;
		char *dst = t >= 0 ? TEMP(t) : NULL;
		if (do_printf(vm, sc->fmt[A1], sp, n, dst) < 0)
			RAISED();
		if (dst)
			(sp++)->s = dst;
		NEXT(3);
	}
	vmcase(OP_AGET) {
		int n = A2, t = A3;
		struct map *m = gv[A1].p;
		struct mval k[MAP_MAXKEYS];
		sp -= n;
		keys_of(m, sp, n, k);
		if (t >= 0) {
			char *dst = TEMP(t);
			scopy(dst, map_get_s(m, k), slen);
			sp->s = dst;
		} else {
			sp->l = map_get_l(m, k);
		}
		sp++;
		NEXT(3);
	}
	vmcase(OP_ASET) {
		int n = A2;
		struct map *m = gv[A1].p;
		struct mval k[MAP_MAXKEYS];
		sp -= n;
		keys_of(m, sp, n, k);
		sp--;
		int r = map_vtype(m) == MAPV_STRING ? map_set_s(m, k, sp->s) : map_set_l(m, k, sp->l);
		if (unlikely(r < 0))
			RAISE("%s", map_overflow_msg(m));
		NEXT(2);
	}
	vmcase(OP_AADD) {
		int n = A2;
		struct map *m = gv[A1].p;
		struct mval k[MAP_MAXKEYS];
		int64_t v = (--sp)->l;
		sp -= n;
		keys_of(m, sp, n, k);
		int64_t *slot = map_ref(m, k);
		if (unlikely(!slot))
			RAISE("%s", map_overflow_msg(m));
		*slot = (int64_t)((uint64_t)*slot + (uint64_t)v);
		(sp++)->l = *slot;
		NEXT(2);
	}
	vmcase(OP_AINC) {
		int n = A2;
		struct map *m = gv[A1].p;
		struct mval k[MAP_MAXKEYS];
		int64_t v = (--sp)->l;
		sp -= n;
		keys_of(m, sp, n, k);
		int64_t *slot = map_ref(m, k);
		if (unlikely(!slot))
			RAISE("%s", map_overflow_msg(m));
		*slot = (int64_t)((uint64_t)*slot + (uint64_t)v);
		NEXT(2);
	}
	vmcase(OP_AIN) {
		int n = A2;
		struct map *m = gv[A1].p;
		struct mval k[MAP_MAXKEYS];
		sp -= n;
		keys_of(m, sp, n, k);
		(sp++)->l = map_exists(m, k);
		NEXT(2);
	}
	vmcase(OP_ADEL) {
		int n = A2;
		struct map *m = gv[A1].p;
		struct mval k[MAP_MAXKEYS];
		sp -= n;
		keys_of(m, sp, n, k);
		map_delete(m, k);
		NEXT(2);
	}
	vmcase(OP_AINS) {
		sp -= A2;
		sp->l = slice_in(gv[A1].p, sp, A3);
		sp++;
		NEXT(3);
	}
	vmcase(OP_ADELS) {
		sp -= A2;
		slice_delete(gv[A1].p, sp, A3);
		NEXT(3);
	}
	vmcase(OP_ACLEAR) { clear_global(vm, &sc->globals[A1], &gv[A1]); NEXT(1); }
	vmcase(OP_SADD) {
		int n = A2;
		int64_t v = (--sp)->l;
		sp -= n;
		if (n == 0) {
			stat_add(&sc->globals[A1].spec, gv[A1].p, v);
		} else {
			struct map *m = gv[A1].p;
			struct mval k[MAP_MAXKEYS];
			keys_of(m, sp, n, k);
			if (unlikely(map_add_stat(m, k, v) < 0))
				RAISE("%s", map_overflow_msg(m));
		}
		NEXT(2);
	}
	vmcase(OP_STATOP) {
		int n = A2;
		int64_t out;
		if (A3 == STATOP_BUCKET) {
			int64_t b = (--sp)->l;
			sp -= n;
			if (do_bucket(vm, &sc->globals[A1], &gv[A1], sp, n, b, &out) < 0)
				RAISED();
			(sp++)->l = out;
			NEXT(3);
		}
		sp -= n;
		if (do_statop(vm, &sc->globals[A1], &gv[A1], sp, n, A3, &out) < 0)
			RAISED();
		(sp++)->l = out;
		NEXT(3);
	}
	vmcase(OP_HIST) {
		int n = A2;
		sp -= n;
		char *dst = A3 >= 0 ? TEMP(A3) : NULL;
		if (do_hist(vm, &sc->globals[A1], &gv[A1], sp, n, dst) < 0)
			RAISED();
		if (dst)
			(sp++)->s = dst;
		NEXT(3);
	}
	vmcase(OP_ITER) {
		int cc = A3;
		int64_t limit = 0;
		if (cc & ITER_LIMIT)
			limit = (--sp)->l;
		iter_start(vm, &base[A2], gv[A1].p, cc, limit);
		NEXT(3);
	}
	vmcase(OP_ITTEST) {
		union val *it = &base[A1];
		if (it[0].l < 0 || it[1].l == 0)
			JUMP(A2);
		NEXT(2);
	}
	vmcase(OP_ITKEY) {
		union val *it = &base[A1];
		struct map *m = it[2].p;
		int col = A2;
		if (map_keysig(m)[col] == 's')
			sp->s = map_key_s(m, (int)it[0].l, col);
		else
			sp->l = map_key_l(m, (int)it[0].l, col);
		sp++;
		NEXT(2);
	}
	vmcase(OP_ITVAL) {
		union val *it = &base[A1];
		struct map *m = it[2].p;
		void *slot = map_val(m, (int)it[0].l);
		if (A2 >= 0) {
			char *dst = TEMP(A2);
			scopy(dst, slot, slen);
			sp->s = dst;
		} else if (map_vtype(m) == MAPV_STATS) {
			sp->l = ((struct stat *)slot)->count;
		} else {
			sp->l = *(int64_t *)slot;
		}
		sp++;
		NEXT(2);
	}
	vmcase(OP_ITADV) {
		union val *it = &base[A1];
		it[0].l = map_next(it[2].p, (int)it[0].l);
		NEXT(1);
	}
	vmcase(OP_ITCOUNT) {
		union val *it = &base[A1];
		if (it[1].l > 0)
			it[1].l--;
		NEXT(1);
	}
	vmcase(OP_TRY) {
		if (unlikely(vm->ntries == vm->maxtries))
			RAISE("too many nested try blocks");
		struct tryrec *tr = &vm->tries[vm->ntries++];
		tr->depth = vm->depth;
		tr->catch_pc = p->code + A1;
		tr->sp = sp;
		NEXT(1);
	}
	vmcase(OP_ENDTRY) { vm->ntries--; NEXT(0); }
	vmcase(OP_CATCHMSG) {
		char *dst = TEMP(A1);
		scopy(dst, vm->caught, slen);
		(sp++)->s = dst;
		NEXT(1);
	}
	vmcase(OP_TVAR) {
		int n = A2, t = A3, slot = A1;
		sp -= n;
		struct dprobe *dp = c ? c->probe : NULL;
		const struct tvar *tv = dp && slot >= 0 && slot < dp->ntvars ? dp->tvars[slot] : NULL;
		if (!tv || !tv->read)
			RAISE("target variable not available at this probe point");
		int64_t idx[16];
		for (int i = 0; i < n && i < 16; i++)
			idx[i] = sp[i].l;
		char *dst = t >= 0 ? TEMP(t) : vm->bi_ret;
		int64_t l = 0;
		dst[0] = 0;
		c->err[0] = 0;
		if (tv->read(c, tv, idx, &l, dst) < 0)
			RAISE("%s", c->err[0] ? c->err : "target variable read failed");
		if (t >= 0)
			sp->s = dst;
		else
			sp->l = l;
		sp++;
		NEXT(3);
	}
	vmcase(OP_ENTRYGET) {
		/* slot k of the store: an int64, then a MAXSTRINGLEN string (lang_entry_size) */
		if (!c || !c->entry_vals)
			RAISE("@entry value not available at this probe point");
		char *v = c->entry_vals + (size_t)A1 * (size_t)(8 + slen);
		if (A2 >= 0) {
			scopy(TEMP(A2), v + 8, slen);
			sp->s = TEMP(A2);
		} else {
			memcpy(&sp->l, v, 8);
		}
		sp++;
		NEXT(2);
	}
	vmcase(OP_ENTRYSET) {
		sp--;
		if (c && c->entry_vals) {
			char *v = c->entry_vals + (size_t)A1 * (size_t)(8 + slen);
			if (A2)
				scopy(v + 8, sp->s, slen);
			else
				memcpy(v, &sp->l, 8);
		}
		NEXT(2);
	}
	vmcase(OP_TVSET) {
		int n = A2, slot = A1;
		sp -= n;
		struct dprobe *dp = c ? c->probe : NULL;
		const struct tvar *tv = dp && slot >= 0 && slot < dp->ntvars ? dp->tvars[slot] : NULL;
		if (!tv || !tv->write)
			RAISE("target variable not writable at this probe point");
		int64_t idx[16];
		for (int i = 0; i < n && i < 16; i++)
			idx[i] = sp[i].l;
		sp--;
		c->err[0] = 0;
		if (tv->write(c, tv, idx, A3 ? 0 : sp->l, A3 ? sp->s : NULL) < 0)
			RAISE("%s", c->err[0] ? c->err : "target variable write failed");
		NEXT(3);
	}
	vmcase(OP_REGEX) {
		bool m = rx_match(sc->re[A1], sp[-1].s, &vm->sess->rx);
		sp[-1].l = A2 ? !m : m;
		NEXT(2);
	}
	vmcase(OP_EXIT) vmcase(OP_HALT) {
		/* the compiler's stack accounting: a handler ends with an empty operand stack */
		assert(*pc == OP_EXIT || sp == base + p->nlocals);
		return 0;
	}

error:
	vm->errpos = p->pos[pc - p->code];
	if (!vm->errpos)
		vm->errpos = p->fn ? &p->fn->pos : &p->probe->pos;
	/* MAXACTION is not caught: stap's catch block counts an action first, fails the same way */
	if (vm->ntries > 0 && !(vm->budget > 0 && vm->remaining <= 0)) {
		struct tryrec *tr = &vm->tries[--vm->ntries];
		scopy(vm->caught, vm->err, sizeof vm->caught);
		vm->depth = tr->depth;
		fr = &vm->frames[vm->depth];
		p = fr->p;
		base = fr->base;
		sp = tr->sp;
		pc = tr->catch_pc;
		vm->err[0] = 0;
		vmbreak;
	}
	return -1;
}

/*
** Expressions to bytecode. Every expression leaves exactly one value on the stack (none when
** void); strings are pointers into constants, variables' buffers or the statement's temps.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "builtins.h"
#include "comp_int.h"
#include "context.h"
#include "diag.h"
#include "map.h"
#include "printf.h"
#include "regex.h"
#include "session.h"

void comp_err(struct fstate *fs, const struct srcpos *pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_error(&fs->C->s->diag, "semantic", pos, NULL, "%s", msg);
	fs->C->errors++;
}

bool comp_is_string(const struct exp *e)
{
	return e->type == TY_STRING;
}

void comp_push_long(struct fstate *fs, int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX)
		E1(fs, OP_PUSHI, 1, (int)v);
	else
		E1(fs, OP_PUSHK, 1, comp_const(fs->C->sc, v));
}

static struct gvar *gvar_of(struct fstate *fs, struct vardecl *v)
{
	int g = comp_global(fs->C, v);   /* may move the table: index it afterwards */
	return &fs->C->sc->globals[g];
}

/* A read for stap's "read" set: x++, x += y and a[k] OP= y as statements are not reads
   there (so a global only ever updated that way is still displayed at the end). */
static void load_var2(struct fstate *fs, struct vardecl *v, bool is_read)
{
	if (!v->global) {
		E1(fs, OP_LOADL, 1, v->slot);
		return;
	}
	struct gvar *g = gvar_of(fs, v);
	g->read |= is_read;
	if (g->kind == G_LONG)
		E1(fs, OP_LOADG, 1, v->slot);
	else if (g->kind == G_STRING)
		E1(fs, OP_LOADGS, 1, v->slot);
	else
		comp_err(fs, &v->pos, "cannot use '%s' as a scalar value", v->name);
}

static void load_var(struct fstate *fs, struct vardecl *v)
{
	load_var2(fs, v, true);
}

void comp_store_var(struct fstate *fs, struct vardecl *v)
{
	bool str = v->type == TY_STRING;
	if (!v->global) {
		E1(fs, str ? OP_STORELS : OP_STOREL, -1, v->slot);
		return;
	}
	struct gvar *g = gvar_of(fs, v);
	g->written = true;
	E1(fs, str ? OP_STOREGS : OP_STOREG, -1, v->slot);
}

/* Push the index tuple of a[args]; returns the number of keys. */
static int push_keys(struct fstate *fs, struct ptrvec *args)
{
	for (int i = 0; i < args->n; i++)
		comp_exp(fs, args->v[i]);
	return args->n;
}

/* The array behind an E_INDEX / E_SYM node, as a global index. */
static int array_of(struct fstate *fs, struct exp *arr)
{
	struct vardecl *v = arr->ref;
	if (!v || !v->global) {
		comp_err(fs, &arr->pos, "arrays must be global: '%s'", arr->str ? arr->str : "?");
		return 0;
	}
	return comp_global(fs->C, v);
}

static void binary(struct fstate *fs, struct exp *e)
{
	static const struct { const char *op; enum opcode code; } ops[] = {
		{ "+", OP_ADD }, { "-", OP_SUB }, { "*", OP_MUL }, { "/", OP_DIV }, { "%", OP_MOD },
		{ "<<", OP_SHL }, { ">>", OP_SHR }, { ">>>", OP_SHRU }, { "&", OP_BAND },
		{ "|", OP_BOR }, { "^", OP_BXOR },
	};
	const char *op = e->op;
	comp_exp(fs, e->a0);
	if (strcmp(op, "%") == 0 && e->a1->kind == E_NUM && e->a1->num > 0 && e->a1->num <= INT32_MAX) {
		E1(fs, OP_MODI, 0, (int)e->a1->num);
		return;
	}
	comp_exp(fs, e->a1);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(op, ops[i].op) == 0) {
			const struct srcpos *save = fs->cur;
			fs->cur = &e->pos;         /* division by 0 is reported at the operator */
			E0(fs, ops[i].code, -1);
			fs->cur = save;
			return;
		}
	comp_err(fs, &e->pos, "unknown binary operator '%s'", op);
}

static int cmp_code(const char *op)
{
	static const char *const names[] = { "<", "<=", ">", ">=", "==", "!=" };
	for (int i = 0; i < 6; i++)
		if (strcmp(op, names[i]) == 0)
			return i;
	return -1;
}

static void compare(struct fstate *fs, struct exp *e)
{
	int c = cmp_code(e->op);
	if (c < 0) {
		comp_err(fs, &e->pos, "unknown comparison '%s'", e->op);
		return;
	}
	comp_exp(fs, e->a0);
	comp_exp(fs, e->a1);
	if (comp_is_string(e->a0) || comp_is_string(e->a1))
		E1(fs, OP_SCMP, -1, c);
	else
		E0(fs, (enum opcode)(OP_LT + c), -1);
}

/* a && b, a || b: 0 or 1. */
static void logical(struct fstate *fs, struct exp *e)
{
	bool and = e->kind == E_AND;
	comp_exp(fs, e->a0);
	int j1 = comp_jump(fs, and ? OP_JZ : OP_JNZ, -1);
	comp_exp(fs, e->a1);
	int j2 = comp_jump(fs, and ? OP_JZ : OP_JNZ, -1);
	comp_push_long(fs, and ? 1 : 0);
	int j3 = comp_jump(fs, OP_JMP, 0);
	comp_depth(fs, -1);
	comp_patch_here(fs, j1);
	comp_patch_here(fs, j2);
	comp_push_long(fs, and ? 0 : 1);
	comp_patch_here(fs, j3);
}

static void ternary(struct fstate *fs, struct exp *e)
{
	comp_exp(fs, e->a0);
	int jelse = comp_jump(fs, OP_JZ, -1);
	comp_exp(fs, e->a1);
	int jend = comp_jump(fs, OP_JMP, 0);
	if (e->type == TY_LONG || e->type == TY_STRING)
		comp_depth(fs, -1);
	comp_patch_here(fs, jelse);
	comp_exp(fs, e->a2);
	comp_patch_here(fs, jend);
}

static void unary(struct fstate *fs, struct exp *e)
{
	comp_exp(fs, e->a0);
	switch (e->op[0]) {
	case '-': E0(fs, OP_NEG, 0); break;
	case '!': E0(fs, OP_NOT, 0); break;
	case '~': E0(fs, OP_BNOT, 0); break;
	case '+': break;
	default: comp_err(fs, &e->pos, "unknown unary operator '%s'", e->op);
	}
}

static void concat(struct fstate *fs, struct exp *e)
{
	comp_exp(fs, e->a0);
	comp_exp(fs, e->a1);
	E1(fs, OP_CONCAT, -1, comp_temp(fs));
}

/* A script function call with its arguments on the stack. Overloads (stap's referents): the
   arguments go to hidden locals once, then each function in turn is called with them until
   one returns without 'next'; the last one doing 'next' is stap's "all functions exhausted". */
static void call_overloads(struct fstate *fs, struct exp *e, int res, int t)
{
	int n = e->args.n, slots[n ? n : 1];
	if (e->alts.n) {
		for (int i = n - 1; i >= 0; i--) {
			bool str = comp_is_string(e->args.v[i]);
			slots[i] = comp_slot(fs, str);
			E1(fs, str ? OP_STORELS : OP_STOREL, -1, slots[i]);
		}
	}
	int ends[e->alts.n + 1], nends = 0;
	for (int k = -1; k < e->alts.n; k++) {
		struct funcdecl *fd = k < 0 ? e->fref : e->alts.v[k];
		if (e->alts.n) {
			if (k >= 0 && res)
				E0(fs, OP_POP, -1);
			for (int i = 0; i < n; i++)
				E1(fs, OP_LOADL, 1, slots[i]);
		}
		comp_flush(fs);
		E3(fs, OP_CALL, res - n, comp_func(fs->C, fd), n, t);
		if (k + 1 < e->alts.n)
			ends[nends++] = comp_jump(fs, OP_JNONEXT, 0);
	}
	struct funcdecl *last = e->alts.n ? e->alts.v[e->alts.n - 1] : e->fref;
	if (last->has_next) {
		const struct srcpos *save = fs->cur;
		fs->cur = &e->pos;   /* stap's STAP_LAST_STMT: the call */
		E0(fs, OP_CHKNEXT, 0);
		fs->cur = save;
	}
	for (int i = 0; i < nends; i++)
		comp_patch_here(fs, ends[i]);
}

static void call(struct fstate *fs, struct exp *e)
{
	int n = e->args.n;
	for (int i = 0; i < n; i++)
		comp_exp(fs, e->args.v[i]);
	/* stap types a function returning nothing "unknown" */
	int res = e->type == TY_LONG || e->type == TY_STRING ? 1 : 0;
	int t = e->type == TY_STRING ? comp_temp(fs) : -1;
	const struct srcpos *save = fs->cur;
	if (!e->fref)
		fs->cur = &e->pos;   /* MAXNESTING is reported at the caller's statement */
	if (e->fref) {
		call_overloads(fs, e, res, t);
	} else if (e->builtin) {
		const struct builtin *b = e->builtin;
		int pushes = b->sig[0] != 'v';
		int smask = 0;
		for (int i = 0; i < n && i < 31; i++)
			if (comp_is_string(e->args.v[i]))
				smask |= 1 << i;
		E4(fs, OP_BICALL, pushes - n, comp_builtin(fs->C->sc, b), n, t, smask);
		if (pushes && !res)
			E0(fs, OP_POP, -1);
		else if (!pushes && res)
			comp_push_long(fs, 0);
	} else {
		comp_err(fs, &e->pos, "unresolved function call '%s'", e->str);
	}
	fs->cur = save;
}

/* ---- assignment ---- */

static enum opcode arith_of(const char *op, bool *ok)
{
	static const struct { const char *op; enum opcode code; } ops[] = {
		{ "+=", OP_ADD }, { "-=", OP_SUB }, { "*=", OP_MUL }, { "/=", OP_DIV },
		{ "%=", OP_MOD }, { "<<=", OP_SHL }, { ">>=", OP_SHR }, { ">>>=", OP_SHRU },
		{ "&=", OP_BAND }, { "|=", OP_BOR }, { "^=", OP_BXOR },
	};
	*ok = true;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(op, ops[i].op) == 0)
			return ops[i].code;
	*ok = false;
	return OP_NOP;
}

/* Compute "old OP rhs" given old on the stack. */
static void combine(struct fstate *fs, struct exp *e)
{
	comp_exp(fs, e->a1);
	if (strcmp(e->op, ".=") == 0) {
		E1(fs, OP_CONCAT, -1, comp_temp(fs));
		return;
	}
	bool ok;
	enum opcode code = arith_of(e->op, &ok);
	if (!ok) {
		comp_err(fs, &e->pos, "unknown assignment operator '%s'", e->op);
		return;
	}
	const struct srcpos *save = fs->cur;
	fs->cur = &e->pos;
	E0(fs, code, -1);
	fs->cur = save;
}

/* Keys into hidden slots, so that a[k] OP= v evaluates k once. */
static int stash_keys(struct fstate *fs, struct ptrvec *args, int *slots)
{
	for (int i = 0; i < args->n; i++) {
		comp_exp(fs, args->v[i]);
		slots[i] = comp_slot(fs, false);
		E1(fs, OP_STOREL, -1, slots[i]);
	}
	return args->n;
}

static void load_slots(struct fstate *fs, const int *slots, int n)
{
	for (int i = 0; i < n; i++)
		E1(fs, OP_LOADL, 1, slots[i]);
}

/* Emit a map-writing op reported "near identifier 'a'" (Array overflow). */
static void emit_at(struct fstate *fs, const struct srcpos *pos, enum opcode op, int delta,
		    int g, int n)
{
	const struct srcpos *save = fs->cur;
	fs->cur = pos;
	E2(fs, op, delta, g, n);
	fs->cur = save;
}

static void assign_index(struct fstate *fs, struct exp *e, bool want)
{
	struct exp *lhs = e->a0;
	const struct srcpos *apos = &lhs->a0->pos;
	int g = array_of(fs, lhs->a0);
	struct gvar *gv = &fs->C->sc->globals[g];
	gv->written = true;
	int n = lhs->args.n;
	if (strcmp(e->op, "<<<") == 0) {
		push_keys(fs, &lhs->args);
		comp_exp(fs, e->a1);
		emit_at(fs, apos, OP_SADD, -n - 1, g, n);
		if (want)
			comp_push_long(fs, 0);
		return;
	}
	if (strcmp(e->op, "=") == 0) {
		comp_exp(fs, e->a1);
		if (want)
			E0(fs, OP_DUP, 1);
		push_keys(fs, &lhs->args);
		emit_at(fs, apos, OP_ASET, -n - 1, g, n);
		return;
	}
	if (strcmp(e->op, "+=") == 0 && !comp_is_string(lhs)) {
		push_keys(fs, &lhs->args);
		comp_exp(fs, e->a1);
		if (want)
			emit_at(fs, apos, OP_AADD, -n, g, n);
		else
			emit_at(fs, apos, OP_AINC, -n - 1, g, n);
		return;
	}
	int slots[MAP_MAXKEYS];
	stash_keys(fs, &lhs->args, slots);
	load_slots(fs, slots, n);
	E3(fs, OP_AGET, 1 - n, g, n, comp_is_string(lhs) ? comp_temp(fs) : -1);
	combine(fs, e);
	if (want)
		E0(fs, OP_DUP, 1);
	load_slots(fs, slots, n);
	emit_at(fs, apos, OP_ASET, -n - 1, g, n);
}

static int target_operands(struct fstate *fs, struct exp *e);

/* $var = v (guru mode; the provider's write()) */
static void assign_target(struct fstate *fs, struct exp *e, bool want)
{
	struct exp *lhs = e->a0;
	if (strcmp(e->op, "=") != 0) {
		comp_exp(fs, lhs);
		combine(fs, e);
	} else {
		comp_exp(fs, e->a1);
	}
	if (want)
		E0(fs, OP_DUP, 1);
	int n = target_operands(fs, lhs);
	const struct srcpos *save = fs->cur;
	fs->cur = &lhs->pos;
	E3(fs, OP_TVSET, -n - 1, lhs->slot, n, comp_is_string(lhs));
	fs->cur = save;
}

static void assign(struct fstate *fs, struct exp *e, bool want)
{
	struct exp *lhs = e->a0;
	if (lhs->kind == E_TARGET || lhs->kind == E_CAST || lhs->kind == E_ATVAR ||
	    lhs->kind == E_AUTOCAST || lhs->kind == E_DEREF || lhs->kind == E_REGISTER) {
		assign_target(fs, e, want);
		return;
	}
	if (lhs->kind == E_INDEX) {
		assign_index(fs, e, want);
		return;
	}
	if (lhs->kind != E_SYM || !lhs->ref) {
		comp_err(fs, &lhs->pos, "cannot assign to this expression");
		return;
	}
	struct vardecl *v = lhs->ref;
	if (strcmp(e->op, "<<<") == 0) {
		int g = comp_global(fs->C, v);
		fs->C->sc->globals[g].written = true;
		comp_exp(fs, e->a1);
		if (want)
			E0(fs, OP_DUP, 1);
		E2(fs, OP_SADD, -1, g, 0);
		return;
	}
	if (strcmp(e->op, "=") == 0) {
		comp_exp(fs, e->a1);
	} else if (!v->global && strcmp(e->op, ".=") == 0 && !want && v->type == TY_STRING) {
		comp_exp(fs, e->a1);
		E1(fs, OP_APPENDL, -1, v->slot);
		return;
	} else if (!v->global && strcmp(e->op, "+=") == 0 && !want && v->type == TY_LONG) {
		comp_exp(fs, e->a1);
		E1(fs, OP_ADDL, -1, v->slot);
		return;
	} else if (v->global && strcmp(e->op, "+=") == 0 && !want && v->type == TY_LONG) {
		comp_exp(fs, e->a1);
		gvar_of(fs, v)->written = true;
		E1(fs, OP_ADDG, -1, v->slot);
		return;
	} else {
		load_var2(fs, v, want);   /* used as a value: a read (stap -p2) */
		combine(fs, e);
	}
	if (want)
		E0(fs, OP_DUP, 1);
	comp_store_var(fs, v);
}

/* ++x x++ --x x-- */
static void incdec(struct fstate *fs, struct exp *e, bool want)
{
	bool post = e->kind == E_POSTINC;
	int d = e->op[0] == '+' ? 1 : -1;
	struct exp *lhs = e->a0;
	if (lhs->kind == E_INDEX) {
		int g = array_of(fs, lhs->a0);
		fs->C->sc->globals[g].written = true;
		int n = push_keys(fs, &lhs->args);
		comp_push_long(fs, d);
		emit_at(fs, &lhs->a0->pos, OP_AADD, -n, g, n);
		if (want && post) {
			comp_push_long(fs, d);
			E0(fs, OP_SUB, -1);
		}
		if (!want)
			E0(fs, OP_POP, -1);
		return;
	}
	if (lhs->kind != E_SYM || !lhs->ref) {
		comp_err(fs, &lhs->pos, "cannot increment this expression");
		return;
	}
	struct vardecl *v = lhs->ref;
	if (v->global)
		gvar_of(fs, v)->written = true;
	if (!v->global) {
		if (want && post)
			E1(fs, OP_LOADL, 1, v->slot);
		E2(fs, OP_ADDLI, 0, v->slot, d);
		if (want && !post)
			E1(fs, OP_LOADL, 1, v->slot);
		return;
	}
	load_var2(fs, v, want);
	if (want && post)
		E0(fs, OP_DUP, 1);
	comp_push_long(fs, d);
	E0(fs, OP_ADD, -1);
	if (want && !post)
		E0(fs, OP_DUP, 1);
	comp_store_var(fs, v);
}

/* ---- arrays, aggregates, regex, target variables ---- */

static void hist_bucket(struct fstate *fs, struct exp *e);

static void index_read(struct fstate *fs, struct exp *e)
{
	if (e->a0 && e->a0->kind == E_HIST) {
		hist_bucket(fs, e);
		return;
	}
	int g = array_of(fs, e->a0);
	fs->C->sc->globals[g].read = true;
	int n = push_keys(fs, &e->args);
	E3(fs, OP_AGET, 1 - n, g, n, comp_is_string(e) ? comp_temp(fs) : -1);
}

/* The given columns of a slice (NULL args are '*'): pushes them, returns the mask. */
int comp_slice(struct fstate *fs, struct ptrvec *args, int *n)
{
	int mask = 0;
	*n = 0;
	for (int i = 0; i < args->n; i++) {
		if (!args->v[i])
			continue;
		comp_exp(fs, args->v[i]);
		mask |= 1 << i;
		(*n)++;
	}
	return mask;
}

static bool is_slice(const struct ptrvec *args)
{
	for (int i = 0; i < args->n; i++)
		if (!args->v[i])
			return true;
	return false;
}

static void in_array(struct fstate *fs, struct exp *e)
{
	struct exp *arr = e->a0;
	int g = array_of(fs, arr);
	fs->C->sc->globals[g].read = true;
	if (is_slice(&e->args)) {
		int n, mask = comp_slice(fs, &e->args, &n);
		E3(fs, OP_AINS, 1 - n, g, n, mask);
		return;
	}
	int n = push_keys(fs, &e->args);
	E2(fs, OP_AIN, 1 - n, g, n);
}

/* The aggregate operand of @count(x), @hist_log(a[k]) ...: pushes keys, returns global. */
static int stat_operand(struct fstate *fs, struct exp *a, int *nkeys)
{
	*nkeys = 0;
	if (a->kind == E_INDEX) {
		*nkeys = push_keys(fs, &a->args);
		return array_of(fs, a->a0);
	}
	if (a->kind == E_SYM && a->ref && a->ref->global)
		return comp_global(fs->C, a->ref);
	comp_err(fs, &a->pos, "expected an aggregate");
	return 0;
}

static void statop(struct fstate *fs, struct exp *e)
{
	int op = stat_op_from_name(e->str);
	if (op < 0) {
		comp_err(fs, &e->pos, "unknown statistic operator '@%s'", e->str);
		return;
	}
	int n;
	int g = stat_operand(fs, e->a0, &n);
	fs->C->sc->globals[g].read = true;
	/* @variance(x, N): x's bit shift (stap's stat_decl_collector; 0..62 checked there) */
	struct exp *sh = e->args.n > 0 ? e->args.v[0] : NULL;
	if (op == STAT_VARIANCE && sh && sh->kind == E_NUM && sh->num > 0 && sh->num <= 62)
		fs->C->sc->globals[g].spec.shift = (int)sh->num;
	const struct srcpos *save = fs->cur;
	fs->cur = &e->pos;
	E3(fs, OP_STATOP, 1 - n, g, n, op);
	fs->cur = save;
}

/* print(@hist_log(x)): fixes x's histogram shape, then prints it. */
/* Fix the aggregate's histogram shape from @hist_log(x) / @hist_linear(x, a, b, c); pushes
   x's keys and returns x's global. */
static int hist_spec(struct fstate *fs, struct exp *e, int *nkeys)
{
	int n;
	int g = stat_operand(fs, e->a0, &n);
	*nkeys = n;
	struct gvar *gv = &fs->C->sc->globals[g];
	gv->read = true;
	int64_t p[3] = { 0, 0, 0 };
	for (int i = 0; i < 3 && i < e->args.n; i++) {
		struct exp *a = e->args.v[i];
		if (a->kind != E_NUM)
			comp_err(fs, &a->pos, "histogram parameters must be literal numbers");
		else
			p[i] = a->num;
	}
	char err[256] = "";
	enum stat_hist h = e->hist_linear ? HIST_LINEAR : HIST_LOG;
	if (gv->spec.hist != HIST_NONE && (gv->spec.hist != h || (h == HIST_LINEAR &&
	    (gv->spec.start != p[0] || gv->spec.stop != p[1] || gv->spec.interval != p[2]))))
		comp_err(fs, &e->pos, "inconsistent histogram use for '%s'", gv->decl->name);
	else {
		int shift = gv->spec.shift;   /* from an @variance(x, N) compiled earlier */
		if (stat_spec_init(&gv->spec, h, p[0], p[1], p[2], err, sizeof err) < 0) {
			/* stap's runtime refuses the aggregate with this warning (stat-common.c)
			   and the module never starts; ustap stops before the run */
			fprintf(fs->C->s->diag.out ? fs->C->s->diag.out : stderr, "WARNING: %s\n", err);
			fs->C->errors++;
		}
		gv->spec.shift = shift;
	}
	return g;
}

void comp_hist(struct fstate *fs, struct exp *e, int t)
{
	int n;
	int g = hist_spec(fs, e, &n);
	E3(fs, OP_HIST, (t >= 0) - n, g, n, t);
}

/* foreach (b in @hist_log(x) limit N): the bucket indexes 0..buckets-1 */
void comp_hist_foreach(struct fstate *fs, struct stmt *s, int *top, int *exitw)
{
	int n;
	int g = hist_spec(fs, s->e, &n);
	for (int i = 0; i < n; i++)
		E0(fs, OP_POP, -1);
	int buckets = fs->C->sc->globals[g].spec.buckets;
	int ctr = comp_slot(fs, false), lim = comp_slot(fs, false);
	comp_push_long(fs, 0);
	E1(fs, OP_STOREL, -1, ctr);
	if (s->limit)
		comp_exp(fs, s->limit);
	else
		comp_push_long(fs, buckets);
	E1(fs, OP_STOREL, -1, lim);
	*top = comp_label(fs);
	E3(fs, OP_JGELI, 0, ctr, buckets, 0);
	exitw[0] = fs->n - 1;
	E1(fs, OP_LOADL, 1, ctr);
	E1(fs, OP_LOADL, 1, lim);
	E0(fs, OP_LT, -1);
	exitw[1] = comp_jump(fs, OP_JZ, -1);
	if (s->keys.n > 0) {
		struct exp *k = s->keys.v[0];
		E1(fs, OP_LOADL, 1, ctr);
		if (k->kind == E_SYM && k->ref)
			comp_store_var(fs, k->ref);
		else
			E0(fs, OP_POP, -1);
	}
	if (s->value && s->value->kind == E_SYM && s->value->ref) {
		/* foreach (v = i in @hist_x(s)): v = the count in bucket i (s's keys again) */
		int nk;
		int g2 = stat_operand(fs, s->e->a0, &nk);
		E1(fs, OP_LOADL, 1, ctr);
		E3(fs, OP_STATOP, -nk, g2, nk, STATOP_BUCKET);
		comp_store_var(fs, s->value->ref);
	}
	exitw[2] = ctr;
}

/* @hist_log(x)[i]: the count in bucket i */
static void hist_bucket(struct fstate *fs, struct exp *e)
{
	int n;
	int g = hist_spec(fs, e->a0, &n);
	comp_exp(fs, e->args.v[0]);
	const struct srcpos *save = fs->cur;
	fs->cur = &e->pos;
	E3(fs, OP_STATOP, -n, g, n, STATOP_BUCKET);
	fs->cur = save;
}

static void regex(struct fstate *fs, struct exp *e)
{
	comp_exp(fs, e->a0);
	if (!e->a1 || e->a1->kind != E_STR) {
		comp_err(fs, &e->pos, "regex pattern must be a literal string");
		return;
	}
	char err[256] = "";
	struct rx *r = rx_compile(&fs->C->s->script_arena, e->a1->str, err, sizeof err);
	if (!r) {
		comp_err(fs, &e->a1->pos, "%s", err);
		return;
	}
	E2(fs, OP_REGEX, 0, comp_regex(fs->C->sc, r), strcmp(e->op, "!~") == 0);
}

/* Push a $target access's run-time operands: the pointer of @cast / autocast / @xderef
   first (provider.h: the provider's idx[0]), then the [expr] indexes. Returns how many. */
static int target_operands(struct fstate *fs, struct exp *e)
{
	int n = 0;
	if (e->a0 && (e->kind == E_CAST || e->kind == E_AUTOCAST || e->kind == E_DEREF)) {
		comp_exp(fs, e->a0);
		n++;
	}
	for (int i = 0; i < e->comps.n; i++) {
		struct tcomp *c = e->comps.v[i];
		if (c->kind == COMP_INDEX_EXP) {
			comp_exp(fs, c->index);
			n++;
		}
	}
	return n;
}

/* @uregister/@uderef in a script function: no tvar slot there (they are the probe's), the
   same read through the builtin _ustap_regop (tracer/context.c) with the context of the call */
static void regop_call(struct fstate *fs, struct exp *e)
{
	int n = e->kind == E_DEREF ? 2 : 1;
	comp_push_long(fs, (int64_t)ctx_regop_pack(e->num, n == 2, e->op && e->op[0] == 'k'));
	if (n == 2)
		comp_exp(fs, e->a0);
	const struct builtin *b = e->builtin;   /* lang/elab_tvar.c fn_tvar looked it up */
	const struct srcpos *save = fs->cur;
	fs->cur = &e->pos;
	E4(fs, OP_BICALL, 1 - n, comp_builtin(fs->C->sc, b), n, -1, 0);
	fs->cur = save;
}

static void target(struct fstate *fs, struct exp *e)
{
	struct probe *pr = fs->p->probe;
	if (e->kind == E_ENTRY && pr && e->slot >= 0 && e->slot < pr->entries.n &&
	    pr->entries.v[e->slot] == e) {
		/* a value the entry snippet saved for this call (lang_run_entry) */
		const struct srcpos *save = fs->cur;
		fs->cur = &e->pos;
		E2(fs, OP_ENTRYGET, 1, e->slot, comp_is_string(e) ? comp_temp(fs) : -1);
		fs->cur = save;
		return;
	}
	if (e->kind == E_ENTRY && e->a0 && !e->tvar) {
		/* @entry(expr) the provider did not take over: the value now */
		comp_exp(fs, e->a0);
		return;
	}
	int n = target_operands(fs, e);
	const struct srcpos *save = fs->cur;
	fs->cur = &e->pos;
	E3(fs, OP_TVAR, 1 - n, e->slot, n, comp_is_string(e) ? comp_temp(fs) : -1);
	fs->cur = save;
}

/* ---- expressions ---- */

void comp_exp(struct fstate *fs, struct exp *e)
{
	switch (e->kind) {
	case E_NUM: comp_push_long(fs, e->num); break;
	case E_STR: E1(fs, OP_PUSHS, 1, comp_str(fs->C->sc, e->str)); break;
	case E_SYM:
		if (!e->ref)
			comp_err(fs, &e->pos, "unresolved symbol '%s'", e->str);
		else
			load_var(fs, e->ref);
		break;
	case E_BINARY: binary(fs, e); break;
	case E_UNARY: unary(fs, e); break;
	case E_AND: case E_OR: logical(fs, e); break;
	case E_COMPARE: compare(fs, e); break;
	case E_CONCAT: concat(fs, e); break;
	case E_TERNARY: ternary(fs, e); break;
	case E_ASSIGN: assign(fs, e, true); break;
	case E_PREINC: case E_POSTINC: incdec(fs, e, true); break;
	case E_IN: in_array(fs, e); break;
	case E_REGEX: regex(fs, e); break;
	case E_INDEX: index_read(fs, e); break;
	case E_CALL: call(fs, e); break;
	case E_PRINT: {   /* a print to the stream is 0 as a value (stap's translate.cxx) */
		int d = fs->depth;
		comp_print(fs, e);
		if (fs->depth == d)
			comp_push_long(fs, 0);
		break;
	}
	case E_STATOP: statop(fs, e); break;
	case E_HIST:
		comp_err(fs, &e->pos, "histograms can only be printed");
		comp_push_long(fs, 0);
		break;
	case E_REGISTER: case E_DEREF:
		if (!fs->p->probe && e->builtin) {
			regop_call(fs, e);
			break;
		}
		target(fs, e);
		break;
	case E_TARGET: case E_CAST: case E_ATVAR: case E_ENTRY: case E_AUTOCAST:
		target(fs, e);
		break;
	case E_DEFINED: comp_push_long(fs, e->num); break;
	case E_PERF:       /* the provider's tvar reads the .counter("NAME") (ks_perf_tvar) */
		target(fs, e);
		break;
	default:
		comp_err(fs, &e->pos, "unsupported expression");
		comp_push_long(fs, 0);
	}
}

void comp_exp_effect(struct fstate *fs, struct exp *e)
{
	switch (e->kind) {
	case E_ASSIGN: assign(fs, e, false); return;
	case E_PREINC: case E_POSTINC: incdec(fs, e, false); return;
	case E_HIST: comp_hist(fs, e, -1); return;
	default: break;
	}
	int d = fs->depth;
	if (e->kind == E_PRINT) {   /* no 0 pushed for a statement */
		comp_print(fs, e);
		if (fs->depth > d)
			E0(fs, OP_POP, -1);
		return;
	}
	comp_exp(fs, e);
	if (fs->depth > d)
		E0(fs, OP_POP, -1);
}

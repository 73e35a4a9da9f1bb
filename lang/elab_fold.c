/*
** stap's const_folder (pass 2, with the other optimisations, skipped with -u): operators on
** literals become literals, identities (x+0, x*1, x<<0 ...) their operand, constant conditions
** their branch. What it leaves shows in -p2 and decides some values: 120<<-2 is 120 here,
** while a shift count computed at run time is masked (&63) as stap's generated C does.
*/
#include <limits.h>
#include <string.h>

#include "arena.h"
#include "elab.h"
#include "session.h"

struct fold {
	struct arena *a;
	bool changed;
	bool typed;      /* after type inference: e->type is known */
};

/* stap's varuse_collecting_visitor::side_effect_free: no write at all (locals too), no C code.
   Calls count as effects here (stap looks into the callee; we stay on the safe side). */
static bool effect_free(const struct exp *e)
{
	if (!e)
		return true;
	switch (e->kind) {
	case E_ASSIGN: case E_PREINC: case E_POSTINC: case E_CALL: case E_PRINT:
	case E_PERF: case E_EMBEDDED: case E_PROBEWRITE:
		return false;
	default:
		break;
	}
	if (!effect_free(e->a0) || !effect_free(e->a1) || !effect_free(e->a2) || !effect_free(e->fmt))
		return false;
	for (int i = 0; i < e->args.n; i++)
		if (!effect_free(e->args.v[i]))
			return false;
	for (int i = 0; i < e->comps.n; i++) {
		const struct tcomp *tc = e->comps.v[i];
		if (tc->kind == COMP_INDEX_EXP && !effect_free(tc->index))
			return false;
	}
	return true;
}

/* The untyped folding (in the optimiser's loop) runs before the types are inferred: an
   operand an identity keeps or an absorbing constant drops must be a long (or a string, for
   concatenation) by its form, or a string there (x = "a" + 0, k . "" of a long k) would lose
   its type error. The typed pass after inference knows every operand's type, as stap's. */
static bool long_form(const struct fold *f, const struct exp *e)
{
	switch (e->kind) {
	case E_NUM: case E_BINARY: case E_UNARY: case E_AND: case E_OR: case E_COMPARE:
	case E_PREINC: case E_POSTINC: case E_IN: case E_REGEX:
		return true;
	default:
		return f->typed && e->type == TY_LONG;
	}
}

static bool str_form(const struct fold *f, const struct exp *e)
{
	return e->kind == E_STR || e->kind == E_CONCAT || (f->typed && e->type == TY_STRING);
}

static bool num(const struct exp *e, int64_t *v)
{
	if (e && e->kind == E_NUM) {
		*v = e->num;
		return true;
	}
	return false;
}

static void to_num(struct fold *f, struct exp *e, int64_t v)
{
	struct srcpos pos = e->pos;
	memset(e, 0, sizeof *e);
	e->kind = E_NUM;
	e->pos = pos;
	e->num = v;
	e->type = TY_LONG;
	f->changed = true;
}

/* e becomes its operand o (stap provides the other expression) */
static void to_operand(struct fold *f, struct exp *e, struct exp *o)
{
	*e = *o;
	f->changed = true;
}

/* stap folds a shift with the count clamped to 0..64 by its own C++ on x86-64, whose shift
   instruction then masks the count: a count of 64 leaves the value as it is. */
static int64_t shift(int64_t l, int64_t r, bool left)
{
	int c = r < 0 ? 0 : r > 64 ? 64 : (int)r;
	c &= 63;
	return left ? (int64_t)((uint64_t)l << c) : l >> c;
}

static void fold_binary(struct fold *f, struct exp *e)
{
	int64_t l = 0, r = 0, v;
	const char *op = e->op;
	bool ln = num(e->a0, &l), rn = num(e->a1, &r);
	if (rn && r == 0 && (!strcmp(op, "/") || !strcmp(op, "%")))
		return;   /* division by zero stays a run-time error */
	if (ln && rn) {
		uint64_t ul = (uint64_t)l, ur = (uint64_t)r;
		switch (op[0]) {
		case '+': v = (int64_t)(ul + ur); break;
		case '-': v = (int64_t)(ul - ur); break;
		case '*': v = (int64_t)(ul * ur); break;
		case '&': v = l & r; break;
		case '|': v = l | r; break;
		case '^': v = l ^ r; break;
		case '/': v = (l == INT64_MIN && r == -1) ? INT64_MIN : l / r; break;
		case '%': v = (l == INT64_MIN && r == -1) ? 0 : l % r; break;
		case '<': v = shift(l, r, true); break;
		case '>':
			if (!strcmp(op, ">>>"))
				return;   /* stap 4.8's folder leaves >>> alone */
			v = shift(l, r, false);
			break;
		default: return;
		}
		to_num(f, e, v);
		return;
	}
	bool shl = !strcmp(op, "<<"), shr = !strcmp(op, ">>");
	/* an absorbing constant: 0*x, x&0, 0<<x, -1|x, -1>>x, x%1, x%-1, x|-1 */
	if ((ln && ((l == 0 && (op[0] == '*' || op[0] == '&' || shl || shr)) ||
	            (l == -1 && (op[0] == '|' || shr)))) ||
	    (rn && ((r == 0 && (op[0] == '*' || op[0] == '&')) ||
	            (r == 1 && op[0] == '%') ||
	            (r == -1 && (op[0] == '%' || op[0] == '|'))))) {
		if (!effect_free(ln ? e->a1 : e->a0) || !long_form(f, ln ? e->a1 : e->a0))
			return;
		to_num(f, e, ln ? l : op[0] == '%' ? 0 : r);
		return;
	}
	/* an identity: 0+x, 0|x, 0^x, 1*x, -1&x, x+0, x-0, x|0, x^0, x*1, x/1, x&-1, x<<n, x>>n (n<=0) */
	bool ident = (ln && ((l == 0 && (op[0] == '+' || op[0] == '|' || op[0] == '^')) ||
	                     (l == 1 && op[0] == '*') || (l == -1 && op[0] == '&'))) ||
	             (rn && ((r == 0 && (op[0] == '+' || op[0] == '-' || op[0] == '|' || op[0] == '^')) ||
	                     (r == 1 && (op[0] == '*' || op[0] == '/')) || (r == -1 && op[0] == '&') ||
	                     (r <= 0 && (shl || shr))));
	if (ident && long_form(f, ln ? e->a1 : e->a0))
		to_operand(f, e, ln ? e->a1 : e->a0);
}

static void fold_unary(struct fold *f, struct exp *e)
{
	int64_t v;
	if (!num(e->a0, &v))
		return;
	switch (e->op[0]) {
	case '+': break;
	case '-': v = (int64_t)(0 - (uint64_t)v); break;
	case '!': v = !v; break;
	case '~': v = ~v; break;
	default: return;
	}
	to_num(f, e, v);
}

/* && and ||: a deciding constant on the left short-cuts; on the right only a pure left goes */
static void fold_logic(struct fold *f, struct exp *e)
{
	int64_t l, r;
	bool ln = num(e->a0, &l), rn = num(e->a1, &r);
	bool is_and = e->kind == E_AND;
	if (ln && rn) {
		to_num(f, e, is_and ? (l && r) : (l || r));
		return;
	}
	bool decides = is_and ? ((ln && !l) || (rn && !r)) : ((ln && l) || (rn && r));
	if (decides && (ln || effect_free(e->a0)) && long_form(f, ln ? e->a1 : e->a0))
		to_num(f, e, !is_and);
}

static void fold_compare(struct fold *f, struct exp *e)
{
	int64_t l, r;
	int cmp;
	const char *op = e->op;
	bool ln = num(e->a0, &l), rn = num(e->a1, &r);
	if (e->a0->kind == E_STR && e->a1->kind == E_STR) {
		cmp = strcmp(e->a0->str, e->a1->str);
	} else if (ln && rn) {
		cmp = l < r ? -1 : l > r;
	} else {
		bool twochar = op[1] == '=';
		/* a comparison against the end of the range: x <= MAX, x < MIN ... */
		if ((ln && ((l == INT64_MIN && (!strcmp(op, "<=") || !strcmp(op, ">"))) ||
		            (l == INT64_MAX && (!strcmp(op, ">=") || !strcmp(op, "<"))))) ||
		    (rn && ((r == INT64_MIN && (!strcmp(op, ">=") || !strcmp(op, "<"))) ||
		            (r == INT64_MAX && (!strcmp(op, "<=") || !strcmp(op, ">"))))))
			if (effect_free(ln ? e->a1 : e->a0) && long_form(f, ln ? e->a1 : e->a0))
				to_num(f, e, twochar);
		return;
	}
	int64_t v;
	if (!strcmp(op, "==")) v = cmp == 0;
	else if (!strcmp(op, "!=")) v = cmp != 0;
	else if (!strcmp(op, "<")) v = cmp < 0;
	else if (!strcmp(op, ">")) v = cmp > 0;
	else if (!strcmp(op, "<=")) v = cmp <= 0;
	else if (!strcmp(op, ">=")) v = cmp >= 0;
	else return;
	to_num(f, e, v);
}

/* stap 4.8's binary concatenation: two literals join, an empty literal drops out */
static void fold_concat(struct fold *f, struct exp *e)
{
	struct exp *l = e->a0, *r = e->a1;
	bool ls = l->kind == E_STR, rs = r->kind == E_STR;
	if (ls && rs) {
		struct srcpos pos = e->pos;
		const char *str = arena_printf(f->a, "%s%s", l->str, r->str);
		const char *raw = arena_printf(f->a, "%s%s", l->raw ? l->raw : l->str,
		                               r->raw ? r->raw : r->str);
		*e = *l;
		e->pos = pos;
		e->str = str;
		e->raw = raw;
		e->type = TY_STRING;
		f->changed = true;
	} else if (ls && !l->str[0] && str_form(f, r)) {
		to_operand(f, e, r);
	} else if (rs && !r->str[0] && str_form(f, l)) {
		to_operand(f, e, l);
	}
}

/* One node, its children folded already (ast_walk_exp is post-order) */
static void fold_node(void *ud, struct exp *e, struct exp *parent)
{
	struct fold *f = ud;
	int64_t c;
	(void)parent;
	switch (e->kind) {
	case E_TERNARY:
		if (num(e->a0, &c) && ((long_form(f, e->a1) && long_form(f, e->a2)) ||
		                       (str_form(f, e->a1) && str_form(f, e->a2))))
			to_operand(f, e, c ? e->a1 : e->a2);
		break;
	case E_BINARY: fold_binary(f, e); break;
	case E_UNARY: fold_unary(f, e); break;
	case E_AND: case E_OR: fold_logic(f, e); break;
	case E_COMPARE: fold_compare(f, e); break;
	case E_CONCAT: fold_concat(f, e); break;
	default: break;
	}
}

static void fold_exp(struct fold *f, struct exp *e)
{
	ast_walk_exp(e, NULL, fold_node, f, true);
}

static void to_null(struct fold *f, struct stmt *st)
{
	struct srcpos pos = st->pos;
	memset(st, 0, sizeof *st);
	st->kind = S_NULL;
	st->pos = pos;
	f->changed = true;
}

static void fold_stmt(struct fold *f, struct stmt *st)
{
	int64_t c;
	if (!st)
		return;
	fold_exp(f, st->e);
	switch (st->kind) {
	case S_IF:
		if (num(st->e, &c)) {
			struct stmt *keep = c ? st->s1 : st->s2;
			if (!keep) {
				to_null(f, st);
				return;
			}
			*st = *keep;
			f->changed = true;
			fold_stmt(f, st);
			return;
		}
		break;
	case S_WHILE: case S_FOR:
		if (num(st->e, &c) && !c) {
			/* a never-entered loop leaves its initialisation */
			struct exp *init = st->init;
			if (!init) {
				to_null(f, st);
				return;
			}
			fold_exp(f, init);
			struct srcpos pos = init->pos;
			memset(st, 0, sizeof *st);
			st->kind = S_EXPR;
			st->pos = pos;
			st->e = init;
			f->changed = true;
			return;
		}
		break;
	case S_FOREACH:
		fold_exp(f, st->limit);
		if (num(st->limit, &c) && c <= 0) {
			to_null(f, st);
			return;
		}
		break;
	default:
		break;
	}
	fold_exp(f, st->init);
	fold_exp(f, st->incr);
	fold_exp(f, st->value);
	for (int i = 0; i < st->slice.n; i++)
		fold_exp(f, st->slice.v[i]);
	for (int i = 0; i < st->body.n; i++)
		fold_stmt(f, st->body.v[i]);
	fold_stmt(f, st->s1);
	fold_stmt(f, st->s2);
}

bool elab_fold(struct session *s, struct stmt *body, bool typed)
{
	struct fold f = { .a = &s->script_arena, .typed = typed };
	fold_stmt(&f, body);
	return f.changed;
}

/* After type inference (with -u too: stap's const_folder runs in every pass 2) */
void elab_fold_all(struct session *s, bool typed)
{
	struct elab_state *es = s->elab;
	for (int iter = 0; iter < 50; iter++) {
		bool changed = false;
		for (int i = 0; i < es->handlers.n; i++)
			changed |= elab_fold(s, ((struct probe *)es->handlers.v[i])->body, typed);
		for (int i = 0; i < es->functions.n; i++)
			changed |= elab_fold(s, ((struct funcdecl *)es->functions.v[i])->body, typed);
		if (!changed)
			break;
	}
}

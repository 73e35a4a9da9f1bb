/*
** Expressions, by stap's precedence (parse.cxx parse_assignment down to parse_symbol):
** assignment, ternary, || && | ^ &, in, comparison/regex, shift, '.', + -, * / %, unary,
** crements, $target/@cast/@var suffixes, values, literals, calls, print formats, @ops.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parse_int.h"
#include "session.h"

struct exp *parse_new_exp(struct parser *p, enum exp_kind k, const struct token *t)
{
	struct exp *e = arena_alloc(p->a, sizeof(*e));
	e->kind = k;
	if (t)
		e->pos = t->pos;
	return e;
}

static bool is_op_in(const struct token *t, const char *const *ops)
{
	if (!t || t->type != TK_OP)
		return false;
	for (int i = 0; ops[i]; i++)
		if (!strcmp(t->text, ops[i]))
			return true;
	return false;
}

static struct exp *binary(struct parser *p, enum exp_kind k, const struct token *t,
                          struct exp *l, struct exp *r)
{
	struct exp *e = parse_new_exp(p, k, t);
	e->op = t->text;
	e->a0 = l;
	e->a1 = r;
	return e;
}

/* a number token's value, with stap's range rules (LLONG_MIN .. ULLONG_MAX) */
static int64_t number_value(struct parser *p, const struct token *t, bool neg)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(t->text, &end, 0);
	if (errno == ERANGE || errno == EINVAL || *end || end == t->text
	    || (neg && v > 9223372036854775808ULL))
		FAIL(p, "number invalid or out of range");
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

int64_t parse_expect_number(struct parser *p)
{
	bool neg = false;
	const struct token *t = parse_next(p);
	if (lex_is_op(t, "-")) {
		neg = true;
		parse_swallow(p);
		t = parse_next(p);
	}
	if (t->type != TK_NUMBER)
		FAIL(p, "expected number");
	int64_t v = number_value(p, t, neg);
	parse_swallow(p);
	return v;
}

/* "a" "b" -> "ab" (adjacent string literals concatenate) */
struct exp *parse_string_tok(struct parser *p, const struct token *t)
{
	struct exp *e = parse_new_exp(p, E_STR, t);
	const struct token *n = parse_peek(p);
	if (n && n->type == TK_STRING && (parse_has_version(p, "2.0") || !n->comment_before)) {
		/* no malloc'd buffer here: parse_peek may longjmp on a preprocessor error */
		const char *acc = t->text;
		/* before 2.0 a comment between them keeps two strings apart */
		while (n && n->type == TK_STRING && (parse_has_version(p, "2.0") || !n->comment_before)) {
			acc = arena_printf(p->a, "%s%s", acc, n->text);
			parse_next(p);
			n = parse_peek(p);
		}
		e->raw = acc;
	} else {
		e->raw = t->text;
	}
	e->str = lex_unescape(p->a, e->raw);
	return e;
}

struct exp *parse_literal_string(struct parser *p)
{
	const struct token *t = parse_next(p);
	if (t->type != TK_STRING)
		FAIL(p, "expected literal string");
	return parse_string_tok(p, t);
}

struct exp *parse_literal(struct parser *p)
{
	const struct token *t = parse_next(p);
	if (t->type == TK_STRING)
		return parse_string_tok(p, t);
	bool neg = false;
	if (lex_is_op(t, "-")) {
		neg = true;
		parse_swallow(p);
		t = parse_next(p);
	}
	if (t->type != TK_NUMBER)
		FAIL(p, "expected literal string or number");
	struct exp *e = parse_new_exp(p, E_NUM, t);
	e->num = number_value(p, t, neg);
	return e;
}

static struct exp *parse_ternary(struct parser *p);

/* assignment -> ternary [op assignment] (right associative) */
struct exp *parse_expression(struct parser *p)
{
	static const char *const ops[] = { "=", "<<<", "+=", "-=", "*=", "/=", "%=", "<<=",
	                                   ">>=", "&=", "^=", "|=", ".=", NULL };
	parse_deeper(p);
	struct exp *l = parse_ternary(p);
	const struct token *t = parse_peek(p);
	if (is_op_in(t, ops)) {
		parse_next(p);
		l = binary(p, E_ASSIGN, t, l, parse_expression(p));
	}
	p->depth--;
	return l;
}

static struct exp *parse_logical_or(struct parser *p);

/* ternary -> logical_or ['?' expression ':' ternary] */
static struct exp *parse_ternary(struct parser *p)
{
	struct exp *c = parse_logical_or(p);
	const struct token *t = parse_peek(p);
	if (!lex_is_op(t, "?"))
		return c;
	struct exp *e = parse_new_exp(p, E_TERNARY, t);
	parse_next(p);
	e->a0 = c;
	e->a1 = parse_expression(p);
	t = parse_next(p);
	if (!lex_is_op(t, ":"))
		FAIL(p, "expected ':'");
	parse_swallow(p);
	parse_deeper(p);
	/* before 4.0 the false branch took an assignment: a ? b = 4 : c = 5 */
	e->a2 = parse_has_version(p, "4.0") ? parse_ternary(p) : parse_expression(p);
	p->depth--;
	return e;
}

typedef struct exp *(*level_fn)(struct parser *p);

/* left-associative binary level: sub (op sub)* */
static struct exp *left_assoc(struct parser *p, level_fn sub, const char *const *ops,
                              enum exp_kind k)
{
	int depth = p->depth;   /* each operator puts the tree so far one level down */
	struct exp *l = sub(p);
	const struct token *t = parse_peek(p);
	while (is_op_in(t, ops)) {
		parse_next(p);
		parse_deeper(p);
		l = binary(p, k, t, l, sub(p));
		t = parse_peek(p);
	}
	p->depth = depth;
	return l;
}

static struct exp *parse_array_in(struct parser *p);
static struct exp *parse_comparison(struct parser *p);
static struct exp *parse_shift(struct parser *p);
static struct exp *parse_concat(struct parser *p);
static struct exp *parse_additive(struct parser *p);
static struct exp *parse_multiplicative(struct parser *p);
static struct exp *parse_unary(struct parser *p);

static struct exp *parse_boolean_and(struct parser *p)
{
	static const char *const ops[] = { "&", NULL };
	return left_assoc(p, parse_array_in, ops, E_BINARY);
}

static struct exp *parse_boolean_xor(struct parser *p)
{
	static const char *const ops[] = { "^", NULL };
	return left_assoc(p, parse_boolean_and, ops, E_BINARY);
}

static struct exp *parse_boolean_or(struct parser *p)
{
	static const char *const ops[] = { "|", NULL };
	return left_assoc(p, parse_boolean_xor, ops, E_BINARY);
}

static struct exp *parse_logical_and(struct parser *p)
{
	static const char *const ops[] = { "&&", NULL };
	return left_assoc(p, parse_boolean_or, ops, E_AND);
}

static struct exp *parse_logical_or(struct parser *p)
{
	static const char *const ops[] = { "||", NULL };
	return left_assoc(p, parse_logical_and, ops, E_OR);
}

/* array_in -> ['[' idx {',' idx} ']' | comparison] ['in' indexable] ; idx may be '*' */
static struct exp *parse_array_in(struct parser *p)
{
	struct ptrvec idx = { 0 };
	bool paren = false;
	const struct token *t = parse_peek(p);
	if (lex_is_op(t, "[")) {
		parse_swallow(p);
		paren = true;
	}
	for (;;) {
		t = parse_peek(p);
		if (paren && lex_is_op(t, "*")) {
			parse_swallow(p);
			ast_vec_push(p->a, &idx, NULL);
		} else {
			ast_vec_push(p->a, &idx, parse_comparison(p));
		}
		if (!paren)
			break;
		t = parse_peek(p);
		if (lex_is_op(t, ",")) {
			parse_swallow(p);
			continue;
		}
		if (lex_is_op(t, "]")) {
			parse_swallow(p);
			break;
		}
		FAIL(p, "expected ',' or ']'");
	}
	t = parse_peek(p);
	if (lex_is_kw(t, "in")) {
		struct exp *e = parse_new_exp(p, E_IN, t);
		parse_next(p);
		e->args = idx;
		e->a0 = parse_indexable(p);
		return e;
	}
	if (idx.n == 1 && idx.v[0])
		return idx.v[0];
	if (idx.n == 1)   /* "[*]" alone: stap 4.8 crashes here; say what was missing */
		FAIL(p, "expected 'in'");
	FAIL(p, "unexpected comma-separated expression list");
}

/* comparison -> shift ('=~'|'!~' literal_string | (cmp shift)*) */
static struct exp *parse_comparison(struct parser *p)
{
	static const char *const ops[] = { ">", "<", "==", "!=", "<=", ">=", NULL };
	struct exp *l = parse_shift(p);
	const struct token *t = parse_peek(p);
	if (lex_is_op(t, "=~") || lex_is_op(t, "!~")) {
		parse_next(p);
		return binary(p, E_REGEX, t, l, parse_literal_string(p));
	}
	while (is_op_in(t, ops)) {
		parse_next(p);
		l = binary(p, E_COMPARE, t, l, parse_shift(p));
		t = parse_peek(p);
	}
	return l;
}

static struct exp *parse_shift(struct parser *p)
{
	static const char *const ops[] = { "<<", ">>", ">>>", NULL };
	return left_assoc(p, parse_concat, ops, E_BINARY);
}

static struct exp *parse_concat(struct parser *p)
{
	static const char *const ops[] = { ".", NULL };
	return left_assoc(p, parse_additive, ops, E_CONCAT);
}

static struct exp *parse_additive(struct parser *p)
{
	static const char *const ops[] = { "+", "-", NULL };
	return left_assoc(p, parse_multiplicative, ops, E_BINARY);
}

static struct exp *parse_multiplicative(struct parser *p)
{
	static const char *const ops[] = { "*", "/", "%", NULL };
	return left_assoc(p, parse_unary, ops, E_BINARY);
}

static struct exp *parse_crement(struct parser *p);

/* unary -> ('+'|'-'|'!'|'~') unary | crement */
static struct exp *parse_unary(struct parser *p)
{
	static const char *const ops[] = { "+", "-", "!", "~", NULL };
	const struct token *t = parse_peek(p);
	if (!is_op_in(t, ops))
		return parse_crement(p);
	struct exp *e = parse_new_exp(p, E_UNARY, t);
	e->op = t->text;
	parse_next(p);
	parse_deeper(p);
	e->a0 = parse_unary(p);
	p->depth--;
	return e;
}


/* crement -> ('++'|'--') dwarf_value | dwarf_value ['++'|'--'] */
static struct exp *parse_crement(struct parser *p)
{
	static const char *const ops[] = { "++", "--", NULL };
	const struct token *t = parse_peek(p);
	if (is_op_in(t, ops)) {
		struct exp *e = parse_new_exp(p, E_PREINC, t);
		e->op = t->text;
		parse_next(p);
		e->a0 = parse_dwarf_value(p);
		return e;
	}
	struct exp *v = parse_dwarf_value(p);
	t = parse_peek(p);
	if (is_op_in(t, ops)) {
		struct exp *e = parse_new_exp(p, E_POSTINC, t);
		e->op = t->text;
		parse_next(p);
		e->a0 = v;
		return e;
	}
	return v;
}

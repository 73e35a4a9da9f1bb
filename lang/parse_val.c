/*
** Primary expressions (parse.cxx parse_dwarf_value .. parse_target_symbol_components):
** $target/@cast/@var with ->field [i] $ $$ suffixes, '&', parentheses, literals, symbols,
** array indexing, calls, the print family, @count..@variance, @hist_*, @entry/@defined/@perf.
*/
#include <ctype.h>
#include <string.h>

#include "arena.h"
#include "parse_int.h"
#include "session.h"

static bool all_dollars(const char *s)
{
	return *s && strspn(s, "$") == strlen(s);
}

static bool peek_target_components(struct parser *p)
{
	const struct token *t = parse_peek(p);
	return t && (lex_is_op(t, "->") || lex_is_op(t, "[")
	             || (t->type == TK_IDENT && all_dollars(t->text)));
}

static void add_comp(struct parser *p, struct exp *e, enum comp_kind k, const struct token *t)
{
	struct tcomp *c = arena_alloc(p->a, sizeof(*c));
	c->kind = k;
	c->pos = t ? t->pos : e->pos;
	ast_vec_push(p->a, &e->comps, c);
}

static void add_pretty(struct parser *p, struct exp *e, const struct token *t, const char *d)
{
	add_comp(p, e, COMP_PRETTY, t);
	((struct tcomp *)e->comps.v[e->comps.n - 1])->pretty = (int)strlen(d) >= 2 ? 2 : 1;
}

static void add_field(struct parser *p, struct exp *e, const struct token *t, const char *f)
{
	add_comp(p, e, COMP_FIELD, t);
	((struct tcomp *)e->comps.v[e->comps.n - 1])->field = f;
}

/* ->member, [index], and the pretty-printing $ / $$ forms */
static void target_components(struct parser *p, struct exp *e)
{
	bool pprint = false;
	const struct token *t;
	if (e->kind == E_TARGET) {     /* $foo$ / $foo$$ */
		size_t n = strlen(e->str), k = n;
		while (k > 0 && e->str[k - 1] == '$')
			k--;
		if (k > 0 && k < n) {
			add_pretty(p, e, NULL, e->str + k);
			e->str = arena_strndup(p->a, e->str, k);
			pprint = true;
		}
	}
	while (!pprint) {
		if (parse_peek_op(p, "->")) {
			t = parse_next(p);
			const struct token *m = parse_next(p);
			if (m->type != TK_IDENT && m->type != TK_KEYWORD)
				FAIL(p, "expected identifier or keyword");
			parse_swallow(p);
			size_t n = strlen(m->text), k = n;
			while (k > 0 && m->text[k - 1] == '$')
				k--;
			if (k > 0)
				add_field(p, e, t, arena_strndup(p->a, m->text, k));
			if (k < n) {
				add_pretty(p, e, t, m->text + k);
				pprint = true;
			}
		} else if (parse_peek_op(p, "[")) {
			t = parse_next(p);
			struct exp *ix = parse_expression(p);
			if (ix->kind == E_NUM) {
				add_comp(p, e, COMP_INDEX_NUM, t);
				((struct tcomp *)e->comps.v[e->comps.n - 1])->num = ix->num;
			} else {
				add_comp(p, e, COMP_INDEX_EXP, t);
				((struct tcomp *)e->comps.v[e->comps.n - 1])->index = ix;
			}
			parse_expect_op(p, "]");
		} else {
			break;
		}
	}
	if (!pprint) {             /* $foo[i] $ as a separate token */
		t = parse_peek(p);
		if (t && t->type == TK_IDENT && all_dollars(t->text)) {
			parse_next(p);
			add_pretty(p, e, t, t->text);
			pprint = true;
		}
	}
	if (pprint && (parse_peek_op(p, "->") || parse_peek_op(p, "[")))
		FAIL(p, "-> and [ are not accepted for a pretty-printing variable");
}

/* a string literal argument (expect_unknown(tok_string)) */
static const char *expect_string(struct parser *p)
{
	const struct token *t = parse_next(p);
	if (t->type != TK_STRING)
		FAIL(p, "expected string");
	return parse_string_tok(p, t)->raw;
}

static struct exp *parse_cast(struct parser *p, const struct token *t)
{
	struct exp *e = parse_new_exp(p, E_CAST, t);
	parse_expect_op(p, "(");
	e->a0 = parse_expression(p);
	parse_expect_op(p, ",");
	e->str = expect_string(p);
	if (!*e->str)
		FAIL(p, "expected non-empty string");
	if (parse_peek_op(p, ",")) {
		parse_swallow(p);
		e->module = expect_string(p);
	}
	parse_expect_op(p, ")");
	return e;
}

static struct exp *parse_atvar(struct parser *p, const struct token *t)
{
	struct exp *e = parse_new_exp(p, E_ATVAR, t);
	parse_expect_op(p, "(");
	e->str = expect_string(p);
	if (parse_peek_op(p, ",")) {
		parse_swallow(p);
		e->module = expect_string(p);
	}
	parse_expect_op(p, ")");
	return e;
}

static struct exp *parse_value(struct parser *p);

/* dwarf_value -> ['&'] ($var | @cast | @var | value) [components] */
struct exp *parse_dwarf_value(struct parser *p)
{
	const struct token *amp = parse_peek_op(p, "&") ? parse_next(p) : NULL;
	const struct token *t = parse_peek(p);
	struct exp *e, *ts = NULL;
	if (t && t->type == TK_IDENT && t->text[0] == '$') {
		parse_next(p);
		e = ts = parse_new_exp(p, E_TARGET, t);
		e->str = t->text;
	} else if (lex_is_op(t, "@cast")) {
		parse_next(p);
		e = ts = parse_cast(p, t);
	} else if (lex_is_op(t, "@var")) {
		parse_next(p);
		e = ts = parse_atvar(p, t);
	} else if (amp && !parse_has_version(p, "2.6")) {
		/* '&' took only these before autocasts (2.6) */
		FAIL(p, "expected @cast, @var or $var");
	} else {
		e = parse_value(p);
		if (amp && (e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR
		            || e->kind == E_AUTOCAST)) {
			ts = e;
			if (ts->addr_of)
				parse_fail(p, "cannot take address more than once", amp, true);
		}
	}
	if (!ts && (amp || peek_target_components(p)) && parse_has_version(p, "2.6")) {
		ts = parse_new_exp(p, E_AUTOCAST, amp ? amp : parse_peek(p));
		ts->a0 = e;
		e = ts;
	}
	if (ts) {
		ts->addr_of = amp != NULL;
		target_components(p, ts);
	}
	return e;
}

/* value -> embedded | '(' expression ')' | symbol | literal */
static struct exp *parse_value(struct parser *p)
{
	const struct token *t = parse_peek(p);
	if (!t)
		FAIL(p, "expected value");
	if (t->type == TK_EMBEDDED) {
		if (!p->privileged)
			parse_fail(p, "embedded expression code in unprivileged script; need stap -g",
			           NULL, false);
		struct exp *e = parse_new_exp(p, E_EMBEDDED, t);
		e->str = t->text;
		parse_next(p);
		return e;
	}
	if (lex_is_op(t, "(")) {
		parse_swallow(p);
		struct exp *e = parse_expression(p);
		t = parse_next(p);
		if (!lex_is_op(t, ")"))
			FAIL(p, "expected ')'");
		parse_swallow(p);
		return e;
	}
	if (t->type == TK_IDENT || (t->type == TK_OP && t->text[0] == '@'))
		return parse_symbol(p);
	return parse_literal(p);
}

/* '@hist_linear' '(' exp ',' n ',' n ',' n ')' | '@hist_log' '(' exp ')' | name */
static const struct token *hist_or_name(struct parser *p, struct exp **hist)
{
	const struct token *t = parse_next(p);
	*hist = NULL;
	if (t->type != TK_IDENT && !(t->type == TK_OP && t->text[0] == '@'))
		FAIL(p, "expected identifier or statistical operation");
	bool lin = !strcmp(t->text, "@hist_linear");
	if (!lin && strcmp(t->text, "@hist_log"))
		return t;
	struct exp *h = parse_new_exp(p, E_HIST, t);
	h->hist_linear = lin;
	parse_expect_op(p, "(");
	h->a0 = parse_expression(p);
	for (int i = 0; lin && i < 3; i++) {
		parse_expect_op(p, ",");
		const struct token *nt = parse_peek(p);
		struct exp *n = parse_new_exp(p, E_NUM, nt);
		n->num = parse_expect_number(p);
		ast_vec_push(p->a, &h->args, n);
	}
	parse_expect_op(p, ")");
	*hist = h;
	return t;
}

struct exp *parse_indexable(struct parser *p)
{
	struct exp *h;
	const struct token *t = hist_or_name(p, &h);
	if (h)
		return h;
	struct exp *e = parse_new_exp(p, E_SYM, t);
	e->str = t->text;
	return e;
}

/* print_format::create: print_char, [s]print{f | [d][ln]}. *flags: 1 format, 2 delim, 4 ln */
static bool print_name(const char *n, int *flags)
{
	*flags = 0;
	if (!strcmp(n, "print_char"))
		return true;
	if (*n == 's')
		n++;
	if (strncmp(n, "print", 5))
		return false;
	n += 5;
	if (*n == 'f') {
		*flags = 1;
		n++;
	} else {
		if (*n == 'd') {
			*flags |= 2;
			n++;
		}
		if (n[0] == 'l' && n[1] == 'n') {
			*flags |= 4;
			n += 2;
		}
	}
	return *n == 0;
}

/* stap checks printf formats while parsing (print_format::string_to_components): the error
   text, or NULL. One flag at most, width, precision, one 'l', then the conversion. */
static const char *format_error(const char *s)
{
	while (*s) {
		if (*s != '%') {
			s++;
			continue;
		}
		if (s[1] == '%') {
			s += 2;
			continue;
		}
		if (!s[1])   /* stap reads past the end here; it reports this */
			return "invalid or missing conversion specifier";
		s++;
		bool started = false;
		if (strchr("0+- #", *s)) {
			s++;
			started = true;
		}
		if (*s == '*') {
			s++;
			started = true;
		} else if (isdigit((unsigned char)*s)) {
			while (isdigit((unsigned char)*s))
				s++;
			started = true;
		}
		if (*s == '.') {
			s++;
			if (*s == '*') {
				s++;
				started = true;
			} else if (isdigit((unsigned char)*s)) {
				while (isdigit((unsigned char)*s))
					s++;
				started = true;
			}
		}
		if (*s == 'l')
			s++;
		if (!*s)
			return started ? "trailing incomplete print format conversion" : NULL;
		if (!strchr("bcsmMdiuoXxp", *s))
			return "invalid or missing conversion specifier";
		s++;
	}
	return NULL;
}

static const char *const statops[] = { "avg", "variance", "count", "sum", "min", "max", NULL };

static struct exp *parse_statop(struct parser *p, const struct token *t)
{
	const char *name = t->text + 1;
	int i;
	for (i = 0; statops[i] && strcmp(statops[i], name); i++)
		;
	if (!statops[i])
		FAIL(p, arena_printf(p->a, "unknown operator %s", t->text));
	int max_params = !strcmp(name, "variance");
	struct exp *e = parse_new_exp(p, E_STATOP, t);
	e->str = statops[i];
	parse_expect_op(p, "(");
	e->a0 = parse_expression(p);
	for (;;) {
		const struct token *n = parse_next(p);
		if (lex_is_op(n, ")")) {
			parse_swallow(p);
			break;
		}
		if (lex_is_op(n, ",")) {
			if (e->args.n >= max_params)
				parse_fail(p, max_params ? "not more than 2 parameters allowed"
				                         : "not more than 1 parameter allowed", n, true);
			parse_swallow(p);
			const struct token *nt = parse_peek(p);
			struct exp *v = parse_new_exp(p, E_NUM, nt);
			v->num = parse_expect_number(p);
			ast_vec_push(p->a, &e->args, v);
		}
	}
	return e;
}

static void expect_op_any2(struct parser *p, const char *a, const char *b, const char **found)
{
	const struct token *t = parse_next(p);
	if (lex_is_op(t, a) || lex_is_op(t, b)) {
		*found = t->text;
		parse_swallow(p);
		return;
	}
	FAIL(p, arena_printf(p->a, "expected one of '%s %s'", a, b));
}

static struct exp *parse_print(struct parser *p, const struct token *t, int flags)
{
	struct exp *e = parse_new_exp(p, E_PRINT, t);
	const char *sep;
	e->str = t->text;
	parse_expect_op(p, "(");
	bool plain = !strcmp(t->text, "print") || !strcmp(t->text, "println")
	             || !strcmp(t->text, "sprint") || !strcmp(t->text, "sprintln");
	if (plain && (parse_peek_op(p, "@hist_linear") || parse_peek_op(p, "@hist_log"))) {
		struct exp *h;
		const struct token *ht = hist_or_name(p, &h);
		if (!parse_peek_op(p, "[")) {
			e->a0 = h;
		} else {
			parse_expect_op(p, "[");
			struct exp *ai = parse_new_exp(p, E_INDEX, ht);
			ai->a0 = h;
			ast_vec_push(p->a, &ai->args, parse_expression(p));
			parse_expect_op(p, "]");
			ast_vec_push(p->a, &e->args, ai);
			while (!parse_peek_op(p, ")")) {
				expect_op_any2(p, ",", ")", &sep);
				ast_vec_push(p->a, &e->args, parse_expression(p));
			}
		}
		parse_expect_op(p, ")");
		return e;
	}
	int min_args = 0;
	bool consumed = false;
	if (flags & 1) {
		e->fmt = parse_literal_string(p);
		const char *err = format_error(e->fmt->raw);
		if (err)
			FAIL(p, err);
		consumed = true;
	} else if (flags & 2) {
		e->fmt = parse_literal_string(p);
		consumed = true;
		min_args = 2;
	} else if (!(flags & 4)) {
		min_args = 1;
	}
	while (min_args || !parse_peek_op(p, ")")) {
		if (consumed)
			expect_op_any2(p, ",", ")", &sep);
		ast_vec_push(p->a, &e->args, parse_expression(p));
		consumed = true;
		if (min_args)
			min_args--;
	}
	parse_expect_op(p, ")");
	return e;
}

/* @defined/@entry '(' expression ')', @perf '(' string ')' */
static struct exp *parse_op1(struct parser *p, const struct token *t, enum exp_kind k)
{
	struct exp *e = parse_new_exp(p, k, t);
	parse_expect_op(p, "(");
	if (k == E_PERF) {
		e->a0 = parse_literal_string(p);
		if (!*e->a0->str)
			FAIL(p, "expected non-empty string");
	} else {
		e->a0 = parse_expression(p);
	}
	parse_expect_op(p, ")");
	return e;
}

static struct exp *parse_call(struct parser *p, const struct token *t)
{
	struct exp *e = parse_new_exp(p, E_CALL, t);
	const char *sep;
	e->str = t->text;
	parse_swallow(p);
	if (parse_peek_op(p, ")")) {
		parse_swallow(p);
		return e;
	}
	for (;;) {
		ast_vec_push(p->a, &e->args, parse_expression(p));
		expect_op_any2(p, ")", ",", &sep);
		if (!strcmp(sep, ")"))
			return e;
	}
}

/* base '[' (exp | '*') {',' (exp | '*')} ']' */
static struct exp *parse_index(struct parser *p, const struct token *t, struct exp *base)
{
	struct exp *ai = parse_new_exp(p, E_INDEX, t);
	const char *sep;
	ai->a0 = base;
	parse_swallow(p);
	for (;;) {
		if (parse_peek_op(p, "*")) {
			parse_swallow(p);
			ast_vec_push(p->a, &ai->args, NULL);
		} else {
			ast_vec_push(p->a, &ai->args, parse_expression(p));
		}
		expect_op_any2(p, "]", ",", &sep);
		if (!strcmp(sep, "]"))
			return ai;
	}
}

/* @const("c expr"): embedded code, guru only */
static struct exp *parse_const(struct parser *p, const struct token *t)
{
	if (!p->privileged)
		parse_fail(p, "using @const operator not permitted; need stap -g", NULL, false);
	struct exp *e = parse_new_exp(p, E_EMBEDDED, t);
	parse_expect_op(p, "(");
	const char *c = expect_string(p);
	if (!*c)
		FAIL(p, "expected non-empty string");
	parse_expect_op(p, ")");
	e->str = arena_printf(p->a, "/* pure */ /* unprivileged */ /* stable */ %s", c);
	return e;
}

/* @kregister(n) @uregister(n) @kderef(size, addr) @uderef(size, addr) @probewrite(name) */
static struct exp *parse_regop(struct parser *p, const struct token *t)
{
	bool user = t->text[1] == 'u';
	if (!strcmp(t->text + 1, "probewrite")) {
		struct exp *e = parse_new_exp(p, E_PROBEWRITE, t);
		parse_expect_op(p, "(");
		const struct token *n = parse_next(p);
		if (n->type != TK_IDENT)
			FAIL(p, "expected identifier");
		e->str = n->text;
		parse_swallow(p);
		parse_expect_op(p, ")");
		return e;
	}
	bool reg = !strcmp(t->text + 2, "register");
	struct exp *e = parse_new_exp(p, reg ? E_REGISTER : E_DEREF, t);
	e->op = user ? "u" : "k";
	if (!user && !p->privileged)
		parse_fail(p, reg ? "using @kregister operator not permitted; need stap -g"
		                  : "using @kderef operator not permitted; need stap -g", NULL, false);
	parse_expect_op(p, "(");
	e->num = parse_expect_number(p);
	if (!reg) {
		parse_expect_op(p, ",");
		e->a0 = parse_expression(p);
	}
	parse_expect_op(p, ")");
	return e;
}

/* symbol -> name | name '[' ... ']' | name '(' args ')' | print-family | @op(...) */
struct exp *parse_symbol(struct parser *p)
{
	struct exp *h, *sym = NULL;
	const struct token *t = hist_or_name(p, &h);
	int flags;
	if (!h) {
		const char *n = t->text;
		if (!strcmp(n, "@defined"))
			return parse_op1(p, t, E_DEFINED);
		if (!strcmp(n, "@entry"))
			return parse_op1(p, t, E_ENTRY);
		if (!strcmp(n, "@perf"))
			return parse_op1(p, t, E_PERF);
		if (!strcmp(n, "@const"))
			return parse_const(p, t);
		if (!strcmp(n, "@kregister") || !strcmp(n, "@uregister") || !strcmp(n, "@kderef")
		    || !strcmp(n, "@uderef") || !strcmp(n, "@probewrite"))
			return parse_regop(p, t);
		if (n[0] == '@')
			return parse_statop(p, t);
		if (print_name(n, &flags))
			return parse_print(p, t, flags);
		if (parse_peek_op(p, "("))
			return parse_call(p, t);
		sym = parse_new_exp(p, E_SYM, t);
		sym->str = n;
	}
	if (parse_peek_op(p, "["))
		return parse_index(p, t, h ? h : sym);
	if (h)
		parse_fail(p, "base histogram operator where expression expected", t, true);
	return sym;
}

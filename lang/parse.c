/*
** The parser (stap's parse.cxx): files, probes and aliases, probe points, globals,
** functions and statements. A parse error longjmps back to the declaration loop, which
** reports it and skips to the next 'probe'/'global'/'function'/'private'/'%{', as stap does.
*/
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "parse_int.h"
#include "session.h"

/* ---- errors and the token stream ---- */

static void print_error(struct parser *p, const char *msg, const struct token *tok,
                        const char *site)
{
	struct diag *d = &p->s->diag;
	const struct token *t = tok ? tok : p->last_t;
	const char *label = tok ? "at" : "saw";
	p->errors++;
	if (t && t->type == TK_JUNK && t->junk != JUNK_UNKNOWN) {
		msg = lex_junk_message(p->s, t);
		label = "at";
	}
	if (!diag_parse(d, site, msg, label, t ? lex_describe(p->a, t) : NULL, t ? &t->pos : NULL,
	                p->src->name))
		return;
	for (const struct token *c = t ? t->chain : NULL; c; c = c->chain)
		diag_chain(d, "in expansion of macro", lex_describe(p->a, c), &c->pos);
	diag_end(d);
}

void parse_fail_at(struct parser *p, const char *msg, const struct token *tok, bool skip_some,
                   const char *site)
{
	print_error(p, msg, tok, site);
	p->skip_some = skip_some;
	longjmp(*p->jb, 1);
}

void parse_pp_error(void *ctx, const char *msg, const struct token *tok, const char *site,
                    const char *chain_msg, const struct token *chain_tok)
{
	struct parser *p = ctx;
	if (chain_msg) {
		const char *key = arena_printf(p->a, "%s%s", site, msg);
		int seen = p->s->diag.suppressed_errors;
		print_error(p, msg, tok, key);
		if (seen == p->s->diag.suppressed_errors) {   /* printed: so is its chain */
			diag_parse(&p->s->diag, "", chain_msg, "at", lex_describe(p->a, chain_tok),
			           &chain_tok->pos, p->src->name);
			p->s->diag.errors--;   /* one error, two messages */
			diag_end(&p->s->diag);
		}
		p->skip_some = true;
		longjmp(*p->jb, 1);
	}
	parse_fail_at(p, msg, tok, true, site);
}

const struct token *parse_peek(struct parser *p)
{
	if (!p->next_t)
		p->next_t = pp_scan(p->pp);
	p->last_t = p->next_t;
	return p->next_t;
}

const struct token *parse_next(struct parser *p)
{
	if (!p->next_t)
		p->next_t = pp_scan(p->pp);
	if (!p->next_t)
		FAIL(p, "unexpected end-of-file");
	p->last_t = p->next_t;
	p->next_t = NULL;
	return p->last_t;
}

void parse_swallow(struct parser *p)
{
	p->last_t = p->next_t = NULL;
}

bool parse_peek_op(struct parser *p, const char *op)
{
	return lex_is_op(parse_peek(p), op);
}

void parse_expect_op(struct parser *p, const char *op)
{
	const struct token *t = parse_next(p);
	if (!lex_is_op(t, op))
		FAIL(p, arena_printf(p->a, "expected '%s'", op));
	parse_swallow(p);
}

static void expect_kw(struct parser *p, const char *kw)
{
	const struct token *t = parse_next(p);
	if (!lex_is_kw(t, kw))
		FAIL(p, arena_printf(p->a, "expected '%s'", kw));
	parse_swallow(p);
}

static struct stmt *new_stmt(struct parser *p, enum stmt_kind k, const struct token *t)
{
	struct stmt *s = arena_alloc(p->a, sizeof(*s));
	s->kind = k;
	if (t)
		s->pos = t->pos;
	return s;
}

static struct exp *sym_exp(struct parser *p, const struct token *t)
{
	struct exp *e = parse_new_exp(p, E_SYM, t);
	e->str = t->text;
	return e;
}

/* ---- statements ---- */

/* block -> '{' statement* '}' */
struct stmt *parse_stmt_block(struct parser *p)
{
	const struct token *t = parse_next(p);
	if (!lex_is_op(t, "{"))
		FAIL(p, "expected '{'");
	struct stmt *b = new_stmt(p, S_BLOCK, t);
	for (;;) {
		t = parse_peek(p);
		if (lex_is_op(t, "}")) {
			parse_swallow(p);
			return b;
		}
		ast_vec_push(p->a, &b->body, parse_statement(p));
	}
}

/* try -> 'try' block 'catch' ['(' identifier ')'] block */
static struct stmt *parse_try(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_TRY, parse_next(p));
	s->s1 = parse_stmt_block(p);
	expect_kw(p, "catch");
	if (parse_peek_op(p, "(")) {
		parse_swallow(p);
		const struct token *t = parse_next(p);
		if (t->type != TK_IDENT)
			FAIL(p, "expected identifier");
		s->catch_sym = sym_exp(p, t);
		parse_expect_op(p, ")");
	}
	s->s2 = parse_stmt_block(p);
	return s;
}

/* stap raises these in each statement's own code: keep the caller's site */
static void expect_paren_at(struct parser *p, const char *op, const char *site)
{
	const struct token *t = parse_next(p);
	if (!lex_is_op(t, op))
		parse_fail_at(p, arena_printf(p->a, "expected '%s'", op), NULL, true, site);
	parse_swallow(p);
}
#define expect_paren(p, op) expect_paren_at((p), (op), SITE)

/* if -> 'if' '(' expression ')' statement ['else' statement] */
static struct stmt *parse_if(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_IF, parse_next(p));
	expect_paren(p, "(");
	s->e = parse_expression(p);
	expect_paren(p, ")");
	s->s1 = parse_statement(p);
	if (lex_is_kw(parse_peek(p), "else")) {
		parse_swallow(p);
		s->s2 = parse_statement(p);
	}
	return s;
}

/* for -> 'for' '(' [exp] ';' [exp] ';' [exp] ')' statement */
static struct stmt *parse_for(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_FOR, parse_next(p));
	expect_paren(p, "(");
	if (parse_peek_op(p, ";")) {
		parse_swallow(p);
	} else {
		s->init = parse_expression(p);
		expect_paren(p, ";");
	}
	const struct token *t = parse_peek(p);
	if (lex_is_op(t, ";")) {
		s->e = parse_new_exp(p, E_NUM, t);
		s->e->num = 1;
		parse_next(p);
	} else {
		s->e = parse_expression(p);
		expect_paren(p, ";");
	}
	if (parse_peek_op(p, ")")) {
		parse_swallow(p);
	} else {
		s->incr = parse_expression(p);
		expect_paren(p, ")");
	}
	s->s1 = parse_statement(p);
	return s;
}

/* while -> 'while' '(' expression ')' statement */
static struct stmt *parse_while(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_WHILE, parse_next(p));
	expect_paren(p, "(");
	s->e = parse_expression(p);
	expect_paren(p, ")");
	s->s1 = parse_statement(p);
	return s;
}

static int sort_of(const struct token *t)
{
	return lex_is_op(t, "+") ? 1 : lex_is_op(t, "-") ? -1 : 0;
}

/* the key list: ident[+-] | '[' ident[+-] {',' ident[+-]} ']' */
static void foreach_keys(struct parser *p, struct stmt *s, const struct token *look, int lsort)
{
	if (look) {
		ast_vec_push(p->a, &s->keys, sym_exp(p, look));
		if (lsort) {
			s->sort_dir = lsort;
			s->sort_key = 1;
		}
		return;
	}
	bool paren = false;
	if (parse_peek_op(p, "[")) {
		parse_swallow(p);
		paren = true;
	}
	for (;;) {
		const struct token *t = parse_next(p);
		if (t->type != TK_IDENT)
			FAIL(p, "expected identifier");
		ast_vec_push(p->a, &s->keys, sym_exp(p, t));
		int d = sort_of(parse_peek(p));
		if (d) {
			if (s->sort_dir)
				FAIL(p, "multiple sort directives");
			s->sort_dir = d;
			s->sort_key = s->keys.n;
			parse_swallow(p);
		}
		if (!paren)
			return;
		t = parse_peek(p);
		if (lex_is_op(t, ",")) {
			parse_swallow(p);
			continue;
		}
		if (lex_is_op(t, "]")) {
			parse_swallow(p);
			return;
		}
		FAIL(p, "expected ',' or ']'");
	}
}

static void foreach_slice(struct parser *p, struct stmt *s)
{
	parse_swallow(p);
	for (;;) {
		if (parse_peek_op(p, "*")) {
			parse_swallow(p);
			ast_vec_push(p->a, &s->slice, NULL);
		} else {
			ast_vec_push(p->a, &s->slice, parse_expression(p));
		}
		const struct token *t = parse_peek(p);
		if (lex_is_op(t, ",")) {
			parse_swallow(p);
			continue;
		}
		if (lex_is_op(t, "]")) {
			parse_swallow(p);
			return;
		}
		FAIL(p, "expected ',' or ']'");
	}
}

/* sorting and limit after the array: [@aggr] ['+'|'-'] ['limit' exp] */
static void foreach_tail(struct parser *p, struct stmt *s)
{
	static const char *const aggr[] = { "avg", "min", "max", "count", "sum", "variance", NULL };
	const struct token *t = parse_peek(p);
	if (t && t->type == TK_OP && t->text[0] == '@') {
		int i;
		for (i = 0; aggr[i] && strcmp(aggr[i], t->text + 1); i++)
			;
		if (!aggr[i])
			FAIL(p, "expected statistical operation");
		s->sort_aggr = aggr[i];
		parse_swallow(p);
		if (!sort_of(parse_peek(p)))
			FAIL(p, "expected sort directive");
	}
	int d = sort_of(parse_peek(p));
	if (d) {
		if (s->sort_dir)
			FAIL(p, "multiple sort directives");
		s->sort_dir = d;
		s->sort_key = 0;
		parse_swallow(p);
	}
	if (lex_is_kw(parse_peek(p), "limit")) {
		parse_swallow(p);
		s->limit = parse_expression(p);
	}
}

/* foreach -> 'foreach' '(' [v[+-] '='] keys 'in' indexable [slice] tail ')' statement */
static struct stmt *parse_foreach(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_FOREACH, parse_next(p));
	const struct token *look = NULL, *t;
	int lsort = 0;
	expect_paren(p, "(");
	t = parse_peek(p);
	if (t && t->type == TK_IDENT) {
		look = parse_next(p);
		lsort = sort_of(parse_peek(p));
		if (lsort)
			parse_swallow(p);
		if (parse_peek_op(p, "=")) {
			parse_swallow(p);
			s->value = sym_exp(p, look);
			if (lsort) {
				s->sort_dir = lsort;
				s->sort_key = 0;
			}
			look = NULL;
			lsort = 0;
		}
	}
	foreach_keys(p, s, look, lsort);
	expect_kw(p, "in");
	s->e = parse_indexable(p);
	if (parse_peek_op(p, "["))
		foreach_slice(p, s);
	foreach_tail(p, s);
	expect_paren(p, ")");
	s->s1 = parse_statement(p);
	return s;
}

static struct stmt *parse_simple_kw(struct parser *p, const struct token *t)
{
	struct stmt *s;
	if (!strcmp(t->text, "return")) {
		parse_next(p);
		if (p->context != CON_FUNCTION)
			FAIL(p, "found 'return' not in function context");
		s = new_stmt(p, S_RETURN, t);
		const struct token *n = parse_peek(p);
		if (!n)
			FAIL(p, "expected ';', '}' or an expression statement");
		if (!lex_is_op(n, ";") && !lex_is_op(n, "}"))
			s->e = parse_expression(p);
		return s;
	}
	parse_next(p);
	if (!strcmp(t->text, "delete")) {
		s = new_stmt(p, S_DELETE, t);
		s->e = parse_expression(p);
		return s;
	}
	if (!strcmp(t->text, "break"))
		return new_stmt(p, S_BREAK, t);
	if (!strcmp(t->text, "continue"))
		return new_stmt(p, S_CONTINUE, t);
	return new_stmt(p, S_NEXT, t);
}

/* statement -> ';' | block | try | if | for | foreach | while | simple [';'] */
static struct stmt *statement(struct parser *p);

struct stmt *parse_statement(struct parser *p)
{
	parse_deeper(p);
	struct stmt *s = statement(p);
	p->depth--;
	return s;
}

static struct stmt *statement(struct parser *p)
{
	const struct token *t = parse_peek(p);
	struct stmt *s;
	if (lex_is_op(t, ";"))
		return new_stmt(p, S_NULL, parse_next(p));
	if (lex_is_op(t, "{"))
		return parse_stmt_block(p);
	if (t && t->type == TK_KEYWORD) {
		if (!strcmp(t->text, "try"))
			return parse_try(p);
		if (!strcmp(t->text, "if"))
			return parse_if(p);
		if (!strcmp(t->text, "for"))
			return parse_for(p);
		if (!strcmp(t->text, "foreach"))
			return parse_foreach(p);
		if (!strcmp(t->text, "while"))
			return parse_while(p);
	}
	if (t && t->type == TK_KEYWORD && (!strcmp(t->text, "return") || !strcmp(t->text, "delete")
	    || !strcmp(t->text, "break") || !strcmp(t->text, "continue")
	    || !strcmp(t->text, "next"))) {
		s = parse_simple_kw(p, t);
	} else if (t && (t->type == TK_OP || t->type == TK_IDENT || t->type == TK_NUMBER
	                 || t->type == TK_STRING || t->type == TK_EMBEDDED)) {
		s = new_stmt(p, S_EXPR, t);
		s->e = parse_expression(p);
	} else {
		FAIL(p, "expected statement");
	}
	if (parse_peek_op(p, ";"))
		parse_swallow(p);
	return s;
}

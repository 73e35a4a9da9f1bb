/*
** The parser's internal interface, shared by parse.c (files, declarations, probe points,
** statements) and parse_exp.c (expressions). Errors longjmp back to the declaration loop.
*/
#ifndef USTAP_PARSE_INT_H
#define USTAP_PARSE_INT_H

#include <setjmp.h>
#include <stdbool.h>

#include "ast.h"
#include "lex.h"
#include "parse.h"

struct session;

enum parse_context { CON_UNKNOWN, CON_PROBE, CON_GLOBAL, CON_FUNCTION, CON_EMBEDDED };

struct parser {
	struct session *s;
	struct arena *a;
	const struct srcfile *src;
	struct lexer lx;
	struct pp *pp;
	const struct token *next_t, *last_t;
	jmp_buf *jb;                 /* where a parse error goes */
	int errors;
	enum parse_context context;
	bool privileged;             /* -g or a tapset: embedded C allowed */
	bool user_file;
	bool compat;                 /* --compatible gates apply: not the builtin tapset (stap's
	                                pf_no_compatible is for its first tapset dir only) */
	bool skip_some;              /* resync after the current error */
	int depth;                   /* nesting of the tree being built (parse_deeper) */
};

/* Report a parse error (tok NULL: "saw" the current token) and longjmp. site: where it was
   raised, as stap suppresses repeats of one raising place (not of one message text). */
void parse_fail_at(struct parser *p, const char *msg, const struct token *tok, bool skip_some,
                   const char *site) __attribute__((noreturn));
#define PARSE_STR2(x) #x
#define PARSE_STR(x) PARSE_STR2(x)
/* --compatible: the language of stap v or later (stap's lexer::has_version) */
bool parse_has_version(const struct parser *p, const char *v);
#define SITE (__FILE__ ":" PARSE_STR(__LINE__))
#define parse_fail(p, msg, tok, skip) parse_fail_at((p), (msg), (tok), (skip), SITE)
#define FAIL(p, msg) parse_fail_at((p), (msg), NULL, true, SITE)

void parse_pp_error(void *ctx, const char *msg, const struct token *tok, const char *site,
                    const char *chain_msg, const struct token *chain_tok);  /* pp_error_fn */

const struct token *parse_peek(struct parser *p);
const struct token *parse_next(struct parser *p);     /* fails at the end of input */
void parse_swallow(struct parser *p);
bool parse_peek_op(struct parser *p, const char *op);
void parse_expect_op(struct parser *p, const char *op);

struct exp *parse_new_exp(struct parser *p, enum exp_kind k, const struct token *t);
struct exp *parse_expression(struct parser *p);
struct exp *parse_literal(struct parser *p);
struct exp *parse_literal_string(struct parser *p);
struct exp *parse_string_tok(struct parser *p, const struct token *t);  /* E_STR from t (+ adjacent strings) */
struct exp *parse_dwarf_value(struct parser *p);
struct exp *parse_symbol(struct parser *p);
struct exp *parse_indexable(struct parser *p);
int64_t parse_expect_number(struct parser *p);
struct stmt *parse_statement(struct parser *p);
struct stmt *parse_stmt_block(struct parser *p);

/* Every pass walks the tree recursively: a tree deeper than this (10000 parentheses, a chain
   of 200000 '+') would overflow the C stack, so the parser refuses it (Lua's LUAI_MAXCCALLS).
   Callers undo their levels with p->depth--; a parse error resets it per declaration. */
#define PARSE_MAXDEPTH 1000
static inline void parse_deeper(struct parser *p)
{
	if (++p->depth > PARSE_MAXDEPTH)
		parse_fail_at(p, "too many nested levels (" PARSE_STR(PARSE_MAXDEPTH) ")", parse_peek(p),
		              true, SITE);
}

#endif

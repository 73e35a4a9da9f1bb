/*
** Lexical analysis of stap scripts: tokens with positions, as stap's lexer::scan makes them.
** $N/@N/$#/@# are pasted into the character stream (stap's input_put), so "$1" may become
** any token sequence. The preprocessor (pp.c) and the parser (parse.c) read from here.
*/
#ifndef USTAP_LEX_H
#define USTAP_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"

struct session;

enum tok_type {
	TK_JUNK, TK_IDENT, TK_OP, TK_STRING, TK_NUMBER, TK_EMBEDDED, TK_KEYWORD,
};

enum junk_type {
	JUNK_NONE, JUNK_UNKNOWN, JUNK_NESTED_ARG, JUNK_INVALID_ARG,
	JUNK_UNCLOSED_QUOTE, JUNK_UNCLOSED_EMBEDDED,
};

struct token {
	enum tok_type type;
	enum junk_type junk;
	const char *text;            /* stap's token content; strings keep escapes as stap does */
	struct srcpos pos;
	bool ws_before;              /* whitespace or a comment came before it */
	bool comment_before;
	const struct token *chain;   /* the macro invocation this token was expanded from, or NULL */
};

struct lexer {
	struct session *s;
	const struct srcfile *src;
	char *buf;                   /* malloc'd copy of the text, grown by argument pasting */
	size_t len, pos;
	int line, col;
	unsigned suspend;            /* chars of pasted text left: the cursor stands still */
	int susp_line, susp_col;
	bool saw_tokens;
};

void lex_init(struct lexer *lx, struct session *s, const struct srcfile *src);
void lex_free(struct lexer *lx);
/* The next token, or NULL at the end of input. Tokens live in s->script_arena. */
struct token *lex_scan(struct lexer *lx);

bool lex_is(const struct token *t, enum tok_type type, const char *text);
bool lex_is_op(const struct token *t, const char *op);
bool lex_is_kw(const struct token *t, const char *kw);
const char *lex_type_name(enum tok_type t);       /* "identifier", "operator", ... (stap's tt2str) */
/* "identifier 'b' at foo.stp:1:14" (stap's operator<< on a token) */
char *lex_describe(struct arena *a, const struct token *t);
/* The junk message for a junk token ("Could not find matching closing quote"...) */
const char *lex_junk_message(struct session *s, const struct token *t);
/* stap's lex_cast_qstring: quote, escape " and \, octal-escape unprintables. */
void lex_qstring(struct strbuf *out, const char *s);
/* Decode a string token's kept escapes (\n \t \\ \ooo \xhh ...) into its value. */
char *lex_unescape(struct arena *a, const char *raw);

#endif

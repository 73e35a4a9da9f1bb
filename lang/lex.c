/*
** Lexical Analyzer: stap's tokens (parse.cxx lexer::scan), with 1-based line:col positions.
** Command line arguments ($1 @1 $# @#) are pasted into the character stream before
** scanning goes on, as stap does; tokens made from pasted text carry the $N position.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lex.h"
#include "session.h"

static const char *const keywords[] = {
	"probe", "global", "private", "function", "if", "else", "for", "foreach", "in",
	"limit", "return", "delete", "while", "break", "continue", "next", "string", "long",
	"try", "catch", NULL
};

void lex_init(struct lexer *lx, struct session *s, const struct srcfile *src)
{
	memset(lx, 0, sizeof(*lx));
	lx->s = s;
	lx->src = src;
	lx->len = src->len;
	lx->buf = malloc(lx->len + 1);
	if (!lx->buf)
		abort();
	memcpy(lx->buf, src->text, lx->len);
	lx->buf[lx->len] = 0;
	lx->line = lx->col = 1;
}

void lex_free(struct lexer *lx)
{
	free(lx->buf);
	lx->buf = NULL;
}

static int peekc(struct lexer *lx, size_t n)
{
	if (lx->pos + n >= lx->len)
		return -1;
	return (unsigned char)lx->buf[lx->pos + n];
}

static int getc_(struct lexer *lx)
{
	int c = peekc(lx, 0);
	if (c < 0)
		return c;
	lx->pos++;
	if (lx->suspend) {
		/* pasted text: keep the $N position until all of it is consumed */
		if (--lx->suspend == 0) {
			lx->line = lx->susp_line;
			lx->col = lx->susp_col;
		}
	} else if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	return c;
}

/* stap's input_put: insert chars at the cursor; they read as if at t's position. */
static void put_chars(struct lexer *lx, const char *chars, const struct token *t)
{
	size_t n = strlen(chars);
	char *nb = malloc(lx->len + n + 1);
	if (!nb)
		abort();
	memcpy(nb, lx->buf, lx->pos);
	memcpy(nb + lx->pos, chars, n);
	memcpy(nb + lx->pos + n, lx->buf + lx->pos, lx->len - lx->pos + 1);
	free(lx->buf);
	lx->buf = nb;
	lx->len += n;
	lx->suspend += n;
	lx->susp_line = lx->line;
	lx->susp_col = lx->col;
	lx->line = t->pos.line;
	lx->col = t->pos.col;
}

void lex_qstring(struct strbuf *out, const char *s)
{
	sb_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (!isprint(*p)) {
			sb_putc(out, '\\');
			sb_putc(out, "01234567"[(*p >> 6) & 7]);
			sb_putc(out, "01234567"[(*p >> 3) & 7]);
			sb_putc(out, "01234567"[*p & 7]);
		} else if (*p == '"' || *p == '\\') {
			sb_putc(out, '\\');
			sb_putc(out, (char)*p);
		} else {
			sb_putc(out, (char)*p);
		}
	}
	sb_putc(out, '"');
}

static struct token *new_tok(struct lexer *lx)
{
	struct token *t = arena_alloc(&lx->s->script_arena, sizeof(*t));
	t->pos.file = lx->src;
	t->text = "";
	return t;
}

static struct token *junk(struct token *t, enum junk_type j)
{
	t->type = TK_JUNK;
	t->junk = j;
	return t;
}

/* $# @# $N @N: paste the value, or return a junk token. Returns NULL when pasted. */
static struct token *paste_arg(struct lexer *lx, struct token *t, int c, bool suspended)
{
	struct session *s = lx->s;
	char tmp[32];
	int c2 = peekc(lx, 0);
	struct strbuf sb;

	if (c2 == '#') {
		getc_(lx);
		if (suspended)
			return junk(t, JUNK_NESTED_ARG);
		snprintf(tmp, sizeof(tmp), c == '$' ? "%d" : "\"%d\"", s->opt.nargs);
		put_chars(lx, tmp, t);
		return NULL;
	}
	unsigned idx = 0;
	do {
		getc_(lx);
		idx = idx * 10 + (unsigned)(c2 - '0');
		c2 = peekc(lx, 0);
	} while (c2 > 0 && isdigit(c2) && idx <= (unsigned)s->opt.nargs);
	if (suspended)
		return junk(t, JUNK_NESTED_ARG);
	if (idx == 0 || idx - 1 >= (unsigned)s->opt.nargs)
		return junk(t, JUNK_INVALID_ARG);
	const char *arg = s->opt.args[idx - 1];
	if (!s->opt.args_used)
		s->opt.args_used = arena_alloc(&s->arena, (size_t)s->opt.nargs * sizeof(bool));
	s->opt.args_used[idx - 1] = true;
	if (c == '$') {
		put_chars(lx, arg, t);
	} else {
		sb_init(&sb);
		lex_qstring(&sb, arg);
		put_chars(lx, sb.buf, t);
		sb_free(&sb);
	}
	return NULL;
}

static void scan_word(struct lexer *lx, struct token *t, struct strbuf *sb, int c)
{
	sb_putc(sb, (char)c);
	for (int c2 = peekc(lx, 0); c2 >= 0 && (isalnum(c2) || c2 == '_' || c2 == '$');
	     c2 = peekc(lx, 0))
		sb_putc(sb, (char)getc_(lx));
	t->text = arena_strdup(&lx->s->script_arena, sb->buf);
	if (c == '@') {
		t->type = TK_OP;   /* makes illegal @word uses easy to catch */
		return;
	}
	t->type = TK_IDENT;
	for (int i = 0; keywords[i]; i++)
		if (!strcmp(keywords[i], t->text))
			t->type = TK_KEYWORD;
}

/* A string keeps \a \b \t \n \v \f \r \ooo \xhh \\ as written; other \c become c. */
static void scan_string(struct lexer *lx, struct token *t, struct strbuf *sb)
{
	t->type = TK_STRING;
	for (;;) {
		int c = getc_(lx);
		if (c < 0 || c == '\n') {
			junk(t, JUNK_UNCLOSED_QUOTE);
			return;
		}
		if (c == '"')
			break;
		if (c == '\\') {
			c = getc_(lx);
			if (c < 0)
				continue;
			if (strchr("xabtnvfr01234567\\", c))
				sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else {
			sb_putc(sb, (char)c);
		}
	}
	t->text = arena_strdup(&lx->s->script_arena, sb->len ? sb->buf : "");
}

static void scan_embedded(struct lexer *lx, struct token *t, struct strbuf *sb)
{
	t->type = TK_EMBEDDED;
	getc_(lx);  /* '{' */
	int c = getc_(lx), c2 = getc_(lx);
	while (c2 >= 0) {
		if (c == '%' && c2 == '}') {
			t->text = arena_strdup(&lx->s->script_arena, sb->len ? sb->buf : "");
			return;
		}
		if (c == '}' && c2 == '%')
			diag_warn_tok(&lx->s->diag, &t->pos, "embedded-code",
			              "possible erroneous closing '}%%', use '%%}'?");
		sb_putc(sb, (char)c);
		c = c2;
		c2 = getc_(lx);
	}
	junk(t, JUNK_UNCLOSED_EMBEDDED);
}

static const char *const ops3[] = { "<<<", ">>>", "<<=", ">>=", NULL };
static const char *const ops2[] = {
	"==", "!=", "<=", ">=", "=~", "!~", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=",
	".=", "&&", "||", "++", "--", "->", "<<", ">>", "%(", "%?", "%:", "%)", NULL
};

static void scan_op(struct lexer *lx, struct token *t, int c)
{
	char op[4] = { (char)c, (char)peekc(lx, 0), (char)peekc(lx, 1), 0 };
	t->type = TK_OP;
	for (int i = 0; ops3[i]; i++)
		if (!strncmp(op, ops3[i], 3)) {
			getc_(lx);
			getc_(lx);
			t->text = ops3[i];
			return;
		}
	for (int i = 0; ops2[i]; i++)
		if (!strncmp(op, ops2[i], 2)) {
			getc_(lx);
			t->text = ops2[i];
			return;
		}
	op[1] = 0;
	t->text = arena_strdup(&lx->s->script_arena, op);
}

/* Skip a comment starting with c (peek c2); returns false if it is no comment. */
static bool skip_comment(struct lexer *lx, int c, int c2)
{
	if (c == '#' || (c == '/' && c2 == '/')) {
		int line = lx->line;
		do
			c = getc_(lx);
		while (c >= 0 && lx->line == line);
		return true;
	}
	if (c == '/' && c2 == '*') {
		getc_(lx);
		c = getc_(lx);
		c2 = getc_(lx);
		while (c2 >= 0 && !(c == '*' && c2 == '/')) {
			c = c2;
			c2 = getc_(lx);
		}
		return true;
	}
	return false;
}

struct token *lex_scan(struct lexer *lx)
{
	bool old_saw = lx->saw_tokens;
	struct token *t = new_tok(lx);
	struct strbuf sb;
	sb_init(&sb);
	lx->saw_tokens = true;
	for (;;) {
		bool suspended = lx->suspend > 0;
		t->pos.line = lx->line;
		t->pos.col = lx->col;
		int c = getc_(lx);
		if (c < 0) {
			lx->saw_tokens = old_saw;
			t = NULL;
			break;
		}
		if (isspace(c)) {
			t->ws_before = true;
			continue;
		}
		int c2 = peekc(lx, 0);
		if ((c == '$' || c == '@') && (c2 == '#' || (c2 >= 0 && isdigit(c2)))) {
			if (paste_arg(lx, t, c, suspended))
				break;
			continue;
		}
		if (isalpha(c) || c == '$' || c == '@' || c == '_') {
			scan_word(lx, t, &sb, c);
		} else if (isdigit(c)) {
			t->type = TK_NUMBER;
			sb_putc(&sb, (char)c);
			for (c2 = peekc(lx, 0); c2 >= 0 && isalnum(c2); c2 = peekc(lx, 0))
				sb_putc(&sb, (char)getc_(lx));
			t->text = arena_strdup(&lx->s->script_arena, sb.buf);
		} else if (c == '"') {
			scan_string(lx, t, &sb);
		} else if (ispunct(c)) {
			if (skip_comment(lx, c, c2)) {
				t->ws_before = t->comment_before = true;
				continue;
			}
			if (c == '%' && c2 == '{')
				scan_embedded(lx, t, &sb);
			else
				scan_op(lx, t, c);
		} else {
			char tmp[16];
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			t->text = arena_strdup(&lx->s->script_arena, tmp);
			junk(t, JUNK_UNKNOWN);
		}
		break;
	}
	sb_free(&sb);
	return t;
}

bool lex_is(const struct token *t, enum tok_type type, const char *text)
{
	return t && t->type == type && !strcmp(t->text, text);
}

bool lex_is_op(const struct token *t, const char *op)
{
	return lex_is(t, TK_OP, op);
}

bool lex_is_kw(const struct token *t, const char *kw)
{
	return lex_is(t, TK_KEYWORD, kw);
}

const char *lex_type_name(enum tok_type t)
{
	switch (t) {
	case TK_JUNK: return "junk";
	case TK_IDENT: return "identifier";
	case TK_OP: return "operator";
	case TK_STRING: return "string";
	case TK_NUMBER: return "number";
	case TK_EMBEDDED: return "embedded-code";
	case TK_KEYWORD: return "keyword";
	}
	return "unknown token";
}

char *lex_describe(struct arena *a, const struct token *t)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, lex_type_name(t->type));
	if (t->type != TK_EMBEDDED && t->type != TK_KEYWORD) {
		sb_puts(&sb, " '");
		/* stap's junk tokens other than unknown characters have empty content */
		const char *p = (t->type == TK_JUNK && t->junk != JUNK_UNKNOWN) ? "" : t->text;
		for (; *p; p++)
			sb_putc(&sb, isprint((unsigned char)*p) ? *p : '?');
		sb_putc(&sb, '\'');
	}
	char *r = arena_strdup(a, sb.buf);
	sb_free(&sb);
	return r;
}

const char *lex_junk_message(struct session *s, const struct token *t)
{
	switch (t->junk) {
	case JUNK_NESTED_ARG:
		return "invalid nested substitution of command line arguments";
	case JUNK_INVALID_ARG:
		return arena_printf(&s->script_arena, "command line argument out of range [1-%d]",
		                    s->opt.nargs);
	case JUNK_UNCLOSED_QUOTE:
		return "Could not find matching closing quote";
	case JUNK_UNCLOSED_EMBEDDED:
		return "Could not find matching '%}' to close embedded function block";
	default:
		return "unknown junk token";
	}
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

char *lex_unescape(struct arena *a, const char *raw)
{
	size_t n = strlen(raw);
	char *out = arena_alloc(a, n + 1), *o = out;
	for (const char *p = raw; *p; ) {
		if (*p != '\\' || !p[1]) {
			*o++ = *p++;
			continue;
		}
		p++;
		int c = (unsigned char)*p++, v;
		switch (c) {
		case 'a': *o++ = '\a'; break;
		case 'b': *o++ = '\b'; break;
		case 't': *o++ = '\t'; break;
		case 'n': *o++ = '\n'; break;
		case 'v': *o++ = '\v'; break;
		case 'f': *o++ = '\f'; break;
		case 'r': *o++ = '\r'; break;
		case 'x':
			for (v = 0, n = 0; n < 2 && isxdigit((unsigned char)*p); n++)
				v = v * 16 + hexval((unsigned char)*p++);
			*o++ = (char)v;
			break;
		case '0' ... '7':
			v = c - '0';
			for (n = 1; n < 3 && *p >= '0' && *p <= '7'; n++)
				v = v * 8 + (*p++ - '0');
			*o++ = (char)v;
			break;
		default: *o++ = (char)c; break;
		}
	}
	*o = 0;
	return out;
}

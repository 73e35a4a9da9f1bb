/*
** Pass 2's regex check: the syntax stap's own regex parser accepts (stapregex-parse.cxx),
** with its messages and its error positions (offsets into the pattern as written, escapes
** undone on the fly), then whatever POSIX regcomp, which runs the match here, refuses.
*/
#include <ctype.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"

enum { N_NONE, N_ANCHOR, N_OTHER };   /* what a factor parsed to: closures refuse anchors */

struct rxc {
	const char *in;
	size_t len, pos, last_pos;        /* pos: next byte to read; last_pos: the last char's start */
	bool finished;
	int next_c;                       /* a peeked char not yet taken, 0: none */
	char *err;
	size_t errlen;
	int errpos;
	jmp_buf jb;
};

static void fail_at(struct rxc *r, int pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
static void fail_at(struct rxc *r, int pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	r->errpos = pos;
	longjmp(r->jb, 1);
}

static int digit_in(const char *set, int c)
{
	const char *d = c ? strchr(set, tolower(c)) : NULL;
	return d ? (int)(d - set) : -1;
}

/* the next char, a backslash escape (\n \xhh \ooo ...) undone; a plain '\' before anything
   else just drops */
static void unescape(struct rxc *r)
{
	r->last_pos = r->pos;
	int c = (unsigned char)r->in[r->pos];
	if (c == '\\') {
		if (++r->pos >= r->len)
			fail_at(r, (int)r->pos, "unexpected end of regex");
		c = (unsigned char)r->in[r->pos];
		const char *ctl = strchr("a\ab\bt\tn\nv\vf\fr\r", c);
		if (c && ctl && (ctl - "a\ab\bt\tn\nv\vf\fr\r") % 2 == 0) {
			c = ctl[1];
		} else if (c == 'x') {
			if (r->pos >= r->len - 2)
				fail_at(r, (int)r->pos, "two hex digits required in escape sequence");
			int d1 = digit_in("0123456789abcdef", r->in[r->pos + 1]);
			int d2 = digit_in("0123456789abcdef", r->in[r->pos + 2]);
			if (d1 < 0 || d2 < 0)
				fail_at(r, (int)r->pos + (d1 >= 0 ? 1 : 2),
				        "two hex digits required in escape sequence");
			c = (char)(d1 << 4 | d2);
			r->pos += 2;
		} else if (c >= '4' && c <= '7') {
			fail_at(r, (int)r->pos, "octal escape sequence out of range");
		} else if (c >= '0' && c <= '3') {
			if (r->pos >= r->len - 2)
				fail_at(r, (int)r->pos, "three octal digits required in escape sequence");
			int d1 = digit_in("01234567", r->in[r->pos + 1]);
			int d2 = digit_in("01234567", r->in[r->pos + 2]);
			if (d1 < 0 || d2 < 0)
				fail_at(r, (int)r->pos + (d1 >= 0 ? 1 : 2),
				        "three octal digits required in escape sequence");
			c = (char)((c - '0') << 6 | d1 << 3 | d2);
			r->pos += 2;
		}
	}
	r->next_c = c;
	r->pos++;
	r->finished = r->pos >= r->len;
}

static int take(struct rxc *r)
{
	if (!r->next_c && r->finished)
		fail_at(r, (int)r->pos, "unexpected end of regex");
	if (!r->next_c)
		unescape(r);
	int c = r->next_c;
	r->next_c = 0;
	return c;
}

static int peek(struct rxc *r)
{
	if (!r->next_c && !r->finished)
		unescape(r);
	return r->next_c;
}

static bool has(const struct rxc *r, size_t n)
{
	return r->pos <= r->len - n;   /* size_t arithmetic, as stap's cursor::has */
}

static void expect(struct rxc *r, int want)
{
	if (!r->next_c && r->finished)
		fail_at(r, (int)r->last_pos, "expected %c, found end of regex", want);
	int c = take(r);
	if (c != want)
		fail_at(r, (int)r->last_pos, "expected %c, found %c", want, c);
}

static bool special(int c)
{
	return c && strchr(".[{()\\*+?|^$", c);
}

static bool closure(int c)
{
	return c == '*' || c == '+' || c == '?' || c == '{';
}

static void expr(struct rxc *r);

static int number(struct rxc *r)
{
	char digits[32];
	size_t n = 0;
	int c = peek(r);
	while (c && isdigit(c)) {
		take(r);
		if (n < sizeof digits - 1)
			digits[n++] = (char)c;
		c = peek(r);
	}
	digits[n] = 0;
	if (!n)
		fail_at(r, (int)r->pos, "expected number");
	errno = 0;
	long v = strtol(digits, NULL, 10);
	if (errno == ERANGE)
		fail_at(r, (int)r->pos, "could not parse number %s", digits);
	if ((int)v >= 12345)   /* stap's MAX_DFA_REPETITIONS, on its int */
		fail_at(r, (int)r->pos, "%s is too large", digits);
	return (int)v;
}

static const char *const classes[] = {
	"alpha", "alnum", "blank", "cntrl", "d", "digit", "xdigit", "graph", "l", "lower",
	"print", "punct", "s", "space", "u", "upper", NULL
};

/* one item of a [...] class: a char, an escaped char, a range a-z, or [:name:] */
static void class_item(struct rxc *r)
{
	int c = peek(r);
	if (c == '\\') {
		take(r);
		c = peek(r);
		take(r);
	} else if (c == '[') {
		take(r);
		if (peek(r) == ':') {
			char name[64];
			size_t n = 0;
			take(r);
			c = peek(r);
			for (;;) {
				name[n < sizeof name - 1 ? n : sizeof name - 1] = 0;
				if (r->finished)
					fail_at(r, (int)r->pos, "unclosed character class '[:%s'", name);
				if (has(r, 2) && c == ':' && r->in[r->pos] == ']') {
					take(r);
					take(r);
					for (int i = 0; classes[i]; i++)
						if (!strcmp(classes[i], name))
							return;
					fail_at(r, -1, "unknown character class '%s'", name);
				}
				if (n < sizeof name - 1)
					name[n++] = (char)c;
				take(r);
				c = peek(r);
			}
		}
		c = '[';
	} else {
		take(r);
	}
	if (!has(r, 2) || peek(r) != '-' || r->in[r->pos] == ']')
		return;
	take(r);
	int ub = peek(r);
	if ((signed char)ub < (signed char)c)
		fail_at(r, (int)r->pos, "Inverted character range %c-%c", c, ub);
	take(r);
}

static void char_class(struct rxc *r)
{
	if (peek(r) == '^')
		take(r);
	for (;;) {
		if (r->finished)
			fail_at(r, (int)r->last_pos, "unclosed character class");
		class_item(r);
		if (peek(r) == ']')
			break;
	}
}

/* a run of literal chars; a closure after it governs only its last char */
static void literal(struct rxc *r, int c)
{
	while (c && (!special(c) || c == '\\')) {
		if (c == '\\') {
			take(r);
			c = peek(r);
		}
		take(r);
		int d = peek(r);
		if (closure(d))
			break;
		c = d;
	}
}

static void postfix(struct rxc *r, int kind)
{
	int c = peek(r);
	while (closure(c)) {
		take(r);
		if (kind == N_ANCHOR)
			fail_at(r, (int)r->last_pos, "postfix closure '%c' applied to anchoring operator", c);
		kind = N_OTHER;
		if (c == '{') {
			number(r);
			c = take(r);
			if (c == ',') {
				c = peek(r);
				if (c == '}') {
					take(r);
				} else if (c && isdigit(c)) {
					number(r);
					expect(r, '}');
				} else {
					fail_at(r, (int)r->pos, "expected '}' or number");
				}
			} else if (c != '}') {
				fail_at(r, (int)r->last_pos, "expected ',' or '}'");
			}
		}
		c = peek(r);
	}
}

static void factor(struct rxc *r)
{
	int c = peek(r);
	if (!c || c == '|' || c == ')')
		return;
	if (closure(c))
		fail_at(r, (int)r->last_pos, "unexpected '%c'", c);
	if (special(c) && c != '\\')
		take(r);
	int kind = N_OTHER;
	if (c == '[') {
		char_class(r);
		expect(r, ']');
	} else if (c == '(') {
		if (peek(r) == '?') {
			take(r);
			int c3 = peek(r);
			if (c3 != ':')
				fail_at(r, (int)r->last_pos, "unexpected '(?%c'", c3);
		}
		expr(r);
		expect(r, ')');
	} else if (c == '^' || c == '$') {
		kind = N_ANCHOR;
	} else if (c != '.') {
		literal(r, c);
	}
	postfix(r, kind);
}

static void term(struct rxc *r)
{
	factor(r);
	for (int c = peek(r); c && c != '|' && c != ')'; c = peek(r))
		factor(r);
}

static void expr(struct rxc *r)
{
	term(r);
	while (peek(r) == '|') {
		take(r);
		term(r);
	}
}

int rx_check(const char *raw, const char *pattern, char *err, size_t errlen)
{
	struct rxc r = { .in = raw, .len = strlen(raw), .err = err, .errlen = errlen };
	r.finished = r.len == 0;
	if (setjmp(r.jb))
		return r.errpos;
	expr(&r);
	if (!r.finished)
		fail_at(&r, (int)r.pos, peek(&r) == ')' ? "unbalanced ')'" :
		        "BUG -- regex parse failed to finish for unknown reasons");
	regex_t re;
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc == 0) {
		regfree(&re);
		return RX_OK;
	}
	regerror(rc, &re, err, errlen);
	regfree(&re);
	return -1;
}

/*
** String builtins: the embedded-C functions of stap's tapset/string.stp, tokenize.stp and
** regex.stp (matched, ngroups), with stap's bounds: results keep at most MAXSTRINGLEN-1 bytes.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "printf.h"
#include "session.h"

/* strlcpy: n is the buffer size */
static void scopy(char *dst, const char *src, size_t n)
{
	if (!n)
		return;
	size_t l = strnlen(src, n - 1);
	memcpy(dst, src, l);
	dst[l] = '\0';
}

/* strlcat into a buffer of n bytes */
static void scat(char *dst, const char *src, size_t n)
{
	size_t l = strnlen(dst, n);
	if (l < n)
		scopy(dst + l, src, n - l);
}

/* stap's MAXSTRINGLEN: the buffer size, one more than the longest string */
static size_t msl(const struct bi_call *c) { return (size_t)c->maxstringlen + 1; }

static int f_strlen(struct bi_call *c)
{
	c->ret_l = (int64_t)strlen(c->s[0]);
	return 0;
}

static int f_substr(struct bi_call *c)
{
	int64_t start = c->l[1], len = c->l[2];
	/* clamp(length + 1, 0, MAXSTRINGLEN) is strlcpy's buffer size (the + 1 wraps, as in
	   the kernel build) */
	int64_t n = (int64_t)((uint64_t)len + 1);
	n = n < 0 ? 0 : n > (int64_t)msl(c) ? (int64_t)msl(c) : n;
	if (start >= 0 && start < (int64_t)strlen(c->s[0]))
		scopy(c->ret_s, c->s[0] + start, (size_t)n);
	return 0;
}

static int f_stringat(struct bi_call *c)
{
	int64_t pos = c->l[1];
	if (pos >= 0 && pos < (int64_t)strlen(c->s[0])) {
		c->ret_l = (unsigned char)c->s[0][pos];   /* Linux >= 6.2 builds with -funsigned-char */
		return 0;
	}
	return bi_error(c, "Position out of bounds");
}

static int f_isinstr(struct bi_call *c)
{
	c->ret_l = strstr(c->s[0], c->s[1]) != NULL;
	return 0;
}

static int f_strpos(struct bi_call *c)
{
	const char *p = strstr(c->s[0], c->s[1]);
	c->ret_l = p ? p - c->s[0] : -1;
	return 0;
}

static int f_text_str(struct bi_call *c)
{
	fmt_text_str(c->ret_s, msl(c), c->s[0], 0, 0, false);
	return 0;
}

static int f_text_strn(struct bi_call *c)
{
	int64_t len = c->l[1] < 0 ? 0 : c->l[1] > (int64_t)msl(c) ? (int64_t)msl(c) : c->l[1];
	fmt_text_str(c->ret_s, msl(c), c->s[0], 0, (int)len, c->l[2] != 0);
	return 0;
}

static int f_string_quoted(struct bi_call *c)
{
	fmt_text_str(c->ret_s, msl(c), c->s[0], (int)msl(c), (int)msl(c), true);
	return 0;
}

static int f_str_replace(struct bi_call *c)
{
	const char *base = c->s[0], *srch = c->s[1], *p;
	size_t n = strlen(srch), cap = msl(c);
	c->ret_s[0] = '\0';
	if (n == 0) {
		scopy(c->ret_s, base, cap);
		return 0;
	}
	while ((p = strstr(base, srch)) != NULL) {
		size_t l = strnlen(c->ret_s, cap);
		size_t k = (size_t)(p - base);
		if (l + k >= cap)
			k = cap - 1 - l;
		memcpy(c->ret_s + l, base, k);
		c->ret_s[l + k] = '\0';
		scat(c->ret_s, c->s[2], cap);
		base = p + n;
	}
	scat(c->ret_s, base, cap);
	return 0;
}

/* the kernel's simple_strtoull: no blanks, no '+', 0x only for base 0/16, stops at a bad digit */
static uint64_t simple_strtoull(const char *s, unsigned base)
{
	if (base == 0) {
		if (s[0] == '0')
			base = (tolower((unsigned char)s[1]) == 'x' && isxdigit((unsigned char)s[2])) ? 16 : 8;
		else
			base = 10;
	}
	if (base == 16 && s[0] == '0' && tolower((unsigned char)s[1]) == 'x')
		s += 2;
	uint64_t v = 0;
	for (; isxdigit((unsigned char)*s); s++) {
		unsigned d = isdigit((unsigned char)*s) ? (unsigned)(*s - '0')
				: (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		if (d >= base)
			break;
		v = v * base + d;
	}
	return v;
}

static int f_strtol(struct bi_call *c)
{
	const char *s = c->s[0];
	unsigned base = (unsigned)c->l[1];
	if (*s == '-')
		c->ret_l = -(int64_t)simple_strtoull(s + 1, base);
	else
		c->ret_l = (int64_t)simple_strtoull(s, base);
	return 0;
}

static int f_isdigit(struct bi_call *c)
{
	c->ret_l = c->s[0][0] >= '0' && c->s[0][0] <= '9';
	return 0;
}

/* tokenize(input, delim): strsep over a copy kept in the session between calls */
static int f_tokenize(struct bi_call *c)
{
	struct session *s = c->sess;
	if (!s->tok_buf && !(s->tok_buf = malloc(msl(c))))
		return bi_error(c, "out of memory");
	if (c->s[0][0]) {
		scopy(s->tok_buf, c->s[0], msl(c));
		s->tok_start = s->tok_buf;
		s->tok_end = s->tok_buf + strlen(s->tok_buf);
	}
	char *tok;
	do {
		tok = s->tok_start ? strsep(&s->tok_start, c->s[1]) : NULL;
	} while (tok && !tok[0]);
	if (tok) {
		char *end = s->tok_start ? s->tok_start - 1 : s->tok_end;
		memcpy(c->ret_s, tok, (size_t)(end - tok) + 1);
	}
	return 0;
}

static int f_matched(struct bi_call *c)
{
	const struct rx_state *st = &c->sess->rx;
	long long n = (long long)c->l[0];
	if (!st->valid)
		return bi_error(c, "Attempted to get subexpression %lld from failed match", n);
	if (n < 0 || n >= st->ngroups || n >= RX_MAXGROUPS)
		return bi_error(c, "Attempted to get nonexistent subexpression %lld", n);
	int so = st->so[n], eo = st->eo[n];
	if (so < 0 || eo < 0)
		so = eo = 0;
	size_t len = (size_t)(eo - so) + 1;
	scopy(c->ret_s, st->subject + so, len < msl(c) ? len : msl(c));
	return 0;
}

static int f_ngroups(struct bi_call *c)
{
	if (!c->sess->rx.valid)
		return bi_error(c, "Attempted to get subexpression count from failed match");
	c->ret_l = c->sess->rx.ngroups;
	return 0;
}

/* errno names as stap's errno.stp table has them (asm-generic numbering); glibc knows them.
   Exported for returnstr() in the context builtins. */
const char *bi_errno_name(int64_t e)
{
	if (e < 0)
		e = -e;
	if (e <= 0 || e > 4095)
		return NULL;
	return strerrorname_np((int)e);
}

static int f_errno_str(struct bi_call *c)
{
	const char *n = bi_errno_name(c->l[0]);
	if (n)
		scopy(c->ret_s, n, msl(c));
	return 0;
}

static int f_errno_p(struct bi_call *c)
{
	c->ret_l = bi_errno_name(c->l[0]) ? (c->l[0] < 0 ? -c->l[0] : c->l[0]) : 0;
	return 0;
}

const struct builtin bi_string_tab[] = {
	{ "strlen", "l:s", f_strlen, false },
	{ "substr", "s:sll", f_substr, false },
	{ "stringat", "l:sl", f_stringat, false },
	{ "isinstr", "l:ss", f_isinstr, false },
	{ "strpos", "l:ss", f_strpos, false },
	{ "text_str", "s:s", f_text_str, false },
	{ "text_strn", "s:sll", f_text_strn, false },
	{ "string_quoted", "s:s", f_string_quoted, false },
	{ "str_replace", "s:sss", f_str_replace, false },
	{ "strtol", "l:sl", f_strtol, false },
	{ "isdigit", "l:s", f_isdigit, false },
	{ "tokenize", "s:ss", f_tokenize, false },
	{ "matched", "s:l", f_matched, false },
	{ "ngroups", "l:", f_ngroups, false },
	{ "errno_str", "s:l", f_errno_str, false },
	{ "errno_p", "l:l", f_errno_p, false },
	{ NULL },
};

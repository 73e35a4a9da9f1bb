/*
** String builtins (stap's tapset/string.stp, tokenize.stp, regex.stp semantics), the
** registry lookup, and =~ with its capture state. Expected values follow stap's testsuite
** (systemtap.string) and the kernel's simple_strtol/strsep rules.
*/
#include <stdlib.h>

#include "arena.h"
#include "builtins.h"
#include "printf.h"
#include "rx.h"
#include "session.h"
#include "unit.h"

static struct session S;
static char RET[513];
static struct bi_call C;

static const struct builtin *find(const char *name)
{
	for (const struct builtin *b = bi_string_tab; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

/* call name with args given by its signature: longs then strings in order */
static int call(const char *name, ...)
{
	const struct builtin *b = find(name);
	if (!b)
		return -99;
	va_list ap;
	va_start(ap, name);
	memset(&C, 0, sizeof C);
	C.sess = &S;
	C.maxstringlen = 512;
	C.ret_s = RET;
	RET[0] = '\0';
	const char *sig = strchr(b->sig, ':') + 1;
	for (int i = 0; sig[i]; i++) {
		if (sig[i] == 's')
			C.s[i] = va_arg(ap, const char *);
		else
			C.l[i] = va_arg(ap, int64_t);
		C.nargs++;
	}
	va_end(ap);
	return b->fn(&C);
}

#define CALL_S(...) (call(__VA_ARGS__), RET)
#define CALL_L(...) (call(__VA_ARGS__), C.ret_l)
#define I(x) ((int64_t)(x))

static void test_basic(void)
{
	const char *s = "Hello World!";
	CHECK_L(CALL_L("strlen", s), 12);
	CHECK_L(CALL_L("strlen", ""), 0);
	CHECK_S(CALL_S("substr", s, I(0), I(0)), "");
	CHECK_S(CALL_S("substr", s, I(-1), I(10)), "");
	CHECK_S(CALL_S("substr", s, I(2), I(5)), "llo W");
	CHECK_S(CALL_S("substr", s, I(11), I(100)), "!");
	CHECK_S(CALL_S("substr", s, I(12), I(1)), "");
	CHECK_S(CALL_S("substr", s, I(0), I(10)), "Hello Worl");
	CHECK_S(CALL_S("substr", s, I(0), I(100000)), "Hello World!");
	CHECK_S(CALL_S("substr", s, I(3), I(-5)), "");
	CHECK_S(CALL_S("substr", s, I(3), INT64_MAX), "");      /* length + 1 wraps */
	CHECK_S(CALL_S("substr", s, I(3), INT64_MAX - 1), "lo World!");
	CHECK_L(CALL_L("stringat", "ok", I(1)), 'k');
	CHECK_L(call("stringat", "ok", I(2)), -1);
	CHECK_S(C.err, "Position out of bounds");
	CHECK_L(CALL_L("stringat", "\xe9", I(0)), 0xe9);
	CHECK_L(CALL_L("isinstr", "abcdef", "cde"), 1);
	CHECK_L(CALL_L("isinstr", "abcdef", "xyz"), 0);
	CHECK_L(CALL_L("strpos", "abcdef", "cde"), 2);
	CHECK_L(CALL_L("strpos", "abcdef", "x"), -1);
	CHECK_L(CALL_L("strpos", "abc", ""), 0);
	CHECK_L(CALL_L("isdigit", "7up"), 1);
	CHECK_L(CALL_L("isdigit", "up7"), 0);
	CHECK_L(CALL_L("isdigit", ""), 0);
	CHECK_S(CALL_S("errno_str", I(-2)), "ENOENT");
	CHECK_S(CALL_S("errno_str", I(11)), "EAGAIN");
	CHECK_S(CALL_S("errno_str", I(95)), "EOPNOTSUPP");
	CHECK_S(CALL_S("errno_str", I(0)), "");
	CHECK_S(CALL_S("errno_str", I(100000)), "");
	CHECK_L(CALL_L("errno_p", I(-13)), 13);
	CHECK_L(CALL_L("errno_p", I(0)), 0);
}

static void test_replace_strtol(void)
{
	CHECK_S(CALL_S("str_replace", "one two one", "one", "1"), "1 two 1");
	CHECK_S(CALL_S("str_replace", "aaa", "a", "bb"), "bbbbbb");
	CHECK_S(CALL_S("str_replace", "abc", "", "x"), "abc");
	CHECK_S(CALL_S("str_replace", "abc", "abcd", "x"), "abc");
	static const struct { const char *s; int base; int64_t want; } t[] = {
		{ "1", 10, 1 }, { "-1", 10, -1 }, { "-123456789", 10, -123456789 },
		{ "abcdef", 10, 0 }, { "1a2b3c4d5e6f7g8h9", 10, 1 }, { " 1 2 3 4", 10, 0 },
		{ "", 10, 0 }, { "1000", 16, 4096 }, { "1000", 8, 512 }, { "1000", 2, 8 },
		{ "0x1f", 16, 31 }, { "0x1f", 0, 31 }, { "017", 0, 15 }, { "+5", 10, 0 },
		{ "ff", 16, 255 }, { "FFz", 16, 255 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK_L(CALL_L("strtol", t[i].s, I(t[i].base)), t[i].want);
}

static void test_text(void)
{
	const char *a = "1234567890", *b = "12345678901234567890";
	CHECK_S(CALL_S("text_str", a), a);
	CHECK_S(CALL_S("text_strn", b, I(10), I(0)), "1234567890");
	CHECK_S(CALL_S("text_strn", b, I(0), I(1)), "\"12345678901234567890\"");
	CHECK_S(CALL_S("text_strn", a, I(10), I(1)), "\"12345\"...");
	CHECK_S(CALL_S("text_strn", a, I(12), I(1)), "\"1234567890\"");
	CHECK_S(CALL_S("text_strn", b, I(12), I(1)), "\"1234567\"...");
	const char *x = "\n\nXYZZY\031", *y = "\077\231\a\n\n\r\n";
	CHECK_S(CALL_S("text_str", x), "\\n\\nXYZZY\\031");
	CHECK_S(CALL_S("text_str", y), "?\\231\\a\\n\\n\\r\\n");
	CHECK_S(CALL_S("text_strn", x, I(10), I(0)), "\\n\\nXYZZY");
	CHECK_S(CALL_S("text_strn", y, I(12), I(0)), "?\\231\\a\\n\\n");
	CHECK_S(CALL_S("text_strn", x, I(10), I(1)), "\"\\n\\nX\"...");
	CHECK_S(CALL_S("text_strn", y, I(10), I(1)), "\"?\\231\"...");
	CHECK_S(CALL_S("text_strn", y, I(15), I(1)), "\"?\\231\\a\\n\"...");
	CHECK_S(CALL_S("string_quoted", ""), "\"\"");
	CHECK_S(CALL_S("string_quoted", "\"hello\nworld\""), "\"\\\"hello\\nworld\\\"\"");
	CHECK_S(CALL_S("text_str", "caf\xc3\xa9 \xf0\x9f\x98\x80"), "caf\\u00E9 \\U0001F600");
	CHECK_S(CALL_S("text_str", "bad\xc3("), "bad\\303(");
	/* the quoted form never exceeds MAXSTRINGLEN-1 bytes */
	char big[600];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_L(strlen(CALL_S("string_quoted", big)), 512);
	CHECK(strcmp(RET + 507, "x\"...") == 0);
}

static void tokens(struct strbuf *sb, const char *str, const char *delim)
{
	sb_reset(&*sb);
	sb_puts(sb, "");
	const char *t = CALL_S("tokenize", str, delim);
	while (*t) {
		sb_printf(sb, "[%s]", t);
		t = CALL_S("tokenize", "", delim);
	}
}

static void test_tokenize(void)
{
	struct strbuf sb;
	sb_init(&sb);
	tokens(&sb, "one|two|three", "|");
	CHECK_S(sb.buf, "[one][two][three]");
	tokens(&sb, "one|two", ",");
	CHECK_S(sb.buf, "[one|two]");
	tokens(&sb, "1,,2,3, ,4", ",");
	CHECK_S(sb.buf, "[1][2][3][ ][4]");
	tokens(&sb, "", ",");             /* nothing new: the last input is exhausted */
	CHECK_S(sb.buf, "");
	tokens(&sb, "this is a string, which has", ", ");
	CHECK_S(sb.buf, "[this][is][a][string][which][has]");
	sb_free(&sb);
}

static void test_regex(void)
{
	struct arena a;
	char err[256];
	arena_init(&a);
	struct rx *r = rx_compile(&a, "([a-z]+)=([0-9]+)|(x)", err, sizeof err);
	CHECK(r != NULL);
	CHECK(rx_match(r, "key: abc=123;", &S.rx));
	CHECK_S(CALL_S("matched", I(0)), "abc=123");
	CHECK_S(CALL_S("matched", I(1)), "abc");
	CHECK_S(CALL_S("matched", I(2)), "123");
	CHECK_S(CALL_S("matched", I(3)), "");      /* a group outside the match */
	CHECK_L(CALL_L("ngroups"), 4);
	CHECK_L(call("matched", I(4)), -1);
	CHECK_S(C.err, "Attempted to get nonexistent subexpression 4");
	CHECK(!rx_match(r, "NOPE", &S.rx));
	CHECK_L(call("matched", I(0)), -1);
	CHECK_S(C.err, "Attempted to get subexpression 0 from failed match");
	CHECK_L(call("ngroups"), -1);
	CHECK_S(C.err, "Attempted to get subexpression count from failed match");
	CHECK(rx_match(r, "x", NULL));
	CHECK(rx_compile(&a, "a(b", err, sizeof err) == NULL);
	CHECK(strncmp(err, "regex compilation error: ", 25) == 0);
	rx_free(r);
	rx_state_free(&S.rx);
	arena_free(&a);
}

static void test_lookup(void)
{
	CHECK(bi_lookup("strlen", 1) == find("strlen"));
	CHECK(bi_lookup("strlen", -1) == find("strlen"));
	CHECK(bi_lookup("strlen", 2) == NULL);
	CHECK(bi_lookup("tokenize", 1) == NULL);   /* tokenize(delim) is tapset/tokenize.stp */
	CHECK(bi_lookup("no_such_function", -1) == NULL);
	struct bi_call c;
	CHECK_L(bi_error(&c, "x=%d", 5), -1);
	CHECK_S(c.err, "x=5");
}

int main(void)
{
	test_lookup();
	test_basic();
	test_replace_strtol();
	test_text();
	test_tokenize();
	test_regex();
	free(S.tok_buf);
	return unit_done("test_strings");
}

/*
** printf: stap's format parsing (errors, argument types) and output of every conversion.
** Expected texts: stap's testsuite (systemtap.printf int1, ptr-1.3, bin*) and vsprintf.c's
** rules where stap differs from C (one flag character, %.0d, %#c escapes, %0s, clamping).
*/
#include <stdarg.h>
#include <stdlib.h>

#include "arena.h"
#include "printf.h"
#include "unit.h"

static struct arena A;
static struct strbuf SB;
static char ERR[256];

/* format with long arguments only */
static const char *L(const char *format, int n, ...)
{
	struct mval a[16] = { { 0 } };
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		a[i].l = va_arg(ap, int64_t);
	va_end(ap);
	struct fmt *f = fmt_parse(&A, format, ERR, sizeof ERR);
	if (!f)
		return ERR;
	sb_reset(&SB);
	if (fmt_format(&SB, f, a, NULL, NULL, ERR, sizeof ERR) < 0)
		return ERR;
	return SB.buf;
}

static const char *M(const char *format, const struct mval *a, size_t cap)
{
	struct fmt *f = fmt_parse(&A, format, ERR, sizeof ERR);
	if (!f)
		return ERR;
	sb_reset(&SB);
	int r = cap ? fmt_sprintf(&SB, f, a, cap, NULL, NULL, ERR, sizeof ERR)
		    : fmt_format(&SB, f, a, NULL, NULL, ERR, sizeof ERR);
	return r < 0 ? ERR : SB.buf;
}

#define I64(x) ((int64_t)(x))

static void test_integers(void)
{
	int64_t i = 1, j = 10, k = 9000000000000LL, m = -1, n = -1024;
	CHECK_S(L("%d,%d,%d,%d,%d", 5, i, j, k, m, n), "1,10,9000000000000,-1,-1024");
	CHECK_S(L("%2d,%2d,%16d,%016d,%016d", 5, i, j, k, m, n),
		" 1,10,   9000000000000,-000000000000001,-000000000001024");
	CHECK_S(L("%ld,%#d,%#ld", 3, i, m, n), "1,-1,-1024");
	CHECK_S(L("%u,%u,%016u", 3, k, m, n), "9000000000000,18446744073709551615,18446744073709550592");
	CHECK_S(L("%x,%2x,%16x,%016x,%lx", 5, i, j, k, m, n),
		"1, a,     82f79cd9000,ffffffffffffffff,fffffffffffffc00");
	CHECK_S(L("%16X,%016X", 2, k, n), "     82F79CD9000,FFFFFFFFFFFFFC00");
	CHECK_S(L("%#x,%#x,%#X", 3, i, m, j), "0x1,0xffffffffffffffff,0XA");
	CHECK_S(L("%o,%2o,%16o,%016o", 4, i, j, k, m),
		"1,12, 202757163310000,1777777777777777777777");
	CHECK_S(L("%#o,%#o,%#o", 3, i, j, n), "01,012,01777777777777777776000");
	CHECK_S(L("%i|%+d|%+d|% d|% d", 5, I64(7), I64(7), I64(-7), I64(7), I64(-7)), "7|+7|-7| 7|-7");
	CHECK_S(L("%-5d|%05d|%-05d|%5.3d|%.0d|%.0x", 6, I64(42), I64(-42), I64(42), I64(7), I64(0), I64(0)),
		"42   |-0042|42   |  007|0|0");
	CHECK_S(L("%d|%u|%x", 3, INT64_MIN, INT64_MIN, INT64_MIN),
		"-9223372036854775808|9223372036854775808|8000000000000000");
	CHECK_S(L("%*d|%-*d|%.*d|%*d", 8, I64(6), I64(3), I64(4), I64(3), I64(3), I64(5), I64(-6), I64(1)),
		"     3|3   |005|1");  /* a negative '*' width clamps to 0 in compiled printf */
	CHECK_S(L("%+x|% o", 2, I64(255), I64(8)), "ff|10");  /* sign flags only for %d */
}

static void test_pointer_char(void)
{
	CHECK_S(L("%p|%p|%p", 3, I64(0), I64(0x12345678), I64(0x12345678abcdef00)),
		"0x0|0x12345678|0x12345678abcdef00");
	CHECK_S(L("%20pX|%-20pX", 2, I64(1), I64(1)), "                 0x1X|0x1                 X");
	CHECK_S(L("%.20pX|%20.8pX|%-20.8pX", 3, I64(1), I64(1), I64(0x12345678)),
		"0x00000000000000000001X|          0x00000001X|0x12345678          X");
	CHECK_S(L("%c%c%c|%3c|%-3c|", 5, I64('s'), I64('t'), I64(0x161), I64('a'), I64('b')),
		"sta|  a|b  |");
	CHECK_S(L("%#c%#c%#c%#c%#c|%#5c|", 6, I64('\n'), I64('\\'), I64('\''), I64(1), I64(0xff), I64('\t')),
		"\\n\\\\\\'\\001\\377|   \\t|");
	CHECK_S(L("%#c%#c", 2, I64('a'), I64('"')), "a\"");
}

static void test_strings(void)
{
	struct mval a[4] = { { .s = "Foobar!" }, { .s = "XYZ" } };
	CHECK_S(M("<%s>%s", a, 0), "<Foobar!>XYZ");
	CHECK_S(M("[%10s][%-10s]", a, 0), "[   Foobar!][XYZ       ]");
	CHECK_S(M("[%.3s][%.0s][%5.2s]", (struct mval[]){ { .s = "abcdef" }, { .s = "abc" }, { .s = "xyz" } }, 0),
		"[abc][][   xy]");
	a[0].l = 8; a[1].l = 2; a[2].s = "hello";
	CHECK_S(M("[%*.*s]", a, 0), "[      he]");
	CHECK_S(M("%ls", (struct mval[]){ { .s = "l is ignored" } }, 0), "l is ignored");
	/* %0s: stap writes a NUL after the field */
	struct fmt *f = fmt_parse(&A, "%03s|", ERR, sizeof ERR);
	sb_reset(&SB);
	fmt_format(&SB, f, (struct mval[]){ { .s = "a" } }, NULL, NULL, ERR, sizeof ERR);
	CHECK_L(SB.len, 5);
	CHECK(memcmp(SB.buf, "  a\0|", 5) == 0);
	CHECK_S(M("100%% %s", (struct mval[]){ { .s = "done" } }, 0), "100% done");
}

static void test_sprintf_bounds(void)
{
	struct mval a[2] = { { .s = "abc" }, { .l = 123456 } };
	CHECK_S(M("%s-%d", a, 6), "abc-1");                  /* MAXSTRINGLEN 6: 5 bytes */
	CHECK_S(M("%20s", a, 10), "       ab");              /* width clamps to the room: 7 + "abc", NUL */
	CHECK_S(M("%-20s|", a, 10), "abc      ");
	CHECK_S(M("%s-%d", a, 512), "abc-123456");
	/* printf: one call prints at most 8192 bytes */
	CHECK_L(strlen(L("%9000d", 1, I64(5))), 8192);
}

static void test_binary(void)
{
	struct fmt *f;
	struct mval a[3] = { { .l = 0x42 }, { .l = 0x0102030405060708LL }, { .l = 0x4142 } };
	f = fmt_parse(&A, "%1b|%b|%2b|%4.2b", ERR, sizeof ERR);
	sb_reset(&SB);
	CHECK_L(fmt_format(&SB, f, (struct mval[]){ a[0], a[1], a[2], a[2] }, NULL, NULL, ERR, sizeof ERR), 0);
	CHECK_L(SB.len, 1 + 1 + 8 + 1 + 2 + 1 + 4);
	CHECK(memcmp(SB.buf, "\x42|\x08\x07\x06\x05\x04\x03\x02\x01|\x42\x41|\0\0\x42\x41", 18) == 0);
	f = fmt_parse(&A, "%-4.1b|%3b", ERR, sizeof ERR);  /* width 3: not a size, so 8 bytes */
	sb_reset(&SB);
	fmt_format(&SB, f, (struct mval[]){ a[0], a[0] }, NULL, NULL, ERR, sizeof ERR);
	CHECK_L(SB.len, 4 + 1 + 8);
	CHECK(memcmp(SB.buf, "\x42\0\0\0|\x42\0\0\0\0\0\0\0", 13) == 0);
}

static int rd(void *ud, uint64_t addr, void *buf, size_t len)
{
	const char *base = ud;
	uint64_t lo = (uint64_t)(uintptr_t)base, hi = lo + 8;
	if (addr < lo || addr + len > hi)
		return -1;
	memcpy(buf, (const void *)(uintptr_t)addr, len);
	return 0;
}

static void test_memory(void)
{
	static const char mem[8] = "AB\x01\xff" "CDEF";
	struct mval a[3] = { { .l = (int64_t)(uintptr_t)mem } };
	struct fmt *f = fmt_parse(&A, "[%m][%.4m][%.4M][%10.2M][%-6.2M]", ERR, sizeof ERR);
	struct mval args[5] = { a[0], a[0], a[0], a[0], a[0] };
	sb_reset(&SB);
	CHECK_L(fmt_format(&SB, f, args, rd, (void *)mem, ERR, sizeof ERR), 0);
	CHECK(SB.len == 39 && memcmp(SB.buf, "[A][AB\x01\xff][414201ff][      4142][4142  ]", 39) == 0);
	/* a read past the readable bytes names the first faulting address */
	f = fmt_parse(&A, "x%.10m", ERR, sizeof ERR);
	sb_reset(&SB);
	CHECK_L(fmt_format(&SB, f, a, rd, (void *)mem, ERR, sizeof ERR), -1);
	char want[64];
	snprintf(want, sizeof want, "read fault [man error::fault] at 0x%llx",
		 (unsigned long long)(uintptr_t)(mem + 8));
	CHECK_S(ERR, want);
	CHECK_L(SB.len, 0);
	f = fmt_parse(&A, "%.*m", ERR, sizeof ERR);
	sb_reset(&SB);
	CHECK_L(fmt_format(&SB, f, (struct mval[]){ { .l = 5000 }, a[0] }, rd, (void *)mem, ERR, sizeof ERR), -1);
	CHECK_S(ERR, "5000 is too many bytes for a memory dump");
}

static void test_parse(void)
{
	struct fmt *f = fmt_parse(&A, "a%*.*sb%dc%%%5.2x", ERR, sizeof ERR);
	CHECK(f != NULL);
	CHECK_S(f ? f->argtypes : "", "llsll");
	CHECK_L(f ? f->nargs : -1, 5);
	CHECK_L(f ? f->nsegs : -1, 6);   /* a, %s, b, %d, c%, %x */
	CHECK_S(L("%+-5d", 1, I64(1)), "invalid or missing conversion specifier");
	CHECK_S(L("%lld", 1, I64(1)), "invalid or missing conversion specifier");
	CHECK_S(L("%hd", 1, I64(1)), "invalid or missing conversion specifier");
	CHECK_S(L("%5%", 0), "invalid or missing conversion specifier");
	CHECK_S(L("abc %", 0), "invalid or missing conversion specifier");
	CHECK_S(L("abc %5", 0), "trailing incomplete print format conversion");
	CHECK_S(L("%.5", 0), "trailing incomplete print format conversion");
	CHECK_S(L("%q", 0), "invalid or missing conversion specifier");
	CHECK_S(L("a%l", 0), "a");                   /* stap drops a bare unfinished conversion */
	CHECK_S(L("a%.", 0), "a");
	CHECK_S(L("a%-", 0), "trailing incomplete print format conversion");
	CHECK_S(L("a%#", 0), "trailing incomplete print format conversion");
	CHECK_S(L("%.x", 1, I64(255)), "ff");
	CHECK_S(L("no conversions\n", 0), "no conversions\n");
	CHECK_S(L("", 0), "");
	sb_reset(&SB);
	fmt_long(&SB, -42);
	CHECK_S(SB.buf, "-42");
}

int main(void)
{
	arena_init(&A);
	sb_init(&SB);
	test_integers();
	test_pointer_char();
	test_strings();
	test_sprintf_bounds();
	test_binary();
	test_memory();
	test_parse();
	sb_free(&SB);
	arena_free(&A);
	return unit_done("test_printf");
}

/* UTF-16 and UTF-32 strings for user_string_utf16/utf32: one with a surrogate pair, one
   with a lone high surrogate (invalid). Usage: utf_strs */
#include <uchar.h>
#include <stdio.h>

const char16_t u16[] = u"st\u0391\u263A\U0001F608!";
const char32_t u32[] = U"ap\u03A9\U0010FFFF";
const char16_t bad16[] = { 'o', 'k', 0xD800, 'x', 0 };

__attribute__((noinline)) int show(const char16_t *a, const char32_t *b, const char16_t *c)
{
	return (int)(a[0] + b[0] + c[0]);
}

int main(void)
{
	printf("%d\n", show(u16, u32, bad16));
	return 0;
}

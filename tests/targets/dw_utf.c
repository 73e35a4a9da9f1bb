/* char16_t / char32_t characters and UTF-8/16/32 strings for $var$ pretty printing. */
#include <stdio.h>
#include <uchar.h>

struct texts {
	char c8;
	char16_t c16;
	char32_t c32;
	const char *s8;
	const char16_t *s16;
	const char32_t *s32;
	char arr[10];
	char16_t arr16[4];
};

struct texts texts = {
	'a', u'b', U'c',
	"x\u00e9\u263a\U0001F600y", u"x\u00e9\u263a\U0001F600y", U"x\u00e9\u263a\U0001F600y",
	"tab\there", u"\u03a9z",
};

int __attribute__((noinline)) utf_mark(struct texts *t)
{
	__asm__ volatile("" : : "r"(t) : "memory");
	return t->c8;
}

int main(void)
{
	return utf_mark(&texts) != 'a';
}

/* Enumerators as $target constants: at file scope (one needing 64 bits), in a function and
   in a lexical block, and a C enum variable. */
#include <stdio.h>

enum big { big_small = 1, big_huge = 0x100000000L };
enum caps { cap_a = 'A', cap_z = 'Z' };
enum caps cap = cap_z;
enum big big = big_small;

int __attribute__((noinline)) enum_mark(int x)
{
	__asm__ volatile("" : : "r"(x) : "memory");
	return x;
}

int main(void)
{
	typedef enum { lo = -3, hi = 7 } range;
	range r = hi;
	{
		enum colors { red = 1, green = 2 };
		enum_mark(green + r);
	}
	return enum_mark(lo) != -3;
}

/* Locals that only have a DW_AT_const_value (a struct block, a scalar) in the abstract
   origin of an inlined function at -O2, read at an SDT marker through the DWARF fallback. */
#include <sys/sdt.h>

struct pair {
	const int i;
	const long j;
};

static int mul(const int i, const long j)
{
	return (int)(i * j);
}

static inline __attribute__((always_inline)) int run(int (*f)(const int, const long))
{
	const struct pair baz = { .i = 2, .j = 21 };
	const int seven = 7;
	STAP_PROBE1(dw, consts, seven);
	return f(baz.i, baz.j) + seven;
}

int main(void)
{
	return run(&mul) - 49;
}

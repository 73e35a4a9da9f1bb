/* At -O2 gcc describes these locals by pieces (DW_OP_piece: each int of the array a
   constant) and implicit values (DW_OP_implicit_value: the whole struct a constant). */
#include <stdlib.h>
#include <sys/sdt.h>

struct wide {
	unsigned long long v;
};

int __attribute__((noinline)) pieces(int n)
{
	int a[] = { 31, 41 };
	struct wide w;
	w.v = 0x1122334455667788ULL;
	srandom((unsigned)w.v + n);
	STAP_PROBE(dw, pieces);
	w.v = n;
	srandom((unsigned)w.v);
	return a[0] + a[1];
}

int main(int argc, char **argv)
{
	(void)argv;
	return pieces(argc) != 72;
}

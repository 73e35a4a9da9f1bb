// SDT V3 markers (<sys/sdt.h>) in an i386 program: -O0 passes the arguments as "-4@8(%ebp)"
// memory operands, -O2 in i386 registers and constants; for tests/stp/sdt/m32.
// CFLAGS: -m32
#include <sys/sdt.h>
#include <stdlib.h>

__attribute__((noinline)) static int fire(int i, short s, signed char c, long long ll)
{
	unsigned char u = (unsigned char)(200 + i);
	STAP_PROBE4(ustapm, args, i, s, c, u);
	STAP_PROBE2(ustapm, wide, ll, -i);
	return i + s;
}

int main(int argc, char **argv)
{
	int loops = argc > 1 ? atoi(argv[1]) : 2, sum = 0;
	for (int i = 0; i < loops; i++)
		sum += fire(i + 1, (short)(-300 - i), (signed char)(-5 - i), 5000000000LL + i);
	return sum == 12345;
}

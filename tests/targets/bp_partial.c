/* At -O2 gcc splits score() (ipa-split): the cheap test is inlined into its callers and the
   rest becomes score.part.0, whose DWARF still says "score". stap probes only real entry
   points (PR12609: not the .part tail). Usage: bp_partial N */
#include <stdlib.h>

volatile long sink;

#define STEP4(k) sink += (k); sink ^= sink >> 3; sink += (k) * 7; sink ^= sink << 2;
#define STEP16(k) STEP4(k) STEP4(k + 1) STEP4(k + 2) STEP4(k + 3)
#define STEP64(k) STEP16(k) STEP16(k + 4) STEP16(k + 8) STEP16(k + 12)

static long score(long n)
{
	if (n < 3)
		return n;
	STEP64(n) STEP64(n + 1) STEP64(n + 2)
	return sink + n;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 5;
	long t = score(1) + score(n) + score(n + 1);
	return t == 12345;
}

/* C labels for .function("f").label("name") probes: two in main (one in a nested block), one
   in step(); the program prints what it computed. Usage: bp_labels N */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) int step(int v)
{
	if (v & 1)
		goto odd;
	return v / 2;
odd:
	return 3 * v + 1;
}

int main(int argc, char **argv)
{
	int v = argc > 1 ? atoi(argv[1]) : 6, steps = 0;
again:
	if (v != 1) {
		v = step(v);
		steps++;
		{
			int twice = steps * 2;
			if (twice > 1000)
				goto done;
		}
		goto again;
	}
done:
	printf("steps=%d\n", steps);
	return 0;
}

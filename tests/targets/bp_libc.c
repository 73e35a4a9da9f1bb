/* Calls into libc: getpid() N times and atoi() on "42" N times; prints what it got.
   Usage: bp_libc N */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100, s = 0;
	volatile const char *str = "42";
	for (long i = 0; i < n; i++) {
		s += getpid() > 0;
		s += atoi((const char *)str);
	}
	printf("s=%ld\n", s);
	return 0;
}

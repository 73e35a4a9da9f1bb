/* Loads libm with dlopen(), calls cbrt() N times, dlclose()s it, and does that R times: a library
   unmapped and mapped again (maybe elsewhere) must be probed again. Usage: bp_dlreload N R */
// LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 5, r = argc > 2 ? atol(argv[2]) : 3;
	double s = 0;
	for (long k = 0; k < r; k++) {
		void *h = dlopen("libm.so.6", RTLD_NOW);
		double (*f)(double) = h ? (double (*)(double))dlsym(h, "cbrt") : NULL;
		if (!f) {
			printf("no libm: %s\n", dlerror());
			return 1;
		}
		for (long i = 0; i < n; i++)
			s += f(27.0);
		if (dlclose(h) != 0)
			return 1;
		/* something else may take the place of the old text: map and touch a page */
		void *p = malloc(1 << 20);
		if (p)
			((char *)p)[0] = 1;
		free(p);
	}
	printf("s=%.0f\n", s);
	return 0;
}

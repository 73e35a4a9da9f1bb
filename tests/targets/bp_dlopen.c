/* Loads libm with dlopen() after start-up and calls its cbrt() N times through dlsym():
   probes on a library that is not there at exec. Usage: bp_dlopen N */
// LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10;
	void *h = dlopen("libm.so.6", RTLD_NOW);
	double (*f)(double) = h ? (double (*)(double))dlsym(h, "cbrt") : NULL;
	if (!f) {
		printf("no libm: %s\n", dlerror());
		return 1;
	}
	double s = 0;
	for (long i = 0; i < n; i++)
		s += f(27.0);
	printf("s=%.0f\n", s);
	return 0;
}

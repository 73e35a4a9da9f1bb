/* Subprograms nested in main: an OpenMP parallel body (gcc outlines it as main._omp_fn.0)
   and a GNU C nested function. */
// LDFLAGS: -fopenmp
#include <omp.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int base = argc + 2;
	int __attribute__((noinline)) add_base(int x)
	{
		return x + base;
	}
	int sum = 0;
#pragma omp parallel num_threads(2) reduction(+ : sum)
	{
		sum += omp_get_thread_num() + 1;
	}
	printf("%d %d\n", sum, add_base(4));
	return argv == NULL;
}

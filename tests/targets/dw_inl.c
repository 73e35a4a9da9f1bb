/* A function that exists only inlined (always_inline, two call sites): its lines are
   statement probe points in each inlined instance. */
#include <stdio.h>

__attribute__((always_inline)) static inline void twice(int i)
{
	printf("twice %d\n", i * 2);
}

int main(int argc, char **argv)
{
	(void)argv;
	twice(argc);
	twice(argc + 1);
	return 0;
}

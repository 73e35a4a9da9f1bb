/* Seed 001's test.c, as the blog gives it (gcc -g -o test test.c). */
#include <stdio.h>
#include <stdlib.h>

int
main(void)
{
    printf("Hello, World!\n");
    return 0;
}

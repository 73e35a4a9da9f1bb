// An i386 program (gcc -m32 -fno-plt) whose calls go through memory: libc's puts through its GOT
// slot (call *puts@GOT(%ebx)) and twice() through a function pointer in memory. ustap emulates
// such a call (tests/stp/process/m32_callmem.sh probes the call instructions themselves).
// CFLAGS: -m32 -fno-plt
#include <stdio.h>

__attribute__((noinline)) int twice(int x) { return 2 * x; }
int (*volatile fp)(int) = twice;

int main(void)
{
	int s = 0;
	for (int i = 0; i < 3; i++)
		s += fp(i);
	puts(s == 6 ? "six" : "wrong");
	return 0;
}

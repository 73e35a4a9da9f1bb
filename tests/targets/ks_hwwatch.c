// ks_hwwatch: writes w.a 10 times and reads it 5 times, writes w.b 3 times and reads it 4
// times, at fixed addresses (no PIE, its own section at 0x20000000: w.a there, w.b at +8)
// that kernel.data(ADDR) / process.data(ADDR) watchpoints can name without nm.
// LDFLAGS: -no-pie -Wl,--section-start=.hwwatch=0x20000000
#include <unistd.h>

/* .data-like, not .bss: execve's bss clearing does not touch it */
__attribute__((section(".hwwatch"))) volatile struct { long a, b; } w = { 7, 8 };
volatile long sink;

int main(void)
{
	long sum = 0;

	usleep(200000);		/* let a watcher attach */
	for (int i = 0; i < 10; i++)
		w.a = i;
	for (int i = 0; i < 5; i++)
		sum += w.a;
	for (int i = 0; i < 3; i++)
		w.b = i;
	for (int i = 0; i < 4; i++)
		sum += w.b;
	sink = sum;
	return 0;
}

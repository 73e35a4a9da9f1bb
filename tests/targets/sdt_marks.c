// SDT markers (<sys/sdt.h>, Debian systemtap-sdt-dev) for the .mark() tests: markers with
// and without semaphores, arguments in registers, memory and constants, signed and unsigned
// of 1, 2, 4 and 8 bytes. Usage: sdt_marks [LOOPS [SLEEP_MS [FORK_AT]]]; prints what the
// guarded (semaphore) path did, so a test can see it run only while traced. FORK_AT: fork
// before that round; both processes go on and report (the child first).
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

unsigned short ustapt_guarded_semaphore __attribute__((section(".probes")));
unsigned short ustapt_twice_semaphore __attribute__((section(".probes")));
/* markers without a semaphore: weak and undefined, their note's semaphore address is 0 */
#define NOSEM(n) extern unsigned short ustapt_##n##_semaphore __attribute__((weak))
NOSEM(start); NOSEM(small); NOSEM(big); NOSEM(consts); NOSEM(mem); NOSEM(index); NOSEM(str); NOSEM(scaled); NOSEM(flt);
__asm__(".weak ustapt_asmop_semaphore");   /* STAP_PROBE_ASM names it from asm */
#define USTAPT_GUARDED_ENABLED() __builtin_expect(ustapt_guarded_semaphore, 0)

struct rec { long a; int b; short c; signed char d; };
long g_counter = 1000;
struct rec g_recs[4] = { { 1, -2, -3, -4 }, { 5, 6, 7, 8 }, { -9, -10, 11, 12 }, { 13, 14, -15, -16 } };

__attribute__((noinline)) static void fire(int i, volatile struct rec *r)
{
	signed char c1 = (signed char)(-1 - i);
	unsigned char u1 = (unsigned char)(250 + i);
	short s2 = (short)(-300 - i);
	unsigned short u2 = (unsigned short)(65000 + i);
	int s4 = -70000 - i;
	unsigned u4 = 4000000000u + (unsigned)i;
	long s8 = -5000000000L - i;
	unsigned long u8 = 10000000000UL + (unsigned long)i;
	STAP_PROBE(ustapt, start);
	STAP_PROBE4(ustapt, small, c1, u1, s2, u2);
	STAP_PROBE4(ustapt, big, s4, u4, s8, u8);
	STAP_PROBE3(ustapt, consts, 5, -7, 123456789012L);
	STAP_PROBE4(ustapt, mem, r->a, r->b, r->c, r->d);
	STAP_PROBE3(ustapt, index, g_recs[i & 3].a, g_counter, &g_recs[i & 3]);
	STAP_PROBE2(ustapt, str, "hello", i);
	STAP_PROBE2(ustapt, flt, i / 2.0, i);   /* "8f@%rdx": the double's bits */
	/* %xmm1: an operand stap takes but cannot read in user space; %fs:8: one it does not
	   parse ($arg3 then falls back to DWARF and fails) */
	__asm__ __volatile__(STAP_PROBE_ASM(ustapt, asmop, -4@%xmm1 8@%rsp 4@%fs:8));
}

/* -O2: a base + index * scale operand, -8@8(%rdi,%rsi,8) */
__attribute__((noinline)) static long scaled(const long *arr, long i)
{
	STAP_PROBE2(ustapt, scaled, arr[i + 1], i);
	return arr[i];
}

int main(int argc, char **argv)
{
	int loops = argc > 1 ? atoi(argv[1]) : 3, ms = argc > 2 ? atoi(argv[2]) : 0;
	int fork_at = argc > 3 ? atoi(argv[3]) : -1, guarded = 0;
	pid_t child = -1;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	for (int i = 0; i < loops; i++) {
		if (i == fork_at && (child = fork()) == 0)
			guarded = 0;
		struct rec r = { 100L * i - 50, -i, (short)(i * 3), (signed char)-i };
		g_counter++;
		fire(i, &r);
		scaled(&g_recs[0].a, (i & 1) * 2);   /* g_recs[0].b's word, then g_recs[1].b's */
		if (USTAPT_GUARDED_ENABLED()) {
			guarded++;
			STAP_PROBE2(ustapt, guarded, i, ustapt_guarded_semaphore);
		}
		STAP_PROBE1(ustapt, twice, i);
		if (ms)
			nanosleep(&ts, NULL);
	}
	STAP_PROBE1(ustapt, twice, -1);
	if (fork_at >= 0) {
		if (child > 0)
			waitpid(child, NULL, 0);
		printf("%s guarded>0=%d semaphore=%d\n", child ? "parent" : "child", guarded > 0,
		       ustapt_guarded_semaphore);
		return 0;
	}
	printf("guarded=%d semaphore=%d\n", guarded, ustapt_guarded_semaphore);
	return 0;
}

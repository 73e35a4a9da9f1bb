// SDT markers in the legacy .probes layouts that stap still reads (STAP_SDT_V1 and V2 of old
// <sys/sdt.h>; Debian's header only writes V3 notes now), written here with inline asm from
// the format: V2 entry = .balign 8, guard "UPB2", then 8-byte slots with the addresses of the
// name, provider, argument count, argument string (gcc's operands, space-separated), probe pc
// and semaphore, then the strings; V1 entry = .balign 8, name, .balign 4, guard "PRB1",
// .balign 8, address of the name, .balign 8, probe pc, .int 0 (no provider, no arguments:
// stap reads V1's $argN as the DWARF locals arg1.. that the old macros declared).
// Usage: sdt_legacy [LOOPS]; prints how often each semaphore-guarded path ran.
// sdt_legacy32.c builds it -m32 (i386 operands: "%eax", "8(%ebp)").
#include <stdio.h>
#include <stdlib.h>

/* an address in its 8-byte slot (i386: .long, then the zeros of .balign 8) */
#ifdef __LP64__
#define LEG_ADDR(x) "\t.8byte " x "\n"
#else
#define LEG_ADDR(x) "\t.4byte " x "\n\t.4byte 0\n"
#endif
/* a V2 entry, then the marker's nop; ARGS: the asm input operands, FMT their "%0 %1..." */
#define LEG_V2(prov, name, argc, fmt, sem, ...)                                          \
	__asm__ __volatile__(".pushsection .probes,\"aw\"\n\t.balign 8\n\t.4byte 0x32425055\n" \
	                     "\t.balign 8\n" LEG_ADDR("991f") LEG_ADDR("992f") LEG_ADDR(#argc)   \
	                     LEG_ADDR("993f") LEG_ADDR("994f") LEG_ADDR(sem)                      \
	                     "993:\t.asciz \"" fmt "\"\n\t.balign 8\n"                           \
	                     "992:\t.asciz \"" #prov "\"\n\t.balign 8\n"                         \
	                     "991:\t.asciz \"" #name "\"\n\t.popsection\n"                       \
	                     "994:\tnop\n" :: __VA_ARGS__)
#define LEG_V1(name)                                                                     \
	__asm__ __volatile__(".pushsection .probes,\"aw\"\n\t.balign 8\n"                    \
	                     "981:\t.asciz \"" #name "\"\n\t.balign 4\n\t.4byte 0x31425250\n"   \
	                     "\t.balign 8\n" LEG_ADDR("981b") "\t.balign 8\n" LEG_ADDR("984f")  \
	                     "\t.4byte 0\n\t.popsection\n984:\tnop\n")
#define L(x) ((long)(x))
#ifdef __LP64__
#define BIG 123456789012L
#else
#define BIG 1234567890L
#endif

unsigned short ustapl_v2_sem_semaphore;     /* V2: the entry holds its address */
unsigned short ustapl_v2_bysym_semaphore;   /* V2 with a 0 slot: stap finds it by name */
unsigned short v1_sym_semaphore;            /* V1: NAME_semaphore, by name too */
long g_word = -77;

__attribute__((noinline)) static void fire(int i, volatile long *p)
{
	long a = 10 + i, b = -20 - i;
	LEG_V2(ustapl, v2_none, 0, "", "0", "i"(0));
	LEG_V2(ustapl, v2_regs, 3, "%0 %1 %2", "0", "g"(L(a)), "g"(L(b)), "g"(L(i * 3)));
	LEG_V2(ustapl, v2_const, 2, "%0 %1", "0", "g"(L(-5)), "g"(L(BIG)));
	LEG_V2(ustapl, v2_mem, 2, "%0 %1", "0", "m"(*p), "m"(g_word));
	LEG_V2(ustapl, v2_sem, 1, "%0", "ustapl_v2_sem_semaphore", "g"(L(i)));
	LEG_V2(ustapl, v2_bysym, 1, "%0", "0", "g"(L(i)));
	/* an operand stap does not parse (a segment register): $arg1 falls back to DWARF */
	LEG_V2(ustapl, v2_badop, 1, "%%fs:8", "0", "i"(0));
	{
		volatile long arg1 = a * 100, arg2 = b;   /* the names V1's macros gave them */
		LEG_V1(v1_args);
	}
	LEG_V1(v1z);      /* a short name: its guard is the second word of the entry */
	LEG_V1(v1_sym);
}

int main(int argc, char **argv)
{
	int loops = argc > 1 ? atoi(argv[1]) : 2, sem = 0, bysym = 0, v1 = 0;
	long word = 5;
	for (int i = 0; i < loops; i++) {
		fire(i, &word);
		word = -word * 3;
		sem += ustapl_v2_sem_semaphore != 0;
		bysym += ustapl_v2_bysym_semaphore != 0;
		v1 += v1_sym_semaphore != 0;
	}
	printf("guarded: v2_sem=%d v2_bysym=%d v1_sym=%d\n", sem, bysym, v1);
	return 0;
}

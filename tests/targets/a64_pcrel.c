/* aarch64: one function per instruction class a breakpoint must emulate at its first
   instruction (adr forward/back, adrp, ldr/ldrsw/ldr-w/prfm literal, b, bl, b.cond, cbz/cbnz,
   tbz/tbnz, blr) and one plain instruction run out of line; main prints what they return,
   the same traced or not. Elsewhere it prints "not aarch64". */
#include <stdio.h>

#ifdef __aarch64__
#define FN(name) ".globl " #name "\n.type " #name ", %function\n" #name ":\n"
__asm__(
	".text\n.p2align 3\n"
	FN(t_adr) "adr x0, 1f\n ldr x0, [x0]\n ret\n .p2align 3\n1: .quad 42\n"
	".p2align 3\n9: .quad 53\n"
	FN(t_adrback) "adr x0, 9b\n ldr x0, [x0]\n ret\n"
	FN(t_adrp) "adrp x0, a64_d\n add x0, x0, :lo12:a64_d\n ldr x0, [x0]\n ret\n"
	".p2align 3\n"
	FN(t_ldr) "ldr x0, 1f\n ret\n .p2align 3\n1: .quad 44\n"
	FN(t_ldrw) "ldr w0, 1f\n ret\n1: .word 0xfffffff0\n"
	FN(t_ldrsw) "ldrsw x0, 1f\n ret\n1: .word -46\n"
	FN(t_prfm) "prfm pldl1keep, 1f\n mov x0, #51\n ret\n1: .word 0\n"
	FN(t_b) "b 1f\n mov x0, #0\n ret\n1: mov x0, #47\n ret\n"
	FN(t_bl) "mov x9, x30\n"
	FN(t_bl_at) "bl 2f\n mov x30, x9\n ret\n2: mov x0, #48\n ret\n"
	FN(t_beq) "cmp x0, x1\n" FN(t_beq_at) "b.eq 1f\n mov x0, #0\n ret\n1: mov x0, #1\n ret\n"
	FN(t_blt) "cmp x0, x1\n" FN(t_blt_at) "b.lt 1f\n mov x0, #0\n ret\n1: mov x0, #1\n ret\n"
	FN(t_bhi) "cmp x0, x1\n" FN(t_bhi_at) "b.hi 1f\n mov x0, #0\n ret\n1: mov x0, #1\n ret\n"
	FN(t_ble) "cmp x0, x1\n" FN(t_ble_at) "b.le 1f\n mov x0, #0\n ret\n1: mov x0, #1\n ret\n"
	FN(t_cbz) "cbz x0, 1f\n mov x0, #0\n ret\n1: mov x0, #50\n ret\n"
	FN(t_cbnzw) "cbnz w0, 1f\n mov x0, #0\n ret\n1: mov x0, #1\n ret\n"
	FN(t_tbz) "tbz x0, #40, 1f\n mov x0, #1\n ret\n1: mov x0, #0\n ret\n"
	FN(t_tbnzw) "tbnz w0, #3, 1f\n mov x0, #0\n ret\n1: mov x0, #1\n ret\n"
	FN(t_blr) "mov x9, x30\n" FN(t_blr_at) "blr x1\n mov x30, x9\n ret\n"
	FN(t_plain) "add x0, x0, #1\n ret\n"
	".data\n.p2align 3\na64_d: .quad 43\n.text\n");

long t_adr(void), t_adrback(void), t_adrp(void), t_ldr(void), t_ldrw(void), t_ldrsw(void);
long t_prfm(void), t_b(void), t_bl(void), t_cbz(long), t_cbnzw(long), t_tbz(long);
long t_tbnzw(long), t_blr(long, long (*)(long)), t_plain(long);
long t_beq(long, long), t_blt(long, long), t_bhi(long, long), t_ble(long, long);

static long helper(long a) { return a + 52; }

int main(void)
{
	static const long pairs[3][2] = { { -1, 1 }, { 1, -1 }, { 2, 2 } };
	long sum = 0;
	printf("adr=%ld adrback=%ld adrp=%ld\n", t_adr(), t_adrback(), t_adrp());
	printf("ldr=%ld ldrw=%ld ldrsw=%ld prfm=%ld\n", t_ldr(), t_ldrw(), t_ldrsw(), t_prfm());
	printf("b=%ld bl=%ld blr=%ld plain=%ld\n", t_b(), t_bl(), t_blr(1, helper), t_plain(54));
	printf("cbz=%ld,%ld cbnzw=%ld,%ld tbz=%ld,%ld tbnzw=%ld,%ld\n", t_cbz(0), t_cbz(1L << 32),
	       t_cbnzw(1L << 32), t_cbnzw(3), t_tbz(1L << 40), t_tbz(0), t_tbnzw(8), t_tbnzw(7));
	for (int i = 0; i < 3; i++) {
		long a = pairs[i][0], b = pairs[i][1];
		printf("%ld,%ld: eq=%ld lt=%ld hi=%ld le=%ld\n", a, b, t_beq(a, b), t_blt(a, b),
		       t_bhi(a, b), t_ble(a, b));
	}
	for (long i = 0; i < 100; i++)
		sum += t_plain(i) + t_cbz(i & 1);
	printf("sum=%ld\n", sum);
	return 0;
}
#else
int main(void)
{
	puts("not aarch64");
	return 0;
}
#endif

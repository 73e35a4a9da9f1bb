/*
** i386 code on x86_64 (arch mode 1, gcc -m32): decoding without REX (0x40-0x4f are inc/dec,
** mod 00 rm 101 an absolute disp32), the XOL slot's jmp rel32 back, 4-byte stack words in
** emulation, i386 DWARF register numbers, int $0x80 injection with mmap2.
*/
#include <string.h>

#include "arch.h"
#include "unit.h"

#ifdef __x86_64__
#include <sys/user.h>

struct tcase {
	const char *name;
	uint8_t b[16];
	int n, len, kind;
};

static const struct tcase cases[] = {
	{ "push %ebp", { 0x55 }, 1, 1, ARCH_EMULATE },
	{ "mov %esp,%ebp", { 0x89, 0xe5 }, 2, 2, ARCH_XOL },
	{ "inc %eax (REX in 64-bit)", { 0x40 }, 1, 1, ARCH_XOL },
	{ "dec %edi", { 0x4f }, 1, 1, ARCH_XOL },
	{ "inc %ecx; then 8b (not REX.W mov)", { 0x41, 0x8b, 0x45, 0x08 }, 4, 1, ARCH_XOL },
	{ "push %ebx", { 0x53 }, 1, 1, ARCH_EMULATE },
	{ "sub $0x14,%esp", { 0x83, 0xec, 0x14 }, 3, 3, ARCH_XOL },
	{ "mov 0x8(%ebp),%eax", { 0x8b, 0x45, 0x08 }, 3, 3, ARCH_XOL },
	{ "mov 0x4(%esp),%eax", { 0x8b, 0x44, 0x24, 0x04 }, 4, 4, ARCH_XOL },
	{ "mov 0x804a010,%eax (abs disp32)", { 0x8b, 0x05, 0x10, 0xa0, 0x04, 0x08 }, 6, 6, ARCH_XOL },
	{ "mov 0x804a010,%eax (moffs)", { 0xa1, 0x10, 0xa0, 0x04, 0x08 }, 5, 5, ARCH_XOL },
	{ "mov $imm32,%eax", { 0xb8, 1, 2, 3, 4 }, 5, 5, ARCH_XOL },
	{ "call rel32 (get_pc_thunk)", { 0xe8, 0x10, 0, 0, 0 }, 5, 5, ARCH_EMULATE },
	{ "endbr32", { 0xf3, 0x0f, 0x1e, 0xfb }, 4, 4, ARCH_EMULATE },
	{ "pusha", { 0x60 }, 1, 1, ARCH_XOL },
	{ "push %es", { 0x06 }, 1, 1, ARCH_XOL },
	{ "jmp *0xc(%ebx) (PLT)", { 0xff, 0xa3, 0x0c, 0, 0, 0 }, 6, 6, ARCH_XOL },
	{ "call *%eax", { 0xff, 0xd0 }, 2, 2, ARCH_EMULATE },
	{ "call *0x10(%ebx)", { 0xff, 0x53, 0x10 }, 3, 3, ARCH_EMULATE },
	{ "lcall *4(%esp)", { 0xff, 0x5c, 0x24, 0x04 }, 4, 4, ARCH_REFUSE },
	{ "ljmp ptr16:32", { 0xea, 1, 2, 3, 4, 5, 6 }, 7, 0, ARCH_REFUSE },
	{ "int $0x80", { 0xcd, 0x80 }, 2, 2, ARCH_REFUSE },
	{ "vpxor (c5, mod 3)", { 0xc5, 0xf9, 0xef, 0xc0 }, 4, 4, ARCH_XOL },
};

static void test_decode(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct tcase *t = &cases[i];
		struct arch_insn in;
		int r = arch_decode_mode(&in, t->b, t->n, 0x1000, 1);
		bool ok = in.kind == t->kind && in.rip_off == -1 &&
		          (t->kind == ARCH_REFUSE || (r == 0 && in.len == t->len));
		if (ok) {
			unit_pass++;
		} else {
			unit_fail++;
			fprintf(stderr, "%s: r=%d len=%d kind=%d rip_off=%d (want len=%d kind=%d) %s\n",
			        t->name, r, in.len, in.kind, in.rip_off, t->len, t->kind, in.why);
		}
	}
	/* the same bytes in 64-bit mode: 0x41 is REX.B, mod 00 rm 101 RIP-relative */
	struct arch_insn in;
	static const uint8_t rex[] = { 0x41, 0x8b, 0x45, 0x08 }, abs32[] = { 0x8b, 0x05, 0x10, 0, 0, 0 };
	CHECK_L(arch_decode(&in, rex, 4, 0x1000), 0);
	CHECK_L(in.len, 4);
	CHECK_L(arch_decode(&in, abs32, 6, 0x1000), 0);
	CHECK_L(in.rip_off, 2);
}

static void test_xol(void)
{
	struct arch_insn in;
	uint8_t out[ARCH_XOL_SLOT];
	static const uint8_t mov[] = { 0x8b, 0x45, 0x08 };
	CHECK_L(arch_decode_mode(&in, mov, 3, 0x56555000, 1), 0);
	int n = arch_xol_build(&in, 0x56555000, 0xf7ff0000, out);
	CHECK_L(n, 3 + 5);
	CHECK(memcmp(out, mov, 3) == 0 && out[3] == 0xe9);
	int32_t rel;
	memcpy(&rel, out + 4, 4);
	CHECK_L((uint32_t)(0xf7ff0000 + 8 + rel), 0x56555003);   /* wraps within 32 bits */
	CHECK_L((int64_t)arch_xol_unmap_pc(&in, 0x56555000, 0xf7ff0000, 0xf7ff0003), 0x56555003);
}

static uint32_t mem32[128];
static int mrd(void *a, uint64_t addr, void *buf, size_t len) { memcpy(buf, (char *)mem32 + (addr - 0x1000), len); return 0; }
static int mwr(void *a, uint64_t addr, const void *buf, size_t len) { memcpy((char *)mem32 + (addr - 0x1000), buf, len); return 0; }

static void test_emulate_regs(void)
{
	struct arch_insn in;
	struct arch_regs r;
	struct arch_mem m = { mrd, mwr, NULL };
	struct user_regs_struct *u = (struct user_regs_struct *)r.r;
	memset(&r, 0, sizeof r);
	u->cs = 0x23;
	CHECK_L(arch_regs_mode(&r), 1);
	CHECK_L(arch_reg_set(&r, 4, 0x1100), 0);   /* i386 DWARF 4: esp */
	CHECK_L(arch_reg_set(&r, 5, 0xabcd), 0);   /* 5: ebp */
	CHECK_L((int64_t)u->rsp, 0x1100);
	CHECK_L((int64_t)u->rbp, 0xabcd);
	u->rcx = 0x11; u->rdx = 0x22;
	uint64_t v;
	CHECK_L(arch_reg_get(&r, 1, &v), 0);       /* 1: ecx (x86_64's 1 is rdx) */
	CHECK_L((int64_t)v, 0x11);
	CHECK_L(arch_reg_get(&r, 9, &v) == 0 && arch_reg_get(&r, 10, &v) < 0, 1);
	static const uint8_t push[] = { 0x55 };
	arch_decode_mode(&in, push, 1, 0x8000, 1);
	CHECK_L(arch_emulate(&in, 0x8000, &r, &m), 0);
	CHECK_L((int64_t)arch_sp(&r), 0x10fc);
	CHECK_L(mem32[(0x10fc - 0x1000) / 4], 0xabcd);
	static const uint8_t call[] = { 0xe8, 0xf0, 0xff, 0xff, 0xff };   /* call .-11 */
	arch_decode_mode(&in, call, 5, 0x8000, 1);
	CHECK_L(arch_emulate(&in, 0x8000, &r, &m), 0);
	CHECK_L((int64_t)arch_pc(&r), 0x8005 - 0x10);
	CHECK_L((int64_t)arch_sp(&r), 0x10f8);
	CHECK_L(mem32[(0x10f8 - 0x1000) / 4], 0x8005);
	static const uint8_t ret[] = { 0xc3 };
	arch_decode_mode(&in, ret, 1, 0x7ff5, 1);
	CHECK_L(arch_emulate(&in, 0x7ff5, &r, &m), 0);
	CHECK_L((int64_t)arch_pc(&r), 0x8005);
	CHECK_L((int64_t)arch_sp(&r), 0x10fc);
	/* call *mem (emulated from the registers): *4(%esp) before the push, *0x1010 absolute,
	   *-4(%ebx,%ecx,4) */
	static const uint8_t cesp[] = { 0xff, 0x54, 0x24, 0x04 }, cabs[] = { 0xff, 0x15, 0x10, 0x10, 0, 0 },
	                     csib[] = { 0xff, 0x54, 0x8b, 0xfc };
	mem32[(0x1100 - 0x1000) / 4] = 0x9000;
	arch_decode_mode(&in, cesp, 4, 0x8000, 1);
	CHECK_L(arch_emulate(&in, 0x8000, &r, &m), 0);          /* esp 0x10fc: *(0x1100) */
	CHECK_L((int64_t)arch_pc(&r), 0x9000);
	CHECK_L((int64_t)arch_sp(&r), 0x10f8);
	CHECK_L(mem32[(0x10f8 - 0x1000) / 4], 0x8004);
	mem32[(0x1010 - 0x1000) / 4] = 0x9100;
	arch_decode_mode(&in, cabs, 6, 0x8000, 1);
	CHECK_L(arch_emulate(&in, 0x8000, &r, &m), 0);
	CHECK_L((int64_t)arch_pc(&r), 0x9100);
	mem32[(0x1020 - 0x1000) / 4] = 0x9200;
	u->rbx = 0x1008; u->rcx = 7;                             /* 0x1008 + 7 * 4 - 4 = 0x1020 */
	arch_decode_mode(&in, csib, 4, 0x8000, 1);
	CHECK_L(arch_emulate(&in, 0x8000, &r, &m), 0);
	CHECK_L((int64_t)arch_pc(&r), 0x9200);
	CHECK_L((int64_t)arch_sp(&r), 0x10f0);
	u->rsp = 0x10fc;
	/* return hijack: 4 bytes at esp */
	uint64_t orig, ret_sp, slot;
	mem32[(0x10fc - 0x1000) / 4] = 0x56556789;
	mem32[(0x1100 - 0x1000) / 4] = 0x77777777;
	CHECK_L(arch_hijack_ret(&r, &m, 0xf7ff0000, &orig, &ret_sp, &slot), 0);
	CHECK_L((int64_t)orig, 0x56556789);
	CHECK_L((int64_t)ret_sp, 0x1100);
	CHECK_L(mem32[(0x10fc - 0x1000) / 4], 0xf7ff0000);
	CHECK_L(mem32[(0x1100 - 0x1000) / 4], 0x77777777);
	/* names: stap's x86_64 names, i386 numbers */
	int no, bytes, shift;
	CHECK_L(arch_reg_byname_mode("esp", 1, &no, &bytes, &shift), 0);
	CHECK_L(no, 4);
	CHECK_L(bytes, 4);
	CHECK_L(arch_reg_byname_mode("ecx", 1, &no, &bytes, &shift), 0);
	CHECK_L(no, 1);
	CHECK_L(arch_reg_byname_mode("r8", 1, &no, &bytes, &shift), -1);
	CHECK_L(arch_arg_regno_mode(1, 1), -1);
	CHECK_L((int64_t)arch_stack_arg_off_mode(2, 1), 8);
	/* syscall injection: int $0x80, mmap -> mmap2 (192) with i386 argument registers */
	int clen;
	const uint8_t *code = arch_syscall_code_mode(1, &clen);
	CHECK(clen == 3 && code[0] == 0xcd && code[1] == 0x80 && code[2] == 0xcc);
	long args[6] = { 0, 4096, 5, 0x22, -1, 0 };
	arch_syscall_setup(&r, 0x8000, 9, args);
	CHECK_L((int64_t)u->rax, 192);
	CHECK_L((int64_t)u->rbx, 0);
	CHECK_L((int64_t)u->rcx, 4096);
	CHECK_L((int64_t)u->rsi, 0x22);
	CHECK_L((int64_t)u->rdi, 0xffffffff);
	u->rax = 0xf7fc0000;
	CHECK_L(arch_syscall_result(&r), 0xf7fc0000);
	u->rax = (uint32_t)-12;
	CHECK_L(arch_syscall_result(&r), -12);
	CHECK_L(arch_elf_mode(1, 3), 1);     /* ELFCLASS32, EM_386 */
	CHECK_L(arch_elf_mode(1, 62), -1);   /* x32 */
	CHECK_L(arch_elf_mode(2, 62), 0);
}

int main(void)
{
	test_decode();
	test_xol();
	test_emulate_regs();
	return unit_done("test_i386_decode");
}
#else
int main(void) { return unit_done("test_i386_decode (not x86_64: skipped)"); }
#endif

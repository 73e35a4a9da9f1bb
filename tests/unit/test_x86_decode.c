/*
** x86_64 decoder: lengths, RIP-relative displacement offsets and classes of the instructions
** found at function entries and statement probes, and the XOL slot built for them.
*/
#include <string.h>

#include "arch.h"
#include "unit.h"

#ifdef __x86_64__

struct tcase {
	const char *name;
	uint8_t b[16];
	int n;                   /* bytes given */
	int len;                 /* expected length */
	int kind;
	int rip_off;
};

static const struct tcase cases[] = {
	{ "push %rbp", { 0x55 }, 1, 1, ARCH_EMULATE, -1 },
	{ "push %r12", { 0x41, 0x54 }, 2, 2, ARCH_EMULATE, -1 },
	{ "mov %rsp,%rbp", { 0x48, 0x89, 0xe5 }, 3, 3, ARCH_XOL, -1 },
	{ "endbr64", { 0xf3, 0x0f, 0x1e, 0xfa }, 4, 4, ARCH_EMULATE, -1 },
	{ "sub $0x20,%rsp", { 0x48, 0x83, 0xec, 0x20 }, 4, 4, ARCH_XOL, -1 },
	{ "sub $0x1000,%rsp", { 0x48, 0x81, 0xec, 0x00, 0x10, 0, 0 }, 7, 7, ARCH_XOL, -1 },
	{ "mov %edi,-0x14(%rbp)", { 0x89, 0x7d, 0xec }, 3, 3, ARCH_XOL, -1 },
	{ "lea (%rdi,%rsi,1),%rax", { 0x48, 0x8d, 0x04, 0x37 }, 4, 4, ARCH_XOL, -1 },
	{ "mov 0x2ed6(%rip),%rax", { 0x48, 0x8b, 0x05, 0xd6, 0x2e, 0, 0 }, 7, 7, ARCH_XOL, 3 },
	{ "lea 0xe9c(%rip),%rdi", { 0x48, 0x8d, 0x3d, 0x9c, 0x0e, 0, 0 }, 7, 7, ARCH_XOL, 3 },
	{ "cmpl $0x0,0x2f(%rip)", { 0x83, 0x3d, 0x2f, 0, 0, 0, 0x00 }, 7, 7, ARCH_XOL, 2 },
	{ "movl $1,0x10(%rip)", { 0xc7, 0x05, 0x10, 0, 0, 0, 1, 0, 0, 0 }, 10, 10, ARCH_XOL, 2 },
	{ "call rel32", { 0xe8, 0x10, 0, 0, 0 }, 5, 5, ARCH_EMULATE, -1 },
	{ "jmp rel32", { 0xe9, 0x10, 0, 0, 0 }, 5, 5, ARCH_EMULATE, -1 },
	{ "jmp rel8", { 0xeb, 0x10 }, 2, 2, ARCH_EMULATE, -1 },
	{ "je rel8", { 0x74, 0x05 }, 2, 2, ARCH_EMULATE, -1 },
	{ "jne rel32", { 0x0f, 0x85, 0x10, 0, 0, 0 }, 6, 6, ARCH_EMULATE, -1 },
	{ "ret", { 0xc3 }, 1, 1, ARCH_EMULATE, -1 },
	{ "nop", { 0x90 }, 1, 1, ARCH_EMULATE, -1 },
	{ "nopw 0x0(%rax,%rax,1)", { 0x66, 0x0f, 0x1f, 0x44, 0, 0 }, 6, 6, ARCH_EMULATE, -1 },
	{ "test %edi,%edi", { 0x85, 0xff }, 2, 2, ARCH_XOL, -1 },
	{ "mov $0x1,%eax", { 0xb8, 1, 0, 0, 0 }, 5, 5, ARCH_XOL, -1 },
	{ "movabs $imm64,%rax", { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 }, 10, 10, ARCH_XOL, -1 },
	{ "vmovdqu (%rsi),%ymm0", { 0xc5, 0xfe, 0x6f, 0x06 }, 4, 4, ARCH_XOL, -1 },
	{ "vpxor %xmm0,%xmm0,%xmm0", { 0xc5, 0xf9, 0xef, 0xc0 }, 4, 4, ARCH_XOL, -1 },
	{ "pshufd $0,%xmm0,%xmm1", { 0x66, 0x0f, 0x70, 0xc8, 0x00 }, 5, 5, ARCH_XOL, -1 },
	{ "movss 0x10(%rip),%xmm0", { 0xf3, 0x0f, 0x10, 0x05, 0x10, 0, 0, 0 }, 8, 8, ARCH_XOL, 4 },
	{ "call *0x10(%rip)", { 0xff, 0x15, 0x10, 0, 0, 0 }, 6, 6, ARCH_EMULATE, 2 },
	{ "call *%rax", { 0xff, 0xd0 }, 2, 2, ARCH_EMULATE, -1 },
	{ "jmp *%rax", { 0xff, 0xe0 }, 2, 2, ARCH_XOL, -1 },
	{ "syscall", { 0x0f, 0x05 }, 2, 2, ARCH_XOL, -1 },
	{ "int3", { 0xcc }, 1, 1, ARCH_REFUSE, -1 },
	{ "loop rel8", { 0xe2, 0xfe }, 2, 2, ARCH_REFUSE, -1 },
	{ "xor %eax,%eax", { 0x31, 0xc0 }, 2, 2, ARCH_XOL, -1 },
	{ "lock cmpxchg %ecx,(%rdx)", { 0xf0, 0x0f, 0xb1, 0x0a }, 4, 4, ARCH_XOL, -1 },
	{ "mov %fs:0x28,%rax", { 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0 }, 9, 9, ARCH_XOL, -1 },
	{ "testb $1,(%rdi)", { 0xf6, 0x07, 0x01 }, 3, 3, ARCH_XOL, -1 },
	{ "test $0x100,%eax", { 0xa9, 0, 1, 0, 0 }, 5, 5, ARCH_XOL, -1 },
	{ "imul $0x64,%eax,%eax", { 0x6b, 0xc0, 0x64 }, 3, 3, ARCH_XOL, -1 },
	{ "vpbroadcastb %xmm0,%ymm0 (c4)", { 0xc4, 0xe2, 0x7d, 0x78, 0xc0 }, 5, 5, ARCH_XOL, -1 },
	{ "vpalignr (c4 0f3a)", { 0xc4, 0xe3, 0x7d, 0x0f, 0xc1, 0x08 }, 6, 6, ARCH_XOL, -1 },
	{ "vmovdqu64 (evex)", { 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x06 }, 6, 6, ARCH_XOL, -1 },
};

static void test_xol(void)
{
	struct arch_insn in;
	uint8_t out[ARCH_XOL_SLOT];
	/* mov 0x100(%rip),%rax at 0x1000, slot at 0x2000: disp becomes 0x100 - 0x1000 */
	static const uint8_t mov[] = { 0x48, 0x8b, 0x05, 0x00, 0x01, 0, 0 };
	CHECK_L(arch_decode(&in, mov, sizeof mov, 0x1000), 0);
	int n = arch_xol_build(&in, 0x1000, 0x2000, out);
	CHECK_L(n, 7 + 14);
	int32_t d;
	memcpy(&d, out + 3, 4);
	CHECK_L(d, 0x100 - 0x1000);
	uint64_t back;
	memcpy(&back, out + 7 + 6, 8);
	CHECK_L((int64_t)back, 0x1007);
	CHECK(out[7] == 0xff && out[8] == 0x25);
	/* out of reach */
	CHECK_L(arch_xol_build(&in, 0x1000, 0x100001000ull, out), -1);
	CHECK_L((int64_t)arch_xol_unmap_pc(&in, 0x1000, 0x2000, 0x2007), 0x1007);
	CHECK_L((int64_t)arch_xol_unmap_pc(&in, 0x1000, 0x2000, 0x2000), 0x1000);
}

static int64_t rd_mem[64];
static int mrd(void *a, uint64_t addr, void *buf, size_t len) { memcpy(buf, (char *)rd_mem + (addr - 0x1000), len); return 0; }
static int mwr(void *a, uint64_t addr, const void *buf, size_t len) { memcpy((char *)rd_mem + (addr - 0x1000), buf, len); return 0; }

static void test_emulate(void)
{
	struct arch_insn in;
	struct arch_regs r;
	struct arch_mem m = { mrd, mwr, NULL };
	memset(&r, 0, sizeof r);
	arch_reg_set(&r, 7, 0x1100);     /* rsp */
	arch_reg_set(&r, 6, 0xabcd);     /* rbp */
	static const uint8_t push[] = { 0x55 };
	arch_decode(&in, push, 1, 0x400000);
	CHECK_L(arch_emulate(&in, 0x400000, &r, &m), 0);
	CHECK_L((int64_t)arch_sp(&r), 0x10f8);
	CHECK_L(rd_mem[(0x10f8 - 0x1000) / 8], 0xabcd);
	CHECK_L((int64_t)arch_pc(&r), 0x400001);
	static const uint8_t call[] = { 0xe8, 0x10, 0, 0, 0 };
	arch_decode(&in, call, 5, 0x400000);
	CHECK_L(arch_emulate(&in, 0x400000, &r, &m), 0);
	CHECK_L((int64_t)arch_pc(&r), 0x400015);
	CHECK_L(rd_mem[(0x10f0 - 0x1000) / 8], 0x400005);
	static const uint8_t jne[] = { 0x75, 0xfe };   /* jne . : ZF clear -> taken */
	arch_decode(&in, jne, 2, 0x400000);
	CHECK_L(arch_emulate(&in, 0x400000, &r, &m), 0);
	CHECK_L((int64_t)arch_pc(&r), 0x400000);
	static const uint8_t ret[] = { 0xc3 };
	arch_decode(&in, ret, 1, 0x400000);
	CHECK_L(arch_emulate(&in, 0x400000, &r, &m), 0);
	CHECK_L((int64_t)arch_pc(&r), 0x400005);
	CHECK_L((int64_t)arch_sp(&r), 0x10f8);
}

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct tcase *t = &cases[i];
		struct arch_insn in;
		int r = arch_decode(&in, t->b, t->n, 0x1000);
		if (r != 0 || in.len != t->len || in.kind != t->kind || in.rip_off != t->rip_off) {
			unit_fail++;
			fprintf(stderr, "%s: r=%d len=%d kind=%d rip_off=%d (want len=%d kind=%d rip_off=%d) %s\n",
			        t->name, r, in.len, in.kind, in.rip_off, t->len, t->kind, t->rip_off, in.why);
		} else {
			unit_pass++;
		}
	}
	test_xol();
	test_emulate();
	return unit_done("test_x86_decode");
}
#else
int main(void) { return unit_done("test_x86_decode (not x86_64: skipped)"); }
#endif

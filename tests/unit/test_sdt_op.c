/*
** SDT marker operands as gcc writes them into .note.stapsdt (arch_sdt_operand): constants,
** registers and sub-registers, memory with displacement, index and scale, symbols with %rip.
*/
#include <string.h>

#include "arch.h"
#include "unit.h"

#ifdef __x86_64__

struct tcase {
	const char *text;
	int rc, kind, base, index, bytes, shift, scale;
	int64_t disp;
	const char *sym;
};

static const struct tcase cases[] = {
	{ "$5", 0, ARCH_SDT_CONST, -1, -1, 0, 0, 1, 5, "" },
	{ "$-7", 0, ARCH_SDT_CONST, -1, -1, 0, 0, 1, -7, "" },
	{ "$123456789012", 0, ARCH_SDT_CONST, -1, -1, 0, 0, 1, 123456789012, "" },
	{ "%rdi", 0, ARCH_SDT_REG, 5, -1, 8, 0, 1, 0, "" },
	{ "%eax", 0, ARCH_SDT_REG, 0, -1, 4, 0, 1, 0, "" },
	{ "%r8w", 0, ARCH_SDT_REG, 8, -1, 2, 0, 1, 0, "" },
	{ "%sil", 0, ARCH_SDT_REG, 4, -1, 1, 0, 1, 0, "" },
	{ "%ah", 0, ARCH_SDT_REG, 0, -1, 1, 8, 1, 0, "" },
	{ "-12(%rbp)", 0, ARCH_SDT_MEM, 6, -1, 0, 0, 1, -12, "" },
	{ "(%rdx)", 0, ARCH_SDT_MEM, 1, -1, 0, 0, 1, 0, "" },
	{ "8(%rax,%rdi,8)", 0, ARCH_SDT_MEM, 0, 5, 0, 0, 8, 8, "" },
	{ "-4(%rax, %rdx)", 0, ARCH_SDT_MEM, 0, 1, 0, 0, 1, -4, "" },
	{ "(,%rcx,4)", 0, ARCH_SDT_MEM, -1, 2, 0, 0, 4, 0, "" },
	{ "g_counter(%rip)", 0, ARCH_SDT_MEM, -1, -1, 0, 0, 1, 0, "g_counter" },
	{ "g_recs+16(%rip)", 0, ARCH_SDT_MEM, -1, -1, 0, 0, 1, 16, "g_recs" },
	{ "8+x(%rip)", 0, ARCH_SDT_MEM, -1, -1, 0, 0, 1, 8, "x" },
	{ "sym", 0, ARCH_SDT_MEM, -1, -1, 0, 0, 1, 0, "sym" },
	{ "sym(%rax)", -1 },          /* a symbol is an address only with %rip */
	{ "%xmm1", 0, ARCH_SDT_REG, 18, -1, 8, 0, 1, 0, "" },
	{ "%st0", 0, ARCH_SDT_REG, 33, -1, 8, 0, 1, 0, "" },
	{ "%xmm16", -1 },
	{ "%xmm", -1 },
	{ "$sym", -1 },
	{ "8(%rax,%rdx,3)", -1 },
	{ "8(%eax)", -1 },
	{ "%fs:8", -1 },
};

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct tcase *t = &cases[i];
		struct arch_sdt_op op;
		int rc = arch_sdt_operand(t->text, &op);
		if (rc != t->rc)
			fprintf(stderr, "operand %s\n", t->text);
		CHECK_L(rc, t->rc);
		if (rc || t->rc)
			continue;
		CHECK_L(op.kind, t->kind);
		CHECK_L(op.base, t->base);
		CHECK_L(op.index, t->index);
		CHECK_L(op.disp, t->disp);
		CHECK_L(op.scale, t->scale);
		CHECK_S(op.sym, t->sym);
		if (t->kind == ARCH_SDT_REG) {
			CHECK_L(op.bytes, t->bytes);
			CHECK_L(op.shift, t->shift);
		}
	}
	return unit_done("test_sdt_op");
}

#else
int main(void) { return unit_done("test_sdt_op (not x86_64: skipped)"); }
#endif

/*
** aarch64 SDT marker operands (as gcc writes them into .note.stapsdt): constants "5",
** registers "x0"/"w1"/"sp", memory "[x29]", "[sp, 12]", "[x29, #-12]", "[x1, x2]", as
** stap's sdt_uprobe_var_expanding_visitor parses them.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"

static int reg(const char **p, int *no, int *bytes)
{
	char name[8];
	size_t n = 0;
	int shift;
	while (isalnum((unsigned char)**p) && n < sizeof name - 1)
		name[n++] = *(*p)++;
	name[n] = 0;
	/* stap's table has the vector registers too (DWARF 64-95): accepted here, and a read of
	   one fails at run time (the context has the general registers only) */
	char *end;
	long k = name[0] == 'v' && isdigit((unsigned char)name[1]) ? strtol(name + 1, &end, 10) : -1;
	if (k >= 0 && k < 32 && !*end) {
		*no = 64 + (int)k;
		*bytes = 8;
		return 0;
	}
	return arch_reg_byname(name, no, bytes, &shift);
}

/* aarch32 code is not traced (arch_elf_mode): one mode */
int arch_sdt_operand_mode(const char *text, int mode, struct arch_sdt_op *op)
{
	return arch_sdt_operand(text, op);
}

int arch_sdt_operand(const char *text, struct arch_sdt_op *op)
{
	const char *p = text;
	char *end;
	int bytes;
	memset(op, 0, sizeof *op);
	op->base = op->index = -1;
	op->scale = 1;
	if (*p == '-' || isdigit((unsigned char)*p)) {
		op->kind = ARCH_SDT_CONST;
		op->disp = strtoll(p, &end, 10);
		return *end ? -1 : 0;
	}
	if (*p != '[') {
		op->kind = ARCH_SDT_REG;
		return reg(&p, &op->base, &op->bytes) < 0 || *p ? -1 : 0;
	}
	op->kind = ARCH_SDT_MEM;
	p++;
	if (reg(&p, &op->base, &bytes) < 0 || bytes != 8)
		return -1;
	if (*p == ',') {
		for (p++; *p == ' '; p++)
			;
		if (*p == '#')
			p++;
		if (*p == '-' || *p == '+' || isdigit((unsigned char)*p)) {
			op->disp = strtoll(p, &end, 10);
			p = end;
		} else if (reg(&p, &op->index, &bytes) < 0 || bytes != 8) {
			return -1;
		}
	}
	return strcmp(p, "]") ? -1 : 0;
}

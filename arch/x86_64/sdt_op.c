/*
** x86_64 SDT marker operands (AT&T syntax, as gcc writes them into .note.stapsdt):
** constants, registers with their sub-registers, and memory as DISP(BASE[,INDEX[,SCALE]])
** where DISP may name a symbol (sym+8(%rip)), as stap's sdt_uprobe_var_expanding_visitor;
** in i386 code (mode 1) its EM_386 table: the 32-bit registers, as i386 DWARF numbers.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"

static int reg(const char **p, int mode, int *no, int *bytes, int *shift)
{
	char name[8];
	size_t n = 0;
	if (**p != '%')
		return -1;
	for ((*p)++; isalnum((unsigned char)**p) && n < sizeof name - 1; (*p)++)
		name[n++] = **p;
	name[n] = 0;
	/* stap's table has the vector and x87 registers too (DWARF 17-32, 33-40): accepted here,
	   and a read of one fails at run time (the context has the general registers only) */
	size_t pre = mode ? 0 : !strncmp(name, "xmm", 3) ? 3 : !strncmp(name, "st", 2) ? 2 : 0;
	char *end;
	long k = pre && isdigit((unsigned char)name[pre]) ? strtol(name + pre, &end, 10) : -1;
	if (k >= 0 && !*end && k < (pre == 3 ? 16 : 8)) {
		*no = (int)k + (pre == 3 ? 17 : 33);
		*bytes = 8;
		*shift = 0;
		return 0;
	}
	/* stap's i386 table: eax..edi and their parts, no 64-bit names */
	if (arch_reg_byname_mode(name, mode, no, bytes, shift) < 0 || (mode && *bytes == 8))
		return -1;
	return 0;
}

/* DISP: [+-]N terms and at most one symbol name (N+sym+M, sym-8). */
static int disp(const char **p, struct arch_sdt_op *op)
{
	while (**p && **p != '(') {
		const char *s = *p;
		if (*s == '+' || *s == '-' || isdigit((unsigned char)*s)) {
			char *end;
			long long v = strtoll(s, &end, 0);
			if (end == s) {
				if (*s != '+')
					return -1;
				(*p)++;
				continue;
			}
			op->disp += v;
			*p = end;
		} else if ((isalpha((unsigned char)*s) || *s == '_' || *s == '.') && !op->sym[0]) {
			size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$@");
			if (n >= sizeof op->sym)
				return -1;
			memcpy(op->sym, s, n);
			op->sym[n] = 0;
			*p = s + n;
		} else {
			return -1;
		}
	}
	return 0;
}

/* (BASE[,INDEX[,SCALE]]) or (,INDEX,SCALE); address registers have the mode's width */
static int mem(const char *p, int mode, struct arch_sdt_op *op)
{
	int bytes, shift, width = mode ? 4 : 8;
	if (*p++ != '(')
		return -1;
	if (*p != ',' && (reg(&p, mode, &op->base, &bytes, &shift) < 0 || bytes != width))
		return -1;
	if (*p == ',') {
		p++;
		while (*p == ' ')
			p++;
		if (reg(&p, mode, &op->index, &bytes, &shift) < 0 || bytes != width)
			return -1;
		if (*p == ',') {
			op->scale = (int)strtol(p + 1, (char **)&p, 10);
			if (op->scale != 1 && op->scale != 2 && op->scale != 4 && op->scale != 8)
				return -1;
		}
	}
	return strcmp(p, ")") ? -1 : 0;
}

int arch_sdt_operand(const char *text, struct arch_sdt_op *op)
{
	return arch_sdt_operand_mode(text, 0, op);
}

int arch_sdt_operand_mode(const char *text, int mode, struct arch_sdt_op *op)
{
	const char *p = text;
	char *end;
	memset(op, 0, sizeof *op);
	op->base = op->index = -1;
	op->scale = 1;
	if (*p == '$') {
		op->kind = ARCH_SDT_CONST;
		op->disp = strtoll(p + 1, &end, 10);
		return end == p + 1 || *end ? -1 : 0;
	}
	if (*p == '%') {
		op->kind = ARCH_SDT_REG;
		return reg(&p, mode, &op->base, &op->bytes, &op->shift) < 0 || *p ? -1 : 0;
	}
	op->kind = ARCH_SDT_MEM;
	if (disp(&p, op) < 0)
		return -1;
	if (!*p)      /* a bare symbol: an absolute address (non-PIC code) */
		return op->sym[0] ? 0 : -1;
	if (mem(p, mode, op) < 0)
		return -1;
	/* a symbol is only an address with %rip (its value is then the symbol's address) */
	if (op->sym[0] && (mode || op->base != 16))
		return -1;
	if (op->sym[0])
		op->base = -1;
	return 0;
}

/*
** aarch64 registers of a stopped thread: pc/sp/arguments, DWARF numbering (x0-x30, sp 31,
** pc 32), names for register(), and return-address hijacking through the link register.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/ptrace.h>

#include "arch.h"

/* struct user_pt_regs: regs[31], sp, pc, pstate */
#define R(r) ((struct user_pt_regs *)(r)->r)
#define RC(r) ((const struct user_pt_regs *)(r)->r)

_Static_assert(sizeof(struct user_pt_regs) <= sizeof(struct arch_regs), "arch_regs");

static const uint8_t bkpt[] = { 0x00, 0x00, 0x20, 0xd4 };   /* brk #0 */

const uint8_t *arch_bkpt(int *len)
{
	*len = sizeof(bkpt);
	return bkpt;
}

/* brk leaves pc on itself */
uint64_t arch_trap_pc(const struct arch_regs *r) { return RC(r)->pc; }
size_t arch_regs_size(void) { return sizeof(struct user_pt_regs); }
uint64_t arch_pc(const struct arch_regs *r) { return RC(r)->pc; }
void arch_set_pc(struct arch_regs *r, uint64_t pc) { R(r)->pc = pc; }
uint64_t arch_sp(const struct arch_regs *r) { return RC(r)->sp; }
uint64_t arch_retval(const struct arch_regs *r) { return RC(r)->regs[0]; }

uint64_t arch_arg(const struct arch_regs *r, int n)
{
	return n >= 1 && n <= 8 ? RC(r)->regs[n - 1] : 0;
}

int arch_arg_regno(int n) { return n >= 1 && n <= 8 ? n - 1 : -1; }
int arch_retval_regno(void) { return 0; }
/* no return address on the stack: arguments 9, 10, ... start at [sp] */
uint64_t arch_stack_arg_off(int n) { return 8ull * (uint64_t)(n - 9); }

int arch_reg_get(const struct arch_regs *r, int no, uint64_t *v)
{
	if (no >= 0 && no <= 30)
		*v = RC(r)->regs[no];
	else if (no == 31)
		*v = RC(r)->sp;
	else if (no == 32)
		*v = RC(r)->pc;
	else
		return -1;
	return 0;
}

int arch_reg_set(struct arch_regs *r, int no, uint64_t v)
{
	if (no >= 0 && no <= 30)
		R(r)->regs[no] = v;
	else if (no == 31)
		R(r)->sp = v;
	else if (no == 32)
		R(r)->pc = v;
	else
		return -1;
	return 0;
}

int arch_reg_byname(const char *name, int *no, int *bytes, int *shift)
{
	*shift = 0;
	if (!strcmp(name, "sp") || !strcmp(name, "pc")) {
		*no = name[0] == 's' ? 31 : 32;
		*bytes = 8;
		return 0;
	}
	if (!strcmp(name, "lr") || !strcmp(name, "fp")) {
		*no = name[0] == 'l' ? 30 : 29;
		*bytes = 8;
		return 0;
	}
	if ((name[0] == 'x' || name[0] == 'w') && name[1]) {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (*end || n < 0 || n > 30)
			return -1;
		*no = (int)n;
		*bytes = name[0] == 'x' ? 8 : 4;
		return 0;
	}
	return -1;
}

int arch_hijack_ret(struct arch_regs *r, const struct arch_mem *m, uint64_t tramp,
                    uint64_t *orig_ret, uint64_t *ret_sp, uint64_t *slot)
{
	*orig_ret = RC(r)->regs[30];
	R(r)->regs[30] = tramp;
	*ret_sp = RC(r)->sp;
	*slot = 0;
	return 0;
}

uint64_t arch_sp_after_ret(const struct arch_regs *r) { return RC(r)->sp; }

bool arch_unhijack_reg(struct arch_regs *r, uint64_t tramp, uint64_t orig)
{
	if (RC(r)->regs[30] != tramp)
		return false;
	R(r)->regs[30] = orig;
	return true;
}

static const uint8_t sys_code[] = { 0x01, 0x00, 0x00, 0xd4, 0x00, 0x00, 0x20, 0xd4 };  /* svc #0; brk #0 */

const uint8_t *arch_syscall_code(int *len)
{
	*len = sizeof(sys_code);
	return sys_code;
}

void arch_syscall_setup(struct arch_regs *r, uint64_t pc, long nr, const long a[6])
{
	R(r)->pc = pc;
	R(r)->regs[8] = nr;
	for (int i = 0; i < 6; i++)
		R(r)->regs[i] = a[i];
}

long arch_syscall_result(const struct arch_regs *r) { return (long)RC(r)->regs[0]; }

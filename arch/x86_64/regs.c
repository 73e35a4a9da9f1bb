/*
** x86_64 registers of a stopped thread: pc/sp/arguments, DWARF numbering (the SysV psABI
** table; the i386 one for a compat-mode thread, cs 0x23), names as stap's register() takes
** them, return-address hijacking at entry, syscall injection (int $0x80 for i386 code).
*/
#include <elf.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "arch.h"

#define U(r) ((struct user_regs_struct *)(r)->r)
#define UC(r) ((const struct user_regs_struct *)(r)->r)

_Static_assert(sizeof(struct user_regs_struct) <= sizeof(struct arch_regs), "arch_regs");

/* DWARF register number -> offset in user_regs_struct */
static const int dw_off[17] = {
	offsetof(struct user_regs_struct, rax), offsetof(struct user_regs_struct, rdx),
	offsetof(struct user_regs_struct, rcx), offsetof(struct user_regs_struct, rbx),
	offsetof(struct user_regs_struct, rsi), offsetof(struct user_regs_struct, rdi),
	offsetof(struct user_regs_struct, rbp), offsetof(struct user_regs_struct, rsp),
	offsetof(struct user_regs_struct, r8),  offsetof(struct user_regs_struct, r9),
	offsetof(struct user_regs_struct, r10), offsetof(struct user_regs_struct, r11),
	offsetof(struct user_regs_struct, r12), offsetof(struct user_regs_struct, r13),
	offsetof(struct user_regs_struct, r14), offsetof(struct user_regs_struct, r15),
	offsetof(struct user_regs_struct, rip),
};

/* i386 DWARF number -> offset: eax ecx edx ebx esp ebp esi edi eip eflags */
static const int dw32_off[10] = {
	offsetof(struct user_regs_struct, rax), offsetof(struct user_regs_struct, rcx),
	offsetof(struct user_regs_struct, rdx), offsetof(struct user_regs_struct, rbx),
	offsetof(struct user_regs_struct, rsp), offsetof(struct user_regs_struct, rbp),
	offsetof(struct user_regs_struct, rsi), offsetof(struct user_regs_struct, rdi),
	offsetof(struct user_regs_struct, rip), offsetof(struct user_regs_struct, eflags),
};
/* x86_64 DWARF number -> i386's, -1: none in i386 */
static const int dw64_to32[17] = { 0, 2, 1, 3, 6, 7, 5, 4, -1, -1, -1, -1, -1, -1, -1, -1, 8 };

#define USER32_CS 0x23

int arch_regs_mode(const struct arch_regs *r) { return UC(r)->cs == USER32_CS; }

int arch_elf_mode(int elfclass, int machine)
{
	if (elfclass == ELFCLASS64 && machine == EM_X86_64)
		return 0;
	if (elfclass == ELFCLASS32 && machine == EM_386)
		return 1;
	return -1;
}

int arch_ptr_bytes(int mode) { return mode == 1 ? 4 : 8; }

static const uint8_t bkpt[] = { 0xcc };

const uint8_t *arch_bkpt(int *len)
{
	*len = sizeof(bkpt);
	return bkpt;
}

int arch_regs_io(int tid, struct arch_regs *r, bool set)
{
	return ptrace(set ? PTRACE_SETREGS : PTRACE_GETREGS, tid, 0, r->r) < 0 ? -1 : 0;
}

uint64_t arch_trap_pc(const struct arch_regs *r) { return UC(r)->rip - 1; }
size_t arch_regs_size(void) { return sizeof(struct user_regs_struct); }
uint64_t arch_pc(const struct arch_regs *r) { return UC(r)->rip; }
void arch_set_pc(struct arch_regs *r, uint64_t pc) { U(r)->rip = pc; }
uint64_t arch_sp(const struct arch_regs *r) { return UC(r)->rsp; }
uint64_t arch_retval(const struct arch_regs *r) { return UC(r)->rax; }

uint64_t arch_arg(const struct arch_regs *r, int n)
{
	const struct user_regs_struct *u = UC(r);
	switch (n) {
	case 1: return u->rdi;
	case 2: return u->rsi;
	case 3: return u->rdx;
	case 4: return u->rcx;
	case 5: return u->r8;
	case 6: return u->r9;
	}
	return 0;
}

int arch_arg_regno_mode(int n, int mode)
{
	return mode ? -1 : arch_arg_regno(n);   /* i386: every argument on the stack */
}

uint64_t arch_stack_arg_off_mode(int n, int mode)
{
	return mode ? 4ull * (uint64_t)n : arch_stack_arg_off(n);   /* [esp] return address */
}

int arch_arg_regno(int n)
{
	static const int r[6] = { 5, 4, 1, 2, 8, 9 };   /* rdi rsi rdx rcx r8 r9 */
	return n >= 1 && n <= 6 ? r[n - 1] : -1;
}

int arch_retval_regno(void) { return 0; }

/* [sp] is the return address, then arguments 7, 8, ... */
uint64_t arch_stack_arg_off(int n) { return 8ull * (uint64_t)(n - 6); }

int arch_reg_get(const struct arch_regs *r, int dwregno, uint64_t *v)
{
	if (arch_regs_mode(r)) {
		if (dwregno < 0 || dwregno > 9)
			return -1;
		memcpy(v, (const char *)r->r + dw32_off[dwregno], 8);
		*v &= 0xffffffffull;
		return 0;
	}
	if (dwregno < 0 || dwregno > 16)
		return -1;
	memcpy(v, (const char *)r->r + dw_off[dwregno], 8);
	return 0;
}

int arch_reg_set(struct arch_regs *r, int dwregno, uint64_t v)
{
	if (arch_regs_mode(r)) {
		if (dwregno < 0 || dwregno > 9)
			return -1;
		v &= 0xffffffffull;
		memcpy((char *)r->r + dw32_off[dwregno], &v, 8);
		return 0;
	}
	if (dwregno < 0 || dwregno > 16)
		return -1;
	memcpy((char *)r->r + dw_off[dwregno], &v, 8);
	return 0;
}

/* Names in DWARF order: 64-bit, 32-bit, 16-bit, low byte. */
static const char *const names[17][4] = {
	{ "rax", "eax", "ax", "al" },   { "rdx", "edx", "dx", "dl" },
	{ "rcx", "ecx", "cx", "cl" },   { "rbx", "ebx", "bx", "bl" },
	{ "rsi", "esi", "si", "sil" },  { "rdi", "edi", "di", "dil" },
	{ "rbp", "ebp", "bp", "bpl" },  { "rsp", "esp", "sp", "spl" },
	{ "r8", "r8d", "r8w", "r8b" },  { "r9", "r9d", "r9w", "r9b" },
	{ "r10", "r10d", "r10w", "r10b" }, { "r11", "r11d", "r11w", "r11b" },
	{ "r12", "r12d", "r12w", "r12b" }, { "r13", "r13d", "r13w", "r13b" },
	{ "r14", "r14d", "r14w", "r14b" }, { "r15", "r15d", "r15w", "r15b" },
	{ "rip", "eip", "ip", NULL },
};

int arch_reg_byname(const char *name, int *dwregno, int *bytes, int *shift)
{
	static const int width[4] = { 8, 4, 2, 1 };
	*shift = 0;
	for (int i = 0; i < 17; i++)
		for (int w = 0; w < 4; w++)
			if (names[i][w] && strcmp(names[i][w], name) == 0) {
				*dwregno = i;
				*bytes = width[w];
				return 0;
			}
	/* the high bytes */
	static const char *const high[4] = { "ah", "dh", "ch", "bh" };
	for (int i = 0; i < 4; i++)
		if (strcmp(high[i], name) == 0) {
			*dwregno = i;
			*bytes = 1;
			*shift = 8;
			return 0;
		}
	return -1;
}

/* stap's register() names every x86_64 register for a 32-bit app too (pt_regs is the
   same): the number is the i386 one where i386 has the register. */
int arch_reg_byname_mode(const char *name, int mode, int *dwregno, int *bytes, int *shift)
{
	if (arch_reg_byname(name, dwregno, bytes, shift) < 0)
		return -1;
	if (mode && (*dwregno = dw64_to32[*dwregno]) < 0)
		return -1;
	return 0;
}

/* At entry the return address is at [rsp]; after ret, rsp is 8 higher (i386: 4). */
int arch_hijack_ret(struct arch_regs *r, const struct arch_mem *m, uint64_t tramp,
                    uint64_t *orig_ret, uint64_t *ret_sp, uint64_t *slot)
{
	uint64_t sp = UC(r)->rsp;
	size_t w = arch_regs_mode(r) ? 4 : 8;
	*orig_ret = 0;
	if (m->read(m->arg, sp, orig_ret, w) < 0 || m->write(m->arg, sp, &tramp, w) < 0)
		return -1;
	*ret_sp = sp + w;
	*slot = sp;
	return 0;
}

uint64_t arch_sp_after_ret(const struct arch_regs *r) { return UC(r)->rsp; }

/* the return address is always on the stack here */
bool arch_unhijack_reg(struct arch_regs *r, uint64_t tramp, uint64_t orig) { return false; }

static const uint8_t sys_code[] = { 0x0f, 0x05, 0xcc };   /* syscall; int3 */
static const uint8_t sys_code32[] = { 0xcd, 0x80, 0xcc };   /* int $0x80; int3 */

const uint8_t *arch_syscall_code(int *len)
{
	*len = sizeof(sys_code);
	return sys_code;
}

const uint8_t *arch_syscall_code_mode(int mode, int *len)
{
	if (!mode)
		return arch_syscall_code(len);
	*len = sizeof(sys_code32);
	return sys_code32;
}

/* The i386 number of a native one the engine injects (mmap is mmap2: offset in pages). */
static long nr32(long nr)
{
	switch (nr) {
	case 9: return 192;     /* mmap -> mmap2 */
	case 10: return 125;    /* mprotect */
	case 11: return 91;     /* munmap */
	case 0: return 3;       /* read: the pre-run (nr 0) only needs a harmless call */
	}
	return -1;
}

void arch_syscall_setup(struct arch_regs *r, uint64_t pc, long nr, const long a[6])
{
	struct user_regs_struct *u = U(r);
	u->rip = pc;
	u->orig_rax = -1;   /* not in a syscall: no restart logic on resume */
	if (arch_regs_mode(r)) {
		u->rax = (uint32_t)nr32(nr);
		u->rbx = (uint32_t)a[0]; u->rcx = (uint32_t)a[1]; u->rdx = (uint32_t)a[2];
		u->rsi = (uint32_t)a[3]; u->rdi = (uint32_t)a[4]; u->rbp = (uint32_t)a[5];
		return;
	}
	u->rax = nr;
	u->rdi = a[0]; u->rsi = a[1]; u->rdx = a[2];
	u->r10 = a[3]; u->r8 = a[4]; u->r9 = a[5];
}

long arch_syscall_result(const struct arch_regs *r)
{
	if (arch_regs_mode(r)) {   /* -4095..-1 an error, else an unsigned 32-bit value */
		uint32_t v = (uint32_t)UC(r)->rax;
		return v > 0xfffff000u ? (long)(int32_t)v : (long)v;
	}
	return (long)UC(r)->rax;
}

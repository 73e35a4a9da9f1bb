/*
** aarch64 execution modes: only native AArch64 code is traced; an AArch32 (compat) process
** is refused (arch_elf_mode -1), so the mode variants of the arch interface are the natives.
*/
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "arch.h"

int arch_elf_mode(int elfclass, int machine)
{
	return elfclass == ELFCLASS64 && machine == EM_AARCH64 ? 0 : -1;
}

int arch_regs_mode(const struct arch_regs *r) { return 0; }
int arch_ptr_bytes(int mode) { return 8; }

int arch_decode_mode(struct arch_insn *in, const uint8_t *code, size_t n, uint64_t addr, int mode)
{
	if (mode) {
		memset(in, 0, sizeof(*in));
		in->kind = ARCH_REFUSE;
		snprintf(in->why, sizeof(in->why), "AArch32 code");
		return -1;
	}
	return arch_decode(in, code, n, addr);
}

const uint8_t *arch_syscall_code_mode(int mode, int *len) { return arch_syscall_code(len); }

int arch_reg_byname_mode(const char *name, int mode, int *dwregno, int *bytes, int *shift)
{
	return arch_reg_byname(name, dwregno, bytes, shift);
}

const char *arch_syscall_name_mode(int nr, int mode) { return arch_syscall_name(nr); }
int arch_arg_regno_mode(int n, int mode) { return arch_arg_regno(n); }
uint64_t arch_stack_arg_off_mode(int n, int mode) { return arch_stack_arg_off(n); }

int arch_regs_io(int tid, struct arch_regs *r, bool set)
{
	struct iovec io = { r->r, arch_regs_size() };
	return ptrace(set ? PTRACE_SETREGSET : PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &io) < 0 ? -1 : 0;
}

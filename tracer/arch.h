/*
** The instruction-set interface of the breakpoint engine: breakpoint bytes, registers,
** decoding an instruction for out-of-line execution (XOL) or emulation, and the syscall
** instruction for injection. arch/<machine>/ implements it; nothing else knows opcodes.
*/
#ifndef USTAP_ARCH_H
#define USTAP_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The general registers of a stopped thread, as PTRACE_GETREGSET(NT_PRSTATUS) gives them. */
struct arch_regs {
	uint64_t r[40];
};

/* Memory of the traced process, for emulation and return hijacking. 0, or -1. */
struct arch_mem {
	int (*read)(void *arg, uint64_t addr, void *buf, size_t len);
	int (*write)(void *arg, uint64_t addr, const void *buf, size_t len);
	void *arg;
};

enum arch_insn_kind { ARCH_XOL, ARCH_EMULATE, ARCH_REFUSE };

/* A decoded original instruction; the fields past kind/len are the arch's own. */
struct arch_insn {
	uint8_t bytes[16];
	uint8_t len;
	uint8_t kind;             /* enum arch_insn_kind */
	uint8_t op, flags, aux;
	int16_t rip_off;          /* offset of a pc-relative displacement, -1 if none */
	int64_t imm;              /* branch target offset or immediate */
	char why[48];             /* ARCH_REFUSE: the reason */
};

#define ARCH_MAX_INSN 16      /* bytes to read for arch_decode */
#define ARCH_XOL_SLOT 32      /* bytes of one XOL slot */

/* Breakpoint instruction bytes; the pc of a breakpoint from the pc after its trap. */
const uint8_t *arch_bkpt(int *len);
uint64_t arch_trap_pc(const struct arch_regs *r);

size_t arch_regs_size(void);
/* Read (set false) or write a stopped thread's registers through ptrace. 0, or -1 (errno).
   Only ptrace: async-signal-safe. x86_64 uses PTRACE_GETREGS, whose layout is the 64-bit one
   for a 32-bit thread too (GETREGSET gives such a thread the i386 layout). */
int arch_regs_io(int tid, struct arch_regs *r, bool set);
uint64_t arch_pc(const struct arch_regs *r);
void arch_set_pc(struct arch_regs *r, uint64_t pc);
uint64_t arch_sp(const struct arch_regs *r);
uint64_t arch_arg(const struct arch_regs *r, int n);   /* n from 1, C calling convention */
uint64_t arch_retval(const struct arch_regs *r);
/* DWARF numbers of argument N (from 1; -1: on the stack) and of the return value. */
int arch_arg_regno(int n);
int arch_retval_regno(void);
/* perf_event sampled registers (PERF_SAMPLE_REGS_INTR/_USER, arch/<machine>/perf_regs.c): the
   mask to ask for, and the perf register number of a DWARF register (-1: not sampled). */
uint64_t arch_perf_regs_mask(void);
int arch_perf_regno(int dwregno);
/* The perf register index of the program counter (a user pc from PERF_SAMPLE_REGS_USER). */
int arch_perf_pc_regno(void);
/* The syscall number of a syscall by its tracefs name ("openat"), -1 if unknown. */
int arch_syscall_nr(const char *name);
/* ... and the other way: the name of syscall nr, NULL if unknown. */
const char *arch_syscall_name(int nr);
/* open(2)'s flags whose values differ between architectures (arch/<machine>/sysnames.c). */
struct arch_oflags { long direct, largefile, directory, nofollow; };
const struct arch_oflags *arch_open_flags(void);
/* Where stack argument N is at a function's entry, relative to sp. */
uint64_t arch_stack_arg_off(int n);
/* Registers by DWARF number. 0, or -1 for a number this arch doesn't have. */
int arch_reg_get(const struct arch_regs *r, int dwregno, uint64_t *v);
int arch_reg_set(struct arch_regs *r, int dwregno, uint64_t v);
/* A register by name as stap's register()/u_register() take it ("rax", "eax", "ax", "al",
   "x0", "sp" ...): its DWARF number and width in bytes (value masked, sign-extended by
   the caller when asked). 0, or -1 for an unknown name. */
int arch_reg_byname(const char *name, int *dwregno, int *bytes, int *shift);
/* Thread-local storage (arch/<machine>/tls.c): the thread pointer of stopped thread tid
   (regs saved at its stop) and the offset from it of glibc's tcbhead dtv pointer. 0, or -1. */
int arch_tls_tp(const struct arch_regs *r, int tid, uint64_t *tp, int64_t *dtv_off);

/* Return probes. At a function's entry: replace the return address by tramp and give the
   original, the stack pointer the frame will have after it returns, and the stack slot that
   now holds tramp (0: a register). At the trampoline: the stack pointer now, to match. */
int arch_hijack_ret(struct arch_regs *r, const struct arch_mem *m, uint64_t tramp,
                    uint64_t *orig_ret, uint64_t *ret_sp, uint64_t *slot);
uint64_t arch_sp_after_ret(const struct arch_regs *r);
/* Detach: a return address hijacked into a register (slot 0) that still holds tramp gets
   orig back. True if r changed. */
bool arch_unhijack_reg(struct arch_regs *r, uint64_t tramp, uint64_t orig);

/* Decode the instruction at addr (code holds up to n bytes of it) and classify it. 0, or -1
   when it cannot be decoded (in->why says why). */
int arch_decode(struct arch_insn *in, const uint8_t *code, size_t n, uint64_t addr);
/* Build the XOL slot at address slot for in (originally at addr): the relocated instruction
   then a jump back to addr + len. Returns its length (<= ARCH_XOL_SLOT), -1 if the slot is
   out of reach for a pc-relative operand. */
int arch_xol_build(const struct arch_insn *in, uint64_t addr, uint64_t slot, uint8_t *out);
/* Where a thread whose pc is inside the slot would be in the original code, 0 if nowhere. */
uint64_t arch_xol_unmap_pc(const struct arch_insn *in, uint64_t addr, uint64_t slot, uint64_t pc);
/* Emulate an ARCH_EMULATE instruction at addr: update r (and memory). 0, or -1. */
int arch_emulate(const struct arch_insn *in, uint64_t addr, struct arch_regs *r,
                 const struct arch_mem *m);
/* Largest distance from a pc-relative instruction to its XOL slot (0: no limit). */
uint64_t arch_xol_reach(void);

/* Syscall injection: code to place at pc (a syscall then a breakpoint), register set-up,
   and the result once the breakpoint is reached. */
const uint8_t *arch_syscall_code(int *len);
void arch_syscall_setup(struct arch_regs *r, uint64_t pc, long nr, const long args[6]);
long arch_syscall_result(const struct arch_regs *r);

/* One SDT marker operand (the OP of "N@OP" in a .note.stapsdt note) in this arch's assembler
   syntax: x86_64 "$5", "%rdi", "%ah", "-12(%rbp)", "8(%rax,%rdx,8)", "sym+8(%rip)";
   aarch64 "5", "x0", "w1", "[sp]", "[x29, -12]", "[x1, x2]" (arch/<machine>/sdt_op.c). */
enum arch_sdt_kind { ARCH_SDT_CONST, ARCH_SDT_REG, ARCH_SDT_MEM };
struct arch_sdt_op {
	enum arch_sdt_kind kind;
	int base, index;          /* DWARF numbers, -1: none (MEM: base + index * scale + disp) */
	int bytes, shift;         /* REG: the register's width in bytes and bit shift (%ah: 1, 8) */
	int scale;
	int64_t disp;             /* CONST: the value; MEM: the displacement */
	char sym[128];            /* MEM: a symbol whose address adds to disp ("": none) */
};
/* 0, or -1 when text is not an operand this arch knows. _mode: in code of that execution mode
   (below; x86_64 mode 1: i386 registers, numbered as i386 DWARF). */
int arch_sdt_operand(const char *text, struct arch_sdt_op *op);
int arch_sdt_operand_mode(const char *text, int mode, struct arch_sdt_op *op);

/* Execution modes of a traced process's code: 0 native; 1 the arch's 32-bit compat mode
   (x86_64: i386 code, gcc -m32). arch_elf_mode: the mode of an executable by its ELF class
   and e_machine, -1 when ustap cannot trace its code (x32, aarch32). arch_regs_mode: the mode
   a stopped thread's registers are in. Registers of a compat-mode thread are numbered as that
   mode's DWARF numbers (i386: eax 0, ecx 1, edx 2, ebx 3, esp 4, ebp 5, esi 6, edi 7, eip 8)
   by arch_reg_get/set; arch_hijack_ret, arch_emulate and the XOL jump use its word size;
   arch_syscall_setup takes the native number of mmap/munmap/mprotect and makes it the mode's. */
int arch_elf_mode(int elfclass, int machine);
int arch_regs_mode(const struct arch_regs *r);
/* The mode variants: arch_decode(...) is arch_decode_mode(..., 0); the decoded instruction
   remembers its mode for arch_xol_build/arch_emulate/arch_xol_unmap_pc. */
int arch_decode_mode(struct arch_insn *in, const uint8_t *code, size_t n, uint64_t addr, int mode);
const uint8_t *arch_syscall_code_mode(int mode, int *len);
int arch_reg_byname_mode(const char *name, int mode, int *dwregno, int *bytes, int *shift);
int arch_arg_regno_mode(int n, int mode);
uint64_t arch_stack_arg_off_mode(int n, int mode);
/* syscall_name() of a process in that mode (a compat task's: the 32-bit table), NULL if none. */
const char *arch_syscall_name_mode(int nr, int mode);
/* Bytes of a pointer (and of stap's long in user_long) in that mode. */
int arch_ptr_bytes(int mode);

#endif

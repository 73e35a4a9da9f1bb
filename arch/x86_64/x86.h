/* x86_64-private bits of struct arch_insn (arch/x86_64 only). */
#ifndef USTAP_X86_H
#define USTAP_X86_H
#define X86_F_MODRM 1
#define X86_F_REX   2
#define X86_F_0F    4   /* two-byte opcode map */
#define X86_F_32    8   /* decoded as i386 code (compat mode) */
#endif

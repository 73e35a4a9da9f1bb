/* aarch64-private operation codes in struct arch_insn.op (arch/aarch64 only). */
#ifndef USTAP_A64_H
#define USTAP_A64_H
enum { A64_B = 1, A64_BL, A64_BCOND, A64_CBZ, A64_TBZ, A64_ADR, A64_LDRLIT, A64_BLR, A64_NOP };
#endif

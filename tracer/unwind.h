/*
** User stacks of a stopped thread through libunwind-ptrace: DWARF CFI (.eh_frame,
** .debug_frame) so that frames without frame pointers (-O2, libc) unwind too. Registers and
** memory come from the probe context, so the probed pc (not the trap's) starts the walk.
*/
#ifndef USTAP_UNWIND_H
#define USTAP_UNWIND_H

#include <stdint.h>

struct ctx;
struct session;

/* pcs[0] is the context's pc, then each caller's return address. Returns the number of
   frames (at most max), or -1 when the context has no registers. Usable as ctx_ops.ustack. */
int unw_ustack(struct ctx *c, uint64_t *pcs, int max);
/* The same for an i386 program (unwind32.c: CFI through libdw, else the ebp chain). */
int unw_ustack32(struct ctx *c, uint64_t *pcs, int max);
/* Drop pid's cached unwind handle (exit, exec). */
void unw_forget_pid(struct session *s, int pid);

#endif

/*
** aarch64 thread pointer for thread-local variables: tpidr_el0 (the NT_ARM_TLS register set);
** glibc's tcbhead_t sits at the thread pointer with the dtv pointer first (TLS_DTV_AT_TP).
*/
#include <elf.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "arch.h"

int arch_tls_tp(const struct arch_regs *r, int tid, uint64_t *tp, int64_t *dtv_off)
{
	uint64_t v = 0;
	struct iovec io = { &v, sizeof v };

	(void)r;
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_ARM_TLS, &io) < 0 || !v)
		return -1;
	*tp = v;
	*dtv_off = 0;     /* tcbhead_t { dtv_t *dtv; void *private; } */
	return 0;
}

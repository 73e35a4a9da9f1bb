/*
** x86_64 thread pointer for thread-local variables: fs_base, which PTRACE_GETREGS already
** saved with the other registers; glibc's tcbhead_t (at fs_base) keeps the dtv pointer at +8.
*/
#include <stddef.h>
#include <sys/user.h>

#include "arch.h"

int arch_tls_tp(const struct arch_regs *r, int tid, uint64_t *tp, int64_t *dtv_off)
{
	(void)tid;
	*tp = ((const struct user_regs_struct *)r->r)->fs_base;
	*dtv_off = 8;     /* tcbhead_t { void *tcb; dtv_t *dtv; ... } */
	return *tp ? 0 : -1;
}

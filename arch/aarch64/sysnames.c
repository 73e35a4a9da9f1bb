/*
** aarch64 syscall numbers by name: not tabled yet, so every syscalls:sys_enter_NAME probe
** opens its own event (prov_tracepoint.c falls back when this says -1).
*/
#include "arch.h"

int arch_syscall_nr(const char *name)
{
	(void)name;
	return -1;
}

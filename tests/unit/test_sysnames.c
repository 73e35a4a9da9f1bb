/*
** arch/<machine>/sysnames.c against this machine's own headers: syscall numbers by tracefs
** name (renamed ones included) and the open(2) flags whose values differ between arches.
** Built for aarch64 too (make arm64), where the table comes from the asm-generic unistd.h.
*/
#include <fcntl.h>
#include <sys/syscall.h>

#include "arch.h"
#include "unit.h"

int main(void)
{
	CHECK_L(arch_syscall_nr("read"), SYS_read);
	CHECK_L(arch_syscall_nr("write"), SYS_write);
	CHECK_L(arch_syscall_nr("openat"), SYS_openat);
	CHECK_L(arch_syscall_nr("close"), SYS_close);
	CHECK_L(arch_syscall_nr("mmap"), SYS_mmap);
	CHECK_L(arch_syscall_nr("getppid"), SYS_getppid);
	CHECK_L(arch_syscall_nr("clone3"), SYS_clone3);
	CHECK_L(arch_syscall_nr("newfstat"), SYS_fstat);      /* tracefs: sys_enter_newfstat */
	CHECK_L(arch_syscall_nr("newuname"), SYS_uname);
	CHECK_L(arch_syscall_nr("newfstatat"), SYS_newfstatat);
	CHECK_L(arch_syscall_nr("no_such_syscall"), -1);
#ifdef SYS_open
	CHECK_L(arch_syscall_nr("open"), SYS_open);
#else
	CHECK_L(arch_syscall_nr("open"), -1);                 /* asm-generic has openat only */
#endif
	CHECK_S(arch_syscall_name(SYS_openat), "openat");
	CHECK_S(arch_syscall_name(SYS_getppid), "getppid");
	CHECK(arch_syscall_name(99999) == NULL);
	const struct arch_oflags *f = arch_open_flags();
	CHECK_L(f->direct, O_DIRECT);
	CHECK_L(f->directory, O_DIRECTORY);
	CHECK_L(f->nofollow, O_NOFOLLOW);
	return unit_done("test_sysnames");
}

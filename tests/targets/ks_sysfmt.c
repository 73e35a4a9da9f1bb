// ks_sysfmt: syscalls whose argstr stap's own syscall tests spell out (testsuite/
// systemtap.syscall: openclose, readwrite, pipe, dir, stat, rename, access, uid, mmap, chmod),
// made through syscall(2) so that the C library picks no other call, in a fresh directory.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	char dir[] = "/tmp/ks_sysfmtXXXXXX";
	char stx[256];

	if (!mkdtemp(dir) || chdir(dir) < 0)
		return 1;
	usleep(100000);
	int fd = (int)syscall(SYS_creat, "foobarX", -1);
	syscall(SYS_write, fd, "Hello world abcdefghijklmnopqrstuvwxyz 0123456789", 59);
	syscall(SYS_pipe2, NULL, O_CLOEXEC);	/* NULL: stap reads fildes before the call, ustap after */
	syscall(SYS_mkdirat, AT_FDCWD, "foobar2", 0755);
	syscall(SYS_statx, AT_FDCWD, "foobar2", AT_SYMLINK_NOFOLLOW, 0x2000, stx);
	syscall(SYS_renameat2, AT_FDCWD, "foobar2", AT_FDCWD, "foobar3", 1);
	syscall(SYS_faccessat2, AT_FDCWD, "foobar3", F_OK, 0x200);
	syscall(SYS_fchmodat, AT_FDCWD, "foobar3", 0700);
	syscall(SYS_mlockall, 1);
	syscall(SYS_munlockall);
	syscall(SYS_setuid, -1);
	syscall(SYS_unlinkat, AT_FDCWD, "foobar3", AT_REMOVEDIR);
	syscall(SYS_unlinkat, AT_FDCWD, "foobarX", 0);
	/* the strings of the last calls are read after they return: keep them mapped a while */
	usleep(200000);
	if (chdir("/") == 0)
		rmdir(dir);
	return 0;
}

#!/bin/sh
# Writes arch/x86_64/sysnames.c from the system's <asm/unistd_64.h>: syscall numbers by name,
# for demultiplexing raw_syscalls records (tracer/prov_tracepoint.c).
H=${1:-/usr/include/x86_64-linux-gnu/asm/unistd_64.h}
OUT=$(dirname "$0")/../arch/x86_64/sysnames.c
{
	echo "/*"
	echo "** x86_64 syscall numbers by name (from <asm/unistd_64.h> by tools/gen_sysnames.sh), so that"
	echo "** one raw_syscalls event can stand for many syscalls:sys_enter_NAME events."
	echo "*/"
	echo "#include <string.h>"
	echo
	echo "#include \"arch.h\""
	echo
	echo "static const struct { const char *name; int nr; } nrs[] = {"
	sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$/\t{ "\1", \2 },/p' "$H"
	echo "};"
	echo
	echo "int arch_syscall_nr(const char *name)"
	echo "{"
	echo "	/* tracefs calls a few of them by the kernel's function name */"
	echo "	static const char *const renamed[][2] = { { \"newfstat\", \"fstat\" }, { \"newstat\", \"stat\" },"
	echo "		{ \"newlstat\", \"lstat\" }, { \"newuname\", \"uname\" }, { \"sendfile64\", \"sendfile\" } };"
	echo "	for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)"
	echo "		if (!strcmp(name, renamed[i][0]))"
	echo "			name = renamed[i][1];"
	echo "	for (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++)"
	echo "		if (!strcmp(nrs[i].name, name))"
	echo "			return nrs[i].nr;"
	echo "	return -1;"
	echo "}"
} > "$OUT"

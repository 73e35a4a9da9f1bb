/*
** The helpers stap's syscall tapset writes in embedded C (tapset/linux/aux_syscalls.stp,
** errno.stp): numbers to names (errno, signals, open/mmap/prot/wait flags, sockets, clone
** flags) and user structures read through the probe context (timespec, sockaddr, argv).
** The lookups follow stap's _stp_lookup_str / _stp_lookup_or_str output exactly.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "builtins.h"
#include "context.h"
#include "engine.h"
#include "printf.h"

struct val { int64_t val; const char *name; };

/* _stp_lookup_str2: the name of exactly val, or val in base (16: 0x%lx, 10: %ld, 8: %#lo) */
static void lookup_str(const struct val *a, int64_t val, char *out, size_t n, int base)
{
	size_t l = strlen(out);

	for (; a->name; a++)
		if (a->val == val) {
			snprintf(out + l, n - l, "%s", a->name);
			return;
		}
	if (base == 10)
		snprintf(out + l, n - l, "%lld", (long long)val);
	else if (base == 8)
		snprintf(out + l, n - l, "%#llo", (unsigned long long)val);
	else
		snprintf(out + l, n - l, "0x%llx", (unsigned long long)val);
}

/* _stp_lookup_or_str2: names of the bits set, '|'-joined, leftover bits in hex */
static void lookup_or(const struct val *a, int64_t val, char *out, size_t n)
{
	bool flag = false;
	size_t l;

	if (val == 0) {
		lookup_str(a, val, out, n, 16);
		return;
	}
	for (; a->name; a++)
		if (a->val & val) {
			l = strlen(out);
			snprintf(out + l, n - l, "%s%s", flag ? "|" : "", a->name);
			val &= ~a->val;
			flag = true;
		}
	if (val) {
		l = strlen(out);
		snprintf(out + l, n - l, "%s0x%llx", flag ? "|" : "", (unsigned long long)val);
	}
}

static size_t cap(struct bi_call *c)
{
	return (size_t)c->maxstringlen + 1;
}

#define V(x, v) { v, #x }

static const struct val errnos[] = {
	V(EPERM, 1), V(ENOENT, 2), V(ESRCH, 3), V(EINTR, 4), V(EIO, 5), V(ENXIO, 6), V(E2BIG, 7),
	V(ENOEXEC, 8), V(EBADF, 9), V(ECHILD, 10), V(EAGAIN, 11), V(ENOMEM, 12), V(EACCES, 13),
	V(EFAULT, 14), V(ENOTBLK, 15), V(EBUSY, 16), V(EEXIST, 17), V(EXDEV, 18), V(ENODEV, 19),
	V(ENOTDIR, 20), V(EISDIR, 21), V(EINVAL, 22), V(ENFILE, 23), V(EMFILE, 24), V(ENOTTY, 25),
	V(ETXTBSY, 26), V(EFBIG, 27), V(ENOSPC, 28), V(ESPIPE, 29), V(EROFS, 30), V(EMLINK, 31),
	V(EPIPE, 32), V(EDOM, 33), V(ERANGE, 34), V(EDEADLK, 35), V(ENAMETOOLONG, 36), V(ENOLCK, 37),
	V(ENOSYS, 38), V(ENOTEMPTY, 39), V(ELOOP, 40), V(ENOMSG, 42), V(EIDRM, 43), V(ECHRNG, 44),
	V(EL2NSYNC, 45), V(EL3HLT, 46), V(EL3RST, 47), V(ELNRNG, 48), V(EUNATCH, 49), V(ENOCSI, 50),
	V(EL2HLT, 51), V(EBADE, 52), V(EBADR, 53), V(EXFULL, 54), V(ENOANO, 55), V(EBADRQC, 56),
	V(EBADSLT, 57), V(EBFONT, 59), V(ENOSTR, 60), V(ENODATA, 61), V(ETIME, 62), V(ENOSR, 63),
	V(ENONET, 64), V(ENOPKG, 65), V(EREMOTE, 66), V(ENOLINK, 67), V(EADV, 68), V(ESRMNT, 69),
	V(ECOMM, 70), V(EPROTO, 71), V(EMULTIHOP, 72), V(EDOTDOT, 73), V(EBADMSG, 74),
	V(EOVERFLOW, 75), V(ENOTUNIQ, 76), V(EBADFD, 77), V(EREMCHG, 78), V(ELIBACC, 79),
	V(ELIBBAD, 80), V(ELIBSCN, 81), V(ELIBMAX, 82), V(ELIBEXEC, 83), V(EILSEQ, 84),
	V(ERESTART, 85), V(ESTRPIPE, 86), V(EUSERS, 87), V(ENOTSOCK, 88), V(EDESTADDRREQ, 89),
	V(EMSGSIZE, 90), V(EPROTOTYPE, 91), V(ENOPROTOOPT, 92), V(EPROTONOSUPPORT, 93),
	V(ESOCKTNOSUPPORT, 94), V(EOPNOTSUPP, 95), V(EPFNOSUPPORT, 96), V(EAFNOSUPPORT, 97),
	V(EADDRINUSE, 98), V(EADDRNOTAVAIL, 99), V(ENETDOWN, 100), V(ENETUNREACH, 101),
	V(ENETRESET, 102), V(ECONNABORTED, 103), V(ECONNRESET, 104), V(ENOBUFS, 105),
	V(EISCONN, 106), V(ENOTCONN, 107), V(ESHUTDOWN, 108), V(ETOOMANYREFS, 109),
	V(ETIMEDOUT, 110), V(ECONNREFUSED, 111), V(EHOSTDOWN, 112), V(EHOSTUNREACH, 113),
	V(EALREADY, 114), V(EINPROGRESS, 115), V(ESTALE, 116), V(EUCLEAN, 117), V(ENOTNAM, 118),
	V(ENAVAIL, 119), V(EISNAM, 120), V(EREMOTEIO, 121), V(EDQUOT, 122), V(ENOMEDIUM, 123),
	V(EMEDIUMTYPE, 124), V(ECANCELED, 125), V(ENOKEY, 126), V(EKEYEXPIRED, 127),
	V(EKEYREVOKED, 128), V(EKEYREJECTED, 129), V(EOWNERDEAD, 130), V(ENOTRECOVERABLE, 131),
	V(ERFKILL, 132), V(EHWPOISON, 133), { 0, NULL }
};

static const struct val signals[] = {
	{ 0, "SIG_0" }, V(SIGHUP, 1), V(SIGINT, 2), V(SIGQUIT, 3), V(SIGILL, 4), V(SIGTRAP, 5),
	V(SIGABRT, 6), V(SIGBUS, 7), V(SIGFPE, 8), V(SIGKILL, 9), V(SIGUSR1, 10), V(SIGSEGV, 11),
	V(SIGPIPE, 13), V(SIGUSR2, 12), V(SIGALRM, 14), V(SIGTERM, 15), V(SIGCHLD, 17),
	V(SIGCONT, 18), V(SIGSTOP, 19), V(SIGTSTP, 20), V(SIGTTIN, 21), V(SIGTTOU, 22),
	V(SIGURG, 23), V(SIGXCPU, 24), V(SIGXFSZ, 25), V(SIGVTALRM, 26), V(SIGPROF, 27),
	V(SIGWINCH, 28), { 29, "SIGIO/SIGPOLL" }, V(SIGPWR, 30), V(SIGSYS, 31),
	{ 5 | 0x80, "TRACESYSGOOD" }, { 0, NULL }
};

static const struct val open_flags[] = {
	V(O_CREAT, 0100), V(O_EXCL, 0200), V(O_NOCTTY, 0400), V(O_TRUNC, 01000),
	V(O_APPEND, 02000), V(O_NONBLOCK, 04000), V(O_SYNC, 04010000), V(O_DSYNC, 010000),
	/* x86_64's values here; f_open_flag puts this arch's (arch_open_flags) in */
	V(O_ASYNC, 020000), V(O_DIRECT, 040000), V(O_LARGEFILE, 0100000),
	V(O_DIRECTORY, 0200000), V(O_NOFOLLOW, 0400000), V(O_NOATIME, 01000000),
	V(O_CLOEXEC, 02000000), V(O_PATH, 010000000), { 0, NULL }
};

static const struct val prot_list[] = {
	{ 0, "PROT_NONE" }, V(PROT_READ, 1), V(PROT_WRITE, 2), V(PROT_EXEC, 4), V(PROT_SEM, 8),
	V(PROT_GROWSDOWN, 0x01000000), V(PROT_GROWSUP, 0x02000000), { 0, NULL }
};

static const struct val mmap_list[] = {
	V(MAP_SHARED, 1), V(MAP_PRIVATE, 2), V(MAP_FIXED, 0x10), V(MAP_ANONYMOUS, 0x20),
	V(MAP_GROWSDOWN, 0x100), V(MAP_DENYWRITE, 0x800), V(MAP_EXECUTABLE, 0x1000),
	V(MAP_LOCKED, 0x2000), V(MAP_NORESERVE, 0x4000), V(MAP_POPULATE, 0x8000),
	V(MAP_NONBLOCK, 0x10000), V(MAP_STACK, 0x20000), V(MAP_HUGETLB, 0x40000),
	V(MAP_UNINITIALIZED, 0x4000000), V(MAP_32BIT, 0x40), { 0, NULL }
};

static const struct val wait_list[] = {
	V(WNOHANG, 1), V(WEXITED, 4), V(WSTOPPED, 2), V(WCONTINUED, 8), V(WNOWAIT, 0x01000000),
	V(__WNOTHREAD, 0x20000000), V(__WALL, 0x40000000), V(__WCLONE, 0x80000000), { 0, NULL }
};

static const struct val seek_list[] = {
	V(SEEK_SET, 0), V(SEEK_CUR, 1), V(SEEK_END, 2), V(SEEK_DATA, 3), V(SEEK_HOLE, 4), { 0, NULL }
};

static const struct val fcntl_list[] = {
	V(F_DUPFD, 0), V(F_GETFD, 1), V(F_SETFD, 2), V(F_GETFL, 3), V(F_SETFL, 4), V(F_GETLK, 5),
	V(F_SETLK, 6), V(F_SETLKW, 7), V(F_SETOWN, 8), V(F_GETOWN, 9), V(F_SETSIG, 10),
	V(F_GETSIG, 11), V(F_SETOWN_EX, 15), V(F_GETOWN_EX, 16), V(F_GETOWNER_UIDS, 17),
	V(F_SETLEASE, 1024), V(F_GETLEASE, 1025), V(F_DUPFD_CLOEXEC, 1030), V(F_NOTIFY, 1026),
	V(F_SETPIPE_SZ, 1031), V(F_GETPIPE_SZ, 1032), { 0, NULL }
};

static const struct val access_list[] = {
	{ 0, "F_OK" }, { 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" }, { 0, NULL }
};

static const struct val at_list[] = {
	V(AT_SYMLINK_NOFOLLOW, 0x100), V(AT_REMOVEDIR, 0x200), V(AT_SYMLINK_FOLLOW, 0x400),
	V(AT_NO_AUTOMOUNT, 0x800), V(AT_EMPTY_PATH, 0x1000), { 0, NULL }
};

static const struct val faccessat2_list[] = {
	V(AT_SYMLINK_NOFOLLOW, 0x100), V(AT_EACCESS, 0x200), { 0, NULL }
};
static const struct val msync_list[] = { V(MS_ASYNC, 1), V(MS_INVALIDATE, 2), V(MS_SYNC, 4), { 0, NULL } };
static const struct val mlock2_list[] = { V(MLOCK_ONFAULT, 1), { 0, NULL } };
static const struct val mlockall_list[] = {
	V(MCL_CURRENT, 1), V(MCL_FUTURE, 2), V(MCL_ONFAULT, 4), { 0, NULL }
};
static const struct val renameat2_list[] = {
	V(RENAME_NOREPLACE, 1), V(RENAME_EXCHANGE, 2), V(RENAME_WHITEOUT, 4), { 0, NULL }
};
static const struct val statx_mask_list[] = {
	V(AT_STATX_SYNC_TYPE, 0x6000), V(AT_STATX_SYNC_AS_STAT, 0), V(AT_STATX_FORCE_SYNC, 0x2000),
	V(AT_STATX_DONT_SYNC, 0x4000), { 0, NULL }
};

static const struct val priority_which_list[] = {
	V(PRIO_PROCESS, 0), V(PRIO_PGRP, 1), V(PRIO_USER, 2), { 0, NULL }
};
static const struct val flock_list[] = {
	V(LOCK_SH, 1), V(LOCK_EX, 2), V(LOCK_NB, 4), V(LOCK_UN, 8), V(LOCK_MAND, 32),
	V(LOCK_READ, 64), V(LOCK_WRITE, 128), V(LOCK_RW, 192), { 0, NULL }
};
static const struct val mremap_list[] = { V(MREMAP_MAYMOVE, 1), V(MREMAP_FIXED, 2), { 0, NULL } };
static const struct val pipe2_list[] = { V(O_NONBLOCK, 04000), V(O_CLOEXEC, 02000000), { 0, NULL } };
static const struct val sockflag_list[] = {
	V(SOCK_CLOEXEC, 02000000), V(SOCK_NONBLOCK, 04000), { 0, NULL }
};

static const struct val family_list[] = {
	V(PF_UNSPEC, 0), V(PF_LOCAL, 1), V(PF_INET, 2), V(PF_AX25, 3), V(PF_IPX, 4),
	V(PF_APPLETALK, 5), V(PF_NETROM, 6), V(PF_BRIDGE, 7), V(PF_ATMPVC, 8), V(PF_X25, 9),
	V(PF_INET6, 10), V(PF_ROSE, 11), V(PF_DECnet, 12), V(PF_NETBEUI, 13), V(PF_SECURITY, 14),
	V(PF_KEY, 15), V(PF_NETLINK, 16), V(PF_PACKET, 17), V(PF_ASH, 18), V(PF_ECONET, 19),
	V(PF_ATMSVC, 20), V(PF_RDS, 21), V(PF_SNA, 22), V(PF_IRDA, 23), V(PF_PPPOX, 24),
	V(PF_WANPIPE, 25), V(PF_LLC, 26), V(PF_IB, 27), V(PF_MPLS, 28), V(PF_CAN, 29),
	V(PF_TIPC, 30), V(PF_BLUETOOTH, 31), V(PF_IUCV, 32), V(PF_RXRPC, 33), V(PF_ISDN, 34),
	V(PF_PHONET, 35), V(PF_IEEE802154, 36), V(PF_CAIF, 37), V(PF_ALG, 38), V(PF_NFC, 39),
	V(PF_VSOCK, 40), { 0, NULL }
};

static const struct val fork_list[] = {
	V(CLONE_VM, 0x100), V(CLONE_FS, 0x200), V(CLONE_FILES, 0x400), V(CLONE_SIGHAND, 0x800),
	V(CLONE_PTRACE, 0x2000), V(CLONE_VFORK, 0x4000), V(CLONE_PARENT, 0x8000),
	V(CLONE_THREAD, 0x10000), V(CLONE_NEWNS, 0x20000), V(CLONE_SYSVSEM, 0x40000),
	V(CLONE_SETTLS, 0x80000), V(CLONE_PARENT_SETTID, 0x100000),
	V(CLONE_CHILD_CLEARTID, 0x200000), V(CLONE_DETACHED, 0x400000),
	V(CLONE_UNTRACED, 0x800000), V(CLONE_CHILD_SETTID, 0x1000000),
	V(CLONE_NEWUTS, 0x4000000), V(CLONE_NEWIPC, 0x8000000), V(CLONE_NEWUSER, 0x10000000),
	V(CLONE_NEWPID, 0x20000000), V(CLONE_NEWNET, 0x40000000), V(CLONE_IO, 0x80000000),
	{ 0, NULL }
};

static const struct val clock_list[] = {
	V(CLOCK_REALTIME, 0), V(CLOCK_MONOTONIC, 1), V(CLOCK_PROCESS_CPUTIME_ID, 2),
	V(CLOCK_THREAD_CPUTIME_ID, 3), V(CLOCK_MONOTONIC_RAW, 4), V(CLOCK_REALTIME_COARSE, 5),
	V(CLOCK_MONOTONIC_COARSE, 6), V(CLOCK_BOOTTIME, 7), V(CLOCK_REALTIME_ALARM, 8),
	V(CLOCK_BOOTTIME_ALARM, 9), V(CLOCK_SGI_CYCLE, 10), V(CLOCK_TAI, 11), { 0, NULL }
};

static const struct val nanosleep_list[] = { V(TIMER_ABSTIME, 1), { 0, NULL } };

/* ---- errno ---- */

static int64_t err_index(int64_t e)
{
	return e > 0 ? e : -e;
}

static int f_errno_str(struct bi_call *c)
{
	int64_t e = err_index(c->l[0]);

	for (const struct val *v = errnos; v->name; v++)
		if (v->val == e)
			snprintf(c->ret_s, cap(c), "%s", v->name);
	return 0;
}

static int f_errno_p(struct bi_call *c)
{
	int64_t e = err_index(c->l[0]);

	c->ret_l = 0;
	for (const struct val *v = errnos; v->name; v++)
		if (v->val == e)
			c->ret_l = e;
	return 0;
}

/* ---- exact and or-ed lookups ---- */

#define LOOKUP(fn, list, mask) static int fn(struct bi_call *c) \
	{ lookup_str(list, c->l[0] & (mask), c->ret_s, cap(c), 16); return 0; }
#define LOOKUP_OR(fn, list, mask) static int fn(struct bi_call *c) \
	{ lookup_or(list, c->l[0] & (mask), c->ret_s, cap(c)); return 0; }

LOOKUP(f_signal_name, signals, 0xffffffffLL)
LOOKUP(f_seek_whence, seek_list, 0xffffffffLL)
LOOKUP(f_fcntl_cmd, fcntl_list, 0xffffffffLL)
LOOKUP(f_sock_family, family_list, 0xffffffffLL)
LOOKUP(f_get_wc, clock_list, 0xffffffffLL)
LOOKUP(f_nanosleep_flags, nanosleep_list, 0xffffffffLL)
LOOKUP_OR(f_mprotect_prot, prot_list, -1)
LOOKUP_OR(f_wait4_opt, wait_list, 0xffffffffLL)
LOOKUP_OR(f_access_mode, access_list, 0xffffffffLL)
LOOKUP_OR(f_at_flag, at_list, -1)
LOOKUP_OR(f_pipe2_flag, pipe2_list, 0xffffffffLL)
LOOKUP_OR(f_sock_flags, sockflag_list, 0xffffffffLL)
LOOKUP_OR(f_faccessat2_flags, faccessat2_list, 0xffffffffLL)
LOOKUP_OR(f_msync_flag, msync_list, 0xffffffffLL)
LOOKUP_OR(f_mlock2, mlock2_list, 0xffffffffLL)
LOOKUP_OR(f_mlockall_flags, mlockall_list, 0xffffffffLL)
LOOKUP_OR(f_renameat2_flags, renameat2_list, 0xffffffffLL)
LOOKUP_OR(f_mremap_flags, mremap_list, -1)
LOOKUP_OR(f_flock_cmd, flock_list, 0xffffffffLL)
LOOKUP(f_priority_which, priority_which_list, 0xffffffffLL)

/* syscall_name(nr): stap's __syscall_64_num2name[nr] (a 32-bit process's: __syscall_32_num2name),
   "" for a number it has no name for */
static int f_syscall_name(struct bi_call *c)
{
	const char *n = c->l[0] >= 0 && c->l[0] < 100000 ?
	                arch_syscall_name_mode((int)c->l[0], pt_ctx_mode(c->ctx)) : NULL;

	snprintf(c->ret_s, cap(c), "%s", n ? n : "");
	return 0;
}

/* _statx_mask_str: stap looks the (int) value up exactly, else hex of the sign-extended int */
static int f_statx_mask(struct bi_call *c)
{
	lookup_str(statx_mask_list, (int)c->l[0], c->ret_s, cap(c), 16);
	return 0;
}

/* open_flags with this arch's values (arch_open_flags) in: fl holds as many entries */
static void arch_open_list(struct val *fl)
{
	const struct arch_oflags *a = arch_open_flags();

	memcpy(fl, open_flags, sizeof open_flags);
	for (struct val *v = fl; v->name; v++)
		v->val = !strcmp(v->name, "O_DIRECT") ? a->direct : !strcmp(v->name, "O_LARGEFILE") ? a->largefile :
		         !strcmp(v->name, "O_DIRECTORY") ? a->directory : !strcmp(v->name, "O_NOFOLLOW") ? a->nofollow :
		         v->val;
}

static int f_open_flag(struct bi_call *c)
{
	int flags = (int)c->l[0];
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_RDONLY" };
	struct val fl[sizeof open_flags / sizeof open_flags[0]];

	arch_open_list(fl);
	snprintf(c->ret_s, cap(c), "%s", acc[flags & 3]);
	flags &= ~3;
	if (flags) {
		strcat(c->ret_s, "|");
		lookup_or(fl, flags, c->ret_s, cap(c));
	}
	return 0;
}

/* _dup3_flag_str: stap looks the (unsigned int) flags up in its open mode list */
static int f_dup3_flag(struct bi_call *c)
{
	struct val fl[sizeof open_flags / sizeof open_flags[0]];

	arch_open_list(fl);
	lookup_or(fl, c->l[0] & 0xffffffffLL, c->ret_s, cap(c));
	return 0;
}

static int f_mmap_flags(struct bi_call *c)
{
	int64_t flags = c->l[0];
	unsigned huge = (unsigned)(flags >> 26) & 0x3f;

	flags &= ~((int64_t)0x3f << 26);
	if (huge) {
		static const char *const sfx[] = { "", "KB", "MB", "GB", "TB", "PB", "EB" };
		int k = huge >= 10 ? (int)(huge / 10 > 6 ? 6 : huge / 10) : 0;
		snprintf(c->ret_s, cap(c), "MAP_HUGE_%ld%s|", 1L << (huge - (unsigned)k * 10), sfx[k]);
	}
	lookup_or(mmap_list, flags, c->ret_s, cap(c));
	return 0;
}

static int f_dfd_str(struct bi_call *c)
{
	if (c->l[0] == -100)
		snprintf(c->ret_s, cap(c), "AT_FDCWD");
	else
		snprintf(c->ret_s, cap(c), "%lld", (long long)c->l[0]);
	return 0;
}

static int f_fork_flags(struct bi_call *c)
{
	int64_t f = c->l[0];

	lookup_or(fork_list, f & ~0xffLL, c->ret_s, cap(c));
	if (f & 0xff) {
		if (c->ret_s[0])
			strcat(c->ret_s, "|");
		lookup_str(signals, f & 0xff, c->ret_s, cap(c), 16);
	}
	return 0;
}

static int f_sock_type(struct bi_call *c)
{
	static const char *const types[] = { NULL, "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW",
	                                     "SOCK_RDM", "SOCK_SEQPACKET", "SOCK_DCCP" };
	int type = (int)c->l[0], flags = type & ~0xf, t = type & 0xf;
	bool added = false;
	char *o = c->ret_s;
	size_t n = cap(c);

	if ((t >= 1 && t <= 6) || t == 10) {
		snprintf(o, n, "%s", t == 10 ? "SOCK_PACKET" : types[t]);
		t = 0;
		added = true;
	}
	if (flags & 02000000) {
		snprintf(o + strlen(o), n - strlen(o), "%sSOCK_CLOEXEC", added ? "|" : "");
		flags &= ~02000000;
		added = true;
	}
	if (flags & 04000) {
		snprintf(o + strlen(o), n - strlen(o), "%sSOCK_NONBLOCK", added ? "|" : "");
		flags &= ~04000;
		added = true;
	}
	t |= flags;
	if (t != 0 || !added)
		snprintf(o + strlen(o), n - strlen(o), "%s0x%x", added ? "|" : "", t);
	return 0;
}

static int f_sock_protocol(struct bi_call *c)
{
	static const struct val ipproto[] = {
		V(IPPROTO_IP, 0), V(IPPROTO_ICMP, 1), V(IPPROTO_IGMP, 2), V(IPPROTO_IPIP, 4),
		V(IPPROTO_TCP, 6), V(IPPROTO_EGP, 8), V(IPPROTO_PUP, 12), V(IPPROTO_UDP, 17),
		V(IPPROTO_IDP, 22), V(IPPROTO_TP, 29), V(IPPROTO_DCCP, 33), V(IPPROTO_IPV6, 41),
		V(IPPROTO_RSVP, 46), V(IPPROTO_GRE, 47), V(IPPROTO_ESP, 50), V(IPPROTO_AH, 51),
		V(IPPROTO_MTP, 92), V(IPPROTO_ENCAP, 98), V(IPPROTO_PIM, 103), V(IPPROTO_COMP, 108),
		V(IPPROTO_SCTP, 132), V(IPPROTO_UDPLITE, 136), V(IPPROTO_RAW, 255), { 0, NULL }
	};

	if (c->l[0] == 2 || c->l[0] == 10)
		lookup_str(ipproto, c->l[1], c->ret_s, cap(c), 10);
	else
		snprintf(c->ret_s, cap(c), "%lld", (long long)c->l[1]);
	return 0;
}

/* ---- user memory ---- */

static int uread(struct bi_call *c, uint64_t addr, void *buf, size_t len)
{
	struct ctx *x = c->ctx;

	if (!x || !x->ops || !x->ops->read)
		return -1;
	return x->ops->read(x, addr, buf, len);
}

static int f_timespec_u(struct bi_call *c)
{
	int64_t ts[4];
	int n = (int)c->l[1];
	size_t l = 0;

	if (!c->l[0] || n < 1 || n > 2) {
		snprintf(c->ret_s, cap(c), "NULL");
		return 0;
	}
	if (uread(c, (uint64_t)c->l[0], ts, sizeof ts[0] * 2 * (size_t)n) < 0) {
		snprintf(c->ret_s, cap(c), "0x%llx", (unsigned long long)c->l[0]);
		return 0;
	}
	for (int i = 0; i < n && l < cap(c); i++) {
		int64_t ns = ts[2 * i + 1];
		if (ns == (1L << 30) - 1 || ns == (1L << 30) - 2)
			l += (size_t)snprintf(c->ret_s + l, cap(c) - l, "[%s]",
			                      ns == (1L << 30) - 1 ? "UTIME_NOW" : "UTIME_OMIT");
		else
			l += (size_t)snprintf(c->ret_s + l, cap(c) - l, "[%lld.%09lld]",
			                      (long long)ts[2 * i], (long long)ns);
	}
	return 0;
}

static int f_sockaddr_u(struct bi_call *c)
{
	uint8_t buf[128] = { 0 };
	size_t len = c->l[1] < 0 ? 0 : c->l[1] > 128 ? 128 : (size_t)c->l[1];
	uint16_t fam;
	char ip[INET6_ADDRSTRLEN];

	if (!c->l[0]) {
		snprintf(c->ret_s, cap(c), "NULL");
		return 0;
	}
	if (uread(c, (uint64_t)c->l[0], buf, len) < 0) {
		snprintf(c->ret_s, cap(c), "{...}");
		return 0;
	}
	memcpy(&fam, buf, 2);
	if (fam == 2 && len == 16) {
		inet_ntop(2, buf + 4, ip, sizeof ip);
		snprintf(c->ret_s, cap(c), "{AF_INET, %s, %d}", ip, ntohs(*(uint16_t *)(void *)(buf + 2)));
	} else if (fam == 1 && len >= 3) {
		snprintf(c->ret_s, cap(c), "{AF_UNIX, \"%.*s\"}", (int)(len - 2), (char *)buf + 2);
	} else if (fam == 10 && len == 28) {
		uint32_t flow, scope;
		memcpy(&flow, buf + 4, 4);
		memcpy(&scope, buf + 24, 4);
		inet_ntop(10, buf + 8, ip, sizeof ip);
		snprintf(c->ret_s, cap(c), "{AF_INET6, %s, %d, %d, %d}", ip,
		         ntohs(*(uint16_t *)(void *)(buf + 2)), ntohl(flow), scope);
	} else if (fam == 16 && len >= 12) {
		uint32_t pid, groups;
		memcpy(&pid, buf + 4, 4);
		memcpy(&groups, buf + 8, 4);
		snprintf(c->ret_s, cap(c), "{AF_NETLINK, pid=%u, groups=%08x}", pid, groups);
	} else if (len >= 2) {
		char fs[64] = "";
		lookup_str(family_list, fam, fs, sizeof fs, 10);
		snprintf(c->ret_s, cap(c), "{unknown sockaddr with sa=%s, salen=%zu}", fs, len);
	} else {
		snprintf(c->ret_s, cap(c), "{...}");
	}
	return 0;
}

/* __get_argv(argv, first): ["a", "b"] the way the tapset loop builds it */
static int f_get_argv(struct bi_call *c)
{
	uint64_t argv = (uint64_t)c->l[0];
	size_t l, n = cap(c);
	char s[4096], q[4096];

	if (c->l[1] && argv)
		argv += 8 * (uint64_t)c->l[1];
	snprintf(c->ret_s, n, "[");
	for (int i = 0; argv; i++, argv += 8) {
		uint64_t p;
		l = strlen(c->ret_s);
		if (uread(c, argv, &p, 8) < 0) {
			snprintf(c->ret_s + l, n - l, "%s0x%llx", i ? ", " : "", (unsigned long long)argv);
			break;
		}
		if (!p)
			break;
		size_t k = 0;
		while (k < sizeof s - 1 && uread(c, p + k, s + k, 1) == 0 && s[k])
			k++;
		s[k] = 0;
		if (k == 0 && uread(c, p, s, 1) < 0)
			snprintf(q, sizeof q, "0x%llx", (unsigned long long)p);
		else
			fmt_text_str(q, n, s, -1, -1, true);
		snprintf(c->ret_s + l, n - l, "%s%s", i ? ", " : "", q);
		if (strlen(c->ret_s) == l)
			break;
	}
	l = strlen(c->ret_s);
	if (l + 1 < n)
		strcat(c->ret_s, "]");
	return 0;
}

/* __int32 & co: the C casts the syscall tapset applies to register-sized arguments */
static int f_int32(struct bi_call *c) { c->ret_l = (int32_t)c->l[0]; return 0; }
static int f_uint32(struct bi_call *c) { c->ret_l = (uint32_t)c->l[0]; return 0; }
static int f_int16(struct bi_call *c) { c->ret_l = (int16_t)c->l[0]; return 0; }
static int f_uint16(struct bi_call *c) { c->ret_l = (uint16_t)c->l[0]; return 0; }
static int f_long(struct bi_call *c) { c->ret_l = c->l[0]; return 0; }

const struct builtin bi_sysc_tab[] = {
	{ "__int32", "l:l", f_int32, false },
	{ "__uint32", "l:l", f_uint32, false },
	{ "__short", "l:l", f_int16, false },
	{ "__ushort", "l:l", f_uint16, false },
	{ "__ulong", "l:l", f_long, false },
	{ "__long", "l:l", f_long, false },
	{ "errno_str", "s:l", f_errno_str, false },
	{ "errno_p", "l:l", f_errno_p, false },
	{ "_signal_name", "s:l", f_signal_name, false },
	{ "_seek_whence_str", "s:l", f_seek_whence, false },
	{ "_fcntl_cmd_str", "s:l", f_fcntl_cmd, false },
	{ "_sock_family_str", "s:l", f_sock_family, false },
	{ "_sock_type_str", "s:l", f_sock_type, false },
	{ "_sock_flags_str", "s:l", f_sock_flags, false },
	{ "_sock_protocol_str", "s:ll", f_sock_protocol, false },
	{ "_get_wc_str", "s:l", f_get_wc, false },
	{ "_stp_clock_nanosleep_flags_str", "s:l", f_nanosleep_flags, false },
	{ "_mprotect_prot_str", "s:l", f_mprotect_prot, false },
	{ "_mmap_flags", "s:l", f_mmap_flags, false },
	{ "_wait4_opt_str", "s:l", f_wait4_opt, false },
	{ "_access_mode_str", "s:l", f_access_mode, false },
	{ "_at_flag_str", "s:l", f_at_flag, false },
	{ "_faccessat2_flags_str", "s:l", f_faccessat2_flags, false },
	{ "_msync_flag_str", "s:l", f_msync_flag, false },
	{ "_stp_mlock2_str", "s:l", f_mlock2, false },
	{ "_mlockall_flags_str", "s:l", f_mlockall_flags, false },
	{ "_renameat2_flags_str", "s:l", f_renameat2_flags, false },
	{ "_statx_mask_str", "s:l", f_statx_mask, false },
	{ "_dup3_flag_str", "s:l", f_dup3_flag, false },
	{ "_mremap_flags", "s:l", f_mremap_flags, false },
	{ "syscall_name", "s:l", f_syscall_name, false },
	{ "_flock_cmd_str", "s:l", f_flock_cmd, false },
	{ "_priority_which_str", "s:l", f_priority_which, false },
	{ "_sys_pipe2_flag_str", "s:l", f_pipe2_flag, false },
	{ "_sys_open_flag_str", "s:l", f_open_flag, false },
	{ "_dfd_str", "s:l", f_dfd_str, false },
	{ "__fork_flags", "s:l", f_fork_flags, false },
	{ "_struct_timespec_u", "s:ll", f_timespec_u, true },
	{ "_struct_sockaddr_u", "s:ll", f_sockaddr_u, true },
	{ "__get_argv", "s:ll", f_get_argv, true },
	{ NULL, NULL, NULL, false }
};

/*
** Breakpoints that stay in place: the original instruction runs from an XOL slot (a page
** mapped into the target by syscall injection, within reach of pc-relative operands) or is
** emulated; return probes swap the return address for a trampoline and keep a per-thread
** shadow stack, dropping frames the stack pointer has already passed (longjmp, exceptions).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "engine.h"
#include "session.h"

#define PAGE 4096ull
#define HUGE (2ull << 20)
#define SLOTS_PER_PAGE (int)(PAGE / ARCH_XOL_SLOT)

struct bp *bp_find(struct pt_proc *p, uint64_t addr)
{
	for (struct bp *b = p->bps[(addr >> 0) % BP_HASH]; b; b = b->next)
		if (b->addr == addr)
			return b;
	return NULL;
}

/* The free gap of p's address space nearest to addr (a page), 0 if none within reach. Where
   the gap allows, the page stays out of the 2MB windows its neighbours touch: a program that
   remaps its text onto huge pages (bp_huge, DPDK) maps over the rest of the last window. */
static uint64_t near_gap(struct pt_proc *p, uint64_t addr)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", p->pid);
	FILE *f = fopen(path, "r");
	uint64_t prev_end = 0x10000, best = 0, bestd = UINT64_MAX, bestk = UINT64_MAX;
	uint64_t reach = arch_xol_reach();   /* a window-clean gap within reach first */
	unsigned long long lo, hi;
	for (;;) {
		bool more = f && fgets(line, sizeof(line), f);
		if (more && sscanf(line, "%llx-%llx", &lo, &hi) != 2)
			continue;
		if (!more)
			lo = 0x7ffffffff000ull, hi = lo;
		if (lo >= prev_end + PAGE) {
			uint64_t c = lo <= addr ? lo - PAGE : prev_end;
			uint64_t up = (prev_end + HUGE - 1) & ~(HUGE - 1), down = lo & ~(HUGE - 1);
			bool clean = up + PAGE <= down;
			if (clean)
				c = lo <= addr ? down - PAGE : up;
			uint64_t d = c > addr ? c - addr : addr - c;
			uint64_t k = clean && (!reach || d < reach - 2 * PAGE) ? d : d | 1ull << 62;
			if (k < bestk)
				best = c, bestd = d, bestk = k;
		}
		if (hi > prev_end)
			prev_end = hi;
		if (!more)
			break;
	}
	if (f)
		fclose(f);
	return reach && bestd > reach - 2 * PAGE ? 0 : best;
}

static struct xol_page *xol_map(struct pt_thread *t, uint64_t near)
{
	struct pt_proc *p = t->proc;
	uint64_t at = near ? near_gap(p, near) : 0;
	if (near && !at)
		return NULL;
	long args[6] = { (long)at, PAGE, PROT_READ | PROT_EXEC,
	                 MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED_NOREPLACE : 0), -1, 0 };
	long r = pt_inject_syscall(t, SYS_mmap, args);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return NULL;
	}
	struct xol_page *x = calloc(1, sizeof(*x));
	x->addr = (uint64_t)r;
	x->next = p->xol;
	p->xol = x;
	return x;
}

/* The return trampoline: a breakpoint alone in the first slot of an XOL page. */
static int tramp_get(struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	if (p->tramp)
		return 0;
	struct xol_page *x = p->xol ? p->xol : xol_map(t, 0);
	if (!x || x->used >= SLOTS_PER_PAGE)
		x = xol_map(t, 0);
	if (!x)
		return -1;
	int n;
	const uint8_t *bk = arch_bkpt(&n);
	uint64_t at = x->addr + (uint64_t)x->used++ * ARCH_XOL_SLOT;
	if (pt_write(p, at, bk, n) < 0)
		return -1;
	p->tramp = at;
	return 0;
}

static uint64_t slot_get(struct pt_thread *t, uint64_t addr, bool pcrel)
{
	uint64_t reach = pcrel ? arch_xol_reach() : 0;
	struct xol_page *x;
	for (x = t->proc->xol; x; x = x->next) {
		uint64_t d = x->addr > addr ? x->addr - addr : addr - x->addr;
		if (x->used < SLOTS_PER_PAGE && (!reach || d < reach - 2 * PAGE))
			break;
	}
	if (!x)
		x = xol_map(t, pcrel ? addr : 0);
	if (!x)
		return 0;
	return x->addr + (uint64_t)x->used++ * ARCH_XOL_SLOT;
}

static int fail(struct session *s, struct pt_proc *p, uint64_t addr, const char *what, int e)
{
	const char *hint = e == EIO ? " (text on huge pages? the huge page pool may be exhausted:"
	                              " raise /proc/sys/vm/nr_hugepages)" : "";
	snprintf(s->pt->err, sizeof(s->pt->err), "%s at 0x%llx in pid %d: %s%s", what,
	         (unsigned long long)addr, p->pid, strerror(e), hint);
	errno = e;
	return -1;
}

static int install(struct session *s, struct pt_thread *t, struct bp *b)
{
	struct pt_proc *p = t->proc;
	size_t n = ARCH_MAX_INSN;
	while (n && pt_read(p, b->addr, b->orig, n) < 0)
		n--;
	if (!n)
		return fail(s, p, b->addr, "cannot read the instruction", errno ? errno : EFAULT);
	if (arch_decode_mode(&b->insn, b->orig, n, b->addr, p->mode) < 0 || b->insn.kind == ARCH_REFUSE) {
		snprintf(s->pt->err, sizeof(s->pt->err), "cannot probe the instruction at 0x%llx in pid %d: %s",
		         (unsigned long long)b->addr, p->pid, b->insn.why);
		return -1;
	}
	if (b->insn.kind == ARCH_XOL) {
		uint8_t code[ARCH_XOL_SLOT];
		b->slot = slot_get(t, b->addr, b->insn.rip_off >= 0);
		if (!b->slot)
			return fail(s, p, b->addr, "cannot map an out-of-line page for the probe",
			            errno ? errno : ENOMEM);
		int len = arch_xol_build(&b->insn, b->addr, b->slot, code);
		if (len < 0 || pt_write(p, b->slot, code, len) < 0)
			return fail(s, p, b->addr, "cannot relocate the instruction", len < 0 ? ERANGE : errno);
	}
	return 0;
}

int bp_add(struct session *s, struct pt_thread *t, uint64_t addr, void *cookie, bool ret,
           bool internal)
{
	struct pt_proc *p = t->proc;
	struct bp *b = bp_find(p, addr);
	struct arch_regs r;
	/* nothing is written into a process whose code we cannot run, nor where the thread's
	   mode (x86_64: cs) is not the one its executable's ELF header gave (module.c) */
	if (p->mode < 0 || (!p->nbps && arch_regs_io(t->tid, &r, false) == 0 &&
	                    arch_regs_mode(&r) != p->mode)) {
		snprintf(s->pt->err, sizeof(s->pt->err), "cannot probe pid %d: %s", p->pid, p->mode < 0 ?
		         "its executable's ELF class and machine are not supported (only native and "
		         "i386 code)" : "its code runs in another mode than its executable's");
		errno = ENOEXEC;
		return -1;
	}
	if (ret && tramp_get(t) < 0)
		return fail(s, p, addr, "cannot map the return trampoline for the probe",
		            errno ? errno : ENOMEM);
	if (!b) {
		b = calloc(1, sizeof(*b));
		b->addr = addr;
		if (install(s, t, b) < 0) {
			free(b);
			return -1;
		}
		/* linked before the breakpoint is written: the crash rescue knows every one */
		b->next = p->bps[addr % BP_HASH];
		p->bps[addr % BP_HASH] = b;
		p->nbps++;
		int bl;
		const uint8_t *bk = arch_bkpt(&bl);
		if (pt_write(p, b->addr, bk, bl) < 0) {
			p->bps[addr % BP_HASH] = b->next;
			p->nbps--;
			free(b);
			return fail(s, p, addr, "cannot insert a breakpoint", errno);
		}
	}
	b->internal |= internal;
	if (cookie) {
		for (struct bp_user *u = b->users; u; u = u->next)
			if (u->cookie == cookie && u->ret == ret)
				return 0;
		struct bp_user *u = calloc(1, sizeof(*u));
		u->cookie = cookie;
		u->ret = ret;
		struct bp_user **up = &b->users;   /* keep script order */
		while (*up)
			up = &(*up)->next;
		*up = u;
		b->nret += ret;
	}
	return 0;
}

void bp_run_users(struct session *s, struct pt_thread *t, struct bp *b, bool ret, uint64_t func)
{
	for (struct bp_user *u = b->users; u; u = u->next)
		if (u->ret == ret && s->pt->ops->hit)
			s->pt->ops->hit(s, t, b, u, func);
}

bool bp_trap(struct session *s, struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	uint64_t pc = arch_trap_pc(&t->regs);
	if (pc == p->tramp && p->tramp)
		return shadow_return(s, t);
	struct bp *b = bp_find(p, pc);
	if (!b)
		return false;
	if (++s->pt->hits == s->pt->crash_after)
		rescue_test_crash();
	t->trap_pc = pc;
	arch_set_pc(&t->regs, pc);
	bp_run_users(s, t, b, false, pc);
	if (b->nret && p->tramp)
		shadow_enter(s, t, b);
	if (b->internal && s->pt->ops->mods_changed)
		s->pt->ops->mods_changed(s, t);
	if (b->insn.kind == ARCH_EMULATE) {
		struct arch_mem m = pt_mem(p);
		if (arch_emulate(&b->insn, pc, &t->regs, &m) < 0)
			arch_set_pc(&t->regs, b->slot ? b->slot : pc);
	} else {
		arch_set_pc(&t->regs, b->slot);
	}
	pt_setregs(t);
	return true;
}

void bp_fork(struct pt_proc *p, struct pt_thread *forker, struct pt_proc *c)
{
	for (int h = 0; h < BP_HASH; h++)
		for (struct bp *b = p->bps[h]; b; b = b->next) {
			struct bp *n = malloc(sizeof(*n));
			*n = *b;
			n->users = NULL;
			struct bp_user **up = &n->users;
			for (struct bp_user *u = b->users; u; u = u->next) {
				*up = malloc(sizeof(**up));
				**up = *u;
				up = &(*up)->next;
			}
			*up = NULL;
			n->next = c->bps[h];
			c->bps[h] = n;
			c->nbps++;
		}
	for (struct xol_page *x = p->xol; x; x = x->next) {
		struct xol_page *n = malloc(sizeof(*n));
		*n = *x;
		n->next = c->xol;
		c->xol = n;
	}
	c->tramp = p->tramp;
	shadow_fork(p, forker, c, c->threads);
}

static void free_bps(struct pt_proc *p, bool restore)
{
	for (int h = 0; h < BP_HASH; h++) {
		while (p->bps[h]) {
			struct bp *b = p->bps[h];
			p->bps[h] = b->next;
			if (restore) {
				int n;
				arch_bkpt(&n);
				pt_write(p, b->addr, b->orig, n);
			}
			while (b->users) {
				struct bp_user *u = b->users;
				b->users = u->next;
				free(u);
			}
			free(b);
		}
	}
	p->nbps = 0;
}

static bool in_shadow(struct pt_proc *p, const struct bp *b)
{
	for (struct pt_thread *t = p->threads; t; t = t->next)
		for (int i = 0; i < t->nshadow; i++)
			if (t->shadow[i].bp == b)
				return true;
	return false;
}

void bp_forget_range(struct pt_proc *p, uint64_t lo, uint64_t hi)
{
	for (int h = 0; h < BP_HASH; h++) {
		for (struct bp **bp = &p->bps[h]; *bp;) {
			struct bp *b = *bp;
			if (b->addr < lo || b->addr >= hi || b->internal) {
				bp = &b->next;
				continue;
			}
			*bp = b->next;
			p->nbps--;
			if (in_shadow(p, b))   /* a stale frame still names it: leave it allocated */
				continue;
			while (b->users) {
				struct bp_user *u = b->users;
				b->users = u->next;
				free(u);
			}
			free(b);
		}
	}
}

void bp_remove_all(struct pt_proc *p)
{
	free_bps(p, true);
}

void bp_forget(struct pt_proc *p)
{
	free_bps(p, false);
	while (p->xol) {
		struct xol_page *x = p->xol;
		p->xol = x->next;
		free(x);
	}
	p->tramp = 0;
	shadow_forget(p);
}

/* A return address hijacked into a register (aarch64's x30: slot 0) went on with the code:
   it is still there, or a prologue saved it in its frame, between the inner frame's stack
   pointer and ret_sp. Each trampoline there gets the frame's real return address back. */
void bp_unhijack_regs(struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	uint64_t lo = arch_sp(&t->regs), buf[64];
	for (int i = t->nshadow - 1; i >= 0; i--) {
		const struct shadow_frame *f = &t->shadow[i];
		int base = i;
		while (base > 0 && t->shadow[base].chained)
			base--;
		uint64_t orig = t->shadow[base].orig_ret, hi = f->ret_sp;
		if (!f->slot && i == t->nshadow - 1 && arch_unhijack_reg(&t->regs, p->tramp, orig))
			pt_setregs(t);
		if (hi > lo + (64u << 10))
			hi = lo + (64u << 10);   /* frames are not that big: a lost frame */
		for (uint64_t a = lo; !f->slot && a < hi; a += sizeof(buf)) {
			size_t n = hi - a < sizeof(buf) ? hi - a : sizeof(buf);
			if (pt_read(p, a, buf, n) < 0)
				break;
			for (size_t k = 0; k < n / 8; k++)
				if (buf[k] == p->tramp)
					pt_write(p, a + 8 * k, &orig, 8);
		}
		if (f->ret_sp > lo)
			lo = f->ret_sp;
	}
}

void bp_unhijack_thread(struct session *s, struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	if (pt_getregs(t) < 0)
		return;
	uint64_t pc = arch_pc(&t->regs), npc = 0;
	int bl;
	arch_bkpt(&bl);
	if (p->tramp && (pc == p->tramp || pc == p->tramp + bl))
		npc = shadow_take(s, t, arch_sp_after_ret(&t->regs));
	for (int h = 0; h < BP_HASH && !npc; h++)
		for (struct bp *b = p->bps[h]; b && !npc; b = b->next)
			if (b->slot && pc >= b->slot && pc < b->slot + ARCH_XOL_SLOT)
				npc = arch_xol_unmap_pc(&b->insn, b->addr, b->slot, pc);
	if (npc) {
		arch_set_pc(&t->regs, npc);
		pt_setregs(t);
	}
	bp_unhijack_frames(t);
	t->nshadow = 0;
}

void bp_unhijack_frames(struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	size_t w = arch_ptr_bytes(p->mode);   /* a slot: 4 bytes in an i386 process */
	for (int i = t->nshadow - 1; i >= 0; i--) {
		struct shadow_frame *f = &t->shadow[i];
		uint64_t v = 0;
		if (f->slot && pt_read(p, f->slot, &v, w) == 0 && v == p->tramp)
			pt_write(p, f->slot, &f->orig_ret, w);
	}
	if (p->tramp)
		bp_unhijack_regs(t);
}

void bp_unmap_xol(struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	for (struct xol_page *x = p->xol; x; x = x->next) {
		long args[6] = { (long)x->addr, PAGE, 0, 0, 0, 0 };
		pt_inject_syscall(t, SYS_munmap, args);
	}
	bp_forget(p);
}

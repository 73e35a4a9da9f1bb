/*
** Backtraces with libunwind's remote interface: one address space per session (its caches
** survive between hits), one _UPT handle per traced process for finding unwind tables in
** the mapped ELF files, and our own accessors reading the probe context's registers and
** memory (process_vm_readv through ctx->ops), not PTRACE_PEEK* on the live thread.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <libunwind-ptrace.h>

#include "arena.h"
#include "context.h"
#include "engine.h"
#include "dwarf_int.h"
#include "session.h"
#include "unwind.h"
#include "dwarf.h"

struct unw_pid {
	struct unw_pid *next;
	int pid;
	void *upt;
};

struct unw_state {
	unw_addr_space_t as;
	struct unw_pid *pids;
};

/* _UPT_find_proc_info calls the accessors back with its own argument (the _UPT handle, which
   starts with a pid) instead of ours: the magic tells the two apart. */
#define UNW_ARG_MAGIC 0x75777374u
struct unw_arg {
	uint32_t magic;
	struct ctx *c;
	void *upt;
};

static bool ours(void *arg) { return *(uint32_t *)arg == UNW_ARG_MAGIC; }

static int a_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
                            int need, void *arg)
{
	return _UPT_find_proc_info(as, ip, pi, need, ours(arg) ? ((struct unw_arg *)arg)->upt : arg);
}

static void a_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	_UPT_put_unwind_info(as, pi, ours(arg) ? ((struct unw_arg *)arg)->upt : arg);
}

static int a_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil, void *arg)
{
	return -UNW_ENOINFO;
}

/* _UPT_access_mem peeks through ptrace at the thread whose id is the _UPT handle's pid, the
   group leader, which is not stopped when another thread hit the probe (a thread's backtrace
   then ended at its start routine, start_thread's unwind entry unread): read the address
   space instead, which any of its threads being stopped keeps still. */
static int upt_read(void *upt, unw_word_t addr, unw_word_t *val)
{
	struct iovec l = { val, sizeof *val }, r = { (void *)(uintptr_t)addr, sizeof *val };

	return process_vm_readv(*(pid_t *)upt, &l, 1, &r, 1, 0) == (ssize_t)sizeof *val ? 0 : -UNW_EINVAL;
}

static int a_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write,
                        void *arg)
{
	if (!ours(arg))
		return write ? _UPT_access_mem(as, addr, val, write, arg) : upt_read(arg, addr, val);
	struct ctx *c = ((struct unw_arg *)arg)->c;

	if (write)
		return c->ops->write && c->ops->write(c, addr, val, sizeof *val) == 0 ? 0 : -UNW_EINVAL;
	if (c->ops->read(c, addr, val, sizeof *val) != 0)
		return -UNW_EINVAL;
	if (c->ops->fix_ret)    /* a return probe's trampoline stands in this slot */
		*val = c->ops->fix_ret(c, addr, *val);
	return 0;
}

/* libunwind's register numbers are the DWARF ones on x86_64 and aarch64. */
static int a_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write,
                        void *arg)
{
	if (!ours(arg))
		return _UPT_access_reg(as, reg, val, write, arg);
	struct ctx *c = ((struct unw_arg *)arg)->c;
	uint64_t v;

	if (write)
		return -UNW_EREADONLYREG;
	if (reg == UNW_REG_IP && c->ops->pc) {
		*val = c->ops->pc(c);
		return 0;
	}
	if (c->ops->reg(c, reg, &v) != 0)
		return -UNW_EBADREG;
	*val = v;
	return 0;
}

static int a_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write,
                          void *arg)
{
	return -UNW_EBADREG;
}

static int a_resume(unw_addr_space_t as, unw_cursor_t *cp, void *arg)
{
	return -UNW_EINVAL;
}

static int a_get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
                           unw_word_t *off, void *arg)
{
	return _UPT_get_proc_name(as, addr, buf, len, off, ours(arg) ? ((struct unw_arg *)arg)->upt : arg);
}

static unw_accessors_t accessors = {
	.find_proc_info = a_find_proc_info,
	.put_unwind_info = a_put_unwind_info,
	.get_dyn_info_list_addr = a_get_dyn_info_list_addr,
	.access_mem = a_access_mem,
	.access_reg = a_access_reg,
	.access_fpreg = a_access_fpreg,
	.resume = a_resume,
	.get_proc_name = a_get_proc_name,
};

static struct unw_state *state(struct session *s)
{
	struct dw_state *st = dw_state_get(s);

	if (!st->unw) {
		st->unw = arena_alloc(&s->arena, sizeof *st->unw);
		st->unw->as = unw_create_addr_space(&accessors, 0);
		if (st->unw->as)
			unw_set_caching_policy(st->unw->as, UNW_CACHE_GLOBAL);
	}
	return st->unw;
}

static void *upt_for(struct unw_state *u, int pid)
{
	struct unw_pid *p;

	for (p = u->pids; p; p = p->next)
		if (p->pid == pid)
			return p->upt;
	p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->pid = pid;
	p->upt = _UPT_create(pid);
	p->next = u->pids;
	u->pids = p;
	return p->upt;
}

int unw_ustack(struct ctx *c, uint64_t *pcs, int max)
{
	struct unw_state *u;
	struct unw_arg arg = { UNW_ARG_MAGIC, c, NULL };
	unw_cursor_t cur;
	int n = 0;

	if (!c->ops || !c->ops->reg || !c->ops->read || max <= 0)
		return -1;
	if (pt_ctx_mode(c) == 1)   /* i386: libunwind's x86_64 build cannot step it */
		return unw_ustack32(c, pcs, max);
	u = state(c->sess);
	if (!u->as || !(arg.upt = upt_for(u, c->pid)))
		return -1;
	if (unw_init_remote(&cur, u->as, &arg) != 0)
		return -1;
	dw_pid_note(c->sess, c->pid);   /* these addresses may be printed after pid is gone */
	unw_word_t last_sp = 0;
	do {
		unw_word_t ip, sp = 0;
		if (unw_get_reg(&cur, UNW_REG_IP, &ip) != 0 || ip == 0)
			break;
		unw_get_reg(&cur, UNW_REG_SP, &sp);
		/* a recursive caller repeats its pc; only the same pc at the same sp is no progress */
		if (n > 0 && ip == pcs[n - 1] && sp == last_sp)
			break;
		last_sp = sp;
		pcs[n++] = ip;
	} while (n < max && unw_step(&cur) > 0);
	return n;
}

void unw_forget_pid(struct session *s, int pid)
{
	struct unw_state *u = s->dw ? s->dw->unw : NULL;

	for (struct unw_pid **pp = u ? &u->pids : NULL; pp && *pp; pp = &(*pp)->next)
		if ((*pp)->pid == pid) {
			struct unw_pid *p = *pp;
			*pp = p->next;
			if (p->upt)
				_UPT_destroy(p->upt);
			free(p);
			if (u->as)
				unw_flush_cache(u->as, 0, 0);
			return;
		}
}

void unw_state_free(struct session *s)
{
	struct unw_state *u = s->dw ? s->dw->unw : NULL;

	if (!u)
		return;
	while (u->pids)
		unw_forget_pid(s, u->pids->pid);
	if (u->as)
		unw_destroy_addr_space(u->as);
	u->as = NULL;
}

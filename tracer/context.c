/*
** Probe contexts with no target process: begin, end, error and timer probes. They run in
** ustap itself, so pid()/tid() are ustap's own and memory or register reads are refused.
** Also the register and raw memory operators (@uregister, @uderef), the same for every probe.
*/
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ast.h"
#include "context.h"
#include "diag.h"
#include "provider.h"
#include "session.h"

void ctx_init_plain(struct ctx *c, struct session *s, struct dprobe *p)
{
	memset(c, 0, sizeof(*c));
	c->sess = s;
	c->probe = p;
	c->pid = s->self_pid;
	c->tid = gettid();
	c->cpu = sched_getcpu();
	if (c->cpu < 0)
		c->cpu = 0;
	c->is_return = p ? p->is_return : false;
}

/* @uregister(N) @kregister(N) @uderef(SIZE, ADDR) @kderef(SIZE, ADDR): for any probe, through
   its context's register and memory readers. data packs N (or SIZE) << 2 | deref << 1 | kernel.
   The registers are the event's, as register() reads them (a uprobe handler's kregs are the
   user registers in stap too); kernel memory is never readable here. */
static int regop(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, bool write)
{
	uintptr_t d = (uintptr_t)tv->data;
	int n = (int)(d >> 2);
	bool deref = d & 2, kernel = d & 1, ok;
	uint64_t v = write ? (uint64_t)*l : 0, at = deref ? (uint64_t)idx[0] : 0;
	const struct ctx_ops *o = c->ops;
	if (!deref) {
		ok = o && (write ? o->set_reg && o->set_reg(c, n, v) == 0 : o->reg && o->reg(c, n, &v) == 0);
		if (!ok)
			snprintf(c->err, sizeof c->err, "register access fault [man error::fault]");
	} else {
		ok = !kernel && o && (write ? o->write && o->write(c, at, &v, n) == 0
		                            : o->read && o->read(c, at, &v, n) == 0);
		if (!ok)
			snprintf(c->err, sizeof c->err, "%s fault [man error::fault] at 0x%llx",
			         write ? "write" : "read", (unsigned long long)at);
	}
	if (ok && !write)
		*l = (int64_t)v;   /* a deref: little-endian, zero-extended (stap's unsigned deref) */
	return ok ? 0 : -1;
}

int ctx_regop_read(struct ctx *c, uint64_t packed, uint64_t addr, int64_t *val)
{
	struct tvar tv = { .type = TY_LONG, .data = (void *)(uintptr_t)packed };
	int64_t idx[1] = { (int64_t)addr };
	return regop(c, &tv, idx, val, false);
}

static int regop_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *str)
{
	(void)str;
	return regop(c, tv, idx, l, false);
}

static int regop_write(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t l, const char *s)
{
	(void)s;
	return regop(c, tv, idx, &l, true);
}

int ctx_regop_tvar(struct session *s, const struct exp *e, struct tvar *out)
{
	bool deref = e->kind == E_DEREF, kernel = e->op && e->op[0] == 'k';
	if (deref && e->num != 1 && e->num != 2 && e->num != 4 && e->num != 8) {
		diag_error(&s->diag, "semantic", &e->pos, NULL,
		           "@%sderef size must be 1, 2, 4 or 8", kernel ? "k" : "u");
		return -1;
	}
	if (e->num < 0 || e->num > 4096) {
		diag_error(&s->diag, "semantic", &e->pos, NULL, "invalid register number %lld",
		           (long long)e->num);
		return -1;
	}
	*out = (struct tvar){ .type = TY_LONG, .read = regop_read, .write = regop_write,
	                      .data = (void *)(uintptr_t)ctx_regop_pack(e->num, deref, kernel) };
	return 0;
}

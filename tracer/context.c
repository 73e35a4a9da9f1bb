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
   A kernel register is the event's own only where the event happened in user space (stap's
   uprobe handlers see the user registers there too); kernel memory is never readable here. */
static int regop_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *str)
{
	uintptr_t d = (uintptr_t)tv->data;
	int n = (int)(d >> 2);
	bool deref = d & 2, kernel = d & 1;
	uint64_t v = 0;
	(void)str;
	if (!deref) {
		if (!c->ops || !c->ops->reg || (kernel && !c->user_mode) || c->ops->reg(c, n, &v) < 0) {
			snprintf(c->err, sizeof c->err, "register access fault [man error::fault]");
			return -1;
		}
		*l = (int64_t)v;
		return 0;
	}
	if (kernel || !c->ops || !c->ops->read || c->ops->read(c, (uint64_t)idx[0], &v, n) < 0) {
		snprintf(c->err, sizeof c->err, "read fault [man error::fault] at 0x%llx",
		         (unsigned long long)idx[0]);
		return -1;
	}
	*l = (int64_t)v;   /* little-endian, zero-extended: stap's unsigned deref */
	return 0;
}

static int regop_write(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t l, const char *s)
{
	uintptr_t d = (uintptr_t)tv->data;
	int n = (int)(d >> 2);
	bool deref = d & 2, kernel = d & 1;
	(void)s;
	if (!deref) {
		if (!c->ops || !c->ops->set_reg || (kernel && !c->user_mode) || c->ops->set_reg(c, n, l) < 0) {
			snprintf(c->err, sizeof c->err, "register access fault [man error::fault]");
			return -1;
		}
		return 0;
	}
	if (kernel || !c->ops || !c->ops->write || c->ops->write(c, (uint64_t)idx[0], &l, n) < 0) {
		snprintf(c->err, sizeof c->err, "write fault [man error::fault] at 0x%llx",
		         (unsigned long long)idx[0]);
		return -1;
	}
	return 0;
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
	                      .data = (void *)(uintptr_t)((uint64_t)e->num << 2 | deref << 1 | kernel) };
	return 0;
}

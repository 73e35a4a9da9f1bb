/*
** The probe context of a traced thread stopped at a breakpoint: its saved registers (written
** back when it resumes), memory through process_vm_readv and /proc/PID/mem.
*/
#include <errno.h>
#include <string.h>

#include "context.h"
#include "engine.h"
#include "prov_process.h"
#include "provider.h"

static struct pt_thread *thr(struct ctx *c) { return c->priv; }

static int c_read(struct ctx *c, uint64_t addr, void *buf, size_t len)
{
	return pt_read(thr(c)->proc, addr, buf, len);
}

static int c_write(struct ctx *c, uint64_t addr, const void *buf, size_t len)
{
	return pt_write(thr(c)->proc, addr, buf, len);
}

static int c_reg(struct ctx *c, int dwregno, uint64_t *val)
{
	return arch_reg_get(&thr(c)->regs, dwregno, val);
}

static int c_set_reg(struct ctx *c, int dwregno, uint64_t val)
{
	return arch_reg_set(&thr(c)->regs, dwregno, val);
}

/* .return probes: the registers saved at the function's entry (stap's entry values). */
static int c_entry_reg(struct ctx *c, int dwregno, uint64_t *val)
{
	const struct shadow_frame *f = thr(c)->ret_frame;
	return f ? arch_reg_get(&f->entry_regs, dwregno, val) : -1;
}

/* Unwinding through frames whose return address a .return probe replaced: the shadow frame
   that owns that stack slot has the original. */
static uint64_t c_fix_ret(struct ctx *c, uint64_t addr, uint64_t val)
{
	struct pt_thread *t = thr(c);
	if (!t->proc->tramp || val != t->proc->tramp)
		return val;
	for (int i = t->nshadow - 1; i >= 0; i--)
		if (t->shadow[i].slot == addr)
			return t->shadow[i].orig_ret;
	return val;
}

static uint64_t c_pc(struct ctx *c)
{
	return arch_pc(&thr(c)->regs);
}

const struct ctx_ops ctx_ptrace_ops = {
	.read = c_read,
	.write = c_write,
	.reg = c_reg,
	.set_reg = c_set_reg,
	.pc = c_pc,
	.entry_reg = c_entry_reg,
	.fix_ret = c_fix_ret,
};

int pt_ctx_mode(const struct ctx *c)
{
	if (!c || c->ops != &ctx_ptrace_ops || !c->priv)
		return 0;
	int m = ((const struct pt_thread *)c->priv)->proc->mode;
	return m > 0 ? m : 0;
}

void ctx_ptrace_init(struct ctx *c, struct session *s, struct dprobe *dp, struct pt_thread *t)
{
	*c = (struct ctx){ 0 };   /* fields added to struct ctx later (comm) start unset */
	c->sess = s;
	c->probe = dp;
	c->pid = t->proc->pid;
	c->tid = t->tid;
	c->cpu = -1;              /* asked for rarely: bi_context reads it from /proc then */
	c->user_mode = true;
	c->is_return = dp ? dp->is_return : false;
	c->uaddr = arch_pc(&t->regs);
	c->mod_bias = 0;
	c->ret_from = t->ret_frame ? t->ret_frame->func : 0;
	c->ops = &ctx_ptrace_ops;
	c->priv = t;
	c->err[0] = 0;
}

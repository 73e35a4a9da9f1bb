/*
** Thread-local variables (DW_OP_form_tls_address / DW_OP_GNU_push_tls_address): the variable's
** offset in its module's TLS block + that block in this thread, found as glibc's own
** libthread_db does: the module's link map entry gives l_tls_modid, the thread pointer gives
** the dtv (tcbhead), dtv[modid] the block. The private link_map/dtv layout comes from the
** _thread_db_* descriptors glibc exports for libthread_db (read at elaboration); stap's
** tapset/tls.stp walks the same dtv through the dynamic linker's debuginfo instead.
*/
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>

#include "arch.h"
#include "context.h"
#include "dwvar.h"
#include "engine.h"

extern const struct ctx_ops ctx_ptrace_ops;   /* prov_process.h (its enum pkind clashes) */

/* glibc's descriptor of one field: { size in bits, element count, offset in bytes } */
static const uint32_t *desc(const char *name)
{
	return dlsym(RTLD_DEFAULT, name);
}

/* At elaboration: the layout of the glibc ustap runs with (the target's on this system). */
int dwtls_layout(struct dwtls *l)
{
	const uint32_t *modid = desc("_thread_db_link_map_l_tls_modid");
	const uint32_t *dtv = desc("_thread_db_dtv_dtv");
	const uint32_t *val = desc("_thread_db_dtv_t_pointer_val");

	*l = (struct dwtls){ 0 };
	if (!modid || !dtv || !val || modid[0] % 8 || modid[0] > 64 || dtv[0] % 8 || !dtv[0])
		return -1;
	*l = (struct dwtls){ true, modid[2], modid[0] / 8, dtv[0] / 8, val[2] };
	return 0;
}

static int tls_err(struct ctx *c, const char *what, uint64_t x)
{
	snprintf(c->err, sizeof c->err, "cannot find thread-local storage: %s 0x%llx", what,
	         (unsigned long long)x);
	return -1;
}

/* r_debug from the executable's DT_DEBUG, through its program headers in memory (AT_PHDR):
   the engine finds it only when it follows the link map. */
static uint64_t r_debug_of(struct pt_proc *p)
{
	Elf64_Phdr ph;
	Elf64_Dyn d;
	uint64_t bias = 0, dyn = 0;

	if (p->r_debug || !p->phdr)
		return p->r_debug;
	for (int i = 0; i < 64 && pt_read(p, p->phdr + i * sizeof ph, &ph, sizeof ph) == 0; i++) {
		if (ph.p_type == PT_PHDR)
			bias = p->phdr - ph.p_vaddr;
		else if (ph.p_type == PT_DYNAMIC)
			dyn = ph.p_vaddr;
		if (dyn && (bias || i))
			break;
	}
	if (!dyn)
		return 0;
	dyn += bias;
	for (int i = 0; i < 512 && pt_read(p, dyn + i * sizeof d, &d, sizeof d) == 0; i++) {
		if (d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_DEBUG)
			return d.d_un.d_ptr;
	}
	return 0;
}

/* The link map entry of the module loaded at bias (l_addr), 0 if none. */
static uint64_t lm_of(struct pt_proc *p, uint64_t bias)
{
	struct r_debug rd;
	struct link_map lm;
	uint64_t rdp = r_debug_of(p);

	if (!rdp || pt_read(p, rdp, &rd, sizeof rd) < 0)
		return 0;
	uint64_t at = (uint64_t)rd.r_map;
	for (int i = 0; at && i < 4096; i++, at = (uint64_t)lm.l_next) {
		if (pt_read(p, at, &lm, sizeof lm) < 0)
			return 0;
		if ((uint64_t)lm.l_addr == bias)
			return at;
	}
	return 0;
}

/* At a hit: the address of TLS offset off of the module loaded at bias, in this thread. */
int dwtls_addr(struct ctx *c, const struct dwtls *l, uint64_t bias, uint64_t off,
               uint64_t *addr)
{
	uint64_t tp, lm, modid = 0, dtv, len, val;
	int64_t dtv_off;

	if (c->ops != &ctx_ptrace_ops) {
		snprintf(c->err, sizeof c->err, "thread-local variables need a process probe");
		return -1;
	}
	struct pt_thread *t = c->priv;
	struct pt_proc *p = t->proc;
	if (!l->ok || arch_tls_tp(&t->regs, t->tid, &tp, &dtv_off) < 0)
		return tls_err(c, "no thread pointer in thread", (uint64_t)t->tid);
	if (!(lm = lm_of(p, bias)))
		return tls_err(c, "no link map entry for the module at", bias);
	if (pt_read(p, lm + l->modid_off, &modid, l->modid_size) < 0 || !modid)
		return tls_err(c, "module has no TLS block, link map entry", lm);
	if (pt_read(p, tp + (uint64_t)dtv_off, &dtv, 8) < 0 ||
	    pt_read(p, dtv - l->dtv_elem, &len, 8) < 0)        /* dtv[-1].counter: its length */
		return tls_err(c, "unreadable dtv of thread pointer", tp);
	if (modid > len || pt_read(p, dtv + modid * l->dtv_elem + l->val_off, &val, 8) < 0 ||
	    val == ~0ULL)                                      /* TLS_DTV_UNALLOCATED */
		return tls_err(c, "TLS block not allocated in this thread, module id", modid);
	*addr = val + off;
	return 0;
}

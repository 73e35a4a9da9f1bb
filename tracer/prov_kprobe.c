/*
** kernel.function("F")[.call|.return], module("M").function("F") and the dwarfless kprobe.*
** family (kprobe.function, kprobe.module().function, kprobe.statement(ADDR).absolute) through
** the perf kprobe PMU (/sys/bus/event_source/devices/kprobe): one event per CPU, registers sampled with
** PERF_SAMPLE_REGS_INTR so int_arg(N), pointer_arg(N), returnval() and $return read them.
** A kernel without the PMU (no CONFIG_KPROBE_EVENTS) gets a refusal that names it.
*/
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "arena.h"
#include "btf.h"
#include "kallsyms.h"
#include "ks.h"
#include "provider.h"
#include "session.h"

extern const struct provider prov_kprobe;

#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe"

struct kp {
	const char *func;         /* the symbol, NULL for an absolute address */
	uint64_t addr;
	const char *mod;          /* "kernel" or a module */
	bool ret;
};

static const char *functor(const struct probe_point *pt, int i)
{
	return i < pt->comps.n ? ((const struct ppcomp *)pt->comps.v[i])->functor : "";
}

static const struct ppcomp *comp(const struct probe_point *pt, int i)
{
	return pt->comps.v[i];
}

static bool kp_owns(const struct probe_point *pt)
{
	const char *f1 = functor(pt, 1);

	if (!strcmp(functor(pt, 0), "kernel") || !strcmp(functor(pt, 0), "module"))
		return !strcmp(f1, "function") || !strcmp(f1, "statement");
	return !strcmp(functor(pt, 0), "kprobe") &&
	       (!strcmp(f1, "function") || !strcmp(f1, "statement") || !strcmp(f1, "module"));
}

static int pmu_type(void)
{
	FILE *f = fopen(KPROBE_PMU "/type", "r");
	int t = -1;

	if (f) {
		if (fscanf(f, "%d", &t) != 1)
			t = -1;
		fclose(f);
	}
	return t;
}

static int fail(struct session *s, const struct probe_point *pt, int i, const char *msg)
{
	char saw[160];

	snprintf(saw, sizeof saw, "identifier '%s'", functor(pt, i));
	diag_error(&s->diag, "semantic", &comp(pt, i)->pos, saw, "%s", msg);
	return -1;
}

struct match {
	struct session *s;
	struct probe *src;
	struct probe_point *pt;
	const char *fglob, *mglob;
	bool ret, list, any, vars, dwarfless;
	struct strbuf *out;
	int n;
};

/* Symbols kprobes cannot or should not take: prefix padding, compiler clones. */
static bool probeable(const char *name)
{
	return strncmp(name, "__pfx_", 6) != 0 && !strchr(name, '.') &&
	       strncmp(name, "__kprobes", 9) != 0;
}

static struct btf *get_btf(struct session *s);

/* -L: the parameters BTF knows, "$name:type" as stap prints DWARF ones (and $return:long). */
static void list_vars(struct match *m, const char *func)
{
	struct btf_param prm[16];
	struct btf *b = m->vars && !m->dwarfless ? get_btf(m->s) : NULL;   /* kprobe.*: no $vars */
	int n = b ? btf_func_params(b, func, prm, 16) : -1;

	for (int i = 0; i < n; i++)
		if (prm[i].name[0])
			sb_printf(m->out, " $%s:%s", prm[i].name, prm[i].type);
}

static void add(struct match *m, const char *name, const char *mod)
{
	struct session *s = m->s;
	const char *pp = strcmp(mod, "kernel") ?
		arena_printf(&s->arena, "%smodule(\"%s\").function(\"%s\")%s", m->dwarfless ? "kprobe." : "",
		             mod, name, m->ret ? ".return" : m->dwarfless ? "" : ".call") :
		arena_printf(&s->arena, "%s.function(\"%s\")%s", m->dwarfless ? "kprobe" : "kernel",
		             name, m->ret ? ".return" : m->dwarfless ? "" : ".call");

	m->n++;
	if (m->list) {
		/* kernel.function lists without .call/.return; kprobe.* as written */
		sb_printf(m->out, "%.*s", (int)(strlen(pp) - (m->dwarfless ? 0 : m->ret ? 7 : 5)), pp);
		list_vars(m, name);
		sb_putc(m->out, '\n');
		return;
	}
	struct kp *k = arena_alloc(&s->arena, sizeof *k);
	k->func = arena_strdup(&s->arena, name);
	k->mod = mod;
	k->ret = m->ret;
	struct dprobe *p = sess_add_probe(s, &prov_kprobe, m->src, m->pt, pp);
	p->data = k;
	p->is_return = m->ret;
}

static int each_sym(void *arg, const char *name, const char *mod, uint64_t addr)
{
	struct match *m = arg;

	if (fnmatch(m->mglob, mod, 0) != 0 || fnmatch(m->fglob, name, 0) != 0)
		return 0;
	if (m->any && !probeable(name))
		return 0;
	add(m, name, mod);
	return 0;
}

/* kernel.statement(ADDR).absolute, kprobe.statement(ADDR).absolute: a kprobe at an address
   (guru mode, as stap); other statement forms need kernel line tables. */
static int statement(struct match *m, int si)
{
	struct session *s = m->s;
	const struct probe_point *pt = m->pt;
	const struct ppcomp *c = comp(pt, si);

	if (!c->arg || c->arg->kind != E_NUM || pt->comps.n != si + 2 ||
	    strcmp(functor(pt, si + 1), "absolute") || strcmp(functor(pt, 0), m->dwarfless ? "kprobe" : "kernel"))
		return fail(s, pt, si, "this statement probe needs kernel debuginfo (line tables), "
		            "which ustap does not use: only kernel.statement(ADDRESS).absolute works");
	if (!s->opt.guru) {
		diag_error(&s->diag, "semantic", prov_comp_pos(s, &m->src->pos), "keyword",
		           "absolute statement probe in unprivileged script; need stap -g");
		return -1;
	}
	uint64_t addr = (uint64_t)c->arg->num;
	const char *pp = arena_printf(&s->arena, "%s.statement(0x%llx).absolute", functor(pt, 0),
	                              (unsigned long long)addr);
	m->n++;
	if (m->list) {
		sb_printf(m->out, "%s\n", pp);
		return m->n;
	}
	struct kp *k = arena_alloc(&s->arena, sizeof *k);
	k->addr = addr;
	k->mod = "kernel";
	struct dprobe *p = sess_add_probe(s, &prov_kprobe, m->src, m->pt, pp);
	p->data = k;
	return m->n;
}

/* The point as text, a statement's address in hex (as stap prints it) */
static const char *kp_text(struct session *s, const struct probe_point *pt)
{
	const char *t = pp_text(s, pt);

	for (int i = 1; i < pt->comps.n; i++) {
		const struct ppcomp *c = comp(pt, i);
		if (strcmp(c->functor, "statement") || !c->arg || c->arg->kind != E_NUM)
			continue;
		const char *num = arena_printf(&s->arena, "statement(%lld)", (long long)c->arg->num);
		const char *at = strstr(t, num);
		if (at)
			t = arena_printf(&s->arena, "%.*sstatement(0x%llx)%s", (int)(at - t), t,
			                 (unsigned long long)c->arg->num, at + strlen(num));
	}
	return t;
}

/* The kernel needs kprobes before anything else is worth checking. */
static int no_kprobes(struct session *s, const struct probe_point *pt)
{
	char msg[512];

	snprintf(msg, sizeof msg, "probe point %s needs kprobes, and this kernel has none "
	         "(no kprobe PMU in /sys/bus/event_source/devices: CONFIG_KPROBES and "
	         "CONFIG_KPROBE_EVENTS are off)", kp_text(s, pt));
	return fail(s, pt, 0, msg);
}

static int walk(struct match *m)
{
	struct session *s = m->s;
	const struct probe_point *pt = m->pt;
	/* kernel.function(F) module(M).function(F) kprobe.function(F) kprobe.module(M).function(F) */
	bool module, kmod;
	int fi, last = pt->comps.n - 1;
	char msg[512];

	m->dwarfless = !strcmp(functor(pt, 0), "kprobe");
	kmod = m->dwarfless && !strcmp(functor(pt, 1), "module");
	module = kmod || !strcmp(functor(pt, 0), "module");
	fi = kmod ? 2 : 1;
	if (pmu_type() < 0)
		return no_kprobes(s, pt);
	if (!strcmp(functor(pt, fi), "statement"))
		return statement(m, fi);
	const struct ppcomp *mc = module ? comp(pt, fi - 1) : NULL;
	if (strcmp(functor(pt, fi), "function") || !comp(pt, fi)->arg || comp(pt, fi)->arg->kind != E_STR ||
	    (mc && (!mc->arg || mc->arg->kind != E_STR)))
		return fail(s, pt, fi <= last ? fi : last, "probe point mismatch");
	m->ret = last == fi + 1 && !strcmp(functor(pt, last), "return");
	if (last > fi + 1 || (last == fi + 1 && !m->ret && strcmp(functor(pt, last), "call"))) {
		static const char *const dwarf[] = { "inline", "label", "callee", "callees", "exported" };
		for (size_t i = 0; i < sizeof dwarf / sizeof dwarf[0]; i++)
			if (!strcmp(functor(pt, fi + 1), dwarf[i]) && !m->dwarfless) {
				snprintf(msg, sizeof msg, ".%s probes need kernel debuginfo (DWARF), which "
				         "ustap does not use", dwarf[i]);
				return fail(s, pt, fi + 1, msg);
			}
		return fail(s, pt, last, "probe point mismatch");
	}
	m->fglob = comp(pt, fi)->arg->str;
	m->mglob = module ? mc->arg->str : "kernel";
	if (strchr(m->fglob, '@'))
		return fail(s, pt, fi, "function@file needs kernel debuginfo, which ustap does not use");
	if (m->dwarfless && (strpbrk(m->fglob, "*?[") || strpbrk(m->mglob, "*?[")))
		return fail(s, pt, fi, "kprobe.* names must not contain wildcards (stap does not "
		            "register them either): use kernel.function(PATTERN)");
	if (!ks_privileged()) {
		snprintf(msg, sizeof msg, "probe point %s needs root or CAP_PERFMON (kprobes are "
		         "privileged)", pp_text(s, pt));
		return fail(s, pt, 0, msg);
	}
	m->any = strpbrk(m->fglob, "*?[") != NULL;
	ksym_each(s, each_sym, m);
	return m->n;
}

static int kp_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	struct match m = { .s = s, .src = src, .pt = pt };

	return walk(&m);
}

static int kp_list(struct session *s, struct probe_point *pt, bool vars, struct strbuf *out)
{
	struct match m = { .s = s, .pt = pt, .list = true, .vars = vars, .out = out };

	return walk(&m) < 0 ? -1 : 0;
}

/* $return: the return register of a .return probe. Other $vars need BTF-typed arguments:
   the register builtins (int_arg, pointer_arg ...) reach them meanwhile. */
static int ret_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *s)
{
	uint64_t v;

	if (!c->ops || !c->ops->reg || c->ops->reg(c, arch_retval_regno(), &v) < 0) {
		snprintf(c->err, sizeof c->err, "cannot read $return: no registers in this sample");
		return -1;
	}
	*l = (int64_t)v;
	return 0;
}

/* A parameter by name through BTF: the argument register at entry, at the C type's width. */
struct kparm {
	int regno;
	struct btf_param p;
};

static int parm_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *s)
{
	const struct kparm *k = tv->data;
	uint64_t v;

	if (!c->ops || !c->ops->reg || c->ops->reg(c, k->regno, &v) < 0) {
		snprintf(c->err, sizeof c->err, "cannot read $%s: no registers in this sample", k->p.name);
		return -1;
	}
	switch (k->p.size) {
	case 1: *l = k->p.is_signed ? (int8_t)v : (int64_t)(uint8_t)v; break;
	case 2: *l = k->p.is_signed ? (int16_t)v : (int64_t)(uint16_t)v; break;
	case 4: *l = k->p.is_signed ? (int32_t)v : (int64_t)(uint32_t)v; break;
	default: *l = (int64_t)v;
	}
	return 0;
}

static struct btf *get_btf(struct session *s)
{
	return ks_btf(s);   /* tracer/ks_cast.c: loaded once per session */
}

static int kp_param(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out,
                    const char *saw)
{
	const struct kp *k = p->data;
	struct btf *b = get_btf(s);
	struct btf_param prm[16];
	int n = b && k->func ? btf_func_params(b, k->func, prm, 16) : -1;

	if (!k->func) {
		diag_error(&s->diag, "semantic", &e->pos, saw, "an absolute statement probe has no "
		           "parameters: use int_arg(N), pointer_arg(N)");
		return -1;
	}
	if (n < 0) {
		diag_error(&s->diag, "semantic", &e->pos, saw, "no BTF type for kernel function '%s' "
		           "(/sys/kernel/btf/vmlinux): use int_arg(N), pointer_arg(N)", k->func);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(prm[i].name, e->str + 1))
			continue;
		int regno = arch_arg_regno(i + 1);
		if (regno < 0 || p->is_return || e->comps.n) {
			diag_error(&s->diag, "semantic", &e->pos, saw, "%s",
			           p->is_return ? "parameters of a .return probe need @entry(), which kernel probes lack" :
			           e->comps.n ? "kernel parameters are plain values here: no ->, [] or $ on them" :
			           "this parameter is not passed in a register");
			return -1;
		}
		struct kparm *kp = arena_alloc(&s->arena, sizeof *kp);
		kp->regno = regno;
		kp->p = prm[i];
		out->type = TY_LONG;
		out->read = parm_read;
		out->data = kp;
		return 0;
	}
	diag_error(&s->diag, "semantic", &e->pos, saw, "unable to find parameter '%s' of kernel "
	           "function '%s' in its BTF type", e->str, k->func);
	return -1;
}

static int kp_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out)
{
	char saw[256];

	if (e->kind == E_PERF)
		return ks_perf_tvar(s, e, out);
	snprintf(saw, sizeof saw, "identifier '%s'", e->str ? e->str : "");
	if (e->kind == E_TARGET && !strcmp(e->str, "$return") && e->comps.n == 0) {
		if (!p->is_return) {
			diag_error(&s->diag, "semantic", &e->pos, saw,
			           "unable to find local '$return', [man error::dwarf] "
			           "(only .return probes have it)");
			return -1;
		}
		out->type = TY_LONG;
		out->read = ret_read;
		return 0;
	}
	if (e->kind == E_TARGET && e->str[1] != '$')
		return kp_param(s, p, e, out, saw);
	diag_error(&s->diag, "semantic", &e->pos, saw,
	           "this kernel.function target expression needs kernel debuginfo, which ustap "
	           "does not read: use parameters by name (BTF), int_arg(N), pointer_arg(N)");
	return -1;
}

static int kp_arm(struct session *s)
{
	int type = pmu_type();
	bool any = false;

	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		const struct kp *k = p->data;
		struct perf_event_attr a = { 0 };

		if (p->prov != &prov_kprobe)
			continue;
		a.type = (uint32_t)type;
		a.config = k->ret;                      /* format/retprobe: config:0 */
		a.kprobe_func = (uint64_t)(uintptr_t)k->func;
		a.kprobe_addr = k->func ? 0 : k->addr;  /* config2: the offset, or the address */
		a.sample_period = 1;
		a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_REGS_INTR | ks_stack_sample(s, &a);
		a.sample_regs_intr = arch_perf_regs_mask();
		if (ks_open(s, &a, -1, p, NULL, NULL) < 0) {
			if (p->point && p->point->optional)
				continue;
			sess_flush(s);
			fprintf(stderr, "ERROR: %s\n", ks_open_error(s, p->pp, errno));
			return -1;
		}
		any = true;
	}
	if (any && ks_start(s) < 0) {
		fprintf(stderr, "ERROR: cannot enable kprobes: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void kp_disarm(struct session *s)
{
	ks_stop(s);
}

const struct provider prov_kprobe = {
	.name = "kprobe",
	.owns = kp_owns,
	.expand = kp_expand,
	.tvar = kp_tvar,
	.list = kp_list,
	.arm = kp_arm,
	.disarm = kp_disarm,
};

/*
** Hardware watchpoints: kernel.data(ADDR|"SYMBOL")[.length(N)].write|.rw (system-wide, any
** task touching the address) and process.data(ADDR)[.length(N)].write|.rw (the -x/-c target),
** as perf PERF_TYPE_BREAKPOINT events; a symbol is looked up in /proc/kallsyms when armed.
*/
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/hw_breakpoint.h>

#include "arch.h"
#include "arena.h"
#include "ks.h"
#include "provider.h"
#include "session.h"

extern const struct provider prov_hwbkpt;

struct hwb {
	uint64_t addr;            /* 0 when sym names it */
	const char *sym;
	int64_t len;              /* as written (1 when not given) */
	bool rw, kernel, has_len, num;
};

static const struct ppcomp *comp(const struct probe_point *pt, int i)
{
	return pt->comps.v[i];
}

static const char *functor(const struct probe_point *pt, int i)
{
	return i < pt->comps.n ? comp(pt, i)->functor : "";
}

static bool hw_owns(const struct probe_point *pt)
{
	return (!strcmp(functor(pt, 0), "kernel") || !strcmp(functor(pt, 0), "process")) &&
	       !strcmp(functor(pt, 1), "data") && !comp(pt, 0)->arg;
}

static int fail(struct session *s, const struct ppcomp *c, const char *fmt, const char *arg)
{
	char saw[160];

	snprintf(saw, sizeof saw, "identifier '%s'", c->functor);
	diag_error(&s->diag, "semantic", prov_comp_pos(s, &c->pos), saw, fmt, arg);
	return -1;
}

/* The forms stap binds: data(NUM|STR).{write,rw}, data(NUM).length(NUM).{write,rw}, and for
   process also data(STR).length(NUM).write; stap's wording where one is off. */
static int parse(struct session *s, const struct probe_point *pt, struct hwb *h)
{
	const struct ppcomp *d = comp(pt, 1);
	int i = 2;

	h->kernel = !strcmp(functor(pt, 0), "kernel");
	if (!d->arg || (d->arg->kind != E_NUM && d->arg->kind != E_STR))
		return fail(s, d, "%s", "probe point mismatch");
	h->num = d->arg->kind == E_NUM;
	if (h->num)
		h->addr = (uint64_t)d->arg->num;
	else
		h->sym = d->arg->str;
	h->len = 1;
	if (!strcmp(functor(pt, i), "length") && (h->num || !h->kernel)) {
		const struct ppcomp *l = comp(pt, i++);
		if (!l->arg || l->arg->kind != E_NUM)
			return fail(s, l, "%s", "probe point mismatch");
		h->len = l->arg->num;
		h->has_len = true;
	}
	if (i >= pt->comps.n)
		return fail(s, comp(pt, i - 1), "%s", "probe point truncated (follow:  rw write)");
	const struct ppcomp *a = comp(pt, i);
	h->rw = !strcmp(a->functor, "rw");
	if ((!h->rw && strcmp(a->functor, "write")) || a->arg)
		return fail(s, a, "probe point mismatch (similar: %s)",
		            i == 2 && (h->num || !h->kernel) ? "rw, write, length" : "rw, write");
	if (i + 1 < pt->comps.n)
		return fail(s, comp(pt, i + 1), "%s", "probe point mismatch");
	if (h->sym && !h->kernel)
		return fail(s, comp(pt, 0), "%s", "process.data(\"name\") requires --runtime=dyninst "
		            "(or use process.data(ADDRESS))");
	return 0;
}

/* The point as stap prints it: the address in hex, the length only when asked for. */
static const char *text(struct session *s, const struct hwb *h, bool len)
{
	const char *where = h->sym ? arena_printf(&s->arena, "\"%s\"", h->sym) :
		arena_printf(&s->arena, "0x%" PRIx64, h->addr);

	if (!len)
		return arena_printf(&s->arena, "%s.data(%s).%s", h->kernel ? "kernel" : "process",
		                    where, h->rw ? "rw" : "write");
	return arena_printf(&s->arena, "%s.data(%s).length(%" PRId64 ").%s",
	                    h->kernel ? "kernel" : "process", where, h->len, h->rw ? "rw" : "write");
}

static int hw_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	struct hwb *h = arena_alloc(&s->arena, sizeof *h);
	char msg[256];

	if (parse(s, pt, h) < 0)
		return -1;
	if (access("/sys/bus/event_source/devices/breakpoint", F_OK) != 0) {
		snprintf(msg, sizeof msg, "probe point %s needs hardware breakpoints, and this kernel "
		         "has none (no breakpoint PMU in /sys/bus/event_source/devices: "
		         "CONFIG_HAVE_HW_BREAKPOINT is off)", text(s, h, h->has_len));
		return fail(s, comp(pt, 0), "%s", msg);
	}
	if (h->kernel && !ks_privileged()) {
		snprintf(msg, sizeof msg, "probe point %s needs root or CAP_PERFMON (kernel "
		         "watchpoints are privileged)", text(s, h, h->has_len));
		return fail(s, comp(pt, 0), "%s", msg);
	}
	struct dprobe *p = sess_add_probe(s, &prov_hwbkpt, src, pt, text(s, h, true));
	p->data = h;
	p->rewrites_point = h->has_len;   /* -p2: the chain shows the address in hex, as stap */
	return 1;
}

static int hw_list(struct session *s, struct probe_point *pt, bool vars, struct strbuf *out)
{
	struct hwb h = { 0 };

	(void)vars;
	if (parse(s, pt, &h) < 0)
		return -1;
	sb_printf(out, "%s\n", text(s, &h, h.has_len));
	return 0;
}

/* Any kallsyms symbol (data too: ksym_addr only keeps text). 0 when absent or hidden. */
static uint64_t data_sym(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], sym[256];
	unsigned long long a;
	uint64_t r = 0;
	char t;

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "%llx %c %255s", &a, &t, sym) == 3 && !strcmp(sym, name)) {
			r = a;
			break;
		}
	if (f)
		fclose(f);
	return r;
}

/* stap's rounding of .length to what the debug registers take (runtime stap-hw-breakpoint.h) */
static uint64_t bp_len(int64_t len)
{
	return len <= 1 ? HW_BREAKPOINT_LEN_1 : len == 2 ? HW_BREAKPOINT_LEN_2 :
	       len <= 4 ? HW_BREAKPOINT_LEN_4 : HW_BREAKPOINT_LEN_8;
}

static int arm_one(struct session *s, struct dprobe *p, const struct hwb *h)
{
	struct perf_event_attr a = { 0 };
	uint64_t addr = h->addr;

	if (h->sym && !(addr = data_sym(h->sym))) {
		sess_flush(s);
		fprintf(stderr, "ERROR: Probe %s registration failed: invalid symbol '%s' "
		        "(not in /proc/kallsyms, or its addresses are hidden)\n", p->pp, h->sym);
		return -1;
	}
	if (!h->kernel && s->target <= 0) {
		sess_flush(s);
		fprintf(stderr, "ERROR: probe %s needs a target process (-x PID or -c CMD)\n", p->pp);
		return -1;
	}
	a.type = PERF_TYPE_BREAKPOINT;
	a.bp_type = HW_BREAKPOINT_W | (h->rw ? HW_BREAKPOINT_R : 0);
	a.bp_addr = addr;
	a.bp_len = bp_len(h->len);
	a.sample_period = 1;
	a.exclude_kernel = !h->kernel && !ks_privileged();
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_REGS_INTR | ks_stack_sample(s, &a);
	a.sample_regs_intr = arch_perf_regs_mask();
	if (ks_open(s, &a, h->kernel ? -1 : s->target, p, NULL, NULL) >= 0)
		return 1;
	if (p->point && p->point->optional)
		return 0;
	sess_flush(s);
	if (errno == ENOSPC)
		fprintf(stderr, "ERROR: probe %s: no free hardware breakpoint slot (the debug "
		        "registers are all taken)\n", p->pp);
	else if (errno == EINVAL)
		fprintf(stderr, "ERROR: probe %s: the kernel refuses a watchpoint at 0x%" PRIx64
		        " of length %" PRId64 " (unaligned, or no hardware breakpoints): %s\n",
		        p->pp, addr, h->len, strerror(errno));
	else
		fprintf(stderr, "ERROR: %s\n", ks_open_error(s, p->pp, errno));
	return -1;
}

static int hw_arm(struct session *s)
{
	bool any = false;

	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		if (p->prov != &prov_hwbkpt)
			continue;
		int r = arm_one(s, p, p->data);
		if (r < 0)
			return -1;
		any |= r > 0;
	}
	if (any && ks_start(s) < 0) {
		fprintf(stderr, "ERROR: cannot enable hardware breakpoints: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int hw_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out)
{
	(void)p;
	if (e->kind == E_PERF)
		return ks_perf_tvar(s, e, out);
	diag_error(&s->diag, "semantic", &e->pos, NULL, "hardware breakpoint probes have no "
	           "target variables");
	return -1;
}

static void hw_disarm(struct session *s)
{
	ks_stop(s);
}

const struct provider prov_hwbkpt = {
	.name = "hwbkpt",
	.owns = hw_owns,
	.expand = hw_expand,
	.tvar = hw_tvar,
	.list = hw_list,
	.arm = hw_arm,
	.disarm = hw_disarm,
};

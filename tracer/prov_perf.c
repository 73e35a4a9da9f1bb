/*
** perf events: perf.type(N).config(M), perf.sw.NAME, perf.hw.NAME, perf.hw_cache.C.OP.RESULT
** (stap's tapset/linux/perf.stp numbers; other names through libpfm4), with .sample(P) or
** .hz(F) and .process; timer.profile[.tick] on a cpu-clock sampling event at the tick rate.
** Samples arrive through the kernel-side rings (ks.c) with the interrupted task's identity.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "elab.h"
#include "ks.h"
#include "provider.h"
#include "session.h"

extern const struct provider prov_perf;

#define DEFAULT_SAMPLE 1000000

struct pev {
	uint32_t type;
	uint64_t config;
	uint64_t period;          /* sample_period, or sample_freq when freq */
	bool freq;
	bool process;             /* the target task tree, not system-wide */
	const char *counter;      /* .counter("name"): counted, never sampled */
};

static const struct ppcomp *comp(const struct probe_point *pt, int i)
{
	return pt->comps.v[i];
}

static const char *functor(const struct probe_point *pt, int i)
{
	return i < pt->comps.n ? comp(pt, i)->functor : "";
}

static bool perf_owns(const struct probe_point *pt)
{
	if (!strcmp(functor(pt, 0), "timer"))
		return !strcmp(functor(pt, 1), "profile");
	return !strcmp(functor(pt, 0), "perf");
}

static const struct { const char *name; uint32_t type; uint64_t config; } names[] = {
	{ "cpu_cycles", 0, 0 }, { "instructions", 0, 1 }, { "cache_references", 0, 2 },
	{ "cache_misses", 0, 3 }, { "branch_instructions", 0, 4 }, { "branch_misses", 0, 5 },
	{ "bus_cycles", 0, 6 }, { "stalled_cycles_frontend", 0, 7 },
	{ "stalled_cycles_backend", 0, 8 }, { "ref_cpu_cycles", 0, 9 },
	{ "cpu_clock", 1, 0 }, { "task_clock", 1, 1 }, { "page_faults", 1, 2 },
	{ "context_switches", 1, 3 }, { "cpu_migrations", 1, 4 }, { "page_faults_min", 1, 5 },
	{ "page_faults_maj", 1, 6 }, { "alignment_faults", 1, 7 }, { "emulation_faults", 1, 8 },
};

static const char *const caches[] = { "l1d", "l1i", "ll", "dtlb", "itlb", "bpu", "node" };
static const char *const cache_ops[] = { "read", "write", "prefetch" };
static const char *const cache_res[] = { "access", "miss" };

static int index_of(const char *const *v, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return i;
	return -1;
}

static int fail(struct session *s, const struct ppcomp *c, const char *msg)
{
	char saw[160];

	snprintf(saw, sizeof saw, "identifier '%s'", c->functor);
	diag_error(&s->diag, "semantic", &c->pos, saw, "%s", msg);
	return -1;
}

/* perf.hw.NAME / perf.sw.NAME / perf.hw_cache.C.OP.RES / perf.type(N).config(M): the event;
   returns the index of the first suffix component, or -1 after an error. */
static int event_part(struct session *s, const struct probe_point *pt, struct pev *e)
{
	const char *k = functor(pt, 1);

	if (!strcmp(k, "type") && comp(pt, 1)->arg && !strcmp(functor(pt, 2), "config") && comp(pt, 2)->arg) {
		e->type = (uint32_t)comp(pt, 1)->arg->num;
		e->config = (uint64_t)comp(pt, 2)->arg->num;
		return 3;
	}
	if ((!strcmp(k, "hw") || !strcmp(k, "sw")) && pt->comps.n >= 3) {
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (!strcmp(names[i].name, functor(pt, 2)) && names[i].type == (k[0] == 'h' ? 0u : 1u)) {
				e->type = names[i].type;
				e->config = names[i].config;
				return 3;
			}
		if (ks_pfm_event(functor(pt, 2), &e->type, &e->config) == 0)
			return 3;
		return fail(s, comp(pt, 2), "unknown perf event name (not in stap's perf tapset nor libpfm4)");
	}
	if (!strcmp(k, "hw_cache") && pt->comps.n >= 5) {
		int c = index_of(caches, 7, functor(pt, 2)), o = index_of(cache_ops, 3, functor(pt, 3)),
		    r = index_of(cache_res, 2, functor(pt, 4));
		if (c < 0 || o < 0 || r < 0)
			return fail(s, comp(pt, 2), "probe point mismatch");
		e->type = PERF_TYPE_HW_CACHE;
		e->config = (uint64_t)c | (uint64_t)o << 8 | (uint64_t)r << 16;
		return 5;
	}
	return fail(s, comp(pt, pt->comps.n > 1 ? 1 : 0), "probe point mismatch");
}

static int suffixes(struct session *s, const struct probe_point *pt, int i, struct pev *e)
{
	e->period = DEFAULT_SAMPLE;
	for (; i < pt->comps.n; i++) {
		const struct ppcomp *c = comp(pt, i);
		if (!strcmp(c->functor, "sample") && c->arg && c->arg->kind == E_NUM && c->arg->num > 0) {
			e->period = (uint64_t)c->arg->num;
		} else if (!strcmp(c->functor, "hz") && c->arg && c->arg->kind == E_NUM && c->arg->num > 0) {
			e->period = (uint64_t)c->arg->num;
			e->freq = true;
		} else if (!strcmp(c->functor, "process")) {
			e->process = true;
		} else if (!strcmp(c->functor, "counter") && c->arg && c->arg->kind == E_STR) {
			e->counter = c->arg->str;
		} else {
			return fail(s, c, "probe point mismatch");
		}
	}
	return 0;
}

static int profile_part(struct session *s, const struct probe_point *pt, struct pev *e)
{
	e->type = PERF_TYPE_SOFTWARE;
	e->config = PERF_COUNT_SW_CPU_CLOCK;
	e->period = 1000000000ULL / (uint64_t)sess_kernel_hz(s);
	if (pt->comps.n == 2 || (pt->comps.n == 3 && !strcmp(functor(pt, 2), "tick")))
		return 0;
	if (pt->comps.n == 4 && !strcmp(functor(pt, 2), "freq") && !strcmp(functor(pt, 3), "hz") &&
	    comp(pt, 3)->arg && comp(pt, 3)->arg->kind == E_NUM && comp(pt, 3)->arg->num > 0) {
		e->period = (uint64_t)comp(pt, 3)->arg->num;
		e->freq = true;
		return 0;
	}
	return fail(s, comp(pt, pt->comps.n - 1), "probe point mismatch");
}

/* No PMU for hardware events on this machine (a VM without a vPMU): say so up front. */
static bool has_hw_pmu(void)
{
	return access("/sys/bus/event_source/devices/cpu", F_OK) == 0 ||
	       access("/sys/bus/event_source/devices/cpu_core", F_OK) == 0 ||
	       access("/sys/bus/event_source/devices/armv8_pmuv3_0", F_OK) == 0;
}

static int perf_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	struct pev *e = arena_alloc(&s->arena, sizeof *e);
	char msg[256];

	if (!strcmp(functor(pt, 0), "timer")) {
		if (profile_part(s, pt, e) < 0)
			return -1;
	} else {
		int i = event_part(s, pt, e);
		if (i < 0 || suffixes(s, pt, i, e) < 0)
			return -1;
	}
	if ((e->type == PERF_TYPE_HARDWARE || e->type == PERF_TYPE_HW_CACHE) && !has_hw_pmu()) {
		snprintf(msg, sizeof msg, "probe point %s needs hardware performance counters, "
		         "and this machine has none (no PMU in /sys/bus/event_source/devices)", pp_text(s, pt));
		return fail(s, comp(pt, 0), msg);
	}
	if (!e->process && !ks_privileged()) {
		snprintf(msg, sizeof msg, "probe point %s needs root or CAP_PERFMON "
		         "(system-wide perf events are privileged)", pp_text(s, pt));
		return fail(s, comp(pt, 0), msg);
	}
	struct dprobe *p = sess_add_probe(s, &prov_perf, src, pt, NULL);
	p->data = e;
	return 1;
}

static int perf_arm(struct session *s)
{
	bool any = false;

	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		const struct pev *e = p->data;
		struct perf_event_attr a = { 0 };

		if (p->prov != &prov_perf)
			continue;
		if (e->counter) {
			a.type = e->type;
			a.config = e->config;
			if (ks_open_counter(s, &a, e->process ? s->target : -1, e->counter) < 0) {
				sess_flush(s);
				fprintf(stderr, "ERROR: %s\n", ks_open_error(s, p->pp, errno));
				return -1;
			}
			any = true;
			continue;
		}
		if (e->process && s->target <= 0) {
			fprintf(stderr, "ERROR: probe %s: .process needs a target (-c CMD or -x PID)\n", p->pp);
			return -1;
		}
		a.type = e->type;
		a.config = e->config;
		a.sample_period = e->period;
		a.freq = e->freq;
		a.sample_type = PERF_SAMPLE_IP | ks_stack_sample(s, &a);
		if (ks_open(s, &a, e->process ? s->target : -1, p, NULL, NULL) < 0) {
			if (p->point && p->point->optional)
				continue;
			sess_flush(s);
			fprintf(stderr, "ERROR: %s\n", ks_open_error(s, p->pp, errno));
			return -1;
		}
		any = true;
	}
	if (any && ks_start(s) < 0) {
		fprintf(stderr, "ERROR: cannot enable perf events: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* @perf("NAME"): the current value of the counter a perf ... .counter("NAME") probe declared */
static int counter_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *s)
{
	if (ks_counter_read(c->sess, tv->data, l) == 0)
		return 0;
	snprintf(c->err, sizeof c->err, "perf counter '%s' is not open", (const char *)tv->data);
	return -1;
}

int ks_perf_tvar(struct session *s, struct exp *e, struct tvar *out)
{
	const char *name = e->a0 && e->a0->kind == E_STR ? e->a0->str : NULL;

	for (int i = 0; name && i < s->nprobes; i++) {
		const struct pev *pe = s->probes[i]->data;
		if (s->probes[i]->prov == &prov_perf && pe->counter && !strcmp(pe->counter, name)) {
			out->type = TY_LONG;
			out->read = counter_read;
			out->data = (void *)pe->counter;
			return 0;
		}
	}
	/* stap throws it while deriving the probe: no token */
	diag_error(&s->diag, "semantic", NULL, NULL, "perf counter '%s' not defined", name ? name : "?");
	return -1;
}

static int perf_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out)
{
	if (e->kind == E_PERF)
		return ks_perf_tvar(s, e, out);
	if (e->kind == E_CAST)
		return ks_cast_tvar(s, p, e, out);
	diag_error(&s->diag, "semantic", &e->pos, NULL, "perf probes have no target variables");
	return -1;
}

static void perf_disarm(struct session *s)
{
	ks_stop(s);
}

const struct provider prov_perf = {
	.name = "perf",
	.owns = perf_owns,
	.expand = perf_expand,
	.tvar = perf_tvar,
	.arm = perf_arm,
	.disarm = perf_disarm,
};

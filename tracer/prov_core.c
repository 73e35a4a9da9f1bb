/*
** The core probes: begin, end, error, never, and begin(N)/end(N)/error(N). They fire at session
** start and stop; several of a kind run by N (default 0), then in script order, as stap sorts
** them (tapsets.cxx be_derived_probe::comp).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "provider.h"
#include "session.h"

static const char *const core_names[] = { "begin", "end", "error", "never" };

static int core_kind_of(const struct probe_point *pt)
{
	if (pt->comps.n != 1)
		return -1;
	const struct ppcomp *c = pt->comps.v[0];
	for (int k = 0; k < 4; k++)
		if (!strcmp(c->functor, core_names[k]))
			return k;
	return -1;
}

/* begin("x") or never(1) is not ours: elaboration then reports stap's "probe point mismatch" */
static bool core_owns(const struct probe_point *pt)
{
	int k = core_kind_of(pt);
	const struct ppcomp *c = k >= 0 ? pt->comps.v[0] : NULL;
	return k >= 0 && (!c->arg || (k != CORE_NEVER && c->arg->kind == E_NUM));
}

static int core_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	extern const struct provider prov_core;
	const struct ppcomp *c = pt->comps.v[0];
	struct dprobe *p = sess_add_probe(s, &prov_core, src, pt, NULL);
	p->seq = c->arg ? c->arg->num : 0;
	p->data = (void *)(intptr_t)(core_kind_of(pt) + 1);
	return 1;
}

bool core_is(const struct dprobe *p, enum core_kind k)
{
	extern const struct provider prov_core;
	return p->prov == &prov_core && (intptr_t)p->data == (intptr_t)k + 1;
}

static int by_seq(const void *a, const void *b)
{
	const struct dprobe *x = *(struct dprobe *const *)a, *y = *(struct dprobe *const *)b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->index - y->index;
}

void core_run(struct session *s, enum core_kind k)
{
	int n = 0;
	for (int i = 0; i < s->nprobes; i++)
		n += core_is(s->probes[i], k);
	if (!n)
		return;
	struct dprobe **v = malloc(n * sizeof(*v));
	if (!v)
		abort();
	n = 0;
	for (int i = 0; i < s->nprobes; i++)
		if (core_is(s->probes[i], k))
			v[n++] = s->probes[i];
	qsort(v, n, sizeof(*v), by_seq);
	for (int i = 0; i < n; i++) {
		/* stap runs a begin probe only while the session is starting: exit() (stopping)
		   or an error skips the rest; every end probe runs unless in error; every
		   error probe runs (tapsets.cxx common_probe_entryfn_prologue's state check) */
		if ((k == CORE_BEGIN && s->exiting) || (s->state == SESS_ERROR && k != CORE_ERROR))
			break;
		struct ctx c;
		ctx_init_plain(&c, s, v[i]);
		sess_run_probe(s, v[i], &c);
	}
	free(v);
}

const struct provider prov_core = {
	.name = "core",
	.owns = core_owns,
	.expand = core_expand,
};

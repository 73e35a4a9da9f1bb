/*
** Probe families of stapprobes(3stap) that ustap cannot offer (they need a kernel module, the
** BPF or Java runtime, or a kernel feature long gone): each is refused with a semantic error
** naming why, instead of "probe point mismatch" (procfs files: prov_procfs.c). Also kernel.NAME for an unknown NAME, with
** stap's suggestions. Last in the registry: the working families claim their points first.
*/
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "elab.h"
#include "provider.h"
#include "session.h"

struct refusal {
	const char *first, *second;   /* functors; second NULL: any */
	int at;                       /* the component the error points at */
	const char *why;              /* after "probe point PP " */
};

static const struct refusal refusals[] = {
	{ "netfilter", NULL, 0, "needs a kernel module to register a netfilter hook, which ustap "
	  "does not build" },
	{ "kernel", "mark", 1, "names a kernel marker: markers are obsolete (gone since Linux "
	  "2.6.32, stap finds none either); use kernel.trace(\"NAME\") tracepoints" },
	{ "module", "mark", 1, "names a kernel marker: markers are obsolete (gone since Linux "
	  "2.6.32, stap finds none either); use kernel.trace(\"NAME\") tracepoints" },
	{ "kernel", "tracepoint", 1, "is a BTF tracepoint probe, which ustap does not offer: "
	  "kernel.trace(\"NAME\") reaches the same events, with named $fields" },
	{ "module", "tracepoint", 1, "is a BTF tracepoint probe, which ustap does not offer: "
	  "kernel.trace(\"NAME\") reaches the same events, with named $fields" },
	{ "kernel", "lsm", 1, "is an LSM hook probe, which needs the BPF runtime (--runtime=bpf) "
	  "that ustap does not have" },
	{ "lsm", NULL, 0, "is an LSM hook probe, which needs the BPF runtime (--runtime=bpf) "
	  "that ustap does not have" },
	{ "java", NULL, 0, "needs Byteman and stap's Java agent, which ustap does not have" },
	{ "python2", NULL, 0, "needs stap's HelperSDT python module and python debuginfo, which "
	  "ustap does not support" },
	{ "python3", NULL, 0, "needs stap's HelperSDT python module and python debuginfo, which "
	  "ustap does not support" },
	{ "debuginfod", NULL, 0, "fetches debuginfo through debuginfod, which ustap does not do: "
	  "fetch it first (debuginfod-find debuginfo FILE) and probe process(\"PATH\")" },
};

/* stap's kernel.* node: what "kernel.NAME" could have meant */
static const char *const kernel_names[] = { "data", "function", "mark", "statement", "trace" };

static const char *functor(const struct probe_point *pt, int i)
{
	return i < pt->comps.n ? ((const struct ppcomp *)pt->comps.v[i])->functor : "";
}

static const struct refusal *find(const struct probe_point *pt)
{
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		const struct refusal *r = &refusals[i];
		if (!strcmp(functor(pt, 0), r->first) && (!r->second || !strcmp(functor(pt, 1), r->second)))
			return r;
	}
	return NULL;
}

static bool ref_owns(const struct probe_point *pt)
{
	return find(pt) || (!strcmp(functor(pt, 0), "kernel") && pt->comps.n > 1);
}

static int error_at(struct session *s, const struct probe_point *pt, int i, const char *msg)
{
	const struct ppcomp *c = pt->comps.v[i];
	char saw[160];

	snprintf(saw, sizeof saw, "identifier '%s'", c->functor);
	diag_error(&s->diag, "semantic", prov_comp_pos(s, &c->pos), saw, "%s", msg);
	return -1;
}

/* kernel.NAME that no family takes: stap's mismatch at NAME, suggesting the names of its
   kernel node by score, ties in name order (its multimap over a sorted set) */
static int kernel_mismatch(struct session *s, const struct probe_point *pt)
{
	const size_t n = sizeof kernel_names / sizeof kernel_names[0];
	unsigned score[sizeof kernel_names / sizeof kernel_names[0]];
	char msg[300] = "probe point mismatch (similar: ";
	bool done[sizeof kernel_names / sizeof kernel_names[0]] = { 0 };

	for (size_t i = 0; i < n; i++)
		score[i] = (unsigned)elab_levenshtein(functor(pt, 1), kernel_names[i]);
	for (size_t k = 0; k < n; k++) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (!done[i] && (best == n || score[i] < score[best]))
				best = i;
		done[best] = true;
		strcat(msg, kernel_names[best]);
		strcat(msg, k + 1 < n ? ", " : ")");
	}
	return error_at(s, pt, 1, msg);
}

static int refuse(struct session *s, struct probe_point *pt)
{
	const struct refusal *r = find(pt);

	if (!r)
		return kernel_mismatch(s, pt);
	return error_at(s, pt, r->at < pt->comps.n ? r->at : 0,
	                arena_printf(&s->arena, "probe point %s %s", pp_text(s, pt), r->why));
}

static int ref_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	(void)src;
	return refuse(s, pt);
}

static int ref_list(struct session *s, struct probe_point *pt, bool vars, struct strbuf *out)
{
	(void)vars;
	(void)out;
	return refuse(s, pt);
}

const struct provider prov_refused = {
	.name = "refused",
	.owns = ref_owns,
	.expand = ref_expand,
	.list = ref_list,
};

/*
** The provider registry (prov_all[]), derived-probe bookkeeping (sess_add_probe) and the
** canonical text of a probe point (pp_text), shared by every probe family.
*/
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "provider.h"
#include "session.h"

extern const struct provider prov_core;
extern const struct provider prov_timer;
extern const struct provider prov_process;
extern const struct provider prov_tracepoint;
extern const struct provider prov_perf;
extern const struct provider prov_kprobe;
extern const struct provider prov_hwbkpt;
extern const struct provider prov_refused;
extern const struct provider prov_procfs;

/* Order matters only for points two providers could both claim: first owner wins. */
const struct provider *const prov_all[] = {
	&prov_core,
	&prov_timer,
	&prov_hwbkpt,     /* before process: it owns process.data */
	&prov_process,
	&prov_tracepoint,
	&prov_perf,
	&prov_kprobe,
	&prov_procfs,
	&prov_refused,    /* last: families ustap refuses, with the reason */
	NULL,
};

const struct provider *prov_find(const struct probe_point *pt)
{
	for (int i = 0; prov_all[i]; i++)
		if (prov_all[i]->owns && prov_all[i]->owns(pt))
			return prov_all[i];
	return NULL;
}

struct dprobe *sess_add_probe(struct session *s, const struct provider *prov, struct probe *src,
                              struct probe_point *pt, const char *pp)
{
	if (s->nprobes == s->probes_cap) {
		int cap = s->probes_cap ? s->probes_cap * 2 : 16;
		struct dprobe **v = realloc(s->probes, cap * sizeof(*v));
		if (!v)
			abort();
		s->probes = v;
		s->probes_cap = cap;
	}
	struct dprobe *p = arena_alloc(&s->arena, sizeof(*p));
	p->prov = prov;
	p->src = src;
	p->point = pt;
	p->pp = pp ? arena_strdup(&s->arena, pp) : pp_text(s, pt);
	p->index = s->nprobes;
	s->probes[s->nprobes++] = p;
	return p;
}

/* A string literal as stap prints it back inside a probe point: "..." with \" and \\. */
static void put_quoted(struct strbuf *sb, const char *str)
{
	sb_putc(sb, '"');
	for (const char *c = str; *c; c++) {
		if (*c == '"' || *c == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, *c);
	}
	sb_putc(sb, '"');
}

const char *pp_text(struct session *s, const struct probe_point *pt)
{
	struct strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < pt->comps.n; i++) {
		const struct ppcomp *c = pt->comps.v[i];
		if (i)
			sb_putc(&sb, '.');
		sb_puts(&sb, c->functor);
		if (!c->arg)
			continue;
		sb_putc(&sb, '(');
		if (c->arg->kind == E_NUM)
			sb_printf(&sb, "%" PRId64, c->arg->num);
		else if (c->arg->kind == E_STR)
			put_quoted(&sb, c->arg->str ? c->arg->str : "");
		sb_putc(&sb, ')');
	}
	const char *r = arena_strdup(&s->arena, sb.buf ? sb.buf : "");
	sb_free(&sb);
	return r;
}

/* stap 4.8 reports errors at a probe point's components with an empty file name
   ("identifier 'foo' at :1:13") but still shows the source line: the same text, no name. */
const struct srcpos *prov_comp_pos(struct session *s, const struct srcpos *pos)
{
	struct srcpos *p = arena_alloc(&s->arena, sizeof(*p));
	*p = *pos;
	if (pos->file) {
		struct srcfile *f = arena_alloc(&s->arena, sizeof(*f));
		*f = *pos->file;
		f->name = "";
		p->file = f;
	}
	return p;
}

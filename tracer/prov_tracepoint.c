/*
** kernel.trace("SYSTEM:EVENT") and kernel.trace("EVENT"), globs allowed: one perf tracepoint
** event per CPU, system-wide, whose PERF_SAMPLE_RAW record is decoded with the tracefs format
** into $field target variables, $$name/$$system, $$vars/$$parms (stap's wording and -L text).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "arena.h"
#include "elab.h"
#include "ks.h"
#include "printf.h"
#include "provider.h"
#include "session.h"
#include "tracefs.h"

extern const struct provider prov_tracepoint;

static const struct ppcomp *comp(const struct probe_point *pt, int i)
{
	return pt->comps.v[i];
}

static bool tp_owns(const struct probe_point *pt)
{
	return pt->comps.n == 2 && !strcmp(comp(pt, 0)->functor, "kernel") &&
	       !strcmp(comp(pt, 1)->functor, "trace");
}

/* "sched:sched_switch" -> sys "sched", ev "sched_switch"; "sched_switch" -> "*", itself */
static void split_spec(const char *spec, char *sys, size_t nsys, char *ev, size_t nev)
{
	const char *colon = strchr(spec, ':');

	if (colon) {
		snprintf(sys, nsys, "%.*s", (int)(colon - spec), spec);
		snprintf(ev, nev, "%s", colon + 1);
	} else {
		snprintf(sys, nsys, "*");
		snprintf(ev, nev, "%s", spec);
	}
}

static int point_error(struct session *s, const struct probe_point *pt, const char *msg)
{
	char saw[128];

	snprintf(saw, sizeof saw, "identifier '%s'", comp(pt, 0)->functor);
	diag_error(&s->diag, "semantic", &comp(pt, 0)->pos, saw, "%s", msg);
	return -1;
}

/* Reasons a kernel.trace point cannot resolve at all (no tracefs, no privilege). */
static int unavailable(struct session *s, const struct probe_point *pt, int err)
{
	char msg[512];

	if (err == EACCES || err == EPERM || !ks_privileged())
		snprintf(msg, sizeof msg, "probe point %s needs root or CAP_PERFMON "
		         "(tracefs and system-wide perf events are privileged)", pp_text(s, pt));
	else
		snprintf(msg, sizeof msg, "probe point %s: no tracefs (mount -t tracefs nodev "
		         "/sys/kernel/tracing): %s", pp_text(s, pt), strerror(err));
	return point_error(s, pt, msg);
}

struct expand_ctx {
	struct session *s;
	struct probe *src;
	struct probe_point *pt;
	struct strbuf *list;
	bool vars;
	int n;
	int err;
};

static void list_line(struct strbuf *out, const struct tfs_event *ev, bool vars)
{
	sb_printf(out, "kernel.trace(\"%s:%s\")", ev->system, ev->name);
	for (int i = 0; vars && i < ev->nfields; i++)
		if (!ev->fields[i].common)
			sb_printf(out, " $%s:%s", ev->fields[i].name, ev->fields[i].type);
	sb_putc(out, '\n');
}

static int expand_one(void *arg, const char *sys, const char *name)
{
	struct expand_ctx *x = arg;
	struct tfs_event *ev = tfs_event(x->s, sys, name);

	if (!ev)
		return 0;          /* a dynamic event removed meanwhile, or no format: skip */
	x->n++;
	if (x->list) {
		list_line(x->list, ev, x->vars);
		return 0;
	}
	char *pp = arena_printf(&x->s->arena, "kernel.trace(\"%s:%s\")", sys, name);
	struct dprobe *p = sess_add_probe(x->s, &prov_tracepoint, x->src, x->pt, pp);
	p->data = ev;
	return 0;
}

static int walk(struct expand_ctx *x)
{
	const struct ppcomp *c = comp(x->pt, 1);
	char sys[128], ev[256];

	if (!c->arg || c->arg->kind != E_STR) {
		char saw[128];
		snprintf(saw, sizeof saw, "identifier '%s'", c->functor);
		diag_error(&x->s->diag, "semantic", &c->pos, saw, "probe point mismatch");
		return -1;
	}
	if (!ks_privileged() || !tfs_root(x->s))
		return unavailable(x->s, x->pt, ks_privileged() ? errno : EACCES);
	split_spec(c->arg->str, sys, sizeof sys, ev, sizeof ev);
	if (tfs_events(x->s, sys, ev, expand_one, x) < 0)
		return unavailable(x->s, x->pt, errno);
	return x->n;
}

static int tp_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	struct expand_ctx x = { s, src, pt, NULL, false, 0, 0 };

	return walk(&x);
}

static int tp_list(struct session *s, struct probe_point *pt, bool vars, struct strbuf *out)
{
	struct expand_ctx x = { s, NULL, pt, out, vars, 0, 0 };

	return walk(&x) < 0 ? -1 : 0;
}

/* ---- target variables ---- */

enum tpv_kind { TPV_INT, TPV_STR, TPV_PRETTY, TPV_NAME, TPV_SYSTEM, TPV_VARS };

struct tpv {
	enum tpv_kind kind;
	const struct tfs_event *ev;
	const struct tfs_field *f;
	int64_t idx;              /* [N] */
	bool idx_exp;             /* [expr]: idx[0] at run time */
	bool pretty;              /* $$vars$ */
	struct fmt *hex, *ptr;    /* "%#x", "%p" as the language prints them */
};

static int hit_raw(struct ctx *c, const uint8_t **raw, uint32_t *len)
{
	const struct ks_hit *h = c->priv;

	if (!h || !h->smp.raw) {
		snprintf(c->err, sizeof c->err, "tracepoint record unavailable");
		return -1;
	}
	*raw = h->smp.raw;
	*len = h->smp.raw_size;
	return 0;
}

static void put_fmt(struct strbuf *sb, const struct fmt *f, int64_t v)
{
	struct mval m = { v, NULL };
	char err[64];

	fmt_format(sb, f, &m, NULL, NULL, err, sizeof err);
}

/* One field as $$vars shows it: ints %#x (decimal when pretty), pointers %p, strings quoted,
   arrays [a, b, ...]. */
static void put_field(struct strbuf *sb, const struct tpv *v, const struct tfs_field *f,
                      const uint8_t *raw, uint32_t len, bool pretty, int msl)
{
	int64_t x;

	if (f->kind == TFS_STR || f->kind == TFS_DYNSTR) {
		char in[4096], q[4096];
		if (tfs_get_str(f, raw, len, in, sizeof in) < 0)
			in[0] = 0;
		fmt_text_str(q, (size_t)(msl + 1 < (int)sizeof q ? msl + 1 : (int)sizeof q), in, -1, -1, true);
		sb_puts(sb, q);
	} else if (f->kind == TFS_ARRAY || f->kind == TFS_DYNARRAY) {
		int n = tfs_count(f, raw, len);
		sb_putc(sb, '[');
		for (int i = 0; i < n; i++) {
			if (i)
				sb_puts(sb, ", ");
			if (tfs_get_int(f, raw, len, i, &x) == 0) {
				if (pretty)
					sb_printf(sb, "%lld", (long long)x);
				else
					put_fmt(sb, v->hex, x);
			}
		}
		sb_putc(sb, ']');
	} else if (tfs_get_int(f, raw, len, 0, &x) == 0) {
		if (f->kind == TFS_PTR)
			put_fmt(sb, v->ptr, x);
		else if (pretty)
			sb_printf(sb, "%lld", (long long)x);
		else
			put_fmt(sb, v->hex, x);
	}
}

static void copy_out(char *s, const struct strbuf *sb, int msl)
{
	size_t n = sb->len < (size_t)msl ? sb->len : (size_t)msl;

	memcpy(s, sb->buf ? sb->buf : "", n);
	s[n] = 0;
}

static int tpv_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *s)
{
	const struct tpv *v = tv->data;
	int msl = (int)c->sess->lim.maxstringlen;
	const uint8_t *raw;
	uint32_t len;

	if (v->kind == TPV_NAME || v->kind == TPV_SYSTEM) {
		snprintf(s, (size_t)msl + 1, "%s", v->kind == TPV_NAME ? v->ev->name : v->ev->system);
		return 0;
	}
	if (hit_raw(c, &raw, &len) < 0)
		return -1;
	if (v->kind == TPV_INT) {
		int64_t i = v->idx_exp ? idx[0] : v->idx;
		if (tfs_get_int(v->f, raw, len, i, l) == 0)
			return 0;
		snprintf(c->err, sizeof c->err, "index %lld out of range for tracepoint variable '$%s'",
		         (long long)i, v->f->name);
		return -1;
	}
	if (v->kind == TPV_STR) {
		if (tfs_get_str(v->f, raw, len, s, (size_t)msl + 1) == 0)
			return 0;
		snprintf(c->err, sizeof c->err, "tracepoint variable '$%s' lies outside its record", v->f->name);
		return -1;
	}
	struct strbuf sb;
	sb_init(&sb);
	if (v->kind == TPV_PRETTY) {
		put_field(&sb, v, v->f, raw, len, true, msl);
	} else {
		bool first = true;
		for (int i = 0; i < v->ev->nfields; i++) {
			const struct tfs_field *f = &v->ev->fields[i];
			if (f->common)
				continue;
			sb_printf(&sb, "%s%s=", first ? "" : " ", f->name);
			put_field(&sb, v, f, raw, len, v->pretty, msl);
			first = false;
		}
	}
	copy_out(s, &sb, msl);
	sb_free(&sb);
	return 0;
}

static int tv_error(struct session *s, struct exp *e, const char *fmt, const char *a1, const char *a2)
{
	char saw[256];

	snprintf(saw, sizeof saw, "identifier '%s'", e->str ? e->str : "");
	diag_error(&s->diag, "semantic", &e->pos, saw, fmt, a1, a2 ? a2 : "");
	return -1;
}

static int unknown_field(struct session *s, const struct tfs_event *ev, struct exp *e)
{
	struct ptrvec names = { 0 };
	char sugs[1024] = "", alt[1100] = "";

	for (int i = 0; i < ev->nfields; i++)
		if (!ev->fields[i].common)
			ast_vec_push(&s->arena, &names, arena_printf(&s->arena, "$%s", ev->fields[i].name));
	ast_vec_push(&s->arena, &names, (void *)"$$name");
	ast_vec_push(&s->arena, &names, (void *)"$$parms");
	ast_vec_push(&s->arena, &names, (void *)"$$vars");
	if (elab_levenshtein_suggest(e->str, &names, 16, sugs, sizeof sugs))
		snprintf(alt, sizeof alt, " (alternatives: %s)", sugs);
	return tv_error(s, e, "unable to find tracepoint variable '%s'%s", e->str, alt);
}

/* Components of $field: [N] / [expr] on arrays, a final $ or $$; nothing else. */
static int field_comps(struct session *s, struct exp *e, struct tpv *v)
{
	for (int i = 0; i < e->comps.n; i++) {
		const struct tcomp *tc = e->comps.v[i];
		bool arr = v->f->kind == TFS_ARRAY || v->f->kind == TFS_DYNARRAY;
		if (tc->kind == COMP_PRETTY) {
			v->kind = TPV_PRETTY;
		} else if ((tc->kind == COMP_INDEX_NUM || tc->kind == COMP_INDEX_EXP) && arr && i == 0) {
			v->idx_exp = tc->kind == COMP_INDEX_EXP;
			v->idx = tc->num;
		} else if (tc->kind == COMP_FIELD) {
			return tv_error(s, e, "tracepoint variable '%s' may not be used as a structure", e->str, NULL);
		} else {
			return tv_error(s, e, "tracepoint variable '%s' may not be used as array", e->str, NULL);
		}
	}
	return 0;
}

static int tp_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out)
{
	const struct tfs_event *ev = p->data;
	struct tpv *v = arena_alloc(&s->arena, sizeof *v);
	char err[64];

	if (e->kind == E_PERF)
		return ks_perf_tvar(s, e, out);
	if (e->kind == E_CAST)
		return ks_cast_tvar(s, p, e, out);
	if (e->kind != E_TARGET)
		return tv_error(s, e, "unsupported target expression for tracepoints%s%s", "", NULL);
	if (e->addr_of)
		return tv_error(s, e, "cannot take address of tracepoint variable%s%s", "", NULL);
	v->ev = ev;
	v->hex = fmt_parse(&s->arena, "%#x", err, sizeof err);
	v->ptr = fmt_parse(&s->arena, "%p", err, sizeof err);
	out->read = tpv_read;
	out->data = v;
	out->type = TY_STRING;
	if (!strcmp(e->str, "$$name") || !strcmp(e->str, "$$system")) {
		v->kind = e->str[2] == 'n' ? TPV_NAME : TPV_SYSTEM;
	} else if (!strcmp(e->str, "$$vars") || !strcmp(e->str, "$$parms")) {
		v->kind = TPV_VARS;
		v->pretty = e->comps.n > 0;
	} else {
		v->f = tfs_field(ev, e->str + 1);
		if (!v->f)
			return unknown_field(s, ev, e);
		v->kind = v->f->kind == TFS_STR || v->f->kind == TFS_DYNSTR ? TPV_STR : TPV_INT;
		if (field_comps(s, e, v) < 0)
			return -1;
		bool arr = v->f->kind == TFS_ARRAY || v->f->kind == TFS_DYNARRAY;
		if (v->kind == TPV_INT && arr && e->comps.n == 0)
			return tv_error(s, e, "tracepoint variable '%s' is an array: index it%s", e->str, NULL);
		if (v->kind == TPV_INT)
			out->type = TY_LONG;
	}
	return 0;
}

/* ---- arming ---- */

/* Many syscalls:sys_enter_X / sys_exit_X probes (syscall.*) would each register a tracepoint,
   slowly (seconds for hundreds). Past RAW_MIN of them, one raw_syscalls:sys_enter/sys_exit
   event stands for all: its record has the same layout as every syscalls:sys_*_X record
   (common fields, the number in the first long, then the six arguments or the return value),
   so the X formats decode it as is; the number picks the probes to run. */
#define RAW_MIN 16
#define RAW_NR 1024

struct raw_list {
	struct dprobe **v;
	int n;
};

struct tp_raw {
	struct raw_list by_nr[2][RAW_NR];   /* [0] enter, [1] exit */
};

static int raw_kind(const struct tfs_event *ev, int *nr)
{
	if (strcmp(ev->system, "syscalls"))
		return -1;
	bool enter = !strncmp(ev->name, "sys_enter_", 10), ex = !strncmp(ev->name, "sys_exit_", 9);
	if (!enter && !ex)
		return -1;
	*nr = arch_syscall_nr(ev->name + (enter ? 10 : 9));
	return *nr >= 0 && *nr < RAW_NR ? !enter : -1;
}

static void raw_hit(struct session *s, struct ks_hit *h)
{
	const struct tp_raw *raw = s->ks->raw;
	const int kind = (int)(intptr_t)h->ev->data;
	int64_t nr;

	if (!h->smp.raw || h->smp.raw_size < 16)
		return;
	memcpy(&nr, h->smp.raw + 8, sizeof nr);
	if (nr < 0 || nr >= RAW_NR)
		return;
	const struct raw_list *l = &raw->by_nr[kind][nr];
	for (int i = 0; i < l->n; i++) {
		struct ctx c;
		ks_ctx_init(s, &c, h);
		c.probe = l->v[i];
		c.is_return = false;
		sess_run_probe(s, l->v[i], &c);
	}
}

static void raw_add(struct session *s, struct tp_raw *raw, int kind, int nr, struct dprobe *p)
{
	struct raw_list *l = &raw->by_nr[kind][nr];
	struct dprobe **v = arena_alloc(&s->arena, sizeof *v * (size_t)(l->n + 1));

	if (l->n)
		memcpy(v, l->v, sizeof *v * (size_t)l->n);
	v[l->n++] = p;
	l->v = v;
}

/* Gather the syscall probes into raw lists; returns how many were taken (0: too few). */
static int raw_collect(struct session *s)
{
	int n = 0, nr;

	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->prov == &prov_tracepoint && raw_kind(s->probes[i]->data, &nr) >= 0)
			n++;
	if (n < RAW_MIN)
		return 0;
	struct tp_raw *raw = ks_get(s)->raw = arena_alloc(&s->arena, sizeof *raw);
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		int kind;
		if (p->prov == &prov_tracepoint && (kind = raw_kind(p->data, &nr)) >= 0)
			raw_add(s, raw, kind, nr, p);
	}
	return n;
}

/* Sampled probes on one tracepoint share its event: a record runs each handler in the
   script's order (a further event would make the traced task write the record again). */
struct tp_group {
	struct dprobe **v;
	int n;
	unsigned uses;            /* the union of the handlers' KS_USES_* */
	bool optional;            /* every probe of it is optional ('?') */
};

static void group_hit(struct session *s, struct ks_hit *h)
{
	const struct tp_group *g = h->ev->data;

	for (int i = 0; i < g->n; i++) {
		struct ctx c;
		ks_ctx_init(s, &c, h);
		c.probe = g->v[i];
		c.is_return = false;
		sess_run_probe(s, g->v[i], &c);
	}
}

static int open_error(struct session *s, const char *pp, bool optional)
{
	if (optional)
		return 0;
	sess_flush(s);
	fprintf(stderr, "ERROR: %s\n", ks_open_error(s, pp, errno));
	return -1;
}

/* One sampling event for ev: the record's fields only for $vars (and the syscall number of
   raw_syscalls), the task only for the context builtins. */
static int open_sampled(struct session *s, struct dprobe *p, const struct tfs_event *ev,
                        unsigned uses, ks_hit_fn hit, void *data)
{
	struct perf_event_attr a = { 0 };

	a.type = PERF_TYPE_TRACEPOINT;
	a.config = (uint64_t)ev->id;
	a.sample_period = 1;
	a.sample_type = (uses & KS_USES_FIELDS ? PERF_SAMPLE_RAW : 0) | ks_stack_sample(s, &a) |
	                ks_ustack_copy(s, p, &a);
	uint64_t base = PERF_SAMPLE_IDENTIFIER | (uses & KS_USES_TASK ? PERF_SAMPLE_TID : 0) |
	                (uses & KS_USES_ORDER || s->opt.unoptimized ? PERF_SAMPLE_TIME : 0);
	return ks_open_base(s, &a, -1, p, hit, data, base) < 0 ? -1 : 0;
}

/* A handler that takes nothing from its events: counted, not sampled. */
static int open_counted(struct session *s, struct dprobe *p)
{
	const struct tfs_event *ev = p->data;
	struct perf_event_attr a = { 0 };

	a.type = PERF_TYPE_TRACEPOINT;
	a.config = (uint64_t)ev->id;
	if (ks_open_tally(s, &a, -1, p) < 0)
		return open_error(s, p->pp, p->point && p->point->optional);
	if (s->opt.verbose >= 2)
		fprintf(stderr, "%s: counted, not sampled (its handler reads nothing of the events)\n",
		        p->pp);
	return 0;
}

/* The sampled probes (raw_syscalls' excepted) grouped by tracepoint, in script order. */
static int group_probes(struct session *s, bool raw, struct tp_group **out)
{
	struct tp_group *g = arena_alloc(&s->arena, sizeof *g * (size_t)(s->nprobes + 1));
	int ng = 0, nr;

	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		if (p->prov != &prov_tracepoint || (raw && raw_kind(p->data, &nr) >= 0) ||
		    ks_countable(s, p))
			continue;
		int k = 0;
		while (k < ng && g[k].v[0]->data != p->data)
			k++;
		if (k == ng) {
			g[ng].v = arena_alloc(&s->arena, sizeof *g->v * (size_t)s->nprobes);
			g[ng].optional = true;
			ng++;
		}
		g[k].v[g[k].n++] = p;
		g[k].uses |= ks_probe_uses(s, p);
		g[k].optional &= p->point && p->point->optional;
	}
	*out = g;
	return ng;
}

static int tp_arm(struct session *s)
{
	bool raw = raw_collect(s) > 0;
	struct tp_group *g;

	if (raw) {
		static const char *const names[2] = { "sys_enter", "sys_exit" };
		for (int k = 0; k < 2; k++) {
			const struct tfs_event *ev = tfs_event(s, "raw_syscalls", names[k]);
			if (!ev)
				errno = ENOENT;
			if (!ev || open_sampled(s, NULL, ev, KS_USES_FIELDS | KS_USES_TASK | KS_USES_ORDER,
			                        raw_hit, (void *)(intptr_t)k) < 0)
				return open_error(s, "kernel.trace(\"raw_syscalls:*\")", false);
		}
	}
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		int nr;
		if (p->prov == &prov_tracepoint && !(raw && raw_kind(p->data, &nr) >= 0) &&
		    ks_countable(s, p) && open_counted(s, p) < 0)
			return -1;
	}
	int ng = group_probes(s, raw, &g);
	for (int k = 0; k < ng; k++) {
		struct dprobe *p = g[k].v[0];
		int rc = g[k].n == 1 ? open_sampled(s, p, p->data, g[k].uses, NULL, p->data)
		                     : open_sampled(s, p, p->data, g[k].uses, group_hit, &g[k]);
		if (rc < 0 && open_error(s, p->pp, g[k].optional) < 0)
			return -1;
	}
	if (ks_start(s) < 0) {
		fprintf(stderr, "ERROR: cannot enable kernel events: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void tp_disarm(struct session *s)
{
	ks_stop(s);
}

const struct provider prov_tracepoint = {
	.name = "tracepoint",
	.owns = tp_owns,
	.expand = tp_expand,
	.tvar = tp_tvar,
	.list = tp_list,
	.arm = tp_arm,
	.disarm = tp_disarm,
};

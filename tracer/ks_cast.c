/*
** @cast(p, "struct T"[, "kernel"]) in kernel-side probes (syscall.*, kernel.trace, timer, begin),
** typed by the kernel's BTF. Member chains and indexes are offsets: &@cast(p, "T")->f->... and
** array members are addresses computed here. A value stored in kernel memory cannot be read from
** user space (no kernel module, no /dev/kmem): such a read is a runtime read fault that says so.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "btf.h"
#include "diag.h"
#include "ks.h"
#include "provider.h"
#include "session.h"

enum { KC_ADD, KC_INDEX, KC_DEREF };

struct kc_step {
	int op;
	int slot;                 /* KC_INDEX: idx[slot] */
	int64_t n;                /* KC_ADD: bytes; KC_INDEX: element size */
};

struct kcast {
	struct kc_step *steps;
	int nsteps;
	bool read;                /* the value is read at the final address (not & or an array) */
};

struct kc_walk {
	struct session *s;
	const struct btf *b;
	struct exp *e;
	uint32_t type;            /* the type the walk is at (the @cast type first) */
	struct kc_step steps[64];
	int n, nidx;
};

struct btf *ks_btf(struct session *s)
{
	struct ks_state *ks = ks_get(s);

	if (!ks->btf_tried) {
		ks->btf_tried = true;
		struct btf *b = arena_alloc(&s->arena, sizeof *b);
		if (btf_load(b, NULL) == 0)
			ks->btf = b;   /* lives as long as the session */
		else
			btf_free(b);
	}
	return ks->btf;
}

static int kc_fail(struct kc_walk *w, const struct srcpos *pos, const char *saw, const char *fmt,
                   const char *a1, const char *a2)
{
	diag_error(&w->s->diag, "semantic", pos ? pos : &w->e->pos, saw ? saw : "operator '@cast'",
	           fmt, a1 ? a1 : "", a2 ? a2 : "");
	return -1;
}

static int add_step(struct kc_walk *w, int op, int slot, int64_t n)
{
	if (op == KC_ADD && !n)
		return 0;
	if (w->n == (int)(sizeof w->steps / sizeof w->steps[0]))
		return kc_fail(w, NULL, NULL, "target expression too long%s%s", NULL, NULL);
	w->steps[w->n++] = (struct kc_step){ op, slot, n };
	return 0;
}

/* ->name / .name: through one pointer (the walk's pointer, or a member pointer) to a member */
static int walk_field(struct kc_walk *w, const struct tcomp *c)
{
	struct btf_view v;
	char acc[300], tn[160];
	uint32_t mt, bsz;
	uint64_t boff;

	snprintf(acc, sizeof acc, "->%s", c->field);
	if (!btf_view(w->b, w->type, &v) || v.kind == BTF_VOID)
		return kc_fail(w, &c->pos, "operator '->'", "invalid access '%s' vs. void%s", acc, NULL);
	if (v.kind == BTF_PTR) {
		if (add_step(w, KC_DEREF, 0, 0) < 0)
			return -1;
		w->type = v.ref;
		if (!btf_view(w->b, w->type, &v) || v.kind == BTF_VOID)
			return kc_fail(w, &c->pos, "operator '->'", "invalid access '%s' vs. void%s", acc, NULL);
	}
	btf_type_name(w->b, v.id, tn, sizeof tn);
	if (v.kind != BTF_STRUCT && v.kind != BTF_UNION)
		return kc_fail(w, &c->pos, "operator '->'", "invalid access '%s' vs. %s", acc, tn);
	if (!btf_member(w->b, v.id, c->field, &mt, &boff, &bsz)) {
		char names[400], msg[800];
		btf_member_names(w->b, v.id, names, sizeof names);
		snprintf(msg, sizeof msg, "unable to find member '%s' for %s (alternatives: %s)",
		         c->field, tn, names);
		return kc_fail(w, &c->pos, "operator '->'", "%s%s", msg, NULL);
	}
	if (bsz)
		return kc_fail(w, &c->pos, "operator '->'", "bitfield '%s' of %s: its bits live in "
		               "kernel memory, which ustap cannot read", c->field, tn);
	w->type = mt;
	return add_step(w, KC_ADD, 0, (int64_t)(boff / 8));
}

static int walk_index(struct kc_walk *w, const struct tcomp *c)
{
	struct btf_view v, ev;
	char acc[64], tn[160];

	if (c->kind == COMP_INDEX_NUM)
		snprintf(acc, sizeof acc, "[%lld]", (long long)c->num);
	else
		snprintf(acc, sizeof acc, "[...]");
	if (!btf_view(w->b, w->type, &v) || v.kind == BTF_VOID)
		return kc_fail(w, &c->pos, NULL, "invalid access '%s' vs. void%s", acc, NULL);
	if (v.kind == BTF_PTR) {
		if (add_step(w, KC_DEREF, 0, 0) < 0)
			return -1;
	} else if (v.kind != BTF_ARRAY) {
		btf_type_name(w->b, v.id, tn, sizeof tn);
		return kc_fail(w, &c->pos, NULL, "invalid access '%s' for %s", acc, tn);
	}
	w->type = v.ref;
	int64_t esz = btf_view(w->b, w->type, &ev) && ev.size ? ev.size : 1;
	if (c->kind == COMP_INDEX_NUM)
		return add_step(w, KC_ADD, 0, c->num * esz);
	return add_step(w, KC_INDEX, w->nidx++, esz);
}

/* The value at the end: an address (& or an array) or a read of kernel memory. */
static int finish(struct kc_walk *w, int pretty, struct kcast *k, struct tvar *out)
{
	struct btf_view v;
	char tn[160];

	out->type = TY_LONG;
	k->read = !w->e->addr_of;
	if (!k->read)
		return 0;
	if (pretty) {
		out->type = TY_STRING;
		return 0;
	}
	if (!btf_view(w->b, w->type, &v) || v.kind == BTF_VOID)
		return kc_fail(w, NULL, NULL, "cannot access a void value%s%s", NULL, NULL);
	btf_type_name(w->b, v.id, tn, sizeof tn);
	if (v.kind == BTF_ARRAY) {
		k->read = false;      /* an array is its address, as in C */
	} else if (v.kind == BTF_STRUCT || v.kind == BTF_UNION) {
		char msg[300];
		snprintf(msg, sizeof msg, "'%s' is being accessed instead of a member", tn);
		return kc_fail(w, NULL, NULL, "%s%s", msg, NULL);
	} else if (v.kind == BTF_OTHER) {
		return kc_fail(w, NULL, NULL, "unsupported type '%s'%s", tn, NULL);
	}
	return 0;
}

static int kc_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *s)
{
	const struct kcast *k = tv->data;
	uint64_t a = (uint64_t)idx[0];

	int i;

	(void)s;
	for (i = 0; i < k->nsteps && k->steps[i].op != KC_DEREF; i++)
		a += k->steps[i].op == KC_ADD ? (uint64_t)k->steps[i].n :
		     (uint64_t)(idx[1 + k->steps[i].slot] * k->steps[i].n);
	if (i == k->nsteps && !k->read) {
		*l = (int64_t)a;
		return 0;
	}
	snprintf(c->err, sizeof c->err, "read fault [man error::fault] at 0x%llx (kernel memory: "
	         "ustap runs without a kernel module and cannot read it)", (unsigned long long)a);
	return -1;
}

bool ks_cast_kernel_module(const char *mod)
{
	if (!mod || !*mod)
		return false;
	for (const char *m = mod; m; m = strchr(m, ':') ? strchr(m, ':') + 1 : NULL) {
		size_t n = strcspn(m, ":");
		if ((n == 6 && !strncmp(m, "kernel", 6)) || !strncmp(m, "kernel<", 7))
			return true;
	}
	return false;
}

int ks_cast_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out)
{
	struct kc_walk w = { .s = s, .e = e };
	const char *mod = e->module && *e->module ? e->module : "kernel";
	int pretty = 0;

	(void)p;
	if (e->kind != E_CAST)
		return kc_fail(&w, NULL, "operator", "unsupported target expression in a kernel probe%s%s",
		               NULL, NULL);
	w.b = ks_btf(s);
	if (!ks_cast_kernel_module(mod))
		return kc_fail(&w, NULL, NULL, "type definition '%s' not found in '%s' (kernel probes "
		               "take kernel types, from BTF)", e->str, mod);
	if (!w.b)
		return kc_fail(&w, NULL, NULL, "type definition '%s' not found in '%s' (no kernel BTF "
		               "in /sys/kernel/btf/vmlinux)", e->str, mod);
	w.type = btf_find_type(w.b, e->str);
	if (!w.type)
		return kc_fail(&w, NULL, NULL, "type definition '%s' not found in '%s'", e->str, mod);
	/* @cast(p, "T") is the T at address p: the walk starts there, as a T */
	for (int i = 0; i < e->comps.n; i++) {
		const struct tcomp *c = e->comps.v[i];
		int r = 0;
		if (c->kind == COMP_PRETTY)
			pretty = c->pretty;
		else if (c->kind == COMP_FIELD)
			r = walk_field(&w, c);
		else
			r = walk_index(&w, c);
		if (r < 0)
			return -1;
	}
	struct kcast *k = arena_alloc(&s->arena, sizeof *k);
	if (finish(&w, pretty, k, out) < 0)
		return -1;
	k->steps = arena_alloc(&s->arena, (size_t)(w.n ? w.n : 1) * sizeof *k->steps);
	memcpy(k->steps, w.steps, (size_t)w.n * sizeof *k->steps);
	k->nsteps = w.n;
	out->read = kc_read;
	out->data = k;
	return 0;
}

static struct exp *new_exp(struct session *s, enum exp_kind k, const struct exp *at)
{
	struct exp *n = arena_alloc(&s->script_arena, sizeof *n);
	memset(n, 0, sizeof *n);
	n->kind = k;
	n->pos = at->pos;
	n->type = TY_LONG;
	return n;
}

static struct exp *add_exp(struct session *s, const struct exp *at, struct exp *a, struct exp *b,
                           const char *op)
{
	struct exp *n = new_exp(s, E_BINARY, at);
	n->op = op;
	n->a0 = a;
	n->a1 = b;
	return n;
}

/* ks_cast_tvar with its messages dropped: 0, or -1 when e does not resolve */
static int quiet_tvar(struct session *s, struct exp *e, struct tvar *tv)
{
	char *held = NULL;
	size_t heldlen = 0;
	FILE *save = s->diag.out, *mem = open_memstream(&held, &heldlen);
	int errs = s->diag.errors;

	if (mem)
		s->diag.out = mem;
	int r = ks_cast_tvar(s, NULL, e, tv);
	if (mem) {
		fclose(mem);
		s->diag.out = save;
	}
	free(held);
	s->diag.errors = errs;
	return r;
}

bool ks_cast_defined(struct session *s, struct exp *e)
{
	struct tvar tv = { 0 };
	const char *mod = e->module && *e->module ? e->module : "kernel";

	return e->kind == E_CAST && ks_cast_kernel_module(mod) && quiet_tvar(s, e, &tv) == 0;
}

bool ks_cast_fold(struct session *s, struct exp *e, bool apply)
{
	struct tvar tv = { 0 };
	const char *mod = e->module && *e->module ? e->module : "kernel";

	if (e->kind != E_CAST || !ks_cast_kernel_module(mod))
		return false;
	int r = quiet_tvar(s, e, &tv);
	const struct kcast *k = tv.data;
	if (r < 0 || k->read)
		return false;
	for (int i = 0; i < k->nsteps; i++)
		if (k->steps[i].op == KC_DEREF)
			return false;
	if (!apply)
		return true;
	struct exp *v = e->a0, *idx[64];
	int ni = 0;
	for (int i = 0; i < e->comps.n && ni < 64; i++) {
		const struct tcomp *c = e->comps.v[i];
		if (c->kind == COMP_INDEX_EXP)
			idx[ni++] = c->index;
	}
	for (int i = 0; i < k->nsteps; i++) {
		struct exp *n = new_exp(s, E_NUM, e);
		n->num = k->steps[i].n;
		if (k->steps[i].op == KC_INDEX)
			n = add_exp(s, e, idx[k->steps[i].slot], n, "*");
		v = add_exp(s, e, v, n, "+");
	}
	struct srcpos pos = e->pos;
	*e = *v;
	e->pos = pos;
	return true;
}

/* The tvar hook of providers with no target variables of their own (begin/end/error, timer):
   @cast only; anything else is left unresolved, reported as before (lang/types.c). */
int ks_cast_only_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out)
{
	return e->kind == E_CAST ? ks_cast_tvar(s, p, e, out) : -1;
}

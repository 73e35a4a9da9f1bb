/*
** What a kernel probe's handler takes from each event, found by walking its body and the
** functions it calls: the record's fields, the task (pid(), execname() ...), effects whose
** order shows (output, exit(), time), and the globals it shares with other kernel probes.
** ks_open samples only what is used; a handler that uses nothing is counted, not sampled.
*/
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "builtins.h"
#include "ks.h"
#include "session.h"

#define MAX_FUNCS 256
#define MAX_GLOBALS 64

/* How a handler uses a global, for KS_USES_ORDER */
#define G_READ   1u           /* its value is used */
#define G_ADD    2u           /* g++, g += x, g <<< x as a statement: order does not matter */
#define G_WRITE  4u           /* any other change (=, .=, delete ...) */

struct walk {
	unsigned uses;
	const struct funcdecl *funcs[MAX_FUNCS];
	int nfuncs;
	const struct vardecl **globals;   /* MAX_GLOBALS */
	unsigned gmode[MAX_GLOBALS];
	int nglobals;
};

/* The cached result for one handler (struct probe), shared by the dprobes it derives. */
struct ks_uses {
	const struct probe *src;
	unsigned uses;
	const struct vardecl **globals;
	int nglobals;
	struct ks_uses *next;
};

static bool in_tab(const struct builtin *b, const struct builtin *tab)
{
	for (; tab->name; tab++)
		if (tab == b)
			return true;
	return false;
}

/* Builtins that compute from their arguments alone (strings, fixed point, target()). */
static unsigned builtin_uses(const struct builtin *b)
{
	if (!b)
		return KS_USES_EFFECT;
	if (in_tab(b, bi_string_tab) || in_tab(b, bi_fp_tab) || !strcmp(b->name, "target"))
		return 0;
	if (in_tab(b, bi_time_tab) || in_tab(b, bi_ctl_tab))
		return KS_USES_EFFECT;
	if (!strcmp(b->name, "register") || !strcmp(b->name, "u_register") ||
	    !strcmp(b->name, "uaddr") || !strcmp(b->name, "print_regs"))
		return KS_USES_TASK | KS_USES_REGS;
	return KS_USES_TASK;      /* context, symbols, kernel stacks, syscall decoding */
}

static void add_global(struct walk *w, const struct vardecl *v, unsigned mode)
{
	if (!v || !v->global)
		return;
	for (int i = 0; i < w->nglobals; i++)
		if (w->globals[i] == v) {
			w->gmode[i] |= mode;
			return;
		}
	if (w->nglobals == MAX_GLOBALS) {
		w->uses |= KS_USES_SHARED | KS_USES_ORDER;   /* too many to compare: assume shared */
	} else {
		w->gmode[w->nglobals] = mode;
		w->globals[w->nglobals++] = v;
	}
}

static void walk_stmt(struct walk *w, const struct stmt *st);
static void walk_exp(struct walk *w, const struct exp *e);

static bool is_global_lvalue(const struct exp *e)
{
	return e && (e->kind == E_SYM || e->kind == E_INDEX) && e->ref && e->ref->global;
}

/* An update as a statement: g++, g--, g += x, g -= x, g <<< x (and on an element). Their
   order does not change the result, but for the value of g read elsewhere. */
static bool walk_update(struct walk *w, const struct exp *e)
{
	bool inc = e->kind == E_PREINC || e->kind == E_POSTINC;
	bool add = e->kind == E_ASSIGN && e->op &&
	           (!strcmp(e->op, "+=") || !strcmp(e->op, "-=") || !strcmp(e->op, "<<<"));

	if ((!inc && !add) || !is_global_lvalue(e->a0) || (add && e->a0->type == TY_STRING))
		return false;
	add_global(w, e->a0->ref, G_ADD);
	for (int i = 0; i < e->a0->args.n; i++)
		walk_exp(w, e->a0->args.v[i]);
	walk_exp(w, e->a1);
	return true;
}

static void walk_func(struct walk *w, const struct funcdecl *f)
{
	if (!f)
		return;
	for (int i = 0; i < w->nfuncs; i++)
		if (w->funcs[i] == f)
			return;
	if (w->nfuncs == MAX_FUNCS || f->embedded) {
		w->uses |= KS_USES_EFFECT | KS_USES_TASK;
		return;
	}
	w->funcs[w->nfuncs++] = f;
	walk_stmt(w, f->body);
}

static void walk_exp(struct walk *w, const struct exp *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_TARGET: case E_ENTRY: case E_PERF:
		w->uses |= KS_USES_FIELDS;
		break;
	case E_CAST: case E_ATVAR: case E_AUTOCAST:
		w->uses |= KS_USES_FIELDS | KS_USES_TASK;
		break;
	case E_REGISTER: case E_DEREF:   /* the task's user registers (and memory) */
		w->uses |= KS_USES_TASK | KS_USES_REGS;
		break;
	case E_EMBEDDED: case E_PROBEWRITE:
		w->uses |= KS_USES_EFFECT | KS_USES_TASK;
		break;
	case E_PRINT:
		if (!e->str || e->str[0] != 's')   /* sprintf & co. only make a string */
			w->uses |= KS_USES_EFFECT;
		break;
	case E_CALL:
		if (e->fref) {
			walk_func(w, e->fref);
			for (int i = 0; i < e->alts.n; i++)
				walk_func(w, e->alts.v[i]);
		} else {
			w->uses |= builtin_uses(e->builtin);
		}
		break;
	case E_SYM: case E_INDEX: case E_IN: case E_STATOP: case E_HIST:
		add_global(w, e->ref, G_READ);
		break;
	case E_ASSIGN: case E_PREINC: case E_POSTINC:
		if (is_global_lvalue(e->a0))
			add_global(w, e->a0->ref, G_WRITE);   /* and read: the value is used */
		break;
	default:
		break;
	}
	for (int i = 0; i < e->comps.n; i++) {
		const struct tcomp *c = e->comps.v[i];
		walk_exp(w, c->index);
	}
	walk_exp(w, e->a0);
	walk_exp(w, e->a1);
	walk_exp(w, e->a2);
	walk_exp(w, e->fmt);
	for (int i = 0; i < e->args.n; i++)
		walk_exp(w, e->args.v[i]);
}

static void walk_stmt(struct walk *w, const struct stmt *st)
{
	if (!st)
		return;
	if (st->kind == S_EMBEDDED)
		w->uses |= KS_USES_EFFECT | KS_USES_TASK;
	if (st->kind == S_DELETE && st->e && (st->e->kind == E_SYM || st->e->kind == E_INDEX))
		add_global(w, st->e->ref, G_WRITE);
	if (st->kind == S_DELETE && !st->e)
		w->uses |= KS_USES_ORDER;     /* delete *: every global */
	if (st->kind == S_EXPR && st->e && walk_update(w, st->e))
		;                             /* its parts were walked */
	else
		walk_exp(w, st->e);
	walk_exp(w, st->init);
	walk_exp(w, st->incr);
	walk_exp(w, st->value);
	walk_exp(w, st->limit);
	for (int i = 0; i < st->keys.n; i++)
		walk_exp(w, st->keys.v[i]);
	for (int i = 0; i < st->slice.n; i++)
		walk_exp(w, st->slice.v[i]);
	for (int i = 0; i < st->body.n; i++)
		walk_stmt(w, st->body.v[i]);
	walk_stmt(w, st->s1);
	walk_stmt(w, st->s2);
}

static struct ks_uses *uses_of(struct session *s, const struct probe *src)
{
	struct ks_state *ks = ks_get(s);
	struct ks_uses *u;

	for (u = ks->uses; u; u = u->next)
		if (u->src == src)
			return u;
	struct walk *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->globals = arena_alloc(&s->arena, sizeof *w->globals * MAX_GLOBALS);
	walk_stmt(w, src ? src->body : NULL);
	/* the runs' order shows through a global changed otherwise than by an addition, or
	   added to and read in the same handler, and through every effect */
	for (int i = 0; i < w->nglobals; i++)
		if ((w->gmode[i] & G_WRITE) || (w->gmode[i] & (G_ADD | G_READ)) == (G_ADD | G_READ))
			w->uses |= KS_USES_ORDER;
	if (w->uses & KS_USES_EFFECT)
		w->uses |= KS_USES_ORDER;
	u = arena_alloc(&s->arena, sizeof *u);
	u->src = src;
	u->uses = w->uses;
	u->globals = w->globals;
	u->nglobals = w->nglobals;
	u->next = ks->uses;
	ks->uses = u;
	free(w);
	return u;
}

/* Probes whose handlers run in the order of the kernel's records (every provider but the
   core's begin/end/error, timers and the breakpoint engine's, whose hits come as they come). */
static bool ordered_with_ks(const struct dprobe *q)
{
	const char *n = q->prov ? q->prov->name : "";

	return strcmp(n, "core") && strcmp(n, "timer") && strcmp(n, "process");
}

static bool shares_globals(struct session *s, const struct dprobe *p, const struct ks_uses *u)
{
	for (int i = 0; i < s->nprobes; i++) {
		const struct dprobe *q = s->probes[i];
		if (q->src == p->src || !ordered_with_ks(q))
			continue;
		const struct ks_uses *o = uses_of(s, q->src);
		if (o->uses & KS_USES_SHARED)
			return true;
		for (int a = 0; a < u->nglobals; a++)
			for (int b = 0; b < o->nglobals; b++)
				if (u->globals[a] == o->globals[b])
					return true;
	}
	return false;
}

unsigned ks_probe_uses(struct session *s, const struct dprobe *p)
{
	if (!p)
		return KS_USES_FIELDS | KS_USES_TASK | KS_USES_EFFECT | KS_USES_SHARED;
	const struct ks_uses *u = uses_of(s, p->src);
	unsigned uses = u->uses;

	if (p->point && p->point->cond) {
		/* a probe condition: evaluated per event, in order, maybe reading the context */
		struct walk *w = calloc(1, sizeof *w);
		if (!w)
			abort();
		w->globals = arena_alloc(&s->arena, sizeof *w->globals * MAX_GLOBALS);
		walk_exp(w, p->point->cond);
		uses |= w->uses | KS_USES_EFFECT | KS_USES_ORDER;
		free(w);
	}
	/* sharing matters only to a handler that could be counted or run out of the records'
	   time order (and costs a walk of all) */
	if (!(uses & (KS_USES_EFFECT | KS_USES_SHARED)) && shares_globals(s, p, u))
		uses |= KS_USES_SHARED | KS_USES_ORDER;
	return uses;
}

/* Its runs are alike (nothing read of the events) and seen by no other kernel probe: how
   many there were is all that matters, not where they fell among other records. */
bool ks_countable(struct session *s, const struct dprobe *p)
{
	return p && !s->opt.unoptimized &&
	       !(ks_probe_uses(s, p) & (KS_USES_FIELDS | KS_USES_TASK | KS_USES_EFFECT | KS_USES_SHARED));
}

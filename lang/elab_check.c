/*
** Checks stap makes on resolved code before typing: assignments need an lvalue, and an
** array being iterated by foreach must not be modified in the loop, directly or by a call
** (stap's semantic_pass_symbols and mutated_var checks in elaborate.cxx).
*/
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "elab.h"
#include "session.h"

struct chk {
	struct session *s;
	struct ptrvec iter;        /* struct vardecl *: arrays being iterated, innermost last */
	struct ptrvec fn_done, fn_writes; /* per function: struct ptrvec * of globals it writes */
	int err;
	int lvalue_err;
};

static bool is_lvalue(const struct exp *e)
{
	return e && (e->kind == E_SYM || e->kind == E_INDEX || e->kind == E_TARGET ||
	             e->kind == E_CAST || e->kind == E_ATVAR || e->kind == E_DEREF ||
	             e->kind == E_REGISTER);
}

static struct ptrvec *fn_writes(struct chk *c, struct funcdecl *fd);

static void writes_exp(struct chk *c, const struct exp *e, struct ptrvec *out);

static void add_once(struct arena *a, struct ptrvec *v, void *p)
{
	for (int i = 0; i < v->n; i++)
		if (v->v[i] == p)
			return;
	ast_vec_push(a, v, p);
}

static void writes_stmt(struct chk *c, const struct stmt *st, struct ptrvec *out)
{
	if (!st)
		return;
	if (st->kind == S_DELETE && st->e && st->e->ref && st->e->ref->global)
		add_once(&c->s->script_arena, out, st->e->ref);
	writes_exp(c, st->e, out);
	writes_exp(c, st->init, out);
	writes_exp(c, st->incr, out);
	for (int i = 0; i < st->body.n; i++)
		writes_stmt(c, st->body.v[i], out);
	writes_stmt(c, st->s1, out);
	writes_stmt(c, st->s2, out);
}

static void writes_exp(struct chk *c, const struct exp *e, struct ptrvec *out)
{
	if (!e)
		return;
	if ((e->kind == E_ASSIGN || e->kind == E_PREINC || e->kind == E_POSTINC) && e->a0 &&
	    e->a0->kind == E_INDEX && e->a0->ref && e->a0->ref->global)
		add_once(&c->s->script_arena, out, e->a0->ref);
	for (int k = -1; e->fref && k < e->alts.n; k++) {
		struct ptrvec *w = fn_writes(c, k < 0 ? e->fref : e->alts.v[k]);
		for (int i = 0; w && i < w->n; i++)
			add_once(&c->s->script_arena, out, w->v[i]);
	}
	writes_exp(c, e->a0, out);
	writes_exp(c, e->a1, out);
	writes_exp(c, e->a2, out);
	for (int i = 0; i < e->args.n; i++)
		writes_exp(c, e->args.v[i], out);
}

static struct ptrvec *fn_writes(struct chk *c, struct funcdecl *fd)
{
	for (int i = 0; i < c->fn_done.n; i++)
		if (c->fn_done.v[i] == fd)
			return c->fn_writes.v[i];
	struct ptrvec *w = arena_alloc(&c->s->script_arena, sizeof *w);
	ast_vec_push(&c->s->script_arena, &c->fn_done, fd);   /* recursion sees it empty */
	ast_vec_push(&c->s->script_arena, &c->fn_writes, w);
	writes_stmt(c, fd->body, w);
	return w;
}

static bool iterated(struct chk *c, const struct vardecl *v)
{
	for (int i = 0; i < c->iter.n; i++)
		if (c->iter.v[i] == v)
			return true;
	return false;
}

static void check_exp(struct chk *c, struct exp *e);

static void check_modify(struct chk *c, struct exp *target)
{
	if (target && target->kind == E_INDEX && target->ref && iterated(c, target->ref)) {
		diag_error(&c->s->diag, "semantic", &target->pos, elab_tokdesc(c->s, target),
		           "variable '%s' modified during 'foreach' iteration", target->ref->name);
		c->err++;
	}
}

static void check_exp(struct chk *c, struct exp *e)
{
	if (!e)
		return;
	if (e->kind == E_ASSIGN || e->kind == E_PREINC || e->kind == E_POSTINC) {
		if (!is_lvalue(e->a0)) {
			const struct exp *bad = e->a0 ? e->a0 : e;
			if (c->lvalue_err++)
				return;   /* stap throws: the first one ends its optimisation pass */
			elab_error2(c->s, &e->pos, elab_tokdesc(c->s, e), &bad->pos, elab_tokdesc(c->s, bad),
			            "Expecting lvalue for assignment");
			c->err++;
			return;
		}
		check_modify(c, e->a0);
	}
	for (int a = -1; e->fref && c->iter.n && a < e->alts.n; a++) {
		struct ptrvec *w = fn_writes(c, a < 0 ? e->fref : e->alts.v[a]);
		for (int i = 0; i < c->iter.n; i++)
			for (int k = 0; w && k < w->n; k++)
				if (w->v[k] == c->iter.v[i]) {
					diag_error(&c->s->diag, "semantic", &e->pos, elab_tokdesc(c->s, e),
					           "function call modifies var '%s' during 'foreach' iteration",
					           ((struct vardecl *)c->iter.v[i])->name);
					c->err++;
				}
	}
	check_exp(c, e->a0);
	check_exp(c, e->a1);
	check_exp(c, e->a2);
	for (int i = 0; i < e->args.n; i++)
		check_exp(c, e->args.v[i]);
}

static void check_stmt(struct chk *c, struct stmt *st)
{
	if (!st)
		return;
	if (st->kind == S_DELETE)
		check_modify(c, st->e);
	check_exp(c, st->e);
	check_exp(c, st->init);
	check_exp(c, st->incr);
	check_exp(c, st->limit);
	for (int i = 0; i < st->body.n; i++)
		check_stmt(c, st->body.v[i]);
	bool pushed = st->kind == S_FOREACH && st->e && st->e->ref;
	if (pushed)
		ast_vec_push(&c->s->script_arena, &c->iter, st->e->ref);
	check_stmt(c, st->s1);
	if (pushed)
		c->iter.n--;
	check_stmt(c, st->s2);
}

int elab_checks(struct session *s)
{
	struct elab_state *es = s->elab;
	struct chk c = { .s = s };
	for (int i = 0; i < es->handlers.n; i++)
		check_stmt(&c, ((struct probe *)es->handlers.v[i])->body);
	for (int i = 0; i < es->functions.n; i++)
		check_stmt(&c, ((struct funcdecl *)es->functions.v[i])->body);
	return c.err;
}

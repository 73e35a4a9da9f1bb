/*
** Deep copies of statements, expressions and probe points: an alias expansion gets its own
** copy of the alias body and of the user's body (stap's deep_copy_visitor), because
** resolution annotates nodes in place and each expansion has its own locals.
*/
#include <string.h>

#include "arena.h"
#include "elab.h"

struct exp *elab_copy_exp(struct arena *a, const struct exp *e);

static void copy_vec_exp(struct arena *a, struct ptrvec *dst, const struct ptrvec *src)
{
	memset(dst, 0, sizeof *dst);
	for (int i = 0; i < src->n; i++)
		ast_vec_push(a, dst, elab_copy_exp(a, src->v[i]));
}

struct exp *elab_copy_exp(struct arena *a, const struct exp *e)
{
	if (!e)
		return NULL;
	struct exp *n = arena_alloc(a, sizeof *n);
	*n = *e;
	n->a0 = elab_copy_exp(a, e->a0);
	n->a1 = elab_copy_exp(a, e->a1);
	n->a2 = elab_copy_exp(a, e->a2);
	copy_vec_exp(a, &n->args, &e->args);
	n->fmt = elab_copy_exp(a, e->fmt);
	memset(&n->comps, 0, sizeof n->comps);
	for (int i = 0; i < e->comps.n; i++) {
		const struct tcomp *c = e->comps.v[i];
		struct tcomp *nc = arena_alloc(a, sizeof *nc);
		*nc = *c;
		nc->index = elab_copy_exp(a, c->index);
		ast_vec_push(a, &n->comps, nc);
	}
	n->ref = NULL;
	n->fref = NULL;
	memset(&n->alts, 0, sizeof n->alts);
	n->builtin = NULL;
	n->tvar = NULL;
	n->type = (e->kind == E_NUM) ? TY_LONG : (e->kind == E_STR) ? TY_STRING : TY_UNKNOWN;
	return n;
}

struct stmt *elab_copy_stmt(struct arena *a, const struct stmt *s)
{
	if (!s)
		return NULL;
	struct stmt *n = arena_alloc(a, sizeof *n);
	*n = *s;
	n->e = elab_copy_exp(a, s->e);
	n->init = elab_copy_exp(a, s->init);
	n->incr = elab_copy_exp(a, s->incr);
	n->s1 = elab_copy_stmt(a, s->s1);
	n->s2 = elab_copy_stmt(a, s->s2);
	memset(&n->body, 0, sizeof n->body);
	for (int i = 0; i < s->body.n; i++)
		ast_vec_push(a, &n->body, elab_copy_stmt(a, s->body.v[i]));
	copy_vec_exp(a, &n->keys, &s->keys);
	n->value = elab_copy_exp(a, s->value);
	n->limit = elab_copy_exp(a, s->limit);
	n->catch_sym = elab_copy_exp(a, s->catch_sym);
	copy_vec_exp(a, &n->slice, &s->slice);
	n->catch_var = NULL;
	return n;
}

struct probe_point *elab_copy_point(struct arena *a, const struct probe_point *p)
{
	struct probe_point *n = arena_alloc(a, sizeof *n);
	*n = *p;
	memset(&n->comps, 0, sizeof n->comps);
	for (int i = 0; i < p->comps.n; i++) {
		struct ppcomp *c = arena_alloc(a, sizeof *c);
		*c = *(const struct ppcomp *)p->comps.v[i];
		ast_vec_push(a, &n->comps, c);
	}
	n->cond = elab_copy_exp(a, p->cond);
	return n;
}

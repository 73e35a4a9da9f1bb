/*
** stap's pass-2 optimisations that change what -p2 shows and what runs: unused functions,
** variables and empty probes are elided, with stap's warnings for what the user wrote.
*/
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "elab.h"
#include "session.h"

struct use {
	struct ptrvec seen_fns;     /* struct funcdecl * reached from a probe */
	struct ptrvec vars;         /* struct vardecl * referenced anywhere reachable */
	struct arena *a;
};

static bool has(struct ptrvec *v, const void *p)
{
	for (int i = 0; i < v->n; i++)
		if (v->v[i] == p)
			return true;
	return false;
}

static void use_stmt(struct use *u, struct stmt *st);

static void use_exp(struct use *u, struct exp *e)
{
	if (!e)
		return;
	if (e->ref && !has(&u->vars, e->ref))
		ast_vec_push(u->a, &u->vars, e->ref);
	if (e->fref && !has(&u->seen_fns, e->fref)) {
		ast_vec_push(u->a, &u->seen_fns, e->fref);
		use_stmt(u, e->fref->body);
	}
	use_exp(u, e->a0);
	use_exp(u, e->a1);
	use_exp(u, e->a2);
	for (int i = 0; i < e->args.n; i++)
		use_exp(u, e->args.v[i]);
	for (int i = 0; i < e->comps.n; i++) {
		struct tcomp *tc = e->comps.v[i];
		if (tc->kind == COMP_INDEX_EXP)
			use_exp(u, tc->index);
	}
}

static void use_stmt(struct use *u, struct stmt *st)
{
	if (!st)
		return;
	use_exp(u, st->e);
	use_exp(u, st->init);
	use_exp(u, st->incr);
	for (int i = 0; i < st->keys.n; i++)
		use_exp(u, st->keys.v[i]);
	use_exp(u, st->value);
	use_exp(u, st->limit);
	if (st->catch_var && !has(&u->vars, st->catch_var))
		ast_vec_push(u->a, &u->vars, st->catch_var);
	for (int i = 0; i < st->body.n; i++)
		use_stmt(u, st->body.v[i]);
	use_stmt(u, st->s1);
	use_stmt(u, st->s2);
}

static bool user_pos(struct session *s, const struct srcpos *pos)
{
	return pos->file && pos->file == s->elab->user->src;
}

static bool empty_stmt(const struct stmt *st)
{
	if (!st || st->kind == S_NULL)
		return true;
	if (st->kind != S_BLOCK)
		return false;
	for (int i = 0; i < st->body.n; i++)
		if (!empty_stmt(st->body.v[i]))
			return false;
	return true;
}

static void elide_locals(struct session *s, struct use *u, struct ptrvec *locals)
{
	int k = 0;
	for (int i = 0; i < locals->n; i++) {
		struct vardecl *v = locals->v[i];
		if (has(&u->vars, v)) {
			locals->v[k++] = v;
			continue;
		}
		if (user_pos(s, &v->pos))
			diag_warn_tok(&s->diag, &v->pos, elab_vardesc(s, v), "Eliding unused variable '%s'", v->name);
	}
	locals->n = k;
}

void elab_optimize(struct session *s)
{
	struct elab_state *es = s->elab;
	struct use u = { {0}, {0}, &s->script_arena };
	/* empty probes go first (stap elides them when grouping, warning per probe) */
	int k = 0;
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *dp = s->probes[i];
		if (empty_stmt(dp->src->body) && !(dp->point && dp->point->cond)) {
			struct ppcomp *c0 = dp->point && dp->point->comps.n ? dp->point->comps.v[0] : NULL;
			struct probe *user = dp->src;
			while (user->base)
				user = user->base;
			if (c0 && user->pos.file == es->user->src)
				diag_warn_tok(&s->diag, &user->pos, "keyword", "Probe '%s' has been elided", c0->functor);
			continue;
		}
		dp->index = k;
		s->probes[k++] = dp;
	}
	s->nprobes = k;
	k = 0;
	for (int i = 0; i < es->handlers.n; i++) {
		struct probe *h = es->handlers.v[i];
		bool live = false;
		for (int j = 0; j < s->nprobes && !live; j++)
			live = s->probes[j]->src == h;
		if (live)
			es->handlers.v[k++] = h;
	}
	es->handlers.n = k;

	for (int i = 0; i < es->handlers.n; i++)
		use_stmt(&u, ((struct probe *)es->handlers.v[i])->body);
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->point)
			use_exp(&u, s->probes[i]->point->cond);
	/* functions */
	k = 0;
	for (int i = 0; i < es->functions.n; i++) {
		struct funcdecl *fd = es->functions.v[i];
		if (has(&u.seen_fns, fd)) {
			es->functions.v[k++] = fd;
			continue;
		}
		fd->used = false;
		if (!fd->from_tapset)
			diag_warn_tok(&s->diag, &fd->pos, elab_tokdesc(s, &(struct exp){ .kind = E_SYM, .str = fd->name }),
			              "Eliding unused function '%s'", fd->name);
	}
	es->functions.n = k;
	for (int i = 0; i < es->handlers.n; i++)
		elide_locals(s, &u, &((struct probe *)es->handlers.v[i])->locals);
	for (int i = 0; i < es->functions.n; i++)
		elide_locals(s, &u, &((struct funcdecl *)es->functions.v[i])->locals);
	/* globals */
	k = 0;
	for (int i = 0; i < es->globals.n; i++) {
		struct vardecl *v = es->globals.v[i];
		if (has(&u.vars, v)) {
			es->globals.v[k++] = v;
			continue;
		}
		v->used = false;
		if (user_pos(s, &v->pos))
			diag_warn_tok(&s->diag, &v->pos, elab_vardesc(s, v), "Eliding unused variable '%s'", v->name);
	}
	es->globals.n = k;
}

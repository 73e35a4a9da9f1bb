/*
** Statements to bytecode: control flow with patched forward jumps, loops whose back edge
** also counts the iteration's actions (LOOP), foreach over a map's entries, try/catch.
*/
#include <string.h>

#include "arena.h"
#include "comp_int.h"
#include "map.h"
#include "session.h"

static void jl_add(struct fstate *fs, struct jlist *jl, int word, const struct srcpos *pos)
{
	if (!jl) {
		comp_err(fs, pos, "break or continue outside a loop");
		return;
	}
	if (jl->n == (int)(sizeof jl->words / sizeof jl->words[0])) {
		comp_err(fs, pos, "too many break/continue statements in one loop");
		return;
	}
	jl->words[jl->n++] = word;
}

static void jl_patch(struct fstate *fs, struct jlist *jl, int target)
{
	for (int i = 0; i < jl->n; i++)
		comp_patch(fs, jl->words[i], target);
}

/* The loop test: JGELI for `local < literal`, else the general form. Returns the word
   to patch with the loop's exit. */
static int loop_test(struct fstate *fs, struct exp *c)
{
	if (c->kind == E_COMPARE && strcmp(c->op, "<") == 0 && c->a0->kind == E_SYM &&
	    c->a0->ref && !c->a0->ref->global && c->a0->type == TY_LONG &&
	    c->a1->kind == E_NUM && c->a1->num >= INT32_MIN && c->a1->num <= INT32_MAX) {
		comp_flush(fs);
		int at = E3(fs, OP_JGELI, 0, c->a0->ref->slot, (int)c->a1->num, 0);
		return at + 3;
	}
	comp_exp(fs, c);
	return comp_jump(fs, OP_JZ, -1);
}

/* body of a loop; 'top' is the back edge's target, 'step' (may be NULL) the for-increment */
static void loop_body(struct fstate *fs, struct stmt *body, struct exp *step, int top, int exitw,
		      const struct srcpos *pos)
{
	struct jlist brk = { .outer = fs->brk, .trydepth = fs->trydepth },
		     cont = { .outer = fs->cont, .trydepth = fs->trydepth };
	fs->brk = &brk;
	fs->cont = &cont;
	comp_stmt(fs, body);
	fs->brk = brk.outer;
	fs->cont = cont.outer;
	/* without a continue, the body's pending actions ride on the back edge */
	int contl = cont.n ? comp_label(fs) : fs->n;
	fs->cur = pos;
	if (step) {
		fs->ntemp = 0;
		comp_exp_effect(fs, step);
	}
	fs->actions++;
	E2(fs, OP_LOOP, 0, fs->actions, top);
	fs->actions = 0;
	int end = comp_label(fs);
	jl_patch(fs, &cont, contl);
	jl_patch(fs, &brk, end);
	if (exitw >= 0)
		comp_patch(fs, exitw, end);
}

static void s_if(struct fstate *fs, struct stmt *s)
{
	comp_exp(fs, s->e);
	int jelse = comp_jump(fs, OP_JZ, -1);
	comp_stmt(fs, s->s1);
	if (s->s2) {
		int jend = comp_jump(fs, OP_JMP, 0);
		comp_patch_here(fs, jelse);
		comp_stmt(fs, s->s2);
		comp_patch_here(fs, jend);
	} else {
		comp_patch_here(fs, jelse);
	}
}

static void s_while(struct fstate *fs, struct stmt *s)
{
	int top = comp_label(fs);
	int exitw = loop_test(fs, s->e);
	loop_body(fs, s->s1, NULL, top, exitw, &s->pos);
}

static void s_for(struct fstate *fs, struct stmt *s)
{
	if (s->init) {   /* stap's for-init is an expression statement: one action */
		fs->actions++;
		comp_exp_effect(fs, s->init);
	}
	int top = comp_label(fs);
	int exitw = -1;
	if (s->e) {
		fs->ntemp = 0;
		exitw = loop_test(fs, s->e);
	}
	loop_body(fs, s->s1, s->incr, top, exitw, &s->pos);
}

static void bind(struct fstate *fs, struct exp *var)
{
	if (var->kind != E_SYM || !var->ref) {
		comp_err(fs, &var->pos, "foreach variables must be plain names");
		return;
	}
	comp_store_var(fs, var->ref);
}

static void s_hist_foreach(struct fstate *fs, struct stmt *s)
{
	int top, exitw[3];
	comp_hist_foreach(fs, s, &top, exitw);
	struct jlist brk = { .outer = fs->brk, .trydepth = fs->trydepth },
		     cont = { .outer = fs->cont, .trydepth = fs->trydepth };
	fs->brk = &brk;
	fs->cont = &cont;
	comp_stmt(fs, s->s1);
	fs->brk = brk.outer;
	fs->cont = cont.outer;
	int contl = comp_label(fs);
	fs->cur = &s->pos;
	E2(fs, OP_ADDLI, 0, exitw[2], 1);
	E2(fs, OP_LOOP, 0, 1, top);
	int end = comp_label(fs);
	jl_patch(fs, &cont, contl);
	jl_patch(fs, &brk, end);
	comp_patch(fs, exitw[0], end);
	comp_patch(fs, exitw[1], end);
}

static void s_foreach(struct fstate *fs, struct stmt *s)
{
	struct exp *arr = s->e;
	if (arr->kind == E_HIST) {
		s_hist_foreach(fs, s);
		return;
	}
	/* foreach (k in a[x, *]): a slice, NULL args being the '*' columns */
	struct ptrvec *slice = s->slice.n ? &s->slice : NULL;
	if (arr->kind == E_INDEX) {
		slice = &arr->args;
		arr = arr->a0;
	}
	struct vardecl *v = arr->ref;
	if (arr->kind != E_SYM || !v || !v->global || v->arity <= 0) {
		comp_err(fs, &arr->pos, "foreach needs a global array");
		return;
	}
	int g = comp_global(fs->C, v);
	int sslot[MAP_MAXKEYS];
	for (int i = 0; slice && i < slice->n && i < MAP_MAXKEYS; i++) {
		struct exp *x = slice->v[i];
		if (!x)
			continue;
		comp_exp(fs, x);
		sslot[i] = comp_slot(fs, comp_is_string(x));
		E1(fs, comp_is_string(x) ? OP_STORELS : OP_STOREL, -1, sslot[i]);
	}
	fs->C->sc->globals[g].read = true;
	int it = comp_slot(fs, false);
	comp_slot(fs, false);
	comp_slot(fs, false);
	int c = 0;
	if (s->sort_dir) {
		/* sort_key: 1..n a key column; 0 (or -1) the value */
		c = s->sort_key > 0 ? s->sort_key : ITER_VALCOL;
		if (s->sort_dir < 0)
			c |= ITER_DESC;
		int agg = s->sort_aggr ? stat_op_from_name(s->sort_aggr) : -1;
		if (agg >= 0)
			c |= (agg + 1) << ITER_AGG_SHIFT;
	}
	if (s->limit) {
		comp_exp(fs, s->limit);
		c |= ITER_LIMIT;
	}
	E3(fs, OP_ITER, s->limit ? -1 : 0, g, it, c);
	int top = comp_label(fs);
	int exitw = E2(fs, OP_ITTEST, 0, it, 0) + 2;
	int skips[MAP_MAXKEYS], nskips = 0;
	for (int i = 0; slice && i < slice->n && i < MAP_MAXKEYS; i++) {
		struct exp *x = slice->v[i];
		if (!x)
			continue;
		E2(fs, OP_ITKEY, 1, it, i);
		E1(fs, OP_LOADL, 1, sslot[i]);
		if (comp_is_string(x))
			E1(fs, OP_SCMP, -1, 4);
		else
			E0(fs, OP_EQ, -1);
		skips[nskips++] = comp_jump(fs, OP_JZ, -1);
	}
	if (s->limit)
		E1(fs, OP_ITCOUNT, 0, it);
	for (int i = 0; i < s->keys.n; i++) {
		E2(fs, OP_ITKEY, 1, it, i);
		bind(fs, s->keys.v[i]);
	}
	if (s->value) {
		fs->ntemp = 0;
		E2(fs, OP_ITVAL, 1, it, comp_is_string(s->value) ? comp_temp(fs) : -1);
		bind(fs, s->value);
	}
	/* the continue label must advance: route continue through ITADV */
	struct jlist brk = { .outer = fs->brk, .trydepth = fs->trydepth },
		     cont = { .outer = fs->cont, .trydepth = fs->trydepth };
	fs->brk = &brk;
	fs->cont = &cont;
	comp_stmt(fs, s->s1);
	fs->brk = brk.outer;
	fs->cont = cont.outer;
	int contl = comp_label(fs);
	fs->cur = &s->pos;
	E1(fs, OP_ITADV, 0, it);
	fs->actions++;
	E2(fs, OP_LOOP, 0, fs->actions, top);
	fs->actions = 0;
	int end = comp_label(fs);
	jl_patch(fs, &cont, contl);
	jl_patch(fs, &brk, end);
	comp_patch(fs, exitw, end);
	for (int i = 0; i < nskips; i++)
		comp_patch(fs, skips[i], contl);
}

static void s_delete(struct fstate *fs, struct stmt *s)
{
	struct exp *e = s->e;
	if (!e) {
		comp_err(fs, &s->pos, "delete * is not supported");
		return;
	}
	if (e->kind == E_INDEX) {
		int g = comp_global(fs->C, e->a0->ref);
		fs->C->sc->globals[g].read = true;   /* stap: delete is a use, not a write */
				int n = e->args.n;
		bool slice = false;
		for (int i = 0; i < n; i++)
			slice |= !e->args.v[i];
		if (slice) {
			int mask = comp_slice(fs, &e->args, &n);
			E3(fs, OP_ADELS, -n, g, n, mask);
			return;
		}
		for (int i = 0; i < n; i++)
			comp_exp(fs, e->args.v[i]);
		E2(fs, OP_ADEL, -n, g, n);
		return;
	}
	if (e->kind != E_SYM || !e->ref) {
		comp_err(fs, &e->pos, "cannot delete this expression");
		return;
	}
	struct vardecl *v = e->ref;
	if (v->global) {
		int g = comp_global(fs->C, v);
		fs->C->sc->globals[g].read = true;
		E1(fs, OP_ACLEAR, 0, g);
		return;
	}
	if (v->type == TY_STRING)
		E1(fs, OP_PUSHS, 1, comp_str(fs->C->sc, ""));
	else
		comp_push_long(fs, 0);
	comp_store_var(fs, v);
}

static void s_try(struct fstate *fs, struct stmt *s)
{
	int jcatch = comp_jump(fs, OP_TRY, 0);
	fs->trydepth++;
	comp_stmt(fs, s->s1);
	fs->trydepth--;
	comp_flush(fs);
	E0(fs, OP_ENDTRY, 0);
	int jend = comp_jump(fs, OP_JMP, 0);
	comp_patch_here(fs, jcatch);
	if (s->catch_var) {
		fs->ntemp = 0;
		E1(fs, OP_CATCHMSG, 1, comp_temp(fs));
		comp_store_var(fs, s->catch_var);
	}
	if (s->s2)
		comp_stmt(fs, s->s2);
	comp_patch_here(fs, jend);
}

void comp_stmt(struct fstate *fs, struct stmt *s)
{
	if (!s)
		return;
	fs->cur = &s->pos;
	fs->ntemp = 0;
	switch (s->kind) {
	case S_BLOCK:
		for (int i = 0; i < s->body.n; i++)
			comp_stmt(fs, s->body.v[i]);
		return;
	case S_NULL:
		return;
	case S_EXPR:
		fs->actions++;
		comp_exp_effect(fs, s->e);
		break;
	case S_IF:
		fs->actions++;
		s_if(fs, s);
		break;
	case S_WHILE:
		fs->actions++;
		s_while(fs, s);
		break;
	case S_FOR:
		fs->actions++;
		s_for(fs, s);
		break;
	case S_FOREACH:
		fs->actions++;
		s_foreach(fs, s);
		break;
	case S_RETURN:
		fs->actions++;
		if (s->e && (s->e->type == TY_LONG || s->e->type == TY_STRING)) {
			comp_exp(fs, s->e);
			comp_flush(fs);
			E0(fs, fs->p->fn ? OP_RETV : OP_HALT, -1);
		} else {
			if (s->e)
				comp_exp_effect(fs, s->e);
			comp_flush(fs);
			E0(fs, fs->p->fn ? OP_RET : OP_HALT, 0);
		}
		break;
	case S_DELETE:
		fs->actions++;
		s_delete(fs, s);
		break;
	case S_NEXT:
		fs->actions++;
		comp_flush(fs);
		E0(fs, fs->p->fn ? OP_NEXTRET : OP_EXIT, 0);
		break;
	case S_BREAK:
	case S_CONTINUE: {
		struct jlist *jl = s->kind == S_BREAK ? fs->brk : fs->cont;
		comp_flush(fs);
		for (int i = jl ? jl->trydepth : fs->trydepth; i < fs->trydepth; i++)
			E0(fs, OP_ENDTRY, 0);
		jl_add(fs, jl, comp_jump(fs, OP_JMP, 0), &s->pos);
		break;
	}
	case S_TRY:
		fs->actions++;
		s_try(fs, s);
		break;
	case S_EMBEDDED:
		comp_err(fs, &s->pos, "embedded code is not supported by ustap");
		break;
	default:
		comp_err(fs, &s->pos, "unsupported statement");
	}
	fs->ntemp = 0;
}

/*
** The compiler: typed AST to stack bytecode, one proto per function and probe handler.
** Types were inferred by elaboration, so each node picks a long or a string opcode here;
** string temporaries get per-statement buffer indexes, MAXACTION counts are batched per
** straight-line run (as stap's record_actions does) and flushed at every branch.
*/
#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "builtins.h"
#include "comp_int.h"
#include "diag.h"
#include "session.h"

const struct opinfo op_info[OP__COUNT] = {
#define OPDEF_INFO(name, ops, eff, doc) { #name, ops, eff, doc },
	OPCODES(OPDEF_INFO)
#undef OPDEF_INFO
};

/* ---- emission ---- */

static void grow(struct fstate *fs, int n)
{
	if (fs->n + n <= fs->cap)
		return;
	int cap = fs->cap ? fs->cap * 2 : 256;
	while (cap < fs->n + n)
		cap *= 2;
	fs->code = realloc(fs->code, (size_t)cap * sizeof *fs->code);
	fs->pos = realloc(fs->pos, (size_t)cap * sizeof *fs->pos);
	if (!fs->code || !fs->pos)
		abort();
	fs->cap = cap;
}

void comp_depth(struct fstate *fs, int delta)
{
	fs->depth += delta;
	assert(fs->depth >= 0);
	if (fs->depth > fs->maxdepth)
		fs->maxdepth = fs->depth;
}

/* Emit op with up to 4 operands; delta is its stack effect. Returns the op's index. */
int comp_emit(struct fstate *fs, enum opcode op, int delta, int nops, int a, int b, int c, int d)
{
	int at = fs->n;
	int ops[4] = { a, b, c, d };
	assert(nops == (int)strlen(op_info[op].operands));
	grow(fs, 1 + nops);
	fs->pos[fs->n] = fs->cur;
	fs->code[fs->n++] = (uint32_t)op;
	for (int i = 0; i < nops; i++) {
		fs->pos[fs->n] = NULL;
		fs->code[fs->n++] = (uint32_t)ops[i];
	}
	comp_depth(fs, delta);
	return at;
}

/* Flush the pending MAXACTION count: before any branch, label or exit. */
void comp_flush(struct fstate *fs)
{
	if (fs->actions > 0)
		E1(fs, OP_ACT, 0, fs->actions);
	fs->actions = 0;
}

int comp_label(struct fstate *fs)
{
	comp_flush(fs);
	return fs->n;
}

/* A forward jump: returns the index of its target word, to patch. */
int comp_jump(struct fstate *fs, enum opcode op, int delta)
{
	comp_flush(fs);
	int at = E1(fs, op, delta, 0);
	return at + 1;
}

void comp_patch(struct fstate *fs, int word, int target)
{
	fs->code[word] = (uint32_t)target;
}

void comp_patch_here(struct fstate *fs, int word)
{
	comp_patch(fs, word, comp_label(fs));
}

/* ---- tables ---- */

#define PUSHTAB(arr, n, cap, v) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 16; \
		(arr) = realloc((arr), (size_t)(cap) * sizeof *(arr)); \
		if (!(arr)) abort(); \
	} \
	(arr)[(n)++] = (v); \
} while (0)

int comp_const(struct script *sc, int64_t v)
{
	for (int i = 0; i < sc->nk; i++)
		if (sc->k[i] == v)
			return i;
	PUSHTAB(sc->k, sc->nk, sc->k_cap, v);
	return sc->nk - 1;
}

int comp_str(struct script *sc, const char *s)
{
	for (int i = 0; i < sc->nstr; i++)
		if (strcmp(sc->str[i], s) == 0)
			return i;
	PUSHTAB(sc->str, sc->nstr, sc->str_cap, s);
	return sc->nstr - 1;
}

int comp_builtin(struct script *sc, const struct builtin *b)
{
	for (int i = 0; i < sc->nbi; i++)
		if (sc->bi[i] == b)
			return i;
	PUSHTAB(sc->bi, sc->nbi, sc->bi_cap, b);
	return sc->nbi - 1;
}

int comp_fmt(struct script *sc, void *f)
{
	PUSHTAB(sc->fmt, sc->nfmt, sc->fmt_cap, f);
	return sc->nfmt - 1;
}

int comp_regex(struct script *sc, void *r)
{
	PUSHTAB(sc->re, sc->nre, sc->re_cap, r);
	return sc->nre - 1;
}

/* The global's index, registering it on first use. */
int comp_global(struct comp *C, struct vardecl *v)
{
	struct script *sc = C->sc;
	for (int i = 0; i < sc->nglobals; i++)
		if (sc->globals[i].decl == v)
			return i;
	if (sc->nglobals == C->gcap) {
		C->gcap = C->gcap ? C->gcap * 2 : 16;
		sc->globals = realloc(sc->globals, (size_t)C->gcap * sizeof *sc->globals);
		if (!sc->globals)
			abort();
	}
	struct gvar *g = &sc->globals[sc->nglobals];
	memset(g, 0, sizeof *g);
	g->decl = v;
	if (v->arity > 0)
		g->kind = v->type == TY_STATS ? G_STATMAP : G_MAP;
	else if (v->type == TY_STATS)
		g->kind = G_STATS;
	else if (v->type == TY_STRING)
		g->kind = G_STRING;
	else
		g->kind = G_LONG;
	stat_spec_init(&g->spec, HIST_NONE, 0, 0, 0, NULL, 0);
	v->slot = sc->nglobals;
	return sc->nglobals++;
}

/* The proto of a script function, queued for compilation on first use. */
int comp_func(struct comp *C, struct funcdecl *fd)
{
	struct script *sc = C->sc;
	for (int i = 0; i < sc->nfuncs; i++)
		if (sc->funcs[i]->fn == fd)
			return i;
	struct proto *p = arena_alloc(&C->s->script_arena, sizeof *p);
	p->fn = fd;
	p->name = fd->name;
	p->ret = fd->type;
	PUSHTAB(sc->funcs, sc->nfuncs, sc->funcs_cap, p);
	fd->slot = sc->nfuncs - 1;
	return sc->nfuncs - 1;
}

/* ---- slots ---- */

int comp_slot(struct fstate *fs, bool owns_string)
{
	if (fs->nslots == fs->slotcap) {
		fs->slotcap = fs->slotcap ? fs->slotcap * 2 : 16;
		fs->strslot = realloc(fs->strslot, (size_t)fs->slotcap);
		if (!fs->strslot)
			abort();
	}
	fs->strslot[fs->nslots] = owns_string;
	if (owns_string)
		fs->nstrlocal++;
	return fs->nslots++;
}

int comp_temp(struct fstate *fs)
{
	int t = fs->ntemp++;
	if (fs->ntemp > fs->maxtemp)
		fs->maxtemp = fs->ntemp;
	return t;
}

static void declare_locals(struct fstate *fs, struct ptrvec *v)
{
	for (int i = 0; i < v->n; i++) {
		struct vardecl *d = v->v[i];
		d->slot = comp_slot(fs, d->type == TY_STRING);
	}
}

/* ---- protos ---- */

static void finish_proto(struct fstate *fs, struct proto *p)
{
	struct arena *A = &fs->C->s->script_arena;
	p->ncode = fs->n;
	p->code = arena_alloc(A, (size_t)fs->n * sizeof *p->code);
	memcpy(p->code, fs->code, (size_t)fs->n * sizeof *p->code);
	p->pos = arena_alloc(A, (size_t)fs->n * sizeof *p->pos);
	memcpy(p->pos, fs->pos, (size_t)fs->n * sizeof *p->pos);
	p->nlocals = fs->nslots;
	p->strslot = arena_alloc(A, (size_t)fs->nslots + 1);
	if (fs->nslots)   /* memcpy from NULL, even of 0 bytes, is undefined (UBSan) */
		memcpy(p->strslot, fs->strslot, (size_t)fs->nslots);
	p->nstrlocal = fs->nstrlocal;
	p->ntemps = fs->maxtemp;
	p->maxstack = fs->maxdepth + 4;
	p->compiled = true;
	free(fs->code);
	free(fs->pos);
	free(fs->strslot);
}

/* String slots must come first in buffer order: a slot's buffer is its rank among strings. */
static int compile_body(struct comp *C, struct proto *p, struct ptrvec *params,
			struct ptrvec *locals, struct stmt *body, const struct srcpos *pos,
			struct exp *cond)
{
	struct fstate fs = { .C = C, .p = p, .cur = pos };
	if (params)
		declare_locals(&fs, params);
	p->nparams = fs.nslots;
	declare_locals(&fs, locals);
	fs.fixed_str = fs.nstrlocal;
	int skip = -1;
	if (cond) {
		/* probe point if (cond): the handler runs only while cond holds */
		comp_exp(&fs, cond);
		skip = comp_jump(&fs, OP_JZ, -1);
	}
	comp_stmt(&fs, body);
	if (skip >= 0)
		comp_patch_here(&fs, skip);
	comp_flush(&fs);
	fs.cur = pos;
	E0(&fs, p->fn ? OP_RET : OP_HALT, 0);
	finish_proto(&fs, p);
	return C->errors ? -1 : 0;
}

static int compile_func(struct comp *C, struct proto *p)
{
	struct funcdecl *fd = p->fn;
	if (fd->embedded || (fd->body && fd->body->kind == S_EMBEDDED)) {
		diag_error(&C->s->diag, "semantic", &fd->pos, NULL,
			   "embedded code is not supported by ustap in function '%s'", fd->name);
		C->errors++;
		return -1;
	}
	return compile_body(C, p, &fd->params, &fd->locals, fd->body, &fd->pos, NULL);
}

/* The entry snippet of a .return handler: evaluate each @entry operand, store it in slot k. */
static struct proto *compile_entry(struct comp *C, struct probe *pr, const char *name)
{
	struct proto *p = arena_alloc(&C->s->script_arena, sizeof *p);
	p->probe = NULL;        /* E_ENTRY inside compiles as the operand itself */
	p->name = arena_printf(&C->s->script_arena, "%s (entry)", name);
	p->ret = TY_VOID;
	struct fstate fs = { .C = C, .p = p, .cur = &pr->pos };
	declare_locals(&fs, &pr->locals);
	fs.fixed_str = fs.nstrlocal;
	for (int k = 0; k < pr->entries.n; k++) {
		struct exp *e = pr->entries.v[k];
		comp_exp(&fs, e->a0);
		fs.cur = &e->pos;
		E2(&fs, OP_ENTRYSET, -1, k, e->type == TY_STRING);
		comp_flush(&fs);
	}
	fs.cur = &pr->pos;
	E0(&fs, OP_HALT, 0);
	finish_proto(&fs, p);
	return p;
}

static struct proto *compile_probe(struct comp *C, struct probe *pr, const char *name,
				   struct exp *cond)
{
	for (int i = 0; i < C->nprobes; i++)
		if (C->probes[i]->probe == pr && C->probes[i]->cond == cond)
			return C->probes[i];
	struct proto *p = arena_alloc(&C->s->script_arena, sizeof *p);
	p->probe = pr;
	p->name = name;
	p->ret = TY_VOID;
	PUSHTAB(C->probes, C->nprobes, C->probes_cap, p);
	p->cond = cond;
	compile_body(C, p, NULL, &pr->locals, pr->body, &pr->pos, cond);
	return p;
}

int comp_script(struct session *s, struct ptrvec *files)
{
	struct script *sc = s->script;
	if (!sc) {
		sc = arena_alloc(&s->script_arena, sizeof *sc);
		s->script = sc;
	}
	sc->sess = s;
	if (files)
		sc->files = *files;
	struct comp C = { .s = s, .sc = sc };
	sc->nbyprobe = s->nprobes;
	sc->byprobe = arena_alloc(&s->script_arena, (size_t)(s->nprobes + 1) * sizeof *sc->byprobe);
	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *dp = s->probes[i];
		sc->byprobe[i] = compile_probe(&C, dp->src, dp->pp, dp->point ? dp->point->cond : NULL);
		if (dp->entry_snippet && dp->src->entries.n) {
			if (!sc->byentry)
				sc->byentry = arena_alloc(&s->script_arena,
				                          (size_t)(s->nprobes + 1) * sizeof *sc->byentry);
			for (int j = 0; j < i && !sc->byentry[i]; j++)
				if (s->probes[j]->src == dp->src)
					sc->byentry[i] = sc->byentry[j];
			if (!sc->byentry[i])
				sc->byentry[i] = compile_entry(&C, dp->src, dp->pp);
		}
	}
	/* functions queue themselves while their callers compile */
	for (int i = 0; i < sc->nfuncs; i++)
		if (!sc->funcs[i]->compiled)
			compile_func(&C, sc->funcs[i]);
	free(C.probes);
	return C.errors ? -1 : 0;
}

/* ---- -p3 listing ---- */

void comp_list_proto(struct strbuf *out, const struct script *sc, const struct proto *p)
{
	sb_printf(out, "%s %s: params %d, slots %d, strings %d+%d, stack %d\n",
		  p->fn ? "function" : "probe", p->name, p->nparams, p->nlocals, p->nstrlocal,
		  p->ntemps, p->maxstack);
	for (int pc = 0; pc < p->ncode;) {
		enum opcode op = (enum opcode)p->code[pc];
		const struct opinfo *oi = &op_info[op];
		sb_printf(out, "  %4d  %-8s", pc, oi->name);
		int nops = (int)strlen(oi->operands);
		for (int i = 0; i < nops; i++)
			sb_printf(out, " %d", (int32_t)p->code[pc + 1 + i]);
		for (int i = 0; i < nops; i++) {
			int v = (int32_t)p->code[pc + 1 + i];
			char kind = oi->operands[i];
			if (kind == 'k' && v < sc->nk)
				sb_printf(out, "\t; %lld", (long long)sc->k[v]);
			else if (kind == 's' && v < sc->nstr)
				sb_printf(out, "\t; \"%s\"", sc->str[v]);
			else if (kind == 'f' && v < sc->nfuncs)
				sb_printf(out, "\t; %s", sc->funcs[v]->name);
			else if (kind == 'g' && v < sc->nglobals)
				sb_printf(out, "\t; %s", sc->globals[v].decl->name);
			else if (kind == 'b' && v < sc->nbi)
				sb_printf(out, "\t; %s", sc->bi[v]->name);
		}
		sb_putc(out, '\n');
		pc += 1 + nops;
	}
}

void comp_list(struct strbuf *out, const struct script *sc)
{
	for (int i = 0; i < sc->nglobals; i++) {
		static const char *const kinds[] = { "long", "string", "array", "stats", "stats array" };
		sb_printf(out, "global %d %s: %s\n", i, sc->globals[i].decl->name,
			  kinds[sc->globals[i].kind]);
	}
	struct proto *seen[256];
	int nseen = 0;
	for (int i = 0; i < sc->nbyprobe; i++) {
		struct proto *p = sc->byprobe[i];
		bool dup = false;
		for (int j = 0; j < nseen; j++)
			dup |= seen[j] == p;
		if (dup)
			continue;
		if (nseen < 256)
			seen[nseen++] = p;
		comp_list_proto(out, sc, p);
	}
	for (int i = 0; i < sc->nfuncs; i++)
		comp_list_proto(out, sc, sc->funcs[i]);
}

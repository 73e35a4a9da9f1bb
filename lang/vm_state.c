/*
** The VM's per-session memory: stacks, frames and string buffers sized once from the
** compiled protos and the limits, global storage, and stap's soft-error text.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "map.h"
#include "session.h"
#include "stats.h"
#include "vm.h"

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		abort();
	return p;
}

/* -D NAME=VAL given on the command line? */
static bool defined(struct session *s, const char *name, int64_t *val)
{
	size_t n = strlen(name);
	for (int i = 0; i < s->opt.ndefines; i++) {
		const char *d = s->opt.defines[i];
		if (strncmp(d, name, n) == 0 && (d[n] == 0 || d[n] == '=')) {
			if (val)
				*val = d[n] == '=' ? strtoll(d + n + 1, NULL, 0) : 1;
			return true;
		}
	}
	return false;
}

/* stap's default MAXNESTING: the deepest call chain + 1, + 10 when recursive
   (translate.cxx recursion_info). */
static void nesting(const struct script *sc, const struct proto *p, const struct proto **chain,
		    int n, int *max, bool *rec)
{
	for (int pc = 0; pc < p->ncode; pc += 1 + (int)strlen(op_info[p->code[pc]].operands)) {
		if (p->code[pc] == OP_BICALL && n + 1 > *max)
			*max = n + 1;   /* a library function: one more frame in stap */
		if (p->code[pc] != OP_CALL)
			continue;
		const struct proto *f = sc->funcs[p->code[pc + 1]];
		if (n + 1 > *max)
			*max = n + 1;
		bool seen = false;
		for (int i = 0; i < n; i++)
			seen |= chain[i] == f;
		if (seen || n >= 255) {
			*rec = true;
			continue;
		}
		chain[n] = f;
		nesting(sc, f, chain, n + 1, max, rec);
	}
}

static int64_t default_nesting(const struct script *sc)
{
	int max = 0;
	bool rec = false;
	const struct proto *chain[256];
	for (int i = 0; i < sc->nbyprobe; i++)
		nesting(sc, sc->byprobe[i], chain, 0, &max, &rec);
	return max + 1 + (rec ? 10 : 0);
}

static void keysig(const struct vardecl *d, char *out)
{
	int n = d->arity > 0 ? d->arity : 1;
	if (n > MAP_MAXKEYS)
		n = MAP_MAXKEYS;
	for (int i = 0; i < n; i++)
		out[i] = d->index_types[i] == TY_STRING ? 's' : 'l';
	out[n] = 0;
}

static void init_globals(struct vm *vm, struct script *sc, struct session *s)
{
	vm->gv = xcalloc((size_t)sc->nglobals + 1, sizeof *vm->gv);
	for (int i = 0; i < sc->nglobals; i++) {
		struct gvar *g = &sc->globals[i];
		struct vardecl *d = g->decl;
		union val *v = &vm->gv[i];
		char sig[MAP_MAXKEYS + 1];
		switch (g->kind) {
		case G_LONG:
			v->l = d->init && d->init->kind == E_NUM ? d->init->num : 0;
			break;
		case G_STRING:
			v->p = xcalloc(1, (size_t)vm->slen);
			if (d->init && d->init->kind == E_STR)
				strncpy(v->p, d->init->str, (size_t)vm->slen - 1);
			break;
		case G_STATS:
			v->p = xcalloc(1, stat_size(&g->spec));
			stat_clear(&g->spec, v->p);
			break;
		case G_MAP:
		case G_STATMAP:
			keysig(d, sig);
			v->p = map_new(sig, g->kind == G_STATMAP ? MAPV_STATS :
				       d->type == TY_STRING ? MAPV_STRING : MAPV_LONG,
				       d->maxsize > 0 ? d->maxsize : s->lim.maxmapentries,
				       d->maxsize > 0, d->wrap, (int)vm->slen,
				       g->kind == G_STATMAP ? &g->spec : NULL);
			break;
		}
	}
}

/* -G NAME=VALUE (stap passes them to its module as parameters when staprun loads it; a bad
   value fails there as "Invalid parameters"): a scalar global starts with that value. A name
   the script does not use is ignored with a warning, as the kernel ignores an unknown
   module parameter. */
int vm_set_globals(struct script *sc, struct session *s)
{
	for (int k = 0; k < s->opt.ngsets; k++) {
		const char *arg = s->opt.gsets[k], *eq = strchr(arg, '=');
		size_t nl = eq ? (size_t)(eq - arg) : strlen(arg);
		int i = 0;
		while (i < sc->nglobals && (strlen(sc->globals[i].decl->name) != nl ||
		       strncmp(sc->globals[i].decl->name, arg, nl)))
			i++;
		if (!eq || i == sc->nglobals) {
			if (!s->opt.no_warn)
				fprintf(stderr, "WARNING: -G %s: the script has no global '%.*s' "
				        "(ignored)\n", arg, (int)nl, arg);
			continue;
		}
		union val *v = &sc->vm->gv[i];
		char *end;
		switch (sc->globals[i].kind) {
		case G_LONG:
			v->l = strtoll(eq + 1, &end, 0);
			if (*end || end == eq + 1) {
				fprintf(stderr, "ERROR: Invalid parameter -G %s: global '%s' is a number\n", arg,
				        sc->globals[i].decl->name);
				return -1;
			}
			break;
		case G_STRING:
			snprintf(v->p, (size_t)sc->vm->slen, "%s", eq + 1);
			break;
		default:
			fprintf(stderr, "ERROR: -G %s: global '%s' is not a scalar\n", arg,
			        sc->globals[i].decl->name);
			return -1;
		}
	}
	return 0;
}

int vm_init(struct script *sc, struct session *s)
{
	struct vm *vm = xcalloc(1, sizeof *vm);
	sc->vm = vm;
	vm->sc = sc;
	vm->sess = s;
	vm->slen = s->lim.maxstringlen > 1 ? s->lim.maxstringlen : 512;
	int64_t maxnest = s->lim.maxnesting;
	if (!defined(s, "MAXNESTING", NULL) || maxnest <= 0)
		maxnest = default_nesting(sc);
	if (maxnest > 100000)
		maxnest = 100000;
	vm->maxdepth = (int)maxnest + 1;
	int64_t act = s->lim.maxaction > 0 ? s->lim.maxaction : 1000;
	int64_t inter;
	vm->budget = defined(s, "MAXACTION_INTERRUPTIBLE", &inter) ? inter : act * 10;
	if (s->opt.suppress_time_limits)
		vm->budget = 0;

	int64_t slots = 8, strs = 1;
	for (int i = 0; i < sc->nbyprobe + sc->nfuncs; i++) {
		const struct proto *p = i < sc->nbyprobe ? sc->byprobe[i] : sc->funcs[i - sc->nbyprobe];
		if (!p)
			continue;
		if (p->nlocals + p->maxstack > slots)
			slots = p->nlocals + p->maxstack;
		if (p->nstrlocal + p->ntemps > strs)
			strs = p->nstrlocal + p->ntemps;
	}
	int64_t frames = vm->maxdepth + 1;
	vm->stack = xcalloc((size_t)(slots * frames + 16), sizeof *vm->stack);
	vm->stack_end = vm->stack + slots * frames + 16;
	vm->strarea = xcalloc((size_t)(strs * frames + 1), (size_t)vm->slen);
	vm->strarea_end = vm->strarea + (strs * frames + 1) * vm->slen;
	vm->frames = xcalloc((size_t)frames, sizeof *vm->frames);
	vm->maxtries = 64 * (int)frames;
	vm->tries = xcalloc((size_t)vm->maxtries, sizeof *vm->tries);
	vm->bi_ret = xcalloc(1, (size_t)vm->slen + 1);
	sb_init(&vm->prbuf);
	sb_add(&vm->prbuf, "", 0);
	init_globals(vm, sc, s);
	if (s->opt.timing)
		sc->timing = xcalloc((size_t)sc->nbyprobe + 1, sizeof *sc->timing);
	return 0;
}

void vm_free(struct vm *vm)
{
	if (!vm)
		return;
	struct script *sc = vm->sc;
	for (int i = 0; i < sc->nglobals; i++) {
		enum gkind k = sc->globals[i].kind;
		if (k == G_MAP || k == G_STATMAP)
			map_free(vm->gv[i].p);
		else if (k == G_STRING || k == G_STATS)
			free(vm->gv[i].p);
	}
	free(vm->gv);
	free(vm->stack);
	free(vm->strarea);
	free(vm->frames);
	free(vm->tries);
	free(vm->bi_ret);
	free(sc->timing);
	sc->timing = NULL;
	sb_free(&vm->prbuf);
	free(vm);
}

/* ---- stap's token descriptions, rebuilt from the source text at a position ---- */

static const char *const keywords[] = {
	"probe", "global", "function", "if", "else", "for", "foreach", "in", "limit", "return",
	"delete", "while", "break", "continue", "next", "string", "long", "try", "catch",
	"private", "%{", NULL
};

static const char *const ops3[] = { "<<<", ">>>", "<<=", ">>=", "...", NULL };
static const char *const ops2[] = {
	"==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=",
	"|=", "^=", ".=", "<<", ">>", "->", "=~", "!~", NULL
};

static int match_op(const char *p, size_t left)
{
	for (int i = 0; ops3[i]; i++)
		if (left >= 3 && strncmp(p, ops3[i], 3) == 0)
			return 3;
	for (int i = 0; ops2[i]; i++)
		if (left >= 2 && strncmp(p, ops2[i], 2) == 0)
			return 2;
	return 1;
}

void vm_token_desc(struct strbuf *out, const struct srcpos *pos)
{
	const struct srcfile *f = pos ? pos->file : NULL;
	if (!f || !f->text) {
		sb_puts(out, "unknown token");
		return;
	}
	/* find the line, then the column (1-based, counted in bytes as stap does) */
	const char *p = f->text, *end = f->text + f->len;
	for (int l = 1; l < pos->line && p < end; p++)
		if (*p == '\n')
			l++;
	p += pos->col - 1;
	if (p > end)
		p = end;
	size_t left = (size_t)(end - p), n = 0;
	const char *kind = "operator";
	if (left && (isalpha((unsigned char)*p) || *p == '_' || *p == '$' || *p == '@')) {
		n = 1;
		while (n < left && (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '$'))
			n++;
		kind = *p == '@' ? "operator" : "identifier";   /* stap lexes @count as an operator */
		for (int i = 0; keywords[i]; i++)
			if (strlen(keywords[i]) == n && strncmp(keywords[i], p, n) == 0)
				kind = "keyword";
	} else if (left && isdigit((unsigned char)*p)) {
		while (n < left && isalnum((unsigned char)p[n]))
			n++;
		kind = "number";
	} else if (left && *p == '"') {
		p++;
		left--;
		while (n < left && p[n] != '"' && p[n] != '\n') {
			if (p[n] == '\\' && n + 1 < left)
				n++;
			n++;
		}
		kind = "string";
	} else if (left) {
		n = (size_t)match_op(p, left);
	}
	sb_puts(out, kind);
	if (strcmp(kind, "keyword") != 0) {
		sb_puts(out, " '");
		for (size_t i = 0; i < n; i++)
			sb_putc(out, isprint((unsigned char)p[i]) ? p[i] : '?');
		sb_putc(out, '\'');
	}
	sb_printf(out, " at %s:%d:%d", f->name, pos->line, pos->col);
}

void vm_error_text(struct strbuf *out, const struct vm *vm)
{
	sb_puts(out, vm->err);
	if (vm->errpos) {
		sb_puts(out, " near ");
		vm_token_desc(out, vm->errpos);
	}
}

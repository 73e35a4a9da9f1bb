/*
** File-level parsing: probes and aliases with their probe points ({a,b} alternation is
** expanded here, as stap does), globals, functions, embedded C; error recovery; and the
** loading of library macros (.stpm).
*/
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "lang.h"
#include "parse_int.h"
#include "session.h"

static struct ptrvec parse_points(struct parser *p);

static struct probe_point *new_point(struct parser *p)
{
	return arena_alloc(p->a, sizeof(struct probe_point));
}

/* component -> '{' points '}' | word-pieces ['(' literal ')'] */
static struct ptrvec parse_component(struct parser *p)
{
	struct ptrvec pps = { 0 };
	const struct token *t = parse_next(p);
	if (!(t->type == TK_IDENT || t->type == TK_KEYWORD || lex_is_op(t, "*")
	      || lex_is_op(t, "{")))
		FAIL(p, "expected identifier or '*' or '{'");
	if (lex_is_op(t, "{")) {
		parse_swallow(p);
		pps = parse_points(p);
		if (!parse_peek_op(p, "}"))
			FAIL(p, "expected '}'");
		parse_swallow(p);
		return pps;
	}
	/* glue adjacent pieces of a wildcard name: sys*c*ll (arena only: peek may longjmp) */
	const char *name = t->text;
	for (;;) {
		const struct token *u = parse_peek(p);
		if (!u || u->ws_before)
			break;
		if (!(u->type == TK_IDENT || u->type == TK_KEYWORD || lex_is_op(u, "*")))
			break;
		name = arena_printf(p->a, "%s%s", name, u->text);
		parse_swallow(p);
	}
	struct ppcomp *c = arena_alloc(p->a, sizeof(*c));
	c->functor = name;
	c->pos = t->pos;
	struct token *ct = arena_alloc(p->a, sizeof(*ct));
	*ct = *t;
	ct->text = c->functor;     /* stap glues the pieces into the first token */
	c->tok = ct;
	struct probe_point *pp = new_point(p);
	pp->pos = t->pos;
	ast_vec_push(p->a, &pp->comps, c);
	ast_vec_push(p->a, &pps, pp);
	if (parse_peek_op(p, "(")) {
		parse_swallow(p);
		c->arg = parse_literal(p);
		t = parse_next(p);
		if (!lex_is_op(t, ")"))
			FAIL(p, "expected ')'");
		parse_swallow(p);
	}
	return pps;
}

/* the cartesian product of the points so far and the next component's alternatives */
static struct ptrvec product(struct parser *p, struct ptrvec pps, struct ptrvec suffix)
{
	struct ptrvec out = { 0 };
	for (int i = 0; i < pps.n; i++) {
		struct probe_point *a = pps.v[i];
		if (a->optional || a->sufficient || a->cond)
			parse_fail(p, "'?', '!' or condition must only be specified in suffix",
			           ((struct ppcomp *)a->comps.v[0])->tok, true);
		for (int j = 0; j < suffix.n; j++) {
			struct probe_point *b = suffix.v[j], *n = new_point(p);
			n->pos = a->pos;
			for (int k = 0; k < a->comps.n; k++)
				ast_vec_push(p->a, &n->comps, a->comps.v[k]);
			for (int k = 0; k < b->comps.n; k++)
				ast_vec_push(p->a, &n->comps, b->comps.v[k]);
			n->optional = b->optional;
			n->sufficient = b->sufficient;
			n->cond = b->cond;
			ast_vec_push(p->a, &out, n);
		}
	}
	return out;
}

/* components -> component {'.' component} ['?'|'!'] ['if' '(' expression ')'] */
static struct ptrvec parse_components(struct parser *p)
{
	struct ptrvec pps = { 0 };
	for (;;) {
		struct ptrvec suffix = parse_component(p);
		pps = pps.n ? product(p, pps, suffix) : suffix;
		if (parse_peek_op(p, ".")) {
			parse_swallow(p);
			continue;
		}
		break;
	}
	const struct token *t = parse_peek(p);
	if (lex_is_op(t, "?") || lex_is_op(t, "!")) {
		for (int i = 0; i < pps.n; i++) {
			struct probe_point *pp = pps.v[i];
			if (pp->optional || pp->sufficient)
				FAIL(p, "'?' or '!' respecified");
			pp->optional = true;
			pp->sufficient = lex_is_op(t, "!");
		}
		parse_swallow(p);
		t = parse_peek(p);
	}
	if (lex_is_kw(t, "if")) {
		parse_swallow(p);
		if (!parse_peek_op(p, "("))
			FAIL(p, "expected '('");
		parse_swallow(p);
		struct exp *e = parse_expression(p);
		for (int i = 0; i < pps.n; i++) {
			struct probe_point *pp = pps.v[i];
			if (pp->cond)
				FAIL(p, "condition respecified");
			pp->cond = e;
		}
		if (!parse_peek_op(p, ")"))
			FAIL(p, "expected ')'");
		parse_swallow(p);
	}
	return pps;
}

/* points -> components {',' components} (followed by '{' '=' '+=' or '}') */
static struct ptrvec parse_points(struct parser *p)
{
	struct ptrvec pps = { 0 };
	for (;;) {
		struct ptrvec tail = parse_components(p);
		for (int i = 0; i < tail.n; i++)
			ast_vec_push(p->a, &pps, tail.v[i]);
		const struct token *t = parse_peek(p);
		if (lex_is_op(t, ",")) {
			parse_swallow(p);
			continue;
		}
		if (lex_is_op(t, "{") || lex_is_op(t, "=") || lex_is_op(t, "+=") || lex_is_op(t, "}"))
			return pps;
		FAIL(p, "expected one of ', { } = +='");
	}
}

/* probe -> 'probe' points block | 'probe' name ('='|'+=') points block [',' block] */
static void parse_probe(struct parser *p, struct file *f)
{
	const struct token *t0 = parse_next(p);
	struct ptrvec names = { 0 }, locs = { 0 };
	bool epilogue = false;
	for (;;) {
		struct ptrvec pps = parse_points(p);
		const struct token *t = parse_peek(p);
		if (pps.n == 1 && (lex_is_op(t, "=") || lex_is_op(t, "+="))) {
			struct probe_point *pp = pps.v[0];
			if (pp->optional || pp->sufficient)
				parse_fail(p, "probe point alias name cannot be optional nor sufficient",
				           ((struct ppcomp *)pp->comps.v[0])->tok, true);
			ast_vec_push(p->a, &names, pp);
			if (lex_is_op(t, "+="))
				epilogue = true;
			parse_swallow(p);
			continue;
		}
		if (lex_is_op(t, "{")) {
			locs = pps;
			break;
		}
		FAIL(p, "expected probe point specifier");
	}
	struct probe *pr = arena_alloc(p->a, sizeof(*pr));
	pr->pos = t0->pos;
	pr->points = locs;
	pr->body = parse_stmt_block(p);
	pr->privileged = p->privileged;
	pr->from_tapset = p->src->tapset;
	if (!names.n) {
		ast_vec_push(p->a, &f->probes, pr);
		return;
	}
	struct alias *al = arena_alloc(p->a, sizeof(*al));
	al->names = names;
	al->probe = pr;
	al->epilogue = epilogue;
	al->pos = t0->pos;
	const struct token *t = parse_peek(p);
	if (t && !strcmp(t->text, ",")) {
		if (epilogue)
			FAIL(p, "Combined prologue and epilogue cannot be defined with '+='");
		parse_swallow(p);
		al->body2 = parse_stmt_block(p);
	}
	ast_vec_push(p->a, &f->aliases, al);
}

static struct stmt *parse_embedded(struct parser *p)
{
	const struct token *t = parse_next(p);
	if (t->type != TK_EMBEDDED)
		FAIL(p, "expected '%{'");
	if (!p->privileged)
		parse_fail(p, "embedded code in unprivileged script; need stap -g", NULL, false);
	struct stmt *s = arena_alloc(p->a, sizeof(*s));
	s->kind = S_EMBEDDED;
	s->pos = t->pos;
	s->code = t->text;
	return s;
}

/* one global: name ['%'] ['[' size ']'] ['=' literal] */
static void parse_one_global(struct parser *p, struct file *f, const struct token *t, bool priv)
{
	if (t->type != TK_IDENT)
		FAIL(p, "expected identifier");
	for (int i = 0; i < f->globals.n; i++) {
		struct vardecl *g = f->globals.v[i];
		if (strcmp(g->name, t->text))
			continue;
		FAIL(p, g->priv == priv ? "duplicate global name"
		                        : "global versus private variable declaration conflict");
	}
	struct vardecl *v = arena_alloc(p->a, sizeof(*v));
	v->name = t->text;
	v->pos = t->pos;
	v->global = true;
	v->priv = priv;
	v->arity = -1;
	v->from_tapset = p->src->tapset;
	ast_vec_push(p->a, &f->globals, v);
	t = parse_peek(p);
	if (lex_is_op(t, "%")) {
		v->wrap = true;
		parse_swallow(p);
		t = parse_peek(p);
	}
	if (lex_is_op(t, "[")) {
		parse_swallow(p);
		int64_t size = parse_expect_number(p);
		if (size <= 0 || size > INT_MAX)
			FAIL(p, "array size out of range");
		v->maxsize = size;
		parse_expect_op(p, "]");
		t = parse_peek(p);
	}
	if (lex_is_op(t, "=")) {
		if (v->maxsize > 0)   /* stap 4.8: a size makes it an array; a wrap alone does not */
			parse_fail(p, "only scalar globals can be initialized", NULL, true);
		v->arity = 0;
		parse_next(p);
		v->init = parse_literal(p);
		v->type = v->init->kind == E_NUM ? TY_LONG : TY_STRING;
	}
}

/* global -> name-decl {',' name-decl} [';'] ; private: the first name is given */
static void parse_globals(struct parser *p, struct file *f, const struct token *first, bool priv)
{
	for (bool iter0 = true;; iter0 = false) {
		const struct token *t = (iter0 && first) ? first : parse_next(p);
		parse_one_global(p, f, t, priv);
		t = parse_peek(p);
		if (lex_is_op(t, ";")) {
			parse_swallow(p);
			return;
		}
		if (!lex_is_op(t, ","))
			return;
		parse_swallow(p);
	}
}

/* ':' ('string'|'long') */
static enum type parse_type(struct parser *p)
{
	parse_swallow(p);
	const struct token *t = parse_next(p);
	if (!lex_is_kw(t, "string") && !lex_is_kw(t, "long"))
		FAIL(p, "expected 'string' or 'long'");
	parse_swallow(p);
	return !strcmp(t->text, "string") ? TY_STRING : TY_LONG;
}

static void parse_params(struct parser *p, struct funcdecl *fd)
{
	for (;;) {
		const struct token *t = parse_next(p);
		if (lex_is_op(t, ")")) {
			parse_swallow(p);
			return;
		}
		if (t->type != TK_IDENT)
			FAIL(p, "expected identifier");
		for (int i = 0; i < fd->params.n; i++)
			if (!strcmp(((struct vardecl *)fd->params.v[i])->name, t->text))
				FAIL(p, "duplicate parameter names");
		struct vardecl *v = arena_alloc(p->a, sizeof(*v));
		v->name = t->text;
		v->pos = t->pos;
		v->is_param = true;
		ast_vec_push(p->a, &fd->params, v);
		t = parse_next(p);
		if (lex_is_op(t, ":")) {
			v->type = parse_type(p);
			t = parse_next(p);
		}
		if (lex_is_op(t, ")")) {
			parse_swallow(p);
			return;
		}
		if (!lex_is_op(t, ","))
			FAIL(p, "expected ',' or ')'");
		parse_swallow(p);
	}
}

/* function -> 'function' name [':' type] '(' params ')' [':' priority] (block | %{ %}) */
static void parse_function(struct parser *p, struct file *f, bool priv)
{
	const struct token *t = parse_next(p);
	if (t->type != TK_IDENT && !lex_is_kw(t, "string") && !lex_is_kw(t, "long"))
		FAIL(p, "expected identifier");
	struct funcdecl *fd = arena_alloc(p->a, sizeof(*fd));
	fd->name = t->text;
	fd->pos = t->pos;
	fd->priv = priv;
	fd->from_tapset = p->src->tapset;
	t = parse_next(p);
	if (lex_is_op(t, ":")) {
		fd->type = parse_type(p);
		t = parse_next(p);
	}
	if (!lex_is_op(t, "("))
		FAIL(p, "expected '('");
	parse_swallow(p);
	parse_params(p, fd);
	t = parse_peek(p);
	if (!t)
		FAIL(p, "expected '{'");
	if (lex_is_op(t, ":")) {
		parse_swallow(p);
		struct exp *l = parse_literal(p);
		if (l->kind != E_NUM)
			FAIL(p, "expected literal number");
		if (l->num < 1)
			FAIL(p, "specified priority must be > 0");
		fd->priority = (int)l->num;
	} else {
		fd->priority = fd->from_tapset;   /* stap: a user's function comes before a tapset's */
	}
	t = parse_peek(p);
	if (t && t->type == TK_EMBEDDED) {
		fd->body = parse_embedded(p);
		fd->embedded = true;
	} else {
		fd->body = parse_stmt_block(p);
	}
	ast_vec_push(p->a, &f->functions, fd);
}

/* 'private' ('function' ... | 'global' name ... | name ...) */
static void parse_private(struct parser *p, struct file *f)
{
	parse_next(p);
	parse_swallow(p);
	const struct token *t = parse_next(p);
	if (lex_is_kw(t, "function")) {
		parse_swallow(p);
		p->context = CON_FUNCTION;
		parse_function(p, f, true);
	} else if (lex_is_kw(t, "global")) {
		parse_swallow(p);
		p->context = CON_GLOBAL;
		t = parse_next(p);
		if (t->type != TK_IDENT)
			FAIL(p, "expected identifier");
		parse_globals(p, f, t, true);
	} else if (t->type == TK_IDENT) {
		p->context = CON_GLOBAL;
		parse_globals(p, f, t, true);
	} else {
		FAIL(p, "expected 'function' or identifier");
	}
}

static bool decl_start(const struct token *t)
{
	return lex_is_kw(t, "probe") || lex_is_kw(t, "private") || lex_is_kw(t, "global")
	       || lex_is_kw(t, "function") || (t && t->type == TK_EMBEDDED);
}

static void parse_decl(struct parser *p, struct file *f, const struct token *t)
{
	if (lex_is_kw(t, "probe")) {
		p->context = CON_PROBE;
		parse_probe(p, f);
	} else if (lex_is_kw(t, "private")) {
		p->context = CON_UNKNOWN;
		parse_private(p, f);
	} else if (lex_is_kw(t, "global")) {
		p->context = CON_GLOBAL;
		parse_next(p);
		parse_swallow(p);
		parse_globals(p, f, NULL, false);
	} else if (lex_is_kw(t, "function")) {
		p->context = CON_FUNCTION;
		parse_next(p);
		parse_swallow(p);
		parse_function(p, f, false);
	} else if (t->type == TK_EMBEDDED) {
		p->context = CON_EMBEDDED;
		ast_vec_push(p->a, &f->embeds, parse_embedded(p));
	} else {
		p->context = CON_UNKNOWN;
		FAIL(p, "expected 'probe', 'global', 'private', 'function', or '%{'");
	}
}

/* after an error: drop tokens up to the next declaration keyword */
static void resync(struct parser *p)
{
	jmp_buf jb;
	p->jb = &jb;
	for (;;) {
		if (setjmp(jb))
			continue;   /* error while skipping: reported, keep going */
		const struct token *t = parse_peek(p);
		if (!t || decl_start(t))
			return;
		parse_swallow(p);
	}
}

bool parse_has_version(const struct parser *p, const char *v)
{
	return !p->compat || lang_has_version(p->s, v);
}

static void parser_init(struct parser *p, struct session *s, const struct srcfile *src)
{
	memset(p, 0, sizeof(*p));
	p->s = s;
	p->a = &s->script_arena;
	p->src = src;
	p->privileged = s->opt.guru || src->tapset;
	p->user_file = !src->tapset;
	const char *td = s->opt.tapset_dir;
	p->compat = !src->tapset || !td || strncmp(src->name, td, strlen(td)) != 0;
	lex_init(&p->lx, s, src);
	p->pp = pp_open(s, &p->lx, parse_pp_error, p);
}

struct file *parse_file(struct session *s, const struct srcfile *src)
{
	struct parser p;
	jmp_buf jb;
	volatile bool empty = true;
	struct file *f = arena_alloc(&s->script_arena, sizeof(*f));
	f->src = src;
	parser_init(&p, s, src);
	f->privileged = p.privileged;
	for (;;) {
		p.jb = &jb;
		p.depth = 0;   /* a parse error left its levels behind */
		if (setjmp(jb)) {
			if (p.skip_some)
				resync(&p);
			continue;
		}
		const struct token *t = parse_peek(&p);
		if (!t)
			break;
		empty = false;
		parse_decl(&p, f, t);
	}
	if (empty && p.user_file) {
		fprintf(s->diag.out, p.lx.saw_tokens ? "Input file '%s' is empty after preprocessing.\n"
		                                     : "Input file '%s' is empty.\n", src->name);
		f = NULL;
	} else if (p.errors) {
		fprintf(s->diag.out, "%d parse error%s.\n", p.errors, p.errors == 1 ? "" : "s");
		f = NULL;
	}
	pp_close(p.pp);
	lex_free(&p.lx);
	return f;
}

/* one .stpm file: only macro definitions; errors are warnings-like (file skipped) */
static int load_macro_file(struct session *s, const char *path)
{
	const struct srcfile *src = src_load_file(s, path, true);
	struct parser p;
	jmp_buf jb;
	const struct token *dup, *first;
	if (!src)
		return 1;
	parser_init(&p, s, src);
	p.jb = &jb;
	int rc = 0;
	if (setjmp(jb)) {
		rc = 1;
	} else {
		const struct token *t = pp_scan(p.pp);
		if (t)
			parse_fail(&p, arena_printf(p.a, "unexpected token in library macro file '%s'",
			                            path), t, true);
		const char *name = pp_commit_library(p.pp, &dup, &first);
		if (name) {
			struct diag *d = &s->diag;
			const char *m1 = arena_printf(p.a, "duplicate definition of library macro '@%s'", name);
			const char *m2 = arena_printf(p.a, "macro '@%s' first defined here", name);
			if (diag_parse(d, SITE, m1, "at", lex_describe(p.a, dup), &dup->pos, path)) {
				diag_end(d);
				diag_parse(d, "", m2, "at", lex_describe(p.a, first), &first->pos, path);
				diag_end(d);
			}
			rc = 1;
		}
	}
	pp_close(p.pp);
	lex_free(&p.lx);
	if (rc)
		diag_warn(&s->diag, NULL, "macro tapset \"%s\" has errors, and will be skipped.", path);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every *.stpm directly in dir, in name order */
static int load_macro_dir(struct session *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	int n = 0, cap = 0, errs = 0;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".stpm"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = realloc(names, sizeof(char *) * (size_t)cap);
			if (!names)
				abort();
		}
		names[n++] = arena_printf(&s->script_arena, "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, (size_t)n, sizeof(char *), cmp_str);
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			errs += load_macro_file(s, names[i]);
	}
	free(names);
	return errs;
}

/* stap's search order in each include dir (main.cxx): DIR/linux/ARCH, DIR/linux, DIR/ARCH,
   DIR; the kernel runtime's, as ustap claims to be */
static int load_macro_root(struct session *s, const char *root)
{
	static const char *const sub[] = { "/linux/%s", "/linux", "/%s", "", NULL };
	const char *arch = pp_arch(s);
	int errs = 0;
	for (int i = 0; sub[i]; i++) {
		char *dir = arena_printf(&s->script_arena, "%s%s", root, sub[i]);
		if (strstr(sub[i], "%s"))
			dir = arena_printf(&s->script_arena, "%s/%s%s", root,
			                   i == 0 ? "linux/" : "", arch);
		errs += load_macro_dir(s, dir);
	}
	return errs;
}

int parse_load_macros(struct session *s, const char *tapset_dir)
{
	int bad = 0;
	if (tapset_dir)
		bad += load_macro_root(s, tapset_dir);
	for (int i = 0; i < s->opt.nincludes; i++)
		bad += load_macro_root(s, s->opt.includes[i]);
	return bad;
}

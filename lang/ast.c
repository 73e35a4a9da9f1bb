/*
** Syntax tree helpers and the -p1 printer, which writes exactly what stap's
** staptree.cxx print functions write (parenthesised operands, ";" after statements).
*/
#include <inttypes.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "lex.h"

void ast_vec_push(struct arena *a, struct ptrvec *vec, void *p)
{
	if (vec->n == vec->cap) {
		int cap = vec->cap ? vec->cap * 2 : 4;
		void **v = arena_alloc(a, sizeof(void *) * (size_t)cap);
		if (vec->n)
			memcpy(v, vec->v, sizeof(void *) * (size_t)vec->n);
		vec->v = v;
		vec->cap = cap;
	}
	vec->v[vec->n++] = p;
}

void ast_walk_exp(struct exp *e, struct exp *parent, ast_exp_fn fn, void *ud, bool into_defined)
{
	if (!e)
		return;
	if (e->kind != E_DEFINED || into_defined) {
		ast_walk_exp(e->a0, e, fn, ud, into_defined);
		ast_walk_exp(e->a1, e, fn, ud, into_defined);
		ast_walk_exp(e->a2, e, fn, ud, into_defined);
		ast_walk_exp(e->fmt, e, fn, ud, into_defined);
		for (int i = 0; i < e->args.n; i++)
			ast_walk_exp(e->args.v[i], e, fn, ud, into_defined);
		for (int i = 0; i < e->comps.n; i++) {
			struct tcomp *tc = e->comps.v[i];
			if (tc->kind == COMP_INDEX_EXP)
				ast_walk_exp(tc->index, e, fn, ud, into_defined);
		}
	}
	fn(ud, e, parent);
}

void ast_walk_stmt(struct stmt *st, ast_exp_fn fn, void *ud, bool into_defined)
{
	if (!st)
		return;
	ast_walk_exp(st->e, NULL, fn, ud, into_defined);
	ast_walk_exp(st->init, NULL, fn, ud, into_defined);
	ast_walk_exp(st->incr, NULL, fn, ud, into_defined);
	for (int i = 0; i < st->keys.n; i++)
		ast_walk_exp(st->keys.v[i], NULL, fn, ud, into_defined);
	ast_walk_exp(st->value, NULL, fn, ud, into_defined);
	ast_walk_exp(st->limit, NULL, fn, ud, into_defined);
	ast_walk_exp(st->catch_sym, NULL, fn, ud, into_defined);
	for (int i = 0; i < st->slice.n; i++)
		ast_walk_exp(st->slice.v[i], NULL, fn, ud, into_defined);
	for (int i = 0; i < st->body.n; i++)
		ast_walk_stmt(st->body.v[i], fn, ud, into_defined);
	ast_walk_stmt(st->s1, fn, ud, into_defined);
	ast_walk_stmt(st->s2, fn, ud, into_defined);
}

const char *ast_type_name(enum type t)
{
	switch (t) {
	case TY_UNKNOWN: return "unknown";
	case TY_LONG: return "long";
	case TY_STRING: return "string";
	case TY_STATS: return "stats";
	default: return "???";
	}
}

/* literal_string::print: only '"' is escaped (the text keeps stap's escapes) */
static void print_str(struct strbuf *out, const struct exp *e)
{
	const char *s = e->raw ? e->raw : e->str;
	sb_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(out, '\\');
		sb_putc(out, *s);
	}
	sb_putc(out, '"');
}

static void pexp(struct strbuf *out, const struct exp *e)
{
	ast_print_exp(out, e);
}

static void print_list(struct strbuf *out, const struct ptrvec *v, bool star)
{
	for (int i = 0; i < v->n; i++) {
		if (i)
			sb_puts(out, ", ");
		if (!v->v[i] && star)
			sb_putc(out, '*');
		else
			pexp(out, v->v[i]);
	}
}

static void print_comps(struct strbuf *out, const struct exp *e)
{
	for (int i = 0; i < e->comps.n; i++) {
		const struct tcomp *c = e->comps.v[i];
		switch (c->kind) {
		case COMP_FIELD:
			sb_printf(out, "->%s", c->field);
			break;
		case COMP_PRETTY:
			sb_printf(out, "->%s", c->pretty == 2 ? "$$" : "$");
			break;
		case COMP_INDEX_NUM:
			sb_printf(out, "[%" PRId64 "]", c->num);
			break;
		case COMP_INDEX_EXP:
			sb_putc(out, '[');
			pexp(out, c->index);
			sb_putc(out, ']');
			break;
		}
	}
}

static void print_binary(struct strbuf *out, const struct exp *e)
{
	sb_putc(out, '(');
	pexp(out, e->a0);
	sb_printf(out, ") %s (", e->op);
	pexp(out, e->a1);
	sb_putc(out, ')');
}

static void print_print(struct strbuf *out, const struct exp *e)
{
	sb_printf(out, "%s(", e->str);
	if (e->fmt)
		lex_qstring(out, e->fmt->raw ? e->fmt->raw : e->fmt->str);
	if (e->a0)
		pexp(out, e->a0);
	for (int i = 0; i < e->args.n; i++) {
		if (i || e->fmt)
			sb_puts(out, ", ");
		pexp(out, e->args.v[i]);
	}
	sb_putc(out, ')');
}

static void print_hist(struct strbuf *out, const struct exp *e)
{
	sb_printf(out, "@%s(", e->hist_linear ? "hist_linear" : "hist_log");
	pexp(out, e->a0);
	for (int i = 0; i < e->args.n; i++) {
		sb_puts(out, ", ");
		pexp(out, e->args.v[i]);
	}
	sb_putc(out, ')');
}

static void print_target(struct strbuf *out, const struct exp *e)
{
	if (e->addr_of)
		sb_putc(out, '&');
	switch (e->kind) {
	case E_TARGET:
		sb_puts(out, e->str);
		break;
	case E_CAST:
		sb_puts(out, "@cast(");
		pexp(out, e->a0);
		sb_puts(out, ", ");
		lex_qstring(out, e->str);
		if (e->module && *e->module) {
			sb_puts(out, ", ");
			lex_qstring(out, e->module);
		}
		sb_putc(out, ')');
		break;
	case E_ATVAR:
		sb_printf(out, "@var(\"%s\"", e->str);
		if (e->module && *e->module) {
			sb_puts(out, ", ");
			lex_qstring(out, e->module);
		}
		sb_putc(out, ')');
		break;
	default:   /* E_AUTOCAST */
		sb_putc(out, '(');
		pexp(out, e->a0);
		sb_putc(out, ')');
		break;
	}
	print_comps(out, e);
}

static void print_op1(struct strbuf *out, const char *name, const struct exp *a)
{
	sb_printf(out, "%s(", name);
	pexp(out, a);
	sb_putc(out, ')');
}

void ast_print_exp(struct strbuf *out, const struct exp *e)
{
	switch (e->kind) {
	case E_NUM: sb_printf(out, "%" PRId64, e->num); break;
	case E_STR: print_str(out, e); break;
	case E_SYM: sb_puts(out, e->str); break;
	case E_TARGET: case E_CAST: case E_ATVAR: case E_AUTOCAST: print_target(out, e); break;
	case E_ENTRY: print_op1(out, "@entry", e->a0); break;
	case E_DEFINED: print_op1(out, "@defined", e->a0); break;
	case E_PERF: print_op1(out, "@perf", e->a0); break;
	case E_BINARY: case E_AND: case E_OR: case E_COMPARE: case E_CONCAT: case E_ASSIGN:
		print_binary(out, e);
		break;
	case E_UNARY: case E_PREINC: print_op1(out, e->op, e->a0); break;
	case E_POSTINC:
		sb_putc(out, '(');
		pexp(out, e->a0);
		sb_printf(out, ")%s", e->op);
		break;
	case E_TERNARY:
		sb_putc(out, '(');
		pexp(out, e->a0);
		sb_puts(out, ")?(");
		pexp(out, e->a1);
		sb_puts(out, "):(");
		pexp(out, e->a2);
		sb_putc(out, ')');
		break;
	case E_IN:
		sb_putc(out, '[');
		print_list(out, &e->args, true);
		sb_puts(out, "] in ");
		pexp(out, e->a0);
		break;
	case E_REGEX:
		sb_putc(out, '(');
		pexp(out, e->a0);
		sb_printf(out, ") %s ", e->op);
		pexp(out, e->a1);
		break;
	case E_INDEX:
		pexp(out, e->a0);
		sb_putc(out, '[');
		print_list(out, &e->args, true);
		sb_putc(out, ']');
		break;
	case E_CALL:
		sb_printf(out, "%s(", e->str);
		print_list(out, &e->args, false);
		sb_putc(out, ')');
		break;
	case E_PRINT: print_print(out, e); break;
	case E_STATOP:
		sb_printf(out, "@%s(", e->str);
		pexp(out, e->a0);
		if (e->args.n) {
			sb_puts(out, ", ");
			pexp(out, e->args.v[0]);
		}
		sb_putc(out, ')');
		break;
	case E_HIST: print_hist(out, e); break;
	case E_EMBEDDED: sb_printf(out, "%%{ %s %%}", e->str); break;
	case E_REGISTER: sb_printf(out, "@%sregister(%" PRId64 ")", e->op, e->num); break;
	case E_DEREF:
		sb_printf(out, "@%sderef(%" PRId64 ", ", e->op, e->num);
		pexp(out, e->a0);
		sb_putc(out, ')');
		break;
	case E_PROBEWRITE: sb_printf(out, "@probewrite(%s)", e->str); break;
	default: sb_puts(out, "???"); break;
	}
}

static void print_foreach(struct strbuf *out, const struct stmt *s, int indent)
{
	sb_puts(out, "foreach (");
	if (s->value) {
		pexp(out, s->value);
		sb_puts(out, " = ");
	}
	sb_putc(out, '[');
	for (int i = 0; i < s->keys.n; i++) {
		if (i)
			sb_puts(out, ", ");
		pexp(out, s->keys.v[i]);
		if (s->sort_dir && s->sort_key == i + 1)
			sb_putc(out, s->sort_dir > 0 ? '+' : '-');
	}
	sb_puts(out, "] in ");
	pexp(out, s->e);
	if (s->slice.n) {
		sb_putc(out, '[');
		print_list(out, &s->slice, true);
		sb_putc(out, ']');
	}
	if (s->sort_dir && s->sort_key == 0) {
		if (s->sort_aggr && strcmp(s->sort_aggr, "variance"))
			sb_printf(out, " @%s", s->sort_aggr);
		sb_putc(out, s->sort_dir > 0 ? '+' : '-');
	}
	if (s->limit) {
		sb_puts(out, " limit ");
		pexp(out, s->limit);
	}
	sb_puts(out, ") ");
	ast_print_stmt(out, s->s1, indent);
}

static void print_try(struct strbuf *out, const struct stmt *s, int indent)
{
	sb_puts(out, "try {\n");
	if (s->s1) {
		ast_print_stmt(out, s->s1, indent);
		sb_putc(out, '\n');
	}
	sb_puts(out, "} catch ");
	if (s->catch_sym) {
		sb_putc(out, '(');
		pexp(out, s->catch_sym);
		sb_puts(out, ") ");
	}
	sb_puts(out, "{\n");
	if (s->s2) {
		ast_print_stmt(out, s->s2, indent);
		sb_putc(out, '\n');
	}
	sb_puts(out, "}\n");
}

/* stap prints no indentation; indent is kept for callers that want it later */
void ast_print_stmt(struct strbuf *out, const struct stmt *s, int indent)
{
	switch (s->kind) {
	case S_BLOCK:
		sb_puts(out, "{\n");
		for (int i = 0; i < s->body.n; i++) {
			ast_print_stmt(out, s->body.v[i], indent + 1);
			sb_puts(out, ";\n");
		}
		sb_putc(out, '}');
		break;
	case S_EXPR: pexp(out, s->e); break;
	case S_NULL: sb_putc(out, ';'); break;
	case S_IF:
		sb_puts(out, "if (");
		pexp(out, s->e);
		sb_puts(out, ") ");
		if (s->s1)
			ast_print_stmt(out, s->s1, indent);
		else
			sb_putc(out, ';');
		sb_putc(out, '\n');
		if (s->s2) {
			sb_puts(out, "else ");
			ast_print_stmt(out, s->s2, indent);
			sb_putc(out, '\n');
		}
		break;
	case S_WHILE: case S_FOR:
		sb_puts(out, "for (");
		if (s->init)
			pexp(out, s->init);
		sb_puts(out, "; ");
		pexp(out, s->e);
		sb_puts(out, "; ");
		if (s->incr)
			pexp(out, s->incr);
		sb_puts(out, ") ");
		ast_print_stmt(out, s->s1, indent);
		break;
	case S_FOREACH: print_foreach(out, s, indent); break;
	case S_RETURN:
		sb_puts(out, "return");
		if (s->e) {
			sb_putc(out, ' ');
			pexp(out, s->e);
		}
		break;
	case S_DELETE:
		sb_puts(out, "delete ");
		pexp(out, s->e);
		break;
	case S_NEXT: sb_puts(out, "next"); break;
	case S_BREAK: sb_puts(out, "break"); break;
	case S_CONTINUE: sb_puts(out, "continue"); break;
	case S_TRY: print_try(out, s, indent); break;
	case S_EMBEDDED: sb_printf(out, "%%{%s%%}", s->code); break;
	default: sb_puts(out, "???"); break;
	}
}

void ast_print_point(struct strbuf *out, const struct probe_point *pp)
{
	for (int i = 0; i < pp->comps.n; i++) {
		const struct ppcomp *c = pp->comps.v[i];
		if (i)
			sb_putc(out, '.');
		sb_puts(out, c->functor);
		if (c->arg) {
			sb_putc(out, '(');
			pexp(out, c->arg);
			sb_putc(out, ')');
		}
	}
	if (pp->sufficient)
		sb_putc(out, '!');
	else if (pp->optional)
		sb_putc(out, '?');
	if (pp->cond) {
		sb_puts(out, " if (");
		pexp(out, pp->cond);
		sb_putc(out, ')');
	}
}

static void print_points(struct strbuf *out, const struct ptrvec *v, const char *sep)
{
	for (int i = 0; i < v->n; i++) {
		if (i)
			sb_puts(out, sep);
		ast_print_point(out, v->v[i]);
	}
}

static void print_vardecl(struct strbuf *out, const struct vardecl *v)
{
	sb_puts(out, v->name);
	if (v->wrap)
		sb_putc(out, '%');
	if (v->maxsize > 0)
		sb_printf(out, "[%" PRId64 "]", v->maxsize);
	if (v->arity > 0)
		sb_puts(out, "[...]");
	if (v->init) {
		sb_puts(out, " = ");
		pexp(out, v->init);
	}
}

static void print_function(struct strbuf *out, const struct funcdecl *f)
{
	sb_printf(out, "function %s (", f->name);
	for (int i = 0; i < f->params.n; i++) {
		if (i)
			sb_puts(out, ", ");
		print_vardecl(out, f->params.v[i]);
	}
	sb_puts(out, ")\n");
	ast_print_stmt(out, f->body, 0);
}

void ast_print_file(struct strbuf *out, const struct file *f)
{
	sb_printf(out, "# file %s\n", f->src->name);
	for (int i = 0; i < f->embeds.n; i++)
		ast_print_stmt(out, f->embeds.v[i], 0);
	for (int i = 0; i < f->globals.n; i++) {
		sb_puts(out, "global ");
		print_vardecl(out, f->globals.v[i]);
		sb_putc(out, '\n');
	}
	for (int i = 0; i < f->aliases.n; i++) {
		const struct alias *a = f->aliases.v[i];
		sb_puts(out, "probe ");
		print_points(out, &a->names, " = ");
		sb_puts(out, a->epilogue ? " += " : " = ");
		print_points(out, &a->probe->points, ", ");
		ast_print_stmt(out, a->probe->body, 0);
		sb_putc(out, '\n');
	}
	for (int i = 0; i < f->probes.n; i++) {
		const struct probe *p = f->probes.v[i];
		sb_puts(out, "probe ");
		print_points(out, &p->points, ",");
		ast_print_stmt(out, p->body, 0);
		sb_putc(out, '\n');
	}
	for (int i = 0; i < f->functions.n; i++) {
		print_function(out, f->functions.v[i]);
		sb_putc(out, '\n');
	}
}

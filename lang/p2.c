/*
** The -p2 printer: what stap -p2 prints after elaboration (main.cxx printscript): used
** globals, used functions by name, derived probes with their derivation chain; -v adds
** global initialisers and the bodies.
*/
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "builtins.h"
#include "elab.h"
#include "lang.h"
#include "session.h"

static const char *tname(enum type t)
{
	return t == TY_VOID ? "unknown" : ast_type_name(t);
}

/* stap's parameter names of the tapset functions that are C builtins here (from its tapset/),
   so that -p2 lists them as stap does: "strlen:long (s:string)". */
static const struct { const char *name, *params; } bi_params[] = {
	{ "HZ", "" },
	{ "abort", "" },
	{ "backtrace", "" },
	{ "cpu", "" },
	{ "cpu_clock_ns", "cpu" },
	{ "ctime", "" },
	{ "ctime", "epochsecs" },
	{ "egid", "" },
	{ "error", "msg" },
	{ "euid", "" },
	{ "execname", "" },
	{ "exit", "" },
	{ "get_cycles", "" },
	{ "gettimeofday_ms", "" },
	{ "gettimeofday_ns", "" },
	{ "gettimeofday_s", "" },
	{ "gettimeofday_us", "" },
	{ "gid", "" },
	{ "is_return", "" },
	{ "isdigit", "str" },
	{ "isinstr", "s1,s2" },
	{ "jiffies", "" },
	{ "kernel_string", "addr" },
	{ "kernel_string", "addr,err_msg" },
	{ "ktime_get_ns", "" },
	{ "local_clock_ns", "" },
	{ "log", "msg" },
	{ "matched", "n" },
	{ "ngroups", "" },
	{ "pid", "" },
	{ "pp", "" },
	{ "ppfunc", "" },
	{ "ppid", "" },
	{ "print_backtrace", "" },
	{ "print_ubacktrace", "" },
	{ "print_ubacktrace", "pc,sp,fp" },
	{ "print_ubacktrace_brief", "" },
	{ "print_ustack", "stk" },
	{ "print_usyms", "callers" },
	{ "probefunc", "" },
	{ "probemod", "" },
	{ "randint", "n" },
	{ "sprint_ubacktrace", "" },
	{ "sprint_ustack", "stk" },
	{ "sprint_usyms", "callers" },
	{ "str_replace", "prnt_str,srch_str,rplc_str" },
	{ "string_quoted", "str" },
	{ "stringat", "str,pos" },
	{ "strlen", "s" },
	{ "strpos", "s1,s2" },
	{ "strtol", "str,base" },
	{ "substr", "str,start,length" },
	{ "symdata", "addr" },
	{ "symname", "addr" },
	{ "system", "cmd" },
	{ "target", "" },
	{ "text_str", "input" },
	{ "text_strn", "input,len,quoted" },
	{ "tid", "" },
	{ "tokenize", "delim" },
	{ "tokenize", "input,delim" },
	{ "tz_gmtoff", "" },
	{ "tz_name", "" },
	{ "uaddr", "" },
	{ "ubacktrace", "" },
	{ "ucallers", "n" },
	{ "uid", "" },
	{ "umodname", "addr" },
	{ "user_int", "addr" },
	{ "user_long", "addr" },
	{ "user_string", "addr" },
	{ "user_string", "addr,err_msg" },
	{ "user_string_n", "addr,n" },
	{ "user_string_n", "addr,n,err_msg" },
	{ "ustack", "n" },
	{ "usymdata", "addr" },
	{ "usymname", "addr" },
	{ "warn", "msg" },
};

static const char *builtin_param(const char *name, int nargs, int i, char *buf, size_t len)
{
	for (size_t k = 0; k < sizeof bi_params / sizeof bi_params[0]; k++) {
		const char *p = bi_params[k].params;
		int n = *p ? 1 : 0;
		for (const char *q = p; *q; q++)
			n += *q == ',';
		if (strcmp(bi_params[k].name, name) || n != nargs)
			continue;
		for (int j = 0; j < i; j++)
			p = strchr(p, ',') + 1;
		size_t l = strcspn(p, ",");
		snprintf(buf, len, "%.*s", (int)l, p);
		return buf;
	}
	snprintf(buf, len, "arg%d", i + 1);
	return buf;
}

static enum type sig_type(char c)
{
	return c == 'l' ? TY_LONG : c == 's' ? TY_STRING : TY_UNKNOWN;
}

/* One "# functions" line for a builtin, called with nargs arguments. */
static void printsig_builtin(struct strbuf *out, const struct builtin *b, int nargs)
{
	const char *args = strchr(b->sig, ':');
	args = args ? args + 1 : "";
	int na = (int)strlen(args);
	sb_printf(out, "%s:%s (", b->name, ast_type_name(sig_type(b->sig[0])));
	for (int i = 0; i < nargs; i++) {
		char c = na ? args[i < na ? i : na - 1] : 'l';
		if (c == '*')
			c = na > 1 ? args[na - 2] : 'l';
		char buf[64];
		sb_printf(out, "%s%s:%s", i ? ", " : "", builtin_param(b->name, nargs, i, buf, sizeof buf),
		          ast_type_name(sig_type(c)));
	}
	sb_puts(out, ")\n");
}

static void printsig_var(struct strbuf *out, const struct vardecl *v)
{
	sb_puts(out, v->name);
	if (v->wrap)
		sb_putc(out, '%');
	if (v->maxsize > 0)
		sb_printf(out, "[%" PRId64 "]", v->maxsize);
	sb_printf(out, ":%s", tname(v->type));
	if (v->arity > 0) {
		sb_puts(out, " [");
		for (int i = 0; i < v->arity && i < 9; i++)
			sb_printf(out, "%s%s", i ? ", " : "", tname(v->index_types[i]));
		sb_putc(out, ']');
	}
}

static void print_locals(struct strbuf *out, const struct ptrvec *locals)
{
	if (locals->n > 0)
		sb_puts(out, "  # locals\n");
	for (int i = 0; i < locals->n; i++) {
		sb_puts(out, "  ");
		printsig_var(out, locals->v[i]);
		sb_putc(out, '\n');
	}
}

static void print_body(struct session *s, struct strbuf *out, const struct stmt *body)
{
	if (!s->opt.verbose || !body)
		return;
	sb_puts(out, "{ ");
	ast_print_stmt(out, body, 0);
	sb_puts(out, " }\n");
}

/* A conditional probe's body starts with stap's "if (!(cond)) next". */
static void print_cond_body(struct strbuf *out, const struct stmt *body, const struct exp *cond)
{
	sb_puts(out, "{ {\nif (!(");
	ast_print_exp(out, cond);
	sb_puts(out, ")) next\n;\n");
	if (body && body->kind == S_BLOCK) {
		for (int i = 0; i < body->body.n; i++) {
			ast_print_stmt(out, body->body.v[i], 0);
			sb_puts(out, ";\n");
		}
	} else if (body) {
		ast_print_stmt(out, body, 0);
		sb_puts(out, ";\n");
	}
	sb_puts(out, "} }\n");
}

/* probe::printsig: an alias expansion prints its alias ("a = b, c" or "a += b"), a user's
   probe its points joined by ",". */
static void printsig_probe(struct strbuf *out, const struct probe *p)
{
	const struct ptrvec *pts = &p->points;
	if (p->alias) {
		const struct alias *al = p->alias;
		for (int i = 0; i < al->names.n; i++) {
			if (i)
				sb_puts(out, " = ");
			ast_print_point(out, al->names.v[i]);
		}
		sb_puts(out, al->epilogue ? " += " : " = ");
		pts = &al->probe->points;
		for (int i = 0; i < pts->n; i++) {
			if (i)
				sb_puts(out, ", ");
			ast_print_point(out, pts->v[i]);
		}
		return;
	}
	for (int i = 0; i < pts->n; i++) {
		if (i)
			sb_putc(out, ',');
		ast_print_point(out, pts->v[i]);
	}
}

void p2_derivation(struct strbuf *out, const struct dprobe *dp)
{
	for (const struct probe *p = dp->src; p; p = p->base) {
		sb_puts(out, " from: ");
		if (p == dp->src && !p->alias && dp->rewrites_point)
			sb_puts(out, dp->chain_pp ? dp->chain_pp : dp->pp ? dp->pp : "?");
		else
			printsig_probe(out, p);
	}
}

/* -v prints bodies as stap's translator sees them: globals and functions by their mangled
   names, and single-statement blocks reduced to the statement (its void_statement_reducer).
   Done in place: -p2 is the last thing this session does with the tree. */
static void mangle_exp(struct session *s, struct exp *e)
{
	if (!e)
		return;
	struct arena *a = &s->script_arena;
	if (e->kind == E_SYM && e->ref && e->ref->global)
		e->str = arena_printf(a, "__global_%s", e->ref->name);
	else if (e->kind == E_CALL && (e->fref || e->builtin))
		e->str = arena_printf(a, "__global_%s__overload_0", e->str);
	mangle_exp(s, e->a0);
	mangle_exp(s, e->a1);
	mangle_exp(s, e->a2);
	mangle_exp(s, e->fmt);
	for (int i = 0; i < e->args.n; i++)
		mangle_exp(s, e->args.v[i]);
}

static void mangle_stmt(struct session *s, struct stmt *st)
{
	if (!st)
		return;
	while (!s->opt.unoptimized && st->kind == S_BLOCK && st->body.n == 1 &&
	       ((struct stmt *)st->body.v[0])->kind != S_BLOCK)
		*st = *(struct stmt *)st->body.v[0];
	mangle_exp(s, st->e);
	mangle_exp(s, st->init);
	mangle_exp(s, st->incr);
	mangle_exp(s, st->value);
	mangle_exp(s, st->limit);
	for (int i = 0; i < st->keys.n; i++)
		mangle_exp(s, st->keys.v[i]);
	for (int i = 0; i < st->body.n; i++)
		mangle_stmt(s, st->body.v[i]);
	mangle_stmt(s, st->s1);
	mangle_stmt(s, st->s2);
}

static void mangle_all(struct session *s)
{
	struct elab_state *es = s->elab;
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->point && s->probes[i]->point->cond && s->probes[i]->point->cond->kind != E_NUM)
			mangle_exp(s, s->probes[i]->point->cond);
	for (int i = 0; i < es->functions.n; i++)
		mangle_stmt(s, ((struct funcdecl *)es->functions.v[i])->body);
	for (int i = 0; i < es->handlers.n; i++)
		mangle_stmt(s, ((struct probe *)es->handlers.v[i])->body);
}

/* The body stap's add_global_var_display gives such a probe, as -v prints it. */
static void display_body(struct session *s, struct strbuf *out, const struct vardecl *v)
{
	static const char *const st[] = { "@count", "@min", "@max", "@sum", "@avg" };
	const char *n = v->name;
	struct strbuf fmt, idx, val;
	sb_init(&fmt);
	sb_init(&idx);
	sb_init(&val);
	sb_puts(&fmt, n);
	if (v->arity > 0) {
		sb_putc(&fmt, '[');
		for (int k = 0; k < v->arity && k < 9; k++) {
			sb_printf(&idx, "%s__idx%d", k ? ", " : "", k);
			sb_puts(&fmt, k ? "," : "");
			sb_puts(&fmt, v->index_types[k] == TY_STRING ? "\\\"%#s\\\"" : "%#d");
		}
		sb_putc(&fmt, ']');
	}
	if (v->type == TY_STATS) {
		for (int k = 0; k < 5; k++)
			sb_printf(&fmt, " %s=%%#%c", st[k], lang_has_version(s, "1.4") ? 'd' : 'x');
	} else {
		sb_puts(&fmt, v->type == TY_STRING ? "=\\\"%#s\\\"" : "=%d");
	}
	if (v->type == TY_STATS)
		for (int k = 0; k < 5; k++)
			sb_printf(&val, ", %s(__global_%s%s%s%s)", st[k], n, v->arity > 0 ? "[" : "",
			          v->arity > 0 ? idx.buf : "", v->arity > 0 ? "]" : "");
	else
		sb_printf(&val, ", %s%s", v->arity > 0 ? "__val" : "__global_", v->arity > 0 ? "" : n);
	sb_puts(out, "{ {\n");
	if (v->arity > 0)
		sb_printf(out, "foreach (%s[%s] in __global_%s-) printf(\"%s\\\\n\", %s%s);\n",
		          v->type == TY_STATS ? "" : "__val = ", idx.buf, n, fmt.buf, idx.buf, val.buf);
	else if (v->type == TY_STATS)
		sb_printf(out, "if ((@count(__global_%s)) == (0)) printf(\"%s @count=0x0\\\\n\")\n"
		          "else printf(\"%s\\\\n\"%s)\n;\n", n, n, fmt.buf, val.buf);
	else
		sb_printf(out, "printf(\"%s\\\\n\"%s);\n", fmt.buf, val.buf);
	sb_puts(out, "} }\n");
	sb_free(&fmt);
	sb_free(&idx);
	sb_free(&val);
}

static void print_function(struct session *s, struct strbuf *out, const struct funcdecl *f)
{
	sb_printf(out, "%s:%s (", f->name, tname(f->type));
	for (int k = 0; k < f->params.n; k++) {
		const struct vardecl *p = f->params.v[k];
		sb_printf(out, "%s%s:%s", k ? ", " : "", p->name, tname(p->type));
	}
	sb_puts(out, ")\n");
	print_locals(out, &f->locals);
	print_body(s, out, f->body);
}

void elab_print(struct session *s, struct strbuf *out)
{
	struct elab_state *es = s->elab;
	if (!es)
		return;
	bool conds = false;
	for (int i = 0; i < s->nprobes; i++)
		conds |= s->probes[i]->point && s->probes[i]->point->cond;
	if (s->opt.verbose || conds)
		mangle_all(s);
	if (es->globals.n > 0)
		sb_puts(out, "# globals\n");
	for (int i = 0; i < es->globals.n; i++) {
		const struct vardecl *v = es->globals.v[i];
		printsig_var(out, v);
		if (s->opt.verbose && v->init) {
			sb_puts(out, " = ");
			ast_print_exp(out, v->init);
		}
		sb_putc(out, '\n');
	}
	if (es->functions.n + es->builtins.n > 0)
		sb_puts(out, "# functions\n");
	int bi = 0;
	/* stap's list is ordered by mangled name: "__global_NAME" (builtins and script
	   functions alike), then the private ones, "__private_FILE_NAME" */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i <= es->functions.n; i++) {
			const struct funcdecl *f = i < es->functions.n ? es->functions.v[i] : NULL;
			if (f && f->priv != (pass == 1))
				continue;
			while (pass == 0 && bi < es->builtins.n) {
				const struct builtin *b = es->builtins.v[bi];
				if (f && strcmp(b->name, f->name) > 0)
					break;
				printsig_builtin(out, b, es->builtin_nargs.v ?
				                 (int)(intptr_t)es->builtin_nargs.v[bi] : 0);
				bi++;
			}
			if (!f)
				break;
			print_function(s, out, f);
		}
	if (s->nprobes > 0)
		sb_puts(out, "# probes\n");
	for (int i = 0; i < s->nprobes; i++) {
		const struct dprobe *dp = s->probes[i];
		const struct exp *cond = dp->point ? dp->point->cond : NULL;
		sb_puts(out, dp->pp ? dp->pp : "?");
		if (cond) {
			sb_puts(out, " if (");
			ast_print_exp(out, cond);
			sb_putc(out, ')');
		}
		if (dp->sig_note)
			sb_printf(out, " /* %s */", dp->sig_note);
		sb_puts(out, " /*");
		for (const struct probe *p = dp->src; p; p = p->base) {
			sb_puts(out, " <- ");
			if (p == dp->src && !p->alias && dp->rewrites_point)
				sb_puts(out, dp->chain_pp ? dp->chain_pp : dp->pp ? dp->pp : "?");
			else
				printsig_probe(out, p);
		}
		sb_puts(out, " */\n");
		print_locals(out, &dp->src->locals);
		if (cond && s->opt.verbose)
			print_cond_body(out, dp->src->body, cond);
		else
			print_body(s, out, dp->src->body);
	}
	/* stap's semantic_pass_conditions adds one begin probe that initialises the conditions */
	if (conds)
		sb_puts(out, s->opt.verbose ? "begin /* <- begin */\n{ ; }\n" : "begin /* <- begin */\n");
	/* the synthetic end probes that print unread globals: __idxN and __val locals */
	for (int i = 0; i < es->displayed.n; i++) {
		const struct vardecl *v = es->displayed.v[i];
		if (i == 0 && s->nprobes == 0)
			sb_puts(out, "# probes\n");
		sb_puts(out, "end /* <- end */\n");
		if (v->arity > 0) {
			sb_puts(out, "  # locals\n");
			for (int k = 0; k < v->arity && k < 9; k++)
				sb_printf(out, "  __idx%d:%s\n", k, tname(v->index_types[k]));
			if (v->type != TY_STATS)
				sb_printf(out, "  __val:%s\n", tname(v->type));
		}
		if (s->opt.verbose)
			display_body(s, out, v);
	}
}

/*
** The preprocessor, evaluated in the token stream as stap's parser::scan_pp1/scan_pp do:
** first @define macros (with @param closures) and their expansion, then %( COND %? A %: B %)
** conditionals on kernel_v[r], arch, runtime, systemtap_v/_privilege, CONFIG_*, literals.
*/
#include <fnmatch.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/utsname.h>

#include "arena.h"
#include "lex.h"
#include "parse.h"
#include "session.h"

struct macro;
struct act {                        /* one macro expansion in progress */
	const struct token *tok;        /* the invocation */
	int cursor;
	struct macro *m;
	struct ptrvec params;           /* struct macro *: parameter closures */
};

struct macro {
	const char *name;
	const struct token *tok;        /* the name in @define NAME */
	struct ptrvec formals;          /* const char * */
	struct ptrvec body;             /* const struct token * */
	bool library;
	struct act *parent;             /* parameter closure: the invoking activation */
};

struct cond { const struct token *tok; int state; };
#define PP_MAX_EXPANSIONS 256       /* nested macro activations: far beyond real use */
enum { PP_NONE, PP_KEEP_THEN, PP_SKIP_THEN, PP_KEEP_ELSE, PP_SKIP_ELSE };

struct pp_state {                   /* per session: s->pp */
	struct ptrvec lib;              /* struct macro *: library macros (.stpm) */
	bool have_uname, have_config;
	char kernel_vr[128], kernel_v[128], arch[80];
	struct ptrvec cfg_names, cfg_vals;
};

struct pp {
	struct session *s;
	struct arena *a;
	struct lexer *lx;
	pp_error_fn err;
	void *ctx;
	struct ptrvec ns;               /* struct macro *: this file's macros */
	struct ptrvec acts;             /* struct act * stack */
	struct ptrvec conds;            /* struct cond * stack */
	bool skipping;                  /* errors are ignored while skipping a branch */
	jmp_buf skip_jmp;
};

static const char *const atwords[] = {
	"cast", "defined", "probewrite", "entry", "perf", "var", "avg", "count", "sum", "min",
	"max", "hist_linear", "hist_log", "const", "variance", "kregister", "uregister",
	"kderef", "uderef", NULL
};

static void fail_at(struct pp *p, const char *msg, const struct token *t, const char *site,
                    const char *chain_msg, const struct token *chain_tok)
{
	if (p->skipping)
		longjmp(p->skip_jmp, 1);
	p->err(p->ctx, msg, t, site, chain_msg, chain_tok);
	abort();    /* err never returns */
}

#define PP_STR2(x) #x
#define PP_STR(x) PP_STR2(x)
#define fail(p, msg, t) fail_at((p), (msg), (t), "pp.c:" PP_STR(__LINE__), NULL, NULL)

static struct pp_state *state(struct session *s)
{
	if (!s->pp)
		s->pp = arena_alloc(&s->arena, sizeof(struct pp_state));
	return s->pp;
}

struct pp *pp_open(struct session *s, struct lexer *lx, pp_error_fn err, void *ctx)
{
	struct pp *p = arena_alloc(&s->script_arena, sizeof(*p));
	p->s = s;
	p->a = &s->script_arena;
	p->lx = lx;
	p->err = err;
	p->ctx = ctx;
	state(s);
	return p;
}

void pp_close(struct pp *p)
{
	(void)p;
}

static struct macro *find(struct ptrvec *v, const char *name)
{
	for (int i = 0; i < v->n; i++) {
		struct macro *m = v->v[i];
		if (!strcmp(m->name, name))
			return m;
	}
	return NULL;
}

const char *pp_commit_library(struct pp *p, const struct token **dup, const struct token **first)
{
	struct pp_state *ps = state(p->s);
	for (int i = 0; i < p->ns.n; i++) {
		struct macro *m = p->ns.v[i], *old = find(&ps->lib, m->name);
		if (old) {
			*dup = m->tok;
			*first = old->tok;
			return m->name;
		}
	}
	for (int i = 0; i < p->ns.n; i++) {
		struct macro *m = p->ns.v[i];
		m->library = true;
		ast_vec_push(&p->s->arena, &ps->lib, m);
	}
	return NULL;
}

/* a token from the current macro body, or from the file */
static const struct token *next_pp1(struct pp *p)
{
	if (!p->acts.n)
		return lex_scan(p->lx);
	struct act *act = p->acts.v[p->acts.n - 1];
	if (act->cursor >= act->m->body.n)
		return NULL;
	struct token *t = arena_alloc(p->a, sizeof(*t));
	*t = *(const struct token *)act->m->body.v[act->cursor++];
	t->chain = act->tok;
	return t;
}

/* body of @define NAME(...) %( BODY %), heeding nested %( %) */
static const struct token *slurp_body(struct pp *p, struct ptrvec *body)
{
	const struct token *t;
	int nesting = 0;
	while ((t = next_pp1(p))) {
		if (lex_is_op(t, "%("))
			nesting++;
		else if (nesting && lex_is_op(t, "%)"))
			nesting--;
		else if (!nesting && lex_is_op(t, "%)"))
			break;
		ast_vec_push(p->a, body, (void *)t);
	}
	return t;
}

/* one macro argument: up to an unbracketed ',' or unbalanced ')' (returned) */
static const struct token *slurp_param(struct pp *p, struct ptrvec *param)
{
	const struct token *t;
	int nesting = 0;
	while ((t = next_pp1(p))) {
		if (lex_is_op(t, "(") || lex_is_op(t, "["))
			nesting++;
		else if (nesting && (lex_is_op(t, ")") || lex_is_op(t, "]")))
			nesting--;
		else if (!nesting && (lex_is_op(t, ")") || lex_is_op(t, ",")))
			break;
		ast_vec_push(p->a, param, (void *)t);
	}
	return t;
}

static void define_macro(struct pp *p, const struct token *t0)
{
	if (p->acts.n)
		fail(p, "'@define' forbidden inside macro body", t0);
	const struct token *t = lex_scan(p->lx);
	if (!(t && t->type == TK_IDENT))
		fail(p, "expected identifier", t);
	struct macro *old = find(&p->ns, t->text);
	if (old)
		fail_at(p, arena_printf(p->a, "attempt to redefine macro '@%s' in the same file",
		                        t->text), t, "pp.c:redefine",
		        arena_printf(p->a, "macro '@%s' first defined here", t->text), old->tok);
	if (!strcmp(t->text, "define"))
		fail(p, "attempt to redefine '@define'", t);
	for (int i = 0; atwords[i]; i++)
		if (!strcmp(atwords[i], t->text))
			diag_warn_tok(&p->s->diag, &t->pos, lex_describe(p->a, t),
			              "macro redefines built-in operator '@%s'", t->text);
	struct macro *m = arena_alloc(p->a, sizeof(*m));
	m->name = t->text;
	m->tok = t;
	ast_vec_push(p->a, &p->ns, m);
	bool saw_params = false;
	t = lex_scan(p->lx);
	if (lex_is_op(t, "(")) {
		saw_params = true;
		for (;;) {
			t = lex_scan(p->lx);
			if (!(t && t->type == TK_IDENT))
				fail(p, "expected identifier", t);
			ast_vec_push(p->a, &m->formals, (void *)t->text);
			t = lex_scan(p->lx);
			if (lex_is_op(t, ","))
				continue;
			if (lex_is_op(t, ")")) {
				t = lex_scan(p->lx);
				break;
			}
			fail(p, "expected ',' or ')'", t);
		}
	}
	if (!lex_is_op(t, "%("))
		fail(p, saw_params ? "expected '%('" : "expected '%(' or '('", t);
	if (!slurp_body(p, &m->body))
		fail(p, "incomplete macro definition - missing '%)'", m->tok);
}

static struct macro *lookup(struct pp *p, const char *name)
{
	struct act *act = p->acts.n ? p->acts.v[p->acts.n - 1] : NULL;
	struct macro *m;
	if (act && (m = find(&act->params, name)))
		return m;
	if (!(act && act->m->library) && (m = find(&p->ns, name)))
		return m;
	return find(&state(p->s)->lib, name);
}

/* @name with decl m: read its arguments and push the activation */
static void invoke(struct pp *p, const struct token *t, struct macro *m)
{
	struct act *cur = p->acts.n ? p->acts.v[p->acts.n - 1] : NULL;
	struct act *act = arena_alloc(p->a, sizeof(*act));
	const char *name = t->text + 1;
	int n = m->formals.n;
	act->tok = t;
	act->m = m;
	if (n == 0 && m->parent) {
		act->params = m->parent->params;   /* a parameter: expand where it was passed */
	} else if (n > 0) {
		t = next_pp1(p);
		if (!lex_is_op(t, "("))
			fail(p, arena_printf(p->a, "expected '(' in invocation of macro '@%s' taking "
			                     "%d parameter%s", name, n, n == 1 ? "" : "s"), t);
		for (int i = 0; i < n; i++) {
			struct macro *pm = arena_alloc(p->a, sizeof(*pm));
			pm->name = m->formals.v[i];
			pm->tok = act->tok;
			pm->parent = cur;
			ast_vec_push(p->a, &act->params, pm);
			t = slurp_param(p, &pm->body);
			if (!t)
				fail(p, "could not find end of macro invocation", act->tok);
			if (lex_is_op(t, ",") && i + 1 == n)
				fail(p, arena_printf(p->a, "too many parameters for macro '@%s' "
				                     "(expected %d)", name, n), t);
			if (lex_is_op(t, ")") && i + 1 != n)
				fail(p, arena_printf(p->a, "too few parameters for macro '@%s' "
				                     "(expected %d)", name, n), t);
		}
	}
	ast_vec_push(p->a, &p->acts, act);
}

/* pass 1: macro definitions and expansions */
static const struct token *scan_pp1(struct pp *p, bool ignore_macros)
{
	for (;;) {
		const struct token *t = next_pp1(p);
		if (!t) {
			if (!p->acts.n)
				return NULL;
			p->acts.n--;
			continue;
		}
		if (lex_is_op(t, "@define") && !ignore_macros) {
			define_macro(p, t);
			continue;
		}
		if (t->type == TK_OP && t->text[0] == '@') {
			struct macro *m = lookup(p, t->text + 1);
			if (!m)
				return t;
			/* stap expands a macro invoking itself forever; refuse at the outermost call */
			if (p->acts.n >= PP_MAX_EXPANSIONS) {
				const struct act *out = p->acts.v[0];
				fail(p, arena_printf(p->a, "recursive macro invocation '%s' (%d nested "
				                     "expansions)", out->tok->text, PP_MAX_EXPANSIONS), out->tok);
			}
			invoke(p, t, m);
			continue;
		}
		return t;
	}
}

/* skip a false branch up to its %: %? or %) (returned), heeding nesting */
static const struct token *skip_pp(struct pp *p)
{
	const struct token *volatile t = NULL;
	volatile int nesting = 0;
	p->skipping = true;
	for (;;) {
		if (setjmp(p->skip_jmp))
			continue;
		t = scan_pp1(p, true);
		if (!t)
			break;
		if (lex_is_op(t, "%("))
			nesting++;
		else if (nesting && lex_is_op(t, "%)"))
			nesting--;
		else if (!nesting && (lex_is_op(t, "%:") || lex_is_op(t, "%?") || lex_is_op(t, "%)")))
			break;
	}
	p->skipping = false;
	return t;
}

static bool pp_eval(struct pp *p, const struct token *l, const struct token *op,
                    const struct token *r);

const struct token *pp_scan(struct pp *p)
{
	for (;;) {
		struct cond *c = p->conds.n ? p->conds.v[p->conds.n - 1] : NULL;
		int st = c ? c->state : PP_NONE;
		const struct token *t = (st == PP_SKIP_THEN || st == PP_SKIP_ELSE) ? skip_pp(p)
		                                                                   : scan_pp1(p, false);
		if (!t) {
			if (st != PP_NONE) {
				p->conds.n--;
				fail(p, "incomplete conditional at end of file", c->tok);
			}
			return NULL;
		}
		if (lex_is_op(t, "%?"))
			fail(p, "incomplete conditional - missing '%('", t);
		if (lex_is_op(t, "%:")) {
			if (st == PP_NONE)
				fail(p, "incomplete conditional - missing '%('", t);
			if (st == PP_KEEP_ELSE || st == PP_SKIP_ELSE)
				fail(p, "invalid conditional - duplicate '%:'", t);
			c->state = st == PP_KEEP_THEN ? PP_SKIP_ELSE : PP_KEEP_ELSE;
			continue;
		}
		if (lex_is_op(t, "%)")) {
			if (st == PP_NONE)
				fail(p, "incomplete conditional - missing '%('", t);
			p->conds.n--;
			continue;
		}
		if (!lex_is_op(t, "%("))
			return t;
		/* %( l op r [&& ...] [|| ...] %? */
		bool result = false, and_result = true;
		const struct token *n;
		for (;;) {
			const struct token *l = scan_pp1(p, false);
			const struct token *o = scan_pp1(p, false);
			const struct token *r = scan_pp1(p, false);
			if (!l || !o || !r)
				fail(p, "incomplete condition after '%('", t);
			and_result &= pp_eval(p, l, o, r);
			n = scan_pp1(p, false);
			if (lex_is_op(n, "&&"))
				continue;
			result |= and_result;
			and_result = true;
			if (!lex_is_op(n, "||"))
				break;
		}
		if (!lex_is_op(n, "%?"))
			fail(p, "expected '%?' marker for conditional", t);
		struct cond *nc = arena_alloc(p->a, sizeof(*nc));
		nc->tok = t;
		nc->state = result ? PP_KEEP_THEN : PP_SKIP_THEN;
		ast_vec_push(p->a, &p->conds, nc);
	}
}

/* ---- conditions ---- */

static void load_uname(struct pp_state *ps)
{
	struct utsname u;
	if (ps->have_uname)
		return;
	ps->have_uname = true;
	if (uname(&u) < 0)
		return;
	snprintf(ps->kernel_vr, sizeof(ps->kernel_vr), "%s", u.release);
	memcpy(ps->kernel_v, ps->kernel_vr, sizeof(ps->kernel_v));
	ps->kernel_v[strcspn(ps->kernel_v, "-")] = 0;
	/* stap's names (util.cxx normalize_machine) */
	const char *m = u.machine;
	if (!fnmatch("i?86", m, 0))
		m = "i386";
	else if (!strcmp(m, "aarch64"))
		m = "arm64";
	else if (!strncmp(m, "arm", 3))
		m = "arm";
	snprintf(ps->arch, sizeof(ps->arch), "%s", m);
}

const char *pp_arch(struct session *s)
{
	load_uname(state(s));
	return state(s)->arch;
}

static void add_config_line(struct session *s, struct pp_state *ps, char *line)
{
	char *eq = strchr(line, '=');
	if (strncmp(line, "CONFIG_", 7) || !eq)
		return;
	*eq = 0;
	char *val = eq + 1;
	val[strcspn(val, "\n")] = 0;
	size_t n = strlen(val);
	if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {   /* stap strips the quotes */
		val[n - 1] = 0;
		val++;
	}
	ast_vec_push(&s->arena, &ps->cfg_names, arena_strdup(&s->arena, line));
	ast_vec_push(&s->arena, &ps->cfg_vals, arena_strdup(&s->arena, val));
}

/* the build tree's .config (what stap reads), /boot/config-RELEASE, else /proc/config.gz
   (read once, on the first CONFIG_ condition) */
static void load_config(struct session *s, struct pp_state *ps)
{
	char path[256], line[4096];
	FILE *f;
	bool is_pipe = false;
	if (ps->have_config)
		return;
	ps->have_config = true;
	load_uname(ps);
	snprintf(path, sizeof(path), "/lib/modules/%s/build/.config", ps->kernel_vr);
	f = fopen(path, "r");
	if (!f) {
		snprintf(path, sizeof(path), "/boot/config-%s", ps->kernel_vr);
		f = fopen(path, "r");
	}
	if (!f) {
		FILE *probe = fopen("/proc/config.gz", "r");
		if (!probe)
			return;
		fclose(probe);
		f = popen("gzip -dc /proc/config.gz 2>/dev/null", "r");
		is_pipe = true;
	}
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		add_config_line(s, ps, line);
	if (is_pipe)
		pclose(f);
	else
		fclose(f);
}

static const char *config(struct pp *p, const char *name)
{
	struct pp_state *ps = state(p->s);
	load_config(p->s, ps);
	for (int i = 0; i < ps->cfg_names.n; i++)
		if (!strcmp(ps->cfg_names.v[i], name))
			return ps->cfg_vals.v[i];
	return "";
}

static int cmp_op(struct pp *p, const struct token *op, int cmp)
{
	const char *o = op->type == TK_OP ? op->text : "";
	if (!strcmp(o, "<=")) return cmp <= 0;
	if (!strcmp(o, ">=")) return cmp >= 0;
	if (!strcmp(o, "<")) return cmp < 0;
	if (!strcmp(o, ">")) return cmp > 0;
	if (!strcmp(o, "==")) return cmp == 0;
	if (!strcmp(o, "!=")) return cmp != 0;
	fail(p, "expected comparison operator", op);
	return 0;
}

static int sign64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* a number token's value, as stap's lex_cast<int64_t> (decimal) */
static int64_t tok_num(const struct token *t)
{
	return strtoll(t->text, NULL, 10);
}

static bool str_num(const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	*v = strtoll(s, &end, 0);
	return errno != ERANGE && errno != EINVAL && *end == 0;
}

/* kernel_v / kernel_vr / systemtap_v: strverscmp, or a glob with == and != */
static bool eval_version(struct pp *p, const char *target, const struct token *op,
                         const struct token *r)
{
	if (r->type != TK_STRING)
		fail(p, "expected string literal", r);
	bool eq = lex_is_op(op, "=="), ne = lex_is_op(op, "!=");
	if (!eq && !ne && !lex_is_op(op, "<=") && !lex_is_op(op, ">=") && !lex_is_op(op, "<")
	    && !lex_is_op(op, ">"))
		fail(p, "expected comparison operator", op);
	if (strpbrk(r->text, "*?[")) {
		if (!eq && !ne)
			fail(p, "wildcard not allowed with order comparison operators", op);
		bool match = fnmatch(r->text, target, FNM_NOESCAPE) == 0;
		return match == eq;
	}
	int c = strverscmp(target, r->text);
	return cmp_op(p, op, c < 0 ? -1 : c > 0);
}

/* arch / runtime / systemtap_privilege / CONFIG_x == "glob" */
static bool eval_glob(struct pp *p, const char *target, const struct token *op,
                      const struct token *r)
{
	if (r->type != TK_STRING)
		fail(p, "expected string literal", r);
	bool match = fnmatch(r->text, target, FNM_NOESCAPE) == 0;
	if (lex_is_op(op, "=="))
		return match;
	if (lex_is_op(op, "!="))
		return !match;
	fail(p, "expected '==' or '!='", op);
	return false;
}

static bool eval_config(struct pp *p, const struct token *l, const struct token *op,
                        const struct token *r)
{
	const char *lv = config(p, l->text);
	int64_t a, b;
	if (r->type == TK_STRING)
		return eval_glob(p, lv, op, r);
	if (r->type == TK_NUMBER) {
		if (!str_num(lv, &a))
			fail(p, "Config option value not a number", l);
		return cmp_op(p, op, sign64(a, tok_num(r)));
	}
	if (r->type == TK_IDENT && !strncmp(r->text, "CONFIG_", 7)) {
		const char *rv = config(p, r->text);
		if (str_num(lv, &a) && str_num(rv, &b))
			return cmp_op(p, op, sign64(a, b));
		int c = strcmp(lv, rv);
		return cmp_op(p, op, c < 0 ? -1 : c > 0);
	}
	fail(p, "expected string, number literal or other CONFIG_... as right side operand", r);
	return false;
}

static bool pp_eval(struct pp *p, const struct token *l, const struct token *op,
                    const struct token *r)
{
	struct pp_state *ps = state(p->s);
	load_uname(ps);
	if (l->type == TK_IDENT) {
		if (!strcmp(l->text, "kernel_v"))
			return eval_version(p, ps->kernel_v, op, r);
		if (!strcmp(l->text, "kernel_vr"))
			return eval_version(p, ps->kernel_vr, op, r);
		if (!strcmp(l->text, "systemtap_v"))
			return eval_version(p, p->s->opt.compatible ? p->s->opt.compatible :
			                    USTAP_COMPAT_VERSION, op, r);
		if (!strcmp(l->text, "systemtap_privilege"))
			return eval_glob(p, "stapdev", op, r);
		if (!strcmp(l->text, "arch"))
			return eval_glob(p, ps->arch, op, r);
		if (!strcmp(l->text, "runtime"))
			return eval_glob(p, "kernel", op, r);
		if (!strcmp(l->text, "guru_mode")) {
			if (r->type != TK_NUMBER)
				fail(p, "expected number", r);
			int64_t v = tok_num(r);
			if (v != 0 && v != 1)
				fail(p, "expected 0 or 1", op);
			if (!lex_is_op(op, "==") && !lex_is_op(op, "!="))
				fail(p, "expected '==' or '!='", op);
			return cmp_op(p, op, sign64(p->s->opt.guru, v));
		}
		if (!strncmp(l->text, "CONFIG_", 7))
			return eval_config(p, l, op, r);
	}
	if (l->type == TK_STRING && r->type == TK_STRING) {
		int c = strcmp(l->text, r->text);
		return cmp_op(p, op, c < 0 ? -1 : c > 0);
	}
	if (l->type == TK_NUMBER && r->type == TK_NUMBER)
		return cmp_op(p, op, sign64(tok_num(l), tok_num(r)));
	if (l->type == TK_STRING && r->type == TK_NUMBER && op->type == TK_OP)
		fail(p, "expected string literal as right value", r);
	if (l->type == TK_NUMBER && r->type == TK_STRING && op->type == TK_OP)
		fail(p, "expected number literal as right value", r);
	fail(p, "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n"
	        "             'runtime', 'systemtap_privilege', 'CONFIG_...', or\n"
	        "             comparison between strings or integers", l);
	return false;
}

/*
** VM unit test: hand-built typed ASTs (as elaboration leaves them) compiled and run,
** without the parser: arithmetic and stap's division, strings bounded by MAXSTRINGLEN,
** locals, globals and arrays, loops, try/catch, MAXACTION, MAXNESTING, and the bench loop.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "compile.h"
#include "session.h"
#include "vm.h"

/* The session's output, when the real session.c is not linked in. */
static struct strbuf captured;
__attribute__((weak)) void sess_write(struct session *s, const char *buf, size_t len)
{
	sb_add(&captured, buf, len);
}
__attribute__((weak)) void sess_flush(struct session *s) { }
__attribute__((weak)) struct rx *rx_compile(struct arena *a, const char *pattern, char *err, size_t errlen)
{
	return NULL;
}
__attribute__((weak)) bool rx_match(const struct rx *r, const char *subject, struct rx_state *st)
{
	return false;
}

static int fails, passes;
#define CHECK(cond, ...) do { if (cond) passes++; else { fails++; \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static struct arena A;
static struct srcfile src = { .name = "<input>", .text = "probe begin { x = 1 / 0 }", .len = 25 };

static struct exp *ex(enum exp_kind k, enum type t)
{
	struct exp *e = arena_alloc(&A, sizeof *e);
	e->kind = k;
	e->type = t;
	e->pos.file = &src;
	e->pos.line = 1;
	e->pos.col = 1;
	return e;
}
static struct exp *num(int64_t v) { struct exp *e = ex(E_NUM, TY_LONG); e->num = v; return e; }
static struct exp *str(const char *v) { struct exp *e = ex(E_STR, TY_STRING); e->str = v; return e; }
static struct exp *sym(struct vardecl *v)
{
	struct exp *e = ex(E_SYM, v->type);
	e->ref = v;
	e->str = v->name;
	return e;
}
static struct exp *bin(enum exp_kind k, const char *op, struct exp *a, struct exp *b, enum type t)
{
	struct exp *e = ex(k, t);
	e->op = op;
	e->a0 = a;
	e->a1 = b;
	return e;
}
static struct exp *idx(struct vardecl *arr, struct exp *key)
{
	struct exp *e = ex(E_INDEX, arr->type);
	e->a0 = sym(arr);
	ast_vec_push(&A, &e->args, key);
	return e;
}
static struct vardecl *var(const char *name, enum type t, bool global, int arity)
{
	struct vardecl *v = arena_alloc(&A, sizeof *v);
	v->name = name;
	v->type = t;
	v->global = global;
	v->arity = arity;
	v->pos.file = &src;
	v->pos.line = 1;
	v->pos.col = 1;
	return v;
}
static struct stmt *st(enum stmt_kind k) { struct stmt *s = arena_alloc(&A, sizeof *s); s->kind = k;
	s->pos.file = &src; s->pos.line = 1; s->pos.col = 15; return s; }
static struct stmt *es(struct exp *e) { struct stmt *s = st(S_EXPR); s->e = e; return s; }
static struct stmt *block(int n, ...)
{
	struct stmt *b = st(S_BLOCK);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		ast_vec_push(&A, &b->body, va_arg(ap, struct stmt *));
	va_end(ap);
	return b;
}
static struct exp *print(const char *name, int n, ...)
{
	struct exp *e = ex(E_PRINT, TY_VOID);
	e->str = name;
	va_list ap;
	va_start(ap, n);
	/* printf/sprintf: the format, printd...: the delimiter, as the parser stores them */
	bool fmt = strstr(name, "printf") || strstr(name, "printd");
	for (int i = 0; i < n; i++) {
		struct exp *a = va_arg(ap, struct exp *);
		if (i == 0 && fmt)
			e->fmt = a;
		else
			ast_vec_push(&A, &e->args, a);
	}
	va_end(ap);
	return e;
}

/* Compile one probe body with the given locals into a fresh session and run it. */
static int run(struct session *s, struct stmt *body, struct ptrvec *locals, char *err, size_t n)
{
	memset(s, 0, sizeof *s);
	s->lim.maxstringlen = 512;
	s->lim.maxmapentries = 2048;
	s->lim.maxaction = 1000;
	s->lim.maxnesting = 10;
	struct probe *pr = arena_alloc(&A, sizeof *pr);
	pr->body = body;
	if (locals)
		pr->locals = *locals;
	pr->pos.file = &src;
	struct dprobe *dp = arena_alloc(&A, sizeof *dp);
	dp->src = pr;
	dp->pp = "begin";
	struct dprobe *list[1] = { dp };
	s->probes = list;
	s->nprobes = 1;
	arena_init(&s->script_arena);
	diag_init(&s->diag, stdout);
	sb_reset(&captured);
	if (comp_script(s, NULL) != 0)
		return -2;
	vm_init(s->script, s);
	int r = vm_run(s->script->vm, s->script->byprobe[0], NULL);
	if (r < 0 && err) {
		struct strbuf sb;
		sb_init(&sb);
		vm_error_text(&sb, s->script->vm);
		snprintf(err, n, "%s", sb.buf);
		sb_free(&sb);
	}
	s->probes = NULL;
	return r;
}

static void finish(struct session *s)
{
	struct script *sc = s->script;
	vm_free(sc->vm);
	free(sc->funcs);
	free(sc->globals);
	free(sc->k);
	free(sc->str);
	free(sc->bi);
	free(sc->fmt);
	free(sc->re);
	diag_free(&s->diag);
	arena_free(&s->script_arena);
}

static void test_arith(void)
{
	struct session s;
	struct vardecl *x = var("x", TY_LONG, false, 0);
	struct ptrvec locals = { 0 };
	ast_vec_push(&A, &locals, x);
	struct exp *asg = bin(E_ASSIGN, "=", sym(x),
			      bin(E_BINARY, "-", bin(E_BINARY, "*", num(7), num(6), TY_LONG), num(2), TY_LONG), TY_LONG);
	struct exp *d = bin(E_BINARY, "/", num(INT64_MIN), num(-1), TY_LONG);
	struct exp *m = bin(E_BINARY, "%", num(-7), num(3), TY_LONG);
	run(&s, block(2, es(asg), es(print("printf", 4, str("%d %d %d\n"), sym(x), d, m))), &locals, NULL, 0);
	CHECK(captured.buf && strcmp(captured.buf, "40 -9223372036854775808 -1\n") == 0, "arith: %s", captured.buf);
	finish(&s);
}

static void test_div0(void)
{
	struct session s;
	struct exp *d = bin(E_BINARY, "/", num(1), num(0), TY_LONG);
	d->pos.col = 21;
	char err[512] = "";
	int r = run(&s, block(1, es(print("print", 1, d))), NULL, err, sizeof err);
	CHECK(r == -1 && strcmp(err, "division by 0 near operator '/' at <input>:1:21") == 0, "div0: %d %s", r, err);
	finish(&s);
}

static void test_strings(void)
{
	struct session s;
	struct vardecl *v = var("s", TY_STRING, false, 0);
	struct ptrvec locals = { 0 };
	ast_vec_push(&A, &locals, v);
	/* s = "ab"; s .= "cd"; s = s . s . s ... truncated at 511 */
	struct stmt *b = block(3,
		es(bin(E_ASSIGN, "=", sym(v), str("ab"), TY_STRING)),
		es(bin(E_ASSIGN, ".=", sym(v), str("cd"), TY_STRING)),
		es(print("println", 1, sym(v))));
	run(&s, b, &locals, NULL, 0);
	CHECK(captured.buf && strcmp(captured.buf, "abcd\n") == 0, "strings: %s", captured.buf);
	finish(&s);

	/* while (1) s .= "x": the MAXACTION budget (10 * MAXACTION) stops it */
	struct stmt *w = st(S_WHILE);
	w->e = num(1);
	w->s1 = es(bin(E_ASSIGN, ".=", sym(v), str("xyz"), TY_STRING));
	char err[512] = "";
	int r = run(&s, block(1, w), &locals, err, sizeof err);
	CHECK(r == -1 && strncmp(err, "MAXACTION exceeded near ", 24) == 0, "maxaction: %s", err);
	CHECK(strlen(s.script->vm->stack[0].s) == 511, "truncated to 511: %zu", strlen(s.script->vm->stack[0].s));
	finish(&s);
}

static void test_try(void)
{
	struct session s;
	struct vardecl *msg = var("msg", TY_STRING, false, 0);
	struct ptrvec locals = { 0 };
	ast_vec_push(&A, &locals, msg);
	struct stmt *t = st(S_TRY);
	t->s1 = es(print("print", 1, bin(E_BINARY, "%", num(1), num(0), TY_LONG)));
	t->catch_var = msg;
	t->s2 = es(print("printf", 2, str("caught: %s\n"), sym(msg)));
	run(&s, block(2, t, es(print("println", 1, str("after")))), &locals, NULL, 0);
	CHECK(captured.buf && strcmp(captured.buf, "caught: division by 0\nafter\n") == 0, "try: %s", captured.buf);
	finish(&s);
}

static void test_bench(void)
{
	/* global a, sum; for (i=0; i<3000000; i++) { a[i % 1000] += i; sum += i } */
	struct session s;
	struct vardecl *a = var("a", TY_LONG, true, 1);
	a->index_types[0] = TY_LONG;
	struct vardecl *sum = var("sum", TY_LONG, true, 0);
	struct vardecl *i = var("i", TY_LONG, false, 0);
	struct ptrvec locals = { 0 };
	ast_vec_push(&A, &locals, i);
	struct stmt *f = st(S_FOR);
	f->init = bin(E_ASSIGN, "=", sym(i), num(0), TY_LONG);
	f->e = bin(E_COMPARE, "<", sym(i), num(3000000), TY_LONG);
	f->incr = ex(E_POSTINC, TY_LONG);
	f->incr->op = "++";
	f->incr->a0 = sym(i);
	f->s1 = block(2,
		es(bin(E_ASSIGN, "+=", idx(a, bin(E_BINARY, "%", sym(i), num(1000), TY_LONG)), sym(i), TY_LONG)),
		es(bin(E_ASSIGN, "+=", sym(sum), sym(i), TY_LONG)));
	struct stmt *p = block(2, f, es(print("printf", 3, str("%d %d\n"), sym(sum), idx(a, num(999)))));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&s, 0, sizeof s);
	int r = run(&s, p, &locals, NULL, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	(void)r;
	/* MAXACTION stops it at the default budget: check it is a soft error, then lift it */
	CHECK(r == -1, "bench loop hits MAXACTION by default");
	finish(&s);
	s.opt.suppress_time_limits = true;
	/* rerun with no limit */
	memset(&s, 0, sizeof s);
	s.lim.maxstringlen = 512;
	s.lim.maxmapentries = 2048;
	s.lim.maxaction = 1000;
	s.opt.suppress_time_limits = true;
	struct probe *pr = arena_alloc(&A, sizeof *pr);
	pr->body = p;
	pr->locals = locals;
	struct dprobe *dp = arena_alloc(&A, sizeof *dp);
	dp->src = pr;
	dp->pp = "begin";
	struct dprobe *list[1] = { dp };
	s.probes = list;
	s.nprobes = 1;
	diag_init(&s.diag, stdout);
	sb_reset(&captured);
	comp_script(&s, NULL);
	vm_init(s.script, &s);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = vm_run(s.script->vm, s.script->byprobe[0], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	CHECK(r == 0 && captured.buf && strcmp(captured.buf, "4499998500000 4501497000\n") == 0,
	      "bench: %d %s", r, captured.buf);
	printf("bench loop: %.1f ms\n", ms);
	if (getenv("VM_LIST")) {
		struct strbuf l;
		sb_init(&l);
		comp_list(&l, s.script);
		fputs(l.buf, stdout);
		sb_free(&l);
	}
	s.probes = NULL;
	finish(&s);
}

int main(void)
{
	arena_init(&A);
	sb_init(&captured);
	test_arith();
	test_div0();
	test_strings();
	test_try();
	test_bench();
	arena_free(&A);
	printf("test_vm: %d passed, %d failed\n", passes, fails);
	return fails ? 1 : 0;
}

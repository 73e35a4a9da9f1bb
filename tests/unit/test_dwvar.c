/*
** $target variables end to end without the engine: run tests/targets/dwtypes (-O0 and -O2)
** under a minimal ptrace loop (one int3 per probed function), build a struct ctx over the
** stopped thread, and read values through dw_tvar's descriptors; error texts via diag.
*/
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "context.h"
#include "dwarf.h"
#include "provider.h"
#include "session.h"
#include "unit.h"
#include "unwind.h"

static char targets[1024];

struct tctx {
	struct ctx c;
	struct user_regs_struct regs;
};

static int t_read(struct ctx *c, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };
	return process_vm_readv(c->pid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -1;
}

static int t_write(struct ctx *c, uint64_t addr, const void *buf, size_t len)
{
	struct iovec l = { (void *)buf, len }, r = { (void *)(uintptr_t)addr, len };
	return process_vm_writev(c->pid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -1;
}

/* x86_64 DWARF numbering: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip */
static unsigned long long *t_regp(struct ctx *c, int no)
{
	struct user_regs_struct *r = &((struct tctx *)c)->regs;
	unsigned long long *map[17] = { &r->rax, &r->rdx, &r->rcx, &r->rbx, &r->rsi, &r->rdi,
		&r->rbp, &r->rsp, &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14,
		&r->r15, &r->rip };
	return no >= 0 && no < 17 ? map[no] : NULL;
}

static int t_reg(struct ctx *c, int no, uint64_t *v)
{
	unsigned long long *p = t_regp(c, no);
	if (!p)
		return -1;
	*v = *p;
	return 0;
}

static int t_set_reg(struct ctx *c, int no, uint64_t v)
{
	unsigned long long *p = t_regp(c, no);
	if (!p)
		return -1;
	*p = v;
	return ptrace(PTRACE_SETREGS, c->pid, 0, &((struct tctx *)c)->regs);
}

static uint64_t t_pc(struct ctx *c) { return ((struct tctx *)c)->regs.rip; }

static const struct ctx_ops t_ops = { .read = t_read, .write = t_write, .reg = t_reg,
                                      .set_reg = t_set_reg, .pc = t_pc };

/* ---- building expressions ---- */

static struct exp *mk(struct arena *a, enum exp_kind k, const char *str)
{
	struct exp *e = arena_alloc(a, sizeof *e);
	e->kind = k;
	e->str = str;
	return e;
}

static void push_comp(struct arena *a, struct exp *e, struct tcomp *c)
{
	void **v = arena_alloc(a, (e->comps.n + 1) * sizeof *v);
	if (e->comps.n)
		memcpy(v, e->comps.v, e->comps.n * sizeof *v);
	v[e->comps.n++] = c;
	e->comps.v = v;
	e->comps.cap = e->comps.n;
}

/* comps in a tiny syntax: ">f" field, "#3" index, "?" index expression, "$" / "$$" pretty */
static struct exp *tv(struct arena *a, enum exp_kind k, const char *str, const char *comps)
{
	struct exp *e = mk(a, k, str);
	char buf[256];
	snprintf(buf, sizeof buf, "%s", comps ? comps : "");
	for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
		struct tcomp *c = arena_alloc(a, sizeof *c);
		if (t[0] == '>') {
			c->kind = COMP_FIELD;
			c->field = arena_strdup(a, t + 1);
		} else if (t[0] == '#') {
			c->kind = COMP_INDEX_NUM;
			c->num = atoll(t + 1);
		} else if (t[0] == '?') {
			c->kind = COMP_INDEX_EXP;
		} else if (t[0] == '&') {
			e->addr_of = true;
			continue;
		} else {
			c->kind = COMP_PRETTY;
			c->pretty = (int)strlen(t);
		}
		push_comp(a, e, c);
	}
	return e;
}

/* ---- one run of the target ---- */

struct probe_case {
	const char *func;
	void (*check)(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc);
};

static int64_t rl(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc,
                  struct exp *e, const int64_t *idx)
{
	struct tvar t;
	int64_t l = -999;
	char str[512];
	if (dw_tvar(s, m, pc, false, e, &t) != 0 || t.type != TY_LONG)
		return -998;
	tc->c.err[0] = 0;
	if (t.read(&tc->c, &t, idx, &l, str) != 0)
		return -997;
	return l;
}

static char *rs(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc,
                struct exp *e)
{
	static char str[4096];
	struct tvar t;
	int64_t l;
	snprintf(str, sizeof str, "(failed)");
	if (dw_tvar(s, m, pc, false, e, &t) != 0 || t.type != TY_STRING)
		return str;
	if (t.read(&tc->c, &t, NULL, &l, str) != 0)
		snprintf(str, sizeof str, "(read error: %s)", tc->c.err);
	return str;
}

#define A (&s->arena)
#define L(kind, name, comps) rl(s, m, pc, tc, tv(A, kind, name, comps), NULL)
#define S(kind, name, comps) rs(s, m, pc, tc, tv(A, kind, name, comps))

static void at_helper(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc)
{
	CHECK_L(L(E_TARGET, "$k", NULL), 1);
	CHECK_L(L(E_TARGET, "$o", ">id"), 42);
	CHECK_L(L(E_TARGET, "$o", ">in >a"), 7);
	CHECK_S(S(E_TARGET, "$o", ">in >name $"), "\"abc\"");
	/* stap's dwarf_pretty_print: a nested array with $ is "[...]", with $$ its text */
	CHECK_S(S(E_TARGET, "$o", ">in $"), "{.a=7, .name=[...]}");
	CHECK_S(S(E_TARGET, "$o", ">in $$"), "{.a=7, .name=\"abc\"}");
	CHECK_S(S(E_TARGET, "$o", ">arr $$"), "[{.a=1, .name=\"x\"}, ...]");
	CHECK_S(S(E_TARGET, "$o", ">arr $"), "[{...}, ...]");
	CHECK_L(L(E_TARGET, "$o", ">arr #1 >a"), 2);
	CHECK_L(L(E_TARGET, "$o", ">flag"), 5);
	CHECK_L(L(E_TARGET, "$o", ">neg"), -3);
	CHECK_L(L(E_TARGET, "$o", ">col"), 5);
	CHECK_L(L(E_TARGET, "$o", ">sh"), -2);
	CHECK_L(L(E_TARGET, "$o", ">uc"), 200);
	CHECK_S(S(E_TARGET, "$o", ">label $"), "\"lbl\"");
	CHECK_L(L(E_TARGET, "$o", "& >arr #1") - L(E_TARGET, "$o", "& >arr #0"), 12);
	CHECK_L(L(E_TARGET, "$gcount", NULL), 5);
	CHECK_L(L(E_ATVAR, "gcount", NULL), 5);
	CHECK_L(L(E_ATVAR, "garr@dwtypes.c", "#3"), -40);
	CHECK_S(S(E_ATVAR, "gname", "$"), "\"global-name\"");
	CHECK_S(S(E_ATVAR, "gin", "$$"), "{.a=99, .name=\"gin\"}");
	int64_t idx[2] = { L(E_TARGET, "$o", ">in"), 1 };
	CHECK_L(rl(s, m, pc, tc, tv(A, E_CAST, "struct inner", ">a"), idx), 7);
	CHECK_L(rl(s, m, pc, tc, tv(A, E_CAST, "struct inner", ">name ?"), idx), 'b');
	struct exp *ae = tv(A, E_TARGET, "$o", ">arr ? >a");
	CHECK_L(rl(s, m, pc, tc, ae, idx + 1), 2);
}

static void at_leaf(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc)
{
	CHECK_L(L(E_TARGET, "$x", NULL), 8);
	CHECK_L(L(E_TARGET, "$y", NULL), 1);
	CHECK_S(S(E_TARGET, "$$parms", NULL), "x=0x8 y=0x1");
	CHECK_S(S(E_TARGET, "$$parms", "$"), "x=8 y=1");
}

static void at_greet(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc)
{
	CHECK_S(S(E_TARGET, "$$parms", "$"), "who=\"world\" initial='w' big=12345678901");
	CHECK_S(S(E_TARGET, "$who", "$"), "\"world\"");
	CHECK_L(L(E_TARGET, "$initial", NULL), 'w');
	const char *p = S(E_TARGET, "$$parms", NULL);
	CHECK(!strncmp(p, "who=0x", 6) && strstr(p, " initial=0x77 big=0x2dfdc1c35"));
}

static void at_sum_arr(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc)
{
	CHECK_L(L(E_TARGET, "$n", NULL), 5);
	CHECK_L(L(E_TARGET, "$v", "#0"), 1);        /* sorted by qsort */
	CHECK_L(L(E_TARGET, "$v", "#4"), 9);
	CHECK(!strncmp(S(E_TARGET, "$opaque", "$"), "0x", 2));   /* void*: %p */
	CHECK_S(S(E_TARGET, "$v", "$"), "1");   /* long const*: chased at top, as stap does */
}

/* The stack's symbols, innermost first: "leaf helper main ..." */
static const char *stack_syms(struct session *s, struct tctx *tc)
{
	static char buf[2048];
	uint64_t pcs[32];
	int n = unw_ustack(&tc->c, pcs, 32), len = 0;
	buf[0] = 0;
	for (int i = 0; i < n; i++) {
		char name[128];
		uint64_t off, size;
		const char *mod;
		if (dw_addr_sym(s, tc->c.pid, pcs[i], name, sizeof name, &off, &size, &mod) != 0)
			snprintf(name, sizeof name, "?");
		len += snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "", name);
	}
	return buf;
}

static void at_leaf_stack(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc)
{
	at_leaf(s, m, pc, tc);
	const char *st = stack_syms(s, tc);
	/* -O2: no frame pointers; helper is a gcc clone (helper.constprop.0.isra.0) */
	CHECK(!strncmp(st, "leaf helper", 11) && strstr(st, " main "));
}

static void at_cmp(struct session *s, struct dw_module *m, uint64_t pc, struct tctx *tc)
{
	const char *st = stack_syms(s, tc);
	/* through libc's qsort (its own CFI, no frame pointer) back to main */
	CHECK(!strncmp(st, "cmp_long ", 9) && strstr(st, " qsort") && strstr(st, " main "));
	if (!strstr(st, " main "))
		fprintf(stderr, "stack: %s\n", st);
}

static void run(struct session *s, const char *bin, const struct probe_case *cases, int n)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", targets, bin);
	struct dw_module *m = dw_module_get(s, path);
	uint64_t pcs[8], saved[8];
	int status;

	CHECK(m != NULL);
	if (!m)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);       /* the exec stop */
	uint64_t bias = 0;
	dw_pid_forget(s, pid);
	dw_addr_module(s, pid, 0, &bias);     /* reads the maps */
	for (int i = 0; i < n; i++) {
		struct dw_func f;
		void on(void *arg, const struct dw_func *ff) { *(struct dw_func *)arg = *ff; }
		memset(&f, 0, sizeof f);
		dw_functions(m, cases[i].func, NULL, 0, on, &f);
		pcs[i] = f.probe_pc;
	}
	/* bias: the exe's lowest mapping (PIE at 0 in the file) */
	char maps[64], line[512];
	snprintf(maps, sizeof maps, "/proc/%d/maps", pid);
	FILE *mf = fopen(maps, "r");
	while (mf && fgets(line, sizeof line, mf))
		if (strstr(line, path)) {
			bias = strtoull(line, NULL, 16) - dw_module_base(m);
			break;
		}
	if (mf)
		fclose(mf);
	for (int i = 0; i < n; i++) {
		uint64_t a = pcs[i] + bias;
		saved[i] = ptrace(PTRACE_PEEKTEXT, pid, a, 0);
		ptrace(PTRACE_POKETEXT, pid, a, (saved[i] & ~0xffULL) | 0xcc);
	}
	ptrace(PTRACE_CONT, pid, 0, 0);
	while (waitpid(pid, &status, 0) == pid && WIFSTOPPED(status)) {
		struct tctx tc;
		memset(&tc, 0, sizeof tc);
		ptrace(PTRACE_GETREGS, pid, 0, &tc.regs);
		uint64_t at = tc.regs.rip - 1;
		int i;
		for (i = 0; i < n && pcs[i] + bias != at; i++)
			;
		if (WSTOPSIG(status) != SIGTRAP || i == n) {
			ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status));
			continue;
		}
		ptrace(PTRACE_POKETEXT, pid, at, saved[i]);
		tc.regs.rip = at;
		ptrace(PTRACE_SETREGS, pid, 0, &tc.regs);
		tc.c.sess = s;
		tc.c.pid = tc.c.tid = pid;
		tc.c.mod_bias = bias;
		tc.c.ops = &t_ops;
		dw_pid_forget(s, pid);      /* libraries are mapped by now */
		cases[i].check(s, m, pcs[i], &tc);
		ptrace(PTRACE_CONT, pid, 0, 0);
	}
}

static void test_errors(struct session *s)
{
	char path[1200], *buf = NULL;
	size_t len = 0;
	struct tvar t;
	struct srcfile sf = { "<input>", "probe x { $nosuch }", 19, false };
	snprintf(path, sizeof path, "%s/dwtypes", targets);
	struct dw_module *m = dw_module_get(s, path);
	struct dw_func f;
	void on(void *arg, const struct dw_func *ff) { *(struct dw_func *)arg = *ff; }
	dw_functions(m, "single", NULL, 0, on, &f);

	FILE *mem = open_memstream(&buf, &len);
	diag_init(&s->diag, mem);
	struct exp *e = tv(A, E_TARGET, "$nosuch", NULL);
	e->pos = (struct srcpos){ &sf, 1, 11 };
	CHECK_L(dw_tvar(s, m, f.probe_pc, false, e, &t), -1);
	fflush(mem);
	char want[2048];
	/* stap -p2 on the same binary (Debian 12 gcc) printed this line: DIE offset of single, pc */
	snprintf(want, sizeof want, "semantic error: unable to find local 'nosuch', [man error::dwarf] "
	         "dieoffset 0x477 in %s, near pc %#llx in single tests/targets/dwtypes.c "
	         "(alternatives: $only)): identifier '$nosuch' at <input>:1:11\n", path,
	         (unsigned long long)f.probe_pc);
	char *nl = strchr(buf, '\n');
	if (nl)
		nl[1] = 0;
	CHECK_S(buf, want);
	fclose(mem);
	free(buf);
	diag_init(&s->diag, stderr);
}

int main(void)
{
	struct session sess, *s = &sess;
	char exe[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	snprintf(targets, sizeof targets, "%s/../targets", dirname(exe));
	char *rp = realpath(targets, NULL);
	if (rp) {
		snprintf(targets, sizeof targets, "%s", rp);
		free(rp);
	}
	memset(s, 0, sizeof *s);
	arena_init(&s->arena);
	diag_init(&s->diag, stderr);
	s->lim.maxstringlen = 512;

	static const struct probe_case o0[] = {
		{ "helper", at_helper }, { "leaf", at_leaf }, { "greet", at_greet },
		{ "sum_arr", at_sum_arr },
	};
	run(s, "dwtypes", o0, 4);
	static const struct probe_case o2[] = {
		{ "leaf", at_leaf_stack }, { "greet", at_greet }, { "cmp_long", at_cmp },
	};
	run(s, "dwtypes-O2", o2, 3);
	test_errors(s);
	dw_free(s);
	return unit_done("test_dwvar");
}

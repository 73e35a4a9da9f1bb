/*
** DWARF and symbols against the built targets (no ptrace): -l/-L text compared with what
** Debian's stap 4.x printed for the same binaries (tests/unit/dwarf/NAME.txt, @TARGETS@ for the
** build's targets dir), function lookup with stap's probe address, line lookup, symbols.
*/
#include <libgen.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "dwarf.h"
#include "session.h"
#include "unit.h"

static char targets[1024], srcdir[1024];

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb;
	char buf[4096];
	size_t n;

	sb_init(&sb);
	sb_puts(&sb, "");
	if (!f)
		return sb_steal(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	return sb_steal(&sb);
}

/* The expected file with @TARGETS@ replaced by this build's targets dir. */
static char *expected(const char *name)
{
	char path[2048];
	snprintf(path, sizeof path, "%s/tests/unit/dwarf/%s", srcdir, name);
	char *raw = slurp(path), *p = raw, *q;
	struct strbuf sb;

	sb_init(&sb);
	sb_puts(&sb, "");
	while ((q = strstr(p, "@TARGETS@"))) {
		sb_add(&sb, p, q - p);
		sb_puts(&sb, targets);
		p = q + 9;
	}
	sb_puts(&sb, p);
	free(raw);
	return sb_steal(&sb);
}

static void check_list(struct session *s, const char *bin, bool stmt, bool vars, const char *file)
{
	char path[1200], prefix[1300];
	struct strbuf out;

	snprintf(path, sizeof path, "%s/%s", targets, bin);
	snprintf(prefix, sizeof prefix, "process(\"%s\")", path);
	struct dw_module *m = dw_module_get(s, path);
	CHECK(m != NULL);
	if (!m)
		return;
	sb_init(&out);
	sb_puts(&out, "");
	dw_list(s, m, prefix, stmt, "", "*", stmt ? "dwtypes.c" : NULL, 0, vars, &out);
	char *want = expected(file);
	if (getenv("DW_DUMP")) {         /* DW_DUMP=dir: keep what we printed, for diffing */
		char dump[2048];
		snprintf(dump, sizeof dump, "%s/%s", getenv("DW_DUMP"), file);
		FILE *f = fopen(dump, "w");
		if (f) {
			fputs(out.buf, f);
			fclose(f);
		}
	}
	CHECK_S(out.buf, want);
	free(want);
	sb_free(&out);
}

struct found { const char *name; uint64_t entry, probe; int line; const char *file; int n; };

static void on_func(void *arg, const struct dw_func *f)
{
	struct found *fd = arg;
	fd->name = f->name;
	fd->entry = f->entry;
	fd->probe = f->probe_pc;
	fd->line = f->line;
	fd->file = f->file;
	fd->n++;
}

static void test_funcs(struct session *s)
{
	char path[1200];
	struct found fd = { 0 };
	snprintf(path, sizeof path, "%s/dwtypes", targets);
	struct dw_module *m = dw_module_get(s, path);

	CHECK_L(dw_functions(m, "helper", NULL, 0, on_func, &fd), 1);
	CHECK_S(fd.file, "tests/targets/dwtypes.c");
	CHECK_L(fd.line, 37);
	CHECK(fd.probe > fd.entry);                       /* -O0: after the prologue */
	CHECK(dw_func_at(m, fd.probe) && !strcmp(dw_func_at(m, fd.probe)->name, "helper"));
	memset(&fd, 0, sizeof fd);
	CHECK_L(dw_functions(m, "*", "dwtypes.c", 0, on_func, &fd), 7);
	memset(&fd, 0, sizeof fd);
	CHECK_L(dw_functions(m, "*", "nosuch.c", 0, on_func, &fd), 0);
	CHECK_L(dw_functions(m, "_start", NULL, 0, on_func, &fd), 1);   /* symbol table only */

	const char *name;
	uint64_t off, size, addr;
	CHECK_L(dw_sym_addr(m, "leaf", &addr, &size), 0);
	CHECK_L(dw_sym(m, addr + 3, &name, &off, &size), 0);
	CHECK_S(name, "leaf");
	CHECK_L(off, 3);
	CHECK_L(dw_sym_addr(m, "gcount", &addr, &size), 0);
	CHECK_L(size, 4);
	CHECK(dw_module_get(s, path) == m);                /* cached */
	CHECK(dw_module_is_pie(m));

	snprintf(path, sizeof path, "%s/dwtypes-O2", targets);
	m = dw_module_get(s, path);
	memset(&fd, 0, sizeof fd);
	CHECK_L(dw_functions(m, "leaf", NULL, 0, on_func, &fd), 1);
	CHECK(fd.probe == fd.entry);                       /* loclists: no prologue skip */
}

/* libc's malloc is a symbol alias of DWARF's __libc_malloc: stap -L lists
   function("__libc_malloc@./malloc/malloc.c:3280") for function("malloc"). Needs libc6-dbg. */
static void test_alias(struct session *s)
{
	struct dw_module *m = dw_module_get(s, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	struct found fd = { 0 };

	if (!m || !dw_module_has_dwarf(m)) {
		printf("test_dwarf: no libc debuginfo, alias case skipped\n");
		return;
	}
	CHECK_L(dw_functions(m, "malloc", NULL, 0, on_func, &fd), 1);
	CHECK_S(fd.name, "__libc_malloc");
	CHECK(fd.file && strstr(fd.file, "malloc.c"));
}

/* Our own address space: libc's symbols through /proc/self/maps. */
static void test_self(struct session *s)
{
	char name[128];
	uint64_t off, size;
	const char *mod;
	uint64_t a = (uint64_t)(uintptr_t)&getppid;   /* not intercepted under ASan */

	CHECK_L(dw_addr_sym(s, getpid(), a + 1, name, sizeof name, &off, &size, &mod), 0);
	CHECK_S(name, "getppid");
	CHECK_L(off, 1);
	CHECK(strstr(mod, "libc") != NULL);
	CHECK_L(dw_addr_sym(s, getpid(), 8, name, sizeof name, &off, &size, &mod), -1);
}

int main(int argc, char **argv)
{
	struct session s;
	char exe[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	exe[n > 0 ? n : 0] = 0;
	/* BUILD/tests/unit/test_dwarf -> BUILD/tests/targets */
	snprintf(targets, sizeof targets, "%s/../targets", dirname(exe));
	char *rp = realpath(targets, NULL);
	if (rp) {
		snprintf(targets, sizeof targets, "%s", rp);
		free(rp);
	}
	snprintf(srcdir, sizeof srcdir, "%s", argc > 1 ? argv[1] : ".");
	memset(&s, 0, sizeof s);
	arena_init(&s.arena);

	check_list(&s, "dwtypes", false, false, "l_func_dwtypes.txt");
	check_list(&s, "dwtypes", false, true, "L_func_dwtypes.txt");
	check_list(&s, "dwtypes-O2", false, false, "l_func_dwtypes-O2.txt");
	check_list(&s, "dwtypes-O2", false, true, "L_func_dwtypes-O2.txt");
	check_list(&s, "dwtypes", true, true, "L_stmt_dwtypes.txt");
	check_list(&s, "dwtypes-O2", true, true, "L_stmt_dwtypes-O2.txt");
	test_funcs(&s);
	test_self(&s);
	test_alias(&s);
	dw_free(&s);
	arena_free(&s.arena);
	return unit_done("test_dwarf");
}

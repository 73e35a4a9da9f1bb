/*
** process("PATH").plt("GLOB")[.return] and the .library("LIB") component of process points, as
** stap's uprobes tapset offers them: PLT stubs named by their .rela.plt JUMP_SLOT relocations,
** and the shared libraries a .library() names for an executable (stap's find_executable, then
** the executable's needed libraries as the dynamic linker lists them, then a glob).
*/
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <glob.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "context.h"
#include "dwarf.h"
#include "dwarf_int.h"
#include "elab.h"
#include "prov_process.h"
#include "provider.h"
#include "session.h"

extern const struct provider prov_process;

struct plt_ent {
	const char *name;
	uint64_t addr;
};

struct plt_scan {
	struct plt_ent *v;
	int n;
};

static Elf_Scn *find_scn(Elf *e, size_t shstr, const char *name, GElf_Shdr *sh)
{
	for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn)) {
		const char *n = gelf_getshdr(scn, sh) ? elf_strptr(e, shstr, sh->sh_name) : NULL;
		if (n && !strcmp(n, name))
			return scn;
	}
	return NULL;
}

/* Entry cnt of .rela.plt/.rel.plt jumps through stub cnt: in .plt.sec when the binary has one
   (IBT: .plt then holds the lazy-binding halves, run once at most), else .plt after its
   header entry. */
static void relocs(Elf *e, Elf_Scn *rscn, const GElf_Shdr *rsh, bool rela, uint64_t stub0,
                   uint64_t stride, struct session *s, struct plt_scan *out)
{
	GElf_Shdr symsh;
	Elf_Scn *symscn = elf_getscn(e, rsh->sh_link);
	Elf_Data *data = elf_getdata(rscn, NULL), *sym = symscn ? elf_getdata(symscn, NULL) : NULL;
	if (!data || !sym || !gelf_getshdr(symscn, &symsh) || !rsh->sh_entsize)
		return;
	int n = (int)(rsh->sh_size / rsh->sh_entsize);
	out->v = arena_alloc(&s->arena, (size_t)(n ? n : 1) * sizeof *out->v);
	for (int i = 0; i < n; i++) {
		GElf_Rela ra;
		GElf_Rel rl;
		GElf_Sym sy;
		uint64_t info = rela ? (gelf_getrela(data, i, &ra) ? ra.r_info : 0) :
		                (gelf_getrel(data, i, &rl) ? rl.r_info : 0);
		const char *name = gelf_getsym(sym, (int)GELF_R_SYM(info), &sy) ?
		                   elf_strptr(e, symsh.sh_link, sy.st_name) : NULL;
		if (name)   /* stap: "" for a relocation without a symbol (IRELATIVE) */
			out->v[out->n++] = (struct plt_ent){ arena_strdup(&s->arena, name),
			                                     stub0 + (uint64_t)i * stride };
	}
}

/* The PLT stubs of path by name, in .rela.plt order. 0, or -1 (errno) if unreadable. */
static int plt_scan(struct session *s, const char *path, struct plt_scan *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *e = NULL;
	size_t shstr;
	GElf_Shdr plt, sec, rsh;
	GElf_Ehdr eh;
	*out = (struct plt_scan){ 0 };
	elf_version(EV_CURRENT);
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_READ_MMAP, NULL)) || elf_getshdrstrndx(e, &shstr) < 0 ||
	    !gelf_getehdr(e, &eh)) {
		if (e)
			elf_end(e);
		if (fd >= 0)
			close(fd);
		errno = errno ? errno : ENOEXEC;
		return -1;
	}
	uint64_t head = eh.e_machine == EM_AARCH64 ? 32 : 16, stride = 16;
	Elf_Scn *pscn = find_scn(e, shstr, ".plt", &plt), *sscn = find_scn(e, shstr, ".plt.sec", &sec);
	Elf_Scn *rscn = find_scn(e, shstr, ".rela.plt", &rsh);
	bool rela = rscn != NULL;
	if (!rscn)
		rscn = find_scn(e, shstr, ".rel.plt", &rsh);
	if (eh.e_machine == EM_386 || eh.e_machine == EM_X86_64 || eh.e_machine == EM_AARCH64) {
		if (rscn && sscn)
			relocs(e, rscn, &rsh, rela, sec.sh_addr, stride, s, out);
		else if (rscn && pscn)
			relocs(e, rscn, &rsh, rela, plt.sh_addr + head, stride, s, out);
	}
	elf_end(e);
	close(fd);
	return 0;
}

static int point_error(struct session *s, const struct probe_point *pt, int ci, const char *msg)
{
	const struct ppcomp *c = pt->comps.v[ci < pt->comps.n ? ci : pt->comps.n - 1];
	char desc[160];
	snprintf(desc, sizeof desc, "identifier '%s'", c->functor);
	diag_error(&s->diag, "semantic", prov_comp_pos(s, &c->pos), desc, "%s", msg);
	return -1;
}

static int no_match(struct session *s, const struct plt_scan *sc, const char *glob)
{
	struct ptrvec names = { 0 };
	char similar[512] = "";
	for (int i = 0; i < sc->n; i++)
		ast_vec_push(&s->arena, &names, (void *)sc->v[i].name);
	elab_levenshtein_suggest(glob, &names, 5, similar, sizeof similar);
	if (similar[0])
		diag_error(&s->diag, "semantic", NULL, NULL, "no match (similar functions: %s)", similar);
	else
		diag_error(&s->diag, "semantic", NULL, NULL, "no match");
	return -1;
}

/* stap's pp of a PLT probe is the statement it becomes (process("P").statement(0xADDR)); -l
   shows the point before that, with the stub's name: LIST_PREFIX.plt("name"). */
static void add_stub(struct session *s, struct probe *src, struct probe_point *pt,
                     const struct pprobe *proto, const char *list_prefix, const struct plt_ent *en)
{
	const char *ret = proto->is_return ? ".return" : "";
	const char *pp = arena_printf(&s->arena, "process(\"%s\").statement(0x%" PRIx64 ")%s",
	                              proto->path, en->addr, ret);
	struct dprobe *dp = sess_add_probe(s, &prov_process, src, pt, pp);
	struct pprobe *p = arena_alloc(&s->arena, sizeof(*p));
	*p = *proto;
	p->dp = dp;
	p->kind = PK_CODE;
	p->addr = p->entry = p->entry_pc = en->addr;
	p->plt_name = en->name;
	p->func = "";
	p->list_pp = arena_printf(&s->arena, "%s.plt(\"%s\")%s", list_prefix, en->name, ret);
	dp->data = p;
	dp->is_return = p->is_return;
	dp->rewrites_point = true;
	if (proto->dw)
		dp->sig_note = arena_printf(&s->arena, "pc=%s+0x%" PRIx64, dw_module_is_pie(proto->dw) ?
		                            ".dynamic" : ".absolute", en->addr - dw_module_base(proto->dw));
}

int plt_expand(struct session *s, struct probe *src, struct probe_point *pt, int ci,
               const struct pprobe *proto, const char *list_prefix)
{
	const struct ppcomp *c = pt->comps.v[ci];
	const struct ppcomp *t = ci + 1 < pt->comps.n ? pt->comps.v[ci + 1] : NULL;
	const char *glob = !c->arg ? "*" : c->arg->kind == E_STR ? c->arg->str : NULL;
	struct pprobe pr = *proto;
	struct plt_scan sc;
	int hits = 0;
	if (!glob)
		return point_error(s, pt, ci, "probe point mismatch");
	if (t && (strcmp(t->functor, "return") || t->arg || ci + 2 < pt->comps.n))
		return point_error(s, pt, ci + 1, "probe point mismatch");
	pr.is_return = t != NULL;
	pr.dw = dw_module_get(s, proto->path);
	if (plt_scan(s, proto->path, &sc) < 0) {
		diag_error(&s->diag, "semantic", NULL, NULL, "cannot find module %s debuginfo: %s",
		           proto->path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < sc.n; i++)
		if (fnmatch(glob, sc.v[i].name, 0) == 0) {
			add_stub(s, src, pt, &pr, list_prefix, &sc.v[i]);
			hits++;
		}
	if (hits || pt->optional)
		return hits;
	return no_match(s, &sc, glob);
}

/* $$name: the stub's function; nothing else (stap: no debuginfo at a PLT stub) */
static int name_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *str)
{
	snprintf(str, (size_t)c->sess->lim.maxstringlen + 1, "%s", (const char *)tv->data);
	return 0;
}

int plt_tvar(struct session *s, struct pprobe *p, struct exp *e, struct tvar *out)
{
	if (e->kind == E_TARGET && e->str && !strcmp(e->str, "$$name") && !e->comps.n) {
		*out = (struct tvar){ .type = TY_STRING, .read = name_read, .data = (void *)p->plt_name };
		return 0;
	}
	diag_error(&s->diag, "semantic", &e->pos, elab_tokdesc(s, e),
	           "unable to find plt variable '%s' (alternatives: $$name)", e->str ? e->str : "");
	return -1;
}

/* ---- .library("LIB") ---- */

static bool is_file(const char *p)
{
	struct stat st;
	return access(p, R_OK) == 0 && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* stap's find_executable(LIB, "LD_LIBRARY_PATH") when it resolves fully: a name with a '/'
   as it is, else the first $LD_LIBRARY_PATH directory holding it, else the name in the
   current directory; canonical. NULL if no such file. */
static char *lib_direct(const char *lib)
{
	char *r = NULL, buf[PATH_MAX];
	if (strpbrk(lib, "*?["))
		return NULL;
	const char *env = strchr(lib, '/') ? NULL : getenv("LD_LIBRARY_PATH");
	char *dirs = env ? strdup(env) : NULL, *save = NULL;
	for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d && !r; d = strtok_r(NULL, ":", &save)) {
		snprintf(buf, sizeof buf, "%s/%s", d, lib);
		if (is_file(buf))
			r = realpath(buf, NULL);
	}
	free(dirs);
	if (!r && access(lib, F_OK) == 0)
		r = realpath(lib, NULL);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The libraries exe needs, as its dynamic linker lists them (stap's ldd run:
   LD_TRACE_LOADED_OBJECTS), sorted and unique; NULL-terminated, malloc'd. */
static char **needed_libs(struct session *s, const char *exe, const char *interp)
{
	int fds[2];
	char **v = calloc(1, sizeof *v);
	int n = 0;
	if (!v || !interp || pipe2(fds, O_CLOEXEC) < 0)
		return v;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		int dn = open("/dev/null", O_RDWR);
		if (dn >= 0)
			dup2(dn, 0), dup2(dn, 2);
		setenv("LD_TRACE_LOADED_OBJECTS", "1", 1);
		setenv("LD_WARN", "yes", 1);
		setenv("LD_BIND_NOW", "yes", 1);
		execl(interp, interp, exe, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	FILE *f = pid > 0 ? fdopen(fds[0], "r") : NULL;
	char line[512], so[256], lib[256];
	unsigned long a;
	while (f && fgets(line, sizeof line, f)) {
		int nf = sscanf(line, "%255s => %255s (0x%lx)", so, lib, &a);
		if ((nf != 3 || lib[0] != '/') && (sscanf(line, " %255s (0x%lx)", lib, &a) != 2 || lib[0] != '/'))
			continue;
		bool dup = false;
		for (int i = 0; i < n && !dup; i++)
			dup = !strcmp(v[i], lib);
		if (dup)
			continue;
		if (s->opt.verbose > 2 && nf == 3)   /* stap's words */
			fprintf(stderr, "Added -d '%s' due to '%s'\n", lib, so);
		else if (s->opt.verbose > 2)
			fprintf(stderr, "Added -d '%s'\n", lib);
		char **nv = realloc(v, (size_t)(n + 2) * sizeof *v);
		if (!nv)
			break;
		v = nv;
		v[n++] = strdup(lib);
		v[n] = NULL;
	}
	if (f)
		fclose(f);
	else
		close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	qsort(v, (size_t)n, sizeof *v, cmp_str);
	return v;
}

static char *interp_of(const char *exe)
{
	int fd = open(exe, O_RDONLY | O_CLOEXEC);
	Elf *e = fd >= 0 ? (elf_version(EV_CURRENT), elf_begin(fd, ELF_C_READ_MMAP, NULL)) : NULL;
	size_t nph = 0, size;
	char *r = NULL, *raw = e ? elf_rawfile(e, &size) : NULL;
	if (e && elf_getphdrnum(e, &nph) < 0)
		nph = 0;
	for (size_t i = 0; raw && i < nph && !r; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_INTERP && ph.p_offset < size)
			r = strndup(raw + ph.p_offset, size - ph.p_offset);
	}
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	return r;
}

static void add_lib(struct session *s, struct plt_lib **v, int *n, const char *path, const char *text)
{
	struct plt_lib *nv = arena_alloc(&s->arena, (size_t)(*n + 1) * sizeof *nv);
	if (*n)
		memcpy(nv, *v, (size_t)*n * sizeof *nv);
	nv[*n] = (struct plt_lib){ arena_strdup(&s->arena, path), arena_strdup(&s->arena, text) };
	*v = nv;
	(*n)++;
}

/* A name that matched none of the needed libraries: a glob expanded on the file system,
   else stap's "similar libraries" from the needed ones. */
static int lib_fallback(struct session *s, const char *lib, char **need, struct plt_lib **out, int *n)
{
	if (strpbrk(lib, "*?[")) {
		glob_t g;
		if (glob(lib, 0, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++) {
				char *r = is_file(g.gl_pathv[i]) ? realpath(g.gl_pathv[i], NULL) : NULL;
				if (r)
					add_lib(s, out, n, r, r);
				free(r);
			}
			globfree(&g);
		}
		return *n;
	}
	struct ptrvec names = { 0 };
	char similar[512] = "";
	for (int i = 0; need[i]; i++)
		ast_vec_push(&s->arena, &names, (void *)arena_strdup(&s->arena, need[i]));
	elab_levenshtein_suggest(lib, &names, 5, similar, sizeof similar);
	if (!similar[0])
		return 0;
	diag_error(&s->diag, "semantic", NULL, NULL, "no match (similar librar%s: %s)",
	           strchr(similar, ',') ? "ies" : "y", similar);
	return -1;
}

int plt_libraries(struct session *s, const char *exe, const char *lib, struct plt_lib **out)
{
	int n = 0;
	char *direct = lib_direct(lib);
	*out = NULL;
	if (direct) {   /* the point keeps the user's text */
		add_lib(s, out, &n, direct, lib);
		free(direct);
		return n;
	}
	char *interp = interp_of(exe), *pat = arena_printf(&s->arena, "*%s", lib);
	char **need = needed_libs(s, exe, interp);
	for (int i = 0; need && need[i]; i++) {
		char *r = fnmatch(pat, need[i], 0) == 0 ? realpath(need[i], NULL) : NULL;
		if (r)
			add_lib(s, out, &n, r, r);
		free(r);
	}
	if (!n && need)
		n = lib_fallback(s, lib, need, out, &n);
	for (int i = 0; need && need[i]; i++)
		free(need[i]);
	free(need);
	free(interp);
	return n;
}

/* ---- .function("GLOB").exported ---- */

struct exp_sym {
	const char *name;
	int idx;
	bool ok;
};

static int by_name_idx(const void *a, const void *b)
{
	const struct exp_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static void add_sym(struct exp_sym *v, int *k, const char *name, int idx, const GElf_Sym *sy)
{
	int b = GELF_ST_BIND(sy->st_info);
	if (name && *name)
		v[(*k)++] = (struct exp_sym){ name, idx, GELF_ST_TYPE(sy->st_info) == STT_FUNC &&
		                              (b == STB_GLOBAL || b == STB_WEAK || b == STB_GNU_UNIQUE) };
}

/* stap's func_is_exported: the first symbol of that name in the module's symbol table (as
   libdwfl gives it: the separate debug file's .symtab when there is one, where exported
   names carry their @@VERSION) is a global, weak or unique function. */
int plt_exports_load(struct session *s, struct dw_module *m, struct plt_exports *out)
{
	int n = m && m->dmod ? dwfl_module_getsymtab(m->dmod) : -1, k = 0;
	struct exp_sym *v = calloc(n > 0 ? (size_t)n : 1, sizeof *v);
	*out = (struct plt_exports){ 0 };
	for (int i = 0; v && i < n; i++) {
		GElf_Sym sy;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym(m->dmod, i, &sy, &shndx);
		if (name)
			add_sym(v, &k, name, i, &sy);
	}
	if (v)
		qsort(v, (size_t)k, sizeof *v, by_name_idx);
	out->v = arena_alloc(&s->arena, (size_t)(k + 1) * sizeof *out->v);
	for (int i = 0; v && i < k; i++)
		if ((i == 0 || strcmp(v[i].name, v[i - 1].name)) && v[i].ok)
			out->v[out->n++] = arena_strdup(&s->arena, v[i].name);
	free(v);
	return n < 0 ? -1 : 0;
}

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool plt_exported(const struct plt_exports *x, const char *name)
{
	return x->n && bsearch(name, x->v, (size_t)x->n, sizeof *x->v, cmp_name);
}

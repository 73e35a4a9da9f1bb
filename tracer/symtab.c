/*
** Symbols: each module's ELF symbol table (.symtab, else .dynsym, or the debuginfo's) as
** one sorted array for address -> name+offset/size, and the mapping of a traced process's
** addresses to modules (/proc/PID/maps, cached per pid until dw_pid_forget).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dwarf_int.h"
#include "engine.h"
#include "session.h"

struct dw_map {
	uint64_t start, end, bias;
	struct dw_module *mod;      /* NULL: anonymous or not an ELF file */
	const char *path;
};

struct dw_pid {
	struct dw_pid *next;
	int pid;
	struct dw_map *maps;
	int nmaps;
};

static int cmp_sym(const void *a, const void *b)
{
	const struct dw_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if ((x->size != 0) != (y->size != 0))
		return x->size ? -1 : 1;                    /* the sized one first */
	return x->rank - y->rank;
}

static bool wanted_sym(const GElf_Sym *sym, const char *name)
{
	int t = GELF_ST_TYPE(sym->st_info);

	return name && name[0] && sym->st_shndx != SHN_UNDEF && sym->st_value != 0 &&
	       (t == STT_FUNC || t == STT_GNU_IFUNC || t == STT_OBJECT);
}

void dw_load_syms(struct dw_module *m)
{
	int n, k = 0;

	if (m->syms || !m->dmod)
		return;
	n = dwfl_module_getsymtab(m->dmod);
	m->syms = calloc(n > 0 ? n : 1, sizeof *m->syms);
	if (!m->syms)
		abort();
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(m->dmod, i, &sym, &addr, NULL, NULL, NULL);
		if (!wanted_sym(&sym, name))
			continue;
		int t = GELF_ST_TYPE(sym.st_info), b = GELF_ST_BIND(sym.st_info);
		m->syms[k++] = (struct dw_sym){ addr, sym.st_size, name,
		                                t == STT_FUNC || t == STT_GNU_IFUNC,
		                                b == STB_GLOBAL ? 0 : b == STB_WEAK ? 1 : 2, i };
	}
	/* every name is kept (aliases expand globs); at one address the first (sized, then
	   global) is the one addresses are named by */
	qsort(m->syms, k, sizeof *m->syms, cmp_sym);
	m->nsyms = k;
}

int dw_sym(struct dw_module *m, uint64_t addr, const char **name, uint64_t *off, uint64_t *size)
{
	int lo = 0, hi;

	dw_load_syms(m);
	hi = m->nsyms - 1;
	while (lo <= hi) {       /* last symbol at or below addr */
		int mid = (lo + hi) / 2;
		if (m->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	if (hi < 0)
		return -1;
	int next = hi + 1;
	while (hi > 0 && m->syms[hi - 1].addr == m->syms[hi].addr)
		hi--;
	const struct dw_sym *sy = &m->syms[hi];
	/* an unsized symbol covers up to the next one, as stap's symbol tables do */
	uint64_t end = sy->size ? sy->addr + sy->size
	                        : (next < m->nsyms ? m->syms[next].addr : sy->addr + 1);
	if (addr >= end)
		return -1;
	*name = sy->name;
	*off = addr - sy->addr;
	*size = sy->size ? sy->size : end - sy->addr;
	return 0;
}

int dw_sym_addr(struct dw_module *m, const char *name, uint64_t *addr, uint64_t *size)
{
	dw_load_syms(m);
	for (int i = 0; i < m->nsyms; i++)
		if (!strcmp(m->syms[i].name, name)) {
			*addr = m->syms[i].addr;
			*size = m->syms[i].size;
			return 0;
		}
	return -1;
}

/* ---- per-pid address space ---- */

static uint64_t map_bias(const struct dw_module *m, uint64_t start, uint64_t off)
{
	for (int i = 0; i < m->nloads; i++) {
		const struct dw_load *l = &m->loads[i];
		uint64_t pg = l->offset & ~(uint64_t)0xfff;
		if (off >= pg && off < l->offset + l->filesz)
			return start - (off + l->vaddr - l->offset);
	}
	return start - off;
}

static void read_maps(struct session *s, struct dw_pid *p)
{
	char fn[64], line[4096];
	FILE *f;
	int cap = 0;

	snprintf(fn, sizeof fn, "/proc/%d/maps", p->pid);
	free(p->maps);
	p->maps = NULL;
	p->nmaps = 0;
	if (!(f = fopen(fn, "re")))
		return;
	while (fgets(line, sizeof line, f)) {
		unsigned long long lo, hi, off;
		char perms[8];
		int pos = 0;
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &lo, &hi, perms, &off, &pos) < 4 ||
		    perms[2] != 'x' || pos == 0)
			continue;
		char *path = line + pos;
		path[strcspn(path, "\n")] = 0;
		bool vdso = !strcmp(path, "[vdso]");   /* stap's task finder names it "vdso" */
		if (path[0] != '/' && !vdso)
			continue;
		if (p->nmaps == cap) {
			cap = cap ? 2 * cap : 32;
			p->maps = realloc(p->maps, cap * sizeof *p->maps);
			if (!p->maps)
				abort();
		}
		struct dw_map *mp = &p->maps[p->nmaps++];
		mp->start = lo;
		mp->end = hi;
		mp->mod = vdso ? NULL : dw_module_get(s, path);
		mp->path = mp->mod ? dw_module_path(mp->mod) : arena_strdup(&s->arena, vdso ? "vdso" : path);
		mp->bias = mp->mod ? map_bias(mp->mod, lo, off) : lo - off;
	}
	fclose(f);
}

static struct dw_pid *pid_get(struct session *s, int pid)
{
	struct dw_state *st = dw_state_get(s);
	struct dw_pid *p;

	for (p = st->pids; p; p = p->next)
		if (p->pid == pid)
			return p;
	p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->pid = pid;
	p->next = st->pids;
	st->pids = p;
	read_maps(s, p);
	return p;
}

static const struct dw_map *map_find(const struct dw_pid *p, uint64_t addr)
{
	for (int i = 0; i < p->nmaps; i++)
		if (addr >= p->maps[i].start && addr < p->maps[i].end)
			return &p->maps[i];
	return NULL;
}

/* The engine's module table (tracer/module.c) when it traces pid: biases from the program
   headers and the link map, right even for text remapped onto huge pages. */
static bool engine_map(struct session *s, int pid, uint64_t addr, struct dw_map *out)
{
	struct pt_proc *p;

	for (p = s->pt ? s->pt->procs : NULL; p && p->pid != pid; p = p->next)
		;
	for (struct mod *m = p ? p->mods : NULL; m; m = m->next) {
		if (addr < m->lo || addr >= m->hi)
			continue;
		if (!m->dw)
			m->dw = dw_module_get(s, m->path);
		*out = (struct dw_map){ m->lo, m->hi, m->bias, m->dw, m->path };
		return true;
	}
	return false;
}

/* pid 0 (begin/end/timer probes: no thread): any process traced, then any address space
   seen before (maps are kept after exit), so that an end probe can print saved stacks. */
static const struct dw_map *any_map(struct session *s, uint64_t addr, struct dw_map *em)
{
	for (struct pt_proc *p = s->pt ? s->pt->procs : NULL; p; p = p->next)
		if (engine_map(s, p->pid, addr, em))
			return em;
	for (struct dw_pid *p = s->dw ? s->dw->pids : NULL; p; p = p->next) {
		const struct dw_map *mp = map_find(p, addr);
		if (mp)
			return mp;
	}
	return NULL;
}

int dw_addr_sym(struct session *s, int pid, uint64_t addr, char *name, size_t n,
                uint64_t *off, uint64_t *size, const char **module)
{
	struct dw_map em;
	const struct dw_map *mp = pid ? (engine_map(s, pid, addr, &em) ? &em : NULL)
	                              : any_map(s, addr, &em);
	const char *sn;

	if (!mp && pid) {
		struct dw_pid *p = pid_get(s, pid);
		if (!(mp = map_find(p, addr))) {    /* mapped since we looked (dlopen) */
			read_maps(s, p);
			if (!(mp = map_find(p, addr)))
				return -1;
		}
	}
	if (!mp)
		return -1;
	*module = mp->path;
	if (n)
		name[0] = 0;
	*off = addr - mp->start;
	*size = 0;
	if (!mp->mod || dw_sym(mp->mod, addr - mp->bias, &sn, off, size) != 0) {
		*off = addr - mp->bias;
		return 1;
	}
	if (n)
		snprintf(name, n, "%s", sn);
	return 0;
}

void dw_pid_note(struct session *s, int pid)
{
	if (pid > 0)
		pid_get(s, pid);
}

struct dw_module *dw_addr_module(struct session *s, int pid, uint64_t addr, uint64_t *bias)
{
	struct dw_map em;
	if (engine_map(s, pid, addr, &em)) {
		*bias = em.bias;
		return em.mod;
	}
	struct dw_pid *p = pid_get(s, pid);
	const struct dw_map *mp = map_find(p, addr);

	if (!mp) {
		read_maps(s, p);
		if (!(mp = map_find(p, addr)))
			return NULL;
	}
	*bias = mp->bias;
	return mp->mod;
}

void dw_pid_forget(struct session *s, int pid)
{
	struct dw_state *st = dw_state_get(s);

	for (struct dw_pid **pp = &st->pids; *pp; pp = &(*pp)->next)
		if ((*pp)->pid == pid) {
			struct dw_pid *p = *pp;
			*pp = p->next;
			free(p->maps);
			free(p);
			return;
		}
}

void dw_pid_free_all(struct session *s)
{
	while (s->dw && s->dw->pids)
		dw_pid_forget(s, s->dw->pids->pid);
}

int dw_addr_line(struct session *s, int pid, uint64_t addr, const char **file, int *line)
{
	char name[8];
	uint64_t off, size, bias;
	const char *mod;
	struct dw_module *m;
	Dwarf_Die cu;

	*file = NULL;
	*line = 0;
	if (dw_addr_sym(s, pid, addr, name, 0, &off, &size, &mod) < 0)
		return -1;
	if (!(m = pid ? dw_addr_module(s, pid, addr, &bias) : NULL)) {
		struct dw_map em;      /* pid 0: the same search as dw_addr_sym's */
		const struct dw_map *mp = any_map(s, addr, &em);
		if (!mp || !(m = mp->mod))
			return -1;
		bias = mp->bias;
	}
	if (!m->dw || !dwarf_addrdie(m->dw, addr - bias, &cu))
		return -1;
	Dwarf_Line *l = dwarf_getsrc_die(&cu, addr - bias);
	if (!l)
		return -1;
	*file = dwarf_linesrc(l, NULL, NULL);
	dwarf_lineno(l, line);
	return 0;
}

int dw_module_bias(struct session *s, int pid, struct dw_module *m, uint64_t *bias)
{
	struct pt_proc *p;

	for (p = s->pt ? s->pt->procs : NULL; p && p->pid != pid; p = p->next)
		;
	for (struct mod *md = p ? p->mods : NULL; md; md = md->next)
		if (md->dw == m || !strcmp(md->path, m->path)) {
			*bias = md->bias;
			return 0;
		}
	struct dw_pid *dp = pid_get(s, pid);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < dp->nmaps; i++)
			if (dp->maps[i].mod == m) {
				*bias = dp->maps[i].bias;
				return 0;
			}
		read_maps(s, dp);       /* loaded since we looked */
	}
	return -1;
}

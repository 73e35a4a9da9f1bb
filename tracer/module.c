/*
** The modules of a traced process and their load biases, from auxv (AT_PHDR for the
** executable, AT_BASE for the dynamic linker) and the r_debug link map (l_addr), never from
** "the r-xp mapping of the file": text remapped onto hugetlb shows no such mapping.
** A 32-bit process (p->mode 1, gcc -m32) has 32-bit auxv entries, r_debug and link_map.
*/
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dwarf.h"
#include "engine.h"
#include "session.h"

/* The arch mode of p's executable from its ELF header (native when unreadable). */
static int exe_mode(int pid)
{
	char path[64];
	Elf32_Ehdr eh;     /* e_ident and e_machine sit at the same offsets in both classes */
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = pread(fd, &eh, sizeof(eh), 0);
	close(fd);
	if (n != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return 0;
	return arch_elf_mode(eh.e_ident[EI_CLASS], eh.e_machine);
}

int mod_read_auxv(struct pt_proc *p)
{
	char path[64];
	uint64_t av[128];
	p->mode = exe_mode(p->pid);
	snprintf(path, sizeof(path), "/proc/%d/auxv", p->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, av, sizeof(av));
	close(fd);
	int w = arch_ptr_bytes(p->mode), cnt = n > 0 ? (int)(n / (2 * w)) : 0;
	for (int i = 0; i < cnt; i++) {
		uint64_t type = 0, val = 0;
		memcpy(&type, (char *)av + 2 * i * w, w);
		memcpy(&val, (char *)av + 2 * i * w + w, w);
		if (type == AT_NULL)
			break;
		if (type == AT_ENTRY) p->entry = val;
		if (type == AT_PHDR) p->phdr = val;
		if (type == AT_BASE) p->at_base = val;
	}
	return 0;
}

/* What the file's program headers say: where its headers and dynamic section are, its span. */
struct elf_info {
	uint64_t phdr_vaddr, dyn_vaddr, lo, hi;
	char interp[PATH_MAX];
};

/* The ELF header's fields elf_info needs, either class. */
static int read_ehdr(int fd, Elf64_Ehdr *eh)
{
	Elf32_Ehdr e32;
	if (pread(fd, eh, sizeof(*eh), 0) < (ssize_t)sizeof(e32) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return -1;
	if (eh->e_ident[EI_CLASS] == ELFCLASS64)
		return 0;
	if (eh->e_ident[EI_CLASS] != ELFCLASS32)
		return -1;
	memcpy(&e32, eh, sizeof(e32));
	eh->e_phoff = e32.e_phoff;
	eh->e_phnum = e32.e_phnum;
	eh->e_phentsize = e32.e_phentsize;
	return 0;
}

static int read_phdr(int fd, const Elf64_Ehdr *eh, int i, Elf64_Phdr *ph)
{
	off_t at = (off_t)eh->e_phoff + (off_t)i * eh->e_phentsize;
	if (eh->e_ident[EI_CLASS] == ELFCLASS64)
		return pread(fd, ph, sizeof(*ph), at) == sizeof(*ph) ? 0 : -1;
	Elf32_Phdr p;
	if (pread(fd, &p, sizeof(p), at) != sizeof(p))
		return -1;
	*ph = (Elf64_Phdr){ .p_type = p.p_type, .p_offset = p.p_offset, .p_vaddr = p.p_vaddr,
	                    .p_filesz = p.p_filesz, .p_memsz = p.p_memsz };
	return 0;
}

static int elf_info(const char *path, struct elf_info *ei)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	memset(ei, 0, sizeof(*ei));
	ei->lo = UINT64_MAX;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	bool phdr_seen = false;
	if (read_ehdr(fd, &eh) < 0) {
		close(fd);
		errno = ENOEXEC;
		return -1;
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		if (read_phdr(fd, &eh, i, &ph) < 0)
			break;
		if (ph.p_type == PT_PHDR)
			ei->phdr_vaddr = ph.p_vaddr, phdr_seen = true;
		if (ph.p_type == PT_DYNAMIC)
			ei->dyn_vaddr = ph.p_vaddr;
		if (ph.p_type == PT_INTERP && ph.p_filesz < sizeof(ei->interp))
			if (pread(fd, ei->interp, ph.p_filesz, ph.p_offset) < 0)
				ei->interp[0] = 0;
		if (ph.p_type == PT_LOAD) {
			if (ph.p_vaddr < ei->lo)
				ei->lo = ph.p_vaddr;
			if (ph.p_vaddr + ph.p_memsz > ei->hi)
				ei->hi = ph.p_vaddr + ph.p_memsz;
			if (!phdr_seen && ph.p_offset == 0)
				ei->phdr_vaddr = ph.p_vaddr + eh.e_phoff;
		}
	}
	close(fd);
	return 0;
}

bool mod_same_file(const char *a, const char *b)
{
	struct stat x, y;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

struct mod *mod_find(struct pt_proc *p, const char *path)
{
	for (struct mod *m = p->mods; m; m = m->next)
		if (strcmp(m->path, path) == 0 || mod_same_file(m->path, path))
			return m;
	return NULL;
}

static struct mod *mod_add(struct pt_proc *p, const char *path, uint64_t bias, const struct elf_info *ei)
{
	for (struct mod *m = p->mods; m; m = m->next)
		if (m->bias == bias && (strcmp(m->path, path) == 0 || mod_same_file(m->path, path))) {
			m->seen = true;
			return NULL;
		}
	struct mod *m = calloc(1, sizeof(*m));
	m->path = strdup(path);
	m->bias = bias;
	m->lo = ei->lo + bias;
	m->hi = ei->hi + bias;
	m->seen = true;
	struct mod **mp = &p->mods;     /* keep load order: executable first */
	while (*mp)
		mp = &(*mp)->next;
	*mp = m;
	return m;
}

/* n words of p at at (4 bytes each in an i386 process), as 64-bit values */
static int read_words(struct pt_proc *p, uint64_t at, uint64_t *v, int n)
{
	uint32_t b[8];
	if (arch_ptr_bytes(p->mode) == 8)
		return pt_read(p, at, v, 8 * n);
	if (pt_read(p, at, b, 4 * n) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		v[i] = b[i];
	return 0;
}

/* r_debug from the executable's DT_DEBUG (0 until the dynamic linker set it). */
static uint64_t find_r_debug(struct pt_proc *p, uint64_t dyn)
{
	uint64_t d[2], size = 2 * (uint64_t)arch_ptr_bytes(p->mode);   /* d_tag, d_un */
	for (int i = 0; i < 512 && read_words(p, dyn + size * i, d, 2) == 0; i++) {
		if (d[0] == DT_NULL)
			break;
		if (d[0] == DT_DEBUG)
			return d[1];
	}
	return 0;
}

/* struct r_debug and the link_map entries, either word size. */
struct rdbg { int state; uint64_t map, brk; };
struct lmap { uint64_t addr, name, next; };

static int read_r_debug(struct pt_proc *p, struct rdbg *rd)
{
	uint64_t v[4];   /* r_version (int, padded to a word), r_map, r_brk, r_state */
	if (!p->r_debug || read_words(p, p->r_debug, v, 4) < 0)
		return -1;
	rd->map = v[1];
	rd->brk = v[2];
	rd->state = (int)v[3];
	return 0;
}

static int read_lmap(struct pt_proc *p, uint64_t at, struct lmap *lm)
{
	uint64_t v[4];   /* l_addr, l_name, l_ld, l_next */
	if (read_words(p, at, v, 4) < 0)
		return -1;
	lm->addr = v[0];
	lm->name = v[1];
	lm->next = v[3];
	return 0;
}

/* *whole: the map was consistent (not mid dlopen/dlclose) and read to its end. */
static int walk_link_map(struct pt_proc *p, bool *whole)
{
	struct rdbg rd;
	struct lmap lm;
	int added = 0;
	*whole = false;
	if (read_r_debug(p, &rd) < 0)
		return 0;
	uint64_t at = rd.map;
	*whole = rd.state == RT_CONSISTENT && at;
	for (int i = 0; at && i < 4096; i++, at = lm.next) {
		char name[PATH_MAX];
		struct elf_info ei;
		if (read_lmap(p, at, &lm) < 0) {
			*whole = false;
			break;
		}
		name[0] = 0;
		for (size_t k = 0; lm.name && k < sizeof(name) - 1; k++) {
			if (pt_read(p, lm.name + k, &name[k], 1) < 0)
				name[k] = 0;
			if (!name[k])
				break;
			name[k + 1] = 0;
		}
		if (name[0] != '/' && strchr(name, '/')) {   /* found through a relative rpath: "./libx.so" */
			char rel[PATH_MAX + 32];
			snprintf(rel, sizeof rel, "/proc/%d/cwd/%s", p->pid, name);
			if (!realpath(rel, name))
				continue;
		}
		if (name[0] != '/' || elf_info(name, &ei) < 0)
			continue;
		added += mod_add(p, name, lm.addr, &ei) != NULL;
	}
	return added;
}

/* dlclose unmapped them: their breakpoints are gone with the text (the glibc dynamic linker
   unmaps before its RT_CONSISTENT report); a later dlopen places new ones. */
static void drop_unseen(struct pt_proc *p)
{
	for (struct mod **mp = &p->mods; *mp;) {
		struct mod *m = *mp;
		if (m->seen || m == p->mods) {
			mp = &m->next;
			continue;
		}
		*mp = m->next;
		bp_forget_range(p, m->lo, m->hi);
		free(m->path);
		free(m);
	}
}

int mod_refresh(struct session *s, struct pt_proc *p)
{
	char exe[PATH_MAX], path[64];
	struct elf_info ei;
	int added = 0;
	bool whole;
	(void)s;
	for (struct mod *m = p->mods; m; m = m->next)
		m->seen = false;
	snprintf(path, sizeof(path), "/proc/%d/exe", p->pid);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = 0;
	if (elf_info(exe, &ei) == 0 && p->phdr) {
		uint64_t bias = p->phdr - ei.phdr_vaddr;
		added += mod_add(p, exe, bias, &ei) != NULL;
		if (!p->r_debug && ei.dyn_vaddr)
			p->r_debug = find_r_debug(p, ei.dyn_vaddr + bias);
		struct elf_info li;
		if (p->at_base && ei.interp[0] && elf_info(ei.interp, &li) == 0) {
			char real[PATH_MAX];
			const char *ip = realpath(ei.interp, real) ? real : ei.interp;
			added += mod_add(p, ip, p->at_base - (li.lo & ~0xfffull), &li) != NULL;
		}
	}
	added += walk_link_map(p, &whole);
	if (whole)
		drop_unseen(p);
	return added;
}

void mod_forget(struct pt_proc *p)
{
	while (p->mods) {
		struct mod *m = p->mods;
		p->mods = m->next;
		free(m->path);
		free(m);
	}
}

uint64_t mod_r_brk(struct session *s, struct pt_proc *p)
{
	struct rdbg rd;
	if (read_r_debug(p, &rd) == 0 && rd.brk)
		return rd.brk;
	/* before the dynamic linker ran: its exported _dl_debug_state */
	for (struct mod *m = p->mods; m; m = m->next) {
		if (p->at_base < m->lo || p->at_base >= m->hi)
			continue;
		if (!m->dw)
			m->dw = dw_module_get(s, m->path);
		uint64_t a, sz;
		if (m->dw && dw_sym_addr(m->dw, "_dl_debug_state", &a, &sz) == 0)
			return a + m->bias;
	}
	return 0;
}

static char *try_path(const char *dir, const char *name, int mode)
{
	char buf[PATH_MAX], real[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	if (access(buf, mode) == 0 && realpath(buf, real))
		return strdup(real);
	return NULL;
}

char *mod_resolve_path(const char *path)
{
	char real[PATH_MAX];
	if (strchr(path, '/')) {
		if (access(path, R_OK) < 0)
			return NULL;
		return realpath(path, real) ? strdup(real) : NULL;
	}
	const char *env = getenv("PATH");
	char *dirs = strdup(env ? env : "/usr/local/bin:/usr/bin:/bin");
	char *save = NULL, *r = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d && !r; d = strtok_r(NULL, ":", &save))
		r = try_path(d, path, X_OK);
	free(dirs);
	struct utsname u;
	char multi[2][128];
	uname(&u);
	snprintf(multi[0], sizeof(multi[0]), "/lib/%s-linux-gnu", u.machine);
	snprintf(multi[1], sizeof(multi[1]), "/usr/lib/%s-linux-gnu", u.machine);
	const char *const libdirs[] = { multi[0], multi[1], "/lib64", "/usr/lib64", "/lib",
	                                "/usr/lib", "/usr/local/lib", NULL };
	for (int i = 0; !r && strstr(path, ".so") && libdirs[i]; i++)
		r = try_path(libdirs[i], path, R_OK);
	if (!r)   /* stap: at last the current directory (stap -L 'process("a.out")...') */
		r = try_path(".", path, R_OK);
	if (!r)
		errno = ENOENT;
	return r;
}

/*
** DWARF modules: one per ELF file, cached by build id, opened through libdwfl so that
** debuginfo is found in the file, /usr/lib/debug/.build-id or via .gnu_debuglink. Functions
** (with stap's post-prologue probe address) and line records for probe expansion.
*/
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwelf.h>

#include "arena.h"
#include "dwarf_int.h"
#include "session.h"

struct dw_state *dw_state_get(struct session *s)
{
	if (!s->dw)
		s->dw = arena_alloc(&s->arena, sizeof *s->dw);
	return s->dw;
}

static char *debuginfo_path = NULL;
static const Dwfl_Callbacks dwfl_cbs = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

static void module_build_id(struct dw_module *m)
{
	const void *id;
	ssize_t n = dwelf_elf_gnu_build_id(m->elf, &id);

	for (ssize_t i = 0; i < n && i < 20; i++)
		snprintf(m->build_id + 2 * i, 3, "%02x", ((const unsigned char *)id)[i]);
}

static void module_loads(struct dw_module *m)
{
	size_t n;
	GElf_Ehdr eh;

	m->base = UINT64_MAX;
	if (gelf_getehdr(m->elf, &eh))
		m->pie = eh.e_type == ET_DYN;
	if (elf_getphdrnum(m->elf, &n) != 0)
		n = 0;
	for (size_t i = 0; i < n && m->nloads < 16; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(m->elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		m->loads[m->nloads++] = (struct dw_load){ ph.p_vaddr, ph.p_offset, ph.p_filesz,
		                                           ph.p_memsz };
		if (ph.p_vaddr < m->base)
			m->base = ph.p_vaddr & ~(uint64_t)0xfff;
	}
	if (m->base == UINT64_MAX)
		m->base = 0;
}

static struct dw_module *module_find(struct dw_state *st, const char *path, const char *id)
{
	for (struct dw_module *m = st->mods; m; m = m->next)
		if ((id[0] && !strcmp(m->build_id, id)) || !strcmp(m->path, path))
			return m;
	return NULL;
}

static bool module_open_dwarf(struct dw_module *m)
{
	Dwarf_Addr bias;
	int fd = dup(m->fd);

	m->dwfl = dwfl_begin(&dwfl_cbs);
	if (!m->dwfl || fd < 0)
		return false;
	dwfl_report_begin(m->dwfl);
	m->dmod = dwfl_report_elf(m->dwfl, m->path, m->path, fd, 0, false);
	dwfl_report_end(m->dwfl, NULL, NULL);
	if (!m->dmod)
		return false;
	m->dw = dwfl_module_getdwarf(m->dmod, &bias);
	if (m->dw && bias != 0)     /* a prelinked separate debug file: not handled */
		m->dw = NULL;
	return true;
}

struct dw_module *dw_module_get(struct session *s, const char *path)
{
	struct dw_state *st = dw_state_get(s);
	struct dw_module *m, tmp = { 0 };

	for (m = st->mods; m; m = m->next)
		if (!strcmp(m->path, path))
			return m;
	elf_version(EV_CURRENT);
	tmp.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (tmp.fd < 0)
		return NULL;
	tmp.elf = elf_begin(tmp.fd, ELF_C_READ_MMAP, NULL);
	if (!tmp.elf || elf_kind(tmp.elf) != ELF_K_ELF) {
		if (tmp.elf)
			elf_end(tmp.elf);
		close(tmp.fd);
		errno = ENOEXEC;
		return NULL;
	}
	module_build_id(&tmp);
	if ((m = module_find(st, path, tmp.build_id))) {   /* same file under another name */
		elf_end(tmp.elf);
		close(tmp.fd);
		return m;
	}
	m = arena_alloc(&s->arena, sizeof *m);
	*m = tmp;
	m->sess = s;
	m->path = arena_strdup(&s->arena, path);
	module_loads(m);
	module_open_dwarf(m);
	m->next = st->mods;
	st->mods = m;
	return m;
}

const char *dw_module_path(const struct dw_module *m) { return m->path; }
bool dw_module_has_dwarf(const struct dw_module *m) { return m->dw != NULL; }
bool dw_module_is_pie(const struct dw_module *m) { return m->pie; }
uint64_t dw_module_base(const struct dw_module *m) { return m->base; }

Dwarf_CFI *dw_module_cfi(struct dw_module *m)
{
	Dwarf_CFI *cfi = m->dw ? dwarf_getcfi(m->dw) : NULL;   /* owned by m->dw */
	if (!cfi && !m->cfi_elf && m->elf)
		m->cfi_elf = dwarf_getcfi_elf(m->elf);
	return cfi ? cfi : m->cfi_elf;
}

void dw_free(struct session *s)
{
	if (!s->dw)
		return;
	dw_pid_free_all(s);
	unw_state_free(s);
	for (struct dw_module *m = s->dw->mods; m; m = m->next) {
		if (m->dwfl)
			dwfl_end(m->dwfl);
		elf_end(m->elf);
		close(m->fd);
		free(m->syms);
		free(m->funcs);
		free(m->by_addr);
		if (m->cfi_elf)
			dwarf_cfi_end(m->cfi_elf);
	}
	s->dw->mods = NULL;
}

/* ---- functions ---- */

struct funcs_acc {
	struct dw_module *m;
	struct dw_func *v;
	int n, cap;
	const char **hide;          /* names of out-of-line DWARF subprograms, code or not */
	int nhide, hcap;
	struct range { uint64_t lo, hi, entry; } *rng;   /* every range of those with code */
	int nrng, rcap;
};

static void add_ranges(struct funcs_acc *a, Dwarf_Die *die, uint64_t entry)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;

	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
		if (a->nrng == a->rcap) {
			a->rcap = a->rcap ? 2 * a->rcap : 256;
			if (!(a->rng = realloc(a->rng, a->rcap * sizeof *a->rng)))
				abort();
		}
		a->rng[a->nrng++] = (struct range){ lo, hi, entry };
	}
}

static int cmp_range(const void *x, const void *y)
{
	const struct range *a = x, *b = y;
	return (a->lo > b->lo) - (a->lo < b->lo);
}

/* stap pairs symbols with DWARF functions by name: such a symbol is not listed again. */
static void add_hide(struct funcs_acc *a, const char *name)
{
	if (a->nhide == a->hcap) {
		a->hcap = a->hcap ? 2 * a->hcap : 256;
		a->hide = realloc(a->hide, a->hcap * sizeof *a->hide);
		if (!a->hide)
			abort();
	}
	a->hide[a->nhide++] = name;
}

static struct dw_func *acc_push(struct funcs_acc *a)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->v = realloc(a->v, a->cap * sizeof *a->v);
		if (!a->v)
			abort();
	}
	memset(&a->v[a->n], 0, sizeof a->v[0]);
	return &a->v[a->n++];
}

/* stap names a symbol-table function by its line record when the module has one there
   ("__GI_chdir@../sysdeps/unix/syscall-template.S:120"). */
static void symbol_line(struct dw_module *m, struct dw_func *f)
{
	Dwarf_Die cu;
	Dwarf_Line *l;
	Dwarf_Addr la;

	if (!m->dw || !dwarf_addrdie(m->dw, f->entry, &cu) || !(l = dwarf_getsrc_die(&cu, f->entry)) ||
	    dwarf_lineaddr(l, &la) != 0 || la != f->entry)
		return;
	const char *src = dwarf_linesrc(l, NULL, NULL);
	if (!src)
		return;
	f->file = arena_strdup(&m->sess->arena, src);
	dwarf_lineno(l, &f->line);
}

/* Entry pc: DW_AT_entry_pc/low_pc, else the first of DW_AT_ranges (gcc's hot/cold split
   gives f its main part first). hi: the end of that part. */
static bool die_entry(Dwarf_Die *d, Dwarf_Addr *lo, Dwarf_Addr *hi)
{
	Dwarf_Addr base, start, end;

	if (dwarf_entrypc(d, lo) == 0 && *lo) {
		if (dwarf_highpc(d, hi) != 0) {
			*hi = *lo;
			ptrdiff_t off = 0;
			while ((off = dwarf_ranges(d, off, &base, &start, &end)) > 0)
				if (*lo >= start && *lo < end)
					*hi = end;
		}
		return true;
	}
	if (dwarf_ranges(d, 0, &base, &start, &end) > 0 && start) {
		*lo = start;
		*hi = end;
		return true;
	}
	return false;
}

static void add_func(struct funcs_acc *a, Dwarf_Die *decl, Dwarf_Die *inst, uint64_t lo,
                     bool inlined)
{
	struct arena *ar = &a->m->sess->arena;
	const char *file = dwarf_decl_file(decl);
	Dwarf_Addr lo2, hi = 0;
	int line = 0;
	struct dw_func *f = acc_push(a);

	f->name = arena_strdup(ar, dwarf_diename(decl));
	f->file = file ? arena_strdup(ar, file) : NULL;
	dwarf_decl_line(decl, &line);
	f->line = line;
	f->entry = lo;
	if (die_entry(inst, &lo2, &hi) && hi > lo)
		f->size = hi - lo;
	f->has_dwarf = true;
	f->inlined = inlined;
	if (inlined)
		f->probe_pc = lo;       /* stap probes an inline instance at its entry pc */
	f->priv = (const void *)(uintptr_t)dwarf_dieoffset(inst);
	if (!f->file)
		symbol_line(a->m, f);       /* assembler functions: no decl_file, a line record */
}

struct inl_arg {
	struct funcs_acc *a;
	Dwarf_Die *decl;
};

static int collect_inline(Dwarf_Die *inst, void *arg)
{
	struct inl_arg *ia = arg;
	Dwarf_Addr lo, hi;

	if (dwarf_tag(inst) == DW_TAG_inlined_subroutine && die_entry(inst, &lo, &hi))
		add_func(ia->a, ia->decl, inst, lo, true);
	return DWARF_CB_OK;
}

static void collect_nested(Dwarf_Die *scope, struct funcs_acc *a);

/* Out-of-line functions (concrete instances included), and every inlined instance of an
   abstract one, as stap's function("f") matches them. */
static int collect_func(Dwarf_Die *die, void *arg)
{
	struct funcs_acc *a = arg;
	Dwarf_Addr lo, hi;

	if (!dwarf_diename(die) || dwarf_hasattr(die, DW_AT_declaration))
		return DWARF_CB_OK;
	if (dwarf_hasattr(die, DW_AT_inline)) {
		struct inl_arg ia = { a, die };
		dwarf_func_inline_instances(die, collect_inline, &ia);
		return DWARF_CB_OK;
	}
	add_hide(a, arena_strdup(&a->m->sess->arena, dwarf_diename(die)));
	if (!die_entry(die, &lo, &hi))
		return DWARF_CB_OK;
	add_ranges(a, die, lo);
	add_func(a, die, die, lo, false);
	collect_nested(die, a);
	return DWARF_CB_OK;
}

/* Subprograms nested in a function (or its blocks) with code of their own: gcc's outlined
   OpenMP bodies (main._omp_fn.0), GNU C nested functions. stap lists them as functions. */
static void collect_nested(Dwarf_Die *scope, struct funcs_acc *a)
{
	Dwarf_Die d;

	if (dwarf_child(scope, &d) != 0)
		return;
	do {
		int tag = dwarf_tag(&d);
		if (tag == DW_TAG_subprogram)
			collect_func(&d, a);
		else if (tag == DW_TAG_lexical_block)
			collect_nested(&d, a);
	} while (dwarf_siblingof(&d, &d) == 0);
}

static int cmp_func_name(const void *a, const void *b)
{
	const struct dw_func *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

static int cmp_func_addr(const void *a, const void *b)
{
	const struct dw_func *x = *(struct dw_func *const *)a, *y = *(struct dw_func *const *)b;
	return (x->entry > y->entry) - (x->entry < y->entry);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool has_dwarf_name(const struct funcs_acc *a, int ndwarf, const char *name)
{
	return a->nhide && bsearch(&name, a->hide, a->nhide, sizeof *a->hide, cmp_str) != NULL;
}

/* A clone (f.constprop.0, f.cold) lies inside a DWARF function's range: stap hides it. */
/* A symbol at the entry of the DWARF function around it (a gcc clone such as
   f.constprop.0 at -O2): stap derives that address once, from DWARF. */
static bool at_dwarf_entry(const struct funcs_acc *a, uint64_t addr)
{
	int lo = 0, hi = a->nrng - 1;

	while (lo <= hi) {      /* ranges do not overlap: the last starting at or below addr */
		int mid = (lo + hi) / 2;
		if (a->rng[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return hi >= 0 && addr < a->rng[hi].hi && addr == a->rng[hi].entry;
}


/* ELF FUNC symbols with no DWARF subprogram of that name (stap lists them too). */
static void add_symbol_funcs(struct funcs_acc *a, int ndwarf)
{
	struct dw_module *m = a->m;

	for (int i = 0, j; i < m->nsyms; i = j) {
		const struct dw_sym *pick = NULL;
		bool named = false;
		/* one function per address (stap's alias_dupes): the first in the symbol table */
		for (j = i; j < m->nsyms && m->syms[j].addr == m->syms[i].addr; j++) {
			const struct dw_sym *sy = &m->syms[j];
			named |= has_dwarf_name(a, ndwarf, sy->name);
			if (sy->func && (!pick || sy->idx < pick->idx))
				pick = sy;
		}
		if (!pick || named || at_dwarf_entry(a, pick->addr))
			continue;
		struct dw_func *f = acc_push(a);
		f->name = pick->name;
		f->entry = f->probe_pc = pick->addr;
		f->size = pick->size;
		symbol_line(m, f);
	}
}

static int cmp_func_entry(const void *x, const void *y)
{
	const struct dw_func *a = x, *b = y;
	if (a->entry != b->entry)
		return a->entry < b->entry ? -1 : 1;
	return (a->priv > b->priv) - (a->priv < b->priv);    /* DIE order */
}

/* The symbol table position of name at addr (INT_MAX if not there). */
static int sym_index(const struct dw_module *m, uint64_t addr, const char *name)
{
	int lo = 0, hi = m->nsyms - 1;

	while (lo <= hi) {      /* the first symbol at addr */
		int mid = (lo + hi) / 2;
		if (m->syms[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	for (; lo < m->nsyms && m->syms[lo].addr == addr; lo++)
		if (!strcmp(m->syms[lo].name, name))
			return m->syms[lo].idx;
	return 0x7fffffff;
}

/* Assembler CUs give one subprogram per alias at one address (glibc's __GI_chdir, __chdir):
   stap derives one probe per address, named as the symbol table names it first. The other
   names still match through the symbol table (dw_functions' alias pass). Returns the count. */
static int drop_alias_dies(struct funcs_acc *a)
{
	int k = 0;

	if (a->n > 1)   /* a->v is NULL when there is nothing: qsort(NULL, 0) is UB */
		qsort(a->v, a->n, sizeof *a->v, cmp_func_entry);
	for (int i = 0; i < a->n; i++) {
		struct dw_func *f = &a->v[i];
		int j = k - 1;
		while (j >= 0 && a->v[j].entry == f->entry && (f->inlined || a->v[j].inlined))
			j--;
		if (j < 0 || a->v[j].entry != f->entry || f->inlined) {
			a->v[k++] = *f;
			continue;
		}
		if (sym_index(a->m, f->entry, f->name) < sym_index(a->m, f->entry, a->v[j].name))
			a->v[j] = *f;
	}
	a->n = k;
	return k;
}

void dw_load_funcs(struct dw_module *m)
{
	struct funcs_acc a = { .m = m };
	Dwarf_Off off = 0, next;
	size_t hsize;
	int ndwarf;

	if (m->funcs_loaded)
		return;
	m->funcs_loaded = true;
	dw_load_syms(m);
	while (m->dw && dwarf_nextcu(m->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Die d;
		/* not dwarf_getfuncs: it skips concrete out-of-line instances of inline functions */
		if (dwarf_offdie(m->dw, off + hsize, &cu) && dwarf_child(&cu, &d) == 0)
			do {
				if (dwarf_tag(&d) == DW_TAG_subprogram)
					collect_func(&d, &a);
			} while (dwarf_siblingof(&d, &d) == 0);
		off = next;
	}
	ndwarf = drop_alias_dies(&a);
	if (ndwarf)   /* no DWARF (a stripped /bin/true): a.v is NULL, qsort(NULL, 0) is UB */
		qsort(a.v, ndwarf, sizeof *a.v, cmp_func_name);
	if (a.nhide)
		qsort(a.hide, a.nhide, sizeof *a.hide, cmp_str);
	if (a.nrng)
		qsort(a.rng, a.nrng, sizeof *a.rng, cmp_range);
	add_symbol_funcs(&a, ndwarf);
	free(a.hide);
	free(a.rng);
	if (a.n)
		qsort(a.v, a.n, sizeof *a.v, cmp_func_name);
	m->funcs = a.v;
	m->nfuncs = a.n;
	m->by_addr = malloc((a.n + 1) * sizeof *m->by_addr);
	if (!m->by_addr)
		abort();
	for (int i = 0; i < a.n; i++)
		if (a.v[i].size && !a.v[i].inlined)
			m->by_addr[m->nby_addr++] = &a.v[i];
	qsort(m->by_addr, m->nby_addr, sizeof *m->by_addr, cmp_func_addr);
}

bool dw_func_die(const struct dw_module *m, const struct dw_func *f, Dwarf_Die *die)
{
	return f->has_dwarf && m->dw && dwarf_offdie(m->dw, (Dwarf_Off)(uintptr_t)f->priv, die);
}

/* stap's PR 5049: "file.c" matches ".../file.c" (an implicit "*" + "/" in front). */
bool dw_file_match(const char *pattern, const char *file)
{
	char buf[1024];

	if (!file)
		return false;
	if (fnmatch(pattern, file, 0) == 0)
		return true;
	snprintf(buf, sizeof buf, "*/%s", pattern);
	return fnmatch(buf, file, 0) == 0;
}

/* stap's has_valid_locs: a CU whose variables use location lists was built with
   optimisation and var-tracking, so its entry-pc locations are right: no prologue skip. */
static bool die_has_loclist(Dwarf_Die *die)
{
	Dwarf_Die child;

	if (dwarf_child(die, &child) != 0)
		return false;
	do {
		Dwarf_Attribute at;
		int tag = dwarf_tag(&child);
		if ((tag == DW_TAG_variable || tag == DW_TAG_formal_parameter) &&
		    dwarf_attr(&child, DW_AT_location, &at)) {
			int form = dwarf_whatform(&at);
			if (form == DW_FORM_sec_offset || form == DW_FORM_loclistx ||
			    form == DW_FORM_data4 || form == DW_FORM_data8)
				return true;
		}
		if (dwarf_haschildren(&child) && die_has_loclist(&child))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

/* stap's resolve_prologue_endings: the first line record after the entry's that is marked
   prologue_end, or in another file, or on another line, or a second record of the line. */
static uint64_t prologue_end(Dwarf_Die *fn, Dwarf_Die *cu, uint64_t entry, const char *decl)
{
	Dwarf_Lines *lines;
	size_t n, i;

	if (dwarf_getsrclines(cu, &lines, &n) != 0 || n == 0)
		return entry;
	for (i = 0; i < n; i++) {
		Dwarf_Addr a;
		dwarf_lineaddr(dwarf_onesrcline(lines, i), &a);
		if (a >= entry)
			break;
	}
	Dwarf_Addr a0 = 0;
	if (i == n || (dwarf_lineaddr(dwarf_onesrcline(lines, i), &a0), a0 != entry))
		return entry;
	size_t start = i;
	int line0 = 0;
	dwarf_lineno(dwarf_onesrcline(lines, start), &line0);
	for (; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr a;
		int ln = 0;
		bool pe = false;
		const char *src = dwarf_linesrc(l, NULL, NULL);
		dwarf_lineaddr(l, &a);
		dwarf_lineno(l, &ln);
		dwarf_lineprologueend(l, &pe);
		if (dwarf_haspc(fn, a) != 1 || pe || !src || !decl || strcmp(src, decl) ||
		    ln != line0 || i != start)
			break;
	}
	Dwarf_Addr a;
	dwarf_lineaddr(dwarf_onesrcline(lines, i < n ? i : n - 1), &a);
	if (dwarf_haspc(fn, a) != 1 && i > 0)
		dwarf_lineaddr(dwarf_onesrcline(lines, i - 1), &a);
	return a;
}

uint64_t dw_probe_pc(struct dw_module *m, struct dw_func *f)
{
	Dwarf_Die die, cu;

	if (f->probe_pc || !dw_func_die(m, f, &die))
		return f->probe_pc ? f->probe_pc : f->entry;
	/* --prologue-searching: auto (stap's heuristic), always (-P), never (the entry itself) */
	int mode = m->sess ? m->sess->opt.prologue : 0;
	f->probe_pc = f->entry;
	if (mode != 2 && dwarf_diecu(&die, &cu, NULL, NULL) && (mode == 1 || !die_has_loclist(&cu)))
		f->probe_pc = prologue_end(&die, &cu, f->entry, f->file);
	return f->probe_pc;
}

/* A symbol that names a DWARF function's entry under another name (libc's malloc is
   __libc_malloc's alias): stap expands the glob through it to that function. */
static struct dw_func *alias_target(struct dw_module *m, const struct dw_sym *sy)
{
	struct dw_func *f = (struct dw_func *)dw_func_at(m, sy->addr);
	return f && f->entry == sy->addr && f->has_dwarf && strcmp(f->name, sy->name) ? f : NULL;
}

static bool func_ok(struct dw_func *f, const char *file_glob)
{
	return !file_glob || dw_file_match(file_glob, f->file);
}

/* stap's PR12609 heuristic: the out-of-line tail of a partially inlined function (gcc's
   foo.part.0) has foo's DWARF but is no entry point; only the ELF symbol tells. */
static bool partial_tail(struct dw_module *m, const struct dw_func *f)
{
	const char *name = NULL;
	uint64_t off, size;
	return f->has_dwarf && dw_sym(m, f->entry, &name, &off, &size) == 0 && name &&
	       strstr(name, ".part.") && !strstr(f->name, ".part.");
}

int dw_functions(struct dw_module *m, const char *glob, const char *file_glob, int line,
                 dw_func_cb cb, void *arg)
{
	int n = 0;
	bool *done;

	dw_load_funcs(m);
	done = calloc(m->nfuncs + 1, sizeof *done);
	if (!done)
		abort();
	for (int i = 0; i < m->nfuncs; i++) {
		struct dw_func *f = &m->funcs[i];
		if (fnmatch(glob, f->name, 0) != 0 || !func_ok(f, file_glob) || partial_tail(m, f))
			continue;
		done[i] = true;
		dw_probe_pc(m, f);
		cb(arg, f);
		n++;
	}
	for (int i = 0; i < m->nsyms; i++) {
		struct dw_func *f;
		if (!m->syms[i].func || fnmatch(glob, m->syms[i].name, 0) != 0 ||
		    !(f = alias_target(m, &m->syms[i])) || done[f - m->funcs] || !func_ok(f, file_glob))
			continue;
		done[f - m->funcs] = true;
		dw_probe_pc(m, f);
		cb(arg, f);
		n++;
	}
	free(done);
	return n;
}

const struct dw_func *dw_func_at(struct dw_module *m, uint64_t pc)
{
	int lo = 0, hi;

	dw_load_funcs(m);
	hi = m->nby_addr - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		struct dw_func *f = m->by_addr[mid];
		if (pc < f->entry)
			hi = mid - 1;
		else if (pc >= f->entry + f->size)
			lo = mid + 1;
		else
			return f;
	}
	return NULL;
}

/*
** Internals shared by dwarf.c (modules, functions, lines), symtab.c (ELF symbols, per-pid
** maps), dwvar.c ($target variables) and dwlist.c (-l/-L). Not for other areas: they use
** tracer/dwarf.h.
*/
#ifndef USTAP_DWARF_INT_H
#define USTAP_DWARF_INT_H

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
/* tracer/dwarf.h shadows <dwarf.h> under -Itracer: take the system one explicitly */
#include <elfutils/../dwarf.h>

#include "dwarf.h"

struct session;

struct dw_sym {                 /* one ELF symbol (FUNC/IFUNC/OBJECT), sorted by address */
	uint64_t addr, size;
	const char *name;
	bool func;
	int rank;                   /* at one address: GLOBAL 0, WEAK 1, LOCAL 2 (qsort, not __GI_qsort) */
	int idx;                    /* position in the ELF symbol table */
};

struct dw_load {                /* one PT_LOAD: maps file offsets to static addresses */
	uint64_t vaddr, offset, filesz, memsz;
};

struct dw_module {
	struct dw_module *next;
	struct session *sess;
	const char *path;
	char build_id[41];          /* hex, "" when the file has none */
	int fd;
	Elf *elf;
	Dwfl *dwfl;
	Dwfl_Module *dmod;
	Dwarf *dw;                  /* NULL: no DWARF found */
	bool pie;
	uint64_t base;
	struct dw_load loads[16];
	int nloads;

	struct dw_sym *syms;        /* by address */
	int nsyms;
	struct dw_func *funcs;      /* by name: DWARF subprograms, then symbol-only functions */
	int nfuncs;
	struct dw_func **by_addr;   /* DWARF functions with a size, by entry */
	int nby_addr;
	bool funcs_loaded;
	Dwarf_CFI *cfi_elf;         /* dw_module_cfi's .eh_frame CFI (ours to end), NULL until asked */
};

struct dw_pid;
struct unw_state;
struct dw_state {
	struct dw_module *mods;
	struct dw_pid *pids;        /* symtab.c: address spaces of traced processes */
	struct unw_state *unw;      /* unwind.c: libunwind address space, per-pid handles */
};

/* dwarf.c */
struct dw_state *dw_state_get(struct session *s);
void dw_load_funcs(struct dw_module *m);
uint64_t dw_probe_pc(struct dw_module *m, struct dw_func *f);
bool dw_func_die(const struct dw_module *m, const struct dw_func *f, Dwarf_Die *die);
bool dw_file_match(const char *pattern, const char *file);
/* Call frame information of m: its DWARF's .debug_frame, else the ELF's .eh_frame (kept in
   m, ended by dw_free); NULL if none. */
Dwarf_CFI *dw_module_cfi(struct dw_module *m);

/* symtab.c */
void dw_load_syms(struct dw_module *m);
void dw_pid_free_all(struct session *s);

/* unwind.c */
void unw_state_free(struct session *s);

/* dwlist.c: stap's dwarf_type_name ("char const*", "struct inner", "long int[]"). */
bool dw_type_name(Dwarf_Die *type, struct strbuf *out);
/* dwlist.c: the scopes at pc (dwarf_getscopes + nested subprograms); free(*scopes) after. */
int dw_scopes_at(struct dw_module *m, Dwarf_Die *cu, uint64_t pc, Dwarf_Die **scopes);

#endif

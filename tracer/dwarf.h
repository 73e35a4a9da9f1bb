/*
** Seeing into the target: one cached view per ELF file (keyed by build id) of its symbol
** table and its DWARF (found in the file, /usr/lib/debug/.build-id, .gnu_debuglink or -d),
** function/line lookup for probe expansion, $target variables, -l/-L listings, and
** address -> symbol for any address of a traced process. Addresses are static (unbiased)
** unless a pid is given.
*/
#ifndef USTAP_DWARF_H
#define USTAP_DWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;
struct exp;
struct tvar;
struct strbuf;
struct dw_module;

/* One function (DWARF subprogram, or an ELF symbol when the module has no DWARF for it). */
struct dw_func {
	const char *name;         /* "main" */
	const char *file;         /* decl file as stap prints it (full path), NULL without DWARF */
	int line;                 /* decl line, 0 without DWARF */
	uint64_t entry;           /* entry pc (DW_AT_low_pc / st_value), static */
	uint64_t probe_pc;        /* where .function("f") probes: after the prologue at -O0 (stap's
	                             resolve_prologue_endings), the entry pc when the CU has loclists */
	uint64_t size;            /* bytes, 0 if unknown */
	bool has_dwarf;
	bool inlined;             /* an inlined instance: .function only, no .return / .call */
	const void *priv;         /* dwarf.c's (DIE offset etc.) */
};

/* One line-table hit for .statement("f@file:N") / .function("f@file:N"). */
struct dw_line {
	const struct dw_func *func; /* the function containing addr */
	const char *file;
	int line;
	uint64_t addr;            /* static */
};

/* Load (once per build id, cached in s->dw) the module at path. NULL with errno set when
   the file is not a readable ELF; the caller words the error. Lives until dw_free(). */
struct dw_module *dw_module_get(struct session *s, const char *path);
const char *dw_module_path(const struct dw_module *m);
bool dw_module_has_dwarf(const struct dw_module *m);
bool dw_module_is_pie(const struct dw_module *m);      /* ET_DYN */
/* Smallest p_vaddr of the PT_LOAD segments (bias = load address of that segment - this). */
uint64_t dw_module_base(const struct dw_module *m);

/* Functions matching glob (fnmatch; "*" all) and, when file_glob is not NULL, declared in a
   file matching it (stap's rules: a bare name matches the basename). line > 0 with a
   file_glob: functions whose range holds that line. Without DWARF, ELF FUNC symbols.
   Calls cb once per function, sorted by name; returns the number of matches. */
typedef void (*dw_func_cb)(void *arg, const struct dw_func *f);
int dw_functions(struct dw_module *m, const char *glob, const char *file_glob, int line,
                 dw_func_cb cb, void *arg);

/* Line-table addresses for "func_glob@file_glob:line" (.statement and .function with :N):
   the first address of each line record block at that line, inside a function matching
   func_glob ("*" for any). Returns the number of matches. */
typedef void (*dw_line_cb)(void *arg, const struct dw_line *l);
int dw_lines(struct dw_module *m, const char *func_glob, const char *file_glob, int line,
             dw_line_cb cb, void *arg);

/* No line record for func_glob@file_glob:line (relative: line after the first matching
   function's decl line) while functions match there: stap's error text into msg, "no line
   records for FILE:L [man error::dwarf] (try :A or :B)" (nearest lines with code, 5 each
   side). 1, or 0 when no function matches (a plain "no match"). */
int dw_lines_advice(struct dw_module *m, const char *func_glob, const char *file_glob, int line,
                    bool relative, char *msg, size_t n);

/* .function("f").label("glob"): f's labels by name (static address, decl line). Returns
   how many matched. */
typedef void (*dw_label_cb)(void *arg, const struct dw_func *f, const char *name, int line,
                            uint64_t addr);
int dw_labels(struct dw_module *m, const struct dw_func *f, const char *glob, dw_label_cb cb,
              void *arg);

/* The function whose range holds static pc, or NULL. */
const struct dw_func *dw_func_at(struct dw_module *m, uint64_t pc);

/* Resolve $target access e (E_TARGET, E_ATVAR, E_CAST) for a probe at static pc of m.
   Fills out->type/read/write/data. 0, or -1 after diag_error() in stap's wording. */
int dw_tvar(struct session *s, struct dw_module *m, uint64_t pc, bool is_return,
            struct exp *e, struct tvar *out);

/* -l / -L text for process(PATH).function(...) / .statement(...) points, one line per match,
   sorted and unique as stap prints them. prefix: the canonical process("/abs/path") part;
   suffix: "", ".call", ".return" (adds $return:type with vars) ... appended to each point.
   line (statements): 0 for every line. Returns the number of lines. */
int dw_list(struct session *s, struct dw_module *m, const char *prefix, bool statement,
            const char *suffix, const char *func_glob, const char *file_glob, int line,
            bool vars, struct strbuf *out);
/* The same for one probe point's code part, as provider.list needs it: what is "function" or
   "statement", spec its string argument "GLOB[@FILE[:LINE|:A-B|:*]]". Returns the lines. */
int dw_list_point(struct session *s, struct dw_module *m, const char *prefix, const char *what,
                  const char *spec, const char *suffix, bool vars, struct strbuf *out);
/* The next range of a statement's line list "A", "A-B", "A,B-C" at *it, advanced past it
   (NULL after the last): lines *lo..*hi (from line 1, at most 100000 of them). */
bool dw_line_range(const char **it, int *lo, int *hi);
/* " $argc:int $argv:char**" for the function at static pc (the -L tail). */
void dw_list_vars(struct session *s, struct dw_module *m, uint64_t pc, struct strbuf *out);

/* Symbol for a static address of m: name, offset into it, its size. 0, or -1 if none. */
int dw_sym(struct dw_module *m, uint64_t addr, const char **name, uint64_t *off, uint64_t *size);
/* Symbol by name (usymdata-like and ELF globs): static address and size. 0, or -1. */
int dw_sym_addr(struct dw_module *m, const char *name, uint64_t *addr, uint64_t *size);

/* Any address of a traced process: finds the module mapped there (through the module
   table when tracer/module.c has one for pid, else /proc/PID/maps), then the symbol.
   module: the module's path. Returns 0 with name set, 1 when only the module is known
   (name ""), -1 when nothing is mapped there. pid 0: any traced or noted process. */
int dw_addr_sym(struct session *s, int pid, uint64_t addr, char *name, size_t n,
                uint64_t *off, uint64_t *size, const char **module);
/* Source file and line of an address of pid (usymfileline): 0, or -1 if unknown. */
int dw_addr_line(struct session *s, int pid, uint64_t addr, const char **file, int *line);
/* Load bias of module m in process pid. 0, or -1 if it is not mapped there. */
int dw_module_bias(struct session *s, int pid, struct dw_module *m, uint64_t *bias);
/* The module mapped at addr in pid and its load bias (static = addr - bias), or NULL. */
struct dw_module *dw_addr_module(struct session *s, int pid, uint64_t addr, uint64_t *bias);
/* Keep pid's address space (read /proc/PID/maps once) for lookups after it exits: a stack
   saved by ucallers() and printed in an end probe. pid 0 in dw_addr_sym searches those. */
void dw_pid_note(struct session *s, int pid);
/* Forget the cached maps of pid (exec, exit, dlopen seen). */
void dw_pid_forget(struct session *s, int pid);

/* Release every module (session end). */
void dw_free(struct session *s);

#endif

/*
** Internals of $target variables shared by dwvar.c (locations, evaluation), dwtype.c (types,
** ->field/[i] steps, pretty printing, $$vars) and dwtvar.c (dw_tvar: lookup and errors).
*/
#ifndef USTAP_DWVAR_H
#define USTAP_DWVAR_H

#include "dwarf_int.h"
#include "provider.h"

struct ctx;
struct arena;

struct dwop { uint8_t atom; uint64_t n1, n2; };
struct dwloc { int n; struct dwop *ops; };

/* a value in hand, or an address: in the target, or (blk) an offset into a block of bytes
   (a DW_AT_const_value block, or cbuf: a location of DW_OP_pieces assembled at the hit) */
struct place { bool is_val; uint64_t v; const uint8_t *blk; size_t blklen; uint8_t cbuf[64]; };

enum step_kind { ST_DEREF, ST_ADD, ST_INDEX };
struct step { uint8_t kind; int idx; int64_t n; };   /* INDEX: idx[idx] * n */

struct scalar { int size; bool is_signed; int bitsize, bitoff; };

/* A pretty-print plan (stap's dwarf_pretty_print), built at elaboration. */
enum pkind { P_INT, P_UINT, P_CHAR, P_PTR, P_CSTR, P_CHARARR, P_STRUCT, P_ARRAY, P_DEREF,
             P_FUNC, P_LIT };
struct pnode {
	uint8_t kind;
	const char *name;          /* ".name=" inside a struct; NULL at top */
	const char *lit;           /* P_LIT text: "?", "{...}", "[...]" */
	int64_t off;               /* from the enclosing object's address */
	struct scalar sc;          /* P_INT/P_UINT/P_CHAR/P_PTR/P_CSTR */
	int len;                   /* P_CHARARR bytes */
	uint8_t cw;                /* P_CSTR/P_CHARARR: bytes per character (char16_t: 2) */
	struct pnode *kids;        /* P_STRUCT members, P_ARRAY/P_DEREF element */
	int nkids;
};

/* glibc's private TLS layout (dwtls.c), taken at elaboration */
struct dwtls { bool ok; uint32_t modid_off, modid_size, dtv_elem, val_off; };

enum base_kind { B_LOC, B_CONST, B_PTRARG, B_RETREG, B_CONSTBLK };
enum fin_kind { FIN_SCALAR, FIN_ADDR, FIN_PRETTY, FIN_VARS };

struct dwv {
	uint8_t base, fin;
	bool at_entry;              /* .return: registers as at the function's entry */
	struct dw_module *other;    /* @var(..., "module"): addresses biased as that module's */
	struct dwloc loc, fb, cfa;
	bool composite;             /* loc has DW_OP_piece / DW_OP_implicit_value */
	struct dwtls tls;           /* loc has a TLS operation */
	int64_t cval;
	const uint8_t *cblk;        /* B_CONSTBLK: DW_AT_const_value block (a struct, an array) */
	size_t cblk_len;
	int retreg;
	bool ret_pair;              /* B_RETREG: 64 bits in i386's eax (low) and edx (high) */
	struct step *steps;
	int nsteps;
	struct scalar sc;
	struct pnode *pretty;
	/* FIN_VARS: name=value list */
	int nvars;
	const char **vnames;
	struct dwv **vars;          /* NULL: print vlits[i] */
	const char **vlits;
	bool vars_pretty;
};

/* dwvar.c */
int dwv_locate(struct dw_module *m, struct arena *a, Dwarf_Die *var, Dwarf_Die *scopes,
               int nscopes, uint64_t pc, struct dwv *v, const char **why);
int dwv_base(struct ctx *c, const struct dwv *v, const int64_t *idx, struct place *p);
int dwv_walk(struct ctx *c, const struct dwv *v, const int64_t *idx, struct place *p);
int dwv_scalar(struct ctx *c, const struct scalar *sc, const struct place *p, int64_t *out);
void dwv_bind(struct dwv *v, struct tvar *out, bool writable);

/* dwtls.c */
int dwtls_layout(struct dwtls *l);
int dwtls_addr(struct ctx *c, const struct dwtls *l, uint64_t bias, uint64_t off,
               uint64_t *addr);

/* dwtype.c */
int dwv_pretty(struct ctx *c, const struct dwv *v, const struct place *p, char *s);
int dwv_vars(struct ctx *c, const struct dwv *v, char *s);
struct pnode *dwt_plan(struct arena *a, Dwarf_Die *type, bool full);
bool dwt_resolve(Dwarf_Die *type, Dwarf_Die *out);   /* strip typedefs and cv */
bool dwt_scalar(Dwarf_Die *type, struct scalar *sc);
int dwt_ptr_size(Dwarf_Die *ptr_type);                 /* 4 in an i386 program, else 8 */
const char *dwt_struct_name(Dwarf_Die *t, struct arena *a);

#endif

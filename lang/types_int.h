/*
** Type inference's shared state (types.c: expressions and diagnostics, types_stmt.c:
** statements and the fixed-point driver). Internal to those two files.
*/
#ifndef USTAP_TYPES_INT_H
#define USTAP_TYPES_INT_H

#include "ast.h"

struct session;
struct elab_state;

struct first {                 /* where a declaration's type (or index type) was first inferred */
	const void *decl;
	int index;
	struct srcpos pos;
	const char *desc;
};

struct ti {
	struct session *s;
	struct elab_state *es;
	int newly, still;
	bool assert_res;
	int complexity;
	struct funcdecl *fn;
	struct probe *probe;
	enum type t;
	bool fatal;                /* a thrown error (stap): the types pass stops after it */
	unsigned sites;            /* enum site bits already reported */
};

/* stap prints a semantic error once per place in its source that raises it (errsrc), and
   counts the rest as suppressed; -v shows them all. These are those places. */
enum site { SITE_UNRESOLVED, SITE_INVALID, SITE_LR, SITE_T, SITE_DECL_PLAIN, SITE_DECL,
            SITE_DECL_CHAIN, SITE_TVAR, SITE_LOCAL };

const char *ty_tn(enum type t);
void ty_resolved(struct ti *ti, const struct srcpos *pos, const char *desc, const void *decl, int index);
bool ty_site_first(struct ti *ti, enum site st);
void ty_unresolved(struct ti *ti, const struct srcpos *pos, const char *desc);
void ty_invalid(struct ti *ti, const struct exp *e, enum type t);
void ty_mismatch_lr(struct ti *ti, const struct exp *e);
void ty_mismatch_t(struct ti *ti, const struct exp *e, enum type t1, enum type t2);
void ty_mismatch_decl(struct ti *ti, const struct srcpos *pos, const char *desc, enum type type,
                      const void *decl, enum type decltype, int index);
void ty_resolve2(struct ti *ti, struct exp *re, enum type *te, const void *decl, enum type t,
                 bool accept_unknown);
void ty_set_type(struct ti *ti, struct exp *e, enum type t);
void ty_check_arg(struct ti *ti, enum type wanted, struct exp *arg);
void ty_check_index(struct ti *ti, struct exp *ee, enum type *ft, const void *decl, int i, bool is_arg);
void ty_texp(struct ti *ti, struct exp *e);
void ty_tstmt(struct ti *ti, struct stmt *st);

#endif

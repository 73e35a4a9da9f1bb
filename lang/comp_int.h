/*
** Compiler internals shared by compile.c (emission, tables, protos), comp_exp.c
** (expressions) and comp_stmt.c (statements). Not for use outside the compiler.
*/
#ifndef USTAP_COMP_INT_H
#define USTAP_COMP_INT_H

#include <assert.h>
#include <stdbool.h>

#include "compile.h"

struct session;

struct comp {
	struct session *s;
	struct script *sc;
	int gcap;
	int errors;
	struct proto **probes;       /* compiled handlers (one per struct probe) */
	int nprobes, probes_cap;
};

struct jlist {                   /* pending break/continue jumps of one loop */
	int words[64];
	int n;
	int trydepth;                /* try blocks open at the loop's start */
	struct jlist *outer;
};

struct fstate {
	struct comp *C;
	struct proto *p;
	uint32_t *code;
	const struct srcpos **pos;
	int n, cap;
	int depth, maxdepth;
	int ntemp, maxtemp;          /* string temporaries of the current statement */
	uint8_t *strslot;
	int nslots, slotcap, nstrlocal, fixed_str;
	const struct srcpos *cur;    /* position recorded for emitted ops */
	int actions;                 /* pending MAXACTION count */
	struct jlist *brk, *cont;
	int trydepth;                /* try blocks open here */
};

int comp_emit(struct fstate *fs, enum opcode op, int delta, int nops, int a, int b, int c, int d);
#define E0(fs, op, d)             comp_emit(fs, op, d, 0, 0, 0, 0, 0)
#define E1(fs, op, d, a)          comp_emit(fs, op, d, 1, a, 0, 0, 0)
#define E2(fs, op, d, a, b)       comp_emit(fs, op, d, 2, a, b, 0, 0)
#define E3(fs, op, d, a, b, c)    comp_emit(fs, op, d, 3, a, b, c, 0)
#define E4(fs, op, d, a, b, c, e) comp_emit(fs, op, d, 4, a, b, c, e)
void comp_depth(struct fstate *fs, int delta);
void comp_flush(struct fstate *fs);
int comp_label(struct fstate *fs);
int comp_jump(struct fstate *fs, enum opcode op, int delta);
void comp_patch(struct fstate *fs, int word, int target);
void comp_patch_here(struct fstate *fs, int word);

int comp_const(struct script *sc, int64_t v);
int comp_str(struct script *sc, const char *s);
int comp_builtin(struct script *sc, const struct builtin *b);
int comp_fmt(struct script *sc, void *f);
int comp_regex(struct script *sc, void *r);
int comp_global(struct comp *C, struct vardecl *v);
int comp_func(struct comp *C, struct funcdecl *fd);
int comp_slot(struct fstate *fs, bool owns_string);
int comp_temp(struct fstate *fs);

/* comp_exp.c */
void comp_err(struct fstate *fs, const struct srcpos *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void comp_exp(struct fstate *fs, struct exp *e);          /* pushes one value (none if void) */
void comp_exp_effect(struct fstate *fs, struct exp *e);   /* for side effects: pushes nothing */
void comp_push_long(struct fstate *fs, int64_t v);
void comp_store_var(struct fstate *fs, struct vardecl *v);  /* pop into a scalar */
void comp_hist(struct fstate *fs, struct exp *e, int t);   /* @hist_*(x) text: output or temp t */
void comp_hist_foreach(struct fstate *fs, struct stmt *s, int *top, int *exitw);

/* comp_print.c */
void comp_print(struct fstate *fs, struct exp *e);
bool comp_is_string(const struct exp *e);
int comp_slice(struct fstate *fs, struct ptrvec *args, int *n);

/* comp_stmt.c */
void comp_stmt(struct fstate *fs, struct stmt *s);

#endif

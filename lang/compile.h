/*
** The compiler: elaborated AST (types resolved) to bytecode protos (one per function and
** per probe handler), and the script that holds them with the globals' descriptors.
*/
#ifndef USTAP_COMPILE_H
#define USTAP_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "opcodes.h"
#include "stats.h"

struct session;
struct strbuf;
struct builtin;

/* One compiled body: a script function or a probe handler. */
struct proto {
	const char *name;            /* function name, or the probe's point text */
	uint32_t *code;
	int ncode;
	const struct srcpos **pos;   /* per code word: where an error there is reported ("near") */
	int nparams;
	int nlocals;                 /* slots: params, then locals, then iterators and scratch */
	uint8_t *strslot;            /* per slot: 1 when it holds a string (owns a buffer) */
	int nstrlocal;               /* string slots (each owns buffer i in the frame) */
	int ntemps;                  /* string temporaries after them */
	int maxstack;
	enum type ret;               /* TY_VOID/TY_UNKNOWN: none, TY_LONG, TY_STRING */
	struct funcdecl *fn;         /* NULL for a probe handler */
	struct probe *probe;
	struct exp *cond;            /* the probe point's if (cond), checked first */
	bool compiled;
};

enum gkind { G_LONG, G_STRING, G_MAP, G_STATS, G_STATMAP };

/* A global variable's storage descriptor. */
struct gvar {
	struct vardecl *decl;
	enum gkind kind;
	struct stat_spec spec;       /* G_STATS / G_STATMAP */
	bool read;                   /* read somewhere by the script (not printed at the end) */
	bool written;
};

/* -t: one handler's run times (stap's probe_timing stat), in nanoseconds. */
struct ptiming {
	uint64_t count;
	int64_t sum, min, max;
	double sumsq;
};

/* Compiled format strings and regexes are opaque to the compiler (printf.h, regex.h). */
struct script {
	struct session *sess;
	struct proto **funcs;        /* indexed by funcdecl->slot */
	int nfuncs, funcs_cap;
	struct proto **byprobe;      /* indexed by dprobe->index */
	struct proto **byentry;      /* entry snippets (dprobe->entry_snippet), by dprobe->index */
	int nbyprobe;
	struct gvar *globals;
	int nglobals;
	int64_t *k;                  /* long constants */
	int nk, k_cap;
	const char **str;            /* string constants */
	int nstr, str_cap;
	const struct builtin **bi;
	int nbi, bi_cap;
	void **fmt;                  /* compiled formats (struct fmt *) */
	int nfmt, fmt_cap;
	void **re;                   /* compiled regexes */
	int nre, re_cap;
	struct vm *vm;               /* the run-time state (vm.c) */
	struct ptiming *timing;      /* -t: by dprobe->index (nbyprobe entries), else NULL */
	struct ptrvec files;         /* struct file *: the parsed sources (for -p3 and globals) */
};

/* Compile every probe handler of s->probes and every function they use into s->script.
   0, or -1 after diag_error(). */
int comp_script(struct session *s, struct ptrvec *files);
/* -p3: the listing of every proto. */
void comp_list(struct strbuf *out, const struct script *sc);
/* Disassemble one proto. */
void comp_list_proto(struct strbuf *out, const struct script *sc, const struct proto *p);

#endif

/*
** Elaboration (stap's pass 2): tapset lookup on demand, probe alias and wildcard expansion,
** symbol resolution, $target slots, type inference, optimisation, and the -p2 printer.
** elab.c drives it; tapset.c indexes and loads tapset files; types.c infers types; p2.c prints.
*/
#ifndef USTAP_ELAB_H
#define USTAP_ELAB_H

#include "ast.h"

struct session;
struct strbuf;
struct tapset_index;
struct builtin;
struct arena;

/* What elaboration leaves for the compiler (s->elab after elab_run). */
struct elab_state {
	struct ptrvec files;          /* struct file *: the user's, then each tapset file loaded */
	struct ptrvec globals;        /* struct vardecl *: used globals, script's first (stap's order) */
	struct ptrvec functions;      /* struct funcdecl *: used script/tapset functions, by name */
	struct ptrvec builtins;       /* const struct builtin *: C builtins called somewhere (by name
	                                 after type_infer); builtin_nargs: the arity each was called with */
	struct ptrvec builtin_nargs;
	/* struct probe *: the handlers, i.e. the distinct dprobe->src of s->probes, in order.
	   A handler's body is the whole thing to run: an alias prologue/epilogue is already
	   spliced in (a block of [prologue, user body] or [user body, epilogue]). */
	struct ptrvec handlers;
	int ntvar_slots;              /* unused (slots are numbered per handler) */
	/* struct vardecl *: globals written but never read, printed at the end (stap's
	   add_global_var_display, in this order) */
	struct ptrvec displayed;

	/* internal */
	struct tapset_index *ts;
	struct ptrvec aliases;        /* struct alias * of every loaded file */
	struct ptrvec all_functions;  /* struct funcdecl * of every loaded file */
	struct ptrvec all_globals;    /* struct vardecl * of every loaded file */
	struct ptrvec first_types;    /* type_: where a declaration's type was first inferred */
	struct ptrvec tvar_errs;      /* struct elab_tvar_err *: a provider's error, replayed by type_ */
	struct file *user;
	int probe_seq;
	int sym_handlers, sym_functions; /* elab_symbols: how many of each are resolved already */
	int files_derived;            /* files whose probes are derived (the user's, then tapsets') */
};

/* 0 ok; otherwise the errors were reported (diag) and the count returned. */
int elab_run(struct session *s, struct file *user);
/* -p2 output, as stap -p2 prints it (bodies too with -v). */
void elab_print(struct session *s, struct strbuf *out);
/* stap's derived_locations(): " from: POINT" for each step of dp's derivation (-t). */
struct dprobe;
void p2_derivation(struct strbuf *out, const struct dprobe *dp);

/* ---- shared between elab.c, tapset.c, types.c, p2.c ---- */

/* tapset.c: index s->opt.tapset_dir and -I dirs (a textual scan, no parsing). */
struct tapset_index *tapset_index(struct session *s);
/* Load (parse) the files that define function/global `name` or alias points whose first
   component matches `first` (a glob). Each file is loaded once; the loaded file is added
   to the elab state. Returns the number of files newly loaded, -1 on a parse error. */
int tapset_load_function(struct session *s, const char *name);
/* pass 1 with -W: parse the -I tapset files, warn about each with errors; returns how many */
int tapset_check_includes(struct session *s);
int tapset_load_global(struct session *s, const char *name);
int tapset_load_alias(struct session *s, const char *first);
/* First components of every tapset alias name, for "(similar: ...)". */
void tapset_alias_names(struct session *s, struct ptrvec *out);
/* Every known function name (script, tapset index, builtins), for "(similar: ...)". */
void tapset_function_names(struct session *s, struct ptrvec *out);
/* Register a parsed file's declarations in the elab state. */
void elab_add_file(struct session *s, struct file *f);

/* stap's token description of the node's token: "identifier 'x'", "operator '+'", ... */
const char *elab_tokdesc(struct session *s, const struct exp *e);
const char *elab_vardesc(struct session *s, const struct vardecl *v);

/* A $target access a provider could not resolve: stap reports it when types are checked. */
struct elab_tvar_err {
	const struct exp *e;
	char *text;                   /* the provider's diagnostics, NULL: the generic message */
};
/* An error naming two places (stap's semantic_error with tok1 and tok2). */
void elab_error2(struct session *s, const struct srcpos *pos, const char *desc,
                 const struct srcpos *pos2, const char *desc2, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* elab_sym.c: resolve symbols of every handler and (transitively) used function. */
int elab_symbols(struct session *s);
/* elab_check.c: lvalues, arrays modified inside their own foreach. */
int elab_checks(struct session *s);
/* elab_late.c: after typing, stap's regex compilation and histogram declaration checks. */
int elab_late_checks(struct session *s);
/* elab_tvar.c: number the $target accesses of each handler, let providers resolve them. */
int elab_tvars(struct session *s);
/* elab_opt.c: stap's pass-2 optimisations and their warnings (skipped with -u). */
void elab_optimize(struct session *s);
void elab_elide_empty(struct session *s);
void elab_display_globals(struct session *s);
/* elab_fold.c: stap's const_folder on one body; true if it changed anything. typed: after
   type inference (operands' types known), else only what is safe before it. */
bool elab_fold(struct session *s, struct stmt *body, bool typed);
void elab_fold_all(struct session *s, bool typed);   /* every handler and function */
/* elab_copy.c */
struct exp *elab_copy_exp(struct arena *a, const struct exp *e);
struct stmt *elab_copy_stmt(struct arena *a, const struct stmt *s);
struct probe_point *elab_copy_point(struct arena *a, const struct probe_point *p);
struct arena;

/* types.c: infer every type to a fixed point; 0 ok, else errors reported. */
int type_infer(struct session *s);
/* elab.c helpers reused by types.c / p2.c */
bool elab_glob(const char *pat, const char *str);
/* stap's levenshtein (util.cxx): borders 1 per character, edits 2 (a case-only substitution 1). */
int elab_levenshtein(const char *a, const char *b);
int elab_levenshtein_suggest(const char *name, struct ptrvec *names, int max, char *out, size_t outlen);

#endif

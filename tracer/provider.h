/*
** Providers: one per probe-point family (DESIGN.md). Elaboration asks each provider whether
** it owns a probe point, the owner expands it into derived probes (dprobes), resolves the
** $target accesses in their handlers, and later arms and disarms them. Events become
** a struct ctx and go to sess_run_probe().
*/
#ifndef USTAP_PROVIDER_H
#define USTAP_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

struct session;
struct ctx;
struct strbuf;

/* One resolved $target-style access (E_TARGET, E_ATVAR, E_CAST, E_ENTRY ...) at one dprobe. */
struct tvar {
	enum type type;           /* TY_LONG or TY_STRING */
	/* Read at a hit. idx: values of the COMP_INDEX_EXP components, in order; for E_CAST,
	   idx[0] is the pointer (a0's value) and the index values follow.
	   String results go to s (MAXSTRINGLEN+1 bytes). 0, or -1 with c->err set. */
	int (*read)(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *s);
	/* $var = x (guru mode only); NULL when not writable. */
	int (*write)(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t l, const char *s);
	void *data;               /* the provider's */
};

/* A derived probe: one concrete thing to arm (one function, one tracepoint, one timer). */
struct dprobe {
	const struct provider *prov;
	const char *pp;           /* canonical text, as pp() and -l print it */
	struct probe *src;        /* the script probe (alias already expanded) whose handler runs */
	struct probe_point *point;/* the point as the user wrote it (errors, -p2) */
	void *data;               /* the provider's */
	int64_t seq;              /* begin(N)/end(N)/error(N) order */
	bool is_return;
	int index;                /* position in session->probes */
	struct tvar **tvars;      /* one per $target slot of src's handler (NULL: not defined here) */
	int ntvars;
	uint64_t hits;            /* for -t / statistics */
	/* -p2: what stap's printsig adds after the point, e.g. "pc=.dynamic+0x1219" for a
	   uprobe (printed as " / * pc=... * /"); NULL: nothing. Set by the provider (optional). */
	const char *sig_note;
	/* -p2: stap rewrites a DWARF probe's point to its resolved form, and the derivation
	   chain shows that instead of the user's text. Providers set it (optional). */
	bool rewrites_point;
	/* -p2 with rewrites_point: the chain's text when it is not pp (stap's .library() probes
	   show process("EXE").library("LIB")... there, pp is process("/LIB")...). NULL: pp. */
	const char *chain_pp;
	/* A .return probe whose provider runs the handler's entry snippet (lang_run_entry) at
	   the function's entry: @entry(EXPR) and $param are then values saved per call. */
	bool entry_snippet;
	size_t entry_off;         /* the provider's: where its values sit in a frame's store */
};

struct provider {
	const char *name;
	/* Does this (alias-expanded) point belong to me? Looks at the first component(s) only. */
	bool (*owns)(const struct probe_point *pt);
	/* Expand into dprobes with sess_add_probe(). Returns how many were added: 0 means
	   "no match" (the caller reports it unless the point is optional), -1 means an error
	   was already reported with diag_error(). */
	int (*expand)(struct session *s, struct probe *src, struct probe_point *pt);
	/* Resolve one $target access in src's handler at dprobe p: fill *out. 0, or -1 after
	   diag_error() with stap's wording. NULL: the family offers no target variables. */
	int (*tvar)(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out);
	/* -l (vars false) / -L (vars true): one line per match into out, as stap prints them. */
	int (*list)(struct session *s, struct probe_point *pt, bool vars, struct strbuf *out);
	/* Arm every dprobe of this provider (session start), and undo it (every exit path). */
	int (*arm)(struct session *s);
	void (*disarm)(struct session *s);
};

/* The registry: core, timer, process, tracepoint, kprobe, perf (tracer/provider.c). */
extern const struct provider *const prov_all[];
const struct provider *prov_find(const struct probe_point *pt);

/* Add a derived probe for src at pt; the provider fills ->data and ->pp. */
struct dprobe *sess_add_probe(struct session *s, const struct provider *prov, struct probe *src,
                              struct probe_point *pt, const char *pp);

/* tracer/prov_core.c: run every begin (end, error) probe, by begin(N) order then script
   order. */
enum core_kind { CORE_BEGIN, CORE_END, CORE_ERROR, CORE_NEVER };
void core_run(struct session *s, enum core_kind k);
bool core_is(const struct dprobe *p, enum core_kind k);

/* Where a provider reports an error at a point's component, as stap 4.8 prints it: the
   source line, but an empty file name ("identifier 'foo' at :1:13"). */
const struct srcpos *prov_comp_pos(struct session *s, const struct srcpos *pos);

/* Render a probe point back to text (canonical, as stap does: process("/bin/ls").function("main")). */
const char *pp_text(struct session *s, const struct probe_point *pt);

#endif

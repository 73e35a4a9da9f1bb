/*
** SDT markers (<sys/sdt.h>, USDT): process("PATH")[.provider("P")].mark("M") from the
** .note.stapsdt notes (V3) or the legacy .probes section (STAP_SDT_V1/V2, tracer/sdt_probes.c),
** $argN from the notes' "N@OPERAND" strings, and the semaphores that turn a marker's
** PROV_NAME_ENABLED() path on while it is traced (tracer/sdt.c).
*/
#ifndef USTAP_SDT_H
#define USTAP_SDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

struct session;
struct probe;
struct probe_point;
struct pprobe;
struct pt_proc;
struct dprobe;
struct exp;
struct tvar;
struct strbuf;

/* One argument: its size in bytes (negative: signed), as "N@" says, and its operand. */
struct sdt_arg {
	int size;
	bool ok;                  /* the operand was understood (else $argN falls back to DWARF) */
	const char *text;         /* the operand as written */
	struct arch_sdt_op op;    /* MEM with a symbol: disp already holds the static address */
};

/* One marker site (a note). Addresses are static, adjusted by .stapsdt.base. */
struct sdt_note {
	const char *provider, *name;
	int version;              /* 3: a .note.stapsdt note; 1, 2: a .probes entry (V1: no
	                             provider, no argument count: $argN are DWARF variables) */
	uint64_t pc, sema;        /* sema 0: no semaphore */
	int nargs;
	struct sdt_arg *args;
	const char *list_pp;      /* -l text: process("/p")[.provider("P")].mark("M") */
};

/* tracer/sdt_probes.c: the V1/V2 entries of a .probes section (its bytes as in the file, and
   its address); add gets each one (name, provider: pointers into buf; pc, sema, nargs,
   version set) with its V2 argument string ("%rax -4(%rbp)", "" for V1). */
typedef void sdt_add_fn(void *arg, struct sdt_note *n, const char *args);
void sdt_probes_scan(const char *buf, size_t size, uint64_t addr, sdt_add_fn *add, void *arg);

/* The .provider/.mark part of a process point, from component ci (the one after process).
   proto: the prepared pprobe (path, pid, prefix done by prov_process.c). Adds one dprobe per
   matching marker site; returns their number, 0 (optional point, nothing found) or -1. */
int sdt_expand(struct session *s, struct probe *src, struct probe_point *pt, int ci,
               const struct pprobe *proto, const char *prefix);
/* $argN, $$name, $$provider, $$parms/$$vars (else the DWARF variables at the marker). */
int sdt_tvar(struct session *s, struct pprobe *p, struct exp *e, struct tvar *out);
/* -l / -L line of one marker dprobe. */
void sdt_list(struct session *s, struct dprobe *dp, bool vars, struct strbuf *out);

/* Semaphores, per traced process (kept in pt_proc.user). arm: count pp's semaphore up once
   for its site at load bias `bias` (idempotent); release: count every one back down (detach);
   fork: the child's memory holds the parent's counts (keep: the child stays probed, else
   they are counted down in it now); forget: the image is gone (exec, exit). */
void sdt_sema_arm(struct pt_proc *p, const struct pprobe *pp, uint64_t bias);
void sdt_sema_release(struct pt_proc *p);
void sdt_sema_fork(struct pt_proc *parent, struct pt_proc *child, bool keep);
void sdt_sema_forget(struct pt_proc *p);

#endif

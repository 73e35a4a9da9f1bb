/*
** The kernel side's shared state (session->ks): the perf events every kernel provider
** (tracepoint, perf, kprobe) opened, one ring buffer per CPU that they all write into,
** the id -> event table that routes a record to its probe, and tracefs/kallsyms caches.
*/
#ifndef USTAP_KS_H
#define USTAP_KS_H

#include <stdbool.h>
#include <stdint.h>

#include "context.h"
#include "perf.h"

struct session;
struct dprobe;
struct tfs_event;
struct ks_event;
struct ks_uses;
struct ksym_table;
struct tp_raw;
struct btf;

#define KS_COMMS 8192
struct ks_comm {
	int tid;
	char comm[16];
};

/* A decoded record on its way to a handler: ctx.priv points here. */
struct ks_hit {
	struct perf_sample smp;
	const struct ks_event *ev;
	struct ctx *ctx;
};

/* Turn a sample of ev into zero or more handler runs. The default (NULL) runs ev->probe
   with a context built by ks_ctx_init. */
typedef void (*ks_hit_fn)(struct session *s, struct ks_hit *h);

struct ks_event {
	uint64_t id;
	int fd, cpu;
	struct dprobe *probe;
	uint64_t sample_type, regs_mask;
	ks_hit_fn hit;
	void *data;               /* the provider's (tracepoint: its struct tfs_event) */
	bool counting;            /* a counter (read with read(2)), not sampling: no ring */
	const char *counter;      /* its .counter("NAME") */
	bool enabled;
	bool tally;               /* counts for probe (ks_open_tally): no ring, the handler runs
	                             once per counted event at each drain */
	uint64_t tallied;         /* the count already run */
};

struct ks_state {
	/* tracefs (tracer/tracefs.c) */
	char tfs_root[256];
	bool tfs_checked;
	int tfs_errno;
	struct tfs_event **tfs;
	int ntfs, tfs_cap;

	/* CPUs and their rings: the first event opened on a CPU owns the mapping */
	int ncpu;                 /* possible CPUs: indexes into rings */
	bool *online;
	struct perf_ring *rings;
	struct perf_ring *urings; /* for events without PERF_SAMPLE_TIME, read in any order */
	unsigned ring_pages;
	bool ustack_rings;        /* ks_ustack_copy has sized the rings for user stack copies */
	int sp_dwregno;           /* set there: the DWARF number of sp, where a record's copy begins */
	int tick_fd;              /* the periodic drain (timerfd), 0 when none */

	/* every opened event; a hash from kernel id to index */
	struct ks_event *evs;
	int nevs, evs_cap;
	int32_t *hash;
	uint32_t hash_cap;

	bool started;             /* events enabled */
	uint64_t lost;            /* records the kernel dropped, summed at the end */
	int64_t scratch_len;      /* hit-path string scratch (maxstringlen + 1) */
	char *scratch;

	struct ksym_table *ksyms; /* tracer/kallsyms.c, loaded on first use */
	struct tp_raw *raw;       /* tracer/prov_tracepoint.c: syscalls demultiplexed from raw_syscalls */
	struct btf *btf;          /* tracer/btf.c via prov_kprobe.c: loaded on first $param */
	bool btf_tried;

	/* task names by tid, from PERF_RECORD_COMM/FORK (execname() of tasks gone since) */
	struct ks_comm *comms;    /* KS_COMMS entries, direct-mapped by tid */
	int want_comm;            /* 0 unknown, 1 the script calls execname(), -1 it does not */
	int reads_user;           /* set with want_comm: 1 the script reads user memory (ks_reads_user) */

	struct ks_uses *uses;     /* tracer/ks_needs.c: what each handler takes from its events */
};

/* s->ks, allocated on first use. */
struct ks_state *ks_get(struct session *s);

/* What a kernel probe's handler (and the functions it calls) takes from each event
   (tracer/ks_needs.c): */
#define KS_USES_FIELDS 1u     /* $vars, @cast, @perf, registers: the record's data */
#define KS_USES_TASK   2u     /* context builtins: pid(), execname(), user_string() ... */
#define KS_USES_EFFECT 4u     /* output, exit(), error(), time, a probe condition: their order shows */
#define KS_USES_SHARED 8u     /* globals that another kernel probe's handler uses too */
#define KS_USES_ORDER 16u     /* the order of its runs shows (a global set or read back after
                                 an addition, effects, shared globals): records must be merged
                                 by time; without it they need no PERF_SAMPLE_TIME */
#define KS_USES_REGS 32u      /* the task's user registers: register(), @uregister, uaddr() */
unsigned ks_probe_uses(struct session *s, const struct dprobe *p);
/* Nothing at all (and not -u): a counting event may stand for p's samples (ks_open_tally). */
bool ks_countable(struct session *s, const struct dprobe *p);

/* Open attr for probe p on every online CPU as counting events: no ring, no record; each
   drain runs p's handler once per event counted since the last (the final drain in ks_stop
   comes before the end probes). For handlers ks_countable accepts: exact, and the traced
   task pays a counter increment instead of a sample. Returns as ks_open. */
int ks_open_tally(struct session *s, struct perf_event_attr *attr, int pid, struct dprobe *p);

/* ks_open with the sample fields to add to attr's given (ks_open adds PERF_BASE_SAMPLE,
   less the TID when p's handler uses neither the task nor target variables). IDENTIFIER is
   always added (routing); an event without PERF_SAMPLE_TIME writes into a ring of its own
   kind, drained after the others in no particular order (for handlers without
   KS_USES_ORDER). */
int ks_open_base(struct session *s, struct perf_event_attr *attr, int pid, struct dprobe *p,
                 ks_hit_fn hit, void *data, uint64_t base);

/* Open attr (PERF_BASE_SAMPLE is added to its sample_type) for probe p on every online
   CPU, system-wide (pid -1) or for one task tree (pid > 0, inherited by its children),
   disabled until ks_start. Routes its records to the CPU's ring. Returns the number of
   events opened (one per CPU), or -1 with errno from the first failure (none stay open). */
int ks_open(struct session *s, struct perf_event_attr *attr, int pid, struct dprobe *p,
            ks_hit_fn hit, void *data);
/* A counting event named NAME (perf ... .counter("NAME")): one per CPU, no ring, summed by
   ks_counter_read. 0, or -1 with errno. */
int ks_open_counter(struct session *s, struct perf_event_attr *attr, int pid, const char *name);
/* The sum over CPUs of counter NAME (children that exited included). 0, or -1 if none. */
int ks_counter_read(struct session *s, const char *name, int64_t *val);
/* Resolve @perf("NAME") (E_PERF) to a read of that counter, for any provider's tvar hook
   (the process provider's too). 0, or -1 after diag_error when no such counter is declared. */
struct exp;
struct tvar;
int ks_perf_tvar(struct session *s, struct exp *e, struct tvar *out);
/* tracer/ks_cast.c: @cast(p, "T"[, "kernel"]) typed by the kernel's BTF, for a kernel-side
   provider's tvar hook (any other module: an error); ks_btf loads BTF once per session. */
int ks_cast_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out);
struct btf *ks_btf(struct session *s);
/* A @cast module that names the kernel: "kernel", or a ':' list with "kernel" or "kernel<h>"
   in it (stap's "kernel:nfs:kernel<linux/path.h>"). */
bool ks_cast_kernel_module(const char *mod);
/* @cast(p, "T"[, "kernel"]) that is an address (&..., an array member, no pointer followed):
   can it be plain arithmetic (p + offsets)? With apply, e becomes that expression. For
   functions, which have no probe context (lang/elab_tvar.c). No message either way. */
struct exp;
bool ks_cast_fold(struct session *s, struct exp *e, bool apply);
/* Does @cast(p, "T"[, "kernel"]) resolve in the kernel's BTF (for @defined)? No message. */
bool ks_cast_defined(struct session *s, struct exp *e);
/* For providers without target variables (core, timer): @cast as above, the rest unresolved. */
int ks_cast_only_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out);

/* Enable every event (idempotent); the session's fds get watched. 0, or -1 and errno. */
int ks_start(struct session *s);
/* Read every ring and run the handlers, oldest record first across CPUs. */
void ks_drain(struct session *s);
/* Disable, drain and close everything (idempotent). Lost records are reported here, the
   way stap reports skipped probes. */
void ks_stop(struct session *s);

/* PERF_SAMPLE_CALLCHAIN when the script calls a stack builtin (backtrace, callers, ubacktrace
   ...), else 0; sets a->exclude_callchain_user/_kernel for the stacks nobody asks for. */
uint64_t ks_stack_sample(struct session *s, struct perf_event_attr *a);

/* Does the script read user memory? (kernel events then wake ustap per record) */
bool ks_reads_user(struct session *s);
/* Sample fields for a copy of the user stack (and the user registers) with each record of p,
   when the script reads user memory and p's handler reads its task: ks_read serves addresses
   in the copy from it, as they were at the event. Sets attr's fields; 0 when not wanted. */
uint64_t ks_ustack_copy(struct session *s, const struct dprobe *p, struct perf_event_attr *a);

/* A context for a sample: identity from the record, memory of the sampled process,
   kernel/user stacks from the callchain. */
void ks_ctx_init(struct session *s, struct ctx *c, struct ks_hit *h);

/* An event named through libpfm4 (tracer/pfm.c). 0, or -1 if libpfm4 does not know it. */
int ks_pfm_event(const char *name, uint32_t *type, uint64_t *config);

/* A message for a failed perf_event_open of pp ("... needs root or CAP_PERFMON ..."). */
const char *ks_open_error(struct session *s, const char *pp, int err);
/* Can this process open system-wide kernel events at all? (root, CAP_PERFMON, or
   perf_event_paranoid <= -1 ... as the kernel decides for tracepoints) */
bool ks_privileged(void);

#endif

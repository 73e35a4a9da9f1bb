/*
** The session: all ustap state (no mutable globals), and the one event loop that
** everything feeds (epoll over signalfd, timerfds, perf ring fds, ptrace via SIGCHLD).
*/
#ifndef USTAP_SESSION_H
#define USTAP_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/signalfd.h>

#include "arena.h"
#include "diag.h"
#include "provider.h"
#include "rx.h"

struct script;      /* lang: the compiled program */
struct elab_state;  /* lang/elab.h */
struct pt_state;    /* tracer/ptrace.c: traced processes and threads */
struct bp_state;    /* tracer/bkpt.c: breakpoints, XOL slots, shadow stacks */
struct mod_state;   /* tracer/module.c: modules, biases, symbol tables */
struct dw_state;    /* tracer/dwarf.c: DWARF cache */
struct ks_state;    /* tracer/prov_tracepoint.c, prov_perf.c, prov_kprobe.c: perf events */
struct timer_state; /* tracer/prov_timer.c */
struct pp_state;    /* lang/pp.c: library macros (.stpm), kernel config/uname for %( %) */

struct options {
	const char *script_file;   /* path, "-" for stdin; NULL with -e */
	const char *script_text;   /* -e */
	char **args;               /* $1 @1 ... */
	int nargs;
	bool *args_used;           /* lang/lex.c: $N/@N substituted (stap's used_args), or NULL */
	int pass;                  /* -p N: stop after pass N (0: run) */
	int verbose;               /* -v count */
	const char **defines;      /* -D NAME[=VAL] */
	int ndefines;
	const char **includes;     /* -I DIR */
	int nincludes;
	const char **debuginfo;    /* -d FILE */
	int ndebuginfo;
	bool ldd;                  /* --ldd */
	bool no_warn;              /* -w */
	bool unoptimized;          /* -u */
	bool guru;                 /* -g */
	bool suppress_time_limits; /* --suppress-time-limits */
	double timeout;            /* -T SECONDS, 0: none */
	const char *cmd;           /* -c CMD */
	int target_pid;            /* -x PID, 0: none */
	const char *outfile;       /* -o FILE */
	int64_t out_size;          /* -S SIZE (MB) */
	int out_count;             /* -S SIZE,N */
	const char *list;          /* -l / -L PROBE */
	bool list_vars;            /* -L */
	const char *tapset_dir;    /* tapset/ root (found next to the binary, or installed) */
	const char **gsets;        /* -G NAME=VALUE: global initial values (lang/vm_state.c) */
	int ngsets;
	bool timing;               /* -t: per-probe hit report at the end (lang.c) */
	bool warn_error;           /* -W: a warning fails its pass */
	const char *compatible;    /* --compatible=VERSION: systemtap_v in %( %), NULL: ours */
	bool suppress_handler_errors; /* --suppress-handler-errors: runtime errors not printed,
	                              no MAXERRORS/MAXSKIPPED exit; counted at the end */
	bool skip_badvars;         /* --skip-badvars: an unresolvable $var reads as 0 */
	int prologue;              /* -P/--prologue-searching: 0 auto, 1 always, 2 never */
	bool bulk;                 /* -b: with -o FILE, FILE_cpu0 in stap's per-cpu record
	                              format (what stap-merge reads) */
};

/* Limits, from -D NAME=VAL (stap's names and defaults). */
struct limits {
	int64_t maxstringlen;      /* MAXSTRINGLEN */
	int64_t maxmapentries;     /* MAXMAPENTRIES */
	int64_t maxaction;         /* MAXACTION */
	int64_t maxnesting;        /* MAXNESTING */
	int64_t maxerrors;         /* MAXERRORS */
	int64_t maxskipped;        /* MAXSKIPPED */
	int64_t maxbacktrace;      /* MAXBACKTRACE */
	int64_t maxtracequeue;
};

typedef void (*sess_fd_fn)(struct session *s, int fd, uint32_t events, void *arg);
typedef void (*sess_sig_fn)(struct session *s, const struct signalfd_siginfo *si, void *arg);

struct sess_watch;
struct tgt_state;

enum sess_state {
	SESS_STARTING,               /* loading, arming, begin probes */
	SESS_RUNNING,                /* the event loop */
	SESS_STOPPING,               /* end probes */
	SESS_ERROR,                  /* MAXERRORS/MAXSKIPPED exceeded: error probes, no end probes */
	SESS_STOPPED,
};

struct session {
	struct options opt;
	struct limits lim;
	struct diag diag;
	struct arena script_arena;   /* tokens, AST, bytecode */
	struct arena arena;          /* modules, symbols, probes */
	struct script *script;       /* lang's compiled program */
	struct elab_state *elab;     /* lang/elab.h: what elaboration resolved (used globals, functions) */

	struct dprobe **probes;      /* every derived probe, in elaboration order */
	int nprobes, probes_cap;

	/* the event loop */
	int epfd, sigfd;
	struct sess_watch *watches;
	sess_sig_fn on_sigchld;      /* the ptrace engine's reaper */
	void *on_sigchld_arg;
	bool exiting;                /* exit() called, signal, -T, target gone: end probes next */
	bool exit_called;            /* exit()/abort() ran in a handler: from now on only end and
	                                error probes run (stap's STAP_SESSION_STOPPING), while a
	                                signal, -T or the target's end still let events that
	                                happened before it (buffered kernel records) run */
	int in_handler;              /* sess_run_probe's depth */
	bool stopped;                /* end probes done: leave the loop */
	int exit_code;
	bool run_failed;             /* pass 5 fails without a counted error (the -c command exited
	                                nonzero, stapio's target_pid_failed_p): exit 1 */

	int target;                  /* target(): the -c child or -x pid, 0 if none */
	int self_pid;
	/* tracer/session.c, target.c: where the run is (sess_run_probe refuses to run handlers
	   once SESS_ERROR is reached, except error probes) */
	enum sess_state state;
	bool target_spawned;         /* -c: s->target is our child, held before its execve until
	                                the begin probes have run (see tracer/target.c) */
	struct tgt_state *tgt;       /* tracer/target.c */
	int timeout_fd;              /* -T timerfd, -1 if none */
	int64_t run_start_ns;        /* CLOCK_MONOTONIC when the begin probes started */

	/* output: everything printed goes through here (stdout or -o FILE, -S rotation) */
	struct strbuf out;
	int out_fd;
	int64_t out_written;
	int out_seq;
	uint32_t bulk_seq;           /* -b: the next record's sequence number */

	uint64_t errors, skipped;    /* soft errors and skipped probes (MAXERRORS, MAXSKIPPED) */

	/* providers' state, owned by the files named in the struct declarations above */
	struct pt_state *pt;
	struct bp_state *bp;
	struct mod_state *mod;
	struct dw_state *dw;
	struct ks_state *ks;
	struct timer_state *timers;
	struct pp_state *pp;         /* lang/pp.c */

	/* lang/regex.c: the last =~ (matched(), ngroups()); lang/bi_string.c: tokenize()'s
	   position between calls (tok_buf: malloc'd maxstringlen+1 bytes, on first use) */
	struct rx_state rx;
	char *tok_buf, *tok_start, *tok_end;
	/* lang/bi_ctl.c: system() commands queued by a handler, run after it */
	char **sys_cmds;
	int nsys_cmds, sys_cmds_cap;
	int64_t kernel_hz;           /* lang/bi_time.c: CONFIG_HZ, read on first use */
	/* lang/bi_ctl.c: hashes of the warn() texts printed so far (stapio prints each once
	   unless -vv); full: no more are remembered */
	uint64_t warn_seen[1024];
	int nwarn_seen;
};

/* Watch fd in the event loop; fn runs on each readiness. */
int sess_watch(struct session *s, int fd, uint32_t events, sess_fd_fn fn, void *arg);
void sess_unwatch(struct session *s, int fd);
/* The ptrace engine hears SIGCHLD through this (one listener). */
void sess_on_sigchld(struct session *s, sess_sig_fn fn, void *arg);

/* Run a derived probe's handler now (counts hits, applies MAXERRORS, flushes output). */
void sess_run_probe(struct session *s, struct dprobe *p, struct ctx *c);
/* exit(): finish the current handler, run end probes, stop. */
void sess_request_exit(struct session *s);

/* Output (print/printf): buffered, flushed at the end of each handler and at exit. */
void sess_write(struct session *s, const char *buf, size_t len);
void sess_flush(struct session *s);
/* CONFIG_HZ of the running kernel (/boot/config-RELEASE), read once; 250 when unreadable. */
int64_t sess_kernel_hz(struct session *s);
/* Column col (0: the first number) of the "Key:" line of /proc/TID/status, read in base
   (10, or 16 for the Sig* masks); dflt when the task or the line is gone. */
int64_t proc_status_field(int tid, const char *key, int col, int base, int64_t dflt);
/* /proc/PID/WHAT (tid 0) or /proc/PID/task/TID/WHAT into buf, NUL-terminated: its length,
   or -1 when the task is gone or the file empty. */
int proc_read(int pid, int tid, const char *what, char *buf, size_t n);
/* switch_file(): continue the output in the next -o file (FILE.1, ...); no-op without -o. */
void sess_switch_file(struct session *s);

/* ---- the run, as tracer/main.c drives it ---- */
/* Defaults (stap's limits, stdout), arenas and diag; opens nothing. */
void sess_init(struct session *s);
/* -o FILE (strftime formats) and -S SIZE[,N]: 0, or 1 after a message. */
int sess_open_output(struct session *s);
/* Block the signals, open epoll + signalfd (+ the -T timerfd). 0, or 1 after a message. */
int sess_start(struct session *s);
/* The event loop: returns once an exit was requested (exit(), signal, -T, target gone,
   MAXERRORS). */
void sess_loop(struct session *s);
/* Every exit path ends here: disarm every provider (breakpoints out first), then the end
   probes (or the error probes after SESS_ERROR), unprinted globals, flush, the error summary.
   Safe to call more than once. Returns the exit code. */
int sess_finish(struct session *s);
/* Start-up failed (a target, arming): disarm what was armed, no begin/end probes. Returns
   the exit code (1). */
int sess_abort(struct session *s);
/* Release what the session owns (arenas, diag, DWARF modules, regex captures, pending
   system() commands, option vectors) after lang_fini(); s itself stays the caller's. */
void sess_free(struct session *s);
/* A soft error was counted (s->errors): past MAXERRORS the session goes to SESS_ERROR. */
void sess_check_errors(struct session *s);
/* A probe could not run (reentrancy, ...): counts it, past MAXSKIPPED the session ends. */
void sess_skip(struct session *s);

#endif

/*
** What the tracer sees of the language: load a script (passes 1-4: parse, elaborate,
** compile) and run one derived probe's handler against a context (pass 5's inner step).
*/
#ifndef USTAP_LANG_H
#define USTAP_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;
struct dprobe;
struct ctx;

/* Parse the script (s->opt), elaborate (providers expand probe points into s->probes),
   compile. Honours -p1/-p2/-p3 (prints and returns). Returns 0, or the exit code after
   reporting errors ("Pass 1: parse failed.  [man error::pass1]" as stap does). */
int lang_load(struct session *s);

/* Run p's handler (and its alias prologue/epilogue) with c. Output goes to the session's
   output buffer. Soft errors are reported and counted here (MAXERRORS ends the session).
   Returns 0. */
int lang_run(struct session *s, struct dprobe *p, struct ctx *c);

/* Print global variables left non-empty at the end (stap prints them when the script has
   no end probe that prints them? no: only unprinted globals when no end probe exists). */
void lang_print_globals(struct session *s);
/* -t: stap's "----- probe hit report" to the script's output (sess_finish, after the end
   or error probes). Nothing without -t. */
void lang_timing_report(struct session *s);

/* Entry snippets (.return probes with dp->entry_snippet): @entry(EXPR) and $param are
   evaluated at the function's entry and kept per call. The provider, at the entry hit,
   runs lang_run_entry(s, dp, c, vals) with an entry-time context (c->entry_vals is set to
   vals) into a store of lang_entry_size(s, dp) bytes it keeps with that call's frame; at
   the return it sets c->entry_vals = that store before lang_run. Size 0: no snippet.
   Returns 0 (soft errors are reported as lang_run's). */
size_t lang_entry_size(struct session *s, struct dprobe *dp);
int lang_run_entry(struct session *s, struct dprobe *dp, struct ctx *c, char *vals);

void lang_fini(struct session *s);

/* --compatible=VERSION: is the language of stap VERSION or later asked for (strverscmp, as
   stap's has_version)? Always true without --compatible. */
bool lang_has_version(const struct session *s, const char *version);

#endif

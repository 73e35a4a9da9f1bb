/*
** Diagnostics in stap's wording and layout (session.cxx build_error_msg, print_error_source):
**   parse error: expected ',' or ')'
**           saw: identifier 'b' at foo.stp:1:14
**        source: function f(a b) { return a }
**                             ^
** Errors are counted per pass; several can be reported before a pass gives up.
*/
#ifndef USTAP_DIAG_H
#define USTAP_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"

struct diag {
	FILE *out;             /* stderr */
	int errors, warnings;
	int verbose;
	int no_warn;           /* -w */
	int last_line_shown;   /* stap prints each erroneous source line once per error */
	const void *last_file; /* the file of the last semantic error/warning location: stap's
	                          print_token abbreviates the next one there to " at :L:C" */
	/* duplicate elimination (stap's seen_errors/seen_warnings; off with -v): */
	char **seen;           /* malloc'd "kind\001message" keys already printed */
	int nseen, seen_cap;
	int suppressed_errors, suppressed_warnings;
};

void diag_init(struct diag *d, FILE *out);
/* "KIND error: MSG" then, when pos is set, the "saw:"/"at" and "source:" lines with a caret.
   kind: "parse", "semantic", "pass 1", ...; saw: token description or NULL. */
void diag_error(struct diag *d, const char *kind, const struct srcpos *pos, const char *saw,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warn(struct diag *d, const struct srcpos *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The "source: ...\n        ^" pair alone. */
void diag_source(struct diag *d, const struct srcpos *pos);

/* Layout used by diag_error, by kind:
     "parse":  "parse error: MSG\n        saw: SAW at FILE:L:C\n     source: ...\n ^\n\n"
               (saw NULL with pos NULL: "        saw: <EOF>"; see diag_parse for the other forms)
     others:   "KIND error: MSG: SAW at FILE:L:C\n        source: ...\n ^\n\n"
               (pos NULL: "KIND error: MSG\n\n"; saw NULL: "KIND error: MSG: at FILE:L:C")
   Errors are always counted; a message already shown (same kind and text) is not printed
   again unless verbose, and counts as suppressed, as stap does. */

/* A parse error as stap's build_error_msg prints it. label: "saw" (the error concerns the
   current token) or "at" (a token given explicitly, or a lexer junk token); tokdesc:
   "identifier 'b'"; pos NULL: "saw: EOFNAME EOF". key: what duplicates are recognised by
   (stap: the place in the parser that raised it), NULL: msg, "": never suppressed. Returns false when suppressed;
   the caller then skips its diag_chain lines too. */
bool diag_parse(struct diag *d, const char *key, const char *msg, const char *label,
                const char *tokdesc, const struct srcpos *pos, const char *eofname);
/* "\tin expansion of macro: TOKDESC at FILE:L:C" and its source lines (token chains). */
void diag_chain(struct diag *d, const char *what, const char *tokdesc, const struct srcpos *pos);
/* Ends one error message (the blank line stap prints after each). */
void diag_end(struct diag *d);
/* "WARNING: MSG: TOKDESC at FILE:L:C\n source: ..." (tokdesc NULL: "WARNING: MSG"). */
void diag_warn_tok(struct diag *d, const struct srcpos *pos, const char *tokdesc,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* At the end of a run: "Number of similar error messages suppressed: N." etc. */
void diag_report_suppression(struct diag *d);
void diag_free(struct diag *d);

#endif

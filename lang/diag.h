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

#include <stdio.h>

#include "ast.h"

struct diag {
	FILE *out;             /* stderr */
	int errors, warnings;
	int verbose;
	int no_warn;           /* -w */
	int last_line_shown;   /* stap prints each erroneous source line once per error */
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

#endif

/*
** Regular expressions for =~ / !~ (POSIX extended, compiled once at compile time) and the
** last-match state that matched(N), matched_str() and ngroups() read (it lives in the session).
*/
#ifndef USTAP_RX_H
#define USTAP_RX_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

#define RX_MAXGROUPS 10   /* matched(0..9), as stap's MAXREGEXGROUPS? see regex.c */

struct rx;                /* a compiled pattern */

/* The last successful =~ (copied, so the subject may be freed). */
struct rx_state {
	bool valid;           /* a =~ has matched since start */
	int ngroups;          /* groups in the pattern, whole match included */
	int so[RX_MAXGROUPS], eo[RX_MAXGROUPS]; /* -1 where a group did not take part */
	char *subject;        /* malloc'd, grown as needed (not on every match) */
	size_t cap;
};

/* NULL with err set (stap's regex error text) on a bad pattern. The rx lives in a's memory
   but owns a regex_t: rx_free() it when the script is torn down. */
struct rx *rx_compile(struct arena *a, const char *pattern, char *err, size_t errlen);
void rx_free(struct rx *r);
/* rx_check.c: pass 2's check of a pattern, as stap's regex parser reports it (raw: the
   literal as written, escapes kept; pattern: decoded, what rx_compile gets). RX_OK, or the
   error in err and the position stap gives ("at position N"), or -1 for none. */
#define RX_OK (-2)
int rx_check(const char *raw, const char *pattern, char *err, size_t errlen);
/* subject =~ r. On a match, st (if non-NULL) records the captures. */
bool rx_match(const struct rx *r, const char *subject, struct rx_state *st);
void rx_state_free(struct rx_state *st);

#endif

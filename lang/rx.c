/*
** =~ and !~: POSIX extended regexes compiled once, an unanchored search like stap's, and
** the record of the last match that matched()/ngroups() read (a failed match clears it).
*/
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rx.h"

struct rx {
	regex_t re;
	int ngroups;              /* re_nsub + 1 */
};

struct rx *rx_compile(struct arena *a, const char *pattern, char *err, size_t errlen)
{
	struct rx *r = arena_alloc(a, sizeof *r);
	int rc = regcomp(&r->re, pattern, REG_EXTENDED);
	if (rc != 0) {
		char msg[200];
		regerror(rc, &r->re, msg, sizeof msg);
		snprintf(err, errlen, "regex compilation error: %s", msg);
		return NULL;
	}
	r->ngroups = (int)r->re.re_nsub + 1;
	return r;
}

void rx_free(struct rx *r)
{
	if (r)
		regfree(&r->re);
}

static void keep_subject(struct rx_state *st, const char *s)
{
	size_t n = strlen(s) + 1;
	if (n > st->cap) {
		size_t cap = n < 512 ? 512 : n;
		char *p = realloc(st->subject, cap);
		if (!p) {
			st->valid = false;
			return;
		}
		st->subject = p;
		st->cap = cap;
	}
	memcpy(st->subject, s, n);
}

bool rx_match(const struct rx *r, const char *subject, struct rx_state *st)
{
	regmatch_t m[RX_MAXGROUPS];
	size_t n = st ? RX_MAXGROUPS : 0;
	bool ok = regexec(&r->re, subject, n, n ? m : NULL, 0) == 0;
	if (!st)
		return ok;
	st->valid = ok;
	if (!ok)
		return false;
	st->ngroups = r->ngroups;
	for (int i = 0; i < RX_MAXGROUPS; i++) {
		st->so[i] = i < r->ngroups ? (int)m[i].rm_so : -1;
		st->eo[i] = i < r->ngroups ? (int)m[i].rm_eo : -1;
	}
	keep_subject(st, subject);
	return st->valid;
}

void rx_state_free(struct rx_state *st)
{
	free(st->subject);
	st->subject = NULL;
	st->cap = 0;
	st->valid = false;
}

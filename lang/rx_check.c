/*
** Pass 2's regex check: a pattern stap's own regex parser refuses is a semantic error at
** elaboration, with its message and position; what POSIX regcomp still refuses follows.
*/
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "rx.h"

int rx_check(const char *pattern, char *err, size_t errlen)
{
	regex_t re;
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc == 0) {
		regfree(&re);
		return RX_OK;
	}
	regerror(rc, &re, err, errlen);
	regfree(&re);
	return -1;
}

/*
** -l PROBE / -L PROBE (tracer/list.c).
*/
#ifndef USTAP_LIST_H
#define USTAP_LIST_H

struct session;

/* Elaborate "probe PATTERN {}" quietly and print the matches. The exit code: 0, or 1 when
   nothing matches (as stap). */
int list_run(struct session *s);

#endif

/*
** Exceptions unwinding through hijacked return addresses (eh.c): the engine's breakpoints at
** libgcc's unwinder entry points and at __cxa_begin_catch.
*/
#ifndef USTAP_EH_H
#define USTAP_EH_H

#include <stdbool.h>

struct session;
struct pt_thread;

/* Breakpoints at the unwinder and catch entry points of p's modules, once p has a return
   trampoline (t: a stopped thread of p). Idempotent: call whenever modules were added. */
void eh_place(struct session *s, struct pt_thread *t);
/* A breakpoint user's cookie: one of eh_place's (handled, true) or another provider's. */
bool eh_hit(struct pt_thread *t, const void *cookie);

#endif

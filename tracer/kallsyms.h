/*
** Kernel text symbols from /proc/kallsyms: address -> symbol (stacks), name -> address.
*/
#ifndef USTAP_KALLSYMS_H
#define USTAP_KALLSYMS_H

#include <stdint.h>

struct session;

/* The symbol holding addr: its name, addr's offset in it, its size and module ("kernel" for
   vmlinux). NULL when no symbol holds it (or kallsyms is unreadable or hidden). */
const char *ksym_lookup(struct session *s, uint64_t addr, uint64_t *off, uint64_t *size,
                        const char **mod);
/* The address of a text symbol, 0 if none. */
uint64_t ksym_addr(struct session *s, const char *name, const char **mod);
/* Every text symbol, in address order, until cb returns nonzero. */
typedef int (*ksym_cb)(void *arg, const char *name, const char *mod, uint64_t addr);
int ksym_each(struct session *s, ksym_cb cb, void *arg);
void ksym_free(struct session *s);

#endif

/*
** Arenas (bump allocation, freed in one go) and strbuf (a growable byte string).
** Script arena: tokens, AST, types, bytecode. Session arena: modules, symbols, probes.
*/
#ifndef USTAP_ARENA_H
#define USTAP_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t used_total;
};

void arena_init(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);          /* zeroed, 16-byte aligned; aborts on OOM */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);                      /* everything, at once */

struct strbuf {
	char *buf;             /* always NUL-terminated once anything was added */
	size_t len, cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);                      /* len = 0, keeps the memory */
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
char *sb_steal(struct strbuf *sb);                     /* malloc'd string; sb is reset to empty */

#endif

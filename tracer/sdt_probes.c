/*
** The legacy SDT marker layouts, STAP_SDT_V1 and STAP_SDT_V2: entries of the allocated .probes
** section (a "PRB1"/"UPB2" guard word, then the addresses of the name, provider, argument string,
** probe pc and semaphore), walked the way stap's sdt_query::iterate_over_probe_entries does.
*/
#include <stdint.h>
#include <string.h>

#include "sdt.h"

#define UPROBE1_TYPE 0x31425250u  /* "PRB1" */
#define UPROBE2_TYPE 0x32425055u  /* "UPB2" */

/* The entries as sys/sdt.h's STAP_PROBE_DATA_ lays them out (every address in an 8-byte slot,
   also on 32-bit targets: each is followed by .balign 8; stap's stap_sdt_probe_entry_v1/v2). */
struct v1_entry {
	uint32_t type_a, type_b;
	uint64_t name, pc;
};

struct v2_entry {
	uint32_t type_a, type_b;
	uint64_t name, provider, arg_count, arg_string, pc, semaphore;
};

struct probes_sec {
	const char *buf;
	size_t size;
	uint64_t addr;
};

/* The NUL-terminated string at address a of the section, or NULL. */
static const char *str_at(const struct probes_sec *p, uint64_t a)
{
	if (a < p->addr || a - p->addr >= p->size)
		return NULL;
	const char *s = p->buf + (a - p->addr);
	return memchr(s, 0, p->size - (a - p->addr)) ? s : NULL;
}

/* V1 "1: .asciz NAME; .balign 4; .int PRB1; .balign 8; .quad 1b; .balign 8; .quad PC": when the
   guard is not 8-aligned it is the second word of the entry (stap backs up one word). Returns
   the offset after it, or 0 to stop (no name: a relocation stap does not follow). */
static size_t v1(const struct probes_sec *p, size_t off, sdt_add_fn *add, void *arg)
{
	struct v1_entry e;
	size_t at = off % 8 ? off - 4 : off;
	if (at + sizeof e > p->size)
		return 0;
	memcpy(&e, p->buf + at, sizeof e);
	if (off % 8 && e.type_b != UPROBE1_TYPE)
		return off + 4;
	if (!e.name)
		return 0;
	struct sdt_note n = { .provider = "", .version = 1, .pc = e.pc };
	if (!(n.name = str_at(p, e.name)))
		return off + 4;
	add(arg, &n, "");
	return off + sizeof e;
}

/* V2: guard, then the addresses of name, provider, argument string, pc and semaphore, and the
   argument count; the strings follow (arg string, provider, name). stap goes on 4-aligned after
   the name. */
static size_t v2(const struct probes_sec *p, size_t off, sdt_add_fn *add, void *arg)
{
	struct v2_entry e;
	if (off % 8 || off + sizeof e > p->size)
		return off % 8 ? off + 4 : 0;
	memcpy(&e, p->buf + off, sizeof e);
	if (!e.name)
		return 0;
	struct sdt_note n = { .version = 2, .pc = e.pc, .sema = e.semaphore };
	const char *args = e.arg_string ? str_at(p, e.arg_string) : "";
	n.name = str_at(p, e.name);
	n.provider = str_at(p, e.provider);
	if (!n.name || !n.provider || !args)
		return off + 4;
	n.nargs = e.arg_count > 10 ? 10 : (int)e.arg_count;   /* sys/sdt.h's V2 has 0..10 */
	add(arg, &n, args);
	size_t next = (size_t)(e.name - p->addr) + strlen(n.name);
	next += 4 - next % 4;
	return next > off ? next : off + sizeof e;
}

void sdt_probes_scan(const char *buf, size_t size, uint64_t addr, sdt_add_fn *add, void *arg)
{
	struct probes_sec p = { buf, size, addr };
	size_t off = 0;
	while (off + 4 <= size) {
		uint32_t type;
		memcpy(&type, buf + off, 4);
		if (type == UPROBE1_TYPE)
			off = v1(&p, off, add, arg);
		else if (type == UPROBE2_TYPE)
			off = v2(&p, off, add, arg);
		else
			off += 4;
		if (!off)
			break;
	}
}

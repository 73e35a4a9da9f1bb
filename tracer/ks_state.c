/*
** The kernel side's state in the session (s->ks): allocated on first use, with the CPUs
** the rings are made for. Kept apart from ks.c so tracefs users need not pull the rings in.
*/
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "ks.h"
#include "session.h"

#define RING_PAGES 512        /* 2 MiB per CPU: bursts while ustap waits for a CPU */
#define RING_PAGES_USER 16    /* within perf_event_mlock_kb for an unprivileged user */

/* "0-3,5" -> set bits in v (up to n) and return the highest cpu + 1 */
static int parse_cpulist(const char *path, bool *v, int n)
{
	char buf[1024];
	FILE *f = fopen(path, "r");
	int max = 0;

	if (!f)
		return -1;
	if (!fgets(buf, sizeof buf, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	for (char *p = buf; *p && *p != '\n';) {
		char *e;
		long a = strtol(p, &e, 10), b = a;
		if (e == p)
			break;
		if (*e == '-')
			b = strtol(e + 1, &e, 10);
		for (long i = a; i <= b; i++) {
			if (v && i < n)
				v[i] = true;
			if (i + 1 > max)
				max = (int)i + 1;
		}
		p = *e == ',' ? e + 1 : e;
	}
	return max;
}

struct ks_state *ks_get(struct session *s)
{
	struct ks_state *ks = s->ks;

	if (ks)
		return ks;
	ks = s->ks = arena_alloc(&s->arena, sizeof *ks);
	ks->ncpu = parse_cpulist("/sys/devices/system/cpu/possible", NULL, 0);
	if (ks->ncpu <= 0)
		ks->ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);
	ks->online = arena_alloc(&s->arena, sizeof *ks->online * (size_t)ks->ncpu);
	if (parse_cpulist("/sys/devices/system/cpu/online", ks->online, ks->ncpu) <= 0)
		for (int i = 0; i < ks->ncpu; i++)
			ks->online[i] = true;
	ks->rings = arena_alloc(&s->arena, sizeof *ks->rings * (size_t)ks->ncpu);
	ks->urings = arena_alloc(&s->arena, sizeof *ks->urings * (size_t)ks->ncpu);
	for (int i = 0; i < ks->ncpu; i++)
		ks->rings[i].fd = ks->urings[i].fd = -1;
	ks->ring_pages = ks_privileged() ? RING_PAGES : RING_PAGES_USER;
	return ks;
}

/*
** Kernel symbols from /proc/kallsyms (read once, on the first lookup, into s->ks): address
** to "name+off/size [module]" for kernel stacks from perf callchains, and name to address
** for kernel.function probes. Sizes are the distance to the next symbol, as kallsyms does.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "kallsyms.h"
#include "ks.h"
#include "session.h"

struct ksym {
	uint64_t addr;
	const char *name;
	const char *mod;          /* "kernel" or the module's name */
};

struct ksym_table {
	struct ksym *v;
	size_t n;
	bool loaded;
};

static int cmp_sym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool is_text(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

static void load(struct session *s, struct ksym_table *t)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], mod[128];
	size_t cap = 0;

	t->loaded = true;
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		unsigned long long addr;
		char type;
		mod[0] = 0;
		if (sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod) < 3 || !addr)
			continue;
		if (!is_text(type))
			continue;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 65536;
			struct ksym *nv = realloc(t->v, cap * sizeof *nv);
			if (!nv)
				break;
			t->v = nv;
		}
		t->v[t->n].addr = addr;
		t->v[t->n].name = arena_strdup(&s->arena, name);
		t->v[t->n].mod = mod[0] ? arena_strdup(&s->arena, mod) : "kernel";
		t->n++;
	}
	fclose(f);
	qsort(t->v, t->n, sizeof *t->v, cmp_sym);
}

static struct ksym_table *table(struct session *s)
{
	struct ks_state *ks = ks_get(s);

	if (!ks->ksyms)
		ks->ksyms = arena_alloc(&s->arena, sizeof *ks->ksyms);
	if (!ks->ksyms->loaded)
		load(s, ks->ksyms);
	return ks->ksyms;
}

const char *ksym_lookup(struct session *s, uint64_t addr, uint64_t *off, uint64_t *size,
                        const char **mod)
{
	struct ksym_table *t = table(s);
	size_t lo = 0, hi = t->n;

	if (!t->n || addr < t->v[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (t->v[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (lo + 1 >= t->n)   /* past the last symbol: no size to trust */
		return NULL;
	*off = addr - t->v[lo].addr;
	*size = t->v[lo + 1].addr - t->v[lo].addr;
	*mod = t->v[lo].mod;
	return t->v[lo].name;
}

uint64_t ksym_addr(struct session *s, const char *name, const char **mod)
{
	struct ksym_table *t = table(s);

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name)) {
			if (mod)
				*mod = t->v[i].mod;
			return t->v[i].addr;
		}
	return 0;
}

int ksym_each(struct session *s, ksym_cb cb, void *arg)
{
	struct ksym_table *t = table(s);

	for (size_t i = 0; i < t->n; i++)
		if (cb(arg, t->v[i].name, t->v[i].mod, t->v[i].addr))
			return 1;
	return 0;
}

void ksym_free(struct session *s)
{
	if (s->ks && s->ks->ksyms) {
		free(s->ks->ksyms->v);
		s->ks->ksyms->v = NULL;
		s->ks->ksyms->n = 0;
		s->ks->ksyms->loaded = false;
	}
}

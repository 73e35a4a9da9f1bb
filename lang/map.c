/*
** Associative arrays. Nodes live in fixed chunks (so value slots never move), are chained
** in a power-of-two hash table by int index, and linked in one order list: insertion
** order, rewritten in place by a sorted foreach and consumed oldest-first by `%` wrapping.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

#define CHUNK_SHIFT 8
#define CHUNK_NODES (1 << CHUNK_SHIFT)
#define NIL (-1)

struct node {
	uint32_t hash;
	int32_t hnext;             /* next in the bucket chain; the free list reuses it */
	int32_t prev, next;        /* the order list */
};

struct map {
	char keysig[MAP_MAXKEYS + 1];
	int nkeys;
	enum map_vtype vt;
	int64_t max;
	bool sized, wrap;
	int slen;                  /* string buffer size: content <= slen-1 bytes */
	struct stat_spec spec;
	size_t node_size, val_off;
	size_t key_off[MAP_MAXKEYS];
	bool one_long;             /* keysig "l": the hot case gets its own lookup */

	int32_t *buckets;          /* node index, NIL when empty */
	uint32_t mask;
	char **chunks;
	int nchunks, chunks_cap;
	int32_t used;              /* nodes ever handed out (high-water mark) */
	int32_t free_head;
	int64_t count;
	int32_t head, tail;        /* order list */
	int32_t *sortbuf;
	int64_t sortbuf_cap;
	char errmsg[80];
};

static inline struct node *NODE(const struct map *m, int32_t i)
{
	return (struct node *)(m->chunks[i >> CHUNK_SHIFT] + (size_t)(i & (CHUNK_NODES - 1)) * m->node_size);
}

static inline char *FIELD(const struct map *m, int32_t i, size_t off)
{
	return (char *)NODE(m, i) + off;
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static void layout(struct map *m)
{
	size_t off = sizeof(struct node);
	for (int c = 0; c < m->nkeys; c++)          /* long keys first, then the value */
		if (m->keysig[c] == 'l') {
			m->key_off[c] = off;
			off += 8;
		}
	m->val_off = off;
	if (m->vt == MAPV_LONG)
		off += 8;
	else if (m->vt == MAPV_STRING)
		off += align8((size_t)m->slen);
	else
		off += align8(stat_size(&m->spec));
	for (int c = 0; c < m->nkeys; c++)
		if (m->keysig[c] == 's') {
			m->key_off[c] = off;
			off += (size_t)m->slen;
		}
	m->node_size = align8(off);
}

static uint32_t pow2_at_least(int64_t n)
{
	uint32_t p = 16;
	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

struct map *map_new(const char *keysig, enum map_vtype vt, int64_t maxentries, bool sized,
		    bool wrap, int maxstringlen, const struct stat_spec *spec)
{
	struct map *m = calloc(1, sizeof *m);
	if (!m)
		abort();
	m->nkeys = (int)strlen(keysig);
	if (m->nkeys < 1 || m->nkeys > MAP_MAXKEYS)
		abort();
	memcpy(m->keysig, keysig, (size_t)m->nkeys);
	m->vt = vt;
	m->max = maxentries > 0 ? maxentries : 1;
	m->sized = sized;
	m->wrap = wrap;
	m->slen = maxstringlen > 1 ? maxstringlen : 2;
	if (vt == MAPV_STATS && spec) {
		m->spec = *spec;
		m->spec.keyed = true;
	}
	layout(m);
	m->one_long = m->nkeys == 1 && m->keysig[0] == 'l';
	m->mask = pow2_at_least(m->max < 4096 ? m->max : 4096) - 1;
	m->buckets = malloc(((size_t)m->mask + 1) * sizeof *m->buckets);
	if (!m->buckets)
		abort();
	map_clear(m);
	return m;
}

void map_free(struct map *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nchunks; i++)
		free(m->chunks[i]);
	free(m->chunks);
	free(m->buckets);
	free(m->sortbuf);
	free(m);
}

void map_clear(struct map *m)
{
	memset(m->buckets, 0xff, ((size_t)m->mask + 1) * sizeof *m->buckets);
	m->used = 0;
	m->free_head = NIL;
	m->count = 0;
	m->head = m->tail = NIL;
}

/* ---- hashing and key comparison ---- */

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

static inline uint32_t hash_long(int64_t v)
{
	uint64_t h = mix(0x84222325cbf29ce4ull, (uint64_t)v);
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static inline size_t keylen(const struct map *m, const char *s)
{
	return strnlen(s ? s : "", (size_t)m->slen - 1);
}

static uint32_t hash_keys(const struct map *m, const struct mval *k)
{
	if (m->one_long)
		return hash_long(k[0].l);
	uint64_t h = 0x84222325cbf29ce4ull;
	for (int c = 0; c < m->nkeys; c++) {
		if (m->keysig[c] == 'l') {
			h = mix(h, (uint64_t)k[c].l);
		} else {
			const unsigned char *s = (const unsigned char *)(k[c].s ? k[c].s : "");
			size_t n = keylen(m, k[c].s);
			uint64_t f = 0xcbf29ce484222325ull;
			for (size_t i = 0; i < n; i++)
				f = (f ^ s[i]) * 0x100000001b3ull;
			h = mix(h, f);
		}
	}
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static bool keys_eq(const struct map *m, int32_t i, const struct mval *k)
{
	for (int c = 0; c < m->nkeys; c++) {
		const char *f = FIELD(m, i, m->key_off[c]);
		if (m->keysig[c] == 'l') {
			if (*(const int64_t *)f != k[c].l)
				return false;
		} else {
			size_t n = keylen(m, k[c].s);
			if (memcmp(f, k[c].s ? k[c].s : "", n) != 0 || f[n] != '\0')
				return false;
		}
	}
	return true;
}

static int32_t find(const struct map *m, const struct mval *k, uint32_t h)
{
	if (m->one_long) {
		size_t off = m->key_off[0];
		for (int32_t i = m->buckets[h & m->mask]; i != NIL; i = NODE(m, i)->hnext)
			if (*(const int64_t *)FIELD(m, i, off) == k[0].l)
				return i;
		return NIL;
	}
	for (int32_t i = m->buckets[h & m->mask]; i != NIL; i = NODE(m, i)->hnext) {
		if (NODE(m, i)->hash == h && keys_eq(m, i, k))
			return i;
	}
	return NIL;
}

/* ---- node allocation, lists ---- */

static void order_unlink(struct map *m, int32_t i)
{
	struct node *n = NODE(m, i);
	if (n->prev != NIL) NODE(m, n->prev)->next = n->next; else m->head = n->next;
	if (n->next != NIL) NODE(m, n->next)->prev = n->prev; else m->tail = n->prev;
}

static void order_append(struct map *m, int32_t i)
{
	struct node *n = NODE(m, i);
	n->prev = m->tail;
	n->next = NIL;
	if (m->tail != NIL) NODE(m, m->tail)->next = i; else m->head = i;
	m->tail = i;
}

static void bucket_unlink(struct map *m, int32_t i)
{
	int32_t *p = &m->buckets[NODE(m, i)->hash & m->mask];
	while (*p != i)
		p = &NODE(m, *p)->hnext;
	*p = NODE(m, i)->hnext;
}

static void grow_buckets(struct map *m)
{
	uint32_t nb = (m->mask + 1) * 2;
	int32_t *b = malloc((size_t)nb * sizeof *b);
	if (!b)
		return;                     /* keep the longer chains */
	memset(b, 0xff, (size_t)nb * sizeof *b);
	free(m->buckets);
	m->buckets = b;
	m->mask = nb - 1;
	for (int32_t i = m->head; i != NIL; i = NODE(m, i)->next) {
		struct node *n = NODE(m, i);
		n->hnext = b[n->hash & m->mask];
		b[n->hash & m->mask] = i;
	}
}

static int32_t new_node(struct map *m)
{
	if (m->free_head != NIL) {
		int32_t i = m->free_head;
		m->free_head = NODE(m, i)->hnext;
		m->count++;
		return i;
	}
	if (m->count >= m->max || m->used == INT32_MAX) {
		if (!m->wrap || m->head == NIL)
			return NIL;
		int32_t i = m->head;        /* stap reuses the oldest entry */
		bucket_unlink(m, i);
		order_unlink(m, i);
		return i;
	}
	int32_t i = m->used;
	int c = i >> CHUNK_SHIFT;
	if (c >= m->nchunks) {
		if (c >= m->chunks_cap) {
			int cap = m->chunks_cap ? m->chunks_cap * 2 : 8;
			char **nc = realloc(m->chunks, (size_t)cap * sizeof *nc);
			if (!nc)
				return NIL;
			m->chunks = nc;
			m->chunks_cap = cap;
		}
		int64_t left = m->max - (int64_t)c * CHUNK_NODES;
		size_t nn = left < CHUNK_NODES ? (size_t)left : CHUNK_NODES;
		if (!(m->chunks[c] = malloc(nn * m->node_size)))
			return NIL;
		m->nchunks = c + 1;
	}
	m->used++;
	m->count++;
	return i;
}

static void set_key(struct map *m, int32_t i, const struct mval *k)
{
	for (int c = 0; c < m->nkeys; c++) {
		char *f = FIELD(m, i, m->key_off[c]);
		if (m->keysig[c] == 'l') {
			*(int64_t *)f = k[c].l;
		} else {
			size_t n = keylen(m, k[c].s);
			memcpy(f, k[c].s ? k[c].s : "", n);
			f[n] = '\0';
		}
	}
}

static void init_val(struct map *m, int32_t i)
{
	char *v = FIELD(m, i, m->val_off);
	if (m->vt == MAPV_LONG)
		*(int64_t *)v = 0;
	else if (m->vt == MAPV_STRING)
		v[0] = '\0';
	else
		stat_clear(&m->spec, (struct stat *)v);
}

/* ---- the operations ---- */

void *map_ref(struct map *m, const struct mval *keys)
{
	uint32_t h = hash_keys(m, keys);
	int32_t i = find(m, keys, h);
	if (i != NIL)
		return FIELD(m, i, m->val_off);
	if ((i = new_node(m)) == NIL)
		return NULL;
	struct node *n = NODE(m, i);
	n->hash = h;
	n->hnext = m->buckets[h & m->mask];
	m->buckets[h & m->mask] = i;
	order_append(m, i);
	set_key(m, i, keys);
	init_val(m, i);
	if (m->count > (int64_t)m->mask + 1 && m->mask < (1u << 24))
		grow_buckets(m);
	return FIELD(m, i, m->val_off);
}

void *map_get(struct map *m, const struct mval *keys)
{
	int32_t i = find(m, keys, hash_keys(m, keys));
	return i == NIL ? NULL : FIELD(m, i, m->val_off);
}

int64_t map_get_l(struct map *m, const struct mval *keys)
{
	int64_t *p = map_get(m, keys);
	return p ? *p : 0;
}

const char *map_get_s(struct map *m, const struct mval *keys)
{
	const char *p = map_get(m, keys);
	return p ? p : "";
}

int map_set_l(struct map *m, const struct mval *keys, int64_t v)
{
	int64_t *p = map_ref(m, keys);
	if (!p)
		return -1;
	*p = v;
	return 0;
}

int map_set_s(struct map *m, const struct mval *keys, const char *v)
{
	char *p = map_ref(m, keys);
	if (!p)
		return -1;
	size_t n = strnlen(v, (size_t)m->slen - 1);
	memmove(p, v, n);
	p[n] = '\0';
	return 0;
}

int map_add_stat(struct map *m, const struct mval *keys, int64_t v)
{
	struct stat *p = map_ref(m, keys);
	if (!p)
		return -1;
	stat_add(&m->spec, p, v);
	return 0;
}

bool map_exists(struct map *m, const struct mval *keys)
{
	return find(m, keys, hash_keys(m, keys)) != NIL;
}

void map_delete(struct map *m, const struct mval *keys)
{
	int32_t i = find(m, keys, hash_keys(m, keys));
	if (i == NIL)
		return;
	bucket_unlink(m, i);
	order_unlink(m, i);
	NODE(m, i)->hnext = m->free_head;
	m->free_head = i;
	m->count--;
}

int64_t map_count(const struct map *m) { return m->count; }
int map_nkeys(const struct map *m) { return m->nkeys; }
const char *map_keysig(const struct map *m) { return m->keysig; }
enum map_vtype map_vtype(const struct map *m) { return m->vt; }
const struct stat_spec *map_stat_spec(const struct map *m) { return &m->spec; }

const char *map_overflow_msg(const struct map *m)
{
	struct map *w = (struct map *)m;     /* the message buffer is a cache */
	if (m->sized)
		snprintf(w->errmsg, sizeof w->errmsg, "Array overflow, check size limit (%lld)",
			 (long long)m->max);
	else
		snprintf(w->errmsg, sizeof w->errmsg, "Array overflow, check MAXMAPENTRIES");
	return w->errmsg;
}

/* ---- iteration ---- */

int map_first(const struct map *m) { return m->head; }
int map_next(const struct map *m, int e) { return NODE(m, e)->next; }
int64_t map_key_l(const struct map *m, int e, int col) { return *(const int64_t *)FIELD(m, e, m->key_off[col]); }
const char *map_key_s(const struct map *m, int e, int col) { return FIELD(m, e, m->key_off[col]); }
void *map_val(const struct map *m, int e) { return FIELD(m, e, m->val_off); }

void map_keys(const struct map *m, int e, struct mval *keys)
{
	for (int c = 0; c < m->nkeys; c++) {
		if (m->keysig[c] == 'l') {
			keys[c].l = map_key_l(m, e, c);
			keys[c].s = NULL;
		} else {
			keys[c].l = 0;
			keys[c].s = map_key_s(m, e, c);
		}
	}
}

static int64_t stat_key(const struct map *m, const struct stat *st, enum stat_op agg)
{
	switch (agg) {
	case STAT_SUM: return st->sum;
	case STAT_MIN: return st->min;
	case STAT_MAX: return st->max;
	case STAT_AVG: return st->count ? st->sum / st->count : 0;
	default: return st->count;
	}
}

/* <0, 0, >0 as stap's _stp_cmp orders a against b ascending */
static int cmp_entries(const struct map *m, int32_t a, int32_t b, int col, enum stat_op agg)
{
	int64_t x, y;
	if (col > 0 && m->keysig[col - 1] == 's')
		return strcmp(map_key_s(m, a, col - 1), map_key_s(m, b, col - 1));
	if (col > 0) {
		x = map_key_l(m, a, col - 1);
		y = map_key_l(m, b, col - 1);
	} else if (m->vt == MAPV_STRING) {
		return strcmp(map_val(m, a), map_val(m, b));
	} else if (m->vt == MAPV_LONG) {
		x = *(int64_t *)map_val(m, a);
		y = *(int64_t *)map_val(m, b);
	} else {
		x = stat_key(m, map_val(m, a), agg);
		y = stat_key(m, map_val(m, b), agg);
	}
	return x < y ? -1 : x > y;
}

/* stable merge sort of v[0..n) using tmp */
static void msort(const struct map *m, int32_t *v, int32_t *tmp, int64_t n, int col, int dir,
		  enum stat_op agg)
{
	if (n < 2)
		return;
	int64_t h = n / 2;
	msort(m, v, tmp, h, col, dir, agg);
	msort(m, v + h, tmp, n - h, col, dir, agg);
	int64_t i = 0, j = h, k = 0;
	while (i < h && j < n) {
		/* take the right one only when strictly before: ties keep their order */
		if (dir * cmp_entries(m, v[j], v[i], col, agg) < 0)
			tmp[k++] = v[j++];
		else
			tmp[k++] = v[i++];
	}
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, (size_t)n * sizeof *v);
}

void map_sort(struct map *m, int col, int dir, enum stat_op agg, int64_t limit)
{
	(void)limit;   /* the whole list is sorted: later unsorted loops see stap's order */
	if (m->count < 2 || dir == 0)
		return;
	if (m->sortbuf_cap < m->count) {
		int32_t *nb = realloc(m->sortbuf, (size_t)m->count * 2 * sizeof *nb);
		if (!nb)
			return;
		m->sortbuf = nb;
		m->sortbuf_cap = m->count;
	}
	int32_t *v = m->sortbuf, *tmp = m->sortbuf + m->count;
	int64_t n = 0;
	for (int32_t i = m->head; i != NIL; i = NODE(m, i)->next)
		v[n++] = i;
	msort(m, v, tmp, n, col, dir > 0 ? 1 : -1, agg);
	m->head = m->tail = NIL;
	for (int64_t k = 0; k < n; k++)
		order_append(m, v[k]);
}

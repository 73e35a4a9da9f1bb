/*
** Associative arrays: keys are tuples of 1..9 long/string columns, values a long, a string
** or an aggregate. Bounded (MAXMAPENTRIES or `global a[N]`), optionally wrapping (`global a%`:
** the oldest entry is reused). Entries keep stap's order: insertion order, until a sorted
** foreach reorders them (stap's runtime sorts the entry list in place).
*/
#ifndef USTAP_MAP_H
#define USTAP_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "stats.h"
#include "value.h"

#define MAP_MAXKEYS 9

enum map_vtype { MAPV_LONG, MAPV_STRING, MAPV_STATS };

struct map;

/* keysig: one char per key column, 'l' (long) or 's' (string), 1..9 of them.
   maxentries: the bound (stap's MAXMAPENTRIES, or N of `global a[N]`; pass sized=true then,
   for the error text). maxstringlen: stap's MAXSTRINGLEN, a buffer size: string keys and
   values keep at most maxstringlen-1 bytes (as the VM's string buffers).
   spec: for MAPV_STATS, the aggregate shape (copied); NULL otherwise.
   Memory grows in chunks as entries are added, never per lookup. */
struct map *map_new(const char *keysig, enum map_vtype vt, int64_t maxentries, bool sized,
		    bool wrap, int maxstringlen, const struct stat_spec *spec);
void map_free(struct map *m);

/* The value slot of an entry, inserting it (value 0 / "" / empty stats) if absent.
   Returns NULL when full and not wrapping: raise map_overflow_msg(m).
   The slot is an int64_t *, a char * (maxstringlen bytes) or a struct stat *,
   and stays valid until that entry is deleted (entries never move). */
void *map_ref(struct map *m, const struct mval *keys);
/* The value slot of an existing entry, or NULL (reading a[k] does not create it). */
void *map_get(struct map *m, const struct mval *keys);
/* Convenience reads: 0 / "" / NULL when absent. */
int64_t map_get_l(struct map *m, const struct mval *keys);
const char *map_get_s(struct map *m, const struct mval *keys);
/* Sets; 0 ok, -1 full (raise map_overflow_msg). A string is copied (truncated). */
int map_set_l(struct map *m, const struct mval *keys, int64_t v);
int map_set_s(struct map *m, const struct mval *keys, const char *v);
/* a[k] <<< v */
int map_add_stat(struct map *m, const struct mval *keys, int64_t v);

bool map_exists(struct map *m, const struct mval *keys);       /* [k] in a */
void map_delete(struct map *m, const struct mval *keys);       /* delete a[k]; no-op if absent */
void map_clear(struct map *m);                                 /* delete a */
int64_t map_count(const struct map *m);                        /* number of entries */

/* "Array overflow, check MAXMAPENTRIES" or "Array overflow, check size limit (N)". */
const char *map_overflow_msg(const struct map *m);

int map_nkeys(const struct map *m);
const char *map_keysig(const struct map *m);
enum map_vtype map_vtype(const struct map *m);
const struct stat_spec *map_stat_spec(const struct map *m);

/* ---- iteration (foreach) ----
   Entries are identified by an int handle (>= 0); -1 ends. The loop body may read the map
   (map_get, map_exists, the handle's keys and value) but must not insert or delete:
   elaboration forbids modifying the iterated array, as stap does.

     for (int e = map_first(m); e >= 0; e = map_next(m, e)) ...

   map_sort() reorders the entries first (stable merge sort, as stap's _stp_map_sort):
   col 1..n sorts by key column col, col 0 by value (for stats values: by the aggregate
   `agg`, stap's default being @count); dir +1 ascending, -1 descending. Longs compare
   numerically, strings with strcmp. limit > 0 only needs the first `limit` entries ordered
   (the VM still stops the loop itself after `limit` iterations). */
void map_sort(struct map *m, int col, int dir, enum stat_op agg, int64_t limit);
int map_first(const struct map *m);
int map_next(const struct map *m, int e);
int64_t map_key_l(const struct map *m, int e, int col);        /* col 0-based */
const char *map_key_s(const struct map *m, int e, int col);
void *map_val(const struct map *m, int e);                      /* the value slot */
/* All key columns of an entry into keys[] (strings point into the map). */
void map_keys(const struct map *m, int e, struct mval *keys);

#endif

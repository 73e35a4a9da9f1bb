/*
** tracefs: where it is (mounting it when it is not and ustap may), which events exist,
** and each event's format file as field descriptors that decode a PERF_SAMPLE_RAW record.
*/
#ifndef USTAP_TRACEFS_H
#define USTAP_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct session;

enum tfs_kind {
	TFS_INT,        /* an integer of 1, 2, 4 or 8 bytes */
	TFS_PTR,        /* a pointer (read as a long; user pointers go to user_string) */
	TFS_STR,        /* char NAME[N]: a NUL-padded string */
	TFS_ARRAY,      /* TYPE NAME[N]: N integers of elem_size */
	TFS_DYNSTR,     /* __data_loc char[] NAME (or __rel_loc): a string stored after the fields */
	TFS_DYNARRAY,   /* __data_loc TYPE[] NAME: integers stored after the fields */
};

struct tfs_field {
	const char *name;
	const char *type;       /* as -L prints it: "char[16]", "pid_t", "const char*" */
	enum tfs_kind kind;
	int offset, size;       /* in the raw record, as the format file says */
	int elem_size;          /* TFS_INT: the width read (the C type's, when smaller than size);
	                           arrays: one element */
	int count;              /* TFS_ARRAY: elements */
	bool is_signed;
	bool rel;               /* __rel_loc: offset counts from the end of the field */
	bool common;            /* common_type, common_pid, __syscall_nr: not in $$vars or -L */
};

struct tfs_event {
	const char *system, *name;
	int id;                 /* PERF_TYPE_TRACEPOINT config */
	struct tfs_field *fields;
	int nfields;
};

/* The tracefs root (".../tracing", holding events/). Mounts tracefs on /sys/kernel/tracing
   when no copy is mounted and we are root. NULL with errno set when there is none. Cached. */
const char *tfs_root(struct session *s);
/* Parse one format file's text (pure; strings go to a). NULL on malformed text. */
struct tfs_event *tfs_parse_format(struct arena *a, const char *system, const char *text);
/* Load (cached) events/SYSTEM/EVENT/format. NULL with errno set. */
struct tfs_event *tfs_event(struct session *s, const char *system, const char *name);

/* Every "system:event" whose parts match the globs (fnmatch), sorted; the ftrace system
   (not a perf event) is left out. cb returns nonzero to stop. Returns the number of calls,
   or -1 with errno when the events directory cannot be read. */
typedef int (*tfs_event_cb)(void *arg, const char *system, const char *name);
int tfs_events(struct session *s, const char *sysglob, const char *evglob, tfs_event_cb cb, void *arg);

const struct tfs_field *tfs_field(const struct tfs_event *ev, const char *name);

/* Decoding, on the hit path (no allocation). raw/len: the PERF_SAMPLE_RAW bytes.
   An integer field or element idx of an array (0 for scalars). -1 with errno=ERANGE when
   idx or the field lies outside the record. */
int tfs_get_int(const struct tfs_field *f, const uint8_t *raw, uint32_t len, int64_t idx, int64_t *val);
/* A string field (TFS_STR / TFS_DYNSTR) into out (max bytes, NUL-terminated). */
int tfs_get_str(const struct tfs_field *f, const uint8_t *raw, uint32_t len, char *out, size_t max);
/* Elements of an array field (fixed or dynamic) in this record. */
int tfs_count(const struct tfs_field *f, const uint8_t *raw, uint32_t len);

#endif

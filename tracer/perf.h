/*
** perf_event_open, thinly: opening events, their mmap ring buffers, walking the records
** in a ring (a record that wraps is copied whole into a scratch buffer), and parsing a
** PERF_RECORD_SAMPLE body by its sample_type. No session state here: tracer/ks.c owns that.
*/
#ifndef USTAP_PERF_H
#define USTAP_PERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/perf_event.h>

/* Every event ustap opens samples at least these (rings are shared between events through
   PERF_EVENT_IOC_SET_OUTPUT: the identifier comes first and ends sample_id_all trailers).
   Nothing more: each u64 is paid per event by the traced task. The CPU is the ring's. */
#define PERF_BASE_SAMPLE (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_TIME)

struct perf_ring {
	int fd;                         /* the event that owns the mapping */
	int cpu;
	struct perf_event_mmap_page *meta;
	char *data;                     /* the data area: size bytes, a power of two */
	uint64_t size;
	size_t map_len;
	uint64_t head, tail;            /* snapshot of data_head, our read position */
	uint64_t lost;                  /* records the kernel dropped (PERF_RECORD_LOST) */
	char *scratch;                  /* a wrapping record is copied here (64 KiB) */
	bool watched;                   /* in the session's epoll set */
};

struct perf_sample {
	uint64_t id, ip, time, period;
	uint32_t pid, tid, cpu;
	uint16_t misc;                  /* header.misc: PERF_RECORD_MISC_USER / _KERNEL ... */
	uint64_t nr_ips;                /* PERF_SAMPLE_CALLCHAIN, with PERF_CONTEXT_* markers */
	const uint64_t *ips;
	uint32_t raw_size;              /* PERF_SAMPLE_RAW: the tracepoint record */
	const uint8_t *raw;
	uint64_t regs_abi;              /* PERF_SAMPLE_REGS_USER / _INTR: one u64 per mask bit */
	const uint64_t *regs;
	uint64_t regs_mask;
	uint64_t stack_size;            /* PERF_SAMPLE_STACK_USER: bytes copied from user sp */
	const uint8_t *stack;
	const uint64_t *read;           /* PERF_SAMPLE_READ (PERF_FORMAT_* as opened) */
};

/* perf_event_open(2). Returns the fd, or -1 with errno set. */
int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd, unsigned long flags);
/* The kernel's id of an event (PERF_EVENT_IOC_ID). 0 on failure. */
uint64_t perf_event_id(int fd);
/* Route fd's records into the ring of target_fd (same cpu). 0, or -1 with errno. */
int perf_set_output(int fd, int target_fd);

/* Map 1 + pages (a power of two) pages of fd. 0, or -1 with errno. */
int perf_ring_map(struct perf_ring *r, int fd, int cpu, unsigned pages);
void perf_ring_unmap(struct perf_ring *r);
/* Snapshot data_head; true if records are waiting. */
bool perf_ring_poll(struct perf_ring *r);
/* The next record up to the snapshot, or NULL. Valid until the next call. Advances. */
const struct perf_event_header *perf_ring_next(struct perf_ring *r);
/* The record perf_ring_next would return, without advancing (NULL if none). */
const struct perf_event_header *perf_ring_peek(struct perf_ring *r);
/* Give the consumed space back to the kernel (data_tail). */
void perf_ring_release(struct perf_ring *r);

/* Parse a PERF_RECORD_SAMPLE of an event opened with sample_type (and regs_mask for
   REGS_USER / REGS_INTR). 0, or -1 if the record is malformed. */
int perf_parse_sample(const struct perf_event_header *h, uint64_t sample_type,
                      uint64_t regs_mask, struct perf_sample *out);
/* Time and identifier of any record of an event with PERF_SAMPLE_IDENTIFIER|TIME and
   sample_id_all (samples: at the front, after the ip and the tid when sample_type has them;
   other records: in the trailer). 0 when the record has none. */
uint64_t perf_record_time(const struct perf_event_header *h, uint64_t sample_type);
uint64_t perf_record_id(const struct perf_event_header *h);

/* Count events in a counting (non-sampling) event: read(2) of one u64. -1 on error. */
int perf_read_count(int fd, uint64_t *val);

#endif

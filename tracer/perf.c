/*
** perf_event_open wrappers, ring buffers and sample parsing. The ring protocol: read
** data_head (acquire), consume records up to it, then store data_tail (release) so the
** kernel may overwrite; a record that straddles the end of the ring is copied out whole.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "perf.h"

#define SCRATCH_SIZE 65536   /* header.size is a u16: no record is larger */

int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd, unsigned long flags)
{
	attr->size = sizeof(*attr);
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags | PERF_FLAG_FD_CLOEXEC);
}

uint64_t perf_event_id(int fd)
{
	uint64_t id = 0;

	if (ioctl(fd, PERF_EVENT_IOC_ID, &id) < 0)
		return 0;
	return id;
}

int perf_set_output(int fd, int target_fd)
{
	return ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, target_fd) < 0 ? -1 : 0;
}

int perf_read_count(int fd, uint64_t *val)
{
	return read(fd, val, sizeof(*val)) == (ssize_t)sizeof(*val) ? 0 : -1;
}

int perf_ring_map(struct perf_ring *r, int fd, int cpu, unsigned pages)
{
	long psz = sysconf(_SC_PAGESIZE);
	void *p;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->cpu = cpu;
	r->map_len = (size_t)(pages + 1) * (size_t)psz;
	p = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	r->scratch = malloc(SCRATCH_SIZE);
	if (!r->scratch) {
		munmap(p, r->map_len);
		errno = ENOMEM;
		return -1;
	}
	r->meta = p;
	r->data = (char *)p + psz;
	r->size = (uint64_t)pages * (uint64_t)psz;
	r->tail = r->head = r->meta->data_tail;
	return 0;
}

void perf_ring_unmap(struct perf_ring *r)
{
	if (r->meta)
		munmap(r->meta, r->map_len);
	free(r->scratch);
	r->meta = NULL;
	r->scratch = NULL;
}

bool perf_ring_poll(struct perf_ring *r)
{
	if (!r->meta)
		return false;
	r->head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
	return r->head != r->tail;
}

const struct perf_event_header *perf_ring_peek(struct perf_ring *r)
{
	const struct perf_event_header *h;
	uint64_t off, first;
	uint16_t size;

	if (r->head - r->tail < sizeof(*h))
		return NULL;
	off = r->tail & (r->size - 1);
	if (off + sizeof(*h) <= r->size) {
		h = (const void *)(r->data + off);
		size = h->size;
	} else {   /* even the header wraps */
		first = r->size - off;
		memcpy(r->scratch, r->data + off, first);
		memcpy(r->scratch + first, r->data, sizeof(*h) - first);
		size = ((const struct perf_event_header *)(const void *)r->scratch)->size;
	}
	if (size < sizeof(*h) || r->head - r->tail < size)
		return NULL;
	if (off + size <= r->size)
		return (const void *)(r->data + off);
	first = r->size - off;
	memcpy(r->scratch, r->data + off, first);
	memcpy(r->scratch + first, r->data, size - first);
	return (const void *)r->scratch;
}

const struct perf_event_header *perf_ring_next(struct perf_ring *r)
{
	const struct perf_event_header *h = perf_ring_peek(r);

	if (h) {
		r->tail += h->size;
		if (h->type == PERF_RECORD_LOST)
			r->lost += ((const uint64_t *)(const void *)(h + 1))[1];
	}
	return h;
}

void perf_ring_release(struct perf_ring *r)
{
	if (r->meta)
		__atomic_store_n(&r->meta->data_tail, r->tail, __ATOMIC_RELEASE);
}

uint64_t perf_record_time(const struct perf_event_header *h, uint64_t sample_type)
{
	const uint64_t *p = (const void *)(h + 1);
	/* identifier, [ip], [tid], time */
	unsigned at = 1 + !!(sample_type & PERF_SAMPLE_IP) + !!(sample_type & PERF_SAMPLE_TID);

	if (h->type == PERF_RECORD_SAMPLE)
		return h->size >= sizeof(*h) + 8 * (at + 1) ? p[at] : 0;
	/* sample_id trailer: [tid], time, identifier */
	if (h->size < sizeof(*h) + 24)
		return 0;
	return *(const uint64_t *)(const void *)((const char *)h + h->size - 16);
}

uint64_t perf_record_id(const struct perf_event_header *h)
{
	if (h->size < sizeof(*h) + 8)
		return 0;
	if (h->type == PERF_RECORD_SAMPLE)
		return *(const uint64_t *)(const void *)(h + 1);
	return *(const uint64_t *)(const void *)((const char *)h + h->size - 8);
}

/* A cursor over a sample body that refuses to read past its end. */
struct cur {
	const uint8_t *p, *end;
	bool bad;
};

static const void *take(struct cur *c, uint64_t n)
{
	const void *p = c->p;

	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	return p;
}

static uint64_t take64(struct cur *c)
{
	const uint64_t *p = take(c, 8);

	return p ? *p : 0;
}

static void take_pair(struct cur *c, uint32_t *a, uint32_t *b)
{
	const uint32_t *p = take(c, 8);

	if (p) {
		*a = p[0];
		*b = p[1];
	}
}

/* The tail of a sample: callchain, raw, regs, stack (the order the kernel writes). */
static void parse_tail(struct cur *c, uint64_t st, uint64_t regs_mask, struct perf_sample *o)
{
	if (st & PERF_SAMPLE_CALLCHAIN) {
		o->nr_ips = take64(c);
		o->ips = take(c, o->nr_ips * 8);
	}
	if (st & PERF_SAMPLE_RAW) {
		const uint32_t *sz = take(c, 4);

		o->raw_size = sz ? *sz : 0;
		o->raw = take(c, o->raw_size);
		/* raw is padded so that the sample stays u64 aligned */
		c->p = (const uint8_t *)(((uintptr_t)c->p + 7) & ~(uintptr_t)7);
		if (c->p > c->end)
			c->bad = true;
	}
	if (st & PERF_SAMPLE_BRANCH_STACK)
		take(c, take64(c) * 24);
	if (st & (PERF_SAMPLE_REGS_USER | PERF_SAMPLE_REGS_INTR)) {
		/* both use the same layout; ustap samples at most one of them */
		o->regs_abi = take64(c);
		if (o->regs_abi) {
			o->regs_mask = regs_mask;
			o->regs = take(c, (uint64_t)__builtin_popcountll(regs_mask) * 8);
		}
	}
	if (st & PERF_SAMPLE_STACK_USER) {
		uint64_t sz = take64(c);

		o->stack = take(c, sz);
		o->stack_size = sz ? take64(c) : 0;   /* dyn_size: what was really copied */
		if (o->stack_size > sz)
			o->stack_size = sz;
	}
}

int perf_parse_sample(const struct perf_event_header *h, uint64_t st, uint64_t regs_mask,
                      struct perf_sample *o)
{
	struct cur c = { (const uint8_t *)(h + 1), (const uint8_t *)h + h->size, false };

	memset(o, 0, sizeof(*o));
	o->misc = h->misc;
	if (st & PERF_SAMPLE_IDENTIFIER)
		o->id = take64(&c);
	if (st & PERF_SAMPLE_IP)
		o->ip = take64(&c);
	if (st & PERF_SAMPLE_TID)
		take_pair(&c, &o->pid, &o->tid);
	if (st & PERF_SAMPLE_TIME)
		o->time = take64(&c);
	if (st & PERF_SAMPLE_ADDR)
		take64(&c);
	if (st & PERF_SAMPLE_ID)
		o->id = take64(&c);
	if (st & PERF_SAMPLE_STREAM_ID)
		take64(&c);
	if (st & PERF_SAMPLE_CPU) {
		uint32_t res;

		take_pair(&c, &o->cpu, &res);
	}
	if (st & PERF_SAMPLE_PERIOD)
		o->period = take64(&c);
	if (st & PERF_SAMPLE_READ)
		o->read = take(&c, 8);   /* read_format 0: the value alone */
	parse_tail(&c, st, regs_mask, o);
	return c.bad ? -1 : 0;
}

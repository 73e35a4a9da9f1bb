/*
** Kernel events for the session: opening perf events for probes on every CPU, one ring per
** CPU that all of them share (PERF_EVENT_IOC_SET_OUTPUT), and the drain that merges the
** rings by time and runs each record's handler. Records are routed by PERF_SAMPLE_IDENTIFIER.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "arch.h"
#include "arena.h"
#include "builtins.h"
#include "elab.h"
#include "ks.h"
#include "provider.h"
#include "session.h"

#define DRAIN_NS 20000000     /* 20 ms: the longest a record waits below the watermark */

/* ---- the id -> event table ---- */

static uint32_t hash_id(uint64_t id)
{
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdULL;
	id ^= id >> 33;
	return (uint32_t)id;
}

static void hash_put(struct ks_state *ks, int idx)
{
	uint32_t m = ks->hash_cap - 1, h = hash_id(ks->evs[idx].id) & m;

	while (ks->hash[h] >= 0)
		h = (h + 1) & m;
	ks->hash[h] = idx;
}

static void hash_rebuild(struct ks_state *ks)
{
	uint32_t cap = 64;

	while (cap < (uint32_t)ks->nevs * 2)
		cap *= 2;
	free(ks->hash);
	ks->hash = malloc(sizeof *ks->hash * cap);
	if (!ks->hash)
		abort();
	ks->hash_cap = cap;
	for (uint32_t i = 0; i < cap; i++)
		ks->hash[i] = -1;
	for (int i = 0; i < ks->nevs; i++)
		hash_put(ks, i);
}

static struct ks_event *lookup(struct ks_state *ks, uint64_t id)
{
	uint32_t m = ks->hash_cap - 1, h;

	if (!ks->hash_cap)
		return NULL;
	for (h = hash_id(id) & m; ks->hash[h] >= 0; h = (h + 1) & m)
		if (ks->evs[ks->hash[h]].id == id)
			return &ks->evs[ks->hash[h]];
	return NULL;
}

static struct ks_event *new_event(struct ks_state *ks)
{
	if (ks->nevs == ks->evs_cap) {
		int cap = ks->evs_cap ? ks->evs_cap * 2 : 64;
		struct ks_event *v = realloc(ks->evs, sizeof *v * (size_t)cap);
		if (!v)
			abort();
		ks->evs = v;
		ks->evs_cap = cap;
	}
	struct ks_event *e = &ks->evs[ks->nevs];
	memset(e, 0, sizeof *e);
	return e;
}

/* ---- opening ---- */

static int attach_ring(struct ks_state *ks, int fd, int cpu, bool ordered)
{
	struct perf_ring *r = ordered ? &ks->rings[cpu] : &ks->urings[cpu];

	if (r->fd >= 0)
		return perf_set_output(fd, r->fd);
	if (perf_ring_map(r, fd, cpu, ks->ring_pages) < 0)
		return -1;
	r->fd = fd;
	return 0;
}

/* Which builtins the script calls, looked up once per session (ks_open_base asks per event) */
static void scan_builtins(struct session *s, struct ks_state *ks)
{
	struct elab_state *es = s->elab;

	if (ks->want_comm)
		return;
	ks->want_comm = ks->reads_user = -1;
	for (int i = 0; es && i < es->builtins.n; i++) {
		const char *name = ((const struct builtin *)es->builtins.v[i])->name;
		if (!strcmp(name, "execname"))
			ks->want_comm = 1;
		if (!strncmp(name, "user_", 5) || !strncmp(name, "_struct_", 8) ||
		    !strcmp(name, "__get_argv"))
			ks->reads_user = 1;
	}
}

/* Does the script call execname()? Then the rings also carry the tasks' exec/fork records,
   and a context looks the name up. */
static bool want_comm(struct session *s, struct ks_state *ks)
{
	scan_builtins(s, ks);
	return ks->want_comm > 0;
}

int ks_open(struct session *s, struct perf_event_attr *attr, int pid, struct dprobe *p,
            ks_hit_fn hit, void *data)
{
	uint64_t base = PERF_BASE_SAMPLE;

	/* nothing but the context and target variables (a register read, a user string) needs
	   the task of a sample: each u64 less is paid less by the traced task */
	if (p && !hit && !(ks_probe_uses(s, p) & (KS_USES_TASK | KS_USES_FIELDS)))
		base &= ~(uint64_t)PERF_SAMPLE_TID;
	return ks_open_base(s, attr, pid, p, hit, data, base);
}

int ks_open_base(struct session *s, struct perf_event_attr *attr, int pid, struct dprobe *p,
                 ks_hit_fn hit, void *data, uint64_t base)
{
	struct ks_state *ks = ks_get(s);
	int first = ks->nevs, n = 0;
	struct perf_event_attr a = *attr;

	/* execname() reads the names of the tasks' exec records, merged in time with samples */
	if (want_comm(s, ks))
		base |= PERF_SAMPLE_TIME;
	a.sample_type |= base | PERF_SAMPLE_IDENTIFIER;
	bool ordered = a.sample_type & PERF_SAMPLE_TIME;
	if (!ordered && p && s->opt.verbose >= 2)
		fprintf(stderr, "%s: sampled without time stamps (the order of its handler's runs "
		        "does not show)\n", p->pp);
	a.sample_id_all = 1;
	/* CLOCK_MONOTONIC sample times: the time builtins give the event's time (ctx.time_ns), and
	   every event writing into a shared ring must use the same clock */
	a.use_clockid = 1;
	a.clockid = CLOCK_MONOTONIC;
	a.disabled = 1;
	a.inherit = pid > 0;
	/* wake ustap when a quarter of a ring is full, not per record (a wakeup per event costs
	   the traced task a cross-CPU wakeup, often a preemption); the drain timer bounds the
	   latency of the rest (ks_start) */
	if (!a.wakeup_events && !a.watermark) {
		if (ks_reads_user(s)) {
			a.wakeup_events = 1;   /* strings must be read while the task still has them */
		} else {
			a.watermark = 1;
			a.wakeup_watermark = ks->ring_pages * (uint32_t)sysconf(_SC_PAGESIZE) / 4;
		}
	}
	for (int cpu = 0; cpu < ks->ncpu; cpu++) {
		if (!ks->online[cpu])
			continue;
		/* the event that will own this CPU's ring also reports exec/fork of every task,
		   so that execname() knows tasks that are gone by the time their records are read */
		a.comm = a.comm_exec = a.task = ordered && ks->rings[cpu].fd < 0 && pid <= 0 &&
		                                want_comm(s, ks);
		int fd = perf_open(&a, pid > 0 ? pid : -1, cpu, -1, 0);
		if (fd < 0 || attach_ring(ks, fd, cpu, ordered) < 0) {
			int err = errno;
			if (fd >= 0)
				close(fd);
			for (int i = first; i < ks->nevs; i++)
				close(ks->evs[i].fd);     /* never a ring owner: rings map the first */
			ks->nevs = first;
			errno = err;
			return -1;
		}
		struct ks_event *e = new_event(ks);
		e->fd = fd;
		e->cpu = cpu;
		e->id = perf_event_id(fd);
		e->probe = p;
		e->sample_type = a.sample_type;
		e->regs_mask = a.sample_regs_user | a.sample_regs_intr;
		e->hit = hit;
		e->data = data;
		ks->nevs++;
		n++;
	}
	hash_rebuild(ks);
	return n;
}

/* A counting event (no samples) per online CPU, on pid's tasks (inherited) or system-wide;
   the new events are ks->evs[first..] with fd and cpu set. -1 with errno, none left open. */
static int open_counting(struct ks_state *ks, const struct perf_event_attr *attr, int pid, int *first)
{
	struct perf_event_attr a = *attr;
	int n = 0;

	*first = ks->nevs;
	a.sample_period = 0;
	a.sample_type = 0;
	a.freq = 0;
	a.disabled = 1;
	a.inherit = pid > 0;
	for (int cpu = 0; cpu < ks->ncpu; cpu++) {
		if (!ks->online[cpu])
			continue;
		int fd = perf_open(&a, pid > 0 ? pid : -1, cpu, -1, 0);
		if (fd < 0) {
			int err = errno;
			for (int i = *first; i < ks->nevs; i++)
				close(ks->evs[i].fd);
			ks->nevs = *first;
			errno = err;
			return -1;
		}
		struct ks_event *e = new_event(ks);
		e->fd = fd;
		e->cpu = cpu;
		ks->nevs++;
		n++;
	}
	return n;
}

int ks_open_tally(struct session *s, struct perf_event_attr *attr, int pid, struct dprobe *p)
{
	struct ks_state *ks = ks_get(s);
	int first, n = open_counting(ks, attr, pid, &first);

	for (int i = first; n > 0 && i < ks->nevs; i++) {
		ks->evs[i].probe = p;
		ks->evs[i].tally = true;
	}
	return n;
}

int ks_open_counter(struct session *s, struct perf_event_attr *attr, int pid, const char *name)
{
	struct ks_state *ks = ks_get(s);
	int first;

	if (open_counting(ks, attr, pid, &first) < 0)
		return -1;
	for (int i = first; i < ks->nevs; i++) {
		ks->evs[i].counting = true;
		ks->evs[i].counter = name;
	}
	return 0;
}

int ks_counter_read(struct session *s, const char *name, int64_t *val)
{
	struct ks_state *ks = s->ks;
	bool found = false;

	*val = 0;
	for (int i = 0; ks && i < ks->nevs; i++) {
		uint64_t v;
		if (!ks->evs[i].counting || strcmp(ks->evs[i].counter, name))
			continue;
		found = true;
		if (perf_read_count(ks->evs[i].fd, &v) == 0)
			*val += (int64_t)v;
	}
	return found ? 0 : -1;
}

/* ---- running ---- */

static void on_ready(struct session *s, int fd, uint32_t events, void *arg)
{
	ks_drain(s);
}

static void on_tick(struct session *s, int fd, uint32_t events, void *arg)
{
	uint64_t n;

	if (read(fd, &n, sizeof n) > 0)
		ks_drain(s);
}

/* A periodic drain: records below the wakeup watermark still reach their handlers soon. */
static int start_tick(struct session *s, struct ks_state *ks)
{
	struct itimerspec it = { { 0, DRAIN_NS }, { 0, DRAIN_NS } };

	if (ks->tick_fd > 0)
		return 0;
	ks->tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ks->tick_fd < 0 || timerfd_settime(ks->tick_fd, 0, &it, NULL) < 0)
		return -1;
	return sess_watch(s, ks->tick_fd, EPOLLIN, on_tick, NULL);
}

int ks_start(struct session *s)
{
	struct ks_state *ks = s->ks;

	if (!ks)
		return 0;
	for (int i = 0; i < 2 * ks->ncpu; i++) {
		struct perf_ring *r = i < ks->ncpu ? &ks->rings[i] : &ks->urings[i - ks->ncpu];
		if (r->meta && !r->watched) {
			if (sess_watch(s, r->fd, EPOLLIN, on_ready, NULL) < 0)
				return -1;
			r->watched = true;
		}
	}
	if (ks->nevs && start_tick(s, ks) < 0)
		return -1;
	for (int i = 0; i < ks->nevs; i++)
		if (!ks->evs[i].enabled) {
			if (ioctl(ks->evs[i].fd, PERF_EVENT_IOC_ENABLE, 0) < 0)
				return -1;
			ks->evs[i].enabled = true;
		}
	ks->started = true;
	return 0;
}

/* ---- task names ---- */

static struct ks_comm *comm_slot(struct ks_state *ks, int tid)
{
	if (!ks->comms) {
		ks->comms = calloc(KS_COMMS, sizeof *ks->comms);
		if (!ks->comms)
			return NULL;
	}
	return &ks->comms[(unsigned)tid % KS_COMMS];
}

static void comm_set(struct ks_state *ks, int tid, const char *comm, size_t n)
{
	struct ks_comm *c = comm_slot(ks, tid);

	if (!c)
		return;
	c->tid = tid;
	n = n < sizeof c->comm - 1 ? n : sizeof c->comm - 1;
	memcpy(c->comm, comm, n);
	c->comm[n] = 0;
}

/* PERF_RECORD_COMM: u32 pid, tid; char comm[]. PERF_RECORD_FORK: u32 pid, ppid, tid, ptid. */
static void task_record(struct ks_state *ks, const struct perf_event_header *h)
{
	const uint32_t *u = (const void *)(h + 1);

	if (h->type == PERF_RECORD_COMM && h->size > sizeof *h + 8) {
		const char *name = (const char *)(u + 2);
		comm_set(ks, (int)u[1], name, strnlen(name, h->size - sizeof *h - 8));
	} else if (h->type == PERF_RECORD_FORK && h->size >= sizeof *h + 16) {
		struct ks_comm *p = comm_slot(ks, (int)u[3]);
		if (p && p->tid == (int)u[3] && u[2] != u[3]) {
			char name[16];
			memcpy(name, p->comm, sizeof name);
			comm_set(ks, (int)u[2], name, strnlen(name, sizeof name));
		}
	}
}

/* The name of tid: from the records, else from /proc now (then kept). NULL if unknown. */
static const char *comm_of(struct ks_state *ks, int tid)
{
	struct ks_comm *c = comm_slot(ks, tid);
	char path[64], buf[32];

	if (!c || tid <= 0)
		return NULL;
	if (c->tid == tid)
		return c->comm;
	snprintf(path, sizeof path, "/proc/%d/comm", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = 0;
	comm_set(ks, tid, buf, strcspn(buf, "\n"));
	return c->comm;
}

static void dispatch(struct session *s, struct ks_state *ks, const struct perf_event_header *h, int cpu)
{
	struct ks_event *ev;
	struct ks_hit hit;

	if (h->type != PERF_RECORD_SAMPLE) {
		task_record(ks, h);
		return;
	}
	ev = lookup(ks, perf_record_id(h));
	if (!ev || (!ev->probe && !ev->hit))
		return;
	if (perf_parse_sample(h, ev->sample_type, ev->regs_mask, &hit.smp) < 0)
		return;
	hit.smp.cpu = (uint32_t)cpu;   /* one ring per CPU: no PERF_SAMPLE_CPU needed */
	hit.ev = ev;
	hit.ctx = NULL;
	if (ev->hit) {
		ev->hit(s, &hit);
	} else {
		struct ctx c;
		ks_ctx_init(s, &c, &hit);
		sess_run_probe(s, ev->probe, &c);
	}
}

/* Counted events since the last drain: their handlers, once per event (ks_open_tally). */
static void drain_tallies(struct session *s, struct ks_state *ks)
{
	for (int i = 0; i < ks->nevs; i++) {
		struct ks_event *e = &ks->evs[i];
		uint64_t v;
		if (!e->tally || perf_read_count(e->fd, &v) < 0 || v <= e->tallied)
			continue;
		uint64_t n = v - e->tallied;
		struct ctx c;
		e->tallied = v;
		ctx_init_plain(&c, s, e->probe);   /* once: the handler reads none of it */
		for (uint64_t k = 0; k < n && !s->exit_called; k++) {
			c.err[0] = 0;
			sess_run_probe(s, e->probe, &c);
		}
	}
}

void ks_drain(struct session *s)
{
	struct ks_state *ks = s->ks;
	int live = 0;

	if (!ks)
		return;
	drain_tallies(s, ks);
	for (int cpu = 0; cpu < ks->ncpu; cpu++)
		live += perf_ring_poll(&ks->rings[cpu]);
	while (live) {
		/* oldest record first across the CPUs, so that a thread's events stay in order */
		const struct perf_event_header *best = NULL;
		struct perf_ring *br = NULL;
		uint64_t bt = UINT64_MAX;

		live = 0;
		for (int cpu = 0; cpu < ks->ncpu; cpu++) {
			struct perf_ring *r = &ks->rings[cpu];
			const struct perf_event_header *h = r->meta ? perf_ring_peek(r) : NULL;
			if (!h)
				continue;
			live++;
			const struct ks_event *ev = h->type == PERF_RECORD_SAMPLE ?
				lookup(ks, perf_record_id(h)) : NULL;
			uint64_t t = perf_record_time(h, ev ? ev->sample_type : 0);
			if (!best || t < bt) {
				best = h;
				br = r;
				bt = t;
			}
		}
		if (!best)
			break;
		best = perf_ring_next(br);
		/* after exit() no handler runs (records are in time order: these came after it);
		   a signal, -T or the target's end still let the records already there run */
		if (!s->exit_called)
			dispatch(s, ks, best, br->cpu);
	}
	for (int cpu = 0; cpu < ks->ncpu; cpu++)
		perf_ring_release(&ks->rings[cpu]);
	/* records whose order does not matter, ring after ring */
	for (int cpu = 0; cpu < ks->ncpu; cpu++) {
		struct perf_ring *r = &ks->urings[cpu];
		const struct perf_event_header *h;
		if (!perf_ring_poll(r))
			continue;
		while ((h = perf_ring_next(r)))
			if (!s->exit_called)
				dispatch(s, ks, h, cpu);
		perf_ring_release(r);
	}
}

void ks_stop(struct session *s)
{
	struct ks_state *ks = s->ks;

	if (!ks)
		return;
	for (int i = 0; i < ks->nevs; i++)
		if (ks->evs[i].enabled)
			ioctl(ks->evs[i].fd, PERF_EVENT_IOC_DISABLE, 0);
	if (ks->started)
		ks_drain(s);
	for (int i = 0; i < 2 * ks->ncpu; i++) {
		struct perf_ring *r = i < ks->ncpu ? &ks->rings[i] : &ks->urings[i - ks->ncpu];
		if (r->watched)
			sess_unwatch(s, r->fd);
		r->watched = false;
		ks->lost += r->lost;
		perf_ring_unmap(r);
	}
	if (ks->tick_fd > 0) {
		sess_unwatch(s, ks->tick_fd);
		close(ks->tick_fd);
		ks->tick_fd = 0;
	}
	/* ring owners are among the events: close every fd once */
	for (int i = 0; i < ks->nevs; i++)
		close(ks->evs[i].fd);
	for (int cpu = 0; cpu < ks->ncpu; cpu++)
		ks->rings[cpu].fd = ks->urings[cpu].fd = -1;
	ks->nevs = 0;
	free(ks->evs);
	ks->evs = NULL;
	ks->evs_cap = 0;
	free(ks->hash);
	ks->hash = NULL;
	ks->hash_cap = 0;
	free(ks->comms);
	ks->comms = NULL;
	ks->started = false;
	s->skipped += ks->lost;
	ks->lost = 0;
}

/* ---- prompt or batched ---- */

/* Does the script read user memory (user_string, argstr's quoting ...)? Then each record must
   reach its handler soon, before the task changes or frees that memory. */
bool ks_reads_user(struct session *s)
{
	struct ks_state *ks = ks_get(s);

	scan_builtins(s, ks);
	return ks->reads_user > 0;
}

/* A copy of the user stack with each record when a handler reads user memory: a syscall's
   structs and buffers on the caller's stack are read as they were at the event, not as the
   task has them by the time the record is drained (tracer/ks.c ks_read). */
#define KS_USTACK_BYTES 4096

uint64_t ks_ustack_copy(struct session *s, const struct dprobe *p, struct perf_event_attr *a)
{
	struct ks_state *ks = ks_get(s);

	unsigned uses = p ? ks_probe_uses(s, p) : 0;
	if (!p || a->sample_regs_intr ||
	    !((ks_reads_user(s) && (uses & KS_USES_TASK)) || (uses & KS_USES_REGS)))
		return 0;
	/* records 4 KiB larger: rings up to 4 times larger (when no ring is mapped yet, privileged,
	   and all rings stay within 128 MiB), so that a handler's pause (symbols loaded) still
	   loses none */
	if (!ks->ustack_rings && ks_privileged()) {
		bool mapped = false;
		uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
		for (int cpu = 0; cpu < ks->ncpu; cpu++)
			mapped |= ks->rings[cpu].fd >= 0 || ks->urings[cpu].fd >= 0;
		for (int k = 0; !mapped && k < 2 &&
		                (uint64_t)ks->ring_pages * 2 * page * (uint64_t)ks->ncpu <= 128u << 20; k++)
			ks->ring_pages *= 2;
	}
	ks->ustack_rings = true;
	int bytes, shift;
	if (arch_reg_byname("sp", &ks->sp_dwregno, &bytes, &shift) < 0)
		ks->sp_dwregno = -1;
	a->sample_regs_user = arch_perf_regs_mask();
	a->sample_stack_user = KS_USTACK_BYTES;
	return PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
}

/* ---- stacks ---- */

static const char *const kstack_fns[] = {
	"backtrace", "print_backtrace", "callers", "print_stack", "sprint_backtrace",
	"print_backtrace_fileline", "sprint_stack", "stack", NULL,
};
static const char *const ustack_fns[] = {
	"ubacktrace", "print_ubacktrace", "ucallers", "print_ustack", "sprint_ubacktrace",
	"print_ubacktrace_fileline", "sprint_ustack", "ustack", "print_ubacktrace_brief", NULL,
};

static bool in_list(const char *name, const char *const *v)
{
	for (; *v; v++)
		if (!strcmp(name, *v))
			return true;
	return false;
}

uint64_t ks_stack_sample(struct session *s, struct perf_event_attr *a)
{
	struct elab_state *es = s->elab;
	bool k = false, u = false;

	for (int i = 0; es && i < es->builtins.n; i++) {
		const struct builtin *b = es->builtins.v[i];
		k |= in_list(b->name, kstack_fns);
		u |= in_list(b->name, ustack_fns);
	}
	for (int i = 0; es && i < es->functions.n; i++) {
		const struct funcdecl *f = es->functions.v[i];
		k |= in_list(f->name, kstack_fns);
		u |= in_list(f->name, ustack_fns);
	}
	if (!k && !u)
		return 0;
	a->exclude_callchain_user = !u;
	a->exclude_callchain_kernel = !k;
	return PERF_SAMPLE_CALLCHAIN;
}

/* ---- the context of a sample ---- */

static int ks_reg(struct ctx *c, int dwregno, uint64_t *val);

/* The part of [addr, addr+len) that the record's user stack copy holds (from its start):
   bytes copied into buf, 0 if addr is not in it. */
static size_t from_stack_copy(struct ctx *c, uint64_t addr, void *buf, size_t len)
{
	const struct ks_hit *h = c->priv;
	uint64_t sp;

	if (!h || !h->smp.stack || !h->smp.stack_size ||
	    ks_reg(c, c->sess->ks->sp_dwregno, &sp) < 0 || addr < sp || addr - sp >= h->smp.stack_size)
		return 0;
	size_t n = h->smp.stack_size - (addr - sp);
	if (n > len)
		n = len;
	memcpy(buf, h->smp.stack + (addr - sp), n);
	return n;
}

static int ks_read(struct ctx *c, uint64_t addr, void *buf, size_t len)
{
	size_t got = from_stack_copy(c, addr, buf, len);

	if (got == len)
		return 0;
	buf = (char *)buf + got;
	addr += got;
	len -= got;

	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };

	if (c->pid <= 0) {
		errno = EFAULT;
		return -1;
	}
	if (process_vm_readv(c->pid, &l, 1, &r, 1, 0) == (ssize_t)len)
		return 0;
	if (errno == 0)
		errno = EFAULT;
	return -1;
}

/* The sampled ip, else (a tracepoint samples no ip) the task's user pc from its registers:
   uaddr() in a syscall probe is where the program made the call, as stap's */
static uint64_t ks_pc(struct ctx *c)
{
	const struct ks_hit *h = c->priv;
	int r = arch_perf_pc_regno();

	if (h->smp.ip || !h->smp.regs || !(h->smp.regs_mask >> r & 1))
		return h->smp.ip;
	return h->smp.regs[__builtin_popcountll(h->smp.regs_mask & ((1ULL << r) - 1))];
}

/* The callchain part between the context marker `want` and the next marker. */
static int chain_part(struct ctx *c, uint64_t want, uint64_t *pcs, int max)
{
	const struct ks_hit *h = c->priv;
	bool in = false;
	int n = 0;

	if (!h->smp.ips)
		return -1;
	for (uint64_t i = 0; i < h->smp.nr_ips && n < max; i++) {
		uint64_t ip = h->smp.ips[i];
		if (ip >= PERF_CONTEXT_MAX) {
			in = ip == want;
			continue;
		}
		if (in)
			pcs[n++] = ip;
	}
	return n;
}

static int ks_kstack(struct ctx *c, uint64_t *pcs, int max)
{
	return chain_part(c, PERF_CONTEXT_KERNEL, pcs, max);
}

static int ks_ustack(struct ctx *c, uint64_t *pcs, int max)
{
	return chain_part(c, PERF_CONTEXT_USER, pcs, max);
}

/* Registers of a sample with REGS_INTR (kprobes) or REGS_USER, by DWARF number. */
static int ks_reg(struct ctx *c, int dwregno, uint64_t *val)
{
	const struct ks_hit *h = c->priv;
	int r = arch_perf_regno(dwregno);

	if (r < 0 || !h->smp.regs || !(h->smp.regs_mask >> r & 1)) {
		errno = ENOENT;
		return -1;
	}
	*val = h->smp.regs[__builtin_popcountll(h->smp.regs_mask & ((1ULL << r) - 1))];
	return 0;
}

static const struct ctx_ops ks_ops = {
	.read = ks_read,
	.reg = ks_reg,
	.pc = ks_pc,
	.kstack = ks_kstack,
	.ustack = ks_ustack,
};

void ks_ctx_init(struct session *s, struct ctx *c, struct ks_hit *h)
{
	memset(c, 0, offsetof(struct ctx, err));
	c->err[0] = 0;
	c->sess = s;
	c->probe = h->ev->probe;
	c->pid = (int)h->smp.pid;
	c->tid = (int)h->smp.tid;
	c->cpu = (int)h->smp.cpu;
	c->user_mode = (h->smp.misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_USER;
	c->is_return = c->probe ? c->probe->is_return : false;
	c->ops = &ks_ops;
	c->priv = h;
	c->comm = want_comm(s, s->ks) ? comm_of(s->ks, c->tid) : NULL;
	c->time_ns = h->ev->sample_type & PERF_SAMPLE_TIME ? h->smp.time : 0;
	h->ctx = c;
}

/* ---- privilege ---- */

static int paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = 2;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 2;
		fclose(f);
	}
	return v;
}

/* CAP_PERFMON (38) or CAP_SYS_ADMIN (21) in the effective set */
static bool has_cap(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> 38 & 1) || (eff >> 21 & 1);
}

bool ks_privileged(void)
{
	return geteuid() == 0 || has_cap() || paranoid() < 0;
}

const char *ks_open_error(struct session *s, const char *pp, int err)
{
	if (err == EACCES || err == EPERM)
		return arena_printf(&s->arena, "probe %s needs root or CAP_PERFMON "
		                    "(kernel.perf_event_paranoid is %d): %s", pp, paranoid(), strerror(err));
	if (err == EMFILE)
		return arena_printf(&s->arena, "probe %s: too many open files (raise ulimit -n): %s",
		                    pp, strerror(err));
	return arena_printf(&s->arena, "probe %s: perf_event_open: %s", pp, strerror(err));
}

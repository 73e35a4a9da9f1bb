/*
** Shadow return stacks of return probes: at a probed entry the return address is swapped for
** the trampoline and a frame pushed; at the trampoline the frame whose stack pointer matches is
** popped (a tail call from a hijacked function chains a second frame onto the same return
** address), and a per-process record of every hijack finds a return address no frame holds.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "session.h"

#define REC_MASK (PT_RET_REC - 1)

static struct ret_rec *rec_slot(struct pt_proc *p, uint64_t sp)
{
	return &p->rec[((sp >> 3) * 0x9e3779b97f4a7c15ull >> 40) & REC_MASK];
}

/* Remember the real return address of a frame returning at sp (no allocation after the first). */
static void rec_put(struct pt_proc *p, uint64_t sp, uint64_t ret, uint64_t slot)
{
	if (!p->rec && !(p->rec = calloc(PT_RET_REC, sizeof(*p->rec))))
		return;
	struct ret_rec *r = rec_slot(p, sp);
	r->sp = 0;                /* the crash rescue never sees a half-written entry */
	r->ret = ret;
	r->slot = slot;
	r->sp = sp;
}

static uint64_t rec_get(struct pt_proc *p, uint64_t sp)
{
	struct ret_rec *r = p->rec ? rec_slot(p, sp) : NULL;
	return r && r->sp == sp ? r->ret : 0;
}

static void rec_del(struct pt_proc *p, uint64_t sp)
{
	struct ret_rec *r = p->rec ? rec_slot(p, sp) : NULL;
	if (r && r->sp == sp)
		r->sp = r->ret = r->slot = 0;
}

static void *store_of(struct session *s, struct pt_thread *t, int i)
{
	return t->entry_store ? t->entry_store + (size_t)i * s->pt->entry_stride : NULL;
}

/* The mapping [lo, hi] holding stack address sp, from /proc/PID/maps (rarely: two cached). */
static const uint64_t *stack_of(struct pt_thread *t, uint64_t sp)
{
	for (int i = 0; i < 2; i++)
		if (t->stk[i][1] && sp >= t->stk[i][0] && sp <= t->stk[i][1])
			return t->stk[i];
	char path[64], line[512];
	unsigned long long lo, hi;
	snprintf(path, sizeof(path), "/proc/%d/maps", t->proc->pid);
	FILE *f = fopen(path, "r");
	memcpy(t->stk[1], t->stk[0], sizeof(t->stk[0]));
	t->stk[0][0] = t->stk[0][1] = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && sp >= lo && sp <= hi) {
			t->stk[0][0] = lo;
			t->stk[0][1] = hi;
			break;
		}
	if (f)
		fclose(f);
	return t->stk[0];
}

/* May frame f, below a stack pointer sp, still be alive? Yes on another stack mapping (the
   code a handler on a signal stack interrupted, another thread's coroutine stack), or while
   its slot still holds the trampoline (a suspended coroutine in the same mapping; a frame left
   by longjmp that nothing overwrote yet stays harmlessly until something does). */
static bool maybe_alive(struct pt_thread *t, const struct shadow_frame *f, uint64_t sp)
{
	const uint64_t *st = stack_of(t, sp);
	uint64_t v = 0;
	if (st[1] && (f->ret_sp < st[0] || f->ret_sp > st[1]))
		return true;
	if (f->slot)   /* a slot is 4 bytes in an i386 process */
		return pt_read(t->proc, f->slot, &v, arch_ptr_bytes(t->proc->mode)) == 0 &&
		       v == t->proc->tramp;
	/* hijacked in a register (aarch64's x30): alive while the copy its prologue saved in the
	   frame, just below ret_sp, still is the trampoline */
	uint64_t buf[64];
	if (f->ret_sp < sizeof(buf) || pt_read(t->proc, f->ret_sp - sizeof(buf), buf, sizeof(buf)) < 0)
		return false;
	for (size_t k = 0; k < 64; k++)
		if (buf[k] == t->proc->tramp)
			return true;
	return false;
}

/* Frames on top that the new one at ret_sp replaces: deeper ones were left without returning
   (longjmp, exceptions) unless maybe_alive, one at the same place is dead too unless the new
   call chains to it. */
static void prune(struct pt_thread *t, uint64_t ret_sp, bool chained)
{
	while (t->nshadow) {
		const struct shadow_frame *top = &t->shadow[t->nshadow - 1];
		if (top->ret_sp > ret_sp || (top->ret_sp == ret_sp && chained))
			break;
		if (top->ret_sp < ret_sp && maybe_alive(t, top, ret_sp))
			break;
		t->nshadow--;
	}
}

static int push(struct pt_thread *t, const struct shadow_frame *f)
{
	if (t->nshadow == t->shadow_cap) {
		int cap = t->shadow_cap ? t->shadow_cap * 2 : 64;
		struct shadow_frame *n = realloc(t->shadow, cap * sizeof(*n));
		if (!n)
			return -1;
		t->shadow = n;
		t->shadow_cap = cap;
	}
	t->shadow[t->nshadow] = *f;
	t->nshadow++;   /* after the frame is complete: the crash rescue may read it any time */
	return 0;
}

/* The entry snippets of b's return users, into the new top frame's store (grown with the
   shadow stack: allocation only when the stack gets deeper than ever before). */
static void entry_run(struct session *s, struct pt_thread *t, struct bp *b)
{
	size_t stride = s->pt->entry_stride;
	if (!stride || !s->pt->ops->entry)
		return;
	if (t->entry_frames < t->shadow_cap) {
		char *n = realloc(t->entry_store, (size_t)t->shadow_cap * stride);
		if (!n)
			return;
		t->entry_store = n;
		t->entry_frames = t->shadow_cap;
		t->entry_size = (size_t)t->shadow_cap * stride;
	}
	s->pt->ops->entry(s, t, b, store_of(s, t, t->nshadow - 1));
}

static void warn(struct session *s, struct pt_thread *t, const char *what, uint64_t sp)
{
	if (t->proc->ret_warned && !s->opt.verbose)
		return;
	t->proc->ret_warned = true;
	fprintf(stderr, "WARNING: pid %d tid %d: %s (return-probe trampoline, stack 0x%llx)\n",
	        t->proc->pid, t->tid, what, (unsigned long long)sp);
}

/* Memory for a dry run of arch_hijack_ret: reads go to the process, the one write (the
   trampoline into the stack slot) is kept to be made once the frame is pushed, so that the
   crash rescue never meets a hijacked slot without its frame. */
struct cap_mem {
	struct pt_proc *p;
	uint64_t addr, val;
	size_t len;
};

static int cap_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	return pt_read(((struct cap_mem *)arg)->p, addr, buf, len);
}

static int cap_write(void *arg, uint64_t addr, const void *buf, size_t len)
{
	struct cap_mem *c = arg;
	if (len > sizeof(c->val))
		return -1;
	c->addr = addr;
	c->len = len;
	memcpy(&c->val, buf, len);
	return 0;
}

void shadow_enter(struct session *s, struct pt_thread *t, struct bp *b)
{
	struct pt_proc *p = t->proc;
	struct shadow_frame f = { .bp = b, .func = b->addr, .entry_regs = t->regs };
	struct cap_mem cm = { .p = p };
	struct arch_mem m = { cap_read, cap_write, &cm };
	uint64_t junk;
	/* the program's entry point is jumped to with argc where a return address would be: a
	   process caught before it runs (-c, or found at its start) must keep its argc */
	if (b->addr == p->entry)
		return;
	if (arch_hijack_ret(&t->regs, &m, p->tramp, &f.orig_ret, &f.ret_sp, &f.slot) < 0)
		return;
	if (f.orig_ret < 0x10000) {   /* no code there: not a return address (another entry) */
		arch_hijack_ret(&t->regs, &m, f.orig_ret, &junk, &f.ret_sp, &f.slot);
		return;
	}
	if (f.orig_ret == p->tramp) {
		/* a tail call from a hijacked function: this one returns where that one would,
		   through the same trampoline, and both return probes fire then */
		f.chained = true;
		prune(t, f.ret_sp, true);
		if (t->nshadow && t->shadow[t->nshadow - 1].ret_sp == f.ret_sp)
			f.orig_ret = t->shadow[t->nshadow - 1].orig_ret;
		else
			f.orig_ret = rec_get(p, f.ret_sp);
		if (!f.orig_ret) {
			warn(s, t, "a tail call found no frame for its hijacked return address", f.ret_sp);
			return;
		}
	} else {
		prune(t, f.ret_sp, false);
	}
	rec_put(p, f.ret_sp, f.orig_ret, f.slot);
	if (push(t, &f) < 0 || (cm.len && pt_write(p, cm.addr, &cm.val, cm.len) < 0)) {
		if (t->nshadow && t->shadow[t->nshadow - 1].ret_sp == f.ret_sp && !f.chained)
			t->nshadow--;
		arch_hijack_ret(&t->regs, &m, f.orig_ret, &junk, &f.ret_sp, &f.slot);
		return;
	}
	entry_run(s, t, b);
}

/* The topmost frame returning at sp, -1 if none. */
static int find(const struct pt_thread *t, uint64_t sp)
{
	for (int i = t->nshadow - 1; i >= 0; i--)
		if (t->shadow[i].ret_sp == sp)
			return i;
	return -1;
}

/* Remove frames lo..hi and, above them, the ones the stack pointer has passed (left by
   longjmp from inside) unless maybe_alive; frames above sp (another stack) stay. */
static void drop(struct session *s, struct pt_thread *t, int lo, int hi, uint64_t sp)
{
	size_t stride = s->pt->entry_stride;
	int w = lo;
	for (int j = hi + 1; j < t->nshadow; j++) {
		if (t->shadow[j].ret_sp <= sp && !maybe_alive(t, &t->shadow[j], sp))
			continue;
		t->shadow[w] = t->shadow[j];
		if (t->entry_store && stride && t->entry_frames > j)
			memmove(store_of(s, t, w), store_of(s, t, j), stride);
		w++;
	}
	t->nshadow = w;
}

/* The first frame of the chain ending at i (tail calls share one return). */
static int chain_base(const struct pt_thread *t, int i)
{
	while (i > 0 && t->shadow[i].chained && t->shadow[i - 1].ret_sp == t->shadow[i].ret_sp)
		i--;
	return i;
}

bool shadow_return(struct session *s, struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	uint64_t sp = arch_sp_after_ret(&t->regs);
	int i = find(t, sp);
	if (i < 0) {
		uint64_t ret = rec_get(p, sp);
		if (!ret) {
			s->pt->lost++;
			warn(s, t, "returned with no record of its return address: the target gets "
			     "SIGTRAP", sp);
			return false;
		}
		warn(s, t, "a return had lost its shadow frame; its return address was recovered", sp);
		rec_del(p, sp);
		arch_set_pc(&t->regs, ret);
		pt_setregs(t);
		return true;
	}
	int k = chain_base(t, i);
	arch_set_pc(&t->regs, t->shadow[k].orig_ret);
	for (int j = i; j >= k; j--) {   /* the innermost (latest) call returns first */
		struct shadow_frame fr = t->shadow[j];
		t->trap_pc = fr.func;
		t->ret_frame = &fr;
		t->ret_entry = store_of(s, t, j);
		bp_run_users(s, t, fr.bp, true, fr.func);
	}
	t->ret_frame = NULL;
	t->ret_entry = NULL;
	rec_del(p, sp);
	drop(s, t, k, i, sp);
	pt_setregs(t);
	return true;
}

uint64_t shadow_ret_addr(const struct pt_thread *t, uint64_t sp)
{
	int i = find(t, sp);
	return i >= 0 ? t->shadow[chain_base(t, i)].orig_ret : rec_get(t->proc, sp);
}

uint64_t shadow_take(struct session *s, struct pt_thread *t, uint64_t sp)
{
	int i = find(t, sp);
	uint64_t ret = shadow_ret_addr(t, sp);
	if (i >= 0)
		drop(s, t, chain_base(t, i), i, sp);
	return ret;
}

void shadow_fork(struct pt_proc *p, struct pt_thread *forker, struct pt_proc *c,
                 struct pt_thread *ct)
{
	if (p->rec && (c->rec = malloc(PT_RET_REC * sizeof(*c->rec))))
		memcpy(c->rec, p->rec, PT_RET_REC * sizeof(*c->rec));
	if (!ct || !forker->nshadow)
		return;
	ct->shadow = malloc(forker->shadow_cap * sizeof(*ct->shadow));
	if (!ct->shadow)
		return;
	memcpy(ct->shadow, forker->shadow, forker->nshadow * sizeof(*ct->shadow));
	/* the frames name the parent's breakpoints, freed when it exits (a daemon's parent exits
	   inside the probed function, and the child returns through the frames): the child's own
	   copies (bp_fork made them); a stale one no longer hashed is never freed, it stays */
	for (int i = 0; i < forker->nshadow; i++) {
		struct bp *b = ct->shadow[i].bp, *cb = bp_find(c, b->addr);
		if (cb && bp_find(p, b->addr) == b)
			ct->shadow[i].bp = cb;
	}
	ct->nshadow = forker->nshadow;
	ct->shadow_cap = forker->shadow_cap;
	if (forker->entry_store && (ct->entry_store = malloc(forker->entry_size))) {
		memcpy(ct->entry_store, forker->entry_store, forker->entry_size);
		ct->entry_frames = forker->entry_frames;
		ct->entry_size = forker->entry_size;
	}
}

void shadow_unhijack_rec(struct pt_proc *p, int fd)
{
	for (int i = 0; p->rec && p->tramp && fd >= 0 && i < PT_RET_REC; i++) {
		const struct ret_rec *r = &p->rec[i];
		uint64_t v = 0;
		ssize_t w = arch_ptr_bytes(p->mode);   /* 4 in an i386 process */
		if (r->sp && r->slot && pread(fd, &v, w, r->slot) == w && v == p->tramp &&
		    pwrite(fd, &r->ret, w, r->slot) != w)
			continue;
	}
}

void shadow_forget(struct pt_proc *p)
{
	free(p->rec);
	p->rec = NULL;
}

/* Exceptions (tracer/eh.c): where libgcc's unwinder starts, bp_unhijack_frames put t's return
   addresses back; here the exception was caught (t stopped at the catch's __cxa_begin_catch).
   The frames of the functions it unwound are dropped (their .return does not fire, as with
   uretprobes); those below the catching function on the stack are alive and get the
   trampoline back. */
void shadow_eh_caught(struct pt_thread *t)
{
	struct pt_proc *p = t->proc;
	size_t w = arch_ptr_bytes(p->mode);
	uint64_t live = arch_sp_after_ret(&t->regs), v;
	while (t->nshadow && t->shadow[t->nshadow - 1].ret_sp <= live)
		t->nshadow--;
	for (int i = 0; i < t->nshadow; i++) {
		const struct shadow_frame *f = &t->shadow[i];
		v = 0;
		if (f->slot && pt_read(p, f->slot, &v, w) == 0 && v == f->orig_ret)
			pt_write(p, f->slot, &p->tramp, w);
	}
}

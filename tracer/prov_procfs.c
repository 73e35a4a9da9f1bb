/*
** procfs("__stdin").write: ustap's own standard input, one handler run per byte with $value
** holding it, which is what stap's input.char and input.line aliases (tapset/linux/input.stp)
** stand on. Other procfs files need a kernel module's /proc entries: refused with the reason.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "arena.h"
#include "context.h"
#include "provider.h"
#include "session.h"

extern const struct provider prov_procfs;

#define STDIN_NAME "__stdin"

struct pin {
	struct dprobe **probes;   /* every procfs("__stdin").write probe */
	int n;
	int fd;                   /* what the loop watches: 0, or a timerfd for a file */
	bool file;                /* stdin cannot be polled (a file, /dev/null): read it at once */
	char value[2];            /* the byte being handed out: $value */
};

static const char *functor(const struct probe_point *pt, int i)
{
	return i < pt->comps.n ? ((const struct ppcomp *)pt->comps.v[i])->functor : "";
}

static bool pfs_owns(const struct probe_point *pt)
{
	return !strcmp(functor(pt, 0), "procfs");
}

static bool is_stdin(const struct probe_point *pt)
{
	const struct ppcomp *c = pt->comps.v[0];

	return c->arg && c->arg->kind == E_STR && !strcmp(c->arg->str, STDIN_NAME) &&
	       pt->comps.n == 2 && !strcmp(functor(pt, 1), "write");
}

static int refuse(struct session *s, const struct probe_point *pt)
{
	const struct ppcomp *c = pt->comps.v[0];
	char saw[64];

	snprintf(saw, sizeof saw, "identifier '%s'", c->functor);
	diag_error(&s->diag, "semantic", prov_comp_pos(s, &c->pos), saw, "probe point %s needs a "
	           "kernel module to create its file under /proc/systemtap, which ustap does not build "
	           "(only procfs(\"" STDIN_NAME "\").write, ustap's standard input, works)", pp_text(s, pt));
	return -1;
}

static int pfs_expand(struct session *s, struct probe *src, struct probe_point *pt)
{
	if (!is_stdin(pt))
		return refuse(s, pt);
	sess_add_probe(s, &prov_procfs, src, pt, NULL);
	return 1;
}

static int pfs_list(struct session *s, struct probe_point *pt, bool vars, struct strbuf *out)
{
	if (!is_stdin(pt))
		return refuse(s, pt);
	(void)vars;               /* stap lists no $value for procfs probes */
	sb_printf(out, "%s\n", pp_text(s, pt));
	return 0;
}

static int value_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *s)
{
	const struct pin *in = c->probe->data;   /* set at arm */

	(void)tv, (void)idx, (void)l;
	memcpy(s, in->value, sizeof in->value);   /* the byte and its NUL */
	return 0;
}

static int pfs_tvar(struct session *s, struct dprobe *p, struct exp *e, struct tvar *out)
{
	if (e->kind == E_TARGET && !strcmp(e->str, "$value") && e->comps.n == 0) {
		out->type = TY_STRING;
		out->read = value_read;
		return 0;
	}
	diag_error(&s->diag, "semantic", &e->pos, NULL, "unable to find target variable '%s' "
	           "(procfs probes have $value only)", e->str ? e->str : "");
	return -1;
}

/* Hand each byte of buf to every probe, in script order. */
static void deliver(struct session *s, struct pin *in, const char *buf, ssize_t n)
{
	for (ssize_t i = 0; i < n && !s->exiting; i++) {
		in->value[0] = buf[i];
		in->value[1] = 0;
		for (int k = 0; k < in->n; k++) {
			struct ctx c;
			ctx_init_plain(&c, s, in->probes[k]);
			sess_run_probe(s, in->probes[k], &c);
		}
	}
}

static void stop(struct session *s, struct pin *in)
{
	if (in->fd < 0)
		return;
	sess_unwatch(s, in->fd);
	if (in->file)
		close(in->fd);
	in->fd = -1;
}

static void on_stdin(struct session *s, int fd, uint32_t events, void *arg)
{
	struct pin *in = arg;
	char buf[4096];
	ssize_t n;

	(void)fd, (void)events;
	if (in->file) {           /* the one-shot timer: the whole file now, after begin */
		while ((n = read(0, buf, sizeof buf)) > 0 && !s->exiting)
			deliver(s, in, buf, n);
		stop(s, in);
		return;
	}
	n = read(0, buf, sizeof buf);
	if (n > 0)
		deliver(s, in, buf, n);
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		stop(s, in);      /* end of input: the session goes on, as stap's */
}

static int pfs_arm(struct session *s)
{
	struct pin *in = NULL;

	for (int i = 0; i < s->nprobes; i++) {
		struct dprobe *p = s->probes[i];
		if (p->prov != &prov_procfs)
			continue;
		if (!in) {
			in = arena_alloc(&s->arena, sizeof *in);
			in->probes = arena_alloc(&s->arena, sizeof(*in->probes) * (size_t)s->nprobes);
			in->fd = -1;
		}
		in->probes[in->n++] = p;
		p->data = in;
	}
	if (!in)
		return 0;
	if (sess_watch(s, 0, EPOLLIN, on_stdin, in) == 0) {
		in->fd = 0;
		return 0;
	}
	/* epoll takes no regular file or /dev/null: read it from a timer that fires at once */
	struct itimerspec once = { .it_value = { 0, 1 } };
	in->file = true;
	in->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (in->fd < 0 || timerfd_settime(in->fd, 0, &once, NULL) < 0 ||
	    sess_watch(s, in->fd, EPOLLIN, on_stdin, in) < 0) {
		fprintf(stderr, "ERROR: cannot read standard input for %s: %s\n", in->probes[0]->pp,
		        strerror(errno));
		return -1;
	}
	return 0;
}

static void pfs_disarm(struct session *s)
{
	for (int i = 0; i < s->nprobes; i++)
		if (s->probes[i]->prov == &prov_procfs && s->probes[i]->data) {
			stop(s, s->probes[i]->data);   /* one state shared by them all */
			return;
		}
}

const struct provider prov_procfs = {
	.name = "procfs",
	.owns = pfs_owns,
	.expand = pfs_expand,
	.tvar = pfs_tvar,
	.list = pfs_list,
	.arm = pfs_arm,
	.disarm = pfs_disarm,
};

/*
** Probe contexts with no target process: begin, end, error and timer probes. They run in
** ustap itself, so pid()/tid() are ustap's own and memory or register reads are refused.
*/
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "provider.h"
#include "session.h"

void ctx_init_plain(struct ctx *c, struct session *s, struct dprobe *p)
{
	memset(c, 0, sizeof(*c));
	c->sess = s;
	c->probe = p;
	c->pid = s->self_pid;
	c->tid = gettid();
	c->cpu = sched_getcpu();
	if (c->cpu < 0)
		c->cpu = 0;
	c->is_return = p ? p->is_return : false;
}

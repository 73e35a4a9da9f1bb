/*
** The virtual machine: runs a proto (probe handler) against a probe context. Its stacks,
** frames and string buffers are allocated once per session; a hit allocates nothing.
*/
#ifndef USTAP_VM_H
#define USTAP_VM_H

#include <stdint.h>

#include "arena.h"
#include "builtins.h"
#include "compile.h"

struct ctx;

union val {
	int64_t l;
	const char *s;
	void *p;
};

struct frame {
	const struct proto *p;
	const uint32_t *ret_pc;      /* where the caller resumes */
	union val *base;             /* slots, then the operand stack */
	char *str;                   /* this frame's string buffers */
	char *retbuf;                /* the caller's temp for a string result */
};

struct tryrec {
	int depth;                   /* frame index */
	const uint32_t *catch_pc;
	union val *sp;
	char *strtop;
};

struct vm {
	struct script *sc;
	struct session *sess;
	int64_t slen;                /* MAXSTRINGLEN: buffer size (content at most slen-1 bytes) */
	union val *stack, *stack_end;
	char *strarea, *strarea_end;
	struct frame *frames;
	int maxdepth;                /* MAXNESTING + 1 frames (the handler is frame 0) */
	struct tryrec *tries;
	int ntries, maxtries;
	union val *gv;               /* global values: long, string buffer, map, stat */
	struct ctx *ctx;
	/* the error being raised */
	char err[512];
	char caught[512];            /* the message a catch block sees */
	const struct srcpos *errpos;
	int64_t budget;              /* MAXACTION_INTERRUPTIBLE per handler, 0: no limit */
	int64_t remaining;
	struct strbuf prbuf;         /* formatting scratch (grows once, reused) */
	struct bi_call bc;
	char *bi_ret;                /* a builtin's string result when the caller drops it */
	int depth;                   /* current frame */
	bool next;                   /* the function just returned through 'next' */
	bool running;                /* a handler is executing (lang_run refuses reentry) */
};

/* Allocate stacks and globals for sc (after comp_script). 0 or -1. */
int vm_init(struct script *sc, struct session *s);
/* -G NAME=VALUE: initial values of scalar globals (after vm_init). 0, or -1 after a message. */
int vm_set_globals(struct script *sc, struct session *s);
void vm_free(struct vm *vm);
/* Run a handler. 0, or -1 with vm->err / vm->errpos set (an uncaught soft error). */
int vm_run(struct vm *vm, const struct proto *p, struct ctx *c);
/* "ERROR: msg near TOKEN at file:line:col" as stap prints a soft error (without "ERROR: "). */
void vm_error_text(struct strbuf *out, const struct vm *vm);
/* The token at a source position described as stap does: "operator '/' at <input>:1:30". */
void vm_token_desc(struct strbuf *out, const struct srcpos *pos);

#endif

/*
** The target process: -c CMD (spawned, held before its execve until the begin probes have run,
** the session ends when it exits) and -x PID (checked, target() only). Contract with the
** ptrace engine: see the comment at the top of tracer/target.c.
*/
#ifndef USTAP_TARGET_H
#define USTAP_TARGET_H

struct session;

/* -c: fork the command, held before exec; sets s->target and s->target_spawned.
   -x: check the pid; sets s->target. 0, or 1 after a message in stap's style. */
int tgt_start(struct session *s);
/* A reaper (the ptrace engine, the session) met pid's end: the -c command's wait status is
   kept, and its failure reported as stapio does (WARNING, exit 1). */
void tgt_note_exit(struct session *s, int pid, int status);
/* The begin probes have run: let the -c command execve. */
void tgt_release(struct session *s);
/* At the very end: a -c command never released is dropped; one still running gets SIGTERM
   (ustap does not leave it behind). */
void tgt_finish(struct session *s);

#endif

/*
** New processes of the probed executables, for process("PATH") without -c/-x: each one is
** handed to the ptrace engine as soon as it execs, so that its probes are in place before
** main(). The best mechanism the kernel and our privileges allow is picked at start.
*/
#ifndef USTAP_EXECWATCH_H
#define USTAP_EXECWATCH_H

struct session;
struct ew_state;

enum ew_mech {
	EW_NONE,      /* nothing: the caller's /proc rescan is all there is */
	EW_PERF,      /* sched:sched_process_exec (else a dummy event's exec COMM records),
	                 system-wide: the process is seized just after its exec, while it
	                 already runs (racy) */
	EW_FANOTIFY,  /* FAN_OPEN_EXEC_PERM on the executables: the exec waits until the task
	                 is seized, probes go in at its PTRACE_EVENT_EXEC (exact) */
};

/* Watch the execs of paths[0..n) (absolute paths of executables). Tries fanotify (needs
   CAP_SYS_ADMIN), then the tracepoint (perf access to system-wide tracepoints), and returns
   NULL when neither works. The environment variable USTAP_EXECWATCH=perf|comm|none skips the
   better mechanisms (tests of the fallbacks; comm: the dummy event, not the tracepoint). The
   engine (s->pt) must be initialised. */
struct ew_state *ew_start(struct session *s, const char *const *paths, int n);
enum ew_mech ew_mech(const struct ew_state *w);
/* The mechanism in words, for -vv. */
const char *ew_name(const struct ew_state *w);
/* Handle every exec already queued (fanotify: answer them): call before anything that may
   wait for a traced thread to stop, as such a thread may be waiting for our answer. */
void ew_drain(struct session *s, struct ew_state *w);
/* Stop watching and free w (NULL: nothing). fanotify: every exec still waiting goes on
   (closing the group answers FAN_ALLOW), so call it before detaching. */
void ew_stop(struct session *s, struct ew_state *w);

#endif

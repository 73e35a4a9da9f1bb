/* Return probes in the shapes of an nginx worker: events() blocks in read() inside an unprobed
   static helper, runs handle() for what it read, then leaves by a tail call to posted()
   (a jmp: posted returns straight to events' caller through the same return address); a
   signal handler calls handle() while events() is hijacked, and one on a signal stack above the
   thread's own stack (its frames must not be taken for dead ones); spawn() forks from inside itself
   and the child returns through it too; a second thread does the same loop. Each process
   prints its argc and the sums it computed itself. Usage: bp_tailret N */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile long sig_sum;
static volatile int worker_ready;

__attribute__((noinline)) long handle(long x)
{
	__asm__ volatile("" ::: "memory");
	return x * 3;
}

__attribute__((noinline)) long posted(long x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

/* unprobed (static, not a symbol the script names): the blocking read */
static __attribute__((noinline)) long wait_event(int fd)
{
	char c;
	return read(fd, &c, 1) == 1 ? c : -1;
}

/* At -O0 too: the call to posted() must be a jmp, as gcc -O2 makes it in nginx. */
__attribute__((noinline, optimize("O2", "optimize-sibling-calls"))) long events(int fd, long i)
{
	long v = wait_event(fd);
	v += handle(i);
	return posted(v);
}

static void on_sig(int sig)
{
	sig_sum += handle(sig);
}

/* fork from inside a function with a return probe: both processes return from it */
__attribute__((noinline)) long spawn(long n)
{
	pid_t pid = fork();
	return pid == 0 ? n : pid > 0 ? 0 : -1;
}

static long loop(long n, int fd_r, int fd_w)
{
	long s = 0;
	for (long i = 0; i < n; i++) {
		char c = 1;
		if (write(fd_w, &c, 1) != 1)
			return -1;
		s += events(fd_r, i);
	}
	return s;
}

struct wk {
	long n;
	int p[2];
	char *alt;                /* in main's stack: above this thread's */
	size_t alt_size;
};

static void *worker(void *arg)
{
	struct wk *w = arg;
	stack_t ss = { .ss_sp = w->alt, .ss_size = w->alt_size };
	struct sigaction sa = { .sa_handler = on_sig, .sa_flags = SA_ONSTACK | SA_RESTART };
	sigaltstack(&ss, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	worker_ready = 1;
	printf("thread alt=%ld\n", events(w->p[0], 0));   /* SIGUSR2 comes while it blocks; read restarts */
	printf("thread sum=%ld\n", loop(w->n, w->p[0], w->p[1]));
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10;
	int p[2];
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("argc=%d\n", argc);   /* _start.return must not take argc for a return address */
	if (pipe(p) < 0)
		return 1;
	signal(SIGUSR1, on_sig);
	/* a signal arrives while events() blocks: the handler runs on top of its frame */
	if (fork() == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR1);
		usleep(100000);
		if (write(p[1], "\2", 1) != 1)
			_exit(1);
		_exit(0);
	}
	long s = events(p[0], 0);
	wait(NULL);
	printf("main sum=%ld sig=%ld\n", s, sig_sum);
	pthread_t th;
	char alt[65536];
	struct wk w = { .n = n, .alt = alt, .alt_size = sizeof(alt) };
	if (pipe(w.p) < 0)
		return 1;
	pthread_create(&th, NULL, worker, &w);
	while (!worker_ready)
		usleep(1000);
	usleep(100000);
	pthread_kill(th, SIGUSR2);
	usleep(100000);
	if (write(w.p[1], "\3", 1) != 1)
		return 1;
	pthread_join(th, NULL);
	printf("sig=%ld\n", sig_sum);
	printf("loop sum=%ld\n", loop(n, p[0], p[1]));
	if (spawn(n)) {
		printf("child sum=%ld\n", loop(n, p[0], p[1]));
		_exit(0);
	}
	wait(NULL);
	printf("parent sum=%ld\n", loop(n, p[0], p[1]));
	return 0;
}

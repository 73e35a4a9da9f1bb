/* Daemonizes the way nginx's ngx_daemon() does: a probed function forks and the parent
   _exits inside it, so its .return never fires there; the child goes on and returns through
   the frames it inherited (hijacked return addresses whose probes belonged to the parent,
   now gone). Usage: bp_daemon N  (the child prints N's results after the parent is gone) */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) int daemonize(int n)
{
	pid_t p = fork();
	if (p < 0)
		exit(1);
	if (p > 0)
		_exit(0);
	usleep(100000);   /* the parent has exited and been reaped by now */
	return n + 1;
}

__attribute__((noinline)) int work(int n)
{
	return daemonize(n) * 2;
}

int main(int argc, char **argv)
{
	int r = work(argc > 1 ? atoi(argv[1]) : 1);
	printf("daemon r=%d\n", r);
	return 0;
}

/* For the scheduler tests: the main thread and a helper thread pass a byte back and forth
   over two pipes (argv[1] rounds, default 200), so that the main thread is switched out,
   woken and switched in by the helper, from task context. (Waking from a sleep would be seen
   from the idle task, and some kernels trace nothing there: see tests/stp/kernel/sched_aliases.) */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int to_helper[2], to_main[2];

static void *helper(void *arg)
{
	char c;

	while (read(to_helper[0], &c, 1) == 1 && c)
		if (write(to_main[1], &c, 1) != 1)
			break;
	return arg;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 200;
	pthread_t t;
	char c = 1;

	if (pipe(to_helper) < 0 || pipe(to_main) < 0 || pthread_create(&t, NULL, helper, NULL))
		return 1;
	for (long i = 0; i < rounds; i++)
		if (write(to_helper[1], &c, 1) != 1 || read(to_main[0], &c, 1) != 1)
			return 1;
	c = 0;
	if (write(to_helper[1], &c, 1) != 1 || pthread_join(t, NULL))
		return 1;
	return 0;
}

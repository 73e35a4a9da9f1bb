/* Short-lived openers for kernel-side string tests: N children (argv[2], default 20) each open
   argv[1] once and exit at once, so their memory is gone a moment after the openat. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 20;
	if (argc < 2)
		return 2;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(open(argv[1], O_RDONLY) < 0);
		int st;
		if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
			return 1;
	}
	return 0;
}

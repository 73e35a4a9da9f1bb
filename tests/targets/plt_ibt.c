// plt_calls with IBT PLT stubs (.plt.sec, endbr64): freopen 1, puts 3, getpid 2,
// atoi 4.
// LDFLAGS: -Wl,-z,ibtplt
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int sum = 0;
	if (!freopen("/dev/null", "w", stdout))   /* quiet: tests compare stdout */
		return 2;
	for (int i = 0; i < 3; i++)
		puts("plt_ibt");
	for (int i = 0; i < 2; i++)
		sum += getpid() > 0;
	for (int i = 0; i < 4; i++)
		sum += atoi(argc > 1 ? argv[1] : "1");
	return sum == 6 ? 0 : 1;
}

// C++ exceptions through functions with .return probes (tests/stp/process/cxx_eh.sh): a throw
// through hijacked frames, a destructor run while unwinding (_Unwind_Resume), a catch that
// rethrows, a catch that goes on and returns, and pthread_cancel's forced unwind of a thread
// blocked inside a probed function. Usage: cxx_eh N
#include <cstdio>
#include <cstdlib>
#include <pthread.h>
#include <stdexcept>
#include <unistd.h>

static int dtors;
struct Guard {
	~Guard() { dtors++; }
};

__attribute__((noinline)) int thrower(int x)
{
	if (x % 3 == 0)
		throw std::runtime_error("boom");
	return x;
}

__attribute__((noinline)) int middle(int x)
{
	Guard g;
	return thrower(x) + 1;
}

__attribute__((noinline)) int rethrower(int x)
{
	try {
		return middle(x);
	} catch (...) {
		throw;
	}
}

__attribute__((noinline)) int catcher(int x)
{
	try {
		return rethrower(x);
	} catch (const std::exception &) {
		return -1;
	}
}

__attribute__((noinline)) void blocked(void)
{
	for (;;)
		pause();   // a cancellation point
}

static void *worker(void *)
{
	blocked();
	return nullptr;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 9, sum = 0, caught = 0;
	for (int i = 0; i < n; i++) {
		int r = catcher(i);
		if (r < 0)
			caught++;
		else
			sum += r;
	}
	pthread_t th;
	void *ret = nullptr;
	pthread_create(&th, nullptr, worker, nullptr);
	usleep(100000);
	pthread_cancel(th);
	pthread_join(th, &ret);
	printf("sum=%d caught=%d dtors=%d cancelled=%d\n", sum, caught, dtors, ret == PTHREAD_CANCELED);
	return 0;
}

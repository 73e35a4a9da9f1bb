/* Thread-local variables for $var / @var of __thread data (DW_OP_GNU_push_tls_address):
   the main thread and two workers each bump their own copies, then stop at tls_mark(). */
// LDFLAGS: -lpthread
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static __thread unsigned long tls_count = 10;
__thread int tls_arr[3] = { 1, 2, 3 };

void __attribute__((noinline)) tls_mark(int who)
{
	__asm__ volatile("" : : "r"(who) : "memory");
}

static void *worker(void *arg)
{
	int who = (int)(long)arg;
	tls_count += who;
	tls_arr[1] = who * 100;
	tls_mark(who);
	return NULL;
}

int main(void)
{
	pthread_t t;
	tls_mark(0);
	for (long i = 1; i <= 2; i++) {
		pthread_create(&t, NULL, worker, (void *)i);
		pthread_join(t, NULL);
	}
	errno = 0;
	if (fopen("/nonexistent/dw_tls", "r") == NULL)
		tls_mark(errno);
	return 0;
}

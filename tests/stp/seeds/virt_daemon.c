/* A libvirtd-like daemon linked with libvirt.so. In order (each step joins the last):
   1. main locks and unlocks driverLock (balanced: no report);
   2. thread "cacheWorker" locks cacheLock, main unlocks it (released on another thread);
   3. thread "netWorker" locks netLock and keeps it; main then blocks in virMutexLock(netLock)
      until netWorker ends the process, so netLock stays "cannot be acquired".
   The tids go to the file named by argv[1], as "main TID", "cache TID", "net TID". */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct virMutex { pthread_mutex_t lock; } virMutex, *virMutexPtr;
void virMutexLock(virMutexPtr m);
void virMutexUnlock(virMutexPtr m);

virMutex driverLock = { PTHREAD_MUTEX_INITIALIZER };
virMutex cacheLock = { PTHREAD_MUTEX_INITIALIZER };
virMutex netLock = { PTHREAD_MUTEX_INITIALIZER };
static FILE *tids;

static void *cacheWorker(void *arg)
{
	fprintf(tids, "cache %d\n", gettid());
	virMutexLock(&cacheLock);
	return NULL;
}

static void *netWorker(void *arg)
{
	fprintf(tids, "net %d\n", gettid());
	virMutexLock(&netLock);
	pthread_barrier_wait(arg);
	usleep(300 * 1000);      /* main is blocked on netLock by now */
	fclose(tids);
	_exit(0);
}

static void driverOp(void)
{
	virMutexLock(&driverLock);
	virMutexUnlock(&driverLock);
}

static void networkOp(void)
{
	virMutexLock(&netLock);
}

int main(int argc, char **argv)
{
	pthread_t t;
	pthread_barrier_t b;

	tids = fopen(argc > 1 ? argv[1] : "/dev/null", "w");
	setvbuf(tids, NULL, _IOLBF, 0);
	fprintf(tids, "main %d\n", gettid());
	driverOp();
	pthread_create(&t, NULL, cacheWorker, NULL);
	pthread_join(t, NULL);
	virMutexUnlock(&cacheLock);
	pthread_barrier_init(&b, NULL, 2);
	pthread_create(&t, NULL, netWorker, &b);
	pthread_barrier_wait(&b);
	networkOp();
	return 1;                /* not reached */
}

/* A libvirt.so-like library for the lock-debug.stp seed: virMutexLock/virMutexUnlock take
   the mutex by pointer ($m), as libvirt's src/util/virthread.c does. */
#include <pthread.h>

typedef struct virMutex { pthread_mutex_t lock; } virMutex, *virMutexPtr;

void virMutexLock(virMutexPtr m)
{
	pthread_mutex_lock(&m->lock);
}

void virMutexUnlock(virMutexPtr m)
{
	pthread_mutex_unlock(&m->lock);
}

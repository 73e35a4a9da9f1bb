/* An ovs-vswitchd-like daemon for seed 004's process(PID) probes: a "pmd" thread receives and
   sends packets (netdev_rxq_recv, dp_netdev_input, dp_netdev_input__, netdev_send) while the
   main thread takes ovs_mutex_lock_at and looks in a shash (shash_find__); plus libvirtd's
   daemonStreamMessageFinished. Each SIGUSR1 runs one round: 3 packets, 2 locks, 1 lookup,
   1 stream message; SIGTERM ends it. "ready" goes to the file named by argv[1]. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

struct netdev_rxq { int id; };
struct ovs_mutex { pthread_mutex_t lock; const char *where; };
struct shash_node { const char *name; int data; };

static struct ovs_mutex dp_mutex = { PTHREAD_MUTEX_INITIALIZER, NULL };
static struct shash_node nodes[] = { { "br0", 1 }, { "eth0", 2 } };
int packets;

__attribute__((noinline)) int netdev_rxq_recv(struct netdev_rxq *rxq, int *batch)
{
	*batch = rxq->id + 1;
	return 0;
}

__attribute__((noinline)) void dp_netdev_input__(int batch)
{
	packets += batch;
}

__attribute__((noinline)) void dp_netdev_input(int batch)
{
	dp_netdev_input__(batch);
}

__attribute__((noinline)) int netdev_send(int batch)
{
	return batch > 0 ? 0 : -1;
}

__attribute__((noinline)) void ovs_mutex_lock_at(struct ovs_mutex *m, const char *where)
{
	pthread_mutex_lock(&m->lock);
	m->where = where;
}

__attribute__((noinline)) void ovs_mutex_unlock(struct ovs_mutex *m)
{
	m->where = NULL;
	pthread_mutex_unlock(&m->lock);
}

__attribute__((noinline)) struct shash_node *shash_find__(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
		if (strlen(nodes[i].name) == len && !memcmp(nodes[i].name, name, len))
			return &nodes[i];
	return NULL;
}

__attribute__((noinline)) void daemonStreamMessageFinished(int serial)
{
	packets += serial & 0;
}

static void *pmd_thread_main(void *arg)
{
	struct netdev_rxq rxq = { 0 };
	for (int i = 0; i < 3; i++) {
		int batch;
		if (netdev_rxq_recv(&rxq, &batch) == 0) {
			dp_netdev_input(batch);
			netdev_send(batch);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	FILE *f = fopen(argc > 1 ? argv[1] : "/dev/null", "w");
	fputs("ready\n", f);
	fclose(f);
	while (sigwait(&set, &sig) == 0 && sig == SIGUSR1) {
		pthread_t t;
		pthread_create(&t, NULL, pmd_thread_main, NULL);
		pthread_join(t, NULL);
		for (int i = 0; i < 2; i++) {
			ovs_mutex_lock_at(&dp_mutex, "ofproto/ofproto.c:1234");
			ovs_mutex_unlock(&dp_mutex);
		}
		shash_find__("eth0", 4);
		daemonStreamMessageFinished(7);
	}
	return 0;
}

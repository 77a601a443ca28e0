/*
 * A second thread for work that splits in two (util.h: hf__thread). The
 * library never starts more than one helper per job: the machines it is
 * measured on have two cores, and each split keeps the order of the work,
 * so the output is the one a single thread writes.
 */
#define _GNU_SOURCE /* sched_getaffinity: the CPUs this process may run on */
#include "util.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h> /* getloadavg */
#include <unistd.h>

#ifdef HF_TEST_HOOKS
#include <stdatomic.h>

/* Test build only, as hf__alloc_fail_after: process-wide by nature. */
static atomic_int parallel_mode;
static atomic_size_t threads_started;

int hf__parallel_force(int mode)
{
	return atomic_exchange(&parallel_mode, mode);
}

size_t hf__threads_started(void)
{
	return atomic_load(&threads_started);
}
#endif

/* CPUs this process may run on: those online, or fewer under an affinity
 * mask (taskset, cgroups' cpusets), where a second thread would only take
 * turns with the first. */
static long cpus_available(void)
{
#ifdef CPU_COUNT
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
#endif
	return sysconf(_SC_NPROCESSORS_ONLN);
}

bool hf__parallel_pays(size_t work, size_t threshold)
{
#ifdef HF_TEST_HOOKS
	int mode = atomic_load(&parallel_mode);
	if (mode == HF_PARALLEL_NEVER)
		return false;
	if (mode == HF_PARALLEL_ALWAYS)
		return work >= 2;
#endif
	if (work < threshold)
		return false;
	long cpus = cpus_available();
	/* A second thread pays only with a CPU to spare: when the run queue
	 * (the 1-minute load average) is already as long as the CPUs, it takes
	 * turns with the first and adds its own cost (measured at load 6 on
	 * 2 CPUs: +10 % CPU time, no gain in wall time). */
	double load;
	return cpus > 1 && !(getloadavg(&load, 1) == 1 && load >= (double)cpus);
}

struct hf__thread {
	pthread_t id;
	void (*fn)(void *);
	void *arg;
};

static void *run(void *t)
{
	struct hf__thread *th = t;
	th->fn(th->arg);
	return NULL;
}

hf__thread *hf__thread_start(void (*fn)(void *), void *arg)
{
	hf__thread *t = hf__malloc(sizeof(*t));
	if (!t)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	if (pthread_create(&t->id, NULL, run, t) != 0) {
		hf__free(t);
		return NULL;
	}
#ifdef HF_TEST_HOOKS
	atomic_fetch_add(&threads_started, 1);
#endif
	return t;
}

void hf__thread_join(hf__thread *t)
{
	if (t) {
		pthread_join(t->id, NULL);
		hf__free(t);
	}
}

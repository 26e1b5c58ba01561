// SPDX-License-Identifier: GPL-2.0
/* A fixed set of pthreads over an index range (see pool.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "pool.h"
#include "util.h"

#define WORKER_STACK (64UL << 20)

struct pool {
	size_t next;		/* next item to hand out (atomic) */
	size_t n;
	void (*fn)(size_t i, void *arg);
	void *arg;
};

static void *worker(void *data)
{
	struct pool *p = data;
	size_t i;

	while ((i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED)) < p->n)
		p->fn(i, p->arg);
	return NULL;
}

void pool_run(int jobs, size_t n, void (*fn)(size_t i, void *arg), void *arg)
{
	struct pool p = { .next = 0, .n = n, .fn = fn, .arg = arg };
	pthread_attr_t attr;
	pthread_t *threads;
	int i, started = 0;

	if (jobs <= 1 || n < 2) {
		worker(&p);
		return;
	}
	threads = xcalloc(jobs, sizeof(*threads));
	pthread_attr_init(&attr);
	/* tree-sitter and the extractors recurse over deep syntax trees */
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	for (i = 0; i < jobs; i++) {
		if (pthread_create(&threads[i], &attr, worker, &p))
			break;
		started++;
	}
	pthread_attr_destroy(&attr);
	/* without any thread, do the work here rather than fail */
	if (!started)
		worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * burst: open and close COUNT loopback TCP connections as fast as the
 * machine allows, from THREADS client threads at once, then exit.
 *
 * The benchmarks use it to find the largest burst a tracer's ring buffer
 * absorbs without drops. Unlike churn it sends no data: a burst is as many
 * socket-lifecycle events per second as we can make.
 *
 * The acceptor closes each connection at once and the client closes after
 * seeing that FIN, so TIME_WAIT lands on the server side and no ephemeral
 * port stays taken; the client threads also use different 127.0.0.x source
 * addresses, so bursts larger than the ephemeral range still connect.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "loopback.h"

#define MAX_THREADS	64
#define PER_SOURCE	20000	/* connections per source address */

struct burst {
	struct sockaddr_in dst;
	int lfd;
	long count;
	int threads;
	atomic_long accepted;
	atomic_int failed;
};

struct client {
	struct burst *b;
	int id;
	long n;
};

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-n COUNT] [-j THREADS] [-t SECONDS]\n"
		"Open and close COUNT loopback TCP connections as fast as possible.\n\n"
		"  -n, --count=COUNT      connections in the burst (default 10000)\n"
		"  -j, --threads=THREADS  client threads (default 4, at most %d)\n"
		"  -t, --timeout=SECONDS  give up after this long (default 120)\n"
		"  -h, --help             this help\n", prog, MAX_THREADS);
}

static void *acceptor(void *arg)
{
	struct burst *b = arg;

	while (atomic_load(&b->accepted) < b->count && !atomic_load(&b->failed)) {
		int fd = accept4(b->lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;	/* listener shut down */
		}
		close(fd);
		atomic_fetch_add(&b->accepted, 1);
	}
	return NULL;
}

static int one_conn(const struct burst *b, unsigned int src)
{
	int fd, err = 0;
	char c;

	fd = lo_connect_from(src, &b->dst);
	if (fd < 0)
		return -1;
	if (read(fd, &c, 1) != 0)	/* wait for the acceptor's FIN */
		err = -1;
	close(fd);
	return err;
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	struct burst *b = c->b;
	long i;

	for (i = 0; i < c->n && !atomic_load(&b->failed); i++) {
		unsigned int src = (c->id + b->threads * (i / PER_SOURCE)) % 250;

		if (one_conn(b, src)) {
			fprintf(stderr, "burst: thread %d conn %ld: %s\n",
				c->id, i, strerror(errno));
			atomic_store(&b->failed, 1);
		}
	}
	return NULL;
}

static int run(struct burst *b)
{
	struct client cl[MAX_THREADS];
	pthread_t th[MAX_THREADS], ath;
	int i, started = 0;
	double t0, dt;

	b->lfd = lo_listen(&b->dst, 4096);
	if (b->lfd < 0) {
		perror("burst: listen");
		return 1;
	}
	if (pthread_create(&ath, NULL, acceptor, b)) {
		perror("burst: pthread_create");
		close(b->lfd);
		return 1;
	}
	t0 = now_s();
	for (i = 0; i < b->threads; i++) {
		cl[i].b = b;
		cl[i].id = i;
		/* Spread the remainder so the threads add up to COUNT. */
		cl[i].n = b->count / b->threads + (i < b->count % b->threads);
		if (pthread_create(&th[i], NULL, client_main, &cl[i])) {
			atomic_store(&b->failed, 1);
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	dt = now_s() - t0;
	/* Wakes the acceptor if a failure left it waiting. */
	shutdown(b->lfd, SHUT_RDWR);
	pthread_join(ath, NULL);
	close(b->lfd);
	if (atomic_load(&b->failed))
		return 1;
	printf("burst: %ld connections with %d threads in %.6f s: %.1f connections/s\n",
	       b->count, b->threads, dt, b->count / dt);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "count",   required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help",    no_argument,       NULL, 'h' },
		{ 0 }
	};
	struct burst b = { .count = 10000, .threads = 4 };
	unsigned int timeout = 120;
	int c;

	while ((c = getopt_long(argc, argv, "n:j:t:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			b.count = strtol(optarg, NULL, 10);
			break;
		case 'j':
			b.threads = atoi(optarg);
			break;
		case 't':
			timeout = strtoul(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc || b.count <= 0 || b.threads <= 0 ||
	    b.threads > MAX_THREADS || !timeout) {
		usage(stderr, argv[0]);
		return 2;
	}
	/* Bounded whatever happens: SIGALRM's default action ends us. */
	alarm(timeout);
	return run(&b);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * holdsocks: open N loopback TCP sockets (N/2 established client-server
 * pairs), print "ready N" on stdout, and hold them until SIGTERM or SIGINT
 * or the time limit, then close them all and exit.
 *
 * The benchmarks use it to measure the agent's memory, start-up and scrape
 * cost with many sockets in its table. 100,000 sockets need care:
 *  - file descriptors: RLIMIT_NOFILE is raised here, the hard limit too
 *    when we may (root with CAP_SYS_RESOURCE); where we may not, the
 *    sockets are spread over worker processes that each fit the limit;
 *  - ports: one source address to one destination has only the ephemeral
 *    range (~28k ports), so the pairs are spread over several listeners
 *    and several 127.0.0.x source addresses, and IP_BIND_ADDRESS_NO_PORT
 *    lets connect() pick the port per 4-tuple;
 *  - the accept backlog: each connect is accepted at once, so the backlog
 *    (and net.core.somaxconn) never fills.
 * On exit every socket is closed with SO_LINGER 0 (a reset) so that no
 * TIME_WAIT entries outlive the run and crowd the next one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "loopback.h"

#define SETUP_TIMEOUT 300	/* seconds allowed for opening the sockets */

struct opts {
	long count;		/* sockets to hold (both ends count) */
	long per_port;		/* pairs per listener */
	long per_src;		/* pairs per source address */
	unsigned int hold;	/* seconds to hold at most */
};

struct held {
	int *fds;
	long nfds;
	int *lfds;
	long nl;
};

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-n COUNT] [-t SECONDS] [-p PAIRS] [-s PAIRS]\n"
		"Open COUNT loopback TCP sockets (COUNT/2 connected pairs), print\n"
		"\"ready COUNT\" and hold them until SIGTERM/SIGINT or the time limit.\n\n"
		"  -n, --count=COUNT        sockets to hold (default 10000)\n"
		"  -t, --hold=SECONDS       hold at most this long (default 900)\n"
		"  -p, --per-port=PAIRS     pairs per listening port (default 10000)\n"
		"  -s, --per-source=PAIRS   pairs per 127.0.0.x source (default 20000)\n"
		"  -h, --help               this help\n", prog);
}

/* Room for every socket, the listeners and stdio. */
static int raise_nofile(rlim_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max < need)
		rl.rlim_max = need;	/* needs CAP_SYS_RESOURCE */
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		fprintf(stderr, "holdsocks: cannot raise RLIMIT_NOFILE to %llu: %s\n",
			(unsigned long long)need, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_all(const struct opts *o, struct held *h, long pair_base)
{
	long pairs = o->count / 2;
	struct sockaddr_in *la;
	long i;
	int err = -1;

	h->nl = (pairs + o->per_port - 1) / o->per_port;
	h->lfds = calloc(h->nl ? h->nl : 1, sizeof(int));
	h->fds = calloc(pairs * 2 + 1, sizeof(int));
	la = calloc(h->nl ? h->nl : 1, sizeof(*la));
	if (!h->lfds || !h->fds || !la) {
		h->nl = 0;	/* nothing for close_all to close */
		goto out;
	}
	for (i = 0; i < h->nl; i++) {
		h->lfds[i] = lo_listen(&la[i], 128);
		if (h->lfds[i] < 0) {
			perror("holdsocks: listen");
			h->nl = i;
			goto out;
		}
	}
	for (i = 0; i < pairs; i++) {
		long l = i / o->per_port;
		int c, a;

		c = lo_connect_from((pair_base + i) / o->per_src, &la[l]);
		if (c < 0) {
			fprintf(stderr, "holdsocks: connect %ld: %s\n", i, strerror(errno));
			goto out;
		}
		h->fds[h->nfds++] = c;
		a = accept4(h->lfds[l], NULL, NULL, SOCK_CLOEXEC);
		if (a < 0) {
			fprintf(stderr, "holdsocks: accept %ld: %s\n", i, strerror(errno));
			goto out;
		}
		h->fds[h->nfds++] = a;
	}
	err = 0;
out:
	free(la);
	return err;
}

static void close_all(struct held *h)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	long i;

	for (i = 0; i < h->nfds; i++) {
		setsockopt(h->fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(h->fds[i]);
	}
	for (i = 0; i < h->nl; i++)
		close(h->lfds[i]);
	free(h->fds);
	free(h->lfds);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "count",      required_argument, NULL, 'n' },
		{ "hold",       required_argument, NULL, 't' },
		{ "per-port",   required_argument, NULL, 'p' },
		{ "per-source", required_argument, NULL, 's' },
		{ "help",       no_argument,       NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "n:t:p:s:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->count = strtol(optarg, NULL, 10);
			break;
		case 't':
			o->hold = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			o->per_port = strtol(optarg, NULL, 10);
			break;
		case 's':
			o->per_src = strtol(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			return -1;
		}
	}
	/* 250 source addresses at most: 127.0.0.2 .. 127.0.0.251. */
	if (optind != argc || o->count < 0 || o->per_port <= 0 ||
	    o->per_src <= 0 || o->count / 2 / o->per_src >= 250 || !o->hold) {
		usage(stderr, argv[0]);
		return -1;
	}
	return 0;
}

/* Wait for SIGTERM/SIGINT (blocked, see main) or the end of the hold time. */
static void wait_stop(const sigset_t *set, unsigned int secs)
{
	struct timespec limit = { .tv_sec = secs };

	while (sigtimedwait(set, NULL, &limit) < 0 && errno == EINTR)
		;
}

/*
 * One worker: open its share of the sockets, report how many on the pipe,
 * hold them until told to stop. pair_base numbers its pairs after those
 * of the workers before it so that the source addresses keep spreading.
 */
static int worker(const struct opts *o, long count, long pair_base, int wfd,
		  const sigset_t *set)
{
	struct opts wo = *o;
	struct held h = { 0 };
	long n;

	/* Do not outlive the parent if it is killed outright. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	wo.count = count;
	if (raise_nofile(count + count / o->per_port + 64))
		return 1;
	if (open_all(&wo, &h, pair_base)) {
		close_all(&h);
		return 1;
	}
	n = h.nfds;
	if (write(wfd, &n, sizeof(n)) != sizeof(n)) {
		close_all(&h);
		return 1;
	}
	close(wfd);
	wait_stop(set, o->hold + 60);
	close_all(&h);
	return 0;
}

/* Sockets one process may hold: all of them if the hard limit allows or
 * can be raised (root with CAP_SYS_RESOURCE), else what fits under it. */
static long per_process(long count)
{
	rlim_t need = count + count / 1000 + 128;
	struct rlimit rl;
	long max;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return count;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need)
		return count;
	rl.rlim_max = need;
	if (!setrlimit(RLIMIT_NOFILE, &rl))
		return count;
	getrlimit(RLIMIT_NOFILE, &rl);
	max = ((long)rl.rlim_max - 128) & ~1L;
	return max < 2 ? 2 : max;
}

static void stop_workers(const pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
}

int main(int argc, char **argv)
{
	struct opts o = { .count = 10000, .per_port = 10000, .per_src = 20000,
			  .hold = 900 };
	long per, total = 0, n, done = 0;
	int nw, i, pfd[2], err = 1;
	pid_t *pids;
	sigset_t set;

	if (parse_opts(argc, argv, &o))
		return 2;
	o.count &= ~1L;
	/*
	 * Without CAP_SYS_RESOURCE the hard file limit caps one process
	 * (20,000 on some machines), so the sockets are spread over as many
	 * worker processes as that takes.
	 */
	per = per_process(o.count);
	nw = o.count ? (o.count + per - 1) / per : 0;
	pids = calloc(nw ? nw : 1, sizeof(*pids));
	if (!pids || pipe(pfd))
		return 1;
	/* Block the stop signals now: one sent during set-up is kept. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	alarm(SETUP_TIMEOUT);
	for (i = 0; i < nw; i++) {
		long share = o.count - done < per ? o.count - done : per;

		pids[i] = fork();
		if (pids[i] < 0) {
			perror("holdsocks: fork");
			goto out;
		}
		if (!pids[i]) {
			close(pfd[0]);
			alarm(0);
			_exit(worker(&o, share, done / 2, pfd[1], &set));
		}
		done += share;
	}
	close(pfd[1]);
	/* Each worker writes its count once ready; EOF early means one died. */
	for (i = 0; i < nw; i++) {
		if (read(pfd[0], &n, sizeof(n)) != sizeof(n)) {
			fprintf(stderr, "holdsocks: a worker failed\n");
			goto out;
		}
		total += n;
	}
	alarm(0);
	printf("ready %ld\n", total);
	fflush(stdout);
	wait_stop(&set, o.hold);
	err = 0;
out:
	stop_workers(pids, nw);
	free(pids);
	return err;
}

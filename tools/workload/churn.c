// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * churn: a bounded loopback connection-churn workload for the benchmarks.
 *
 * TCP (default): one process, a server thread and a client. The client does
 * COUNT sequential cycles of socket/connect/send/receive/close against the
 * server, which accepts, reads the request, answers and closes first. Each cycle
 * is a full round trip, so the rate is paced by the socket lifecycle and
 * not by queueing, and a tracer's per-event cost shows up directly.
 *
 * UDP (--udp): COUNT cycles of socket/bind/connect/send/close, which is the
 * whole lifecycle a UDP socket has.
 *
 * With -j JOBS, JOBS worker processes (each with its own server thread for
 * TCP) run side by side, and with -d SECONDS each runs for that long
 * instead of COUNT cycles: enough workers keep every CPU busy, so that a
 * tracer's cost shows up as CPU time taken from the workload, not as
 * wake-up latency it happens to hide or add (tools/bench/saturated.sh).
 *
 * Prints one line ending in "<rate> connections/s" (or "sockets/s") that
 * the harness parses. Stops by itself after COUNT cycles (or SECONDS) or,
 * whatever happens, after the time limit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "loopback.h"

#define MAX_PAYLOAD 65536

struct opts {
	long count;
	size_t bytes;
	unsigned int timeout;
	unsigned int jobs;
	double duration;	/* > 0: run this long, not count cycles */
	bool udp;
};

/* What one worker did: cycles completed and the time they took. */
struct result {
	long cycles;
	double secs;
};

struct server {
	int lfd;
	long count;		/* accepts to serve; LONG_MAX in duration mode */
	size_t bytes;
	volatile int stop;	/* the client is done: an accept error ends us */
	int err;
};

/* Has this worker done its share: COUNT cycles, or its time is up? */
static bool worker_done(const struct opts *o, long i, double t0)
{
	if (o->duration > 0)
		return (i & 15) == 0 && now_s() - t0 >= o->duration;
	return i >= o->count;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-n COUNT] [-d SECONDS] [-j JOBS] [-b BYTES] [-t SECONDS] [--udp]\n"
		"Loopback socket churn: COUNT sequential connect/send/receive/close\n"
		"cycles (TCP) or socket/bind/connect/send/close cycles (UDP).\n\n"
		"  -n, --count=COUNT     cycles to run (default 20000)\n"
		"  -d, --duration=SECS   run for SECS seconds instead of COUNT cycles\n"
		"  -j, --jobs=JOBS       parallel worker processes (default 1)\n"
		"  -b, --bytes=BYTES     request and reply size (default 64)\n"
		"  -t, --timeout=SECONDS give up after this long (default 300)\n"
		"  -u, --udp             UDP socket churn instead of TCP\n"
		"  -h, --help            this help\n", prog);
}

/* Read or write exactly len bytes; 0 on success, -1 on error or EOF. */
static int xfer(int fd, char *buf, size_t len, bool wr)
{
	while (len) {
		ssize_t n = wr ? write(fd, buf, len) : read(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static void *server_main(void *arg)
{
	struct server *s = arg;
	char *buf = calloc(1, s->bytes ? s->bytes : 1);
	long i;

	if (!buf) {
		s->err = ENOMEM;
		return NULL;
	}
	for (i = 0; i < s->count; i++) {
		int fd = accept(s->lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR) {
				i--;
				continue;
			}
			if (!s->stop)
				s->err = errno;
			break;
		}
		if (xfer(fd, buf, s->bytes, false) || xfer(fd, buf, s->bytes, true))
			s->err = errno ? errno : EIO;
		close(fd);
		if (s->err)
			break;
	}
	free(buf);
	return NULL;
}

/*
 * One client cycle: connect, send the request, read the reply, wait for
 * the server's FIN, close. The server closes first, as HTTP/1.0 servers
 * do, so TIME_WAIT lands on the server side, where it holds no ephemeral
 * port: back-to-back rounds of 20,000 cycles would otherwise run out of
 * the ~28k ports of one source address.
 */
static int tcp_cycle(const struct sockaddr_in *sa, char *buf, size_t bytes)
{
	int one = 1, err = 0;
	char c;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* Small request/reply: do not let Nagle add a delayed-ACK wait. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) ||
	    xfer(fd, buf, bytes, true) || xfer(fd, buf, bytes, false) ||
	    read(fd, &c, 1) != 0)
		err = -1;
	close(fd);
	return err;
}

static int run_tcp(const struct opts *o, struct result *res)
{
	struct server srv = {
		.count = o->duration > 0 ? LONG_MAX : o->count,
		.bytes = o->bytes,
	};
	struct sockaddr_in sa;
	pthread_t th;
	double t0, dt;
	char *buf;
	long i;
	int err = 1;

	buf = calloc(1, o->bytes ? o->bytes : 1);
	if (!buf)
		return 1;
	srv.lfd = lo_listen(&sa, 1024);
	if (srv.lfd < 0) {
		perror("churn: listen");
		goto out_buf;
	}
	if (pthread_create(&th, NULL, server_main, &srv)) {
		perror("churn: pthread_create");
		goto out_fd;
	}
	t0 = now_s();
	for (i = 0; !worker_done(o, i, t0); i++) {
		if (tcp_cycle(&sa, buf, o->bytes)) {
			fprintf(stderr, "churn: cycle %ld: %s\n", i, strerror(errno));
			break;
		}
	}
	/* The server waits for more connections unless told: stop it. */
	srv.stop = 1;
	__sync_synchronize();
	if (srv.count != i)
		shutdown(srv.lfd, SHUT_RDWR);
	pthread_join(th, NULL);
	dt = now_s() - t0;
	if (worker_done(o, i, t0) && !srv.err) {
		res->cycles = i;
		res->secs = dt;
		err = 0;
	} else if (srv.err) {
		fprintf(stderr, "churn: server: %s\n", strerror(srv.err));
	}
out_fd:
	close(srv.lfd);
out_buf:
	free(buf);
	return err;
}

static int udp_cycle(const struct sockaddr_in *sink, const char *buf, size_t bytes)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    connect(fd, (const struct sockaddr *)sink, sizeof(*sink)) ||
	    send(fd, buf, bytes, 0) < 0)
		err = -1;
	close(fd);
	return err;
}

static int run_udp(const struct opts *o, struct result *res)
{
	struct sockaddr_in sink = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sink);
	double t0, dt;
	char *buf;
	int sfd, err = 1;
	long i;

	buf = calloc(1, o->bytes ? o->bytes : 1);
	if (!buf)
		return 1;
	/*
	 * The sink never reads: once its buffer is full the kernel drops
	 * the datagrams, which costs the sender nothing and keeps the
	 * workload single-threaded.
	 */
	sfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sfd < 0 || bind(sfd, (struct sockaddr *)&sink, sizeof(sink)) ||
	    getsockname(sfd, (struct sockaddr *)&sink, &len)) {
		perror("churn: udp sink");
		goto out;
	}
	t0 = now_s();
	for (i = 0; !worker_done(o, i, t0); i++) {
		if (udp_cycle(&sink, buf, o->bytes)) {
			fprintf(stderr, "churn: cycle %ld: %s\n", i, strerror(errno));
			goto out;
		}
	}
	dt = now_s() - t0;
	res->cycles = i;
	res->secs = dt;
	err = 0;
out:
	if (sfd >= 0)
		close(sfd);
	free(buf);
	return err;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "count",   required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "jobs",    required_argument, NULL, 'j' },
		{ "bytes",   required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "udp",     no_argument,       NULL, 'u' },
		{ "help",    no_argument,       NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "n:d:j:b:t:uh", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->count = strtol(optarg, NULL, 10);
			break;
		case 'd':
			o->duration = strtod(optarg, NULL);
			break;
		case 'j':
			o->jobs = strtoul(optarg, NULL, 10);
			break;
		case 'b':
			o->bytes = strtoul(optarg, NULL, 10);
			break;
		case 't':
			o->timeout = strtoul(optarg, NULL, 10);
			break;
		case 'u':
			o->udp = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			return -1;
		}
	}
	if (optind != argc || o->count <= 0 || o->bytes > MAX_PAYLOAD ||
	    !o->timeout || o->jobs < 1 || o->jobs > 256 || o->duration < 0 ||
	    o->duration >= o->timeout) {
		usage(stderr, argv[0]);
		return -1;
	}
	return 0;
}

static int run_one(const struct opts *o, struct result *res)
{
	return o->udp ? run_udp(o, res) : run_tcp(o, res);
}

/*
 * Fork the workers, each reporting its struct result through the pipe,
 * and add them up. A worker that fails makes the whole run fail: a rate
 * from fewer workers than asked would not be comparable.
 */
static int run_jobs(const struct opts *o, struct result *sum)
{
	struct result r;
	unsigned int j, got = 0;
	int p[2], st, err = 0;

	if (pipe(p)) {
		perror("churn: pipe");
		return 1;
	}
	for (j = 0; j < o->jobs; j++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("churn: fork");
			err = 1;
			break;
		}
		if (pid == 0) {
			close(p[0]);
			memset(&r, 0, sizeof(r));
			st = run_one(o, &r);
			if (!st && write(p[1], &r, sizeof(r)) != sizeof(r))
				st = 1;
			_exit(st);
		}
	}
	close(p[1]);
	while (read(p[0], &r, sizeof(r)) == sizeof(r)) {
		sum->cycles += r.cycles;
		if (r.secs > sum->secs)
			sum->secs = r.secs;
		got++;
	}
	close(p[0]);
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			err = 1;
	return err || got != o->jobs;
}

int main(int argc, char **argv)
{
	struct opts o = { .count = 20000, .bytes = 64, .timeout = 300, .jobs = 1 };
	struct result res = { 0 };
	int err;

	if (parse_opts(argc, argv, &o))
		return 2;
	/* Bounded whatever happens: SIGALRM's default action ends us. */
	alarm(o.timeout);
	signal(SIGPIPE, SIG_IGN);
	err = o.jobs > 1 ? run_jobs(&o, &res) : run_one(&o, &res);
	if (err)
		return 1;
	printf("churn: %s %ld %s in %.6f s: %.1f %s/s\n", o.udp ? "udp" : "tcp",
	       res.cycles, o.udp ? "sockets" : "connections", res.secs,
	       res.cycles / res.secs, o.udp ? "sockets" : "connections");
	return 0;
}

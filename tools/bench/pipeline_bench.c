// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * pipeline_bench: the cost of sockwatch's user-space event pipeline without
 * the kernel. Synthetic ring-buffer records (struct sw_event) go through
 * the agent's own code: sw_decode, sw_table_apply and, whenever one is due
 * in event time, a detectors tick (EWMA sampling and the leak scan).
 *
 * The stream looks like a busy server's: each TCP connection is the 14
 * events the kernel programs emit for a client socket and the server's
 * accepted socket (create, connect, SYN_SENT, the child's ESTABLISHED,
 * ESTABLISHED, accept, close, FIN_WAIT1, CLOSE_WAIT, FIN_WAIT2, close,
 * LAST_ACK, CLOSE, CLOSE), one in eight is a UDP socket's 4 events, and
 * WINDOW connections are in flight at once with their events interleaved.
 * A base of long-lived connections is loaded first so that lookups and
 * the detectors' scans run over a table of realistic size.
 *
 * The whole stream is generated into memory first; only the feeding loop
 * is timed, on one pinned core.
 *
 * With --format, the same stream goes through what `sockwatch trace
 * --json` does with each record instead: format it as a JSON line and
 * write it (to /dev/null, through stdio's buffer, as trace's stdout).
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "agent/config.h"
#include "table/decode.h"
#include "detect/detectors.h"
#include "table/sock_table.h"
#include "cmd/trace_output.h"

#define SERVER_PORT	8080
#define SERVER_PID	4242
#define CLIENT_PIDS	8
#define TCP_EVENTS	14
#define UDP_EVENTS	4

struct opts {
	long events;		/* at least this many in the timed stream */
	long window;		/* connections in flight */
	long base;		/* long-lived sockets loaded before timing */
	long rate;		/* events per second of event time */
	int cpu;
	int format;		/* time trace --json's formatting instead */
};

/* One connection being generated: which of its events comes next. */
struct conn {
	__u64 client, server;	/* cookies; server 0 for UDP */
	__u32 pid;
	__u16 port;
	int step;
	int nsteps;
};

struct gen {
	struct sw_event *ev;
	long n, cap;
	__u64 next_cookie;
	__u64 ts, dt;
	__u32 seed;
	long conns;
};

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-n EVENTS] [-w WINDOW] [-b BASE] [-r RATE] [-c CPU]\n"
		"Time sockwatch's event pipeline (decode, socket table, detectors)\n"
		"on a synthetic event stream, on one core.\n\n"
		"  -n, --events=EVENTS  events in the timed stream (default 5000000)\n"
		"  -w, --window=N       connections in flight at once (default 1000)\n"
		"  -b, --base=N         long-lived sockets in the table (default 10000)\n"
		"  -r, --rate=N         events per second of event time, which sets\n"
		"                       how often the detectors run (default 100000)\n"
		"  -c, --cpu=CPU        core to pin to (default: the last one)\n"
		"  -F, --format         time JSON formatting and writing (trace --json)\n"
		"  -h, --help           this help\n", prog);
}

static __u32 rnd(struct gen *g)
{
	/* xorshift32: cheap, and the same stream on every run */
	g->seed ^= g->seed << 13;
	g->seed ^= g->seed >> 17;
	g->seed ^= g->seed << 5;
	return g->seed;
}

static void set_addr(__u8 a[16], __u32 host_order)
{
	memset(a, 0, 16);
	a[0] = host_order >> 24;
	a[1] = host_order >> 16;
	a[2] = host_order >> 8;
	a[3] = host_order;
}

/* Append one event for cookie sock, owned by pid (0: owner unknown). */
static struct sw_event *emit(struct gen *g, __u8 kind, __u64 sock, __u32 pid,
			     __u8 proto, __u8 old_state, __u8 new_state)
{
	struct sw_event *e = &g->ev[g->n++];

	memset(e, 0, sizeof(*e));
	e->version = SW_ABI_VERSION;
	e->kind = kind;
	e->family = AF_INET;
	e->proto = proto;
	e->old_state = old_state;
	e->new_state = new_state;
	e->sock = sock;
	e->ts_ns = g->ts;
	g->ts += g->dt;
	e->netns = 4026531840u;
	if (pid) {
		e->flags |= SW_F_OWNER_KNOWN;
		e->pid = pid;
		e->tid = pid;
		e->cgroup_id = 1000 + pid % 4;
		snprintf(e->comm, sizeof(e->comm), pid == SERVER_PID ? "server" : "client-%u",
			 pid % CLIENT_PIDS);
	}
	return e;
}

/* Endpoints seen from the client (server = 0) or from the server. */
static void endpoints(struct sw_event *e, const struct conn *c, int server)
{
	__u32 client_ip = 0x7f000000 | (2 + c->pid % CLIENT_PIDS);

	set_addr(server ? e->raddr : e->laddr, client_ip);
	set_addr(server ? e->laddr : e->raddr, 0x7f000001);
	e->lport = server ? SERVER_PORT : c->port;
	e->rport = server ? c->port : SERVER_PORT;
}

static void tcp_step(struct gen *g, const struct conn *c)
{
	const __u8 T = IPPROTO_TCP;
	struct sw_event *e;

	switch (c->step) {
	case 0:
		e = emit(g, SW_EV_CREATE, c->client, c->pid, T, 0, SW_TCP_CLOSE);
		e->flags |= SW_F_BIRTH_KNOWN;
		e->birth_ns = e->ts_ns;
		return;
	case 1:
		endpoints(emit(g, SW_EV_CONNECT, c->client, c->pid, T, 0, SW_TCP_CLOSE), c, 0);
		return;
	case 2:
		endpoints(emit(g, SW_EV_STATE, c->client, c->pid, T, SW_TCP_CLOSE, SW_TCP_SYN_SENT), c, 0);
		return;
	case 3:	/* the listener's child, in softirq: owner unknown */
		endpoints(emit(g, SW_EV_STATE, c->server, 0, T, SW_TCP_SYN_RECV, SW_TCP_ESTABLISHED), c, 1);
		return;
	case 4:
		endpoints(emit(g, SW_EV_STATE, c->client, c->pid, T, SW_TCP_SYN_SENT, SW_TCP_ESTABLISHED), c, 0);
		return;
	case 5:
		e = emit(g, SW_EV_ACCEPT, c->server, SERVER_PID, T, 0, SW_TCP_ESTABLISHED);
		e->flags |= SW_F_ACCEPTED;
		endpoints(e, c, 1);
		return;
	case 6:
		e = emit(g, SW_EV_CLOSE, c->client, c->pid, T, 0, SW_TCP_ESTABLISHED);
		e->flags |= SW_F_BYTES;
		e->tx_bytes = 64;
		e->rx_bytes = 1024;
		return;
	case 7:
		emit(g, SW_EV_STATE, c->client, c->pid, T, SW_TCP_ESTABLISHED, SW_TCP_FIN_WAIT1);
		return;
	case 8:
		emit(g, SW_EV_STATE, c->server, SERVER_PID, T, SW_TCP_ESTABLISHED, SW_TCP_CLOSE_WAIT);
		return;
	case 9:
		emit(g, SW_EV_STATE, c->client, 0, T, SW_TCP_FIN_WAIT1, SW_TCP_FIN_WAIT2);
		return;
	case 10:
		emit(g, SW_EV_CLOSE, c->server, SERVER_PID, T, 0, SW_TCP_CLOSE_WAIT);
		return;
	case 11:
		emit(g, SW_EV_STATE, c->server, 0, T, SW_TCP_CLOSE_WAIT, SW_TCP_LAST_ACK);
		return;
	case 12:
		emit(g, SW_EV_STATE, c->server, 0, T, SW_TCP_LAST_ACK, SW_TCP_CLOSE);
		return;
	case 13:
		emit(g, SW_EV_STATE, c->client, 0, T, SW_TCP_FIN_WAIT2, SW_TCP_CLOSE);
		return;
	}
}

static void udp_step(struct gen *g, const struct conn *c)
{
	const __u8 U = IPPROTO_UDP;
	struct sw_event *e;

	switch (c->step) {
	case 0:
		e = emit(g, SW_EV_CREATE, c->client, c->pid, U, 0, SW_TCP_NONE);
		e->flags |= SW_F_BIRTH_KNOWN;
		e->birth_ns = e->ts_ns;
		return;
	case 1:
		e = emit(g, SW_EV_BIND, c->client, c->pid, U, 0, SW_TCP_NONE);
		set_addr(e->laddr, 0x7f000001);
		e->lport = c->port;
		return;
	case 2:
		endpoints(emit(g, SW_EV_CONNECT, c->client, c->pid, U, 0, SW_TCP_NONE), c, 0);
		return;
	case 3:
		emit(g, SW_EV_CLOSE, c->client, c->pid, U, 0, SW_TCP_NONE);
		return;
	}
}

static void conn_start(struct gen *g, struct conn *c, int tcp_only)
{
	int udp = !tcp_only && g->conns % 8 == 7;

	g->conns++;
	c->client = g->next_cookie++;
	c->server = udp ? 0 : g->next_cookie++;
	c->pid = 1000 + rnd(g) % CLIENT_PIDS;
	c->port = 32768 + g->conns % 28000;
	c->step = 0;
	c->nsteps = udp ? UDP_EVENTS : TCP_EVENTS;
}

static void conn_step(struct gen *g, struct conn *c)
{
	if (c->server)
		tcp_step(g, c);
	else
		udp_step(g, c);
	c->step++;
}

/* Long-lived connections: only their first six events, so they stay. */
static void gen_base(struct gen *g, long sockets)
{
	struct conn c;
	long i;

	for (i = 0; i < sockets / 2; i++) {
		conn_start(g, &c, 1);
		while (c.step < 6)
			conn_step(g, &c);
	}
}

/* The timed stream: window connections in flight, events interleaved. */
static int gen_stream(struct gen *g, long events, long window)
{
	struct conn *w = calloc(window, sizeof(*w));
	long i;

	if (!w)
		return -1;
	for (i = 0; i < window; i++)
		conn_start(g, &w[i], 0);
	while (g->n < events) {
		struct conn *c = &w[rnd(g) % window];

		conn_step(g, c);
		if (c->step == c->nsteps)
			conn_start(g, c, 0);
	}
	free(w);
	return 0;
}

static int gen_alloc(struct gen *g, long n)
{
	g->cap = n;
	g->n = 0;
	g->ev = calloc(n, sizeof(*g->ev));
	return g->ev ? 0 : -1;
}

struct pipeline {
	struct sw_table *t;
	struct sw_detectors *d;
	__u64 next_tick;
	long bad;
	long ticks;
	double tick_s;		/* of the timed loop, spent in ticks */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The loop under test: what the agent does with each ring-buffer record. */
static void feed(struct pipeline *p, const struct sw_event *ev, long n)
{
	const struct sw_event *e;
	struct sw_event dec, copy;
	const char *why;
	long i;

	for (i = 0; i < n; i++) {
		/* as loader.c's on_sample: decode into the reader's copy */
		if (sw_decode(&ev[i], sizeof(ev[i]), &dec, &why)) {
			p->bad++;
			continue;
		}
		/* as agent.c's on_event */
		e = sw_table_ingest(p->t, &dec, &copy);
		if (e->ts_ns >= p->next_tick) {
			/* Rare (once per second of event time): timing them
			 * apart costs nothing and tells where the time goes. */
			double t0 = now_s();

			p->next_tick = sw_detectors_tick(p->d, p->t, e->ts_ns);
			p->tick_s += now_s() - t0;
			p->ticks++;
		}
	}
}

/* CPU time of this thread: on a shared machine, wall time counts others. */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* trace --json's loop: one JSON line per record, written to /dev/null. */
static int format_stream(const struct sw_event *ev, long n)
{
	struct sw_event_printer pr;
	FILE *out = fopen("/dev/null", "w");
	double t0, dt;
	long i;

	if (!out) {
		perror("pipeline_bench: /dev/null");
		return 1;
	}
	sw_event_printer_init(&pr, out, true);
	t0 = cpu_s();
	for (i = 0; i < n; i++)
		sw_event_print(&pr, &ev[i]);
	fflush(out);
	dt = cpu_s() - t0;
	sw_event_printer_free(&pr);
	fclose(out);
	printf("format: %ld events in %.6f s of CPU: %.1f ns/event (JSON line, formatted and written)\n",
	       n, dt, dt * 1e9 / n);
	return 0;
}

static int pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		cpu = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "pipeline_bench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return -1;
	}
	return cpu;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "events", required_argument, NULL, 'n' },
		{ "window", required_argument, NULL, 'w' },
		{ "base",   required_argument, NULL, 'b' },
		{ "rate",   required_argument, NULL, 'r' },
		{ "cpu",    required_argument, NULL, 'c' },
		{ "format", no_argument,       NULL, 'F' },
		{ "help",   no_argument,       NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "n:w:b:r:c:Fh", lopts, NULL)) != -1) {
		switch (c) {
		case 'n': o->events = strtol(optarg, NULL, 10); break;
		case 'w': o->window = strtol(optarg, NULL, 10); break;
		case 'b': o->base = strtol(optarg, NULL, 10); break;
		case 'r': o->rate = strtol(optarg, NULL, 10); break;
		case 'c': o->cpu = atoi(optarg); break;
		case 'F': o->format = 1; break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			return -1;
		}
	}
	if (optind != argc || o->events <= 0 || o->window <= 0 || o->base < 0 ||
	    o->rate <= 0) {
		usage(stderr, argv[0]);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .events = 5000000, .window = 1000, .base = 10000,
			  .rate = 100000, .cpu = -1 };
	struct gen base = { .seed = 2463534242u, .next_cookie = 1, .ts = 1000000000ull };
	struct gen g = { 0 };
	struct pipeline p = { 0 };
	struct sw_det_hooks hooks = { 0 };
	struct sw_config *cfg;
	double t0, dt;
	int cpu, err = 1;

	if (parse_opts(argc, argv, &o))
		return 2;
	cpu = pin(o.cpu);
	if (cpu < 0)
		return 1;
	base.dt = 1000000000ull / o.rate;
	cfg = calloc(1, sizeof(*cfg));	/* large: PATH_MAX and lists */
	if (!cfg || gen_alloc(&base, o.base / 2 * 6 + 1))
		goto out;
	sw_config_defaults(cfg);
	sw_clock_init();
	gen_base(&base, o.base);
	/* The stream continues the base's cookies and clock. */
	g = base;
	if (gen_alloc(&g, o.events + TCP_EVENTS) || gen_stream(&g, o.events, o.window))
		goto out;

	if (o.format) {
		err = format_stream(g.ev, g.n);
		goto out;
	}
	p.t = sw_table_new(o.base + 2 * o.window);
	p.d = sw_detectors_new(cfg, &hooks);
	if (!p.t || !p.d) {
		fprintf(stderr, "pipeline_bench: cannot create the table or the detectors\n");
		goto out;
	}
	feed(&p, base.ev, base.n);	/* untimed: the long-lived sockets */
	p.ticks = 0;
	p.tick_s = 0;

	t0 = now_s();
	feed(&p, g.ev, g.n);
	dt = now_s() - t0;

	if (p.bad) {
		fprintf(stderr, "pipeline_bench: %ld records refused by sw_decode\n", p.bad);
		goto out;
	}
	printf("pipeline: %ld events in %.6f s: %.1f ns/event, %.0f events/s "
	       "(detector ticks %.1f ns/event of it, %ld ticks; cpu %d, "
	       "%zu sockets in table at the end)\n",
	       g.n, dt, dt * 1e9 / g.n, g.n / dt, p.tick_s * 1e9 / g.n, p.ticks,
	       cpu, sw_table_count(p.t));
	err = 0;
out:
	if (p.d)
		sw_detectors_free(p.d);
	if (p.t)
		sw_table_free(p.t);
	free(g.ev);
	free(base.ev);
	free(cfg);
	return err;
}

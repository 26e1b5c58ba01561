// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch trace: stream socket lifecycle events, one per line.
 *
 * The live table is kept here too: it supplies the owner of sockets that
 * predate sockwatch (their kernel-side storage has none) and the age of
 * each socket.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "cmd/commands.h"
#include "table/decode.h"
#include "cmd/trace_output.h"
#include "kernel/loader.h"
#include "table/snapshot.h"
#include "table/sock_table.h"
#include "table/workload.h"
#include "cmd/cli.h"
#include "agent/config.h"
#include "lib/quote.h"

struct trace_opts {
	struct sw_event_filter f;
	struct sw_workload_filter wf;	/* --unit, --container, --pod-uid */
	struct sw_loader_opts lo;
	__u64 duration_ns;	/* 0: until interrupted */
	bool json;
	bool snapshot;
	bool workload;		/* --workload: the WORKLOAD column */
};

struct trace_run {
	struct trace_opts *o;
	struct sw_table *table;
	struct sw_workloads *wl;	/* NULL: identities not needed */
	struct sw_event_printer pr;
	__u64 seen;		/* events printed */
	__u64 deadline_ns;
};

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

enum {
	OPT_PORT = 1000, OPT_TCP, OPT_UDP, OPT_STATE, OPT_SNAPSHOT,
	OPT_RING, OPT_JSON, OPT_WORKLOAD, OPT_UNIT, OPT_CONTAINER, OPT_POD_UID,
	OPT_EVENT_BUFFER,
};

static const struct argp_option options[] = {
	{ "pid", 'p', "PID", 0, "Trace this process only", 0 },
	{ "comm", 'c', "COMM", 0, "Trace processes with this command name only", 0 },
	{ "port", OPT_PORT, "PORT", 0, "Only sockets with this local or remote port", 0 },
	{ "ipv4", '4', NULL, 0, "IPv4 only", 0 },
	{ "ipv6", '6', NULL, 0, "IPv6 only", 0 },
	{ "tcp", OPT_TCP, NULL, 0, "TCP only", 0 },
	{ "udp", OPT_UDP, NULL, 0, "UDP only", 0 },
	{ "state", OPT_STATE, "STATE", 0, "Only events that enter this TCP state (e.g. CLOSE_WAIT)", 0 },
	{ "duration", 'd', "SECONDS", 0, "Stop after this many seconds", 0 },
	{ "json", OPT_JSON, NULL, 0, "JSON lines instead of text columns", 0 },
	{ "snapshot", OPT_SNAPSHOT, NULL, 0, "First print the sockets that already exist", 0 },
	{ "workload", OPT_WORKLOAD, NULL, 0, "Add a WORKLOAD column: container, systemd unit or cgroup", 0 },
	{ "unit", OPT_UNIT, "UNIT", 0, "Only sockets of this systemd unit (e.g. nginx.service)", 0 },
	{ "container", OPT_CONTAINER, "ID|NAME", 0, "Only sockets of this container (id prefix or name)", 0 },
	{ "pod-uid", OPT_POD_UID, "UID", 0, "Only sockets of this Kubernetes pod", 0 },
	{ "ring-size", OPT_RING, "BYTES", 0, "Ring buffer size (power of two, default 4194304)", 0 },
	{ "event-buffer", OPT_EVENT_BUFFER, "ring|shared-ring|perf", 0, "Records through a BPF ring buffer per CPU (default), one shared by all CPUs, or a perf buffer per CPU; as large together", 0 },
	{ "verbose", 'v', NULL, 0, "Print libbpf's messages", 0 },
	{ 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char q[SW_QUOTE_LEN];
	struct trace_opts *o = state->input;
	char err[128];
	__u64 v, ns;

	switch (key) {
	case 'p':
		if (sw_parse_u64(arg, 1, INT_MAX, &v, err, sizeof(err)))
			sw_arg_fail(state, "invalid pid: %s", err);
		o->f.pid = v;
		o->lo.filter.tgid = v;
		break;
	case 'c':
		if (!*arg || strlen(arg) >= SW_COMM_LEN)
			sw_arg_fail(state, "invalid comm %s: 1 to %d characters", sw_quote(q, sizeof(q), arg), SW_COMM_LEN - 1);
		snprintf(o->f.comm, sizeof(o->f.comm), "%s", arg);
		break;
	case OPT_PORT:
		if (sw_parse_u64(arg, 1, 65535, &v, err, sizeof(err)))
			sw_arg_fail(state, "invalid port: %s", err);
		o->f.port = v;
		break;
	case '4':
		o->lo.filter.family = AF_INET;
		break;
	case '6':
		o->lo.filter.family = AF_INET6;
		break;
	case OPT_TCP:
		o->lo.filter.proto = IPPROTO_TCP;
		break;
	case OPT_UDP:
		o->lo.filter.proto = IPPROTO_UDP;
		break;
	case OPT_STATE:
		o->f.state = sw_tcp_state_parse(arg);
		if (o->f.state <= 0)
			sw_arg_fail(state, "invalid state %s: expected a TCP state such as ESTABLISHED or CLOSE_WAIT", sw_quote(q, sizeof(q), arg));
		break;
	case 'd':
		if (sw_parse_seconds(arg, &ns, err, sizeof(err)) || !ns)
			sw_arg_fail(state, "invalid duration %s: expected a positive number of seconds", sw_quote(q, sizeof(q), arg));
		o->duration_ns = ns;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_SNAPSHOT:
		o->snapshot = true;
		break;
	case OPT_RING:
		if (sw_parse_u64(arg, 4096, 1UL << 30, &v, err, sizeof(err)) || (v & (v - 1)))
			sw_arg_fail(state, "invalid ring size %s: a power of two from 4096 to 1073741824", sw_quote(q, sizeof(q), arg));
		o->lo.ring_bytes = v;
		break;
	case OPT_EVENT_BUFFER:
		if (sw_event_buffer_parse(arg, &o->lo.buffer))
			sw_arg_fail(state, "invalid event buffer %s: expected ring, shared-ring or perf", sw_quote(q, sizeof(q), arg));
		break;
	case OPT_WORKLOAD:
		o->workload = true;
		break;
	case OPT_UNIT:
	case OPT_CONTAINER:
	case OPT_POD_UID:
		if (sw_workload_filter_set(&o->wf, key == OPT_UNIT ? "unit" :
					   key == OPT_CONTAINER ? "container" : "pod-uid",
					   arg, err, sizeof(err)))
			sw_arg_fail(state, "%s", err);
		break;
	case 'v':
		o->lo.verbose = true;
		break;
	case ARGP_KEY_ARG:
		sw_arg_fail(state, "unexpected argument %s", sw_quote(q, sizeof(q), arg));
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Stream the lifecycle events of every TCP and UDP socket on this machine.\v"
	"Events: create, bind, listen, connect, accept, state, close (and snapshot "
	"with --snapshot). Ctrl-C stops and prints a summary to stderr.",
};

/* Filter, then print, with the owner's workload when it is asked for. */
static bool emit(struct trace_run *r, const struct sw_event *e)
{
	const struct sw_workload *w = NULL;

	if (!sw_event_match(&r->o->f, e))
		return false;
	if (r->wl && (e->flags & SW_F_OWNER_KNOWN))
		w = sw_workloads_lookup(r->wl, e->cgroup_id, e->pid);
	if (!sw_workload_match(&r->o->wf, w))
		return false;
	sw_event_print_wl(&r->pr, e, w);
	return true;
}

static int on_event(void *ctx, const struct sw_event *e)
{
	struct trace_run *r = ctx;
	struct sw_event copy;

	e = sw_table_ingest(r->table, e, &copy);
	if (emit(r, e))
		r->seen++;
	return 0;
}

static int print_snapshot(void *ctx, const struct sw_sock *s, int owner_fd)
{
	struct trace_run *r = ctx;
	struct sw_event e;

	sw_event_from_sock(&e, s, SW_EV_SNAPSHOT, sw_mono_now());
	emit(r, &e);
	return 0;
}

/* Identities cost a lookup per new cgroup: only when printed or filtered. */
static void workloads_start(struct trace_run *r, struct sw_loader *l)
{
	const struct trace_opts *o = r->o;

	if (!o->json && !o->workload && sw_workload_filter_empty(&o->wf))
		return;
	r->wl = sw_workloads_new(sw_loader_plan(l)->cgroup_path, "/");
	if (!r->wl)
		fprintf(stderr, "sockwatch: warning: cannot open the cgroup v2 hierarchy %s: workloads will be unknown\n",
			sw_loader_plan(l)->cgroup_path);
	r->pr.workload_column = o->workload && !o->json;
	r->pr.workload_json = o->json;
}

static int run(struct trace_run *r, struct sw_loader *l)
{
	int n;

	while (!exiting) {
		n = sw_loader_poll(l);
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "sockwatch: reading the event buffer failed: %s\n",
				strerror(-n));
			return 1;
		}
		fflush(stdout);
		if (r->deadline_ns && sw_mono_now() >= r->deadline_ns)
			break;
	}
	sw_loader_drain_all(l);
	fflush(stdout);
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	/* 4 MiB: printing costs ~1 us an event, so trace needs more slack
	 * than the agent to ride out a burst (see README, Performance) */
	struct trace_opts o = { .f.state = -1, .lo.ring_bytes = 4 << 20 };
	struct trace_run r = { .o = &o };
	struct sw_loader *l;
	__u64 events, drops;
	int rc;

	if (argp_parse(&argp, argc, argv, 0, NULL, &o))
		return 64;
	if (sw_check_privileges())
		return 1;
	sw_clock_init();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	r.table = sw_table_new(0);
	if (!r.table)
		return 1;
	sw_event_printer_init(&r.pr, stdout, o.json);
	l = sw_loader_start(&o.lo, on_event, &r);
	if (!l) {
		sw_table_free(r.table);
		return 1;
	}
	workloads_start(&r, l);
	/* Snapshot after attaching: a socket made in between is seen twice
	 * (snapshot and event), never zero times. */
	if (sw_snapshot_load(r.table, o.snapshot ? print_snapshot : NULL, &r) < 0)
		fprintf(stderr, "sockwatch: warning: the snapshot of existing sockets failed; their owners will be unknown\n");
	if (!o.json)
		sw_event_print_header(&r.pr);
	fprintf(stderr, "sockwatch: tracing, Ctrl-C to stop\n");
	if (o.duration_ns)
		r.deadline_ns = sw_mono_now() + o.duration_ns;

	rc = run(&r, l);
	sw_loader_counters(l, &events, &drops);
	sw_loader_stop(l);
	fprintf(stderr, "sockwatch: %llu events seen, %llu printed, %llu dropped\n",
		(unsigned long long)events, (unsigned long long)r.seen,
		(unsigned long long)drops);
	sw_event_printer_free(&r.pr);
	sw_workloads_free(r.wl);
	sw_table_free(r.table);
	return rc;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch ports [RANGE] [--all] [--json]
 * sockwatch ports --free RANGE
 * sockwatch ports --allocate RANGE --service NAME [--purpose TEXT]
 *                 [--prefer PORT] [--pid PID] [--force] [--state FILE]
 * sockwatch ports --release PORT | --release-service NAME [--state FILE]
 * sockwatch ports --allocations [--json] [--state FILE]
 *
 * Exit codes: 0 done (for --free: a port was found and printed), 1 no
 * free port in the range (or nothing to release), 2 allocation refused
 * by a critical check, 64 usage error, 3 the listing or the state file
 * failed.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include "cmd/commands.h"
#include "table/decode.h"
#include "lib/json_writer.h"
#include "lib/portrange.h"
#include "health/ports.h"
#include "table/procfs.h"
#include "cmd/ports_registry.h"
#include "health/port_registry.h"

#define EXIT_NONE_FREE	1
#define EXIT_USAGE	64
#define EXIT_FAILED	3
#define CMDLINE_MAX	256

struct ports_opts {
	struct sw_portrange range;
	bool have_range, all, json, free;
	/* the registry */
	bool allocate, allocations, have_pid;
	__u16 release;
	const char *release_service;
	struct sw_alloc_opts alloc;
	char why[SW_PORT_WHY_LEN + 32];
};

enum { OPT_ALLOCATE = 0x100, OPT_SERVICE, OPT_PURPOSE, OPT_PREFER, OPT_PID,
       OPT_FORCE, OPT_RELEASE, OPT_RELEASE_SERVICE, OPT_ALLOCATIONS, OPT_STATE };

static const struct argp_option options[] = {
	{ "free", 'f', "RANGE", 0, "Print the lowest free port of RANGE that a test bind accepts" },
	{ "all", 'a', NULL, 0, "Also list local ports of connections (not only listeners and bound sockets)" },
	{ "json", 'j', NULL, 0, "Print JSON" },
	{ "allocate", OPT_ALLOCATE, "RANGE", 0, "Lease a free port of RANGE to --service and print it" },
	{ "service", OPT_SERVICE, "NAME", 0, "The service the port is leased to" },
	{ "purpose", OPT_PURPOSE, "TEXT", 0, "What the service uses the port for" },
	{ "prefer", OPT_PREFER, "PORT", 0, "This port if it is free" },
	{ "pid", OPT_PID, "PID", 0, "The process holding the lease (default: the caller's parent)" },
	{ "force", OPT_FORCE, NULL, 0, "Allocate even when a check is critical" },
	{ "release", OPT_RELEASE, "PORT", 0, "Release the lease of PORT" },
	{ "release-service", OPT_RELEASE_SERVICE, "NAME", 0, "Release every lease of service NAME" },
	{ "allocations", OPT_ALLOCATIONS, NULL, 0, "List the leases, with who binds each port now" },
	{ "state", OPT_STATE, "FILE", 0, "The registry's state file (default " SW_REGISTRY_DEFAULT ")" },
	{ 0 }
};

static error_t set_range(struct ports_opts *o, const char *what, const char *arg)
{
	char why[SW_PORT_WHY_LEN];

	if (o->have_range) {
		snprintf(o->why, sizeof(o->why), "only one RANGE may be given");
		return EINVAL;
	}
	if (sw_portrange_parse(arg, &o->range, why)) {
		snprintf(o->why, sizeof(o->why), "%s%s", what, why);
		return EINVAL;
	}
	o->have_range = true;
	return 0;
}

/* A text option: printable, and short enough for the lease. */
static error_t set_text(struct ports_opts *o, const char *what, const char *arg,
			size_t max, const char **dst)
{
	const char *p;

	for (p = arg; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(o->why, sizeof(o->why), "%s: control character 0x%02x",
				 what, (unsigned char)*p);
			return EINVAL;
		}
	}
	if (!*arg || strlen(arg) >= max) {
		snprintf(o->why, sizeof(o->why), "%s: want 1 to %zu characters", what, max - 1);
		return EINVAL;
	}
	*dst = arg;
	return 0;
}

static error_t parse_port_opt(struct ports_opts *o, const char *what,
			      const char *arg, __u16 *port)
{
	char why[SW_PORT_WHY_LEN];

	if (!sw_port_parse(arg, false, port, why))
		return 0;
	snprintf(o->why, sizeof(o->why), "%s: %s", what, why);
	return EINVAL;
}

static error_t parse_registry_opt(int key, char *arg, struct ports_opts *o)
{
	struct sw_alloc_opts *a = &o->alloc;
	char why[SW_PORT_WHY_LEN];
	char *end;
	long pid;

	switch (key) {
	case OPT_ALLOCATE:
		if (sw_portrange_parse(arg, &a->range, why)) {
			snprintf(o->why, sizeof(o->why), "--allocate: %s", why);
			return EINVAL;
		}
		o->allocate = true;
		return 0;
	case OPT_SERVICE:
		return set_text(o, "--service", arg, SW_LEASE_SERVICE_LEN, &a->service);
	case OPT_PURPOSE:
		return set_text(o, "--purpose", arg, SW_LEASE_PURPOSE_LEN, &a->purpose);
	case OPT_PREFER:
		return parse_port_opt(o, "--prefer", arg, &a->prefer);
	case OPT_PID:
		errno = 0;
		pid = strtol(arg, &end, 10);
		if (errno || *end || end == arg || pid < 1 || pid > 0x7fffffff) {
			snprintf(o->why, sizeof(o->why), "--pid: '%.20s' is not a process id", arg);
			return EINVAL;
		}
		a->pid = (__u32)pid;
		return 0;
	case OPT_FORCE:
		a->force = true;
		return 0;
	case OPT_RELEASE:
		return parse_port_opt(o, "--release", arg, &o->release);
	case OPT_RELEASE_SERVICE:
		return set_text(o, "--release-service", arg, SW_LEASE_SERVICE_LEN,
				&o->release_service);
	case OPT_ALLOCATIONS:
		o->allocations = true;
		return 0;
	case OPT_STATE:
		a->state = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct ports_opts *o = state->input;

	switch (key) {
	case 'f':
		o->free = true;
		return set_range(o, "--free: ", arg);
	case 'a':
		o->all = true;
		return 0;
	case 'j':
		o->json = true;
		return 0;
	case ARGP_KEY_ARG:
		return set_range(o, "RANGE: ", arg);
	default:
		return parse_registry_opt(key, arg, o);
	}
}

static const struct argp argp = {
	options, parse_opt, "[RANGE]",
	"List who holds the ports of RANGE (N or N-M; default all), find a free one, "
	"or lease one to a service (--allocate: the port registry).\v"
	"Exit status: 0 done, 1 no free port (--free, --allocate) or nothing to "
	"release, 2 allocation refused by a critical check, 64 usage error, "
	"3 failure (the listing, the state file).",
};

/* What ps would say about the holder: command line and start time. */
struct holder_info {
	char cmdline[CMDLINE_MAX];
	char since[SW_TIME_STRLEN];
};

static void holder_info(__u32 pid, struct holder_info *h)
{
	time_t t;

	h->cmdline[0] = h->since[0] = '\0';
	if (!pid)
		return;
	sw_proc_cmdline((pid_t)pid, h->cmdline, sizeof(h->cmdline));
	/* whole seconds: the start time has clock-tick precision at best */
	if (!sw_proc_start_time((pid_t)pid, &t))
		strftime(h->since, sizeof(h->since), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
}

static const char *state_of(const struct sw_port_ent *e)
{
	return e->proto == IPPROTO_UDP ? "UNCONN" : sw_tcp_state_name(e->state);
}

static void print_text(const struct sw_port_list *l)
{
	char addr[SW_ADDR_STRLEN];
	struct holder_info h;
	size_t i;

	printf("%-5s %-5s %-39s %-11s %-7s %-15s %-20s %s\n", "PORT", "PROTO",
	       "ADDRESS", "STATE", "PID", "COMM", "SINCE", "COMMAND");
	for (i = 0; i < l->n; i++) {
		const struct sw_port_ent *e = &l->v[i];

		sw_fmt_addr(addr, e->family, e->addr);
		holder_info(e->pid, &h);
		printf("%-5u %-5s %-39s %-11s %-7u %-15s %-20.20s %s%s\n", e->port,
		       sw_proto_name(e->proto), addr, state_of(e), e->pid,
		       e->pid ? e->comm : "-", h.since[0] ? h.since : "-", h.cmdline,
		       e->all_interfaces ? "  [all interfaces]" : "");
	}
}

static void print_json(const struct sw_port_list *l)
{
	char addr[SW_ADDR_STRLEN];
	struct holder_info h;
	struct sw_json j;
	size_t i;

	sw_json_init(&j);
	sw_json_obj_begin(&j);
	sw_json_key(&j, "ports");
	sw_json_arr_begin(&j);
	for (i = 0; i < l->n; i++) {
		const struct sw_port_ent *e = &l->v[i];

		sw_fmt_addr(addr, e->family, e->addr);
		holder_info(e->pid, &h);
		sw_json_obj_begin(&j);
		sw_json_kuint(&j, "port", e->port);
		sw_json_kstr(&j, "proto", sw_proto_name(e->proto));
		sw_json_kstr(&j, "family", sw_family_name(e->family));
		sw_json_kstr(&j, "address", addr);
		sw_json_kbool(&j, "all_interfaces", e->all_interfaces);
		sw_json_kstr(&j, "state", state_of(e));
		sw_json_kuint(&j, "sockets", e->nsock);
		sw_json_kuint(&j, "netns", e->netns);
		if (e->pid) {
			sw_json_kuint(&j, "pid", e->pid);
			sw_json_kstr(&j, "comm", e->comm);
			sw_json_kstr(&j, "cmdline", h.cmdline);
			sw_json_kstr(&j, "since", h.since);
		} else {
			sw_json_knull(&j, "pid");
		}
		sw_json_obj_end(&j);
	}
	sw_json_arr_end(&j);
	sw_json_obj_end(&j);
	puts(sw_json_cstr(&j));
	sw_json_free(&j);
}

static int find_free(const struct sw_portrange *r, bool json)
{
	__u16 port;
	int ret = sw_port_find_free(r, &port);

	if (ret == -ENOENT) {
		fprintf(stderr, "sockwatch ports: no free port in %u-%u\n", r->lo, r->hi);
		return EXIT_NONE_FREE;
	}
	if (ret < 0) {
		fprintf(stderr, "sockwatch ports: %s\n", strerror(-ret));
		return EXIT_FAILED;
	}
	if (json)
		printf("{\"free\":%u}\n", port);
	else
		printf("%u\n", port);
	return 0;
}

static int registry_mode(const struct ports_opts *o)
{
	return o->allocate + o->allocations + !!o->release + !!o->release_service;
}

static int registry_run(struct ports_opts *o)
{
	struct sw_alloc_opts *a = &o->alloc;

	if (!a->state)
		a->state = SW_REGISTRY_DEFAULT;
	a->json = o->json;
	if (registry_mode(o) > 1 || o->free || o->have_range) {
		fprintf(stderr, "sockwatch ports: give one of --allocate, --release, --release-service, --allocations\n");
		return EXIT_USAGE;
	}
	if (o->allocate && !a->service) {
		fprintf(stderr, "sockwatch ports: --allocate needs --service NAME\n");
		return EXIT_USAGE;
	}
	if (o->allocate)
		return sw_ports_allocate(a);
	if (o->allocations)
		return sw_ports_allocations(a->state, o->json);
	return sw_ports_release(a->state, o->release, o->release_service);
}

int cmd_ports(int argc, char **argv)
{
	struct ports_opts o = { .range = { 1, 65535 } };
	struct sw_port_list l;
	int ret;

	if (argp_parse(&argp, argc, argv, 0, NULL, &o)) {
		fprintf(stderr, "sockwatch ports: %s\n", o.why[0] ? o.why : "invalid arguments");
		return EXIT_USAGE;
	}
	if (registry_mode(&o))
		return registry_run(&o);
	if (o.free)
		return find_free(&o.range, o.json);
	ret = sw_ports_collect(&o.range, o.all, &l);
	if (ret < 0) {
		fprintf(stderr, "sockwatch ports: %s\n", strerror(-ret));
		return EXIT_FAILED;
	}
	if (o.json)
		print_json(&l);
	else
		print_text(&l);
	sw_port_list_free(&l);
	return 0;
}

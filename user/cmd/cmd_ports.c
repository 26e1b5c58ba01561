// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch ports [RANGE] [--all] [--json]
 * sockwatch ports --free RANGE
 *
 * Exit codes: 0 done (for --free: a port was found and printed), 1 no
 * free port in the range, 64 usage error, 3 the listing failed.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include "cmd/commands.h"
#include "table/decode.h"
#include "lib/json_writer.h"
#include "lib/portrange.h"
#include "health/ports.h"
#include "table/procfs.h"

#define EXIT_NONE_FREE	1
#define EXIT_USAGE	64
#define EXIT_FAILED	3
#define CMDLINE_MAX	256

struct ports_opts {
	struct sw_portrange range;
	bool have_range, all, json, free;
	char why[SW_PORT_WHY_LEN + 32];
};

static const struct argp_option options[] = {
	{ "free", 'f', "RANGE", 0, "Print the lowest free port of RANGE that a test bind accepts" },
	{ "all", 'a', NULL, 0, "Also list local ports of connections (not only listeners and bound sockets)" },
	{ "json", 'j', NULL, 0, "Print JSON" },
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
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, "[RANGE]",
	"List who holds the ports of RANGE (N or N-M; default all), or find a free one.\v"
	"Exit status: 0 done, 1 no free port (--free), 64 usage error, 3 failure.",
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

int cmd_ports(int argc, char **argv)
{
	struct ports_opts o = { .range = { 1, 65535 } };
	struct sw_port_list l;
	int ret;

	if (argp_parse(&argp, argc, argv, 0, NULL, &o)) {
		fprintf(stderr, "sockwatch ports: %s\n", o.why[0] ? o.why : "invalid arguments");
		return EXIT_USAGE;
	}
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

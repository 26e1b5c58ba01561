// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch health [--port N] [--json] [--config FILE]
 *
 * Exit codes: 0 healthy, 1 warning, 2 critical (the report's status);
 * 64 usage or configuration error; 3 the checks could not run.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"
#include "agent/config.h"
#include "health/health.h"
#include "lib/json_writer.h"
#include "lib/portrange.h"
#include "lib/quote.h"

#define EXIT_USAGE	64
#define EXIT_FAILED	3

struct health_opts {
	int port;
	bool json;
	const char *config;
	char why[SW_PORT_WHY_LEN + 32];
};

static const struct argp_option options[] = {
	{ "port", 'p', "N", 0, "Also check port N: can it be bound, who holds it, TIME_WAIT on it" },
	{ "json", 'j', NULL, 0, "Print the report as JSON" },
	{ "config", 'c', "FILE", 0, "Thresholds from the [health] section of FILE" },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char q[SW_QUOTE_LEN];
	struct health_opts *o = state->input;
	char why[SW_PORT_WHY_LEN];
	__u16 port;

	switch (key) {
	case 'p':
		if (sw_port_parse(arg, false, &port, why)) {
			snprintf(o->why, sizeof(o->why), "--port: %s", why);
			return EINVAL;
		}
		o->port = port;
		return 0;
	case 'j':
		o->json = true;
		return 0;
	case 'c':
		o->config = arg;
		return 0;
	case ARGP_KEY_ARG:
		snprintf(o->why, sizeof(o->why), "unexpected argument %s", sw_quote(q, sizeof(q), arg));
		return EINVAL;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Run the network health checks once.\v"
	"Exit status: 0 healthy, 1 warning, 2 critical, 64 usage or "
	"configuration error, 3 the checks could not run.",
};

static int load_limits(const char *path, struct sw_health_limits *lim)
{
	static struct sw_config cfg;	/* large: not on the stack */
	char err[512];

	if (!path) {
		sw_health_limits_default(lim);
		return 0;
	}
	if (sw_config_load(path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "sockwatch health: %s\n", err);
		return -1;
	}
	sw_health_limits_from_config(&cfg.health, lim);
	return 0;
}

int cmd_health(int argc, char **argv)
{
	static struct sw_health_report report;
	struct health_opts o = { 0 };
	struct sw_health_limits lim;
	struct sw_json j;
	int ret;

	if (argp_parse(&argp, argc, argv, 0, NULL, &o)) {
		fprintf(stderr, "sockwatch health: %s\n", o.why[0] ? o.why : "invalid arguments");
		return EXIT_USAGE;
	}
	if (load_limits(o.config, &lim))
		return EXIT_USAGE;
	ret = sw_health_run(&lim, o.port, &report);
	if (ret < 0) {
		fprintf(stderr, "sockwatch health: %s\n", strerror(-ret));
		return EXIT_FAILED;
	}
	if (!o.json) {
		sw_health_print(&report, stdout);
		return (int)report.status;
	}
	sw_json_init(&j);
	sw_health_to_json(&report, &j);
	puts(sw_json_cstr(&j));
	sw_json_free(&j);
	return (int)report.status;
}

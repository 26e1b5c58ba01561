// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sockwatch agent: command line. The agent itself is agent.c. */
#include <argp.h>
#include <stdio.h>
#include "agent/agent.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "lib/quote.h"

enum {
	OPT_ALERTS = 1000, OPT_ON_BREACH, OPT_LISTEN, OPT_TOKEN, OPT_MANIFEST,
	OPT_NO_HTTP, OPT_WEB_CONFIG, OPT_ALERTMANAGER,
};

static const struct argp_option options[] = {
	{ "config", 'C', "FILE", 0, "INI configuration file (see docs/config.md)", 0 },
	{ "alerts", OPT_ALERTS, "FILE", 0, "Append alerts (JSON lines) to FILE instead of stdout", 0 },
	{ "on-breach", OPT_ON_BREACH, "ACTION", 0, "On a confirmed breach: exec:PATH (alert JSON on stdin) or signal:NAME to the offender", 0 },
	{ "listen", OPT_LISTEN, "ADDR:PORT", 0, "HTTP API and /metrics address (default 127.0.0.1:9178)", 0 },
	{ "token-file", OPT_TOKEN, "FILE", 0, "Bearer token required on every request (needed off loopback)", 0 },
	{ "web-config", OPT_WEB_CONFIG, "FILE", 0, "Prometheus exporter-toolkit web config (YAML): TLS, client certificates, basic auth", 0 },
	{ "alertmanager", OPT_ALERTMANAGER, "URL", 0, "Also send alerts to this Alertmanager (http://host:9093)", 0 },
	{ "manifest", OPT_MANIFEST, "FILE", 0, "sockscan JSON: alert manifest_drift on unlisted sockets", 0 },
	{ "no-http", OPT_NO_HTTP, NULL, 0, "Do not serve the HTTP API", 0 },
	{ "verbose", 'v', NULL, 0, "Print libbpf's messages", 0 },
	{ 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char q[SW_QUOTE_LEN];
	struct sw_agent_opts *o = state->input;

	switch (key) {
	case 'C':
		o->config_path = arg;
		break;
	case OPT_ALERTS:
		o->alerts_path = arg;
		break;
	case OPT_ON_BREACH:
		o->on_breach = arg;
		break;
	case OPT_LISTEN:
		o->listen = arg;
		break;
	case OPT_WEB_CONFIG:
		o->web_config = arg;
		break;
	case OPT_ALERTMANAGER:
		o->alertmanager = arg;
		break;
	case OPT_TOKEN:
		o->token_file = arg;
		break;
	case OPT_MANIFEST:
		o->manifest = arg;
		break;
	case OPT_NO_HTTP:
		o->no_http = true;
		break;
	case 'v':
		o->verbose = true;
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
	"Run continuously: keep the live socket table, detect socket leaks and "
	"port exhaustion, write alerts as JSON lines, serve the HTTP API and "
	"Prometheus metrics.\v"
	"SIGHUP reloads the configuration (an invalid one is rejected and the "
	"running one kept); SIGTERM or SIGINT detach everything and exit 0.",
};

int cmd_agent(int argc, char **argv)
{
	struct sw_agent_opts o = { 0 };

	if (argp_parse(&argp, argc, argv, 0, NULL, &o))
		return 64;
	return sw_agent_run(&o);
}

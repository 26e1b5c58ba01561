// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch: socket-lifecycle observability agent.
 *
 * The binary is a set of subcommands; this file only dispatches. Each
 * subcommand parses its own arguments (argp) in its user/cmd/cmd_*.c file.
 */
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"
#include "lib/quote.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "trace",  cmd_trace,  "stream socket lifecycle events" },
	{ "agent",  cmd_agent,  "run continuously: leak detection, alerts, HTTP API" },
	{ "status", cmd_status, "print the attach plan this kernel allows (--cost: what each BPF program costs)" },
	{ "health", cmd_health, "run the network health checks once" },
	{ "ports",  cmd_ports,  "list who holds which ports; find a free one" },
	{ "replay", cmd_replay, "feed a recorded count series through one EWMA detector" },
	{ "check-manifest", cmd_check_manifest, "compare the sockets of now with a sockscan manifest" },
	{ "top",    cmd_top,    "live view: sockets per process, leaks, rates" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: sockwatch COMMAND [OPTION...]\n\nCommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-15s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nsockwatch COMMAND --help for the options of each; "
		   "sockwatch --version for the version and attach plan.\n");
}

int main(int argc, char **argv)
{
	char q[SW_QUOTE_LEN];
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 64;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_status(1, (char *[]){ "version", NULL });

	for (i = 0; i < NCOMMANDS; i++) {
		char name[64];

		if (strcmp(argv[1], commands[i].name))
			continue;
		/* argp names the program after argv[0] in errors, hints and
		 * usage: "sockwatch trace", a command the user can type */
		snprintf(name, sizeof(name), "sockwatch %s", commands[i].name);
		argv[1] = name;
		return commands[i].fn(argc - 1, argv + 1);
	}

	fprintf(stderr, "sockwatch: unknown command %s (try sockwatch --help)\n",
		sw_quote(q, sizeof(q), argv[1]));
	return 64;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch status / --version: the version and the attach plan this
 * kernel allows, with the reason for each choice. Probing needs root;
 * without it only the version is printed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "kernel/attach_plan.h"
#include "cmd/commands.h"
#include "kernel/loader.h"
#include "lib/quote.h"
/* after loader.h: the skeleton names struct sw_filter from the ABI header */
#include "sockwatch.skel.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int cmd_status(int argc, char **argv)
{
	char q[SW_QUOTE_LEN];
	struct sw_attach_plan plan;
	struct sockwatch_bpf *skel;
	int err;

	if (argc > 1 && argv[1][0]) {
		fprintf(stderr, "sockwatch: status takes no arguments (%s)\n",
			sw_quote(q, sizeof(q), argv[1]));
		return 64;
	}
	printf("sockwatch %s (%s), event ABI %d\n", SW_VERSION, SW_GITREV, SW_ABI_VERSION);
	if (geteuid() != 0) {
		printf("attach plan: not probed (needs root)\n");
		return 0;
	}
	libbpf_set_print(quiet);
	if (sw_ensure_fs())
		return 1;
	/* trace's plan (the agent's differs only in accept), by loading the
	 * programs, then the variants that were not needed */
	sw_plan_init(&plan, false);
	skel = sw_plan_load(&plan, NULL, NULL, &err);
	sockwatch_bpf__destroy(skel);
	sw_plan_probe_rest(&plan);
	sw_plan_print(&plan, stdout);
	if (err)
		printf("loading failed: %s\n", strerror(-err));
	return plan.complete && !err ? 0 : 1;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch status / --version: the version and the attach plan this
 * kernel allows, with the reason for each choice. Probing needs root;
 * without it only the version is printed.
 *
 * sockwatch status --cost: what each sockwatch BPF program loaded on this
 * system has cost so far, from the kernel's statistics.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "kernel/attach_plan.h"
#include "cmd/commands.h"
#include "kernel/loader.h"
#include "kernel/prog_stats.h"
#include "lib/quote.h"
/* after loader.h: the skeleton names struct sw_filter from the ABI header */
#include "sockwatch.skel.h"

#define MAX_PROGS 256

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* Runs, run time and ns per run of every sockwatch program loaded. */
static int print_cost(void)
{
	static struct sw_prog_stat st[MAX_PROGS];
	int i, n;

	if (geteuid() != 0) {
		fprintf(stderr, "sockwatch: status --cost needs root (it reads BPF program information)\n");
		return 1;
	}
	n = sw_prog_stats_system(st, MAX_PROGS);
	if (n < 0) {
		fprintf(stderr, "sockwatch: listing BPF programs failed: %s\n", strerror(-n));
		return 1;
	}
	if (!n) {
		fprintf(stderr, "sockwatch: no sockwatch BPF programs are loaded (is the agent running?)\n");
		return 1;
	}
	/* An agent's BPF_ENABLE_STATS fd turns them on without the sysctl. */
	printf("kernel.bpf_stats_enabled = %d; the counts grow only while "
	       "statistics are on (that sysctl, or an agent with [agent] "
	       "self_stats = true)\n", sw_prog_stats_on());
	printf("%8s  %-16s %14s %14s %9s\n", "ID", "PROGRAM", "RUNS", "SECONDS", "NS/RUN");
	for (i = 0; i < n; i++)
		printf("%8u  %-16s %14llu %14.6f %9.0f\n", st[i].id, st[i].name,
		       (unsigned long long)st[i].run_cnt, st[i].run_time_ns / 1e9,
		       st[i].run_cnt ? (double)st[i].run_time_ns / st[i].run_cnt : 0.0);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	char q[SW_QUOTE_LEN];
	struct sw_attach_plan plan;
	struct sockwatch_bpf *skel;
	int err;

	if (argc == 2 && !strcmp(argv[1], "--cost"))
		return print_cost();
	if (argc > 1 && argv[1][0]) {
		fprintf(stderr, "sockwatch: status takes no arguments but --cost (%s)\n",
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

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The registry side of `sockwatch ports` (cmd_ports.c parses, these act):
 * --allocate, --release, --release-service, --allocations. Each returns
 * the command's exit code and prints one line on stderr on failure.
 */
#ifndef SW_PORTS_REGISTRY_CMD_H
#define SW_PORTS_REGISTRY_CMD_H

#include <stdbool.h>
#include <linux/types.h>
#include "lib/portrange.h"

#define SW_PORTS_EXIT_NONE	1	/* no free port, nothing to release */
#define SW_PORTS_EXIT_REFUSED	2	/* a critical check refused it */
#define SW_PORTS_EXIT_FAILED	3	/* state file or listing failed */
#define SW_PORTS_EXIT_USAGE	64	/* e.g. --pid of no process */

struct sw_alloc_opts {
	const char *state;		/* state file */
	struct sw_portrange range;
	__u16 prefer;			/* 0: none */
	__u32 pid;			/* 0: the caller's parent */
	const char *service;
	const char *purpose;		/* NULL: "" */
	bool force;
	bool json;
};

int sw_ports_allocate(const struct sw_alloc_opts *o);
/* port != 0: that lease; else every lease of service. */
int sw_ports_release(const char *state, __u16 port, const char *service);
int sw_ports_allocations(const char *state, bool json);

#endif /* SW_PORTS_REGISTRY_CMD_H */

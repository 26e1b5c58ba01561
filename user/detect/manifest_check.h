/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Runtime drift: comparing what processes really listen on and connect to
 * with the manifest sockscan wrote (manifest.h). The agent checks every
 * listen and connect as it happens; `sockwatch check-manifest` checks the
 * sockets that exist now, once.
 */
#ifndef SW_MANIFEST_CHECK_H
#define SW_MANIFEST_CHECK_H

#include "sockwatch_abi.h"
#include "table/sock_table.h"

struct sw_agent;
struct manifest;

/* Load [manifest] path into the agent (none: nothing to do). */
int sw_manifest_setup(struct sw_agent *a);
void sw_manifest_teardown(struct sw_agent *a);
/* Raise manifest_drift for a listen or connect the manifest does not list,
 * once per (process, direction, port). Caller holds the lock. */
void sw_manifest_check_event(struct sw_agent *a, const struct sw_event *e);

/* The manifest service of a process, or NULL (see manifest.h). */
const char *sw_manifest_service(const struct manifest *m, __u32 pid,
				const char *comm);

#endif /* SW_MANIFEST_CHECK_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * How `sockwatch trace` filters and prints events: the text columns and
 * the JSON lines. The JSON field names are a stable interface
 * (README, tests and users' scripts rely on them).
 */
#ifndef SW_TRACE_OUTPUT_H
#define SW_TRACE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "lib/json_writer.h"
#include "sockwatch_abi.h"
#include "table/workload.h"

/* Userspace filters (pid, family and proto are also applied in-kernel). */
struct sw_event_filter {
	__u32 pid;
	char  comm[SW_COMM_LEN];
	__u16 port;		/* local or remote */
	int   state;		/* -1: any; else only events entering it */
};

bool sw_event_match(const struct sw_event_filter *f, const struct sw_event *e);

struct sw_event_printer {
	FILE *out;
	bool json;
	bool workload_column;	/* text: a WORKLOAD column (trace --workload) */
	bool workload_json;	/* JSON: the workload identity members */
	struct sw_json j;
};

void sw_event_printer_init(struct sw_event_printer *p, FILE *out, bool json);
void sw_event_printer_free(struct sw_event_printer *p);
void sw_event_print_header(struct sw_event_printer *p);
void sw_event_print(struct sw_event_printer *p, const struct sw_event *e);
/* The same with the owner's workload identity (NULL: unknown), printed
 * as the printer's workload_* settings ask. */
void sw_event_print_wl(struct sw_event_printer *p, const struct sw_event *e,
		       const struct sw_workload *w);
/* The JSON object of one event, appended to j (used by the printer). */
void sw_event_json(struct sw_json *j, const struct sw_event *e);
/* With the workload members (sw_workload_json) after cgroup_id. */
void sw_event_json_wl(struct sw_json *j, const struct sw_event *e,
		      const struct sw_workload *w);

#endif /* SW_TRACE_OUTPUT_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sockwatch agent: the long-running mode. One struct holds all of its
 * state; the event loop (agent.c) owns it, and the HTTP handlers
 * (agent_api.c, agent_metrics.c) and the health watchdog thread read it
 * under `lock`.
 *
 * Where an event goes: ring buffer -> loader (decode) -> agent_on_event
 * -> socket table, flood tracker, manifest drift -> detectors on each
 * tick -> alerts (sink, recent list, on-breach action).
 */
#ifndef SW_AGENT_H
#define SW_AGENT_H

#include <pthread.h>
#include <stdbool.h>
#include "detect/actions.h"
#include "detect/alerts.h"
#include "agent/config.h"
#include "detect/detectors.h"
#include "detect/flood.h"
#include "health/health.h"
#include "http/http_server.h"
#include "kernel/loader.h"
#include "table/sock_table.h"
#include "table/procfs.h"

#define SW_RECENT_ALERTS	128	/* kept for /api/v1/leaks */

/* Command-line settings that are not in the config file. */
struct sw_agent_opts {
	const char *config_path;	/* NULL: defaults */
	const char *alerts_path;	/* NULL: stdout */
	const char *on_breach;		/* overrides [actions] on_breach */
	const char *listen;		/* overrides [http] listen */
	const char *token_file;		/* overrides [http] token_file */
	const char *manifest;		/* overrides [manifest] path */
	bool no_http;
	bool verbose;
};

/* Owner command lines, cached: protection looks them up per socket. */
#define SW_CMDLINE_SLOTS	1024
#define SW_CMDLINE_LEN		256
struct sw_cmdline_cache {
	struct {
		__u32 pid;
		__u64 fetched_ns;
		char  text[SW_CMDLINE_LEN];
	} slot[SW_CMDLINE_SLOTS];
};

struct sw_agent {
	pthread_mutex_t lock;
	struct sw_agent_opts opts;
	struct sw_config cfg;
	struct sw_loader *loader;
	struct sw_table *table;
	struct sw_detectors *det;
	struct sw_flood *flood;
	struct sw_manifest *manifest;	/* NULL: no drift checks */
	struct sw_alert_sink sink;
	struct sw_actions actions;
	struct sw_http *http;
	struct sw_cmdline_cache cmdlines;

	/* health watchdog: its own thread, the report swapped under lock */
	pthread_t health_thread;
	bool health_running;
	struct sw_health_report health;
	bool have_health;

	/* recent alerts, a ring, for /api/v1/leaks */
	struct sw_alert recent[SW_RECENT_ALERTS];
	__u64 nrecent;

	/* counters, for /metrics and /api/v1/status */
	__u64 start_mono_ns;
	__u64 start_wall_ns;
	__u64 ready_ns;			/* start-up duration */
	__u64 attach_ns;		/* of it: probe, load and attach */
	__u64 snapshot_ns;		/* of it: reading existing sockets */
	__u64 events[SW_EV_MAX];	/* by kind, decoded */
	__u64 repairs;			/* reconciliation */
	__u64 reconciles;
	__u64 reconcile_errors;		/* reconciliations that could not list the kernel's sockets */
	__u64 faults_logged[SW_FAULT_MAX];	/* scan faults already logged */
	__u64 faults_log_ns;		/* no fault line before this time */
	__u64 snapshot_sockets;
	__u64 reloads, reload_errors;
	double last_scrape_seconds;
	__u64 next_reconcile_ns;
};

int sw_agent_run(const struct sw_agent_opts *o);

/* Alerts from any module: sink, recent list, action on confirmed breach.
 * Caller holds the lock. */
void sw_agent_alert(struct sw_agent *a, const struct sw_alert *al);

/* The owner's command line, cached for a few seconds; "" if gone. */
const char *sw_agent_cmdline(struct sw_agent *a, __u32 pid);

/* HTTP routes (agent_api.c, agent_metrics.c). */
void sw_agent_register_api(struct sw_agent *a);
int sw_agent_metrics(const struct sw_http_req *req, struct sw_http_resp *resp,
		     void *ctx);

#endif /* SW_AGENT_H */

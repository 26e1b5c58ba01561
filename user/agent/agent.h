/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sockwatch agent: the long-running mode. One struct holds all of its
 * state; the event loop (agent.c) owns it, and the HTTP handlers
 * (agent_api.c, agent_metrics.c) and the health watchdog thread read it
 * under `lock`.
 *
 * Where an event goes: ring buffer -> loader (sw_decode) -> on_event
 * (agent.c) -> sw_table_ingest (complete, apply) -> sw_flood_check and
 * sw_drift_check; on each tick sw_detectors_tick. Every detector returns
 * alert records (and health changes come from sw_health_changes); the
 * agent alone emits them, in sw_agent_alert: sink, recent list, counts,
 * Alertmanager, on-breach action.
 */
#ifndef SW_AGENT_H
#define SW_AGENT_H

#include <pthread.h>
#include <stdbool.h>
#include "detect/actions.h"
#include "detect/alerts.h"
#include "agent/config.h"
#include "agent/alertmanager.h"
#include "detect/detectors.h"
#include "detect/flood.h"
#include "health/health.h"
#include "http/http_server.h"
#include "kernel/loader.h"
#include "table/sock_table.h"
#include "table/workload.h"
#include "table/procfs.h"
#include "table/snapshot.h"

#define SW_RECENT_ALERTS	128	/* kept for /api/v1/leaks */
#define SW_ALERT_NAMES		32	/* distinct alert names counted */

/* Command-line settings that are not in the config file. */
struct sw_agent_opts {
	const char *config_path;	/* NULL: defaults */
	const char *alerts_path;	/* NULL: stdout */
	const char *on_breach;		/* overrides [actions] on_breach */
	const char *listen;		/* overrides [http] listen */
	const char *token_file;		/* overrides [http] token_file */
	const char *web_config;		/* overrides [http] web_config */
	const char *alertmanager;	/* overrides [alerts] alertmanager_url */
	const char *manifest;		/* overrides [manifest] path */
	__u32 ring_buffer_kb;		/* 0, or the default of [agent] ring_buffer_kb */
	/*
	 * A viewer's engine (sockwatch top): reconcile every
	 * reconcile_idle_ns (0: [agent] reconcile_seconds) unless the ring
	 * dropped records, then after reconcile_seconds as usual; and run
	 * the health checks without their most expensive parts (every
	 * process's descriptors, DNS: sw_health_limits.cheap).
	 */
	__u64 reconcile_idle_ns;
	bool cheap_health;
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
	/*
	 * The table and everything below: the event loop takes it in short
	 * holds (a slice of the ring, a slice of a reconciliation, a tick),
	 * and readers through sw_agent_lock, which the loop lets in first
	 * between two holds: a mutex alone would let the loop take it back
	 * before a woken reader runs.
	 */
	pthread_mutex_t lock;
	int lock_waiters;		/* readers in sw_agent_lock (atomic) */
	struct sw_reconciler *rec;	/* reconciliation state (table/snapshot.h) */
	int slice_events;		/* records taken in this hold */
	bool ring_backlog;		/* the last hold left records in the ring */
	bool scan_pending;		/* detectors sampled; their scan is next */
	__u64 reconcile_drops;		/* ring drops at the last reconciliation */
	struct sw_agent_opts opts;
	struct sw_config cfg;
	struct sw_loader *loader;
	struct sw_table *table;
	struct sw_detectors *det;
	struct sw_flood *flood;
	struct sw_drift *drift;		/* NULL: no manifest, no drift checks */
	struct sw_alert_sink sink;
	struct sw_actions actions;
	struct sw_http *http;
	struct sw_cmdline_cache cmdlines;
	struct sw_workloads *wl;	/* cgroup id -> workload; NULL: unknown */
	struct sw_am *am;		/* Alertmanager sender; NULL: none */

	/* health watchdog: its own thread, the report swapped under lock */
	pthread_t health_thread;
	bool health_running;
	struct sw_health_report health;
	bool have_health;

	/* port registry watchdog (agent_ports.c) */
	pthread_t ports_thread;
	bool ports_running;

	/* [cleanup] (agent_cleanup.c); destroy_probe: 0 when SOCK_DESTROY works */
	int destroy_probe;
	struct sw_cleanup_rate cleanup_rate;
	struct sw_cleanup_acted cleanup_acted;
	__u64 cleanup_total[SW_CLEANUP_ENFORCE + 1][SW_LEAK_NRULES];
	__u64 cleanup_failed;

	/* recent alerts, a ring, for /api/v1/leaks */
	struct sw_alert recent[SW_RECENT_ALERTS];
	__u64 nrecent;			/* alerts raised since start */

	/*
	 * Alerts raised since start, by name, for sockwatch_alerts_total.
	 * Names are the string constants of the detectors (a few dozen at
	 * most), so a short array searched linearly is all it takes.
	 */
	struct sw_alert_count {
		const char *name;
		__u64 n;
	} alert_counts[SW_ALERT_NAMES];
	int nalert_names;

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
	struct sw_reconcile_stats rec_stats;	/* the reconciler's, after its last run */
	__u64 faults_logged[SW_FAULT_MAX];	/* scan faults already logged */
	__u64 faults_log_ns;		/* no fault line before this time */
	__u64 snapshot_sockets;
	__u64 reloads, reload_errors;
	double last_scrape_seconds;
	__u64 next_reconcile_ns;
	__u64 last_reconcile_ns;
	__u64 next_tick_ns;		/* detectors */
	int stats_fd;			/* BPF_ENABLE_STATS held; -1: none */
};

int sw_agent_run(const struct sw_agent_opts *o);

/* The agent's lock for readers (HTTP handlers, watchdog threads). */
void sw_agent_lock(struct sw_agent *a);

/*
 * The agent as a library, for commands that run its engine in-process
 * (sockwatch top): open loads and attaches everything and reads the
 * existing sockets (NULL, the reason on stderr, on failure); step waits up
 * to timeout_ms for events and does what is due (-1 on a fatal error);
 * close detaches everything. No signal handlers are installed.
 */
struct sw_agent *sw_agent_open(const struct sw_agent_opts *o);
int sw_agent_step(struct sw_agent *a, int timeout_ms);
void sw_agent_close(struct sw_agent *a);

/*
 * One API endpoint in-process, as GET path?query would answer it: the body
 * in out (initialised by the caller), the HTTP status returned (404 for an
 * unknown path). Takes the agent's lock itself.
 */
unsigned int sw_agent_api_get(struct sw_agent *a, const char *path,
			      const char *query, struct sw_json *out);

/* Emit an alert record returned by a detector: sink, recent list, counts,
 * Alertmanager, action on confirmed breach. Caller holds the lock. */
void sw_agent_alert(struct sw_agent *a, const struct sw_alert *al);

/* The owner's command line, cached for a few seconds; "" if gone. */
const char *sw_agent_cmdline(struct sw_agent *a, __u32 pid);

/* Workload identity (agent_workload.c); callers hold the lock. */
struct sw_prom;
int sw_agent_workloads_start(struct sw_agent *a);
void sw_agent_workloads_refresh(struct sw_agent *a);
const struct sw_workload *sw_agent_sock_workload(struct sw_agent *a,
						 const struct sw_sock *s);
void sw_agent_alert_workload(struct sw_agent *a, struct sw_alert *al);
void sw_agent_workload_metrics(struct sw_prom *p, struct sw_agent *a);

/*
 * Clean-up of leaked sockets (agent_cleanup.c): probe at start (-1 with
 * one line when enforce cannot work), then one pass after each leak scan.
 * The pass runs under the lock.
 */
int sw_agent_cleanup_start(struct sw_agent *a);
/* Whether cfg may run here (enforce needs SOCK_DESTROY); one line if not. */
bool sw_agent_cleanup_allowed(const struct sw_agent *a, const struct sw_config *cfg);
void sw_agent_cleanup_pass(struct sw_agent *a, __u64 now_ns);

/*
 * The port registry's watchdog (agent_ports.c), a thread of its own so
 * that slow health checks do not delay it: every [health]
 * interval_seconds it releases the leases whose pid is gone and whose
 * port is free, alerting port_lease_expired.
 */
int sw_agent_ports_start(struct sw_agent *a);
/* A watchdog thread's pause: up to ns, under the lock, until *running is
 * cleared and cond signalled. */
void sw_agent_sleep(struct sw_agent *a, pthread_cond_t *cond,
		    const bool *running, __u64 ns);
void sw_agent_ports_stop(struct sw_agent *a);

/* HTTP routes (agent_api.c, agent_metrics.c, agent_ports.c). */
void sw_agent_register_ports_api(struct sw_agent *a);
void sw_agent_register_api(struct sw_agent *a);
int sw_agent_metrics(const struct sw_http_req *req, struct sw_http_resp *resp,
		     void *ctx);

#endif /* SW_AGENT_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Network health checks (README: "sockwatch health and ports"), as a library:
 * `sockwatch health` runs them once, the agent every interval_seconds as
 * a watchdog (alerting on a check's status change, exporting the report
 * as metrics and /api/v1/health).
 *
 * sw_health_run() fills a fixed-size report: no allocation survives it,
 * so the agent can keep the previous report by value and compare.
 */
#ifndef SW_HEALTH_H
#define SW_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <linux/types.h>
#include "sockwatch_abi.h"
#include "table/decode.h"

struct sw_json;
struct sw_health_cfg;

/* Ordered: the worse status is the larger number; also the exit code. */
enum sw_health_status {
	SW_HEALTH_OK		= 0,
	SW_HEALTH_WARNING	= 1,
	SW_HEALTH_CRITICAL	= 2,
};

/* The checks, in report order. Names: sw_health_check_name(). */
enum sw_health_check_id {
	SW_HC_IPV4,		/* critical: no IPv4 socket */
	SW_HC_IPV6,		/* warning: no IPv6 socket or ::1 */
	SW_HC_LOOPBACK,		/* critical: no lo up with 127.0.0.1 */
	SW_HC_INTERFACES,	/* warning: interfaces besides lo, none up */
	SW_HC_REUSE,		/* warning: SO_REUSEADDR/SO_REUSEPORT refused */
	SW_HC_FILES_SYSTEM,	/* warning: file-nr above nofile_usage_percent */
	SW_HC_FILES_PROCESS,	/* warning: own soft limit < nofile_warning,
				 * or a process above nofile_usage_percent */
	SW_HC_PORT_BIND,	/* with a port: critical if bind fails other
				 * than "in use" (in use: ok, holders listed) */
	SW_HC_TIME_WAIT,	/* with a port: warning above time_wait_warning */
	SW_HC_CONNECTIONS,	/* warning above connections_warning */
	SW_HC_DNS,		/* warning: localhost or hostname unresolved */
	SW_HC_EPHEMERAL,	/* warning/critical: fullest tuple's percent */
	SW_HC_EXPOSURE,		/* informational: listeners on all interfaces */
	SW_HC_TLS,		/* [health] tls_certificates: see health_tls.c */
	SW_HC_MAX
};

/*
 * Thresholds. The first five are the [health] keys of the config file
 * (sw_health_limits_from_config); the rest are fixed tunables.
 */
struct sw_health_limits {
	double ephemeral_warning_percent;	/* 60: warning above */
	double ephemeral_critical_percent;	/* 80: critical above */
	__u32  time_wait_warning;		/* 10: warning above */
	__u64  connections_warning;		/* 10000: warning above */
	__u64  nofile_warning;			/* 1024: soft limit below */
	double nofile_usage_percent;		/* 90: fds/limit at or above */
	unsigned int top_n;			/* 5: rows in top lists */
	unsigned int dns_timeout_ms;		/* 2000 per lookup */
	/* [health] tls_*: certificate files, "a.pem,b.pem" ("" = none) */
	char tls_certificates[2048];
	unsigned int tls_warn_days;		/* 30 */
	char tls_ca_file[PATH_MAX];		/* "" = the system store */
	/* the previous run's link counters (the agent's), NULL: first run */
	const struct sw_ifstats *ifs_prev;
	/* skip what can only warn and costs the most: every process's fds
	 * (process_file_limits, the owners in the per-process lists) and
	 * DNS (ports --allocate) */
	bool cheap;
};

void sw_health_limits_default(struct sw_health_limits *lim);
/* Defaults, then the config file's [health] keys (struct sw_config.health). */
void sw_health_limits_from_config(const struct sw_health_cfg *c,
				  struct sw_health_limits *lim);

/* One measured figure, shown as "key": value. */
enum sw_health_fig_type { SW_FIG_INT, SW_FIG_DBL, SW_FIG_STR };
struct sw_health_fig {
	const char *key;	/* static string */
	enum sw_health_fig_type type;
	__s64  num;
	double dbl;
	char   str[64];
};

#define SW_HEALTH_MAX_FIGS	8

struct sw_health_check {
	bool ran;		/* false: not applicable (no --port) */
	enum sw_health_status status;
	char summary[160];	/* one line: what was found */
	char advice[160];	/* one line when not ok, else "" */
	unsigned int nfig;
	struct sw_health_fig fig[SW_HEALTH_MAX_FIGS];
};

/*
 * One network interface's counters (RTM_GETLINK, IFLA_STATS64), and how
 * much its errors and drops grew since the previous run (0 on a first
 * run, or when the interface is new or its counters went back).
 */
struct sw_ifstat {
	char  name[16];
	__u32 ifindex;
	bool  up;
	__u64 rx_bytes, tx_bytes, rx_packets, tx_packets;
	__u64 rx_errors, tx_errors, rx_dropped, tx_dropped;
	__u64 errors_growth, drops_growth;
};

#define SW_HEALTH_MAX_IFS	64
struct sw_ifstats {
	unsigned int n;
	bool compared;		/* growth is against a previous run */
	struct sw_ifstat v[SW_HEALTH_MAX_IFS];
};

/* One certificate file of the tls_certificates check. */
struct sw_health_tls {
	char   path[256];
	enum sw_health_status status;
	char   subject[128];
	char   key_path[256];	/* "" = no key found beside it */
	__s64  not_before, not_after;	/* unix seconds */
	double days_left;
	int    key_match;	/* 1 match, 0 mismatch, -1 no key, -2 unreadable */
	bool   chain_ok;
	char   problem[160];	/* the worst finding, "" when ok */
};

#define SW_HEALTH_TOP		10	/* capacity of the top lists */
#define SW_HEALTH_MAX_TLS	16	/* certificate files checked */
#define SW_HEALTH_MAX_LISTEN	32	/* exposure rows kept */

/* A process in a top list: files (fds vs limit) or connections. */
struct sw_health_proc {
	__u32 pid;
	char  comm[SW_COMM_LEN];
	__u64 count;		/* open fds, or TCP connections */
	__u64 limit;		/* RLIMIT_NOFILE soft (files list only) */
	__u32 by_state[SW_TCP_MAX_STATES];	/* connections list only */
};

/* Who holds the checked port (current network namespace). */
struct sw_health_holder {
	__u32 pid;		/* 0: unknown */
	char  comm[SW_COMM_LEN];
	__u8  proto;
	__u8  state;
	__u8  family;
	__u8  addr[16];
};

/*
 * An ephemeral-port tuple: connections from saddr to daddr:dport share
 * the range [lo, hi] of their namespace (minus reserved ports); used is
 * the distinct local ports among them, TIME_WAIT included.
 */
struct sw_health_tuple {
	__u32 netns;
	__u8  family;
	__u8  saddr[16];
	__u8  daddr[16];
	__u16 dport;
	__u16 lo, hi;
	__u32 used;
	__u32 available;	/* range size minus reserved ports */
	double percent;
};

/* A listener bound to all interfaces. */
struct sw_health_listener {
	__u32 netns;
	__u32 pid;
	char  comm[SW_COMM_LEN];
	__u16 port;
	__u8  family;
	__u8  proto;
};

struct sw_health_report {
	enum sw_health_status status;	/* worst of the checks */
	int port;			/* checked port, 0 = none */
	unsigned int n_warning, n_critical;
	__u64 wall_ns;			/* when it ran */
	struct sw_health_check check[SW_HC_MAX];

	/* Details behind the checks; counts say how many rows are valid. */
	__u32 tcp_by_state[SW_TCP_MAX_STATES];	/* all namespaces */
	unsigned int n_files, n_conns, n_holders, n_tuples, n_listeners;
	struct sw_health_proc files[SW_HEALTH_TOP];
	struct sw_health_proc conns[SW_HEALTH_TOP];
	struct sw_health_holder holders[SW_HEALTH_TOP];
	struct sw_health_tuple tuples[SW_HEALTH_TOP];
	struct sw_health_listener listeners[SW_HEALTH_MAX_LISTEN];
	unsigned int n_tls;
	struct sw_health_tls tls[SW_HEALTH_MAX_TLS];
	struct sw_ifstats ifs;
};

/*
 * Link counters of every interface of the calling thread's namespace,
 * from one RTM_GETLINK dump (netstats.c). 0 or -errno.
 */
int sw_netstats_links(struct sw_ifstats *out);
/* Growth of errors and drops in cur against prev (NULL: none). */
void sw_netstats_growth(struct sw_ifstats *cur, const struct sw_ifstats *prev);
/* The interfaces as a JSON array (growth null unless compared). */
void sw_netstats_ifs_json(struct sw_json *j, const struct sw_ifstats *ifs);
/* TCP sockets by state in every visible namespace. 0 or -errno. */
int sw_netstats_tcp_states(__u32 by_state[SW_TCP_MAX_STATES]);
/* /api/v1/netstats: fresh counters, the TCP states, and growth against
 * prev (the last health run's counters; NULL: none). 0 or -errno. */
int sw_netstats_json(struct sw_json *j, const struct sw_ifstats *prev);

/*
 * Run every check; port 1-65535 adds the port checks, 0 skips them.
 * Returns 0 (the outcome is in out->status) or -errno when the report
 * could not be made at all (no memory).
 */
int sw_health_run(const struct sw_health_limits *lim, int port,
		  struct sw_health_report *out);

/*
 * The threshold rules, in one place: "above" is strictly greater, as in
 * the original ("more than 10 TIME_WAIT sockets"); "below" strictly less.
 */
enum sw_health_status sw_health_grade_percent(double pct, double warn, double crit);
enum sw_health_status sw_health_grade_above(__u64 v, __u64 warn);
enum sw_health_status sw_health_grade_below(__u64 v, __u64 warn);

const char *sw_health_check_name(enum sw_health_check_id id);
const char *sw_health_status_name(enum sw_health_status s);	/* "ok" ... */
/* The report's status word: "healthy", "warning", "critical". */
const char *sw_health_overall_name(enum sw_health_status s);

/* Renderers (health_report.c). */
void sw_health_to_json(const struct sw_health_report *r, struct sw_json *j);
void sw_health_print(const struct sw_health_report *r, FILE *f);

/*
 * The health_changed alert records for every check whose status differs
 * between before (NULL: all ok) and now, at most SW_HC_MAX, into out;
 * returns how many. The agent emits them.
 */
struct sw_alert;
int sw_health_changes(const struct sw_health_report *before,
		      const struct sw_health_report *now, __u64 mono_ns,
		      struct sw_alert *out);

#endif /* SW_HEALTH_H */

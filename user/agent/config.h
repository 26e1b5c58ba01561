/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The agent's configuration: one INI file (--config FILE, parsed with
 * libinih), one struct for every module. docs/config.md documents each key.
 *
 * struct sw_config is plain data without pointers: a reload (SIGHUP) loads
 * into a temporary and, only when that succeeds, assigns it over the live
 * one. Times are stored in nanoseconds; the file writes them in seconds,
 * decimals allowed.
 */
#ifndef SW_CONFIG_H
#define SW_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "kernel/event_buffer.h"
#include "detect/ewma.h"
#include "detect/leak_rules.h"
#include "detect/protection.h"
#include "detect/actions.h"
#include "detect/cleanup.h"

#define SW_CFG_MAX_ADDRS	64

/* One IP address; IPv4 in the first 4 bytes, network byte order. */
struct sw_addr {
	__u8 family;		/* AF_INET / AF_INET6 */
	__u8 addr[16];
};

/* [ewma] allow_addresses: empty means every address is monitored. */
struct sw_addr_list {
	struct sw_addr addr[SW_CFG_MAX_ADDRS];
	__u32 n;
};

bool sw_addr_list_contains(const struct sw_addr_list *l, unsigned int family,
			   const __u8 addr[16]);

/* [agent] */
struct sw_agent_cfg {
	__u32 max_keys;		/* per key kind, detectors; default 4096 */
	__u64 key_idle_ns;	/* drop a key idle this long; 300 s */
	__u64 reconcile_ns;	/* kernel reconciliation period; 10 s */
	__u32 ring_buffer_kb;	/* power of 2, >= a page; 1024 */
	char  host_root[PATH_MAX];	/* the host's / (runtime metadata); "/" */
	bool  self_stats;	/* BPF program statistics as metrics; false */
	enum sw_event_buffer event_buffer;	/* ring (per CPU), shared-ring
						 * or perf; ring */
};

/* [http] */
struct sw_http_cfg {
	char  listen[128];		/* "127.0.0.1:9178", "[::1]:9178" */
	char  token_file[PATH_MAX];	/* "" = no token */
	char  web_config[PATH_MAX];	/* exporter-toolkit web config; "" = none */
	__u32 top_k;			/* 20 */
	__u32 max_connections;		/* 64 */
	__u32 per_ip_connections;	/* 16 */
	__u64 timeout_ns;		/* 10 s */
};

/* [health] */
struct sw_health_cfg {
	__u64  interval_ns;			/* 30 s */
	double ephemeral_warning_percent;	/* 60 */
	double ephemeral_critical_percent;	/* 80 */
	__u32  time_wait_warning;		/* 10 */
	__u64  connections_warning;		/* 10000 */
	__u64  nofile_warning;			/* 1024 */
	char   tls_certificates[2048];		/* "a.pem,b.pem"; "" = none */
	__u32  tls_warn_days;			/* 30 */
	char   tls_ca_file[PATH_MAX];		/* "" = the system store */
};

/* [ports]: the allocation registry the watchdog keeps clean */
struct sw_ports_cfg {
	char state_file[PATH_MAX];	/* /run/sockwatch/ports.json */
};

/* [flood] */
struct sw_flood_cfg {
	double connections_per_second;	/* 100 */
	__u64  window_ns;		/* 5 s */
};

/* [manifest] */
struct sw_manifest_cfg {
	char path[PATH_MAX];		/* "" = no manifest */
};

/* [alerts] */
struct sw_alerts_cfg {
	char alertmanager_url[512];	/* "" = no Alertmanager */
	char node[128];			/* the node label; "" = hostname */
};

struct sw_config {
	struct sw_ewma_params	ewma;
	struct sw_addr_list	allow;		/* [ewma] allow_addresses */
	struct sw_leak_cfg	leaks;
	struct sw_protect_cfg	protection;
	struct sw_action	on_breach;	/* [actions] on_breach */
	struct sw_agent_cfg	agent;
	struct sw_http_cfg	http;
	struct sw_health_cfg	health;
	struct sw_flood_cfg	flood;
	struct sw_manifest_cfg	manifest;
	struct sw_alerts_cfg	alerts;
	struct sw_ports_cfg	ports;
	struct sw_cleanup_cfg	cleanup;
	char			source[PATH_MAX];	/* file, "" = defaults */
};

void sw_config_defaults(struct sw_config *c);

/*
 * Defaults, then the file at path. On error returns -1 and one line in err,
 * "FILE:LINE: reason" (or "FILE: reason" when the file cannot be read);
 * *out is then untouched.
 */
int sw_config_load(const char *path, struct sw_config *out, char *err,
		   size_t errlen);

/* The same from len bytes at data, NUL bytes included (fuzzing). */
int sw_config_load_mem(const char *name, const void *data, size_t len,
		       struct sw_config *out, char *err, size_t errlen);

/* The same from a string (tests; name is used in messages). */
int sw_config_load_string(const char *name, const char *text,
			  struct sw_config *out, char *err, size_t errlen);

/* Parsers shared with command-line flags: -1 with a reason on error. */
int sw_parse_seconds(const char *s, __u64 *ns, char *err, size_t errlen);
int sw_parse_u64(const char *s, __u64 min, __u64 max, __u64 *v, char *err,
		 size_t errlen);
int sw_parse_double(const char *s, double min, double max, double *v,
		    char *err, size_t errlen);

#endif /* SW_CONFIG_H */

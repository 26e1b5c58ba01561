/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Alerts: one record type for every detector, its JSON form, the sink that
 * writes one JSON line per alert (stdout or an --alerts file), and episode
 * tracking so that a condition is alerted once per episode, not once per
 * sample.
 *
 * A JSON alert:
 *   {"time":"2026-01-02T03:04:05.123456789Z","alert":"close_wait",
 *    "key_kind":"socket","key":"127.0.0.1:8080->127.0.0.1:51234",
 *    "pid":1234,"comm":"python3", <figures...>,
 *    "protection":{...}}
 * The figures are whatever the raising module adds (count, short, long,
 * rd, age, threshold, ...), in the order added. Other modules raise their
 * own alerts (connection_flood, manifest_drift, health_changed) with the
 * same record.
 */
#ifndef SW_ALERTS_H
#define SW_ALERTS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "lib/hashmap.h"
#include "lib/json_writer.h"
#include "detect/protection.h"
#include "sockwatch_abi.h"

/* Alert names raised by the detection engine. */
#define SW_ALERT_EWMA_STARTED	"ewma_breach_started"
#define SW_ALERT_EWMA_BACK_DOWN	"ewma_back_down"
#define SW_ALERT_EWMA_CONFIRMED	"ewma_breach_confirmed"
#define SW_ALERT_MAX_PORTS	"max_ports"
#define SW_ALERT_CLOSE_WAIT	"close_wait"
#define SW_ALERT_IDLE		"idle"
#define SW_ALERT_FD_HEADROOM	"fd_headroom"
#define SW_ALERT_CONNECTION_FLOOD "connection_flood"
#define SW_ALERT_MANIFEST_DRIFT	"manifest_drift"
#define SW_ALERT_HEALTH_CHANGED	"health_changed"
#define SW_ALERT_PORT_LEASE_EXPIRED "port_lease_expired"

/*
 * Every name above, NULL-terminated: the agent exports a zero counter for
 * each from the start, so that a rule's increase() sees the first alert.
 */
extern const char *const sw_alert_names[];

#define SW_ALERT_MAX_FIELDS	20
#define SW_ALERT_STRBUF		512
#define SW_ALERT_KEYLEN		112

enum sw_alert_vtype {
	SW_AV_UINT,
	SW_AV_INT,
	SW_AV_DOUBLE,
	SW_AV_BOOL,
	SW_AV_STR,
};

/* One figure. name must outlive the alert (a string literal). */
struct sw_alert_field {
	const char *name;
	__u8 type;			/* enum sw_alert_vtype */
	union {
		__u64  u;
		__s64  i;
		double d;
		bool   b;
		__u32  str;		/* offset in sw_alert.strbuf */
	};
};

enum sw_alert_prot {
	SW_ALERT_PROT_NONE,		/* no "protection" member */
	SW_ALERT_PROT_DECISION,		/* one socket: decision and reason */
	SW_ALERT_PROT_BREAKDOWN,	/* a key: its sockets per reason */
};

/*
 * One alert, self-contained (no pointers into other data but the field
 * and alert names), so that a sink may queue it.
 */
struct sw_alert {
	__u64 mono_ns;			/* when: CLOCK_MONOTONIC */
	__u64 wall_ns;			/* 0: derived from mono_ns when written */
	const char *alert;		/* name, e.g. SW_ALERT_CLOSE_WAIT */
	const char *key_kind;		/* "local_ip", "process", "remote", "socket" */
	char  key[SW_ALERT_KEYLEN];
	__u32 pid;			/* 0: none */
	char  comm[SW_COMM_LEN + 1];
	__u32 nfields;
	struct sw_alert_field field[SW_ALERT_MAX_FIELDS];
	__u8  prot_kind;		/* enum sw_alert_prot */
	struct sw_prot_decision decision;
	char  pattern[SW_PROT_PATTERN_LEN];	/* infrastructure: which */
	__u32 breakdown[SW_PROT_NREASONS];
	__u32 strlen;
	char  strbuf[SW_ALERT_STRBUF];
};

void sw_alert_init(struct sw_alert *a, const char *alert, const char *key_kind,
		   __u64 mono_ns);
void sw_alert_set_key(struct sw_alert *a, const char *key);
void sw_alert_set_owner(struct sw_alert *a, __u32 pid, const char *comm);

/* Figures; silently dropped beyond SW_ALERT_MAX_FIELDS / SW_ALERT_STRBUF. */
void sw_alert_uint(struct sw_alert *a, const char *name, __u64 v);
void sw_alert_int(struct sw_alert *a, const char *name, __s64 v);
void sw_alert_double(struct sw_alert *a, const char *name, double v);
void sw_alert_bool(struct sw_alert *a, const char *name, bool v);
void sw_alert_str(struct sw_alert *a, const char *name, const char *v);
/* Nanoseconds as seconds (a double), the unit of every alert duration. */
void sw_alert_seconds(struct sw_alert *a, const char *name, __u64 ns);

void sw_alert_set_decision(struct sw_alert *a, const struct sw_prot_decision *d,
			   const char *pattern);
void sw_alert_set_breakdown(struct sw_alert *a,
			    const __u32 counts[SW_PROT_NREASONS]);

/* {"listening":N,...,"unprotected":N}, as alerts and the API write it. */
void sw_prot_breakdown_json(struct sw_json *j,
			    const __u32 counts[SW_PROT_NREASONS]);

/* Append the alert as one JSON object to j. */
void sw_alert_json(struct sw_json *j, const struct sw_alert *a);

/*
 * Where alerts go: stdout, or a file opened for appending (created 0640).
 * Each alert is one write(2) of one line, so that lines from concurrent
 * writers (O_APPEND) never interleave.
 */
struct sw_alert_sink {
	int   fd;
	bool  own;			/* fd is ours to close */
	char  path[PATH_MAX];		/* "" for stdout */
	struct sw_json json;		/* the last alert's text */
	__u64 written;
	__u64 errors;
};

/* path NULL or "" or "-": stdout. -1 with a reason in err on error. */
int sw_alert_sink_open(struct sw_alert_sink *s, const char *path, char *err,
		       size_t errlen);
/* Reopen the file (after log rotation, on SIGHUP); no-op for stdout. */
int sw_alert_sink_reopen(struct sw_alert_sink *s, char *err, size_t errlen);
void sw_alert_sink_close(struct sw_alert_sink *s);

/*
 * Write one alert. Returns its JSON text (without the newline), valid
 * until the next call, for an on-breach action; NULL if it could not be
 * formatted. A write error is counted, not fatal.
 */
const char *sw_alert_emit(struct sw_alert_sink *s, const struct sw_alert *a);

/*
 * Episodes: the set of (rule, id) conditions that hold now. A scan calls
 * begin, hit for every condition it finds, and end. hit says whether the
 * condition is new (alert it) or ongoing (do not); end forgets conditions
 * that were not hit, so that they alert again if they come back. The set
 * is bounded: beyond max, new conditions are counted as suppressed.
 */
struct sw_episodes {
	struct sw_map set;	/* struct sw_episode by (id, rule) */
	size_t max;
	__u32  gen;		/* current scan */
	__u64  suppressed;	/* hits refused because the set was full */
};

int sw_episodes_init(struct sw_episodes *e, size_t max);
void sw_episodes_free(struct sw_episodes *e);
void sw_episodes_begin(struct sw_episodes *e);
/* 1: new episode, 0: ongoing, -1: set full (suppressed). */
int sw_episodes_hit(struct sw_episodes *e, __u32 rule, __u64 id);
/* Forget episodes not hit since begin; returns how many ended. */
size_t sw_episodes_end(struct sw_episodes *e);

#endif /* SW_ALERTS_H */

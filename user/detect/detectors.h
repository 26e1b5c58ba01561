/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The detection engine: EWMA growth detectors per key and the leak-rule
 * scan, over the live socket table.
 *
 * Three kinds of key, each with its own detector per key:
 *   local_ip  a local address: distinct local ports of its active
 *             (non-LISTEN) TCP connections, released ones included (they
 *             still hold their port); [ewma] allow_addresses limits which.
 *   process   a tgid: the sockets it owns and opened itself (created,
 *             connected). Sockets it accepted are inbound: they count in
 *             its `inbound` figure, not in the detected count, so a server
 *             is not blamed for its clients' leaks.
 *   remote    a destination address and port: outbound TCP connections
 *             from this host to it (accepted sockets excluded).
 * A socket is inbound when it came from accept(2), or, for sockets found
 * in a snapshot (whose origin is unknown), when a LISTEN socket of the
 * same network namespace has its local port.
 *
 * Growth detectors report whatever grows, protected or not; their alerts
 * carry the protection breakdown of the key's sockets.
 *
 * Memory is bounded: at most [agent] max_keys keys per kind. A key whose
 * count has been 0 for key_idle_seconds, and whose timer is not running,
 * is dropped. When a kind is full, a new key with count >= min_ports
 * evicts the tracked key with the smallest count among those whose
 * detector is still at its seed (nothing to lose); other new keys are
 * counted in `overflow` and not tracked.
 *
 * Pure: no I/O and no clock. The caller passes the time and supplies, as
 * hooks, the owner's command line (infrastructure patterns) and a
 * process's fd usage (fd_headroom). Alerts are records the caller takes
 * (sw_detectors_alerts) and emits: the engine raises, it does not send.
 * One thread: the table's.
 */
#ifndef SW_DETECTORS_H
#define SW_DETECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "detect/alerts.h"
#include "agent/config.h"
#include "detect/ewma.h"
#include "detect/leak_rules.h"
#include "detect/protection.h"
#include "table/sock_table.h"

enum sw_key_kind {
	SW_KEY_LOCAL_IP,
	SW_KEY_PROCESS,
	SW_KEY_REMOTE,
	SW_KEY_NKINDS
};

/*
 * What a detector watches. Compared bytewise: always zero-initialise.
 * IPv4-mapped IPv6 addresses are stored as IPv4.
 */
struct sw_key {
	__u8  kind;		/* enum sw_key_kind */
	__u8  family;		/* local_ip, remote */
	__u16 port;		/* remote */
	__u32 pid;		/* process */
	__u8  addr[16];		/* local_ip, remote */
};

/* One tracked key: its detector and the figures of its last sample. */
struct sw_det_key {
	struct sw_key key;
	struct sw_ewma ewma;		/* count, short, long, rd, state, deadline */
	__u32 sockets;			/* sockets counted (local_ip: >= count) */
	__u32 inbound;			/* process: accepted sockets it holds */
	__u32 prot[SW_PROT_NREASONS];	/* the counted sockets, per reason */
	__u32 pid;			/* owner of most of the counted sockets */
	char  comm[SW_COMM_LEN];
	__u64 first_ns;			/* first sample */
	__u64 active_ns;		/* last sample with a count > 0 */
	bool  over_max;			/* a max_ports episode is open */
	__u32 gen;			/* last sample that saw it (internal) */
};

/* A socket or process that a leak rule flags now. */
struct sw_suspect {
	__u8  rule;			/* enum sw_leak_rule */
	struct sw_prot_decision decision;	/* socket rules */
	struct sw_sock sock;		/* socket rules: a copy */
	__u32 pid;
	char  comm[SW_COMM_LEN];
	__u64 age_ns;			/* measured duration */
	__u64 threshold_ns;
	__u64 open_fds;			/* fd_headroom */
	__u64 soft_limit;
	double percent;
	__u64 since_ns;			/* when this scan found it */
};

/* Supplied by the agent; any hook may be NULL. */
struct sw_det_hooks {
	/* The owner's command line, NULs as spaces; NULL when unknown. */
	const char *(*cmdline)(void *ctx, __u32 pid);
	/* Open fds and RLIMIT_NOFILE soft limit of pid: 0, or -1 if gone.
	 * open_fds may be an upper bound when that is below fd_headroom. */
	int (*fd_usage)(void *ctx, __u32 pid, __u64 *open_fds, __u64 *soft_limit);
	void *ctx;
};

struct sw_det_stats {
	__u32 keys[SW_KEY_NKINDS];	/* tracked now */
	__u64 overflow[SW_KEY_NKINDS];	/* new keys not tracked: map full */
	__u64 evicted[SW_KEY_NKINDS];	/* seed-state keys evicted for bigger ones */
	__u64 dropped_idle;		/* keys dropped after key_idle_seconds */
	__u64 samples;			/* sampling passes */
	__u64 scans;			/* leak scans */
	__u32 suspects;			/* flagged now */
	__u64 suppressed;		/* suspects beyond the bound */
	__u64 alerts;			/* alerts raised */
	__u64 alerts_lost;		/* raised but out of memory to keep */
};

struct sw_detectors;

struct sw_detectors *sw_detectors_new(const struct sw_config *cfg,
				      const struct sw_det_hooks *hooks);
void sw_detectors_free(struct sw_detectors *d);

/*
 * Track only the kinds in mask (1 << SW_KEY_*; all of them by default).
 * A viewer that shows one kind (sockwatch top: process keys) spares the
 * others' work: the local_ip kind's distinct-port count is the dearest
 * part of a sample. Keys of kinds turned off are dropped.
 */
#define SW_KEY_ALL_KINDS	((1u << SW_KEY_NKINDS) - 1)
void sw_detectors_set_kinds(struct sw_detectors *d, unsigned int mask);

/*
 * Take a new configuration (SIGHUP). Detectors keep their averages; keys
 * beyond a smaller max_keys are dropped. -1 on allocation failure (the
 * old configuration stays).
 */
int sw_detectors_configure(struct sw_detectors *d, const struct sw_config *cfg);

/*
 * The main-loop entry point: runs whatever is due at now_ns (a sample
 * every [ewma] interval, a leak scan with it, fd_headroom every [agent]
 * reconcile period) and returns when it next wants to run.
 */
__u64 sw_detectors_tick(struct sw_detectors *d, struct sw_table *t,
			__u64 now_ns);
/*
 * The same tick in its two passes over the table, for an owner that lets
 * readers in between (the agent): tick_sample samples when due and says
 * whether it did; tick_scan must then follow (the table may have changed
 * meanwhile), and returns when the engine next wants to run.
 */
bool sw_detectors_tick_sample(struct sw_detectors *d, struct sw_table *t,
			      __u64 now_ns);
__u64 sw_detectors_tick_scan(struct sw_detectors *d, struct sw_table *t,
			     __u64 now_ns);

/* The parts of a tick, callable on their own (tests, replay of tables). */
void sw_detectors_sample(struct sw_detectors *d, struct sw_table *t,
			 __u64 now_ns);
void sw_detectors_scan(struct sw_detectors *d, struct sw_table *t,
		       __u64 now_ns, bool with_fds);

/*
 * The socket leak rules for one socket, as the scan applies them: true
 * and *s filled when close_wait or idle flags k at now_ns. For callers
 * that must judge sockets beyond the bounded suspect list (clean-up).
 */
bool sw_detectors_judge(struct sw_detectors *d, const struct sw_sock *k,
			__u64 now_ns, struct sw_suspect *s);

/* Readers for the HTTP API (under the table owner's lock). */
const struct sw_det_key *sw_detectors_key_next(const struct sw_detectors *d,
					       enum sw_key_kind kind,
					       size_t *pos);
const struct sw_det_key *sw_detectors_key_get(const struct sw_detectors *d,
					      const struct sw_key *k);
const struct sw_suspect *sw_detectors_suspect_next(const struct sw_detectors *d,
						   size_t *pos);
/*
 * The alerts raised (once per episode each) by sample, scan and tick calls
 * since the last sw_detectors_alerts_done, in the order raised: *n of
 * them, valid until the next of those calls or _done.
 */
const struct sw_alert *sw_detectors_alerts(const struct sw_detectors *d,
					   size_t *n);
void sw_detectors_alerts_done(struct sw_detectors *d);
void sw_detectors_stats(const struct sw_detectors *d, struct sw_det_stats *s);

/* One key as a JSON object: key, kind, count, short, long, rd, fail,
 * state, deadline (seconds left), pid, comm, protection breakdown. */
void sw_det_key_json(struct sw_json *j, const struct sw_detectors *d,
		     const struct sw_det_key *k, __u64 now_ns);
/* A suspect as the alert it raised (same fields), for the API. */
void sw_suspect_alert(const struct sw_detectors *d, const struct sw_suspect *s,
		      struct sw_alert *a);

const char *sw_key_kind_name(enum sw_key_kind k);	/* "local_ip" */
/* "127.0.0.1", "1234", "10.0.0.1:443", "[::1]:443" */
void sw_key_format(const struct sw_key *k, char *buf, size_t len);
/* The key of a socket's local or remote address (IPv4-mapped as IPv4). */
void sw_key_addr(struct sw_key *k, enum sw_key_kind kind, unsigned int family,
		 const __u8 addr[16], __u16 port);

#endif /* SW_DETECTORS_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Per-socket and per-process leak rules. Their names are stable: they
 * appear in alerts, the HTTP API and the config file.
 *
 *   close_wait   a TCP socket in CLOSE_WAIT for longer than close_wait_ns,
 *                measured from sw_sock.state_ns: the peer closed, the owner
 *                never did.
 *   idle         an unprotected established TCP socket older than idle_ns
 *                that has moved no bytes for longer than idle_ns.
 *   fd_headroom  a process whose open fds exceed fd_headroom_percent of
 *                its RLIMIT_NOFILE soft limit.
 *
 * Protection and close_wait: a CLOSE_WAIT socket held by a server process
 * is the classic leak (the server never closes what its clients closed),
 * and such a socket is typically old, has carried traffic, and belongs to
 * a process whose name says "server". Layers 3-5 of the protection
 * decision (infrastructure, active_traffic, young) would therefore hide
 * exactly what the rule exists to find; the rule honours only layers 1-2
 * (listening, critical_port). The idle rule honours every layer.
 *
 * Sockets the owner already released (SW_F_RELEASED) are not leaks:
 * the kernel is finishing their shutdown. Thresholds are strict: "longer
 * than" means a socket exactly at the threshold does not fire.
 *
 * Pure: the caller passes time, the protection decision and fd counts.
 */
#ifndef SW_LEAK_RULES_H
#define SW_LEAK_RULES_H

#include <stdbool.h>
#include <linux/types.h>
#include "table/sock_table.h"
#include "detect/protection.h"

/* The [leaks] config section. */
struct sw_leak_cfg {
	__u64  close_wait_ns;		/* default 60 s */
	__u64  idle_ns;			/* default 300 s */
	double fd_headroom_percent;	/* default 80 */
};

enum sw_leak_rule {
	SW_LEAK_CLOSE_WAIT,
	SW_LEAK_IDLE,
	SW_LEAK_FD_HEADROOM,
	SW_LEAK_NRULES
};

void sw_leak_defaults(struct sw_leak_cfg *c);
const char *sw_leak_rule_name(enum sw_leak_rule r);	/* "close_wait" */

/*
 * Socket rules: true when s breaks the rule at now_ns; *age_ns (optional)
 * is the duration measured against the threshold (time in CLOSE_WAIT, or
 * time without traffic).
 */
bool sw_leak_close_wait(const struct sw_leak_cfg *c, const struct sw_sock *s,
			const struct sw_prot_decision *d, __u64 now_ns,
			__u64 *age_ns);
bool sw_leak_idle(const struct sw_leak_cfg *c, const struct sw_sock *s,
		  const struct sw_prot_decision *d, __u64 now_ns,
		  __u64 *age_ns);

/*
 * Whether a socket rule could flag s at now_ns, from its clocks alone
 * (the protection decision can only spare it): a scan asks this first,
 * since it is much cheaper than a decision.
 */
bool sw_leak_due(const struct sw_leak_cfg *c, const struct sw_sock *s,
		 __u64 now_ns);

/*
 * Process rule: true when open_fds > percent of soft_limit. An unlimited
 * or zero limit never fires. *used_pct (optional) is open_fds as a
 * percentage of the limit.
 */
bool sw_leak_fd_headroom(const struct sw_leak_cfg *c, __u64 open_fds,
			 __u64 soft_limit, double *used_pct);

#endif /* SW_LEAK_RULES_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Socket protection decisions (section 2 of the detection semantics, after
 * MemGuard 1.1): which sockets are never reported as leaks, and why.
 *
 * The layers, tried in this order, the first that matches decides:
 *   1. listening       TCP LISTEN (and unconnected UDP: a bound receiver)
 *   2. critical_port   the local or the remote port is in the critical set
 *   3. infrastructure  the owner's comm or command line contains a pattern
 *   4. active_traffic  more than active_bytes sent + received
 *   5. young           younger than min_age
 * otherwise "unprotected".
 *
 * Unlike the original, ports are matched as numbers (":80" never protects
 * 8001), and sockets are only looked at, never probed. Pure: the caller
 * supplies the owner's command line (or a memoised pattern lookup).
 */
#ifndef SW_PROTECTION_H
#define SW_PROTECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "lib/portrange.h"
#include "table/sock_table.h"

#define SW_PROT_MAX_PATTERNS	32
#define SW_PROT_PATTERN_LEN	32	/* with the NUL */

/*
 * Protection settings, the [protection] config section. Plain data (no
 * pointers) so that a whole config can be copied and swapped on reload.
 * critical is a bitmap over port numbers; port 0 is never critical (it is
 * the "no remote" of unconnected sockets).
 */
struct sw_protect_cfg {
	struct sw_portset critical;
	char  patterns[SW_PROT_MAX_PATTERNS][SW_PROT_PATTERN_LEN];
	__u32 npatterns;
	__u64 active_bytes;	/* protected when rx + tx > active_bytes */
	__u64 min_age_ns;	/* protected when younger than this */
};

/* The documented defaults, as config-file values. */
#define SW_PROT_DEFAULT_PORTS \
	"1-1023,1433,1521,2049,3000,3001,3306,3389,4000,5000,5432,5900," \
	"6379,8000-8005,8080,8888,9000,9090,11211,27017"
#define SW_PROT_DEFAULT_PATTERNS \
	"fastapi,uvicorn,server,listen,accept,gunicorn,django,flask," \
	"tornado,service,daemon"

enum sw_prot_reason {
	SW_PROT_LISTENING,
	SW_PROT_CRITICAL_PORT,
	SW_PROT_INFRASTRUCTURE,
	SW_PROT_ACTIVE_TRAFFIC,
	SW_PROT_YOUNG,
	SW_PROT_UNPROTECTED,
	SW_PROT_NREASONS
};

/* A decision and what it rests on. */
struct sw_prot_decision {
	__u8  reason;		/* enum sw_prot_reason */
	__u16 port;		/* critical_port: the port that matched */
	int   pattern;		/* infrastructure: index in patterns, else -1 */
};

void sw_protect_defaults(struct sw_protect_cfg *c);

/*
 * Replace the critical ports by a list "22,80,8000-8005" (empty: none), or
 * the patterns by "a,b,c" (empty: none). On error, -1 with a reason in err
 * and c unchanged.
 */
int sw_protect_set_ports(struct sw_protect_cfg *c, const char *list,
			 char *err, size_t errlen);
int sw_protect_set_patterns(struct sw_protect_cfg *c, const char *list,
			    char *err, size_t errlen);

bool sw_protect_port_is_critical(const struct sw_protect_cfg *c, __u16 port);

/*
 * The first pattern that comm or cmdline (either may be NULL) contains,
 * case-insensitively: its index, or -1.
 */
int sw_protect_match_infra(const struct sw_protect_cfg *c, const char *comm,
			   const char *cmdline);

/*
 * Layer 3 on demand: called only for sockets that layers 1-2 did not
 * protect, so that a caller can memoise pattern matching per process.
 * Returns a pattern index or -1.
 */
typedef int (*sw_infra_fn)(void *ctx, const struct sw_sock *s);

void sw_protect_decide(const struct sw_protect_cfg *c, const struct sw_sock *s,
		       __u64 now_ns, sw_infra_fn infra, void *ctx,
		       struct sw_prot_decision *d);
/* The same with the owner's command line given (may be NULL). */
void sw_protect_decide_cmd(const struct sw_protect_cfg *c,
			   const struct sw_sock *s, const char *cmdline,
			   __u64 now_ns, struct sw_prot_decision *d);

static inline bool sw_prot_is_protected(const struct sw_prot_decision *d)
{
	return d->reason != SW_PROT_UNPROTECTED;
}

const char *sw_prot_reason_name(enum sw_prot_reason r);	/* "listening" */

/*
 * Comma-separated lists, as the config file writes them: copy the next
 * item, blanks trimmed, into tok and advance *p. Returns 1 for an item
 * (possibly empty: "a,,b"), 0 at the end, -1 when an item does not fit.
 */
int sw_list_next(const char **p, char *tok, size_t toklen);

#endif /* SW_PROTECTION_H */

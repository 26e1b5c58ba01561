/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Safe clean-up of leaked sockets (the socket guard's auto-clean-up,
 * made safe): which of the sockets a leak rule flagged may be destroyed.
 *
 * A socket is destroyed (enforce) or reported as one that would be
 * (dry-run) only when all of these hold, checked in this order; the
 * first that fails is the verdict:
 *   1. a socket leak rule flagged it (close_wait or idle; not fd_headroom)
 *   2. it is not a listener (TCP LISTEN)
 *   3. it is not the agent's own
 *   4. no protection layer protects it: the full decision of
 *      protection.h (listening, critical_port, infrastructure,
 *      active_traffic, young), even though close_wait alerts on sockets
 *      that layers 3-5 protect
 *   5. it is older than min_age (since birth)
 *   6. its owner's comm is one of `processes`, when that list is set
 *      (a scope: clean-up only for the applications known to leak)
 *   7. fewer than max_per_minute destroys in the last 60 seconds
 * Dry-run counts against the rate limit as enforce would, so that its
 * report is what enforce would have done.
 *
 * Pure: the caller passes the suspect, its own pid and the time; the
 * destroy itself is sw_diag_destroy() (table/sockdiag.h).
 */
#ifndef SW_CLEANUP_H
#define SW_CLEANUP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "table/sock_table.h"
#include "detect/protection.h"

enum sw_cleanup_mode {
	SW_CLEANUP_OFF,
	SW_CLEANUP_DRY_RUN,
	SW_CLEANUP_ENFORCE,
};

#define SW_CLEANUP_MAX_PER_MINUTE	1000
#define SW_CLEANUP_MAX_PROCESSES	16

/* The [cleanup] config section. */
struct sw_cleanup_cfg {
	__u8  mode;		/* enum sw_cleanup_mode; default off */
	__u64 min_age_ns;	/* default 300 s */
	__u32 max_per_minute;	/* 1..SW_CLEANUP_MAX_PER_MINUTE; default 10 */
	/* exact comm names; none: every process */
	char  processes[SW_CLEANUP_MAX_PROCESSES][SW_COMM_LEN];
	__u32 nprocesses;
};

enum sw_cleanup_verdict {
	SW_CLEAN_DESTROY,	/* every condition holds */
	SW_CLEAN_NOT_FLAGGED,	/* no socket leak rule flagged it */
	SW_CLEAN_LISTENER,
	SW_CLEAN_OWN,
	SW_CLEAN_PROTECTED,	/* the decision's reason says which layer */
	SW_CLEAN_TOO_YOUNG,	/* younger than min_age */
	SW_CLEAN_OUT_OF_SCOPE,	/* owner not in processes */
	SW_CLEAN_RATE_LIMITED,
	SW_CLEAN_NVERDICTS
};

/* The rate limiter: the times of the last destroys, a ring. */
struct sw_cleanup_rate {
	__u64 at[SW_CLEANUP_MAX_PER_MINUTE];
	__u32 head, n;
};

/*
 * The sockets already acted on while they are still flagged (dry-run
 * reports each once; a destroy that failed is not retried every pass).
 * A pass calls begin, seen() for every candidate, mark() for each acted
 * on, and end, which forgets the sockets no longer flagged. Bounded:
 * beyond SW_CLEANUP_ACTED the set stops growing (a socket then may be
 * reported again).
 */
#define SW_CLEANUP_ACTED	4096
struct sw_cleanup_acted {
	__u64 cookie[SW_CLEANUP_ACTED];
	__u32 gen[SW_CLEANUP_ACTED];
	__u32 n, cur;
};

void sw_cleanup_begin(struct sw_cleanup_acted *a);
/* Was cookie acted on in an earlier pass? Keeps it if so. */
bool sw_cleanup_seen(struct sw_cleanup_acted *a, __u64 cookie);
void sw_cleanup_mark(struct sw_cleanup_acted *a, __u64 cookie);
void sw_cleanup_end(struct sw_cleanup_acted *a);

void sw_cleanup_defaults(struct sw_cleanup_cfg *c);
/* "off", "dry-run", "enforce": 0, or -1 with a reason in err. */
int sw_cleanup_parse_mode(const char *s, __u8 *mode, char *err, size_t errlen);
/* "a,b,c" (comm names; empty: every process). 0, or -1 with err. */
int sw_cleanup_set_processes(struct sw_cleanup_cfg *c, const char *list,
			     char *err, size_t errlen);
/* Whether comm is in the processes list (any, when the list is empty). */
bool sw_cleanup_in_scope(const struct sw_cleanup_cfg *c, const char *comm);
const char *sw_cleanup_mode_name(enum sw_cleanup_mode m);
const char *sw_cleanup_verdict_name(enum sw_cleanup_verdict v);

/*
 * The verdict for socket s that rule (enum sw_leak_rule) flagged, with
 * protection decision d (all layers), at now_ns. Does not consume the
 * rate limit: call sw_cleanup_taken() once the socket is acted on.
 */
enum sw_cleanup_verdict sw_cleanup_decide(const struct sw_cleanup_cfg *c,
					  const struct sw_cleanup_rate *rate,
					  __u8 rule, const struct sw_sock *s,
					  const struct sw_prot_decision *d,
					  __u32 self_pid, __u64 now_ns);
/* Record one destroy (or would-destroy) at now_ns. */
void sw_cleanup_taken(struct sw_cleanup_rate *rate, __u64 now_ns);
/* Destroys within the 60 seconds before now_ns. */
__u32 sw_cleanup_recent(const struct sw_cleanup_rate *rate, __u64 now_ns);

#endif /* SW_CLEANUP_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * connection_flood: a remote address opening connections faster than
 * allowed. The agent feeds one call per inbound connection (accept or
 * SYN_RECV -> ESTABLISHED event); the tracker answers once per episode.
 *
 * Rate: a sliding window of window_ns approximated by two fixed
 * windows (the current one and the one before, the latter weighted by
 * how much of it still overlaps the sliding window). That needs two
 * counters per address instead of one timestamp per connection, so
 * memory stays bounded whatever the rate. For a steady rate the estimate
 * is within about one connection of the true count; for bursts at a
 * window boundary it can be off by up to the previous window's count.
 *
 * Episode: starts when the estimate exceeds connections_per_second *
 * the window (the alert is returned then, once); ends when a hit
 * finds the estimate back at or below half that limit, or when the
 * address has been quiet for a whole window. The gap between the two
 * thresholds keeps a rate hovering at the limit from alerting on every
 * other connection.
 *
 * Memory: at most max_addrs addresses (a lib/hashmap.h map). When it is
 * full, the least recently seen of a few entries is dropped: a flood from
 * many addresses evicts the quiet ones first.
 * Not thread-safe: one thread (the event loop) owns it.
 */
#ifndef SW_FLOOD_H
#define SW_FLOOD_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "detect/alerts.h"

struct sw_flood_params {
	double connections_per_second;	/* > 0 */
	__u64  window_ns;		/* >= 1 ms; [flood] window_seconds */
	size_t max_addrs;		/* addresses tracked; 0: 4096 */
};

/* What the agent reports when an episode starts. */
struct sw_flood_alert {
	__u8  family;
	__u8  addr[16];
	double rate;		/* estimated connections per second */
	double limit;		/* connections_per_second */
	__u64 count;		/* connections in this episode so far */
	__u64 since_ns;		/* first connection of the current windows */
};

struct sw_flood;

/* NULL on invalid parameters (errno EINVAL) or no memory. */
struct sw_flood *sw_flood_new(const struct sw_flood_params *p);
void sw_flood_free(struct sw_flood *f);

/*
 * One connection from addr (network order, IPv4 in the first four
 * bytes) at monotonic time now_ns. Returns true, and fills *alert when
 * not NULL, only for the connection that starts an episode.
 */
bool sw_flood_hit(struct sw_flood *f, __u8 family, const __u8 addr[16],
		  __u64 now_ns, struct sw_flood_alert *alert);

/* Addresses in an episode at now_ns (for metrics); O(addresses). */
/*
 * The agent's use: an accepted connection (other records are ignored)
 * counted toward its remote address; true and the connection_flood alert
 * record in *out when it starts an episode.
 */
bool sw_flood_check(struct sw_flood *f, const struct sw_event *e,
		    struct sw_alert *out);

size_t sw_flood_active(const struct sw_flood *f, __u64 now_ns);

#endif /* SW_FLOOD_H */

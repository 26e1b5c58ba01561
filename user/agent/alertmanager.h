/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Alerts to Prometheus Alertmanager (POST /api/v2/alerts), beside the
 * JSON-lines sink.
 *
 * Two halves:
 *  - the episode book, under the agent's lock: every alert raised is
 *    posted with labels (alertname, severity, node, key_kind, key, unit,
 *    container, pod_uid) and annotations. An alert whose condition lasts
 *    stays "firing": close_wait, idle and fd_headroom while the leak rule
 *    still lists it (sw_am_sweep_*), ewma_breach_* until ewma_back_down
 *    for its key. It is re-posted every SW_AM_REFRESH_S with endsAt ahead,
 *    as Prometheus does, and posted once more with endsAt = now when its
 *    episode ends: Alertmanager then resolves it. One-off alerts
 *    (connection_flood, manifest_drift, ...) get endsAt SW_AM_ONESHOT_S
 *    after they fire. Labels are fixed when an alert fires, so that the
 *    resolving post names the same alert.
 *  - the sender, a thread of its own with a bounded queue, so that a slow
 *    or absent Alertmanager never blocks the event loop: it posts what is
 *    queued in batches (libcurl), retries a failed post with exponential
 *    backoff (1 s doubling to 30 s), and counts each failed attempt and
 *    each alert dropped (queue full, or undelivered for SW_AM_GIVE_UP_S).
 */
#ifndef SW_ALERTMANAGER_H
#define SW_ALERTMANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "detect/alerts.h"

#define SW_AM_QUEUE		1024	/* posts waiting */
#define SW_AM_BATCH		64	/* alerts per post */
#define SW_AM_ACTIVE		1024	/* firing alerts tracked */
#define SW_AM_REFRESH_S		30
#define SW_AM_ONESHOT_S		300
#define SW_AM_GIVE_UP_S		600

struct sw_am;

struct sw_am_stats {
	__u64 sent;		/* alerts Alertmanager accepted */
	__u64 failures;		/* failed posts (each attempt) */
	__u64 dropped;		/* alerts given up on */
	__u64 queued;		/* waiting now */
	__u64 firing;		/* episodes open now */
};

/*
 * url: "http://host:9093" (or the full ".../api/v2/alerts"); node: the
 * node label ("" or NULL: the host name). NULL with one line in err for a
 * bad URL or when the thread cannot start.
 */
struct sw_am *sw_am_start(const char *url, const char *node, char *err,
			  size_t errlen);
/* Stop the sender (one last try for what is queued, bounded). */
void sw_am_stop(struct sw_am *m);

/* An alert was raised (the caller holds the agent's lock). */
void sw_am_fire(struct sw_am *m, const struct sw_alert *al);

/*
 * After each detector tick: begin, seen() for every alert whose condition
 * still holds (each current leak suspect), end: the others are resolved,
 * the lasting ones refreshed.
 */
void sw_am_sweep_begin(struct sw_am *m);
void sw_am_sweep_seen(struct sw_am *m, const char *alert, const char *key);
void sw_am_sweep_end(struct sw_am *m);

void sw_am_get_stats(struct sw_am *m, struct sw_am_stats *s);
/* sockwatch_alerts_delivery_* families (zeros when m is NULL). */
struct sw_prom;
void sw_am_write_metrics(struct sw_am *m, struct sw_prom *p);

/* One alert of a post (exported for tests): a malloc'ed JSON object
 * from the labels and annotations objects; NULL when out of memory. */
struct sw_json;
char *sw_am_item(const char *labels, const char *annotations,
		 __u64 starts_wall_ns, __u64 ends_wall_ns);
/* The labels object of an alert: {"alertname":...,...}. */
void sw_am_labels_json(struct sw_json *j, const struct sw_alert *al,
		       const char *node);

#endif /* SW_ALERTMANAGER_H */

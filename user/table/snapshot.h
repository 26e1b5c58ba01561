/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Reading the sockets that exist in the kernel into the live table: once
 * at start (the snapshot: sockets that predate sockwatch, in every network
 * namespace it can see, attributed to their owners through /proc), and
 * periodically to repair what dropped events left wrong (reconciliation).
 */
#ifndef SW_SNAPSHOT_H
#define SW_SNAPSHOT_H

#include "table/sock_table.h"

/* Called for each pre-existing socket added, with the owner's fd for it
 * (in the owner's fd table); non-zero stops. */
typedef int (*sw_snapshot_cb)(void *ctx, const struct sw_sock *s, int owner_fd);

/* Add every existing TCP/UDP socket that a process holds, marked
 * SW_F_PREEXISTING. Returns the number added, or -errno. */
int sw_snapshot_load(struct sw_table *t, sw_snapshot_cb cb, void *ctx);

/* Compare the table with the kernel and repair it: add what is missing
 * (each added socket is also handed to cb, when given), correct states and
 * byte counts, drop what the kernel no longer has. Returns the number of
 * repairs, or -errno. */
int sw_reconcile(struct sw_table *t, sw_snapshot_cb cb, void *ctx);

/*
 * The same for a table that readers share under a lock (the agent's),
 * and made cheap when nothing drifted. The kernel's listing and the /proc
 * owner scan run outside the lock; the table is compared in slices of
 * SW_RECONCILE_SLICE sockets, each between ops->enter (take the lock,
 * catch up on events) and ops->leave (let readers in). Events applied
 * between slices are newer than the listing: sw_table_mark leaves them be,
 * and a socket no listing could show when the run began (not connected,
 * not bound) that became listable meanwhile is not swept for its absence.
 *
 * A socket the kernel lists and the table lacks is looked up again after
 * the last slice, for its create record may just have been in the ring;
 * only those still missing cost a scan of every process's descriptors.
 * One that no process held at two scans in a row (a kernel socket, one
 * in flight between processes) is remembered, so that it costs no scan at
 * every run: it is looked at again when a scan is made anyway, or every
 * 30th run. (Once is not enough: a socket accept(2) is handing over is
 * listed before its fd exists.)
 */
#define SW_RECONCILE_SLICE	4096

struct sw_reconcile_ops {
	void (*enter)(void *ctx);	/* may be NULL: no lock */
	void (*leave)(void *ctx);
	sw_snapshot_cb found;		/* each socket added; may be NULL */
	void *ctx;
};

struct sw_reconcile_stats {
	__u64 owner_scans;		/* runs that scanned /proc for owners */
	__u64 ownerless;		/* listed sockets no process holds, now */
};

/* What runs keep from one to the next (the ownerless sockets). */
struct sw_reconciler;
struct sw_reconciler *sw_reconciler_new(void);
void sw_reconciler_free(struct sw_reconciler *r);
/* sw_snapshot_load, remembering the sockets no process holds. */
int sw_reconciler_load(struct sw_reconciler *r, struct sw_table *t,
		       sw_snapshot_cb cb, void *ctx);
/* One run: the number of repairs, or -errno. */
int sw_reconciler_run(struct sw_reconciler *r, struct sw_table *t,
		      const struct sw_reconcile_ops *ops);
void sw_reconciler_stats(const struct sw_reconciler *r,
			 struct sw_reconcile_stats *st);

#endif /* SW_SNAPSHOT_H */

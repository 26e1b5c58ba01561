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

#endif /* SW_SNAPSHOT_H */

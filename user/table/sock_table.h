/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The live socket table: every inet TCP/UDP socket sockwatch knows of, keyed
 * by the kernel's socket cookie, plus per-process aggregates.
 *
 * The table is fed by events (sw_table_apply) and repaired by reconciliation
 * against the kernel (sw_table_reconcile_*). It does no I/O and takes no
 * locks: one thread owns it (the event loop); readers such as the HTTP
 * server take the owner's lock around their reads.
 */
#ifndef SW_SOCK_TABLE_H
#define SW_SOCK_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <netinet/in.h>
#include "sockwatch_abi.h"

/*
 * One live socket (128 bytes). Times are CLOCK_MONOTONIC nanoseconds.
 * birth_ns is the creation time when SW_F_BIRTH_KNOWN is set, else the
 * time sockwatch first saw the socket ("the age known so far").
 */
struct sw_sock {
	__u64 cookie;		/* key; 0 marks an empty slot */
	__u64 birth_ns;
	__u64 state_ns;		/* last state change (or birth) */
	__u64 traffic_ns;	/* last time rx/tx bytes were seen to change */
	__u64 rx_bytes;
	__u64 tx_bytes;
	__u64 cgroup_id;
	__u32 pid;		/* owner tgid; 0 when unknown */
	__u32 tid;
	__u32 netns;
	__u16 lport;
	__u16 rport;
	__u8  laddr[16];
	__u8  raddr[16];
	__u8  family;		/* AF_INET / AF_INET6 */
	__u8  proto;		/* IPPROTO_TCP / IPPROTO_UDP */
	__u8  state;		/* enum sw_tcp_state; SW_TCP_NONE for UDP */
	__u8  flags;		/* SW_F_PREEXISTING, _ACCEPTED, _RELEASED,
				   _BIRTH_KNOWN, _SEEN (sockwatch_abi.h) */
	char  comm[SW_COMM_LEN];
};

/* The first index of sw_proc.by_state: not a protocol number. */
enum sw_proto_idx {
	SW_PROTO_IDX_TCP = 0,
	SW_PROTO_IDX_UDP = 1,
	SW_PROTO_IDX_MAX
};

static inline enum sw_proto_idx sw_proto_idx(__u8 proto)
{
	return proto == IPPROTO_UDP ? SW_PROTO_IDX_UDP : SW_PROTO_IDX_TCP;
}

/*
 * Per-process aggregate, keyed by tgid. An entry whose last socket goes
 * stays, with open 0, until sw_table_proc_expire finds it empty twice, so
 * that the lifetime counters (created, closed, active_closes) of a process
 * that churns one connection at a time survive between its sockets; rates
 * are their differences over time (sockwatch top).
 */
struct sw_proc {
	__u32 pid;		/* key; 0 marks an empty slot */
	__u32 open;		/* sockets owned now */
	__u32 opened;		/* of those, created or connected by it */
	__u32 accepted;		/* of those, handed to it by accept(2) */
	__u32 by_state[2][SW_TCP_MAX_STATES];	/* [SW_PROTO_*][state] */
	__u64 created;		/* ever: create and accept events */
	__u64 closed;		/* ever: sockets it released */
	__u64 active_closes;	/* of those, closed first: a TIME_WAIT left behind */
	bool  idle;		/* open was 0 at the last expiry pass */
	char  comm[SW_COMM_LEN];
};

struct sw_table;

/*
 * capacity_hint: sockets to make room for at once (0: grow as they come).
 * Room that is not used costs more than growing: each record looks its
 * socket up by a hash of the cookie, a random slot of the index, and an
 * index larger than the live set misses the cache on nearly every one.
 */
struct sw_table *sw_table_new(size_t capacity_hint);
void sw_table_free(struct sw_table *t);
/* Owned-only mode (the agent's): a socket leaves the table when its owner
 * releases it, since the kernel sends nothing about it afterwards. */
void sw_table_set_owned_only(struct sw_table *t, bool on);

/* Apply one decoded event (its own ts_ns is the time). Returns the socket, or
 * NULL when the event removed it or did not concern a tracked socket. */
struct sw_sock *sw_table_apply(struct sw_table *t, const struct sw_event *e);
/* The same when the caller already looked the socket up: s is
 * sw_table_get(t, e->sock), NULL included. Saves the second lookup. */
struct sw_sock *sw_table_apply_to(struct sw_table *t, struct sw_sock *s,
				  const struct sw_event *e);

/*
 * Take in one decoded record: complete it from the socket's
 * entry (sw_event_complete), or an accepted socket's owner from its
 * listener's, then apply it (sw_table_apply_to), with one lookup. Returns the record as completed: e itself, or copy filled. What
 * the agent, trace and the pipeline benchmark do with every record.
 */
const struct sw_event *sw_table_ingest(struct sw_table *t,
				       const struct sw_event *e,
				       struct sw_event *copy);
/*
 * What the kernel could not say, from what the table knows: the owner of
 * a socket that predates sockwatch, the birth of an accepted socket, the
 * endpoints of a UDP socket at close. Returns e itself when nothing is
 * missing (or s is NULL), else copy, filled.
 */
const struct sw_event *sw_event_complete(struct sw_event *copy,
					 const struct sw_event *e,
					 const struct sw_sock *s);
/* A record describing a table entry (snapshot lines, found listeners). */
void sw_event_from_sock(struct sw_event *e, const struct sw_sock *s,
			__u8 kind, __u64 now_ns);

struct sw_sock *sw_table_get(struct sw_table *t, __u64 cookie);
/* Insert or replace a socket as a whole (snapshot, reconciliation). */
struct sw_sock *sw_table_put(struct sw_table *t, const struct sw_sock *s);
void sw_table_remove(struct sw_table *t, __u64 cookie);

size_t sw_table_count(const struct sw_table *t);
/*
 * The sockets by protocol and state, kept on every change: [SW_PROTO_IDX_*]
 * [state] (UDP under SW_TCP_NONE), as sw_proc.by_state for the whole
 * table. Valid until the table is freed.
 */
const __u32 (*sw_table_states(const struct sw_table *t))[SW_TCP_MAX_STATES];
/* Processes owning at least one socket. */
size_t sw_table_proc_count(const struct sw_table *t);

/* Iteration: start with *pos = 0; returns NULL at the end. The table must
 * not be modified during an iteration (removal shifts entries). */
struct sw_sock *sw_table_next(struct sw_table *t, size_t *pos);
struct sw_proc *sw_table_proc_next(struct sw_table *t, size_t *pos);
/*
 * The TCP sockets in one indexed state (SW_TCP_LISTEN or
 * SW_TCP_CLOSE_WAIT; any other state lists nothing), in no particular
 * order, without walking the table: the table keeps a set of them.
 * Same rules as sw_table_next.
 */
#define SW_TABLE_NINDEXED	2
struct sw_sock *sw_table_next_in(struct sw_table *t, __u8 state, size_t *pos);
/* The same, including the entries kept with no socket (open 0). */
struct sw_proc *sw_table_proc_next_all(struct sw_table *t, size_t *pos);
/* Drop entries that had no socket at the previous call and still have
 * none; call it every few seconds. Returns how many went. */
size_t sw_table_proc_expire(struct sw_table *t);
struct sw_proc *sw_table_proc_get(struct sw_table *t, __u32 pid);

/* Tests only: the index slot a cookie hashes to (its home). */
size_t sw_table_index_home(const struct sw_table *t, __u64 cookie);

/*
 * Reconciliation against a fresh kernel listing: mark_begin clears every
 * SEEN bit, mark sets it (inserting or repairing the entry as needed), and
 * sweep removes what the kernel no longer has. Each returns how many
 * entries it had to repair, so that the caller can count them.
 *
 * mark's now_ns is when the listing began: events applied while it was
 * read may be newer than it, so a state whose state_ns is not older than
 * now_ns is left as it is, and byte counters are only ever raised. An
 * entry with no owner takes kernel_view's (and its SW_F_RECOVERED).
 */
void sw_table_mark_begin(struct sw_table *t);
int sw_table_mark(struct sw_table *t, const struct sw_sock *kernel_view, __u64 now_ns);
int sw_table_sweep(struct sw_table *t);
/* The same, sparing the entries spare() names. */
int sw_table_sweep_sparing(struct sw_table *t,
			   bool (*spare)(const struct sw_sock *s, void *ctx),
			   void *ctx);
/*
 * Whether a listing can show the socket: not a TCP socket in CLOSE
 * (created, never bound or connected), nor an unbound UDP socket, which
 * are in no kernel hash table.
 */
bool sw_sock_listable(const struct sw_sock *s);
/*
 * Sockets no listing can show (TCP never bound or connected, UDP unbound)
 * are left by sweep; when their close event was lost, only their owner can
 * tell. This removes those not seen whose owner gone() says is gone.
 */
int sw_table_sweep_unlisted(struct sw_table *t,
			    bool (*gone)(const struct sw_sock *s, void *ctx),
			    void *ctx);

#endif /* SW_SOCK_TABLE_H */

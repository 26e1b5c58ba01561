// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "table/decode.h"
#include "table/procfs.h"
#include "lib/vec.h"
#include "table/snapshot.h"
#include "table/sockdiag.h"

/* The table's view of a socket the kernel listed. */
static void from_diag(struct sw_sock *s, const struct sw_diag_sock *d, __u64 now)
{
	memset(s, 0, sizeof(*s));
	s->cookie = d->cookie;
	s->family = d->family;
	s->proto = d->proto;
	s->state = d->proto == IPPROTO_TCP ? d->state : SW_TCP_NONE;
	s->netns = d->netns;
	s->lport = d->lport;
	s->rport = d->rport;
	memcpy(s->laddr, d->laddr, 16);
	memcpy(s->raddr, d->raddr, 16);
	if (d->has_info) {
		s->rx_bytes = d->bytes_received;
		s->tx_bytes = d->bytes_acked;
	}
	s->birth_ns = now;
	s->state_ns = now;
}

/* Owner of the socket from the map; returns the owner's fd, or -1. */
static int set_owner(struct sw_sock *s, const struct sw_owner_map *m, __u32 inode)
{
	const struct sw_owner *o = sw_owner_lookup(m, inode);

	if (!o)
		return -1;
	s->pid = o->pid;
	memcpy(s->comm, o->comm, sizeof(s->comm));
	return o->fd;
}

static const struct sw_diag_req all_held = {
	/* TIME_WAIT and request sockets belong to nobody: not listed */
	.states = SW_DIAG_ALL_STATES & ~(SW_DIAG_STATE(SW_TCP_TIME_WAIT) |
					 SW_DIAG_STATE(SW_TCP_NEW_SYN_RECV)),
	.want_info = true,
};

struct load_ctx {
	struct sw_table *t;
	struct sw_owner_map owners;
	sw_snapshot_cb cb;
	void *ctx;
	__u64 now;
	int added;
};

static int load_one(const struct sw_diag_sock *d, void *arg)
{
	struct load_ctx *c = arg;
	struct sw_sock s, *in;
	int fd;

	if (!d->inode || !d->cookie)
		return 0;
	if (sw_table_get(c->t, d->cookie))
		return 0;	/* already known from an event */
	from_diag(&s, d, c->now);
	fd = set_owner(&s, &c->owners, d->inode);
	if (!s.pid)
		return 0;	/* held by no process we can see */
	s.flags = SW_F_PREEXISTING;
	in = sw_table_put(c->t, &s);
	if (!in)
		return -ENOMEM;
	c->added++;
	return c->cb ? c->cb(c->ctx, in, fd) : 0;
}

int sw_snapshot_load(struct sw_table *t, sw_snapshot_cb cb, void *ctx)
{
	struct load_ctx c = { .t = t, .cb = cb, .ctx = ctx, .now = sw_mono_now() };
	int err;

	err = sw_owner_map_build(&c.owners);
	if (err)
		return err;
	err = sw_diag_dump_all(&all_held, load_one, &c);
	sw_owner_map_free(&c.owners);
	return err < 0 ? err : c.added;
}

/*
 * Reconciliation marks every socket the kernel lists; those it does not
 * know yet are collected and given owners in a second step, so that the
 * /proc scan (the expensive part) is made only when something is missing.
 */
struct rec_ctx {
	struct sw_table *t;
	sw_snapshot_cb cb;
	void *cb_ctx;
	__u64 now;
	int repairs;
	struct sw_vec missing;		/* struct missing */
};

/* A socket the kernel lists and the table does not know, with its inode. */
struct missing {
	struct sw_sock s;
	__u32 inode;
};

static int remember_missing(struct rec_ctx *c, const struct sw_sock *s, __u32 inode)
{
	struct missing *m = sw_vec_push(&c->missing);

	if (!m)
		return -ENOMEM;
	m->s = *s;
	m->inode = inode;
	return 0;
}

static int mark_one(const struct sw_diag_sock *d, void *arg)
{
	struct rec_ctx *c = arg;
	struct sw_sock s;

	if (!d->inode || !d->cookie)
		return 0;
	from_diag(&s, d, c->now);
	if (!sw_table_get(c->t, d->cookie))
		return remember_missing(c, &s, d->inode);
	c->repairs += sw_table_mark(c->t, &s, c->now);
	return 0;
}

static void add_missing(struct rec_ctx *c)
{
	struct sw_owner_map owners;
	size_t i;

	if (!c->missing.len || sw_owner_map_build(&owners))
		return;
	for (i = 0; i < c->missing.len; i++) {
		struct missing *m = sw_vec_at(&c->missing, i);
		int fd = set_owner(&m->s, &owners, m->inode);

		if (!m->s.pid)
			continue;
		/* its records were dropped: whether it was accepted is lost */
		m->s.flags |= SW_F_RECOVERED;
		sw_table_mark(c->t, &m->s, c->now);
		c->repairs++;
		if (c->cb)
			c->cb(c->cb_ctx, &m->s, fd);
	}
	sw_owner_map_free(&owners);
}

/* sw_table_sweep_unlisted's question: is the socket's owner gone? */
static bool owner_gone(const struct sw_sock *s, void *ctx)
{
	return sw_proc_gone((pid_t)s->pid, s->birth_ns);
}

int sw_reconcile(struct sw_table *t, sw_snapshot_cb cb, void *ctx)
{
	struct rec_ctx c = { .t = t, .now = sw_mono_now(), .cb = cb, .cb_ctx = ctx,
			     .missing = SW_VEC_INIT(struct missing) };
	int err;

	sw_table_mark_begin(t);
	err = sw_diag_dump_all(&all_held, mark_one, &c);
	if (err >= 0) {
		add_missing(&c);
		c.repairs += sw_table_sweep(t);
		if (sw_proc_readable())
			c.repairs += sw_table_sweep_unlisted(t, owner_gone, NULL);
	}
	sw_vec_free(&c.missing);
	return err < 0 ? err : c.repairs;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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
	struct sw_vec *ownerless;	/* __u64 cookies no process holds; NULL */
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
	if (!s.pid) {
		/* held by no process we can see */
		__u64 *o = c->ownerless ? sw_vec_push(c->ownerless) : NULL;

		if (o)
			*o = s.cookie;
		return 0;
	}
	s.flags = SW_F_PREEXISTING;
	in = sw_table_put(c->t, &s);
	if (!in)
		return -ENOMEM;
	c->added++;
	return c->cb ? c->cb(c->ctx, in, fd) : 0;
}

static int load(struct sw_table *t, struct sw_vec *ownerless,
		sw_snapshot_cb cb, void *ctx)
{
	struct load_ctx c = { .t = t, .ownerless = ownerless, .cb = cb,
			      .ctx = ctx, .now = sw_mono_now() };
	int err;

	err = sw_owner_map_build(&c.owners);
	if (err)
		return err;
	err = sw_diag_dump_all(&all_held, load_one, &c);
	sw_owner_map_free(&c.owners);
	return err < 0 ? err : c.added;
}

int sw_snapshot_load(struct sw_table *t, sw_snapshot_cb cb, void *ctx)
{
	return load(t, NULL, cb, ctx);
}

/*
 * Reconciliation (see snapshot.h): the listing is read in slices of
 * SW_RECONCILE_SLICE sockets, each compared with the table between
 * ops->enter and ops->leave. Sockets the table lacks, or has with no
 * owner, are collected ("missing"), looked up again at the end, and given
 * owners from /proc only if still missing.
 */
#define RETRY_RUNS	30	/* ownerless sockets are looked at again this often */

/* A socket the kernel lists, as read (slice) or found missing (missing). */
struct listed {
	struct sw_sock s;
	__u32 inode;
};

struct sw_reconciler {
	struct sw_vec slice;		/* struct listed: read, not yet compared */
	struct sw_vec missing;		/* struct listed: listed, not in the table */
	/*
	 * Sockets no process held, __u64 cookies, sorted: at the last scan
	 * only (once), or at the last two or more (ownerless). Only the
	 * latter spare a scan: a socket accept(2) is handing over is listed
	 * before its fd exists, and must not wait minutes for its owner.
	 */
	struct sw_vec once;
	struct sw_vec ownerless;
	struct sw_vec unlisted;		/* __u64 cookies no listing could show
					 * when this run began, sorted */
	__u64 runs;
	struct sw_reconcile_stats st;
	/* the run in progress */
	struct sw_table *t;
	const struct sw_reconcile_ops *ops;
	__u64 listed_ns;		/* when the listing began */
	int repairs;
};

struct sw_reconciler *sw_reconciler_new(void)
{
	struct sw_reconciler *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->slice = SW_VEC_INIT(struct listed);
	r->missing = SW_VEC_INIT(struct listed);
	r->ownerless = SW_VEC_INIT(__u64);
	r->once = SW_VEC_INIT(__u64);
	r->unlisted = SW_VEC_INIT(__u64);
	return r;
}

void sw_reconciler_free(struct sw_reconciler *r)
{
	if (!r)
		return;
	sw_vec_free(&r->slice);
	sw_vec_free(&r->missing);
	sw_vec_free(&r->ownerless);
	sw_vec_free(&r->once);
	sw_vec_free(&r->unlisted);
	free(r);
}

void sw_reconciler_stats(const struct sw_reconciler *r,
			 struct sw_reconcile_stats *st)
{
	*st = r->st;
	st->ownerless = r->ownerless.len;
}

static void enter(const struct sw_reconciler *r)
{
	if (r->ops->enter)
		r->ops->enter(r->ops->ctx);
}

static void leave(const struct sw_reconciler *r)
{
	if (r->ops->leave)
		r->ops->leave(r->ops->ctx);
}

static int cmp_cookie(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static bool in_set(const struct sw_vec *set, __u64 cookie)
{
	return set->len && bsearch(&cookie, set->data, set->len,
				   sizeof(__u64), cmp_cookie);
}

static void sort_set(struct sw_vec *set)
{
	if (set->len > 1)
		qsort(set->data, set->len, sizeof(__u64), cmp_cookie);
}

/*
 * The run's start (entered): clear the marks, and note the entries no
 * listing can show now. One that becomes listable while the listing is
 * read (a socket connected, a UDP socket bound) may have been passed over
 * by it: the sweep spares it.
 */
static int begin(struct sw_reconciler *r)
{
	struct sw_sock *s;
	size_t pos = 0;
	__u64 *c;

	sw_table_mark_begin(r->t);
	r->listed_ns = sw_mono_now();
	sw_vec_clear(&r->unlisted);
	while ((s = sw_table_next(r->t, &pos))) {
		if (sw_sock_listable(s))
			continue;
		if (!(c = sw_vec_push(&r->unlisted)))
			return -ENOMEM;
		*c = s->cookie;
	}
	sort_set(&r->unlisted);
	return 0;
}

static bool was_unlisted(const struct sw_sock *s, void *ctx)
{
	return in_set(&((struct sw_reconciler *)ctx)->unlisted, s->cookie);
}

/*
 * Whether a listed socket still needs an owner from /proc: the table lacks
 * it, or has it only from records that name no process. State records
 * name none where the socket has no storage (in owned-only mode a
 * client's owner comes from its create record alone) or fire in softirq
 * before accept(2); if the record that names the owner was dropped, the
 * entry would stay ownerless for as long as the connection lives.
 */
static bool needs_owner(struct sw_table *t, __u64 cookie)
{
	const struct sw_sock *s = sw_table_get(t, cookie);

	return !s || !s->pid;
}

/* Compare one slice with the table (entered). */
static int mark_slice(struct sw_reconciler *r)
{
	struct sw_sock *s;
	struct listed *l;
	size_t i;

	for (i = 0; i < r->slice.len; i++) {
		l = sw_vec_at(&r->slice, i);
		s = sw_table_get(r->t, l->s.cookie);
		/* marking an entry the table has does not move it */
		if (s)
			r->repairs += sw_table_mark(r->t, &l->s, r->listed_ns);
		if (s && s->pid)
			continue;
		if (!sw_vec_push(&r->missing))
			return -ENOMEM;
		*(struct listed *)sw_vec_at(&r->missing, r->missing.len - 1) = *l;
	}
	sw_vec_clear(&r->slice);
	return 0;
}

static int flush_slice(struct sw_reconciler *r)
{
	int err;

	enter(r);
	err = mark_slice(r);
	leave(r);
	return err;
}

static int list_one(const struct sw_diag_sock *d, void *arg)
{
	struct sw_reconciler *r = arg;
	struct listed *l;

	if (!d->inode || !d->cookie)
		return 0;
	l = sw_vec_push(&r->slice);
	if (!l)
		return -ENOMEM;
	from_diag(&l->s, d, r->listed_ns);
	l->inode = d->inode;
	return r->slice.len >= SW_RECONCILE_SLICE ? flush_slice(r) : 0;
}

/*
 * Missing sockets that the events caught up on since (their create record
 * was still in the ring) are not missing: keep those that still are, and,
 * unless it is time to look at them again, are not known to be held by
 * nobody. Returns how many need an owner (entered).
 */
static size_t still_missing(struct sw_reconciler *r, bool retry)
{
	struct listed *m = r->missing.data;
	size_t i, n = 0, scan = 0;

	for (i = 0; i < r->missing.len; i++) {
		if (!needs_owner(r->t, m[i].s.cookie))
			continue;
		scan += retry || !in_set(&r->ownerless, m[i].s.cookie);
		m[n++] = m[i];
	}
	r->missing.len = n;
	return scan;
}

/*
 * A socket read in the owner map may have been closed since: it is added
 * only if its owner still holds it by that fd, so that its close record,
 * if any, comes after it.
 */
static bool still_held(const struct sw_owner *o, __u32 inode)
{
	char path[48], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/fd/%d", o->pid, o->fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	return !strncmp(link, "socket:[", 8) && strtoul(link + 8, NULL, 10) == inode;
}

/* A socket no process held at this scan: once, or ownerless if before too. */
static void note_ownerless(struct sw_reconciler *r, __u64 cookie,
			   struct sw_vec *once, struct sw_vec *ownerless)
{
	bool before = in_set(&r->once, cookie) || in_set(&r->ownerless, cookie);
	__u64 *c = sw_vec_push(before ? ownerless : once);

	if (c)
		*c = cookie;
}

/*
 * The missing sockets that a process holds, added (entered); those that
 * none holds are remembered (once, then ownerless).
 */
static void add_owned(struct sw_reconciler *r, const struct sw_owner_map *owners)
{
	struct sw_vec once = SW_VEC_INIT(__u64), ownerless = SW_VEC_INIT(__u64);
	struct listed *m;
	size_t i;
	int fd;

	for (i = 0; i < r->missing.len; i++) {
		m = sw_vec_at(&r->missing, i);
		if (!needs_owner(r->t, m->s.cookie))
			continue;	/* an event brought it meanwhile */
		fd = set_owner(&m->s, owners, m->inode);
		if (!m->s.pid) {
			note_ownerless(r, m->s.cookie, &once, &ownerless);
			continue;
		}
		if (!still_held(sw_owner_lookup(owners, m->inode), m->inode))
			continue;
		/* its records were dropped: whether it was accepted is lost */
		m->s.flags |= SW_F_RECOVERED;
		sw_table_mark(r->t, &m->s, r->listed_ns);
		r->repairs++;
		if (r->ops->found)
			r->ops->found(r->ops->ctx, &m->s, fd);
	}
	sw_vec_free(&r->once);
	sw_vec_free(&r->ownerless);
	r->once = once;
	r->ownerless = ownerless;
	sort_set(&r->once);
	sort_set(&r->ownerless);
}

/* sw_table_sweep_unlisted's question: is the socket's owner gone? */
static bool owner_gone(const struct sw_sock *s, void *ctx)
{
	return sw_proc_gone((pid_t)s->pid, s->birth_ns);
}

/* After the listing: owners for what is missing, then the sweeps. */
static void finish(struct sw_reconciler *r)
{
	struct sw_owner_map owners;
	bool retry = r->runs % RETRY_RUNS == 0, scanned = false;
	size_t scan;

	enter(r);
	scan = still_missing(r, retry);
	leave(r);
	/* the expensive part, unlocked: every process's descriptors */
	if (scan && !sw_owner_map_build(&owners)) {
		scanned = true;
		r->st.owner_scans++;
	}
	enter(r);
	if (scanned)
		add_owned(r, &owners);
	r->repairs += sw_table_sweep_sparing(r->t, was_unlisted, r);
	if (sw_proc_readable())
		r->repairs += sw_table_sweep_unlisted(r->t, owner_gone, NULL);
	leave(r);
	if (scanned)
		sw_owner_map_free(&owners);
}

int sw_reconciler_load(struct sw_reconciler *r, struct sw_table *t,
		       sw_snapshot_cb cb, void *ctx)
{
	int n;

	sw_vec_clear(&r->ownerless);
	sw_vec_clear(&r->once);
	n = load(t, &r->once, cb, ctx);
	sort_set(&r->once);
	return n;
}

int sw_reconciler_run(struct sw_reconciler *r, struct sw_table *t,
		      const struct sw_reconcile_ops *ops)
{
	int err;

	r->t = t;
	r->ops = ops;
	r->repairs = 0;
	r->runs++;
	sw_vec_clear(&r->slice);
	sw_vec_clear(&r->missing);
	enter(r);
	err = begin(r);
	leave(r);
	if (!err)
		err = sw_diag_dump_all(&all_held, list_one, r);
	if (err >= 0)
		err = flush_slice(r);
	if (err >= 0)
		finish(r);
	sw_vec_clear(&r->slice);
	sw_vec_clear(&r->missing);
	return err < 0 ? err : r->repairs;
}

int sw_reconcile(struct sw_table *t, sw_snapshot_cb cb, void *ctx)
{
	struct sw_reconcile_ops ops = { .found = cb, .ctx = ctx };
	struct sw_reconciler *r = sw_reconciler_new();
	int ret;

	if (!r)
		return -ENOMEM;
	ret = sw_reconciler_run(r, t, &ops);
	sw_reconciler_free(r);
	return ret;
}

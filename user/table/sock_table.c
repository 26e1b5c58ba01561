// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The live socket table (see sock_table.h).
 *
 * Two maps (lib/hashmap.h): sockets by cookie and processes by pid. Their
 * entries are dense, so a walk has no gaps, and on these VMs memory first
 * touched costs a page fault, so less of it is also faster. Removal moves
 * the last entry into the hole, which the sweep relies on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "lib/hashmap.h"
#include "table/decode.h"
#include "table/sock_table.h"

#define MIN_CAP		1024

/*
 * Besides the two maps, the table keeps, on every insert, change and
 * removal (account()), what readers would otherwise find by walking all
 * of it every second:
 *   by_state  the sockets by protocol and state (sw_table_states);
 *   in_state  per indexed state (TCP LISTEN, CLOSE_WAIT: the few sockets
 *             the detectors and the process view look for by state),
 *             the set of their cookies, a map of bare keys
 *             (sw_table_next_in).
 */
struct sw_table {
	struct sw_map socks;	/* struct sw_sock by cookie */
	struct sw_map procs;	/* struct sw_proc by pid, kept past its last
				 * socket until sw_table_proc_expire() */
	struct sw_map in_state[SW_TABLE_NINDEXED];	/* __u64 cookies */
	__u32 by_state[SW_PROTO_IDX_MAX][SW_TCP_MAX_STATES];
	size_t plive;		/* processes with open > 0 */
	bool owned_only;	/* see sw_table_set_owned_only */
};

struct sw_table *sw_table_new(size_t capacity_hint)
{
	struct sw_table *t = calloc(1, sizeof(*t));
	int i;

	if (!t)
		return NULL;
	if (sw_map_init(&t->socks, sizeof(struct sw_sock), sizeof(__u64),
			capacity_hint > MIN_CAP ? capacity_hint : MIN_CAP) ||
	    sw_map_init(&t->procs, sizeof(struct sw_proc), sizeof(__u32),
			MIN_CAP))
		goto fail;
	for (i = 0; i < SW_TABLE_NINDEXED; i++)
		if (sw_map_init(&t->in_state[i], sizeof(__u64), sizeof(__u64), 0))
			goto fail;
	return t;
fail:
	sw_table_free(t);
	return NULL;
}

void sw_table_free(struct sw_table *t)
{
	int i;

	if (!t)
		return;
	sw_map_free(&t->socks);
	sw_map_free(&t->procs);
	for (i = 0; i < SW_TABLE_NINDEXED; i++)
		sw_map_free(&t->in_state[i]);
	free(t);
}

void sw_table_set_owned_only(struct sw_table *t, bool on)
{
	t->owned_only = on;
}

size_t sw_table_count(const struct sw_table *t)
{
	return sw_map_count(&t->socks);
}

size_t sw_table_proc_count(const struct sw_table *t)
{
	return t->plive;
}

/* ---- processes ---- */

struct sw_proc *sw_table_proc_get(struct sw_table *t, __u32 pid)
{
	return pid ? sw_map_get_k(&t->procs, &pid, sizeof(pid)) : NULL;
}

/* Count a socket toward its owner (or take it back, with delta -1). */
static void proc_account(struct sw_table *t, const struct sw_sock *s, int delta)
{
	struct sw_proc *p;

	if (!s->pid)
		return;
	if (delta > 0) {
		bool fresh;

		p = sw_map_put_k(&t->procs, &s->pid, sizeof(s->pid), &fresh);
	} else {
		p = sw_table_proc_get(t, s->pid);
	}
	if (!p)
		return;
	if (delta > 0 && s->comm[0])
		memcpy(p->comm, s->comm, sizeof(p->comm));
	if (!p->open && delta > 0)
		t->plive++;
	p->open += delta;
	if (!p->open)
		t->plive--;
	if (s->flags & SW_F_ACCEPTED)
		p->accepted += delta;
	else
		p->opened += delta;
	p->by_state[sw_proto_idx(s->proto)][s->state % SW_TCP_MAX_STATES] += delta;
}

/*
 * The owner's lifetime counters for one event. A close in ESTABLISHED or
 * later on the active side (FIN_WAIT*, CLOSING, TIME_WAIT) sends the first
 * FIN: the kernel keeps a TIME_WAIT socket for this process's connection.
 */
static void proc_count_event(struct sw_table *t, const struct sw_sock *s,
			     const struct sw_event *e)
{
	struct sw_proc *p;

	if (!s->pid || (e->kind != SW_EV_CREATE && e->kind != SW_EV_ACCEPT &&
			e->kind != SW_EV_CLOSE))
		return;
	bool fresh;

	p = sw_map_put_k(&t->procs, &s->pid, sizeof(s->pid), &fresh);
	if (!p)
		return;
	if (e->kind != SW_EV_CLOSE) {
		p->created++;
		return;
	}
	p->closed++;
	switch (s->state) {
	case SW_TCP_ESTABLISHED:
	case SW_TCP_FIN_WAIT1:
	case SW_TCP_FIN_WAIT2:
	case SW_TCP_CLOSING:
	case SW_TCP_TIME_WAIT:
		p->active_closes += s->proto == IPPROTO_TCP;
		break;
	}
}

size_t sw_table_proc_expire(struct sw_table *t)
{
	size_t i = 0, gone = 0;

	while (i < sw_map_count(&t->procs)) {
		struct sw_proc *p = sw_map_at(&t->procs, i);

		if (p->open) {
			p->idle = false;
			i++;
			continue;
		}
		if (!p->idle) {
			p->idle = true;
			i++;
			continue;
		}
		/* removal moved the last entry into slot i: look again */
		sw_map_del(&t->procs, p);
		gone++;
	}
	return gone;
}

/* ---- what the table keeps by state ---- */

/* The in_state set of s's state; NULL when that state is not indexed. */
static struct sw_map *state_set(struct sw_table *t, __u8 proto, __u8 state)
{
	if (proto != IPPROTO_TCP)
		return NULL;
	if (state == SW_TCP_LISTEN)
		return &t->in_state[0];
	if (state == SW_TCP_CLOSE_WAIT)
		return &t->in_state[1];
	return NULL;
}

/*
 * Count s in (delta +1) or out of (-1) the table's figures: by_state, the
 * state index and its owner's aggregate. Every change to an entry's
 * owner, protocol or state is bracketed by account(-1) and account(+1).
 * An index that cannot grow (out of memory) leaves the socket out of it.
 */
static void account(struct sw_table *t, const struct sw_sock *s, int delta)
{
	struct sw_map *set = state_set(t, s->proto, s->state);
	__u64 *c;
	bool fresh;

	t->by_state[sw_proto_idx(s->proto)][s->state % SW_TCP_MAX_STATES] += delta;
	if (set && delta > 0)
		sw_map_put_k(set, &s->cookie, sizeof(s->cookie), &fresh);
	else if (set && (c = sw_map_get_k(set, &s->cookie, sizeof(s->cookie))))
		sw_map_del(set, c);
	proc_account(t, s, delta);
}

const __u32 (*sw_table_states(const struct sw_table *t))[SW_TCP_MAX_STATES]
{
	return t->by_state;
}

struct sw_sock *sw_table_next_in(struct sw_table *t, __u8 state, size_t *pos)
{
	struct sw_map *set = state_set(t, IPPROTO_TCP, state);
	__u64 *c;

	if (!set || *pos >= sw_map_count(set))
		return NULL;
	c = sw_map_at(set, (*pos)++);
	return sw_map_get_k(&t->socks, c, sizeof(*c));
}

/* ---- sockets ---- */

size_t sw_table_index_home(const struct sw_table *t, __u64 cookie)
{
	return sw_map_home(&t->socks, &cookie);
}

static inline struct sw_sock *sock_get(struct sw_table *t, __u64 cookie)
{
	return cookie ? sw_map_get_k(&t->socks, &cookie, sizeof(cookie)) : NULL;
}

struct sw_sock *sw_table_get(struct sw_table *t, __u64 cookie)
{
	return sock_get(t, cookie);
}

/* A new, empty entry for cookie (which must not be present). */
static struct sw_sock *sock_add(struct sw_table *t, __u64 cookie)
{
	struct sw_sock *s;
	bool fresh;

	s = sw_map_put_k(&t->socks, &cookie, sizeof(cookie), &fresh);
	if (s)
		s->flags = SW_F_SEEN;
	return s;
}

static void sock_delete(struct sw_table *t, struct sw_sock *s)
{
	account(t, s, -1);
	sw_map_del(&t->socks, s);
}

void sw_table_remove(struct sw_table *t, __u64 cookie)
{
	struct sw_sock *s = sw_table_get(t, cookie);

	if (s)
		sock_delete(t, s);
}

struct sw_sock *sw_table_put(struct sw_table *t, const struct sw_sock *src)
{
	struct sw_sock *s = sw_table_get(t, src->cookie);

	if (s)
		account(t, s, -1);
	else if (!(s = sock_add(t, src->cookie)))
		return NULL;
	*s = *src;
	s->flags |= SW_F_SEEN;
	account(t, s, +1);
	return s;
}

struct sw_sock *sw_table_next(struct sw_table *t, size_t *pos)
{
	return *pos < sw_map_count(&t->socks) ? sw_map_at(&t->socks, (*pos)++) : NULL;
}

struct sw_proc *sw_table_proc_next_all(struct sw_table *t, size_t *pos)
{
	return *pos < sw_map_count(&t->procs) ? sw_map_at(&t->procs, (*pos)++) : NULL;
}

struct sw_proc *sw_table_proc_next(struct sw_table *t, size_t *pos)
{
	struct sw_proc *p;

	while ((p = sw_table_proc_next_all(t, pos)) && !p->open)
		;
	return p;
}

/* ---- events ---- */

static bool has_addr(const __u8 a[16])
{
	static const __u8 zero[16];

	return memcmp(a, zero, 16) != 0;
}

/* Fold what the event knows about the socket into the entry. */
static void merge_event(struct sw_sock *s, const struct sw_event *e)
{
	if (!s->pid && (e->flags & SW_F_OWNER_KNOWN)) {
		s->pid = e->pid;
		s->tid = e->tid;
		s->cgroup_id = e->cgroup_id;
		memcpy(s->comm, e->comm, sizeof(s->comm));
	}
	s->flags |= e->flags & SW_F_ACCEPTED;
	if ((e->flags & SW_F_BIRTH_KNOWN) && !(s->flags & SW_F_BIRTH_KNOWN)) {
		s->birth_ns = e->birth_ns;
		s->flags |= SW_F_BIRTH_KNOWN;
	}
	if (!s->birth_ns)
		s->birth_ns = e->ts_ns;
	if (!s->state_ns)
		s->state_ns = s->birth_ns;
	s->family = e->family;
	s->proto = e->proto;
	if (e->netns)
		s->netns = e->netns;
	if (e->lport)
		s->lport = e->lport;
	if (has_addr(e->laddr))
		memcpy(s->laddr, e->laddr, 16);
	if (e->rport)
		s->rport = e->rport;
	if (has_addr(e->raddr))
		memcpy(s->raddr, e->raddr, 16);
	if ((e->flags & SW_F_BYTES) &&
	    (e->rx_bytes != s->rx_bytes || e->tx_bytes != s->tx_bytes)) {
		s->rx_bytes = e->rx_bytes;
		s->tx_bytes = e->tx_bytes;
		s->traffic_ns = e->ts_ns;
	}
}

/* State the event leaves the socket in; the current one if it says none. */
static __u8 next_state(const struct sw_sock *s, const struct sw_event *e, bool fresh)
{
	switch (e->kind) {
	case SW_EV_STATE:
	case SW_EV_LISTEN:
	case SW_EV_ACCEPT:
		return e->new_state;
	case SW_EV_CREATE:
		return e->proto == IPPROTO_TCP ? SW_TCP_CLOSE : SW_TCP_NONE;
	default:
		if (fresh && e->proto == IPPROTO_TCP)
			return e->new_state ? e->new_state : SW_TCP_CLOSE;
		return s->state;
	}
}

/*
 * A socket leaves the table when nobody can hold it any more: UDP when
 * released; TCP when it has been released (or never had an owner, like a
 * listener's child that was never accepted) and reached CLOSE. A released
 * TCP socket still open on the wire stays, so its FIN_WAIT and LAST_ACK
 * are seen.
 */
static bool gone(const struct sw_table *t, const struct sw_sock *s)
{
	bool closed = s->proto != IPPROTO_TCP || s->state == SW_TCP_CLOSE ||
		      s->state == SW_TCP_NONE;

	if (t->owned_only && (s->flags & SW_F_RELEASED))
		return true;
	if (!closed)
		return false;
	return (s->flags & SW_F_RELEASED) || !s->pid;
}

struct sw_sock *sw_table_apply(struct sw_table *t, const struct sw_event *e)
{
	return sw_table_apply_to(t, sw_table_get(t, e->sock), e);
}

struct sw_sock *sw_table_apply_to(struct sw_table *t, struct sw_sock *s,
				  const struct sw_event *e)
{
	bool fresh = false;

	if (!e->sock)
		return NULL;
	if (!s) {
		/* a close of a socket we never knew leaves nothing to track */
		if (e->kind == SW_EV_CLOSE)
			return NULL;
		s = sock_add(t, e->sock);
		if (!s)
			return NULL;
		fresh = true;
	} else {
		account(t, s, -1);
	}

	merge_event(s, e);
	if (e->kind == SW_EV_CLOSE)
		s->flags |= SW_F_RELEASED;
	if (e->kind == SW_EV_CREATE)
		s->flags |= SW_F_BIRTH_KNOWN;
	{
		__u8 st = next_state(s, e, fresh);

		if (st != s->state) {
			s->state = st;
			s->state_ns = e->ts_ns;
		}
	}

	proc_count_event(t, s, e);
	if (gone(t, s) && (e->kind == SW_EV_CLOSE || e->kind == SW_EV_STATE)) {
		/* not accounted again: forget without the proc update */
		sw_map_del(&t->socks, s);
		return NULL;
	}
	account(t, s, +1);
	return s;
}

/* ---- reconciliation ---- */

void sw_table_mark_begin(struct sw_table *t)
{
	size_t i;

	for (i = 0; i < sw_map_count(&t->socks); i++)
		((struct sw_sock *)sw_map_at(&t->socks, i))->flags &= ~SW_F_SEEN;
}

int sw_table_mark(struct sw_table *t, const struct sw_sock *k, __u64 now_ns)
{
	struct sw_sock *s = sw_table_get(t, k->cookie);
	int repaired = 0;

	if (!s) {
		struct sw_sock n = *k;

		if (!n.birth_ns)
			n.birth_ns = now_ns;
		n.state_ns = n.birth_ns;
		n.traffic_ns = 0;
		sw_table_put(t, &n);
		return 1;
	}
	account(t, s, -1);
	s->flags |= SW_F_SEEN;
	if (!s->pid && k->pid) {
		s->pid = k->pid;
		memcpy(s->comm, k->comm, sizeof(s->comm));
		s->flags |= k->flags & SW_F_RECOVERED;
	}
	/* an entry changed since the listing began is newer than it */
	if (k->proto == IPPROTO_TCP && s->state != k->state && s->state_ns < now_ns) {
		s->state = k->state;
		s->state_ns = now_ns;
		repaired = 1;
	}
	if (!s->lport && k->lport) {
		s->lport = k->lport;
		memcpy(s->laddr, k->laddr, 16);
	}
	if (!s->rport && k->rport) {
		s->rport = k->rport;
		memcpy(s->raddr, k->raddr, 16);
	}
	/* counters only grow: a lower one is older than what events said */
	if (k->proto == IPPROTO_TCP && (k->rx_bytes > s->rx_bytes || k->tx_bytes > s->tx_bytes)) {
		s->rx_bytes = k->rx_bytes > s->rx_bytes ? k->rx_bytes : s->rx_bytes;
		s->tx_bytes = k->tx_bytes > s->tx_bytes ? k->tx_bytes : s->tx_bytes;
		s->traffic_ns = now_ns;
	}
	account(t, s, +1);
	return repaired;
}

/*
 * Only sockets that sock_diag can list are swept: a TCP socket in CLOSE
 * (created, never bound or connected) and an unbound UDP socket are in no
 * kernel hash table, so their absence from a dump proves nothing.
 */
bool sw_sock_listable(const struct sw_sock *s)
{
	if (s->proto == IPPROTO_TCP)
		return s->state != SW_TCP_CLOSE && s->state != SW_TCP_NONE;
	return s->lport != 0;
}

/* A caller's question about a socket, and its context. */
struct sweep_ask {
	bool (*fn)(const struct sw_sock *s, void *ctx);
	void *ctx;
};

/* Remove every socket that reconciliation did not see and doomed() names. */
static int sweep_unseen(struct sw_table *t,
			bool (*doomed)(const struct sw_sock *s, const struct sweep_ask *a),
			const struct sweep_ask *a)
{
	int removed = 0;
	size_t i = 0;

	while (i < sw_map_count(&t->socks)) {
		struct sw_sock *s = sw_map_at(&t->socks, i);

		if (!(s->flags & SW_F_SEEN) && doomed(s, a)) {
			sock_delete(t, s);
			removed++;
			continue;	/* position i now holds the last entry */
		}
		i++;
	}
	return removed;
}

/* Unlistable, owned, and its owner is gone. */
static bool unlisted_gone(const struct sw_sock *s, const struct sweep_ask *a)
{
	return !sw_sock_listable(s) && s->pid && a->fn(s, a->ctx);
}

/* Listable, absent from the listing, and not spared. */
static bool listed_absent(const struct sw_sock *s, const struct sweep_ask *a)
{
	return sw_sock_listable(s) && !(a->fn && a->fn(s, a->ctx));
}

int sw_table_sweep_unlisted(struct sw_table *t,
			    bool (*gone)(const struct sw_sock *s, void *ctx),
			    void *ctx)
{
	return sweep_unseen(t, unlisted_gone, &(struct sweep_ask){ gone, ctx });
}

int sw_table_sweep(struct sw_table *t)
{
	return sw_table_sweep_sparing(t, NULL, NULL);
}

int sw_table_sweep_sparing(struct sw_table *t,
			   bool (*spare)(const struct sw_sock *s, void *ctx),
			   void *ctx)
{
	return sweep_unseen(t, listed_absent, &(struct sweep_ask){ spare, ctx });
}

/* ---- records in: completion and ingestion ---- */

static void set_owner(struct sw_event *e, const struct sw_sock *s)
{
	e->pid = s->pid;
	e->tid = s->tid;
	e->cgroup_id = s->cgroup_id;
	memcpy(e->comm, s->comm, sizeof(e->comm));
	e->flags |= SW_F_OWNER_KNOWN;
}

static void fill_owner(struct sw_event *e, const struct sw_sock *s)
{
	set_owner(e, s);
	if (!(e->flags & SW_F_BIRTH_KNOWN)) {
		e->birth_ns = s->birth_ns;
		e->flags |= SW_F_BIRTH_KNOWN;
	}
}

const struct sw_event *sw_event_complete(struct sw_event *copy,
					 const struct sw_event *e,
					 const struct sw_sock *s)
{
	bool owner, birth, local, remote;

	if (!s)
		return e;
	owner = !(e->flags & SW_F_OWNER_KNOWN) && s->pid;
	birth = !(e->flags & SW_F_BIRTH_KNOWN) && s->birth_ns;
	/* a port of 0 where the table knows one: not yet bound (SYN_SENT
	 * before the port is picked), or already unhashed (the last CLOSE) */
	local = !e->lport && s->lport;
	remote = !e->rport && s->rport;
	if (!owner && !birth && !local && !remote)
		return e;
	*copy = *e;
	if (owner)
		fill_owner(copy, s);
	if (birth) {
		copy->birth_ns = s->birth_ns;
		copy->flags |= SW_F_BIRTH_KNOWN;
	}
	if (local) {
		if (sw_endpoint_empty(copy->laddr, 0))
			memcpy(copy->laddr, s->laddr, 16);
		copy->lport = s->lport;
	}
	if (remote) {
		if (sw_endpoint_empty(copy->raddr, 0))
			memcpy(copy->raddr, s->raddr, 16);
		copy->rport = s->rport;
	}
	if (!copy->netns)
		copy->netns = s->netns;
	return copy;
}

void sw_event_from_sock(struct sw_event *e, const struct sw_sock *s,
			__u8 kind, __u64 now_ns)
{
	memset(e, 0, sizeof(*e));
	e->version = SW_ABI_VERSION;
	e->kind = kind;
	e->ts_ns = now_ns;
	e->sock = s->cookie;
	e->family = s->family;
	e->proto = s->proto;
	e->new_state = s->state;
	e->netns = s->netns;
	e->lport = s->lport;
	e->rport = s->rport;
	memcpy(e->laddr, s->laddr, 16);
	memcpy(e->raddr, s->raddr, 16);
	if (s->proto == IPPROTO_TCP) {
		e->rx_bytes = s->rx_bytes;
		e->tx_bytes = s->tx_bytes;
		e->flags |= SW_F_BYTES;
	}
	if (s->flags & SW_F_PREEXISTING)
		e->flags |= SW_F_PREEXISTING;
	if (s->pid)
		fill_owner(e, s);
}

/*
 * The owned listener that accepted the connection record @e is about: same
 * namespace, family and port, and the same local address or a wildcard
 * one (an exact one first, as the kernel picks). NULL if none is known.
 * Of several SO_REUSEPORT listeners the kernel picks one by a hash the
 * record does not carry: the first listed stands for them all.
 */
static const struct sw_sock *listener_of(struct sw_table *t, const struct sw_event *e)
{
	static const __u8 any[16];
	const struct sw_sock *l, *wild = NULL;
	size_t pos = 0;

	while ((l = sw_table_next_in(t, SW_TCP_LISTEN, &pos))) {
		if (!l->pid || l->lport != e->lport || l->family != e->family ||
		    (l->netns && e->netns && l->netns != e->netns))
			continue;
		if (!memcmp(l->laddr, e->laddr, 16))
			return l;
		if (!wild && !memcmp(l->laddr, any, 16))
			wild = l;
	}
	return wild;
}

const struct sw_event *sw_table_ingest(struct sw_table *t,
				       const struct sw_event *e,
				       struct sw_event *copy)
{
	struct sw_sock *s = sock_get(t, e->sock);
	const struct sw_sock *l;

	/*
	 * The agent's kernel side reports a listener's child without an
	 * owner (no storage cloned into each child: bpf/sock_state.bpf.c);
	 * the listener's owner is the one accept(2) will hand it to.
	 */
	if (!s && e->kind == SW_EV_ACCEPT && !(e->flags & SW_F_OWNER_KNOWN) &&
	    (l = listener_of(t, e))) {
		*copy = *e;
		set_owner(copy, l);
		e = copy;
	} else {
		e = sw_event_complete(copy, e, s);
	}
	sw_table_apply_to(t, s, e);
	return e;
}

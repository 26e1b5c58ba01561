// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The live socket table (see sock_table.h).
 *
 * Sockets live in a dense array, found through an open-addressing index
 * (linear probing) whose 64-bit slots hold the entry's position + 1 (low
 * half; 0 marks an empty slot) and the low 32 bits of the cookie's hash
 * (high half), so that probes past other keys rarely touch their entries.
 * A dense array costs a third of a sparse table's memory and iterates
 * without gaps; on these VMs memory first touched costs a page fault, so
 * less of it is also faster. Removal moves the last entry into the hole.
 *
 * Processes live in a plain open-addressing table by pid.
 *
 * Deletion from either index shifts the following entries back instead of
 * leaving tombstones, so lookups never degrade with churn. Everything grows
 * by doubling and never shrinks (the working set of a node is stable;
 * shrinking would only make the next burst pay again).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "table/sock_table.h"

#define MIN_CAP		1024
#define MAX_LOAD_NUM	7	/* processes: grow at 70 % load */
#define MAX_LOAD_DEN	10

struct sw_table {
	struct sw_sock *socks;	/* dense: socks[0..count) */
	size_t count;
	size_t scap;		/* entries allocated */
	__u64 *index;		/* see above; load at most one half */
	size_t icap;		/* power of two */
	struct sw_proc *procs;
	size_t pcap;		/* power of two */
	size_t pcount;		/* entries, empty ones included */
	size_t plive;		/* entries with open > 0 */
	bool owned_only;	/* see sw_table_set_owned_only */
};

/* Cookies are a kernel counter: consecutive numbers. Mix them so that
 * neighbours do not pile into one run of slots. */
static inline size_t hash64(__u64 k)
{
	/* murmur3's finalizer: every input bit reaches the low bits */
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return (size_t)k;
}

static size_t pow2_at_least(size_t n)
{
	size_t c = MIN_CAP;

	while (c < n)
		c <<= 1;
	return c;
}

struct sw_table *sw_table_new(size_t capacity_hint)
{
	struct sw_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->scap = capacity_hint > MIN_CAP ? capacity_hint : MIN_CAP;
	t->icap = pow2_at_least(t->scap * 2);
	t->pcap = MIN_CAP;
	t->socks = malloc(t->scap * sizeof(*t->socks));
	t->index = calloc(t->icap, sizeof(*t->index));
	t->procs = calloc(t->pcap, sizeof(*t->procs));
	if (!t->socks || !t->index || !t->procs) {
		sw_table_free(t);
		return NULL;
	}
	return t;
}

void sw_table_free(struct sw_table *t)
{
	if (!t)
		return;
	free(t->socks);
	free(t->index);
	free(t->procs);
	free(t);
}

void sw_table_set_owned_only(struct sw_table *t, bool on)
{
	t->owned_only = on;
}

size_t sw_table_count(const struct sw_table *t)
{
	return t->count;
}

size_t sw_table_proc_count(const struct sw_table *t)
{
	return t->plive;
}

/* ---- processes ---- */

static struct sw_proc *proc_slot(struct sw_proc *procs, size_t pcap, __u32 pid)
{
	size_t i = hash64(pid) & (pcap - 1);

	while (procs[i].pid && procs[i].pid != pid)
		i = (i + 1) & (pcap - 1);
	return &procs[i];
}

struct sw_proc *sw_table_proc_get(struct sw_table *t, __u32 pid)
{
	struct sw_proc *p;

	if (!pid)
		return NULL;
	p = proc_slot(t->procs, t->pcap, pid);
	return p->pid ? p : NULL;
}

static int proc_grow(struct sw_table *t)
{
	size_t ncap = t->pcap * 2, i;
	struct sw_proc *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	for (i = 0; i < t->pcap; i++)
		if (t->procs[i].pid)
			*proc_slot(n, ncap, t->procs[i].pid) = t->procs[i];
	free(t->procs);
	t->procs = n;
	t->pcap = ncap;
	return 0;
}

static struct sw_proc *proc_get_or_add(struct sw_table *t, __u32 pid)
{
	struct sw_proc *p;

	if ((t->pcount + 1) * MAX_LOAD_DEN > t->pcap * MAX_LOAD_NUM &&
	    proc_grow(t))
		return NULL;
	p = proc_slot(t->procs, t->pcap, pid);
	if (!p->pid) {
		p->pid = pid;
		t->pcount++;
	}
	return p;
}

/* Backward-shift deletion from an open-addressing table of n slots. */
#define DELETE_SHIFT(arr, n, idx, keyf, hashf) do {			\
	size_t _i = (idx), _j = (idx);					\
	memset(&(arr)[_i], 0, sizeof((arr)[_i]));			\
	for (;;) {							\
		size_t _h;						\
		_j = (_j + 1) & ((n) - 1);				\
		if (!(arr)[_j].keyf)					\
			break;						\
		_h = hashf((arr)[_j].keyf) & ((n) - 1);			\
		/* move j back to i unless its home lies in (i, j] */	\
		if ((_j > _i && (_h <= _i || _h > _j)) ||		\
		    (_j < _i && (_h <= _i && _h > _j))) {		\
			(arr)[_i] = (arr)[_j];				\
			memset(&(arr)[_j], 0, sizeof((arr)[_j]));	\
			_i = _j;					\
		}							\
	}								\
} while (0)

static void proc_remove(struct sw_table *t, struct sw_proc *p)
{
	DELETE_SHIFT(t->procs, t->pcap, (size_t)(p - t->procs), pid, hash64);
	t->pcount--;
}

/* Count a socket toward its owner (or take it back, with delta -1). */
static void proc_account(struct sw_table *t, const struct sw_sock *s, int delta)
{
	struct sw_proc *p;

	if (!s->pid)
		return;
	p = delta > 0 ? proc_get_or_add(t, s->pid) : sw_table_proc_get(t, s->pid);
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
	p = proc_get_or_add(t, s->pid);
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

	while (i < t->pcap) {
		struct sw_proc *p = &t->procs[i];

		if (!p->pid || p->open) {
			p->idle = false;
			i++;
			continue;
		}
		if (!p->idle) {
			p->idle = true;
			i++;
			continue;
		}
		/* slot i now holds a shifted entry, or nothing: look again */
		proc_remove(t, p);
		gone++;
	}
	return gone;
}

/* ---- sockets ---- */

static inline __u64 slot_make(size_t pos, size_t h)
{
	return (__u64)(__u32)h << 32 | (__u64)(pos + 1);
}

static inline size_t slot_pos(__u64 v)
{
	return (__u32)v - 1;
}

static inline __u32 slot_hash(__u64 v)
{
	return v >> 32;
}

/* The index slot of cookie (hashed to h), or SIZE_MAX. */
static size_t index_find(const struct sw_table *t, __u64 cookie, size_t h)
{
	size_t mask = t->icap - 1, i = h & mask;

	for (; t->index[i]; i = (i + 1) & mask)
		if (slot_hash(t->index[i]) == (__u32)h &&
		    t->socks[slot_pos(t->index[i])].cookie == cookie)
			return i;
	return SIZE_MAX;
}

static void index_insert(__u64 *index, size_t icap, size_t h, size_t pos)
{
	size_t i = h & (icap - 1);

	while (index[i])
		i = (i + 1) & (icap - 1);
	index[i] = slot_make(pos, h);
}

/* Backward-shift deletion of slot i: no tombstones. */
static void index_delete(struct sw_table *t, size_t i)
{
	size_t mask = t->icap - 1, j = i;

	t->index[i] = 0;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!t->index[j])
			break;
		home = slot_hash(t->index[j]) & mask;
		/* leave j where it is if its home lies cyclically in (i, j] */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		t->index[i] = t->index[j];
		t->index[j] = 0;
		i = j;
	}
}

size_t sw_table_index_home(const struct sw_table *t, __u64 cookie)
{
	return hash64(cookie) & (t->icap - 1);
}

struct sw_sock *sw_table_get(struct sw_table *t, __u64 cookie)
{
	size_t i;

	if (!cookie)
		return NULL;
	i = index_find(t, cookie, hash64(cookie));
	return i == SIZE_MAX ? NULL : &t->socks[slot_pos(t->index[i])];
}

static int index_grow(struct sw_table *t)
{
	size_t ncap = t->icap * 2, pos;
	__u64 *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	for (pos = 0; pos < t->count; pos++)
		index_insert(n, ncap, hash64(t->socks[pos].cookie), pos);
	free(t->index);
	t->index = n;
	t->icap = ncap;
	return 0;
}

static int dense_grow(struct sw_table *t)
{
	/* realloc: a large block is remapped, not copied or touched again */
	struct sw_sock *n = realloc(t->socks, t->scap * 2 * sizeof(*n));

	if (!n)
		return -1;
	t->socks = n;
	t->scap *= 2;
	return 0;
}

/* A new, empty entry for cookie (which must not be present). */
static struct sw_sock *sock_add(struct sw_table *t, __u64 cookie)
{
	struct sw_sock *s;

	if ((t->count + 1) * 2 > t->icap && index_grow(t))
		return NULL;
	if (t->count == t->scap && dense_grow(t))
		return NULL;
	s = &t->socks[t->count];
	memset(s, 0, sizeof(*s));
	s->cookie = cookie;
	s->flags = SW_F_SEEN;
	index_insert(t->index, t->icap, hash64(cookie), t->count);
	t->count++;
	return s;
}

/*
 * Forget s (already taken out of its owner's counts). The last entry moves
 * into its place: s then points at an entry not seen yet by a walk that
 * goes up from 0, which is what the sweep relies on.
 */
static void sock_forget(struct sw_table *t, struct sw_sock *s)
{
	size_t pos = s - t->socks, last = t->count - 1, i;

	index_delete(t, index_find(t, s->cookie, hash64(s->cookie)));
	if (pos != last) {
		size_t h = hash64(t->socks[last].cookie);

		i = index_find(t, t->socks[last].cookie, h);
		t->index[i] = slot_make(pos, h);
		*s = t->socks[last];
	}
	t->count--;
}

static void sock_delete(struct sw_table *t, struct sw_sock *s)
{
	proc_account(t, s, -1);
	sock_forget(t, s);
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
		proc_account(t, s, -1);
	else if (!(s = sock_add(t, src->cookie)))
		return NULL;
	*s = *src;
	s->flags |= SW_F_SEEN;
	proc_account(t, s, +1);
	return s;
}

struct sw_sock *sw_table_next(struct sw_table *t, size_t *pos)
{
	return *pos < t->count ? &t->socks[(*pos)++] : NULL;
}

struct sw_proc *sw_table_proc_next_all(struct sw_table *t, size_t *pos)
{
	while (*pos < t->pcap) {
		struct sw_proc *p = &t->procs[(*pos)++];

		if (p->pid)
			return p;
	}
	return NULL;
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
		proc_account(t, s, -1);
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
		sock_forget(t, s);
		return NULL;
	}
	proc_account(t, s, +1);
	return s;
}

/* ---- reconciliation ---- */

void sw_table_mark_begin(struct sw_table *t)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		t->socks[i].flags &= ~SW_F_SEEN;
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
	proc_account(t, s, -1);
	s->flags |= SW_F_SEEN;
	if (!s->pid && k->pid) {
		s->pid = k->pid;
		memcpy(s->comm, k->comm, sizeof(s->comm));
	}
	if (k->proto == IPPROTO_TCP && s->state != k->state) {
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
	if (k->proto == IPPROTO_TCP && (k->rx_bytes != s->rx_bytes || k->tx_bytes != s->tx_bytes)) {
		s->rx_bytes = k->rx_bytes;
		s->tx_bytes = k->tx_bytes;
		s->traffic_ns = now_ns;
	}
	proc_account(t, s, +1);
	return repaired;
}

/*
 * Only sockets that sock_diag can list are swept: a TCP socket in CLOSE
 * (created, never bound or connected) and an unbound UDP socket are in no
 * kernel hash table, so their absence from a dump proves nothing.
 */
static bool listable(const struct sw_sock *s)
{
	if (s->proto == IPPROTO_TCP)
		return s->state != SW_TCP_CLOSE && s->state != SW_TCP_NONE;
	return s->lport != 0;
}

int sw_table_sweep_unlisted(struct sw_table *t,
			    bool (*gone)(const struct sw_sock *s, void *ctx),
			    void *ctx)
{
	int removed = 0;
	size_t i = 0;

	while (i < t->count) {
		struct sw_sock *s = &t->socks[i];

		if (!(s->flags & SW_F_SEEN) && !listable(s) && s->pid &&
		    gone(s, ctx)) {
			sock_delete(t, s);
			removed++;
			continue;	/* position i now holds the last entry */
		}
		i++;
	}
	return removed;
}

int sw_table_sweep(struct sw_table *t)
{
	int removed = 0;
	size_t i = 0;

	while (i < t->count) {
		struct sw_sock *s = &t->socks[i];

		if (!(s->flags & SW_F_SEEN) && listable(s)) {
			sock_delete(t, s);
			removed++;
			continue;	/* position i now holds the last entry */
		}
		i++;
	}
	return removed;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "table/decode.h"
#include "detect/detectors.h"
#include "lib/hashmap.h"

/* ---- key maps ----------------------------------------------------------- */

/*
 * The tracked keys of one kind (struct sw_det_key by its sw_key, a
 * lib/hashmap.h map), at most max of them. Maps start small and grow with
 * their keys: sized for max_keys up front, three of them would take
 * megabytes an idle node never uses.
 */
struct keymap {
	struct sw_map m;
	size_t max;
};

static int km_init(struct keymap *m, size_t max)
{
	m->max = max;
	return sw_map_init(&m->m, sizeof(struct sw_det_key),
			   sizeof(struct sw_key), 0);
}

static void km_free(struct keymap *m)
{
	sw_map_free(&m->m);
}

static inline size_t km_count(const struct keymap *m)
{
	return sw_map_count(&m->m);
}

static inline struct sw_det_key *km_at(const struct keymap *m, size_t i)
{
	return sw_map_at(&m->m, i);
}

static inline struct sw_det_key *km_get(const struct keymap *m,
					const struct sw_key *k)
{
	return sw_map_get_k(&m->m, k, sizeof(*k));
}

/* A copy of src bounded by max; entries beyond it are dropped (counted). */
static int km_copy(const struct keymap *src, size_t max, struct keymap *out,
		   __u64 *dropped)
{
	size_t i;

	if (km_init(out, max))
		return -1;
	for (i = 0; i < km_count(src); i++) {
		const struct sw_det_key *k = km_at(src, i);
		struct sw_det_key *n;
		bool fresh;

		if (km_count(out) == out->max) {
			(*dropped)++;
			continue;
		}
		n = sw_map_put_k(&out->m, &k->key, sizeof(k->key), &fresh);
		if (!n)
			return -1;
		*n = *k;
	}
	return 0;
}

/* ---- per-pass memo of infrastructure matches ------------------------------- */

/*
 * pid -> pattern index (-1: none), for one pass (emptied by memo_begin).
 * Pattern matching over a command line is the dear part of a protection
 * decision, and a process owns many sockets.
 */
struct memo_ent {
	__u32 pid;		/* key */
	int   val;
};

static void memo_begin(struct sw_map *m)
{
	sw_map_clear(m);
}

/* ---- per-sample tables --------------------------------------------------- */

/*
 * A sample counts every socket straight into its keys' figures, through
 * the tables below, in one pass over the socket table: no per-socket
 * records, no sorting. The tables belong to one sample, and their memory
 * is reused from one sample to the next: they only grow (to about twice
 * what the biggest sample needed) and are freed with the engine.
 */

/*
 * u64 -> u32 for one sample, mostly a key's index in a vector of entries
 * (idmap_entry()): a pid's cached keys, a (key, pid)'s owner entry, a
 * (key, local port)'s first pid; or a set: the (port, pid) pairs seen.
 * A lib/hashmap.h map emptied at each sample (idmap_begin).
 */
struct idmap_ent {
	__u64 key;
	__u32 val;
};

static int idmap_init(struct sw_map *m)
{
	return sw_map_init(m, sizeof(struct idmap_ent), sizeof(__u64), 0);
}

static void idmap_begin(struct sw_map *m)
{
	sw_map_clear(m);
}

/*
 * The value of key; *fresh tells that it was just added, its value then
 * the caller's to set. NULL when out of memory.
 */
SW_MAP_INLINE __u32 *idmap_get(struct sw_map *m, __u64 key, bool *fresh)
{
	struct idmap_ent *e = sw_map_put_k(m, &key, sizeof(key), fresh);

	return e ? &e->val : NULL;
}

/*
 * The element of v that key maps to, a new zeroed one (*fresh) if none
 * yet; NULL when out of memory.
 */
SW_MAP_INLINE void *idmap_entry(struct sw_map *m, struct sw_vec *v,
				__u64 key, bool *fresh)
{
	__u32 *at;
	void *e;

	if (sw_vec_reserve(v, 1))
		return NULL;
	at = idmap_get(m, key, fresh);
	if (!at)
		return NULL;
	if (!*fresh)
		return sw_vec_at(v, *at);
	*at = v->len;
	e = sw_vec_at(v, v->len++);	/* sw_vec_reserve() made room */
	memset(e, 0, v->size);
	return e;
}

/*
 * A pid's part in one key. The key's main owner is the pid of greatest
 * weight (ties: the lowest pid), named by the comm of its socket with the
 * highest local port (ties: the last in table order; local_ip: the first,
 * as a (port, pid) weighs once). That is what the sample gave when it
 * sorted a key's sockets by port, then pid, and took the comm at the end
 * of the winning pid's run; kept so that the names in alerts do not
 * change (a process's threads and exec'ed images may differ in comm).
 */
struct owner {
	__u32 agg;		/* owner table: the key's number in aggs */
	__u32 pid;
	__u32 weight;		/* its sockets; local_ip: its distinct ports */
	__u16 lport;		/* its highest local port... */
	const char *comm;	/* ...and that socket's comm, in the table */
};

/* A key's figures in this sample. */
struct agg {
	struct sw_key key;
	__u64 count;		/* sockets; local_ip: distinct local ports */
	__u32 sockets;
	__u32 inbound;
	__u32 prot[SW_PROT_NREASONS];
	/*
	 * The first pid seen and its part, while it is the only one: a
	 * process key's always is. When a second pid turns up, both go to
	 * the owner table and own is decided from there after the pass
	 * (multi), so that single-owner keys cost no table entries.
	 */
	struct owner own;
	bool multi;
	__u32 dense;		/* local_ip: its dense port array + 1; 0: ports map */
};

static inline __u64 key_word(const struct sw_key *k, int i)
{
	__u64 w;

	memcpy(&w, (const char *)k + 8 * i, sizeof(w));
	return w;
}

_Static_assert(sizeof(struct sw_key) == 24, "struct sw_key: three words");

/*
 * Keys are found by a 64-bit digest of their three words in an idmap.
 * Distinct keys with one digest are chained through agg.next, so that a
 * collision costs a probe, never a wrong count.
 */
/* The sample's index of keys: key -> its agg number in aggs. */
struct agg_id {
	struct sw_key key;
	__u32 agg;
};

static inline bool key_eq(const struct sw_key *a, const struct sw_key *b)
{
	return key_word(a, 0) == key_word(b, 0) &&
	       key_word(a, 1) == key_word(b, 1) &&
	       key_word(a, 2) == key_word(b, 2);
}

/*
 * A pid's keys in this sample: the agg its last socket went to in each
 * kind, and its owner entry there. A process's sockets mostly share their
 * local address and often their remote one, so that most sockets find
 * their keys and owner entries here, behind one hash on the pid rather
 * than one per key. Checked before use: a hint, never trusted.
 */
struct pid_keys {
	__u32 agg[SW_KEY_NKINDS];	/* agg number + 1; 0: none yet */
	__u32 owner[SW_KEY_NKINDS];	/* index in owners + 1; 0: none */
};

/*
 * An alert of a key that the sample counted, held until all of them are
 * fed: they are fed in order of first sight, but their alerts go out in
 * key order, the order the sample's sort once gave them. seq keeps a
 * key's own alerts in order.
 */
struct pending_alert {
	const struct sw_det_key *k;
	const char *name;
	size_t seq;
};

/*
 * A local_ip key with many ports (DENSE_MIN_PORTS at its last sample)
 * counts them in a dense array instead of the ports map: the first pid of
 * each port, then a bitmap of the ports seen (the only part cleared for a
 * sample). A map of 100,000 ports costs a cache miss or two per socket;
 * 264 KiB indexed by the port mostly hits. At most DENSE_MAX keys a
 * sample get one (about 1 MiB, kept); the others use the map. Same
 * figures either way: only where the first pid is kept differs. Their
 * pairs are keyed DENSE_PAIR | array << 48 | port << 32 | pid, apart
 * from the map's port index << 32 | pid.
 */
#define DENSE_MAX		4
#define DENSE_MIN_PORTS		1024
#define DENSE_PORTS		65536
#define DENSE_WORDS		(DENSE_PORTS + DENSE_PORTS / 32)
#define DENSE_PAIR		(1ULL << 63)

/* ---- the engine ---------------------------------------------------------------- */

struct sw_detectors {
	struct sw_config cfg;
	struct sw_det_hooks hooks;
	struct keymap keys[SW_KEY_NKINDS];
	struct sw_map infra;		/* struct memo_ent */
	/* one sample's figures; see "per-sample tables" */
	struct sw_vec aggs;		/* struct agg: keys, first seen first */
	struct sw_map agg_ids;		/* struct agg_id: key -> agg number */
	struct sw_map pids;		/* pid -> index in pid_keys */
	struct sw_vec pid_keys;		/* struct pid_keys */
	struct sw_map owner_ids;	/* agg << 32 | pid -> index in owners */
	struct sw_vec owners;		/* struct owner: keys with several pids */
	struct sw_map ports;		/* agg << 16 | lport -> index in port_pid */
	struct sw_vec port_pid;		/* __u32: first pid seen on that port */
	__u32 *dense[DENSE_MAX];	/* big local_ip keys' ports: see DENSE_MAX */
	size_t ndense;			/* of those, taken in this sample */
	struct sw_map pairs;		/* port index << 32 | pid: other pids */
	struct sw_vec news;		/* struct agg *: keys not tracked yet */
	struct sw_vec pending;		/* struct pending_alert */
	bool deferring;			/* feed() queues its alerts in pending */
	struct sw_vec doomed;		/* struct sw_key: to drop after a pass */
	struct sw_vec outbox;		/* struct sw_alert: raised, not taken */
	struct sw_vec listeners;		/* __u64 netns << 16 | port, sorted */
	struct sw_episodes sock_eps;	/* (rule, cookie) */
	struct sw_episodes proc_eps;	/* (fd_headroom, pid) */
	struct sw_suspect *sock_susp;	/* bounded by max_keys */
	struct sw_suspect *proc_susp;
	size_t nsock_susp;
	size_t nproc_susp;
	unsigned int kinds;		/* 1 << SW_KEY_*: the kinds tracked */
	__u32 gen;			/* sampling passes */
	__u64 next_sample_ns;
	__u64 sampled_ns;		/* the last tick_sample's time */
	__u64 next_fds_ns;
	struct sw_det_stats st;
};

const char *sw_key_kind_name(enum sw_key_kind k)
{
	switch (k) {
	case SW_KEY_LOCAL_IP:	return "local_ip";
	case SW_KEY_PROCESS:	return "process";
	case SW_KEY_REMOTE:	return "remote";
	default:		return "?";
	}
}

/* sw_key_addr(), inline for the sample's pass: a few stores, not a call. */
static inline void key_addr(struct sw_key *k, enum sw_key_kind kind,
			    unsigned int family, const __u8 addr[16],
			    __u16 port)
{
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->port = port;
	if (family == AF_INET6 && sw_addr_is_v4mapped(addr)) {
		k->family = AF_INET;
		memcpy(k->addr, addr + 12, 4);
		return;
	}
	k->family = family;
	memcpy(k->addr, addr, family == AF_INET ? 4 : 16);
}

void sw_key_addr(struct sw_key *k, enum sw_key_kind kind, unsigned int family,
		 const __u8 addr[16], __u16 port)
{
	key_addr(k, kind, family, addr, port);
}

/* sw_addr_is_any(), inline for the same reason. */
static inline bool addr_is_any(unsigned int family, const __u8 addr[16])
{
	__u64 w[2];
	__u32 v4;

	if (family == AF_INET) {
		memcpy(&v4, addr, sizeof(v4));
		return !v4;
	}
	memcpy(w, addr, sizeof(w));
	return !(w[0] | w[1]);
}

void sw_key_format(const struct sw_key *k, char *buf, size_t len)
{
	char a[SW_ADDR_STRLEN];

	if (k->kind == SW_KEY_PROCESS) {
		snprintf(buf, len, "%u", k->pid);
		return;
	}
	sw_fmt_addr(a, k->family, k->addr);
	if (k->kind == SW_KEY_LOCAL_IP)
		snprintf(buf, len, "%s", a);
	else if (k->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, k->port);
	else
		snprintf(buf, len, "%s:%u", a, k->port);
}

static int alloc_bounded(struct sw_detectors *d)
{
	size_t max = d->cfg.agent.max_keys;
	int k;

	for (k = 0; k < SW_KEY_NKINDS; k++)
		if (km_init(&d->keys[k], max))
			return -1;
	if (sw_episodes_init(&d->sock_eps, max) ||
	    sw_episodes_init(&d->proc_eps, max))
		return -1;
	d->sock_susp = calloc(max, sizeof(*d->sock_susp));
	d->proc_susp = calloc(max, sizeof(*d->proc_susp));
	return d->sock_susp && d->proc_susp ? 0 : -1;
}

/* The per-sample tables, empty: they allocate on first use. */
static int alloc_sample(struct sw_detectors *d)
{
	d->aggs = SW_VEC_INIT(struct agg);
	d->pid_keys = SW_VEC_INIT(struct pid_keys);
	d->owners = SW_VEC_INIT(struct owner);
	d->port_pid = SW_VEC_INIT(__u32);
	d->news = SW_VEC_INIT(struct agg *);
	d->pending = SW_VEC_INIT(struct pending_alert);
	d->doomed = SW_VEC_INIT(struct sw_key);
	d->listeners = SW_VEC_INIT(__u64);
	d->outbox = SW_VEC_INIT(struct sw_alert);
	if (sw_map_init(&d->infra, sizeof(struct memo_ent), sizeof(__u32), 0) ||
	    sw_map_init(&d->agg_ids, sizeof(struct agg_id), sizeof(struct sw_key), 0))
		return -1;
	return idmap_init(&d->pids) || idmap_init(&d->owner_ids) ||
	       idmap_init(&d->ports) || idmap_init(&d->pairs) ? -1 : 0;
}

struct sw_detectors *sw_detectors_new(const struct sw_config *cfg,
				      const struct sw_det_hooks *hooks)
{
	struct sw_detectors *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	d->kinds = SW_KEY_ALL_KINDS;
	if (hooks)
		d->hooks = *hooks;
	if (alloc_bounded(d) || alloc_sample(d)) {
		sw_detectors_free(d);
		return NULL;
	}
	return d;
}

void sw_detectors_free(struct sw_detectors *d)
{
	int k;

	if (!d)
		return;
	for (k = 0; k < SW_KEY_NKINDS; k++)
		km_free(&d->keys[k]);
	sw_episodes_free(&d->sock_eps);
	sw_episodes_free(&d->proc_eps);
	free(d->sock_susp);
	free(d->proc_susp);
	sw_map_free(&d->infra);
	sw_vec_free(&d->aggs);
	sw_map_free(&d->agg_ids);
	sw_map_free(&d->pids);
	sw_vec_free(&d->pid_keys);
	sw_vec_free(&d->owners);
	sw_map_free(&d->owner_ids);
	sw_map_free(&d->ports);
	sw_vec_free(&d->port_pid);
	for (k = 0; k < DENSE_MAX; k++)
		free(d->dense[k]);
	sw_map_free(&d->pairs);
	sw_vec_free(&d->news);
	sw_vec_free(&d->pending);
	sw_vec_free(&d->doomed);
	sw_vec_free(&d->listeners);
	sw_vec_free(&d->outbox);
	free(d);
}

/*
 * Bounded structures sized anew: everything is allocated before anything
 * is replaced, so that a failure leaves the engine as it was. Key maps
 * keep their detectors; episodes start afresh (ongoing conditions alert
 * once more after such a reload).
 */
static int resize_bounded(struct sw_detectors *d, size_t max)
{
	struct keymap km[SW_KEY_NKINDS] = { 0 };
	struct sw_episodes se = { 0 }, pe = { 0 };
	struct sw_suspect *ss, *ps;
	__u64 dropped[SW_KEY_NKINDS] = { 0 };
	int k, ok;

	ss = calloc(max, sizeof(*ss));
	ps = calloc(max, sizeof(*ps));
	ok = ss && ps && !sw_episodes_init(&se, max) &&
	     !sw_episodes_init(&pe, max);
	for (k = 0; ok && k < SW_KEY_NKINDS; k++)
		ok = !km_copy(&d->keys[k], max, &km[k], &dropped[k]);
	if (!ok) {
		for (k = 0; k < SW_KEY_NKINDS; k++)
			km_free(&km[k]);
		sw_episodes_free(&se);
		sw_episodes_free(&pe);
		free(ss);
		free(ps);
		return -1;
	}
	for (k = 0; k < SW_KEY_NKINDS; k++) {
		km_free(&d->keys[k]);
		d->keys[k] = km[k];
		d->st.overflow[k] += dropped[k];
	}
	sw_episodes_free(&d->sock_eps);
	sw_episodes_free(&d->proc_eps);
	d->sock_eps = se;
	d->proc_eps = pe;
	free(d->sock_susp);
	free(d->proc_susp);
	d->sock_susp = ss;
	d->proc_susp = ps;
	d->nsock_susp = d->nproc_susp = 0;
	return 0;
}

void sw_detectors_set_kinds(struct sw_detectors *d, unsigned int mask)
{
	int k;

	d->kinds = mask & SW_KEY_ALL_KINDS;
	for (k = 0; k < SW_KEY_NKINDS; k++)
		if (!(d->kinds & 1u << k))
			sw_map_clear(&d->keys[k].m);
}

int sw_detectors_configure(struct sw_detectors *d, const struct sw_config *cfg)
{
	if (cfg->agent.max_keys != d->cfg.agent.max_keys &&
	    resize_bounded(d, cfg->agent.max_keys))
		return -1;
	d->cfg = *cfg;
	return 0;
}

/* ---- protection, memoised per process ------------------------------------- */

static int infra_lookup(void *ctx, const struct sw_sock *s)
{
	struct sw_detectors *d = ctx;
	struct memo_ent *m;
	const char *cmd;
	char comm[SW_COMM_LEN + 1];
	bool fresh;

	m = sw_map_put_k(&d->infra, &s->pid, sizeof(s->pid), &fresh);
	if (!m)
		return -1;
	if (!fresh)
		return m->val;
	memcpy(comm, s->comm, SW_COMM_LEN);
	comm[SW_COMM_LEN] = '\0';
	cmd = s->pid && d->hooks.cmdline ? d->hooks.cmdline(d->hooks.ctx, s->pid) : NULL;
	m->val = sw_protect_match_infra(&d->cfg.protection, comm, cmd);
	return m->val;
}

static void decide(struct sw_detectors *d, const struct sw_sock *s,
		   __u64 now_ns, struct sw_prot_decision *pd)
{
	sw_protect_decide(&d->cfg.protection, s, now_ns, infra_lookup, d, pd);
}

static const char *pattern_name(const struct sw_detectors *d,
				const struct sw_prot_decision *pd)
{
	if (pd->reason != SW_PROT_INFRASTRUCTURE || pd->pattern < 0 ||
	    (__u32)pd->pattern >= d->cfg.protection.npatterns)
		return NULL;
	return d->cfg.protection.patterns[pd->pattern];
}

/* ---- inbound sockets ----------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static __u64 listener_id(const struct sw_sock *s)
{
	return (__u64)s->netns << 16 | s->lport;
}

/* Local ports in LISTEN, to tell inbound snapshot sockets apart. */
static void collect_listeners(struct sw_detectors *d, struct sw_table *t)
{
	struct sw_sock *s;
	size_t pos = 0;
	__u64 *id;

	d->listeners.len = 0;
	while ((s = sw_table_next_in(t, SW_TCP_LISTEN, &pos)))
		if ((id = sw_vec_push(&d->listeners)))
			*id = listener_id(s);
	if (d->listeners.len > 1)
		qsort(d->listeners.data, d->listeners.len, sizeof(__u64), cmp_u64);
}

static bool is_inbound(const struct sw_detectors *d, const struct sw_sock *s)
{
	__u64 id = listener_id(s);

	if (s->flags & SW_F_ACCEPTED)
		return true;
	/* no record said how it began: a listener's port says inbound */
	if (!(s->flags & (SW_F_PREEXISTING | SW_F_RECOVERED)) ||
	    s->proto != IPPROTO_TCP ||
	    s->state == SW_TCP_LISTEN || !d->listeners.len)
		return false;
	return bsearch(&id, d->listeners.data, d->listeners.len,
		       sizeof(__u64), cmp_u64) != NULL;
}

/* A TCP connection, in any state but LISTEN and the unconnected ones. */
static bool is_active_tcp(const struct sw_sock *s)
{
	return s->proto == IPPROTO_TCP && s->state != SW_TCP_LISTEN &&
	       s->state != SW_TCP_CLOSE && s->state != SW_TCP_NONE;
}

/* ---- counting: one pass over the table ----------------------------------- */

static inline struct pid_keys *pid_keys(struct sw_detectors *d, __u32 pid)
{
	bool fresh;

	return idmap_entry(&d->pids, &d->pid_keys, pid, &fresh);
}

static inline struct agg *agg_at(const struct sw_detectors *d, size_t i)
{
	return (struct agg *)d->aggs.data + i;
}

/* A zeroed dense port array for local_ip key k if it is big: its number
 * + 1, or 0 (the ports map). */
static __u32 dense_take(struct sw_detectors *d, const struct sw_key *k)
{
	const struct sw_det_key *t = km_get(&d->keys[SW_KEY_LOCAL_IP], k);
	__u32 **a = &d->dense[d->ndense];

	if (!t || t->ewma.count < DENSE_MIN_PORTS || d->ndense == DENSE_MAX)
		return 0;
	if (!*a)
		*a = calloc(DENSE_WORDS, sizeof(**a));
	else
		memset(*a + DENSE_PORTS, 0, DENSE_PORTS / 32 * sizeof(**a));
	return *a ? ++d->ndense : 0;
}

/* count_port()'s first pid of port in a's dense array, and its pair key. */
static inline __u32 *dense_port(struct sw_detectors *d, const struct agg *a,
				__u16 port, bool *fresh, __u64 *pair)
{
	__u32 *arr = d->dense[a->dense - 1];
	__u32 *seen = arr + DENSE_PORTS + port / 32, bit = 1u << (port % 32);

	*fresh = !(*seen & bit);
	*seen |= bit;
	*pair = DENSE_PAIR | (__u64)(a->dense - 1) << 48 | (__u64)port << 32;
	return arr + port;
}

/*
 * The number of key k's agg, added with s's pid as its first owner if k
 * is new; -1 when out of memory.
 */
static long agg_get(struct sw_detectors *d, const struct sw_key *k,
		    const struct sw_sock *s)
{
	struct agg_id *id;
	struct agg *a;
	bool fresh;
	size_t i;

	if (sw_vec_reserve(&d->aggs, 1))
		return -1;
	id = sw_map_put_k(&d->agg_ids, k, sizeof(*k), &fresh);
	if (!id)
		return -1;
	if (!fresh)
		return id->agg;
	i = d->aggs.len++;			/* sw_vec_reserve() made room */
	a = agg_at(d, i);
	memset(a, 0, sizeof(*a));
	a->key = *k;
	if (k->kind == SW_KEY_LOCAL_IP)
		a->dense = dense_take(d, k);
	a->own = (struct owner){ .agg = i, .pid = s->pid, .lport = s->lport,
				 .comm = s->comm };
	id->agg = i;
	return i;
}

/* agg_get(), through pk's hint when it is k's agg. */
static inline long agg_lookup(struct sw_detectors *d, struct pid_keys *pk,
			      const struct sw_key *k, const struct sw_sock *s)
{
	__u32 *hint = pk ? &pk->agg[k->kind] : NULL;
	long i;

	if (hint && *hint && key_eq(&agg_at(d, *hint - 1)->key, k))
		return *hint - 1;
	i = agg_get(d, k, s);
	if (hint && i >= 0)
		*hint = i + 1;
	return i;
}

static inline void weigh(struct owner *o, const struct sw_sock *s)
{
	o->weight++;
	if (s->lport >= o->lport) {
		o->lport = s->lport;
		o->comm = s->comm;
	}
}

/* The owner table's entry of (key i, pid): NULL when out of memory. */
static struct owner *owner_entry(struct sw_detectors *d, size_t i, __u32 pid,
				 __u16 lport, const char *comm)
{
	struct owner *o;
	bool fresh;

	o = idmap_entry(&d->owner_ids, &d->owners, (__u64)i << 32 | pid, &fresh);
	if (o && fresh)
		*o = (struct owner){ .agg = i, .pid = pid, .lport = lport,
				     .comm = comm };
	return o;
}

/* s weighs one more for its pid in key i. */
static inline void owner_add(struct sw_detectors *d, struct pid_keys *pk,
			     size_t i, const struct sw_sock *s)
{
	struct agg *a = agg_at(d, i);
	struct owner *o, *spill;
	__u32 *hint = pk ? &pk->owner[a->key.kind] : NULL;

	if (!a->multi) {
		if (s->pid == a->own.pid) {
			weigh(&a->own, s);
			return;
		}
		/* a second pid: the owners go to the table from now on */
		spill = owner_entry(d, i, a->own.pid, a->own.lport, a->own.comm);
		if (!spill)
			return;
		spill->weight = a->own.weight;
		a->multi = true;
		a->own.weight = 0;	/* decide_owners() fills own in again */
	}
	o = hint && *hint ? (struct owner *)d->owners.data + *hint - 1 : NULL;
	if (!o || o->agg != i || o->pid != s->pid) {
		o = owner_entry(d, i, s->pid, s->lport, s->comm);
		if (!o)
			return;
		if (hint)
			*hint = o - (struct owner *)d->owners.data + 1;
	}
	weigh(o, s);
}

/* Keys with several pids: the main owner, from the owner table. */
static void decide_owners(struct sw_detectors *d)
{
	const struct owner *o = d->owners.data;
	struct owner *best;
	size_t i;

	for (i = 0; i < d->owners.len; i++) {
		best = &agg_at(d, o[i].agg)->own;
		if (o[i].weight > best->weight ||
		    (o[i].weight == best->weight && o[i].pid < best->pid))
			*best = o[i];
	}
}

/* A socket in a process or remote key. */
static inline void count_socket(struct sw_detectors *d, struct pid_keys *pk,
				const struct sw_key *k, const struct sw_sock *s,
				__u8 reason, bool inbound)
{
	long i = agg_lookup(d, pk, k, s);
	struct agg *a;

	if (i < 0)
		return;		/* out of memory: this sample undercounts */
	a = agg_at(d, i);
	if (inbound) {
		a->inbound++;
	} else {
		a->count++;
		a->sockets++;
		a->prot[reason]++;
	}
	owner_add(d, pk, i, s);
}

/*
 * A socket in a local_ip key, which counts distinct local ports. Its
 * owner is the pid holding most of them, so a (port, pid) pair weighs
 * one: otherwise a server whose accepted sockets all share its listener's
 * port would be named for (and, with on_breach signal:, sent) its
 * clients' leak on the same address. A port keeps its first pid; the
 * pairs set only holds the other pids of shared ports.
 */
static inline void count_port(struct sw_detectors *d, struct pid_keys *pk,
			      const struct sw_key *k, const struct sw_sock *s,
			      __u8 reason)
{
	long i = agg_lookup(d, pk, k, s);
	struct agg *a;
	__u32 *first;
	__u64 pair = 0;
	bool fresh;

	if (i < 0)
		return;
	a = agg_at(d, i);
	a->sockets++;
	a->prot[reason]++;
	if (a->dense)
		first = dense_port(d, a, s->lport, &fresh, &pair);
	else
		first = idmap_entry(&d->ports, &d->port_pid,
				    (__u64)i << 16 | s->lport, &fresh);
	if (!first)
		return;
	if (fresh) {
		*first = s->pid;
		a->count++;
	} else if (*first == s->pid) {
		return;		/* this (port, pid) weighs already */
	} else {
		if (!a->dense)
			pair = (__u64)(first - (__u32 *)d->port_pid.data) << 32;
		if (!idmap_get(&d->pairs, pair | s->pid, &fresh) || !fresh)
			return;
	}
	owner_add(d, pk, i, s);
}

static void collect_socket(struct sw_detectors *d, const struct sw_sock *s,
			   __u64 now_ns)
{
	bool active = is_active_tcp(s), inbound = is_inbound(d, s);
	bool owned = s->pid && !(s->flags & SW_F_RELEASED) &&
		     (d->kinds & 1u << SW_KEY_PROCESS);
	bool local = active && (d->kinds & 1u << SW_KEY_LOCAL_IP);
	bool remote = active && !inbound && (d->kinds & 1u << SW_KEY_REMOTE);
	struct sw_prot_decision pd;
	struct pid_keys *pk;
	struct sw_key k;

	if (!local && !owned && !remote)
		return;
	decide(d, s, now_ns, &pd);
	pk = pid_keys(d, s->pid);	/* NULL (out of memory): no hints */
	if (local && !addr_is_any(s->family, s->laddr)) {
		key_addr(&k, SW_KEY_LOCAL_IP, s->family, s->laddr, 0);
		if (!d->cfg.allow.n ||
		    sw_addr_list_contains(&d->cfg.allow, k.family, k.addr))
			count_port(d, pk, &k, s, pd.reason);
	}
	if (owned) {
		memset(&k, 0, sizeof(k));
		k.kind = SW_KEY_PROCESS;
		k.pid = s->pid;
		count_socket(d, pk, &k, s, pd.reason, inbound);
	}
	if (remote && s->rport && !addr_is_any(s->family, s->raddr)) {
		key_addr(&k, SW_KEY_REMOTE, s->family, s->raddr, s->rport);
		count_socket(d, pk, &k, s, pd.reason, false);
	}
}

/* ---- feeding the detectors, raising alerts ------------------------------------ */

static void raise_alert(struct sw_detectors *d, const struct sw_alert *a)
{
	struct sw_alert *out = sw_vec_push(&d->outbox);

	d->st.alerts++;
	if (out)
		*out = *a;
	else
		d->st.alerts_lost++;
}

static void key_alert(struct sw_detectors *d, const struct sw_det_key *k,
		      const char *name, __u64 now_ns)
{
	const struct sw_ewma_params *p = &d->cfg.ewma;
	const struct sw_ewma *e = &k->ewma;
	struct sw_alert a;
	char key[SW_ALERT_KEYLEN];

	sw_key_format(&k->key, key, sizeof(key));
	sw_alert_init(&a, name, sw_key_kind_name(k->key.kind), now_ns);
	sw_alert_set_key(&a, key);
	sw_alert_set_owner(&a, k->pid, k->comm);
	sw_alert_uint(&a, "count", e->count);
	sw_alert_double(&a, "short", e->short_avg);
	sw_alert_double(&a, "long", e->long_avg);
	sw_alert_double(&a, "rd", e->rd);
	sw_alert_double(&a, "threshold", p->max_difference);
	sw_alert_uint(&a, "min_ports", p->min_ports);
	sw_alert_uint(&a, "max_ports", p->max_ports);
	sw_alert_bool(&a, "fail", e->fail);
	sw_alert_str(&a, "state", sw_ewma_state_name(e->state));
	if (e->state != SW_EWMA_IDLE || !strcmp(name, SW_ALERT_EWMA_BACK_DOWN))
		sw_alert_seconds(&a, "age", now_ns - e->armed_ns);
	sw_alert_seconds(&a, "breach_seconds", p->breach_ns);
	sw_alert_uint(&a, "sockets", k->sockets);
	if (k->key.kind == SW_KEY_PROCESS)
		sw_alert_uint(&a, "inbound", k->inbound);
	sw_alert_set_breakdown(&a, k->prot);
	raise_alert(d, &a);
}

/* feed()'s alerts: raised now, or held in pending while d->deferring. */
static void feed_alert(struct sw_detectors *d, const struct sw_det_key *k,
		       const char *name, __u64 now_ns)
{
	struct pending_alert *p;

	if (!d->deferring) {
		key_alert(d, k, name, now_ns);
		return;
	}
	p = sw_vec_push(&d->pending);
	if (p)
		*p = (struct pending_alert){ k, name, d->pending.len - 1 };
	else
		key_alert(d, k, name, now_ns);	/* out of order, not lost */
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending_alert *x = a, *y = b;
	int r = memcmp(&x->k->key, &y->k->key, sizeof(x->k->key));

	if (r)
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The held alerts, in key order. feed() set everything they show, and
 * keys do not move before this: nothing is inserted or deleted meanwhile.
 */
static void raise_pending(struct sw_detectors *d, __u64 now_ns)
{
	struct pending_alert *p = d->pending.data;
	size_t i;

	if (d->pending.len > 1)
		qsort(p, d->pending.len, sizeof(*p), cmp_pending);
	for (i = 0; i < d->pending.len; i++)
		key_alert(d, p[i].k, p[i].name, now_ns);
	d->pending.len = 0;
}

static const char *transition_alert(enum sw_ewma_transition t)
{
	switch (t) {
	case SW_EWMA_T_ARMED:		return SW_ALERT_EWMA_STARTED;
	case SW_EWMA_T_CANCELLED:
	case SW_EWMA_T_RECOVERED:	return SW_ALERT_EWMA_BACK_DOWN;
	case SW_EWMA_T_CONFIRMED:	return SW_ALERT_EWMA_CONFIRMED;
	default:			return NULL;
	}
}

/* One sample for a tracked key; a NULL agg means "no socket this time". */
static void feed(struct sw_detectors *d, struct sw_det_key *k,
		 const struct agg *a, __u64 now_ns)
{
	const struct sw_ewma_params *p = &d->cfg.ewma;
	enum sw_ewma_transition t;
	const char *name;
	__u64 count = a ? a->count : 0;

	k->gen = d->gen;
	k->sockets = a ? a->sockets : 0;
	k->inbound = a ? a->inbound : 0;
	if (a)
		memcpy(k->prot, a->prot, sizeof(k->prot));
	else
		memset(k->prot, 0, sizeof(k->prot));
	/* without sockets, the last owner is still the best name to give */
	if (a && a->own.comm) {
		k->pid = a->own.pid;
		memcpy(k->comm, a->own.comm, SW_COMM_LEN);
	}
	if (count)
		k->active_ns = now_ns;
	t = sw_ewma_sample(&k->ewma, p, count, now_ns);
	name = transition_alert(t);
	if (name)
		feed_alert(d, k, name, now_ns);
	if (count >= p->max_ports && !k->over_max) {
		k->over_max = true;
		feed_alert(d, k, SW_ALERT_MAX_PORTS, now_ns);
	} else if (count < p->max_ports) {
		k->over_max = false;
	}
}

static void track_new(struct sw_detectors *d, struct keymap *m,
		      struct sw_det_key *slot, const struct agg *a,
		      __u64 now_ns)
{
	memset(slot, 0, sizeof(*slot));
	slot->key = a->key;
	slot->first_ns = now_ns;
	sw_ewma_init(&slot->ewma, &d->cfg.ewma);
	feed(d, slot, a, now_ns);
}

/* A tracked key still at its seed, with the smallest count: NULL if none. */
static struct sw_det_key *eviction_victim(struct sw_detectors *d,
					  struct keymap *m)
{
	struct sw_det_key *victim = NULL, *k;
	size_t i;

	for (i = 0; i < km_count(m); i++) {
		k = km_at(m, i);
		if (!sw_ewma_pristine(&k->ewma, &d->cfg.ewma) ||
		    k->ewma.count >= d->cfg.ewma.min_ports)
			continue;
		if (!victim || k->ewma.count < victim->ewma.count)
			victim = k;
	}
	return victim;
}

static void insert_new(struct sw_detectors *d, const struct agg *a,
		       __u64 now_ns)
{
	struct keymap *m = &d->keys[a->key.kind];
	struct sw_det_key *victim, *slot;
	bool fresh;

	if (km_count(m) == m->max) {
		victim = a->count >= d->cfg.ewma.min_ports ?
			 eviction_victim(d, m) : NULL;
		if (!victim) {
			d->st.overflow[a->key.kind]++;
			return;
		}
		sw_map_del(&m->m, victim);
		d->st.evicted[a->key.kind]++;
	}
	slot = sw_map_put_k(&m->m, &a->key, sizeof(a->key), &fresh);
	if (!slot) {
		d->st.overflow[a->key.kind]++;	/* out of memory: not tracked */
		return;
	}
	track_new(d, m, slot, a, now_ns);
}

/* The biggest first; ties in key order. */
static int cmp_news(const void *a, const void *b)
{
	const struct agg *x = *(struct agg *const *)a;
	const struct agg *y = *(struct agg *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* ---- sampling ----------------------------------------------------------------- */

static void apply(struct sw_detectors *d, struct agg *a, __u64 now_ns)
{
	struct sw_det_key *k = km_get(&d->keys[a->key.kind], &a->key);
	struct agg **n;

	if (k) {
		feed(d, k, a, now_ns);
		return;
	}
	/* a key with nothing counted (only inbound sockets) is not worth a slot */
	if (a->count && (n = sw_vec_push(&d->news)))
		*n = a;
}

static bool idle_too_long(const struct sw_detectors *d,
			  const struct sw_det_key *k, __u64 now_ns)
{
	__u64 last = k->active_ns > k->first_ns ? k->active_ns : k->first_ns;

	return !k->ewma.count && k->ewma.state == SW_EWMA_IDLE &&
	       now_ns - last >= d->cfg.agent.key_idle_ns;
}

/* Keys without sockets this time get a zero sample; idle ones go. */
static void sweep_keys(struct sw_detectors *d, __u64 now_ns)
{
	struct sw_det_key *k;
	struct sw_key *doomed;
	size_t i, kind;

	d->doomed.len = 0;
	for (kind = 0; kind < SW_KEY_NKINDS; kind++) {
		for (i = 0; i < km_count(&d->keys[kind]); i++) {
			k = km_at(&d->keys[kind], i);
			if (k->gen != d->gen)
				feed(d, k, NULL, now_ns);
			if (idle_too_long(d, k, now_ns) &&
			    (doomed = sw_vec_push(&d->doomed)))
				*doomed = k->key;
		}
	}
	/* deleting moves entries: not while walking them */
	doomed = d->doomed.data;
	for (i = 0; i < d->doomed.len; i++) {
		sw_map_del(&d->keys[doomed[i].kind].m,
			   km_get(&d->keys[doomed[i].kind], &doomed[i]));
		d->st.dropped_idle++;
	}
}

/*
 * New keys, the biggest first: they get the room that is left. Those that
 * cannot get in are counted first, without sorting: a kind that is full
 * stays full (an eviction frees the room it fills), and only a key of
 * min_ports or more may evict. With a full map, that is nearly all of them.
 */
static void insert_news(struct sw_detectors *d, __u64 now_ns)
{
	struct agg **news = d->news.data;
	const struct keymap *m;
	size_t i, n = 0;

	for (i = 0; i < d->news.len; i++) {
		m = &d->keys[news[i]->key.kind];
		if (km_count(m) == m->max &&
		    news[i]->count < d->cfg.ewma.min_ports)
			d->st.overflow[news[i]->key.kind]++;
		else
			news[n++] = news[i];
	}
	if (n > 1)
		qsort(news, n, sizeof(*news), cmp_news);
	for (i = 0; i < n; i++)
		insert_new(d, news[i], now_ns);
}

void sw_detectors_sample(struct sw_detectors *d, struct sw_table *t,
			 __u64 now_ns)
{
	struct sw_sock *s;
	size_t pos = 0, i;

	d->gen++;
	d->st.samples++;
	memo_begin(&d->infra);
	d->aggs.len = 0;
	idmap_begin(&d->agg_ids);
	idmap_begin(&d->pids);
	idmap_begin(&d->owner_ids);
	idmap_begin(&d->ports);
	idmap_begin(&d->pairs);
	d->pid_keys.len = 0;
	d->owners.len = 0;
	d->port_pid.len = 0;
	d->ndense = 0;
	d->news.len = 0;
	collect_listeners(d, t);
	while ((s = sw_table_next(t, &pos)))
		collect_socket(d, s, now_ns);
	decide_owners(d);

	d->deferring = true;
	for (i = 0; i < d->aggs.len; i++)
		apply(d, agg_at(d, i), now_ns);
	d->deferring = false;
	raise_pending(d, now_ns);
	sweep_keys(d, now_ns);
	insert_news(d, now_ns);
}

/* ---- leak rules ------------------------------------------------------------------ */

static void socket_alert(const struct sw_detectors *d,
			 const struct sw_suspect *s, struct sw_alert *a)
{
	const struct sw_sock *k = &s->sock;
	char l[SW_ENDPOINT_STRLEN], r[SW_ENDPOINT_STRLEN], key[SW_ALERT_KEYLEN];

	sw_fmt_endpoint(l, sizeof(l), k->family, k->laddr, k->lport);
	sw_fmt_endpoint(r, sizeof(r), k->family, k->raddr, k->rport);
	snprintf(key, sizeof(key), "%s->%s", l, r);
	sw_alert_set_key(a, key);
	a->key_kind = "socket";
	sw_alert_uint(a, "cookie", k->cookie);
	sw_alert_str(a, "state", sw_tcp_state_name(k->state));
	sw_alert_str(a, "local", l);
	sw_alert_str(a, "remote", r);
	sw_alert_bool(a, "inbound", k->flags & SW_F_ACCEPTED);
	sw_alert_seconds(a, "age", s->age_ns);
	sw_alert_seconds(a, "threshold", s->threshold_ns);
	sw_alert_uint(a, "rx_bytes", k->rx_bytes);
	sw_alert_uint(a, "tx_bytes", k->tx_bytes);
	sw_alert_set_decision(a, &s->decision, pattern_name(d, &s->decision));
}

void sw_suspect_alert(const struct sw_detectors *d, const struct sw_suspect *s,
		      struct sw_alert *a)
{
	char key[16];

	sw_alert_init(a, s->rule == SW_LEAK_CLOSE_WAIT ? SW_ALERT_CLOSE_WAIT :
			 s->rule == SW_LEAK_IDLE ? SW_ALERT_IDLE :
			 SW_ALERT_FD_HEADROOM, "process", 0);
	a->mono_ns = s->since_ns;
	sw_alert_set_owner(a, s->pid, s->comm);
	if (s->rule != SW_LEAK_FD_HEADROOM) {
		socket_alert(d, s, a);
		return;
	}
	snprintf(key, sizeof(key), "%u", s->pid);
	sw_alert_set_key(a, key);
	sw_alert_uint(a, "open_fds", s->open_fds);
	sw_alert_uint(a, "soft_limit", s->soft_limit);
	sw_alert_double(a, "percent", s->percent);
	sw_alert_double(a, "threshold", d->cfg.leaks.fd_headroom_percent);
}

/*
 * A rule hit: the suspect is listed while it holds, and alerted when its
 * episode starts. The list is as bounded as the episode set.
 */
static void flag(struct sw_detectors *d, struct sw_episodes *eps,
		 struct sw_suspect *list, size_t *n, const struct sw_suspect *s,
		 __u64 id)
{
	struct sw_alert a;
	int r = *n < d->cfg.agent.max_keys ? sw_episodes_hit(eps, s->rule, id) : -1;

	if (r < 0) {
		d->st.suppressed++;
		return;
	}
	list[(*n)++] = *s;
	if (r == 0)
		return;
	sw_suspect_alert(d, s, &a);
	raise_alert(d, &a);
}

bool sw_detectors_judge(struct sw_detectors *d, const struct sw_sock *k,
			__u64 now_ns, struct sw_suspect *s)
{
	const struct sw_leak_cfg *lc = &d->cfg.leaks;
	struct sw_prot_decision pd;
	__u64 age_ns = 0;
	__u8 rule;

	if (!sw_leak_due(lc, k, now_ns))
		return false;
	decide(d, k, now_ns, &pd);
	if (sw_leak_close_wait(lc, k, &pd, now_ns, &age_ns))
		rule = SW_LEAK_CLOSE_WAIT;
	else if (sw_leak_idle(lc, k, &pd, now_ns, &age_ns))
		rule = SW_LEAK_IDLE;
	else
		return false;
	/* a suspect is big (a socket's copy): built for the few flagged only */
	memset(s, 0, sizeof(*s));
	s->rule = rule;
	s->decision = pd;
	s->age_ns = age_ns;
	s->threshold_ns = rule == SW_LEAK_CLOSE_WAIT ? lc->close_wait_ns :
			  lc->idle_ns;
	s->sock = *k;
	s->pid = k->pid;
	memcpy(s->comm, k->comm, SW_COMM_LEN);
	s->since_ns = now_ns;
	return true;
}

static void scan_socket(struct sw_detectors *d, const struct sw_sock *k,
			__u64 now_ns)
{
	struct sw_suspect s;

	if (sw_detectors_judge(d, k, now_ns, &s))
		flag(d, &d->sock_eps, d->sock_susp, &d->nsock_susp, &s, k->cookie);
}

static void scan_process(struct sw_detectors *d, const struct sw_proc *p,
			 __u64 now_ns)
{
	struct sw_suspect s;

	memset(&s, 0, sizeof(s));
	if (d->hooks.fd_usage(d->hooks.ctx, p->pid, &s.open_fds, &s.soft_limit))
		return;
	if (!sw_leak_fd_headroom(&d->cfg.leaks, s.open_fds, s.soft_limit,
				 &s.percent))
		return;
	s.rule = SW_LEAK_FD_HEADROOM;
	s.pid = p->pid;
	memcpy(s.comm, p->comm, SW_COMM_LEN);
	s.since_ns = now_ns;
	flag(d, &d->proc_eps, d->proc_susp, &d->nproc_susp, &s, p->pid);
}

void sw_detectors_scan(struct sw_detectors *d, struct sw_table *t,
		       __u64 now_ns, bool with_fds)
{
	struct sw_sock *s;
	struct sw_proc *p;
	size_t pos = 0;

	d->st.scans++;
	memo_begin(&d->infra);
	sw_episodes_begin(&d->sock_eps);
	d->nsock_susp = 0;
	while ((s = sw_table_next(t, &pos)))
		scan_socket(d, s, now_ns);
	sw_episodes_end(&d->sock_eps);

	if (!with_fds || !d->hooks.fd_usage)
		return;
	pos = 0;
	sw_episodes_begin(&d->proc_eps);
	d->nproc_susp = 0;
	while ((p = sw_table_proc_next(t, &pos)))
		if (p->pid)
			scan_process(d, p, now_ns);
	sw_episodes_end(&d->proc_eps);
}

/* ---- the main loop's entry point -------------------------------------------- */

bool sw_detectors_tick_sample(struct sw_detectors *d, struct sw_table *t,
			      __u64 now_ns)
{
	if (now_ns < d->next_sample_ns)
		return false;
	sw_detectors_sample(d, t, now_ns);
	d->sampled_ns = now_ns;
	return true;
}

__u64 sw_detectors_tick_scan(struct sw_detectors *d, struct sw_table *t,
			     __u64 now_ns)
{
	__u64 at = d->sampled_ns;	/* the tick's time */
	bool with_fds = at >= d->next_fds_ns;

	sw_detectors_scan(d, t, now_ns, with_fds);
	if (with_fds)
		d->next_fds_ns = at + d->cfg.agent.reconcile_ns;
	/* keep the sample grid; after a stall, restart it from now */
	d->next_sample_ns += d->cfg.ewma.interval_ns;
	if (d->next_sample_ns <= at)
		d->next_sample_ns = at + d->cfg.ewma.interval_ns;
	return d->next_sample_ns;
}

__u64 sw_detectors_tick(struct sw_detectors *d, struct sw_table *t,
			__u64 now_ns)
{
	if (!sw_detectors_tick_sample(d, t, now_ns))
		return d->next_sample_ns;
	return sw_detectors_tick_scan(d, t, now_ns);
}

/* ---- readers ----------------------------------------------------------------- */

const struct sw_det_key *sw_detectors_key_next(const struct sw_detectors *d,
					       enum sw_key_kind kind,
					       size_t *pos)
{
	const struct keymap *m = &d->keys[kind];

	return *pos < km_count(m) ? km_at(m, (*pos)++) : NULL;
}

const struct sw_det_key *sw_detectors_key_get(const struct sw_detectors *d,
					      const struct sw_key *k)
{
	if (k->kind >= SW_KEY_NKINDS)
		return NULL;
	return km_get(&d->keys[k->kind], k);
}

const struct sw_suspect *sw_detectors_suspect_next(const struct sw_detectors *d,
						   size_t *pos)
{
	size_t i = (*pos)++;

	if (i < d->nsock_susp)
		return &d->sock_susp[i];
	i -= d->nsock_susp;
	if (i < d->nproc_susp)
		return &d->proc_susp[i];
	return NULL;
}

const struct sw_alert *sw_detectors_alerts(const struct sw_detectors *d,
					   size_t *n)
{
	*n = d->outbox.len;
	return d->outbox.data;
}

void sw_detectors_alerts_done(struct sw_detectors *d)
{
	sw_vec_clear(&d->outbox);
}

void sw_detectors_stats(const struct sw_detectors *d, struct sw_det_stats *s)
{
	int k;

	*s = d->st;
	for (k = 0; k < SW_KEY_NKINDS; k++)
		s->keys[k] = km_count(&d->keys[k]);
	s->suspects = d->nsock_susp + d->nproc_susp;
}

void sw_det_key_json(struct sw_json *j, const struct sw_detectors *d,
		     const struct sw_det_key *k, __u64 now_ns)
{
	const struct sw_ewma *e = &k->ewma;
	char key[SW_ALERT_KEYLEN];

	sw_key_format(&k->key, key, sizeof(key));
	sw_json_obj_begin(j);
	sw_json_kstr(j, "key_kind", sw_key_kind_name(k->key.kind));
	sw_json_kstr(j, "key", key);
	sw_json_kuint(j, "count", e->count);
	sw_json_kdouble(j, "short", e->short_avg);
	sw_json_kdouble(j, "long", e->long_avg);
	sw_json_kdouble(j, "rd", e->rd);
	sw_json_kbool(j, "fail", e->fail);
	sw_json_kstr(j, "state", sw_ewma_state_name(e->state));
	if (e->state == SW_EWMA_ARMED)
		sw_json_kdouble(j, "deadline_seconds", now_ns >= e->deadline_ns ? 0 :
				(double)(e->deadline_ns - now_ns) / 1e9);
	else
		sw_json_knull(j, "deadline_seconds");
	sw_json_kuint(j, "sockets", k->sockets);
	if (k->key.kind == SW_KEY_PROCESS)
		sw_json_kuint(j, "inbound", k->inbound);
	if (k->pid)
		sw_json_kuint(j, "pid", k->pid);
	else
		sw_json_knull(j, "pid");
	sw_json_key(j, "comm");
	sw_json_strn(j, k->comm, strnlen(k->comm, SW_COMM_LEN));
	sw_json_key(j, "protection");
	sw_prot_breakdown_json(j, k->prot);
	sw_json_obj_end(j);
}

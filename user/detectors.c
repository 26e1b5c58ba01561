// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "decode.h"
#include "detectors.h"

/* ---- key maps ----------------------------------------------------------- */

/*
 * The tracked keys of one kind: open addressing with linear probing, at
 * most max entries in cap > 2 * max slots, so that probes stay short and
 * an empty slot always ends one. Deletion shifts back the entries that
 * follow (no tombstones to accumulate).
 */
struct keymap {
	struct sw_det_key *slot;
	size_t cap;
	size_t count;
	size_t max;
};

static size_t key_hash(const struct sw_key *k)
{
	const __u8 *p = (const __u8 *)k;
	__u64 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static int km_init(struct keymap *m, size_t max)
{
	m->max = max;
	m->count = 0;
	m->cap = 8;
	while (m->cap < 2 * max + 1)
		m->cap *= 2;
	m->slot = calloc(m->cap, sizeof(*m->slot));
	return m->slot ? 0 : -1;
}

static void km_free(struct keymap *m)
{
	free(m->slot);
	m->slot = NULL;
	m->count = 0;
}

/* The key's slot, or the empty slot where it would go. */
static struct sw_det_key *km_find(const struct keymap *m, const struct sw_key *k)
{
	size_t i = key_hash(k) & (m->cap - 1);

	while (m->slot[i].used && memcmp(&m->slot[i].key, k, sizeof(*k)))
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

static void km_delete(struct keymap *m, struct sw_det_key *victim)
{
	size_t mask = m->cap - 1;
	size_t i = victim - m->slot, j = i, home;

	for (;;) {
		j = (j + 1) & mask;
		if (!m->slot[j].used)
			break;
		home = key_hash(&m->slot[j].key) & mask;
		/* move j back to i unless its home lies in (i, j] */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		m->slot[i] = m->slot[j];
		i = j;
	}
	memset(&m->slot[i], 0, sizeof(m->slot[i]));
	m->count--;
}

/* A copy of src bounded by max; entries beyond it are dropped (counted). */
static int km_copy(const struct keymap *src, size_t max, struct keymap *out,
		   __u64 *dropped)
{
	size_t i;

	if (km_init(out, max))
		return -1;
	for (i = 0; i < src->cap; i++) {
		if (!src->slot[i].used)
			continue;
		if (out->count == out->max) {
			(*dropped)++;
			continue;
		}
		*km_find(out, &src->slot[i].key) = src->slot[i];
		out->count++;
	}
	return 0;
}

/* ---- per-pass memo of infrastructure matches ------------------------------- */

/*
 * pid -> pattern index (-1: none), valid for one pass: a slot whose gen is
 * not the current pass counts as empty, so a new pass starts empty at no
 * cost. Pattern matching over a command line is the dear part of a
 * protection decision, and a process owns many sockets.
 */
struct memo_slot {
	__u32 pid;
	__u32 gen;
	int   val;
};

struct memo {
	struct memo_slot *slot;
	size_t cap;
	size_t count;
	__u32 gen;
};

static struct memo_slot *memo_find(struct memo *m, __u32 pid)
{
	size_t i = (pid * 0x9e3779b1U) & (m->cap - 1);

	while (m->slot[i].gen == m->gen && m->slot[i].pid != pid)
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

static int memo_grow(struct memo *m)
{
	struct memo old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 256;
	m->slot = calloc(m->cap, sizeof(*m->slot));
	if (!m->slot) {
		*m = old;
		return -1;
	}
	m->gen = 1;
	m->count = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.slot[i].gen != old.gen)
			continue;
		*memo_find(m, old.slot[i].pid) = (struct memo_slot){
			old.slot[i].pid, m->gen, old.slot[i].val };
		m->count++;
	}
	free(old.slot);
	return 0;
}

static void memo_begin(struct memo *m)
{
	m->gen++;
	m->count = 0;
}

/* ---- the engine ---------------------------------------------------------------- */

/*
 * One socket's part in one key, collected in a pass over the table, then
 * sorted so that a key's contributions are adjacent: counting distinct
 * ports and finding the main owner are then linear.
 */
struct contrib {
	struct sw_key key;
	__u16 lport;
	__u8  reason;		/* enum sw_prot_reason */
	__u8  inbound;		/* process keys: accepted, not counted */
	__u32 pid;
	const char *comm;	/* into the table, valid for the pass */
};

/* A key's figures in this sample. */
struct agg {
	struct sw_key key;
	__u64 count;
	__u32 sockets;
	__u32 inbound;
	__u32 prot[SW_PROT_NREASONS];
	__u32 pid;
	const char *comm;
};

struct vec {
	void  *data;
	size_t len;
	size_t cap;
};

struct sw_detectors {
	struct sw_config cfg;
	struct sw_det_hooks hooks;
	struct keymap keys[SW_KEY_NKINDS];
	struct memo infra;
	struct vec contribs;		/* struct contrib */
	struct vec news;		/* struct agg: keys not tracked yet */
	struct vec doomed;		/* struct sw_key: to drop after a pass */
	struct vec listeners;		/* __u64 netns << 16 | port, sorted */
	struct sw_episodes sock_eps;	/* (rule, cookie) */
	struct sw_episodes proc_eps;	/* (fd_headroom, pid) */
	struct sw_suspect *sock_susp;	/* bounded by max_keys */
	struct sw_suspect *proc_susp;
	size_t nsock_susp;
	size_t nproc_susp;
	__u32 gen;			/* sampling passes */
	__u64 next_sample_ns;
	__u64 next_fds_ns;
	struct sw_det_stats st;
};

static void *vec_push(struct vec *v, size_t size)
{
	size_t cap;
	void *p;

	if (v->len == v->cap) {
		cap = v->cap ? v->cap * 2 : 256;
		p = realloc(v->data, cap * size);
		if (!p)
			return NULL;
		v->data = p;
		v->cap = cap;
	}
	return (char *)v->data + size * v->len++;
}

const char *sw_key_kind_name(enum sw_key_kind k)
{
	switch (k) {
	case SW_KEY_LOCAL_IP:	return "local_ip";
	case SW_KEY_PROCESS:	return "process";
	case SW_KEY_REMOTE:	return "remote";
	default:		return "?";
	}
}

static const __u8 v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void sw_key_addr(struct sw_key *k, enum sw_key_kind kind, unsigned int family,
		 const __u8 addr[16], __u16 port)
{
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->port = port;
	if (family == AF_INET6 && !memcmp(addr, v4mapped, 12)) {
		k->family = AF_INET;
		memcpy(k->addr, addr + 12, 4);
		return;
	}
	k->family = family;
	memcpy(k->addr, addr, family == AF_INET ? 4 : 16);
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

struct sw_detectors *sw_detectors_new(const struct sw_config *cfg,
				      const struct sw_det_hooks *hooks)
{
	struct sw_detectors *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	if (hooks)
		d->hooks = *hooks;
	if (alloc_bounded(d) || memo_grow(&d->infra)) {
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
	free(d->infra.slot);
	free(d->contribs.data);
	free(d->news.data);
	free(d->doomed.data);
	free(d->listeners.data);
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

int sw_detectors_configure(struct sw_detectors *d, const struct sw_config *cfg)
{
	if (cfg->agent.max_keys != d->cfg.agent.max_keys &&
	    resize_bounded(d, cfg->agent.max_keys))
		return -1;
	d->cfg = *cfg;
	return 0;
}

const struct sw_config *sw_detectors_config(const struct sw_detectors *d)
{
	return &d->cfg;
}

/* ---- protection, memoised per process ------------------------------------- */

static int infra_lookup(void *ctx, const struct sw_sock *s)
{
	struct sw_detectors *d = ctx;
	struct memo_slot *m;
	const char *cmd;
	char comm[SW_COMM_LEN + 1];

	if (d->infra.count * 2 >= d->infra.cap && memo_grow(&d->infra))
		return -1;
	m = memo_find(&d->infra, s->pid);
	if (m->gen == d->infra.gen)
		return m->val;
	memcpy(comm, s->comm, SW_COMM_LEN);
	comm[SW_COMM_LEN] = '\0';
	cmd = s->pid && d->hooks.cmdline ? d->hooks.cmdline(d->hooks.ctx, s->pid) : NULL;
	*m = (struct memo_slot){ s->pid, d->infra.gen,
				 sw_protect_match_infra(&d->cfg.protection, comm, cmd) };
	d->infra.count++;
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

/* ---- collecting: one pass over the table ------------------------------------ */

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
	while ((s = sw_table_next(t, &pos)))
		if (s->proto == IPPROTO_TCP && s->state == SW_TCP_LISTEN &&
		    (id = vec_push(&d->listeners, sizeof(*id))))
			*id = listener_id(s);
	if (d->listeners.len > 1)
		qsort(d->listeners.data, d->listeners.len, sizeof(__u64), cmp_u64);
}

static bool is_inbound(const struct sw_detectors *d, const struct sw_sock *s)
{
	__u64 id = listener_id(s);

	if (s->flags & SW_SOCK_ACCEPTED)
		return true;
	if (!(s->flags & SW_SOCK_PREEXISTING) || s->proto != IPPROTO_TCP ||
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

static void contribute(struct sw_detectors *d, const struct sw_key *k,
		       const struct sw_sock *s, __u8 reason, bool inbound)
{
	struct contrib *c = vec_push(&d->contribs, sizeof(*c));

	if (!c)
		return;		/* out of memory: this sample undercounts */
	*c = (struct contrib){ .key = *k, .lport = s->lport, .reason = reason,
			       .inbound = inbound, .pid = s->pid,
			       .comm = s->comm };
}

static void collect_socket(struct sw_detectors *d, const struct sw_sock *s,
			   __u64 now_ns)
{
	bool active = is_active_tcp(s), inbound = is_inbound(d, s);
	bool owned = s->pid && !(s->flags & SW_SOCK_RELEASED);
	struct sw_prot_decision pd;
	struct sw_key k;

	if (!active && !owned)
		return;
	decide(d, s, now_ns, &pd);
	if (active && !sw_addr_is_any(s->family, s->laddr)) {
		sw_key_addr(&k, SW_KEY_LOCAL_IP, s->family, s->laddr, 0);
		if (!d->cfg.allow.n ||
		    sw_addr_list_contains(&d->cfg.allow, k.family, k.addr))
			contribute(d, &k, s, pd.reason, false);
	}
	if (owned) {
		memset(&k, 0, sizeof(k));
		k.kind = SW_KEY_PROCESS;
		k.pid = s->pid;
		contribute(d, &k, s, pd.reason, inbound);
	}
	if (active && !inbound && s->rport &&
	    !sw_addr_is_any(s->family, s->raddr)) {
		sw_key_addr(&k, SW_KEY_REMOTE, s->family, s->raddr, s->rport);
		contribute(d, &k, s, pd.reason, false);
	}
}

/* ---- aggregating: one run of contributions per key ---------------------------- */

static int cmp_contrib(const void *a, const void *b)
{
	const struct contrib *x = a, *y = b;
	int r = memcmp(&x->key, &y->key, sizeof(x->key));

	if (r)
		return r;
	if (x->lport != y->lport)
		return x->lport < y->lport ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct contrib *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The pid owning most of the run's sockets (ties: the lowest pid). */
static void main_owner(struct contrib *c, size_t n, struct agg *a)
{
	size_t i, run = 0, best = 0;

	qsort(c, n, sizeof(*c), cmp_pid);
	for (i = 0; i < n; i++) {
		run = i && c[i].pid == c[i - 1].pid ? run + 1 : 1;
		if (run > best) {
			best = run;
			a->pid = c[i].pid;
			a->comm = c[i].comm;
		}
	}
}

/* Figures of the run c[0..n) of one key. Reorders the run. */
static void aggregate(struct contrib *c, size_t n, struct agg *a)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->key = c[0].key;
	for (i = 0; i < n; i++) {
		if (c[i].inbound) {
			a->inbound++;
			continue;
		}
		a->sockets++;
		a->prot[c[i].reason]++;
		/* local_ip counts distinct ports: the run is sorted by port */
		if (a->key.kind != SW_KEY_LOCAL_IP || !i ||
		    c[i].lport != c[i - 1].lport)
			a->count++;
	}
	main_owner(c, n, a);
}

/* ---- feeding the detectors, raising alerts ------------------------------------ */

static void raise_alert(struct sw_detectors *d, const struct sw_alert *a)
{
	d->st.alerts++;
	if (d->hooks.alert)
		d->hooks.alert(d->hooks.ctx, a);
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
	if (a && a->comm) {
		k->pid = a->pid;
		memcpy(k->comm, a->comm, SW_COMM_LEN);
	}
	if (count)
		k->active_ns = now_ns;
	t = sw_ewma_sample(&k->ewma, p, count, now_ns);
	name = transition_alert(t);
	if (name)
		key_alert(d, k, name, now_ns);
	if (count >= p->max_ports && !k->over_max) {
		k->over_max = true;
		key_alert(d, k, SW_ALERT_MAX_PORTS, now_ns);
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
	slot->used = true;
	slot->first_ns = now_ns;
	sw_ewma_init(&slot->ewma, &d->cfg.ewma);
	m->count++;
	feed(d, slot, a, now_ns);
}

/* A tracked key still at its seed, with the smallest count: NULL if none. */
static struct sw_det_key *eviction_victim(struct sw_detectors *d,
					  struct keymap *m)
{
	struct sw_det_key *victim = NULL, *k;
	size_t i;

	for (i = 0; i < m->cap; i++) {
		k = &m->slot[i];
		if (!k->used || !sw_ewma_pristine(&k->ewma, &d->cfg.ewma) ||
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
	struct sw_det_key *victim;

	if (m->count == m->max) {
		victim = a->count >= d->cfg.ewma.min_ports ?
			 eviction_victim(d, m) : NULL;
		if (!victim) {
			d->st.overflow[a->key.kind]++;
			return;
		}
		km_delete(m, victim);
		d->st.evicted[a->key.kind]++;
	}
	track_new(d, m, km_find(m, &a->key), a, now_ns);
}

static int cmp_agg_count_desc(const void *a, const void *b)
{
	const struct agg *x = a, *y = b;

	return x->count > y->count ? -1 : x->count < y->count;
}

/* ---- sampling ----------------------------------------------------------------- */

static void apply(struct sw_detectors *d, const struct agg *a, __u64 now_ns)
{
	struct sw_det_key *k = km_find(&d->keys[a->key.kind], &a->key);
	struct agg *n;

	if (k->used) {
		feed(d, k, a, now_ns);
		return;
	}
	/* a key with nothing counted (only inbound sockets) is not worth a slot */
	if (a->count && (n = vec_push(&d->news, sizeof(*n))))
		*n = *a;
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
		for (i = 0; i < d->keys[kind].cap; i++) {
			k = &d->keys[kind].slot[i];
			if (!k->used)
				continue;
			if (k->gen != d->gen)
				feed(d, k, NULL, now_ns);
			if (idle_too_long(d, k, now_ns) &&
			    (doomed = vec_push(&d->doomed, sizeof(*doomed))))
				*doomed = k->key;
		}
	}
	/* deleting moves entries: not while walking the slots */
	doomed = d->doomed.data;
	for (i = 0; i < d->doomed.len; i++) {
		km_delete(&d->keys[doomed[i].kind],
			  km_find(&d->keys[doomed[i].kind], &doomed[i]));
		d->st.dropped_idle++;
	}
}

void sw_detectors_sample(struct sw_detectors *d, struct sw_table *t,
			 __u64 now_ns)
{
	struct contrib *c;
	struct agg a, *news;
	struct sw_sock *s;
	size_t pos = 0, i, j, n;

	d->gen++;
	d->st.samples++;
	memo_begin(&d->infra);
	d->contribs.len = 0;
	d->news.len = 0;
	collect_listeners(d, t);
	while ((s = sw_table_next(t, &pos)))
		collect_socket(d, s, now_ns);

	c = d->contribs.data;
	n = d->contribs.len;
	if (n > 1)
		qsort(c, n, sizeof(*c), cmp_contrib);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !memcmp(&c[j].key, &c[i].key,
						 sizeof(c[i].key)); j++)
			;
		aggregate(c + i, j - i, &a);
		apply(d, &a, now_ns);
	}
	sweep_keys(d, now_ns);

	/* the biggest new keys first: they get the room that is left */
	news = d->news.data;
	if (d->news.len > 1)
		qsort(news, d->news.len, sizeof(*news), cmp_agg_count_desc);
	for (i = 0; i < d->news.len; i++)
		insert_new(d, &news[i], now_ns);
}

/* ---- leak rules ------------------------------------------------------------------ */

static void fmt_endpoint(char *buf, size_t len, unsigned int family,
			 const __u8 addr[16], __u16 port)
{
	char a[SW_ADDR_STRLEN];

	sw_fmt_addr(a, family, addr);
	snprintf(buf, len, family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

static void socket_alert(const struct sw_detectors *d,
			 const struct sw_suspect *s, struct sw_alert *a)
{
	const struct sw_sock *k = &s->sock;
	char l[SW_ADDR_STRLEN + 8], r[SW_ADDR_STRLEN + 8], key[SW_ALERT_KEYLEN];

	fmt_endpoint(l, sizeof(l), k->family, k->laddr, k->lport);
	fmt_endpoint(r, sizeof(r), k->family, k->raddr, k->rport);
	snprintf(key, sizeof(key), "%s->%s", l, r);
	sw_alert_set_key(a, key);
	a->key_kind = "socket";
	sw_alert_uint(a, "cookie", k->cookie);
	sw_alert_str(a, "state", sw_tcp_state_name(k->state));
	sw_alert_str(a, "local", l);
	sw_alert_str(a, "remote", r);
	sw_alert_bool(a, "inbound", k->flags & SW_SOCK_ACCEPTED);
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

static void scan_socket(struct sw_detectors *d, const struct sw_sock *k,
			__u64 now_ns)
{
	const struct sw_leak_cfg *lc = &d->cfg.leaks;
	struct sw_suspect s;

	if (k->proto != IPPROTO_TCP || (k->state != SW_TCP_CLOSE_WAIT &&
					k->state != SW_TCP_ESTABLISHED))
		return;
	memset(&s, 0, sizeof(s));
	decide(d, k, now_ns, &s.decision);
	if (sw_leak_close_wait(lc, k, &s.decision, now_ns, &s.age_ns)) {
		s.rule = SW_LEAK_CLOSE_WAIT;
		s.threshold_ns = lc->close_wait_ns;
	} else if (sw_leak_idle(lc, k, &s.decision, now_ns, &s.age_ns)) {
		s.rule = SW_LEAK_IDLE;
		s.threshold_ns = lc->idle_ns;
	} else {
		return;
	}
	s.sock = *k;
	s.pid = k->pid;
	memcpy(s.comm, k->comm, SW_COMM_LEN);
	s.since_ns = now_ns;
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

__u64 sw_detectors_tick(struct sw_detectors *d, struct sw_table *t,
			__u64 now_ns)
{
	bool with_fds;

	if (now_ns < d->next_sample_ns)
		return d->next_sample_ns;
	with_fds = now_ns >= d->next_fds_ns;
	sw_detectors_sample(d, t, now_ns);
	sw_detectors_scan(d, t, now_ns, with_fds);
	if (with_fds)
		d->next_fds_ns = now_ns + d->cfg.agent.reconcile_ns;
	/* keep the sample grid; after a stall, restart it from now */
	d->next_sample_ns += d->cfg.ewma.interval_ns;
	if (d->next_sample_ns <= now_ns)
		d->next_sample_ns = now_ns + d->cfg.ewma.interval_ns;
	return d->next_sample_ns;
}

/* ---- readers ----------------------------------------------------------------- */

const struct sw_det_key *sw_detectors_key_next(const struct sw_detectors *d,
					       enum sw_key_kind kind,
					       size_t *pos)
{
	const struct keymap *m = &d->keys[kind];

	while (*pos < m->cap) {
		const struct sw_det_key *k = &m->slot[(*pos)++];

		if (k->used)
			return k;
	}
	return NULL;
}

const struct sw_det_key *sw_detectors_key_get(const struct sw_detectors *d,
					      const struct sw_key *k)
{
	const struct sw_det_key *s;

	if (k->kind >= SW_KEY_NKINDS)
		return NULL;
	s = km_find(&d->keys[k->kind], k);
	return s->used ? s : NULL;
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

void sw_detectors_stats(const struct sw_detectors *d, struct sw_det_stats *s)
{
	int k;

	*s = d->st;
	for (k = 0; k < SW_KEY_NKINDS; k++)
		s->keys[k] = d->keys[k].count;
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

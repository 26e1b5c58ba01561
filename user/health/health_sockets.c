// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Health checks computed from one socket dump of every network
 * namespace: connections by state (system-wide, per process), TIME_WAIT
 * and holders of a port, ephemeral port use per tuple, exposure.
 *
 * Ephemeral exhaustion on Linux is per (source address, destination
 * address, destination port): connect() may reuse a local port for
 * another destination. So the check counts, per such tuple, the distinct
 * local ports in the namespace's net.ipv4.ip_local_port_range (minus
 * ip_local_reserved_ports), TIME_WAIT included, and reports the fullest.
 * Both sysctls are per namespace: they are read after entering it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include "health/health_impl.h"
#include "lib/portrange.h"
#include "health/ports.h"
#include "lib/vec.h"
#include "table/procfs.h"
#include "table/sockdiag.h"

/* A TCP connection's owner and state, for the per-process counts. */
struct pid_state {
	__u32 pid;
	__u8  state;
};

/* A connection's place in its ephemeral tuple. */
struct eph_ent {
	__u8  family;
	__u8  saddr[16];
	__u8  daddr[16];
	__u16 dport;
	__u16 lport;
};

/* The ephemeral range of one namespace. */
struct eph_range {
	struct sw_portrange range;
	struct sw_portset reserved;
	unsigned int available;
	bool known;
};

/* State of the whole pass over the namespaces. */
struct sock_ctx {
	const struct sw_health_limits *lim;
	struct sw_health_report *r;
	unsigned int top_n;
	int port;
	__u32 self_ns;
	struct sw_owner_map map;
	struct sw_vec pids;		/* struct pid_state */
	struct sw_vec eph;		/* struct eph_ent, this namespace */
	struct eph_range er;		/* this namespace */
	struct eph_range self_er;	/* the current namespace, for figures */
	struct sw_portset listening;	/* TCP listener ports, this namespace */
	__u64 connections;
	__u32 time_wait_on_port;
	__u32 listeners_total;
	__u32 tuples;
	int err;
};

static int read_range(void *arg)
{
	struct eph_range *er = arg;
	char buf[4096], why[SW_PORT_WHY_LEN];
	unsigned int lo, hi;

	er->known = false;
	if (sw_read_file("/proc/sys/net/ipv4/ip_local_port_range", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%u %u", &lo, &hi) != 2 || lo > hi || hi > 65535)
		return 0;
	er->range.lo = (__u16)lo;
	er->range.hi = (__u16)hi;
	if (sw_read_file("/proc/sys/net/ipv4/ip_local_reserved_ports", buf, sizeof(buf)) < 0 ||
	    sw_portset_parse(buf, &er->reserved, why) < 0)
		memset(&er->reserved, 0, sizeof(er->reserved));
	er->available = sw_portrange_len(&er->range) -
			sw_portset_count(&er->reserved, &er->range);
	er->known = true;
	return 0;
}

static void add_holder(struct sock_ctx *c, const struct sw_diag_sock *s)
{
	struct sw_health_report *r = c->r;
	const struct sw_owner *o = sw_owner_lookup(&c->map, s->inode);
	struct sw_health_holder *h;
	unsigned int i;

	for (i = 0; i < r->n_holders; i++)
		if (r->holders[i].pid == (o ? o->pid : 0) && r->holders[i].proto == s->proto)
			return;		/* one row per process and protocol */
	if (r->n_holders >= SW_HEALTH_TOP)
		return;
	h = &r->holders[r->n_holders++];
	h->pid = o ? o->pid : 0;
	if (o)
		memcpy(h->comm, o->comm, SW_COMM_LEN);
	h->proto = s->proto;
	h->state = s->proto == IPPROTO_TCP ? s->state : SW_TCP_NONE;
	h->family = s->family;
	memcpy(h->addr, s->laddr, 16);
}

static void add_listener(struct sock_ctx *c, const struct sw_diag_sock *s)
{
	const struct sw_owner *o = sw_owner_lookup(&c->map, s->inode);
	struct sw_health_listener *l;

	c->listeners_total++;
	if (c->r->n_listeners >= SW_HEALTH_MAX_LISTEN)
		return;
	l = &c->r->listeners[c->r->n_listeners++];
	l->netns = s->netns;
	l->pid = o ? o->pid : 0;
	if (o)
		memcpy(l->comm, o->comm, SW_COMM_LEN);
	l->port = s->lport;
	l->family = s->family;
	l->proto = s->proto;
}

static bool in_ephemeral(const struct eph_range *er, __u16 port)
{
	return er->known && port >= er->range.lo && port <= er->range.hi &&
	       !sw_portset_has(&er->reserved, port);
}

static int tcp_sock(struct sock_ctx *c, const struct sw_diag_sock *s)
{
	const struct sw_owner *o;
	struct pid_state *ps;
	struct eph_ent *e;

	c->r->tcp_by_state[s->state < SW_TCP_MAX_STATES ? s->state : 0]++;
	if (s->state == SW_TCP_LISTEN)
		sw_portset_add_range(&c->listening, &(struct sw_portrange){ s->lport, s->lport });
	if (s->state == SW_TCP_LISTEN || s->state == SW_TCP_CLOSE)
		return 0;
	c->connections++;
	o = sw_owner_lookup(&c->map, s->inode);
	if (o) {
		ps = sw_vec_push(&c->pids);
		if (!ps)
			return -ENOMEM;
		ps->pid = o->pid;
		ps->state = s->state;
	}
	if (!in_ephemeral(&c->er, s->lport) || s->state == SW_TCP_NEW_SYN_RECV)
		return 0;
	e = sw_vec_push(&c->eph);
	if (!e)
		return -ENOMEM;
	memset(e, 0, sizeof(*e));	/* padding too: tuples compare by memcmp */
	e->family = s->family;
	memcpy(e->saddr, s->laddr, 16);
	memcpy(e->daddr, s->raddr, 16);
	e->dport = s->rport;
	e->lport = s->lport;
	return 0;
}

static int sock_cb(const struct sw_diag_sock *s, void *arg)
{
	struct sock_ctx *c = arg;
	bool here = s->netns == c->self_ns;

	if (sw_port_is_exposed(s))
		add_listener(c, s);
	if (here && c->port && s->lport == c->port && sw_port_is_held(s, false))
		add_holder(c, s);
	if (s->proto != IPPROTO_TCP)
		return 0;
	if (here && c->port && s->state == SW_TCP_TIME_WAIT &&
	    (s->lport == c->port || s->rport == c->port))
		c->time_wait_on_port++;
	return tcp_sock(c, s);
}

static int eph_cmp(const void *pa, const void *pb)
{
	/* family .. dport are the tuple, lport sorts within it */
	return memcmp(pa, pb, offsetof(struct eph_ent, lport) + sizeof(__u16));
}

static void tuple_offer(struct sock_ctx *c, const struct eph_ent *e, __u32 netns,
			__u32 used)
{
	struct sw_health_report *r = c->r;
	struct sw_health_tuple t = {
		.netns = netns, .family = e->family, .dport = e->dport,
		.lo = c->er.range.lo, .hi = c->er.range.hi, .used = used,
		.available = c->er.available,
	};
	unsigned int i;

	t.percent = t.available ? 100.0 * used / t.available : 100.0;
	memcpy(t.saddr, e->saddr, 16);
	memcpy(t.daddr, e->daddr, 16);
	for (i = r->n_tuples; i > 0 && r->tuples[i - 1].percent < t.percent; i--)
		if (i < c->top_n)
			r->tuples[i] = r->tuples[i - 1];
	if (i >= c->top_n)
		return;
	r->tuples[i] = t;
	if (r->n_tuples < c->top_n)
		r->n_tuples++;
}

/*
 * Accepted connections have the listener's port as local port: they took
 * no ephemeral port, even when the listener's port lies in the range
 * (a kernel-picked one does). Drop them before counting.
 */
static void eph_drop_accepted(struct sock_ctx *c)
{
	struct eph_ent *v = c->eph.data;
	size_t i, out = 0;

	for (i = 0; i < c->eph.len; i++)
		if (!sw_portset_has(&c->listening, v[i].lport))
			v[out++] = v[i];
	c->eph.len = out;
}

/* Count distinct local ports per tuple of one namespace's connections. */
static void eph_tally(struct sock_ctx *c, __u32 netns)
{
	struct eph_ent *v = c->eph.data;
	size_t i, start = 0;
	__u32 used = 0;

	eph_drop_accepted(c);
	if (c->eph.len > 1)	/* v is NULL when empty: qsort(NULL, 0) is UB */
		qsort(v, c->eph.len, sizeof(*v), eph_cmp);
	for (i = 0; i < c->eph.len; i++) {
		if (i > start && memcmp(&v[i], &v[start], offsetof(struct eph_ent, lport))) {
			tuple_offer(c, &v[start], netns, used);
			c->tuples++;
			start = i;
			used = 0;
		}
		used += i == start || v[i].lport != v[i - 1].lport;
	}
	if (c->eph.len) {
		tuple_offer(c, &v[start], netns, used);
		c->tuples++;
	}
	c->eph.len = 0;
	memset(&c->listening, 0, sizeof(c->listening));
}

static int ns_cb(int netns_fd, __u32 ino, void *arg)
{
	struct sock_ctx *c = arg;
	struct sw_diag_req req = { 0 };
	int fd, ret;

	/* Enter once for both: the sysctls and the netlink socket. */
	if (sw_netns_run(netns_fd, read_range, &c->er) < 0)
		return 0;	/* cannot enter: skip the namespace */
	if (ino == c->self_ns)
		c->self_er = c->er;
	fd = sw_diag_open(netns_fd);
	if (fd < 0)
		return 0;
	ret = sw_diag_dump_fd(fd, ino, &req, sock_cb, c);
	close(fd);
	eph_tally(c, ino);	/* also resets the per-namespace state */
	/* Only running out of memory stops; a namespace may vanish mid-dump. */
	return ret == -ENOMEM ? ret : 0;
}

static int ps_cmp(const void *pa, const void *pb)
{
	const struct pid_state *a = pa, *b = pb;

	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

static void conn_offer(struct sock_ctx *c, const struct sw_health_proc *p)
{
	struct sw_health_report *r = c->r;
	unsigned int i;

	for (i = r->n_conns; i > 0 && r->conns[i - 1].count < p->count; i--)
		if (i < c->top_n)
			r->conns[i] = r->conns[i - 1];
	if (i >= c->top_n)
		return;
	r->conns[i] = *p;
	sw_proc_comm((pid_t)p->pid, r->conns[i].comm, SW_COMM_LEN);
	if (r->n_conns < c->top_n)
		r->n_conns++;
}

/* Group the (pid, state) pairs by pid and keep the busiest processes. */
static void conn_tally(struct sock_ctx *c)
{
	struct pid_state *v = c->pids.data;
	struct sw_health_proc p;
	size_t i = 0;

	if (c->pids.len > 1)	/* v is NULL when empty */
		qsort(v, c->pids.len, sizeof(*v), ps_cmp);
	while (i < c->pids.len) {
		memset(&p, 0, sizeof(p));
		p.pid = v[i].pid;
		for (; i < c->pids.len && v[i].pid == p.pid; i++) {
			p.count++;
			p.by_state[v[i].state < SW_TCP_MAX_STATES ? v[i].state : 0]++;
		}
		conn_offer(c, &p);
	}
}

static void report_connections(struct sock_ctx *c)
{
	struct sw_health_check *k = &c->r->check[SW_HC_CONNECTIONS];
	const __u32 *st = c->r->tcp_by_state;

	hc_fig_int(k, "total", (__s64)c->connections);
	hc_fig_int(k, "established", st[SW_TCP_ESTABLISHED]);
	hc_fig_int(k, "time_wait", st[SW_TCP_TIME_WAIT]);
	hc_fig_int(k, "listening", st[SW_TCP_LISTEN]);
	hc_fig_int(k, "connections_warning", (__s64)c->lim->connections_warning);
	if (sw_health_grade_above(c->connections, c->lim->connections_warning))
		hc_result(k, SW_HEALTH_WARNING,
			  "find the process with the most connections (below) and check for a leak",
			  "%llu TCP connections (more than %llu)",
			  (unsigned long long)c->connections,
			  (unsigned long long)c->lim->connections_warning);
	else
		hc_result(k, SW_HEALTH_OK, "", "%llu TCP connections, %u established, %u in TIME_WAIT",
			  (unsigned long long)c->connections, st[SW_TCP_ESTABLISHED],
			  st[SW_TCP_TIME_WAIT]);
}

static void report_port(struct sock_ctx *c)
{
	struct sw_health_check *b = &c->r->check[SW_HC_PORT_BIND];
	struct sw_health_check *t = &c->r->check[SW_HC_TIME_WAIT];
	const struct sw_health_holder *h = &c->r->holders[0];
	__u32 tw = c->time_wait_on_port;
	int err = sw_port_bind_test((__u16)c->port, true);

	hc_fig_int(b, "port", c->port);
	hc_fig_int(b, "can_bind", !err);
	hc_fig_int(b, "holders", c->r->n_holders);
	if (!err)
		hc_result(b, SW_HEALTH_OK, "", "port %d can be bound", c->port);
	else if (err == -EADDRINUSE && c->r->n_holders)
		hc_result(b, SW_HEALTH_OK, "", "port %d is in use by pid %u (%s)%s",
			  c->port, h->pid, h->pid ? h->comm : "unknown owner",
			  c->r->n_holders > 1 ? " and others" : "");
	else if (err == -EADDRINUSE)
		hc_result(b, SW_HEALTH_OK, "", "port %d is in use (no visible owner)", c->port);
	else	/* as the seed: a port that cannot be bound blocks start-up */
		hc_result(b, SW_HEALTH_CRITICAL,
			  err == -EACCES ? "ports below 1024 need CAP_NET_BIND_SERVICE" :
			  "check firewall / LSM rules for bind()",
			  "binding port %d fails: %s", c->port, strerror(-err));

	hc_fig_int(t, "port", c->port);
	hc_fig_int(t, "count", tw);
	hc_fig_int(t, "time_wait_warning", c->lim->time_wait_warning);
	if (sw_health_grade_above(tw, c->lim->time_wait_warning))
		hc_result(t, SW_HEALTH_WARNING,
			  "let the side that closes first be the client, or reuse connections (keep-alive)",
			  "%u TIME_WAIT sockets on port %d (more than %u)", tw, c->port,
			  c->lim->time_wait_warning);
	else
		hc_result(t, SW_HEALTH_OK, "", "%u TIME_WAIT sockets on port %d", tw, c->port);
}

static void report_ephemeral(struct sock_ctx *c)
{
	struct sw_health_check *k = &c->r->check[SW_HC_EPHEMERAL];
	const struct sw_health_limits *lim = c->lim;
	const struct sw_health_tuple *t = &c->r->tuples[0];
	double pct = c->r->n_tuples ? t->percent : 0;
	char sa[SW_ADDR_STRLEN], da[SW_ADDR_STRLEN];
	enum sw_health_status st;

	hc_fig_str(k, "range", "%u-%u", c->self_er.range.lo, c->self_er.range.hi);
	hc_fig_int(k, "available", c->self_er.available);
	hc_fig_int(k, "tuples", c->tuples);
	hc_fig_dbl(k, "fullest_percent", pct);
	hc_fig_dbl(k, "warning_percent", lim->ephemeral_warning_percent);
	hc_fig_dbl(k, "critical_percent", lim->ephemeral_critical_percent);
	if (!c->r->n_tuples) {
		hc_result(k, SW_HEALTH_OK, "", "no outgoing connections use ephemeral ports");
		return;
	}
	st = sw_health_grade_percent(pct, lim->ephemeral_warning_percent,
				     lim->ephemeral_critical_percent);
	sw_fmt_addr(sa, t->family, t->saddr);
	sw_fmt_addr(da, t->family, t->daddr);
	hc_result(k, st,
		  "widen net.ipv4.ip_local_port_range, spread over more destination addresses/ports, or reuse connections",
		  "fullest tuple %s -> %s:%u uses %u of %u ephemeral ports (%.1f%%)",
		  sa, da, t->dport, t->used, t->available, t->percent);
}

static void report_exposure(struct sock_ctx *c)
{
	struct sw_health_check *k = &c->r->check[SW_HC_EXPOSURE];

	/* Informational: sshd on 0.0.0.0 is normal, so never a warning. */
	hc_fig_int(k, "listeners_all_interfaces", c->listeners_total);
	hc_result(k, SW_HEALTH_OK, "", "%u listener(s) bound to all interfaces",
		  c->listeners_total);
}

int sw_health_sockets(const struct sw_health_limits *lim, int port,
		      struct sw_health_report *r)
{
	struct sock_ctx *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->lim = lim;
	c->r = r;
	c->top_n = lim->top_n < SW_HEALTH_TOP ? lim->top_n : SW_HEALTH_TOP;
	c->port = port;
	c->self_ns = sw_netns_self();
	c->pids.size = sizeof(struct pid_state);
	c->eph.size = sizeof(struct eph_ent);
	/* cheap: no owners (the per-process lists stay empty), no fd walk */
	ret = lim->cheap ? 0 : sw_owner_map_build(&c->map);
	if (!ret)
		ret = sw_netns_foreach(ns_cb, c);
	if (ret >= 0) {
		ret = 0;
		conn_tally(c);
		report_connections(c);
		report_ephemeral(c);
		report_exposure(c);
		if (port)
			report_port(c);
	}
	sw_owner_map_free(&c->map);
	sw_vec_free(&c->pids);
	sw_vec_free(&c->eph);
	free(c);
	return ret;
}

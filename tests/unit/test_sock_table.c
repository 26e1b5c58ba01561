// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The live socket table fed with hand-made events: client, listener,
 * accepted and never-accepted children, UDP; per-process aggregates after
 * every step; ages; growth and a randomized insert/remove stress against
 * a reference; reconciliation (mark/sweep).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "table/sock_table.h"
#include "event_builders.h"

#define T0	(1000000 * MS)
#define MAX_PID	1024		/* test pids stay below this */

/* ---- events ------------------------------------------------------------ */

static __u64 clk = T0;

/* An event one millisecond after the last. */
static struct sw_event ev(__u8 kind, __u64 cookie, __u8 proto)
{
	clk += MS;
	return event(kind, proto, cookie, clk);
}

static struct sw_event tcp_state(__u64 cookie, __u8 from, __u8 to)
{
	return with_states(ev(SW_EV_STATE, cookie, TCP), from, to);
}

/* ---- per-process aggregates -------------------------------------------- */

static int pidx(__u8 proto)
{
	return proto == UDP ? SW_PROTO_IDX_UDP : SW_PROTO_IDX_TCP;
}

/*
 * The figures the table keeps on every change (sw_table_states, the
 * LISTEN and CLOSE_WAIT index), recounted from a walk: each indexed
 * socket listed exactly once, and only those.
 */
static void assert_states_exact(struct sw_table *t)
{
	static const __u8 indexed[] = { SW_TCP_LISTEN, SW_TCP_CLOSE_WAIT };
	__u32 ref[SW_PROTO_IDX_MAX][SW_TCP_MAX_STATES] = { { 0 } };
	size_t pos = 0, i, n;
	struct sw_sock *s, *w;

	while ((s = sw_table_next(t, &pos)))
		ref[pidx(s->proto)][s->state]++;
	assert_memory_equal(sw_table_states(t), ref, sizeof(ref));
	for (i = 0; i < sizeof(indexed); i++) {
		n = 0;
		pos = 0;
		while ((s = sw_table_next_in(t, indexed[i], &pos))) {
			assert_int_equal(s->proto, TCP);
			assert_int_equal(s->state, indexed[i]);
			w = sw_table_get(t, s->cookie);
			assert_ptr_equal(w, s);
			n++;
		}
		assert_int_equal(n, ref[SW_PROTO_IDX_TCP][indexed[i]]);
	}
	/* a state that is not indexed lists nothing */
	pos = 0;
	assert_null(sw_table_next_in(t, SW_TCP_ESTABLISHED, &pos));
}

/* Recount every process from the sockets and compare with the table's. */
static void assert_procs_exact(struct sw_table *t)
{
	static struct sw_proc ref[MAX_PID];
	size_t pos = 0, nref = 0, n = 0;
	struct sw_sock *s;
	struct sw_proc *p;

	memset(ref, 0, sizeof(ref));
	while ((s = sw_table_next(t, &pos))) {
		if (!s->pid)
			continue;
		assert_true(s->pid < MAX_PID);
		p = &ref[s->pid];
		nref += !p->open;
		p->open++;
		if (s->flags & SW_F_ACCEPTED)
			p->accepted++;
		else
			p->opened++;
		p->by_state[pidx(s->proto)][s->state]++;
	}
	pos = 0;
	while ((p = sw_table_proc_next(t, &pos))) {
		struct sw_proc *r = &ref[p->pid];

		assert_true(p->pid < MAX_PID);
		assert_int_equal(p->open, r->open);
		assert_int_equal(p->opened, r->opened);
		assert_int_equal(p->accepted, r->accepted);
		assert_memory_equal(p->by_state, r->by_state, sizeof(r->by_state));
		n++;
	}
	assert_int_equal(n, nref);
	assert_int_equal(sw_table_proc_count(t), nref);
	assert_states_exact(t);
}

static struct sw_sock *apply(struct sw_table *t, struct sw_event e)
{
	struct sw_sock *s = sw_table_apply(t, &e);

	assert_procs_exact(t);
	return s;
}

/* The process's counts; open == 0 means it owns nothing: no entry, or
 * one kept (open 0) for its lifetime counters until it expires. */
static void assert_proc(struct sw_table *t, __u32 pid, __u32 open,
			__u32 opened, __u32 accepted)
{
	struct sw_proc *p = sw_table_proc_get(t, pid);

	if (!open) {
		assert_true(!p || !p->open);
		return;
	}
	assert_non_null(p);
	assert_int_equal(p->open, open);
	assert_int_equal(p->opened, opened);
	assert_int_equal(p->accepted, accepted);
}

static __u32 in_state(struct sw_table *t, __u32 pid, __u8 proto, __u8 state)
{
	struct sw_proc *p = sw_table_proc_get(t, pid);

	assert_non_null(p);
	return p->by_state[pidx(proto)][state];
}

static void assert_state(struct sw_table *t, __u64 cookie, __u8 state, __u64 since)
{
	struct sw_sock *s = sw_table_get(t, cookie);

	assert_non_null(s);
	assert_int_equal(s->state, state);
	assert_int_equal(s->state_ns, since);
}

/* ---- lifecycles -------------------------------------------------------- */

static void test_client_lifecycle(void **state)
{
	struct sw_table *t = sw_table_new(0);
	const __u64 C = 1001;
	struct sw_event e;
	struct sw_sock *s;
	__u64 t_est, t_close;

	e = owned(ev(SW_EV_CREATE, C, TCP), 100, "curl");
	s = apply(t, e);
	assert_non_null(s);
	assert_int_equal(sw_table_count(t), 1);
	assert_int_equal(s->cookie, C);
	assert_int_equal(s->pid, 100);
	assert_int_equal(s->tid, 101);
	assert_int_equal(s->cgroup_id, 9876);
	assert_string_equal(s->comm, "curl");
	assert_int_equal(s->netns, NETNS);
	assert_int_equal(s->birth_ns, e.ts_ns);
	assert_true(s->flags & SW_F_BIRTH_KNOWN);
	assert_false(s->flags & (SW_F_RELEASED | SW_F_ACCEPTED));
	assert_state(t, C, SW_TCP_CLOSE, e.ts_ns);
	assert_proc(t, 100, 1, 1, 0);
	assert_string_equal(sw_table_proc_get(t, 100)->comm, "curl");
	assert_int_equal(in_state(t, 100, TCP, SW_TCP_CLOSE), 1);

	/* connect names the remote; the local port comes with SYN_SENT */
	s = apply(t, owned(with_remote(ev(SW_EV_CONNECT, C, TCP), "10.0.0.2", 443), 100, "curl"));
	assert_int_equal(s->rport, 443);
	assert_int_equal(ntohl(*(__u32 *)s->raddr), 0x0a000002);
	assert_int_equal(s->lport, 0);
	assert_int_equal(s->state, SW_TCP_CLOSE);

	e = with_ends(tcp_state(C, SW_TCP_CLOSE, SW_TCP_SYN_SENT),
		      "10.0.0.1", 40000, "10.0.0.2", 443);
	s = apply(t, e);
	assert_int_equal(s->lport, 40000);
	assert_int_equal(ntohl(*(__u32 *)s->laddr), 0x0a000001);
	assert_int_equal(s->rport, 443);
	assert_state(t, C, SW_TCP_SYN_SENT, e.ts_ns);
	assert_int_equal(in_state(t, 100, TCP, SW_TCP_CLOSE), 0);
	assert_int_equal(in_state(t, 100, TCP, SW_TCP_SYN_SENT), 1);

	/* an event without endpoints does not erase them */
	e = with_bytes(tcp_state(C, SW_TCP_SYN_SENT, SW_TCP_ESTABLISHED), 0, 0);
	s = apply(t, e);
	t_est = e.ts_ns;
	assert_state(t, C, SW_TCP_ESTABLISHED, t_est);
	assert_int_equal(s->lport, 40000);
	assert_int_equal(s->rport, 443);
	assert_int_equal(s->traffic_ns, 0);	/* no byte moved yet */
	assert_proc(t, 100, 1, 1, 0);

	/* the owner closes: bytes moved, the entry stays, RELEASED */
	e = owned(with_bytes(ev(SW_EV_CLOSE, C, TCP), 300, 200), 100, "curl");
	e.new_state = SW_TCP_ESTABLISHED;
	s = apply(t, e);
	t_close = e.ts_ns;
	assert_non_null(s);
	assert_true(s->flags & SW_F_RELEASED);
	assert_int_equal(s->rx_bytes, 300);
	assert_int_equal(s->tx_bytes, 200);
	assert_int_equal(s->traffic_ns, t_close);
	assert_state(t, C, SW_TCP_ESTABLISHED, t_est);
	assert_proc(t, 100, 1, 1, 0);

	/* same bytes: traffic_ns keeps the time they last changed */
	s = apply(t, with_bytes(tcp_state(C, SW_TCP_ESTABLISHED, SW_TCP_FIN_WAIT1), 300, 200));
	assert_int_equal(s->traffic_ns, t_close);
	assert_int_equal(s->state, SW_TCP_FIN_WAIT1);
	assert_int_equal(in_state(t, 100, TCP, SW_TCP_FIN_WAIT1), 1);

	e = with_bytes(tcp_state(C, SW_TCP_FIN_WAIT1, SW_TCP_FIN_WAIT2), 300, 201);
	s = apply(t, e);
	assert_int_equal(s->traffic_ns, e.ts_ns);
	assert_int_equal(s->tx_bytes, 201);
	assert_int_equal(sw_table_count(t), 1);
	assert_proc(t, 100, 1, 1, 0);

	/* CLOSE after release: gone, and so is its process */
	assert_null(apply(t, tcp_state(C, SW_TCP_FIN_WAIT2, SW_TCP_CLOSE)));
	assert_null(sw_table_get(t, C));
	assert_int_equal(sw_table_count(t), 0);
	assert_proc(t, 100, 0, 0, 0);
	assert_int_equal(sw_table_proc_count(t), 0);

	/* its lifetime counters stay until two expiry passes find it empty:
	 * one socket created, one closed in ESTABLISHED (a TIME_WAIT) */
	s = NULL;
	{
		size_t pos = 0;
		struct sw_proc *p = sw_table_proc_next_all(t, &pos);

		assert_non_null(p);
		assert_int_equal(p->pid, 100);
		assert_int_equal(p->open, 0);
		assert_int_equal(p->created, 1);
		assert_int_equal(p->closed, 1);
		assert_int_equal(p->active_closes, 1);
		pos = 0;
		assert_null(sw_table_proc_next(t, &pos));
	}
	assert_int_equal(sw_table_proc_expire(t), 0);
	assert_non_null(sw_table_proc_get(t, 100));
	assert_int_equal(sw_table_proc_expire(t), 1);
	assert_null(sw_table_proc_get(t, 100));
	sw_table_free(t);
}

/* A TCP socket that reaches CLOSE while its owner holds it stays. */
static void test_close_state_before_release(void **state)
{
	struct sw_table *t = sw_table_new(0);
	const __u64 C = 1002;

	apply(t, owned(ev(SW_EV_CREATE, C, TCP), 100, "app"));
	apply(t, tcp_state(C, SW_TCP_CLOSE, SW_TCP_SYN_SENT));
	/* connection refused: CLOSE, but the fd is still open */
	assert_non_null(apply(t, tcp_state(C, SW_TCP_SYN_SENT, SW_TCP_CLOSE)));
	assert_int_equal(sw_table_count(t), 1);
	assert_int_equal(in_state(t, 100, TCP, SW_TCP_CLOSE), 1);
	/* the close of a socket already in CLOSE removes it */
	assert_null(apply(t, owned(ev(SW_EV_CLOSE, C, TCP), 100, "app")));
	assert_int_equal(sw_table_count(t), 0);
	assert_proc(t, 100, 0, 0, 0);
	sw_table_free(t);
}

static void listen_on(struct sw_table *t, __u64 cookie, __u32 pid, __u16 port)
{
	struct sw_event l;

	apply(t, owned(ev(SW_EV_CREATE, cookie, TCP), pid, "nginx"));
	apply(t, owned(with_local(ev(SW_EV_BIND, cookie, TCP), "0.0.0.0", port),
		       pid, "nginx"));
	l = with_local(ev(SW_EV_LISTEN, cookie, TCP), "0.0.0.0", port);
	apply(t, owned(with_states(l, SW_TCP_CLOSE, SW_TCP_LISTEN), pid, "nginx"));
}

/* A listener's child before accept: in the kernel, owned by nobody. */
static void child_established(struct sw_table *t, __u64 cookie, __u16 port)
{
	struct sw_event e;

	e = with_ends(tcp_state(cookie, SW_TCP_NEW_SYN_RECV, SW_TCP_SYN_RECV),
		      "10.0.0.1", port, "10.0.0.9", 51000);
	assert_non_null(apply(t, e));
	assert_non_null(apply(t, tcp_state(cookie, SW_TCP_SYN_RECV, SW_TCP_ESTABLISHED)));
	assert_int_equal(sw_table_get(t, cookie)->pid, 0);
}

/*
 * Lifetime counters in the agent's owned-only mode: an accepted socket
 * counts as created; closed from CLOSE_WAIT (the peer closed first) it is
 * a close but no TIME_WAIT; a connection closed while ESTABLISHED is both.
 */
static void test_proc_lifetime_counters(void **state)
{
	struct sw_table *t = sw_table_new(0);
	const __u64 L = 2101, A = 2102, C = 2103;
	struct sw_event e;
	struct sw_proc *p;

	sw_table_set_owned_only(t, true);
	listen_on(t, L, 210, 80);
	child_established(t, A, 80);
	e = owned(ev(SW_EV_ACCEPT, A, TCP), 210, "nginx");
	e.flags |= SW_F_ACCEPTED;
	e.new_state = SW_TCP_ESTABLISHED;
	apply(t, e);
	apply(t, tcp_state(A, SW_TCP_ESTABLISHED, SW_TCP_CLOSE_WAIT));
	assert_null(apply(t, owned(ev(SW_EV_CLOSE, A, TCP), 210, "nginx")));
	p = sw_table_proc_get(t, 210);
	assert_non_null(p);
	assert_int_equal(p->created, 2);	/* the listener and the child */
	assert_int_equal(p->closed, 1);
	assert_int_equal(p->active_closes, 0);

	apply(t, owned(ev(SW_EV_CREATE, C, TCP), 210, "nginx"));
	apply(t, tcp_state(C, SW_TCP_CLOSE, SW_TCP_SYN_SENT));
	apply(t, tcp_state(C, SW_TCP_SYN_SENT, SW_TCP_ESTABLISHED));
	assert_null(apply(t, owned(ev(SW_EV_CLOSE, C, TCP), 210, "nginx")));
	p = sw_table_proc_get(t, 210);
	assert_int_equal(p->created, 3);
	assert_int_equal(p->closed, 2);
	assert_int_equal(p->active_closes, 1);
	assert_int_equal(p->open, 1);		/* the listener */
	/* an entry that owns a socket never expires */
	assert_int_equal(sw_table_proc_expire(t), 0);
	assert_int_equal(sw_table_proc_expire(t), 0);
	assert_non_null(sw_table_proc_get(t, 210));
	sw_table_free(t);
}

static void test_accepted_child(void **state)
{
	struct sw_table *t = sw_table_new(0);
	const __u64 L = 2001, A = 2002;
	struct sw_event e;
	struct sw_sock *s;

	listen_on(t, L, 200, 80);
	assert_state(t, L, SW_TCP_LISTEN, clk);
	assert_proc(t, 200, 1, 1, 0);
	assert_int_equal(in_state(t, 200, TCP, SW_TCP_LISTEN), 1);

	child_established(t, A, 80);
	assert_int_equal(sw_table_count(t), 2);
	assert_proc(t, 200, 1, 1, 0);		/* not the listener's yet */

	e = owned(ev(SW_EV_ACCEPT, A, TCP), 200, "nginx");
	e.flags |= SW_F_ACCEPTED;
	e.new_state = SW_TCP_ESTABLISHED;
	s = apply(t, e);
	assert_non_null(s);
	assert_int_equal(s->pid, 200);
	assert_string_equal(s->comm, "nginx");
	assert_true(s->flags & SW_F_ACCEPTED);
	assert_int_equal(s->lport, 80);
	assert_int_equal(s->rport, 51000);
	assert_proc(t, 200, 2, 1, 1);
	assert_int_equal(in_state(t, 200, TCP, SW_TCP_ESTABLISHED), 1);
	assert_int_equal(in_state(t, 200, TCP, SW_TCP_LISTEN), 1);

	/* the peer hangs up, the server closes, LAST_ACK, CLOSE: gone */
	apply(t, tcp_state(A, SW_TCP_ESTABLISHED, SW_TCP_CLOSE_WAIT));
	assert_int_equal(in_state(t, 200, TCP, SW_TCP_CLOSE_WAIT), 1);
	assert_non_null(apply(t, owned(ev(SW_EV_CLOSE, A, TCP), 200, "nginx")));
	assert_non_null(apply(t, tcp_state(A, SW_TCP_CLOSE_WAIT, SW_TCP_LAST_ACK)));
	assert_proc(t, 200, 2, 1, 1);
	assert_null(apply(t, tcp_state(A, SW_TCP_LAST_ACK, SW_TCP_CLOSE)));
	assert_null(sw_table_get(t, A));
	assert_proc(t, 200, 1, 1, 0);

	/* the listener: released in LISTEN, removed at CLOSE */
	assert_non_null(apply(t, owned(ev(SW_EV_CLOSE, L, TCP), 200, "nginx")));
	assert_proc(t, 200, 1, 1, 0);
	assert_null(apply(t, tcp_state(L, SW_TCP_LISTEN, SW_TCP_CLOSE)));
	assert_int_equal(sw_table_count(t), 0);
	assert_int_equal(sw_table_proc_count(t), 0);
	sw_table_free(t);
}

static void test_never_accepted_child(void **state)
{
	struct sw_table *t = sw_table_new(0);
	const __u64 L = 2101, A = 2102;

	listen_on(t, L, 200, 8080);
	child_established(t, A, 8080);
	/* reset before accept(2): nobody owns it, CLOSE removes it */
	assert_null(apply(t, tcp_state(A, SW_TCP_ESTABLISHED, SW_TCP_CLOSE)));
	assert_null(sw_table_get(t, A));
	assert_int_equal(sw_table_count(t), 1);
	assert_proc(t, 200, 1, 1, 0);

	/* one that never got past SYN_RECV */
	apply(t, tcp_state(A + 1, SW_TCP_NEW_SYN_RECV, SW_TCP_SYN_RECV));
	assert_int_equal(sw_table_count(t), 2);
	assert_null(apply(t, tcp_state(A + 1, SW_TCP_SYN_RECV, SW_TCP_CLOSE)));
	assert_int_equal(sw_table_count(t), 1);
	sw_table_free(t);
}

/* A listener's child as the agent's kernel side reports it: no owner. */
static const struct sw_sock *ingest_child(struct sw_table *t, __u64 cookie, __u32 netns,
					  const char *addr, __u16 port)
{
	struct sw_event e, copy;
	const struct sw_event *got;

	e = with_ends(with_states(ev(SW_EV_ACCEPT, cookie, TCP), SW_TCP_SYN_RECV,
				  SW_TCP_ESTABLISHED), addr, port, "10.0.0.9", 51000);
	e.flags |= SW_F_ACCEPTED | SW_F_BIRTH_KNOWN;
	e.birth_ns = e.ts_ns;
	e.netns = netns;
	got = sw_table_ingest(t, &e, &copy);
	/* the record as completed names the same owner as the table */
	assert_int_equal(got->pid, sw_table_get(t, cookie)->pid);
	assert_int_equal(!!(got->flags & SW_F_OWNER_KNOWN), got->pid != 0);
	return sw_table_get(t, cookie);
}

/*
 * sw_table_ingest gives such a child its listener's owner: the listener on
 * the child's own address before one on every address, in the same
 * namespace and on the same port; no owner when no listener is known.
 */
static void test_child_owner_from_listener(void **state)
{
	struct sw_table *t = sw_table_new(0);
	const __u64 WILD = 2201, ONE = 2202;
	const struct sw_sock *s;
	struct sw_event l;

	listen_on(t, WILD, 300, 8080);		/* 0.0.0.0:8080, pid 300 */
	l = with_local(ev(SW_EV_LISTEN, ONE, TCP), "10.0.0.1", 8080);
	apply(t, owned(with_states(l, SW_TCP_CLOSE, SW_TCP_LISTEN), 301, "haproxy"));

	s = ingest_child(t, 2210, NETNS, "10.0.0.1", 8080);
	assert_int_equal(s->pid, 301);
	assert_string_equal(s->comm, "haproxy");
	assert_true(s->flags & SW_F_ACCEPTED);
	s = ingest_child(t, 2211, NETNS, "10.0.0.2", 8080);
	assert_int_equal(s->pid, 300);
	assert_proc(t, 300, 2, 1, 1);
	assert_proc(t, 301, 2, 1, 1);
	/* another port, another namespace: nobody's */
	assert_int_equal(ingest_child(t, 2212, NETNS, "10.0.0.1", 9090)->pid, 0);
	assert_int_equal(ingest_child(t, 2213, NETNS + 1, "10.0.0.1", 8080)->pid, 0);
	sw_table_free(t);
	(void)state;
}

static void test_udp_lifecycle(void **state)
{
	struct sw_table *t = sw_table_new(0);
	const __u64 U = 3001;
	struct sw_sock *s;

	s = apply(t, owned(ev(SW_EV_CREATE, U, UDP), 300, "dig"));
	assert_non_null(s);
	assert_state(t, U, SW_TCP_NONE, clk);	/* stateless: since birth */
	assert_int_equal(s->birth_ns, clk);
	assert_int_equal(in_state(t, 300, UDP, SW_TCP_NONE), 1);
	assert_int_equal(in_state(t, 300, TCP, SW_TCP_NONE), 0);
	apply(t, owned(with_local(ev(SW_EV_BIND, U, UDP), "0.0.0.0", 5353), 300, "dig"));
	s = apply(t, owned(with_remote(ev(SW_EV_CONNECT, U, UDP), "10.0.0.53", 53),
			   300, "dig"));
	assert_int_equal(s->lport, 5353);
	assert_int_equal(s->rport, 53);
	assert_int_equal(s->state, SW_TCP_NONE);
	assert_proc(t, 300, 1, 1, 0);

	assert_null(apply(t, owned(ev(SW_EV_CLOSE, U, UDP), 300, "dig")));
	assert_null(sw_table_get(t, U));
	assert_int_equal(sw_table_count(t), 0);
	assert_proc(t, 300, 0, 0, 0);
	sw_table_free(t);
}

static void test_unknown_close(void **state)
{
	struct sw_table *t = sw_table_new(0);

	assert_null(apply(t, owned(ev(SW_EV_CLOSE, 4001, TCP), 400, "x")));
	assert_null(apply(t, owned(ev(SW_EV_CLOSE, 4002, UDP), 400, "x")));
	assert_null(apply(t, owned(ev(SW_EV_CREATE, 0, TCP), 400, "x")));
	assert_int_equal(sw_table_count(t), 0);
	assert_int_equal(sw_table_proc_count(t), 0);
	sw_table_free(t);
}

/* Sockets 1..60 of pids 1..7, every third UDP: the owner's event. */
static struct sw_event mixed(__u8 kind, __u64 c)
{
	return owned(ev(kind, c, c % 3 ? TCP : UDP), c % 7 + 1, "w");
}

/* Several processes and sockets interleaved: the counts stay exact. */
static void test_many_processes(void **state)
{
	struct sw_table *t = sw_table_new(0);
	__u64 c;

	for (c = 1; c <= 60; c++)
		apply(t, mixed(SW_EV_CREATE, c));
	for (c = 1; c <= 60; c += 3)	/* TCP: c % 3 == 1 */
		apply(t, tcp_state(c, SW_TCP_CLOSE, SW_TCP_SYN_SENT));
	for (c = 1; c <= 60; c += 2)
		apply(t, mixed(SW_EV_CLOSE, c));
	assert_int_equal(sw_table_proc_count(t), 7);
	for (c = 2; c <= 60; c += 2)
		apply(t, mixed(SW_EV_CLOSE, c));
	/* only the connecting ones are left, released */
	assert_int_equal(sw_table_count(t), 20);
	for (c = 1; c <= 60; c += 3)
		apply(t, tcp_state(c, SW_TCP_SYN_SENT, SW_TCP_CLOSE));
	assert_int_equal(sw_table_count(t), 0);
	assert_int_equal(sw_table_proc_count(t), 0);
	sw_table_free(t);
}

/* ---- ages -------------------------------------------------------------- */

static void test_birth(void **state)
{
	struct sw_table *t = sw_table_new(0);
	struct sw_event e;
	struct sw_sock *s;
	__u64 first;

	/* first seen mid-life: the age known so far */
	e = tcp_state(5001, SW_TCP_SYN_SENT, SW_TCP_ESTABLISHED);
	first = e.ts_ns;
	s = apply(t, e);
	assert_int_equal(s->birth_ns, first);
	assert_int_equal(s->state_ns, first);
	assert_false(s->flags & SW_F_BIRTH_KNOWN);

	/* a later event that knows the birth corrects it, once */
	e = owned(ev(SW_EV_CLOSE, 5001, TCP), 500, "app");
	e.flags |= SW_F_BIRTH_KNOWN;
	e.birth_ns = T0 - 60000 * MS;
	s = apply(t, e);
	assert_int_equal(s->birth_ns, T0 - 60000 * MS);
	assert_true(s->flags & SW_F_BIRTH_KNOWN);
	assert_int_equal(s->state_ns, first);
	e = tcp_state(5001, SW_TCP_ESTABLISHED, SW_TCP_FIN_WAIT1);
	e.flags |= SW_F_BIRTH_KNOWN;
	e.birth_ns = T0 - 1;
	s = apply(t, e);
	assert_int_equal(s->birth_ns, T0 - 60000 * MS);

	/* known from the first event */
	e = owned(ev(SW_EV_CREATE, 5002, UDP), 500, "app");
	e.flags |= SW_F_BIRTH_KNOWN;
	e.birth_ns = e.ts_ns - 5;
	s = apply(t, e);
	assert_int_equal(s->birth_ns, e.ts_ns - 5);
	assert_true(s->flags & SW_F_BIRTH_KNOWN);

	/* a create without the flag is still the birth */
	e = owned(ev(SW_EV_CREATE, 5003, TCP), 500, "app");
	s = apply(t, e);
	assert_int_equal(s->birth_ns, e.ts_ns);
	assert_true(s->flags & SW_F_BIRTH_KNOWN);

	/* later events leave the birth alone */
	s = apply(t, tcp_state(5003, SW_TCP_CLOSE, SW_TCP_SYN_SENT));
	assert_int_equal(s->birth_ns, e.ts_ns);
	sw_table_free(t);
}

/* ---- growth and churn -------------------------------------------------- */

static struct sw_sock sock_of(__u64 cookie, __u32 pid, __u8 proto, __u8 state)
{
	struct sw_sock s = {
		.cookie = cookie,
		.pid = pid,
		.proto = proto,
		.family = AF_INET,
		.state = state,
		.lport = (__u16)(cookie * 7),
		.birth_ns = T0,
		.state_ns = T0,
	};

	if (pid)
		snprintf(s.comm, sizeof(s.comm), "p%u", pid);
	return s;
}

#define GROW_N 100000

static void assert_has(struct sw_table *t, __u64 cookie)
{
	struct sw_sock *s = sw_table_get(t, cookie);

	assert_non_null(s);
	assert_int_equal(s->cookie, cookie);
	assert_int_equal(s->lport, (__u16)(cookie * 7));
}

/* Insert GROW_N cookies (base + i * step), look each up, remove all in
 * two interleaved passes. */
static void grow_and_shrink(__u64 base, __u64 step)
{
	struct sw_table *t = sw_table_new(16);
	struct sw_sock s;
	size_t i, pos = 0, seen = 0;

	for (i = 0; i < GROW_N; i++) {
		s = sock_of(base + i * step, 0, UDP, SW_TCP_NONE);
		assert_non_null(sw_table_put(t, &s));
	}
	assert_int_equal(sw_table_count(t), GROW_N);
	for (i = 0; i < GROW_N; i++)
		assert_has(t, base + i * step);
	assert_null(sw_table_get(t, base + GROW_N * step));
	while (sw_table_next(t, &pos))
		seen++;
	assert_int_equal(seen, GROW_N);

	for (i = 0; i < GROW_N; i += 2)
		sw_table_remove(t, base + i * step);
	assert_int_equal(sw_table_count(t), GROW_N / 2);
	for (i = 0; i < GROW_N; i++) {
		if (i % 2)
			assert_has(t, base + i * step);
		else
			assert_null(sw_table_get(t, base + i * step));
	}
	for (i = 1; i < GROW_N; i += 2)
		sw_table_remove(t, base + i * step);
	assert_int_equal(sw_table_count(t), 0);
	pos = 0;
	assert_null(sw_table_next(t, &pos));
	sw_table_free(t);
}

static void test_growth(void **state)
{
	grow_and_shrink(1, 1);			/* the kernel's counter */
	grow_and_shrink(1ULL << 40, 4096);	/* sparse */
}

/* xorshift64: the same sequence on every run */
static __u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static __u64 rnd(__u64 n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % n;
}

#define STRESS_KEYS	1500
#define STRESS_STEPS	4000
#define STRESS_LIVE	714	/* just under 70 % of the first 1024 slots */

/* A random cookie that is (or is not) in the reference. */
static __u64 pick(const struct sw_sock *ref, bool present)
{
	__u64 c;

	do
		c = rnd(STRESS_KEYS) + 1;
	while (!ref[c].cookie != !present);
	return c;
}

/*
 * Random inserts, replacements and removals, the table held near its
 * highest load so that runs are long and wrap around its end; after each
 * step every key, the count, the iteration and the aggregates must agree
 * with a plain array.
 */
static void test_stress_against_reference(void **state)
{
	static struct sw_sock ref[STRESS_KEYS + 1];	/* cookie 0: empty */
	struct sw_table *t = sw_table_new(0);
	size_t nref = 0, step, pos, n;
	__u64 c;

	for (step = 0; step < STRESS_STEPS; step++) {
		bool grow = nref < STRESS_LIVE - 16 || (nref < STRESS_LIVE && rnd(2));

		if (!grow) {
			c = pick(ref, true);
			sw_table_remove(t, c);
			ref[c].cookie = 0;
			nref--;
		} else {
			/* insert, or now and then replace another owner */
			c = pick(ref, rnd(8) == 0 && nref);
			nref += !ref[c].cookie;
			ref[c] = sock_of(c, rnd(MAX_PID), rnd(2) ? TCP : UDP,
					 rnd(SW_TCP_MAX_STATES));
			ref[c].tx_bytes = step;
			assert_non_null(sw_table_put(t, &ref[c]));
		}
		assert_int_equal(sw_table_count(t), nref);
		for (c = 1; c <= STRESS_KEYS; c++) {
			struct sw_sock *s = sw_table_get(t, c);

			if (!ref[c].cookie) {
				assert_null(s);
				continue;
			}
			assert_non_null(s);
			assert_int_equal(s->tx_bytes, ref[c].tx_bytes);
			assert_int_equal(s->pid, ref[c].pid);
			assert_int_equal(s->state, ref[c].state);
		}
		pos = n = 0;
		while (sw_table_next(t, &pos))
			n++;
		assert_int_equal(n, nref);
		assert_procs_exact(t);
	}
	sw_table_free(t);
}

/*
 * Where each cookie lands in an empty table: iteration runs in slot order
 * and leaves pos just past the entry, which is then in its home slot.
 */
static size_t home_of(struct sw_table *t, __u64 cookie)
{
	return sw_table_index_home(t, cookie);
}

#define WRAP_N 7

/*
 * A run of entries across the end of the table: homes (cap-2, cap-2,
 * cap-1, cap-2, 0, cap-1, 1) fill slots cap-2 .. 4. Removing any one of
 * them must shift back exactly those whose home allows it, also across
 * the wrap, and leave every other reachable.
 */
static void test_wrap_around(void **state)
{
	struct sw_table *t = sw_table_new(0);
	size_t cap, want[WRAP_N], i, k;
	__u64 run[WRAP_N] = { 0 }, c;
	struct sw_sock s;
	int found = 0;

	/* the capacity: a power of two above every home */
	for (i = 0, cap = 1; i < 8192; i++)
		while (home_of(t, rnd(1ULL << 48) + 1) >= cap)
			cap <<= 1;
	{
		size_t h[WRAP_N] = { cap - 2, cap - 2, cap - 1, cap - 2, 0, cap - 1, 1 };

		memcpy(want, h, sizeof(h));
	}
	for (k = 0; found < WRAP_N && k < 1000000; k++) {
		size_t h = home_of(t, c = rnd(1ULL << 48) + 1);

		for (i = 0; i < WRAP_N; i++)
			if (!run[i] && want[i] == h) {
				run[i] = c;
				found++;
				break;
			}
	}
	assert_int_equal(found, WRAP_N);
	sw_table_free(t);

	for (k = 0; k < WRAP_N; k++) {
		t = sw_table_new(0);
		for (i = 0; i < WRAP_N; i++) {
			s = sock_of(run[i], 0, UDP, SW_TCP_NONE);
			sw_table_put(t, &s);
		}
		/* remove run[k] first, then the others in order */
		for (i = 0; i < WRAP_N; i++) {
			size_t j, gone = (k + i) % WRAP_N;

			sw_table_remove(t, run[gone]);
			assert_int_equal(sw_table_count(t), WRAP_N - 1 - i);
			for (j = 0; j < WRAP_N; j++) {
				bool removed = (j + WRAP_N - k) % WRAP_N <= i;

				if (removed)
					assert_null(sw_table_get(t, run[j]));
				else
					assert_has(t, run[j]);
			}
		}
		sw_table_free(t);
	}
}

/* ---- reconciliation ---------------------------------------------------- */

static void test_reconcile(void **state)
{
	struct sw_table *t = sw_table_new(0);
	struct sw_sock est = sock_of(1, 600, TCP, SW_TCP_ESTABLISHED);
	struct sw_sock udp = sock_of(2, 600, UDP, SW_TCP_NONE);
	struct sw_sock fresh = sock_of(3, 600, TCP, SW_TCP_CLOSE);
	struct sw_sock unbound = sock_of(4, 600, UDP, SW_TCP_NONE);
	struct sw_sock kept = sock_of(5, 601, TCP, SW_TCP_LISTEN);
	struct sw_sock moved = sock_of(6, 601, TCP, SW_TCP_ESTABLISHED);
	struct sw_sock extra = sock_of(7, 602, TCP, SW_TCP_ESTABLISHED);
	const __u64 now = T0 + 9000 * MS;
	struct sw_sock k, *s;

	fresh.lport = unbound.lport = 0;
	sw_table_put(t, &est);
	sw_table_put(t, &udp);
	sw_table_put(t, &fresh);
	sw_table_put(t, &unbound);
	sw_table_put(t, &kept);
	sw_table_put(t, &moved);
	assert_procs_exact(t);
	assert_proc(t, 600, 4, 4, 0);

	sw_table_mark_begin(t);
	/* the kernel still has `kept` as is: nothing to repair */
	assert_int_equal(sw_table_mark(t, &kept, now), 0);
	assert_state(t, 5, SW_TCP_LISTEN, T0);
	/* `moved` went to CLOSE_WAIT behind our back */
	k = moved;
	k.state = SW_TCP_CLOSE_WAIT;
	assert_int_equal(sw_table_mark(t, &k, now), 1);
	assert_state(t, 6, SW_TCP_CLOSE_WAIT, now);
	assert_int_equal(in_state(t, 601, TCP, SW_TCP_ESTABLISHED), 0);
	assert_int_equal(in_state(t, 601, TCP, SW_TCP_CLOSE_WAIT), 1);
	/* one we never saw: added, aged from now */
	k = extra;
	k.birth_ns = 0;
	assert_int_equal(sw_table_mark(t, &k, now), 1);
	s = sw_table_get(t, 7);
	assert_non_null(s);
	assert_int_equal(s->birth_ns, now);
	assert_int_equal(s->state_ns, now);
	assert_proc(t, 602, 1, 1, 0);
	/* made by an event during the dump: not in the dump, not swept */
	apply(t, owned(with_local(ev(SW_EV_BIND, 8, UDP), "0.0.0.0", 9999), 603, "late"));
	assert_procs_exact(t);

	/* est and udp are gone from the kernel; fresh and unbound are in
	 * no kernel hash table, so their absence proves nothing */
	assert_int_equal(sw_table_sweep(t), 2);
	assert_null(sw_table_get(t, 1));
	assert_null(sw_table_get(t, 2));
	assert_non_null(sw_table_get(t, 3));
	assert_non_null(sw_table_get(t, 4));
	assert_non_null(sw_table_get(t, 8));
	assert_int_equal(sw_table_count(t), 6);
	assert_proc(t, 600, 2, 2, 0);
	assert_procs_exact(t);

	/* a second round with nothing changed repairs nothing */
	sw_table_mark_begin(t);
	sw_table_mark(t, &kept, now);
	sw_table_mark(t, &k, now);
	k = moved;
	k.state = SW_TCP_CLOSE_WAIT;
	sw_table_mark(t, &k, now);
	k = sock_of(8, 603, UDP, SW_TCP_NONE);
	sw_table_mark(t, &k, now);
	assert_int_equal(sw_table_sweep(t), 0);
	assert_int_equal(sw_table_count(t), 6);
	sw_table_free(t);
}

/*
 * A reconciliation in slices (table/snapshot.h) applies events between
 * its listing and its marks: what an event changed after the listing
 * began is newer than the listing, and stays; byte counters only grow.
 */
static void test_mark_keeps_newer_events(void **state)
{
	struct sw_table *t = sw_table_new(0);
	struct sw_sock est = sock_of(1, 700, TCP, SW_TCP_ESTABLISHED);
	struct sw_sock lost = sock_of(2, 700, TCP, SW_TCP_ESTABLISHED);
	const __u64 listed = T0 + 5000 * MS;
	struct sw_sock k;
	struct sw_event e;

	est.rx_bytes = 500;
	sw_table_put(t, &est);
	sw_table_put(t, &lost);
	sw_table_mark_begin(t);
	/* after the listing began: est went to CLOSE_WAIT, and got bytes */
	clk = listed;			/* the next event: listed + 1 ms */
	e = tcp_state(1, SW_TCP_ESTABLISHED, SW_TCP_CLOSE_WAIT);
	apply(t, e);
	k = est;			/* what the listing said, before that */
	k.rx_bytes = 400;
	assert_int_equal(sw_table_mark(t, &k, listed), 0);
	assert_state(t, 1, SW_TCP_CLOSE_WAIT, listed + MS);
	assert_int_equal(sw_table_get(t, 1)->rx_bytes, 500);
	k.rx_bytes = 900;		/* the kernel counted more: taken */
	sw_table_mark(t, &k, listed);
	assert_int_equal(sw_table_get(t, 1)->rx_bytes, 900);
	assert_int_equal(sw_table_get(t, 1)->traffic_ns, listed);
	/* a change the table missed before the listing is repaired */
	k = lost;
	k.state = SW_TCP_CLOSE_WAIT;
	assert_int_equal(sw_table_mark(t, &k, listed), 1);
	assert_state(t, 2, SW_TCP_CLOSE_WAIT, listed);
	assert_procs_exact(t);
	sw_table_free(t);
}

/* sw_table_sweep_unlisted's question, answered from a list of dead pids. */
static bool pid_is_dead(const struct sw_sock *s, void *ctx)
{
	return s->pid == *(const __u32 *)ctx;
}

/*
 * Sockets no listing shows (TCP in CLOSE, unbound UDP) whose close event
 * was lost: removed when their owner is gone, kept otherwise; listable
 * and seen ones are never asked about.
 */
static void test_sweep_unlisted(void **state)
{
	struct sw_table *t = sw_table_new(0);
	struct sw_sock fresh = sock_of(1, 600, TCP, SW_TCP_CLOSE);
	struct sw_sock unbound = sock_of(2, 600, UDP, SW_TCP_NONE);
	struct sw_sock alive = sock_of(3, 601, TCP, SW_TCP_CLOSE);
	struct sw_sock est = sock_of(4, 600, TCP, SW_TCP_ESTABLISHED);
	struct sw_sock seen = sock_of(5, 600, TCP, SW_TCP_CLOSE);
	__u32 dead = 600;

	fresh.lport = unbound.lport = alive.lport = seen.lport = 0;
	sw_table_put(t, &fresh);
	sw_table_put(t, &unbound);
	sw_table_put(t, &alive);
	sw_table_put(t, &est);
	sw_table_put(t, &seen);
	sw_table_mark_begin(t);
	sw_table_mark(t, &seen, T0);
	assert_int_equal(sw_table_sweep_unlisted(t, pid_is_dead, &dead), 2);
	assert_null(sw_table_get(t, 1));
	assert_null(sw_table_get(t, 2));
	assert_non_null(sw_table_get(t, 3));
	assert_non_null(sw_table_get(t, 4));	/* sweep's business */
	assert_non_null(sw_table_get(t, 5));
	assert_procs_exact(t);
	sw_table_free(t);
}

/* A sweep removing many entries in one pass: none is skipped by the
 * shifts, none kept wrongly. */
/* States for test_sweep_many: the indexed ones among the others. */
static __u8 many_state(__u64 c)
{
	return c % 4 == 0 ? SW_TCP_LISTEN : c % 4 == 1 ? SW_TCP_CLOSE_WAIT :
	       SW_TCP_ESTABLISHED;
}

static void test_sweep_many(void **state)
{
	struct sw_table *t = sw_table_new(0);
	struct sw_sock s;
	__u64 c;

	for (c = 1; c <= 700; c++) {
		s = sock_of(c, c % 5 + 1, TCP, many_state(c));
		sw_table_put(t, &s);
	}
	assert_procs_exact(t);
	sw_table_mark_begin(t);
	for (c = 3; c <= 700; c += 3) {
		s = sock_of(c, c % 5 + 1, TCP, many_state(c));
		assert_int_equal(sw_table_mark(t, &s, T0), 0);
	}
	assert_int_equal(sw_table_sweep(t), 700 - 233);
	assert_int_equal(sw_table_count(t), 233);
	for (c = 1; c <= 700; c++)
		assert_true(!sw_table_get(t, c) == !!(c % 3));
	assert_procs_exact(t);
	sw_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_lifecycle),
		cmocka_unit_test(test_close_state_before_release),
		cmocka_unit_test(test_accepted_child),
		cmocka_unit_test(test_proc_lifetime_counters),
		cmocka_unit_test(test_never_accepted_child),
		cmocka_unit_test(test_child_owner_from_listener),
		cmocka_unit_test(test_udp_lifecycle),
		cmocka_unit_test(test_unknown_close),
		cmocka_unit_test(test_many_processes),
		cmocka_unit_test(test_birth),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_stress_against_reference),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_reconcile),
		cmocka_unit_test(test_mark_keeps_newer_events),
		cmocka_unit_test(test_sweep_many),
		cmocka_unit_test(test_sweep_unlisted),
	};

	return cmocka_run_group_tests_name("sock_table", tests, NULL, NULL);
}

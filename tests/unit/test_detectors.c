// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The detection engine on a socket table built with sw_table_put, driven
 * with synthetic times: key counting for the three kinds, growth alerts,
 * leak rules with episode dedup, bounded keys, the tick schedule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "detect/detectors.h"

#define SEC 1000000000ULL
#define T0 (100000 * SEC)

/* ---- fixtures ---------------------------------------------------------- */

#define MAX_SEEN 256
static struct {
	char alert[32];
	char key_kind[16];
	char key[SW_ALERT_KEYLEN];
	__u32 pid;
	__u8 prot_kind;
	__u32 breakdown[SW_PROT_NREASONS];
	__u8 reason;
} seen[MAX_SEEN];
static int nseen;

static void on_alert(void *ctx, const struct sw_alert *a)
{
	if (nseen == MAX_SEEN)
		return;
	snprintf(seen[nseen].alert, sizeof(seen[0].alert), "%s", a->alert);
	snprintf(seen[nseen].key_kind, sizeof(seen[0].key_kind), "%s", a->key_kind);
	snprintf(seen[nseen].key, sizeof(seen[0].key), "%s", a->key);
	seen[nseen].pid = a->pid;
	seen[nseen].prot_kind = a->prot_kind;
	seen[nseen].reason = a->decision.reason;
	memcpy(seen[nseen].breakdown, a->breakdown, sizeof(a->breakdown));
	nseen++;
}

static int count_alerts(const char *name)
{
	int i, n = 0;

	for (i = 0; i < nseen; i++)
		n += !strcmp(seen[i].alert, name);
	return n;
}

static int find_alert(const char *name, const char *key)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (!strcmp(seen[i].alert, name) && (!key || !strcmp(seen[i].key, key)))
			return i;
	return -1;
}

static const char *cmdline_of(void *ctx, __u32 pid)
{
	return pid == 500 ? "python3 /srv/leaky.py --listen 9100" : NULL;
}

static __u64 fake_fds = 100, fake_limit = 1024;
static int fd_usage(void *ctx, __u32 pid, __u64 *open, __u64 *soft)
{
	*open = fake_fds;
	*soft = fake_limit;
	return 0;
}

static const struct sw_det_hooks hooks = {
	.cmdline = cmdline_of, .fd_usage = fd_usage,
};

/* The engine returns alert records; the test takes them as the agent does. */
static void take_alerts(struct sw_detectors *d)
{
	const struct sw_alert *a;
	size_t i, n;

	a = sw_detectors_alerts(d, &n);
	for (i = 0; i < n; i++)
		on_alert(NULL, &a[i]);
	sw_detectors_alerts_done(d);
}

static void take_sample(struct sw_detectors *d, struct sw_table *t, __u64 now)
{
	sw_detectors_sample(d, t, now);
	take_alerts(d);
}

static void take_scan(struct sw_detectors *d, struct sw_table *t, __u64 now,
		      bool with_fds)
{
	sw_detectors_scan(d, t, now, with_fds);
	take_alerts(d);
}

static __u64 take_tick(struct sw_detectors *d, struct sw_table *t, __u64 now)
{
	__u64 next = sw_detectors_tick(d, t, now);

	take_alerts(d);
	return next;
}

static struct sw_sock mk(__u64 cookie, __u32 pid, __u8 state, __u8 lo,
			 __u16 lport, __u8 ro, __u16 rport)
{
	struct sw_sock s = {
		.cookie = cookie, .pid = pid, .family = AF_INET,
		.proto = IPPROTO_TCP, .state = state, .lport = lport,
		.rport = rport, .birth_ns = T0 - 3600 * SEC,
		.state_ns = T0 - 3600 * SEC, .traffic_ns = T0 - 3600 * SEC,
		.laddr = { 10, 0, 0, lo }, .raddr = { 10, 0, 1, ro },
		.netns = 1,
	};
	snprintf(s.comm, sizeof(s.comm), "proc%u", pid);
	if (!rport)
		memset(s.raddr, 0, sizeof(s.raddr));
	return s;
}

static void put(struct sw_table *t, struct sw_sock s)
{
	assert_non_null(sw_table_put(t, &s));
}

static struct sw_config cfg;

static int setup(void **state)
{
	sw_config_defaults(&cfg);
	nseen = 0;
	*state = sw_table_new(64);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	sw_table_free(*state);
	return 0;
}

static const struct sw_det_key *get_key(struct sw_detectors *d,
					enum sw_key_kind kind, __u32 pid,
					__u8 a4, __u16 port)
{
	__u8 addr[16] = { 10, 0, kind == SW_KEY_REMOTE ? 1 : 0, a4 };
	struct sw_key k;

	sw_key_addr(&k, kind, AF_INET, addr, port);
	if (kind == SW_KEY_PROCESS) {
		memset(&k, 0, sizeof(k));
		k.kind = kind;
		k.pid = pid;
	}
	return sw_detectors_key_get(d, &k);
}

/* ---- key counting -------------------------------------------------------- */

static void test_local_ip_distinct_ports(void **state)
{
	struct sw_table *t = *state;
	const struct sw_det_key *k;
	struct sw_detectors *d;

	put(t, mk(1, 10, SW_TCP_ESTABLISHED, 1, 40001, 1, 80));
	put(t, mk(2, 10, SW_TCP_ESTABLISHED, 1, 40001, 2, 80));	/* same port */
	put(t, mk(3, 11, SW_TCP_TIME_WAIT, 1, 40002, 1, 80));
	put(t, mk(4, 10, SW_TCP_LISTEN, 1, 9000, 0, 0));		/* not counted */
	put(t, mk(5, 10, SW_TCP_ESTABLISHED, 2, 40003, 1, 80));	/* other IP */
	d = sw_detectors_new(&cfg, &hooks);
	take_sample(d, t, T0);
	k = get_key(d, SW_KEY_LOCAL_IP, 0, 1, 0);
	assert_non_null(k);
	assert_int_equal(k->ewma.count, 2);
	assert_int_equal(k->sockets, 3);
	assert_int_equal(k->pid, 10);		/* owns most of them */
	assert_int_equal(k->prot[SW_PROT_CRITICAL_PORT], 3);	/* remote 80 */
	assert_non_null(get_key(d, SW_KEY_LOCAL_IP, 0, 2, 0));
	sw_detectors_free(d);

	/* the allow-list leaves out other addresses */
	assert_int_equal(sw_config_load_string("t", "[ewma]\nallow_addresses = 10.0.0.2\n",
					       &cfg, (char[128]){ 0 }, 128), 0);
	d = sw_detectors_new(&cfg, &hooks);
	take_sample(d, t, T0);
	assert_null(get_key(d, SW_KEY_LOCAL_IP, 0, 1, 0));
	assert_non_null(get_key(d, SW_KEY_LOCAL_IP, 0, 2, 0));
	sw_detectors_free(d);
}

/*
 * A local_ip key big enough at its last sample (1,024 ports or more)
 * counts its ports in a dense array instead of the ports map: the same
 * figures as the first sample, which used the map. Two pids share 1,500
 * ports; the second has 100 more, so it owns the key only if each
 * (port, pid) pair weighs once.
 */
static void test_local_ip_dense_ports(void **state)
{
	struct sw_table *t = *state;
	const struct sw_det_key *k;
	struct sw_detectors *d;
	__u32 sockets, pid;
	__u64 c = 1;
	int port, i;

	for (port = 40000; port < 41500; port++) {
		put(t, mk(c++, 10, SW_TCP_ESTABLISHED, 1, port, 1, 443));
		put(t, mk(c++, 11, SW_TCP_ESTABLISHED, 1, port, 2, 443));
	}
	for (port = 41500; port < 41600; port++)
		put(t, mk(c++, 11, SW_TCP_ESTABLISHED, 1, port, 1, 443));
	put(t, mk(c++, 10, SW_TCP_ESTABLISHED, 1, 40000, 3, 443));	/* again */
	d = sw_detectors_new(&cfg, &hooks);
	for (i = 0; i < 3; i++) {
		take_sample(d, t, T0 + i * SEC);
		k = get_key(d, SW_KEY_LOCAL_IP, 0, 1, 0);
		assert_non_null(k);
		assert_int_equal(k->ewma.count, 1600);
		assert_int_equal(k->sockets, 3101);
		assert_int_equal(k->pid, 11);
		assert_string_equal(k->comm, "proc11");
		if (!i) {
			sockets = k->sockets;
			pid = k->pid;
		}
		assert_int_equal(k->sockets, sockets);
		assert_int_equal(k->pid, pid);
	}
	/* ports that go are counted out in the dense array too */
	for (c = 1; c <= 200; c += 2)
		sw_table_remove(t, c);		/* pid 10 on 40000..40099 */
	for (c = 2; c <= 200; c += 2)
		sw_table_remove(t, c);		/* pid 11 on the same */
	take_sample(d, t, T0 + 3 * SEC);
	k = get_key(d, SW_KEY_LOCAL_IP, 0, 1, 0);
	assert_int_equal(k->ewma.count, 1501);	/* the extra one holds 40000 */
	assert_int_equal(k->sockets, 2901);
	assert_int_equal(k->pid, 11);
	sw_detectors_free(d);
}

static void test_process_excludes_accepted(void **state)
{
	struct sw_table *t = *state;
	const struct sw_det_key *k;
	struct sw_detectors *d;
	struct sw_sock s;

	put(t, mk(1, 500, SW_TCP_LISTEN, 1, 9000, 0, 0));
	s = mk(2, 500, SW_TCP_ESTABLISHED, 1, 9000, 1, 50001);
	s.flags = SW_F_ACCEPTED;
	put(t, s);
	s = mk(3, 500, SW_TCP_ESTABLISHED, 1, 9000, 1, 50002);
	s.flags = SW_F_PREEXISTING;		/* snapshot: port of a listener */
	put(t, s);
	s = mk(7, 500, SW_TCP_ESTABLISHED, 1, 9000, 1, 50003);
	s.flags = SW_F_RECOVERED;		/* reconciliation: records lost */
	put(t, s);
	put(t, mk(4, 500, SW_TCP_ESTABLISHED, 1, 41000, 3, 5432));	/* its own */
	s = mk(5, 500, SW_TCP_FIN_WAIT2, 1, 41001, 3, 5432);
	s.flags = SW_F_RELEASED;		/* closed by it: not owned */
	put(t, s);
	put(t, mk(6, 600, SW_TCP_ESTABLISHED, 1, 50001, 1, 9000));	/* client */
	d = sw_detectors_new(&cfg, &hooks);
	take_sample(d, t, T0);
	k = get_key(d, SW_KEY_PROCESS, 500, 0, 0);
	assert_non_null(k);
	assert_int_equal(k->ewma.count, 2);	/* listener + its connection */
	assert_int_equal(k->inbound, 3);
	assert_int_equal(k->prot[SW_PROT_LISTENING], 1);
	k = get_key(d, SW_KEY_PROCESS, 600, 0, 0);
	assert_int_equal(k->ewma.count, 1);

	/* remote: outbound only; the accepted sockets' peers are not keys */
	k = get_key(d, SW_KEY_REMOTE, 0, 3, 5432);
	assert_non_null(k);
	assert_int_equal(k->ewma.count, 2);	/* released ones hold a port too */
	assert_null(get_key(d, SW_KEY_REMOTE, 0, 1, 50001));
	assert_null(get_key(d, SW_KEY_REMOTE, 0, 1, 50002));
	/* client 600 -> 10.0.0.1:9000 is outbound: raddr is 10.0.1.1 here */
	assert_non_null(get_key(d, SW_KEY_REMOTE, 0, 1, 9000));
	sw_detectors_free(d);
}

/*
 * An engine tracking process keys only (sockwatch top's) keeps no other
 * kind, and its process keys are those of an engine tracking all three.
 */
static void test_kinds_process_only(void **state)
{
	struct sw_table *t = *state;
	const struct sw_det_key *a, *b;
	struct sw_detectors *all, *one;
	struct sw_det_stats st;
	size_t pos = 0;
	struct sw_sock s;
	int i;

	put(t, mk(1, 500, SW_TCP_LISTEN, 1, 9000, 0, 0));
	s = mk(2, 500, SW_TCP_ESTABLISHED, 1, 9000, 1, 50001);
	s.flags = SW_F_PREEXISTING;		/* inbound: a listener's port */
	put(t, s);
	put(t, mk(3, 500, SW_TCP_ESTABLISHED, 1, 41000, 3, 5432));
	put(t, mk(4, 600, SW_TCP_CLOSE_WAIT, 1, 41001, 3, 5432));
	put(t, mk(5, 600, SW_TCP_ESTABLISHED, 2, 41002, 4, 443));
	all = sw_detectors_new(&cfg, &hooks);
	one = sw_detectors_new(&cfg, &hooks);
	take_sample(one, t, T0);		/* kinds cut after a sample */
	assert_non_null(get_key(one, SW_KEY_LOCAL_IP, 0, 1, 0));
	sw_detectors_set_kinds(one, 1u << SW_KEY_PROCESS);
	assert_null(get_key(one, SW_KEY_LOCAL_IP, 0, 1, 0));
	assert_null(get_key(one, SW_KEY_REMOTE, 0, 3, 5432));
	take_sample(all, t, T0);
	for (i = 1; i <= 3; i++) {
		if (i == 3)
			put(t, mk(6, 600, SW_TCP_ESTABLISHED, 1, 41003, 3, 5432));
		take_sample(all, t, T0 + i * SEC);
		take_sample(one, t, T0 + i * SEC);
	}
	sw_detectors_stats(one, &st);
	assert_int_equal(st.keys[SW_KEY_LOCAL_IP], 0);
	assert_int_equal(st.keys[SW_KEY_REMOTE], 0);
	assert_int_equal(st.keys[SW_KEY_PROCESS], 2);
	while ((a = sw_detectors_key_next(all, SW_KEY_PROCESS, &pos))) {
		b = sw_detectors_key_get(one, &a->key);
		assert_non_null(b);
		assert_int_equal(b->ewma.count, a->ewma.count);
		assert_true(b->ewma.short_avg == a->ewma.short_avg);
		assert_true(b->ewma.rd == a->ewma.rd);
		assert_int_equal(b->sockets, a->sockets);
		assert_int_equal(b->inbound, a->inbound);
		assert_memory_equal(b->prot, a->prot, sizeof(a->prot));
		assert_int_equal(b->pid, a->pid);
		assert_memory_equal(b->comm, a->comm, SW_COMM_LEN);
	}
	assert_int_equal(pos, 2);
	a = get_key(one, SW_KEY_PROCESS, 600, 0, 0);
	assert_non_null(a);
	assert_int_equal(a->ewma.count, 3);
	a = get_key(one, SW_KEY_PROCESS, 500, 0, 0);
	assert_int_equal(a->inbound, 1);
	sw_detectors_free(all);
	sw_detectors_free(one);
}

/*
 * A key's owner: local_ip weighs a (port, pid) once, so the server whose
 * accepted sockets share its listener's port does not outweigh the client
 * holding more ports; other keys weigh sockets, ties going to the lowest
 * pid.
 */
static void test_key_owner(void **state)
{
	struct sw_table *t = *state;
	const struct sw_det_key *k;
	struct sw_detectors *d;
	struct sw_sock s;
	int i;

	for (i = 0; i < 5; i++) {
		s = mk(1 + i, 500, SW_TCP_ESTABLISHED, 1, 9000, 1, 50000 + i);
		s.flags = SW_F_ACCEPTED;
		put(t, s);
	}
	for (i = 0; i < 3; i++)
		put(t, mk(10 + i, 600, SW_TCP_ESTABLISHED, 1, 41000 + i, 2, 9000));
	for (i = 0; i < 4; i++)		/* two each: a tie */
		put(t, mk(20 + i, 21 - i % 2, SW_TCP_ESTABLISHED, 2, 42000 + i,
			  3, 5432));
	d = sw_detectors_new(&cfg, &hooks);
	take_sample(d, t, T0);
	k = get_key(d, SW_KEY_LOCAL_IP, 0, 1, 0);
	assert_non_null(k);
	assert_int_equal(k->ewma.count, 4);	/* 9000 and three of 600's */
	assert_int_equal(k->sockets, 8);
	assert_int_equal(k->pid, 600);
	assert_string_equal(k->comm, "proc600");
	k = get_key(d, SW_KEY_REMOTE, 0, 3, 5432);
	assert_non_null(k);
	assert_int_equal(k->sockets, 4);
	assert_int_equal(k->pid, 20);
	sw_detectors_free(d);
}

static void test_v4_mapped_is_v4(void **state)
{
	__u8 mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1 };
	struct sw_key k;
	char buf[64];

	sw_key_addr(&k, SW_KEY_REMOTE, AF_INET6, mapped, 443);
	assert_int_equal(k.family, AF_INET);
	sw_key_format(&k, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:443");
	memset(mapped, 0, sizeof(mapped));
	mapped[15] = 1;
	sw_key_addr(&k, SW_KEY_REMOTE, AF_INET6, mapped, 443);
	sw_key_format(&k, buf, sizeof(buf));
	assert_string_equal(buf, "[::1]:443");
}

/* ---- growth alerts ------------------------------------------------------------ */

/* One process opens 150 ports, then 40 more each second to 400. */
static void test_growth_alerts(void **state)
{
	struct sw_table *t = *state;
	struct sw_detectors *d;
	__u64 cookie = 1, now = T0;
	int i, sample, at;

	cfg.ewma.breach_ns = 5 * SEC;
	d = sw_detectors_new(&cfg, &hooks);
	for (i = 0; i < 150; i++, cookie++)
		put(t, mk(cookie, 700, SW_TCP_ESTABLISHED, 7, 30000 + cookie, 9, 7777));
	for (sample = 0; sample < 12; sample++, now += SEC) {
		take_sample(d, t, now);
		for (i = 0; i < 40 && cookie < 400; i++, cookie++)
			put(t, mk(cookie, 700, SW_TCP_ESTABLISHED, 7, 30000 + cookie,
				  9, 7777));
	}
	/* armed once and confirmed once per kind of key that grew */
	at = find_alert(SW_ALERT_EWMA_STARTED, "10.0.0.7");
	assert_true(at >= 0);
	assert_string_equal(seen[at].key_kind, "local_ip");
	assert_int_equal(seen[at].pid, 700);
	assert_int_equal(seen[at].prot_kind, SW_ALERT_PROT_BREAKDOWN);
	assert_true(seen[at].breakdown[SW_PROT_UNPROTECTED] >= 150);
	assert_true(find_alert(SW_ALERT_EWMA_STARTED, "700") >= 0);
	assert_true(find_alert(SW_ALERT_EWMA_STARTED, "10.0.1.9:7777") >= 0);
	assert_int_equal(count_alerts(SW_ALERT_EWMA_STARTED), 3);
	assert_int_equal(count_alerts(SW_ALERT_EWMA_CONFIRMED), 3);
	assert_int_equal(count_alerts(SW_ALERT_EWMA_BACK_DOWN), 0);

	/* the sockets go: back down, once per key */
	for (i = 1; i < (int)cookie; i++)
		sw_table_remove(t, i);
	take_sample(d, t, now);
	assert_int_equal(count_alerts(SW_ALERT_EWMA_BACK_DOWN), 3);
	sw_detectors_free(d);
}

static void test_max_ports_once_per_episode(void **state)
{
	struct sw_table *t = *state;
	struct sw_detectors *d;
	int i;

	cfg.ewma.min_ports = 2;
	cfg.ewma.max_ports = 3;
	d = sw_detectors_new(&cfg, &hooks);
	for (i = 1; i <= 3; i++)
		put(t, mk(i, 800, SW_TCP_ESTABLISHED, 8, 30000 + i, 8, 7000 + i));
	take_sample(d, t, T0);
	take_sample(d, t, T0 + SEC);
	/* local_ip 10.0.0.8 and process 800 reach 3 */
	assert_int_equal(count_alerts(SW_ALERT_MAX_PORTS), 2);
	sw_table_remove(t, 3);
	take_sample(d, t, T0 + 2 * SEC);
	put(t, mk(3, 800, SW_TCP_ESTABLISHED, 8, 30003, 8, 7003));
	take_sample(d, t, T0 + 3 * SEC);
	assert_int_equal(count_alerts(SW_ALERT_MAX_PORTS), 4);
	sw_detectors_free(d);
}

/* ---- leak rules ------------------------------------------------------------------ */

/*
 * The e2e scenario: a server whose command line matches infrastructure
 * patterns holds accepted sockets in CLOSE_WAIT. They are alerted with the
 * server's pid, once per episode; its listener is not.
 */
static void test_close_wait_server(void **state)
{
	struct sw_table *t = *state;
	struct sw_detectors *d;
	struct sw_sock s;
	int i, at;

	cfg.leaks.close_wait_ns = 2 * SEC;
	put(t, mk(1, 500, SW_TCP_LISTEN, 1, 9100, 0, 0));
	for (i = 0; i < 3; i++) {
		s = mk(10 + i, 500, SW_TCP_CLOSE_WAIT, 1, 9100, 1, 50000 + i);
		s.flags = SW_F_ACCEPTED;
		s.rx_bytes = 1 << 20;		/* busy once: still a leak */
		s.state_ns = T0 - SEC;
		put(t, s);
	}
	s = mk(20, 501, SW_TCP_CLOSE_WAIT, 1, 42000, 1, 22);	/* critical */
	put(t, s);
	d = sw_detectors_new(&cfg, &hooks);
	take_scan(d, t, T0, false);
	assert_int_equal(count_alerts(SW_ALERT_CLOSE_WAIT), 0);	/* 1 s: not yet */

	take_scan(d, t, T0 + SEC + 1, false);		/* 2 s + 1 ns */
	assert_int_equal(count_alerts(SW_ALERT_CLOSE_WAIT), 3);
	at = find_alert(SW_ALERT_CLOSE_WAIT, "10.0.0.1:9100->10.0.1.1:50000");
	assert_true(at >= 0);
	assert_int_equal(seen[at].pid, 500);
	assert_string_equal(seen[at].key_kind, "socket");
	assert_int_equal(seen[at].reason, SW_PROT_INFRASTRUCTURE);

	take_scan(d, t, T0 + 5 * SEC, false);		/* ongoing */
	assert_int_equal(count_alerts(SW_ALERT_CLOSE_WAIT), 3);

	{
		struct sw_det_stats st;
		const struct sw_suspect *sp;
		size_t pos = 0;
		int n = 0;

		sw_detectors_stats(d, &st);
		assert_int_equal(st.suspects, 3);
		while ((sp = sw_detectors_suspect_next(d, &pos)))
			n += sp->rule == SW_LEAK_CLOSE_WAIT && sp->pid == 500;
		assert_int_equal(n, 3);
	}

	/* closed and the same cookie leaks again later: a new episode */
	sw_table_remove(t, 10);
	take_scan(d, t, T0 + 6 * SEC, false);
	s = mk(10, 500, SW_TCP_CLOSE_WAIT, 1, 9100, 1, 50000);
	s.flags = SW_F_ACCEPTED;
	s.state_ns = T0;
	put(t, s);
	take_scan(d, t, T0 + 7 * SEC, false);
	assert_int_equal(count_alerts(SW_ALERT_CLOSE_WAIT), 4);
	sw_detectors_free(d);
}

static void test_idle_rule(void **state)
{
	struct sw_table *t = *state;
	struct sw_detectors *d;
	struct sw_sock s;

	put(t, mk(1, 900, SW_TCP_ESTABLISHED, 1, 40000, 1, 45000));	/* idle */
	s = mk(2, 900, SW_TCP_ESTABLISHED, 1, 40001, 1, 45000);
	s.birth_ns = s.traffic_ns = T0 - 10 * SEC;			/* young */
	put(t, s);
	s = mk(3, 900, SW_TCP_ESTABLISHED, 1, 40002, 1, 45000);
	s.traffic_ns = T0 - 10 * SEC;					/* talking */
	put(t, s);
	d = sw_detectors_new(&cfg, &hooks);
	take_scan(d, t, T0, false);
	assert_int_equal(count_alerts(SW_ALERT_IDLE), 1);
	assert_int_equal(seen[0].reason, SW_PROT_UNPROTECTED);
	sw_detectors_free(d);
}

static void test_fd_headroom(void **state)
{
	struct sw_table *t = *state;
	struct sw_detectors *d;

	put(t, mk(1, 901, SW_TCP_ESTABLISHED, 1, 40000, 1, 80));
	d = sw_detectors_new(&cfg, &hooks);
	fake_fds = 819;
	fake_limit = 1024;
	take_scan(d, t, T0, true);
	assert_int_equal(count_alerts(SW_ALERT_FD_HEADROOM), 0);
	fake_fds = 820;
	take_scan(d, t, T0 + SEC, true);
	take_scan(d, t, T0 + 2 * SEC, false);	/* no fd pass: kept */
	take_scan(d, t, T0 + 3 * SEC, true);
	assert_int_equal(count_alerts(SW_ALERT_FD_HEADROOM), 1);
	assert_string_equal(seen[0].key, "901");
	assert_string_equal(seen[0].key_kind, "process");
	fake_fds = 100;
	sw_detectors_free(d);
}

/* ---- bounds ------------------------------------------------------------------------ */

static void test_key_cap_and_idle_drop(void **state)
{
	struct sw_table *t = *state;
	struct sw_det_stats st;
	struct sw_detectors *d;
	int i;

	cfg.agent.max_keys = 2;
	cfg.agent.key_idle_ns = 10 * SEC;
	cfg.ewma.min_ports = 3;
	for (i = 1; i <= 4; i++)	/* four remote endpoints, one socket each */
		put(t, mk(i, 950, SW_TCP_ESTABLISHED, 1, 40000 + i, i, 5555));
	d = sw_detectors_new(&cfg, &hooks);
	take_sample(d, t, T0);
	sw_detectors_stats(d, &st);
	assert_int_equal(st.keys[SW_KEY_REMOTE], 2);
	assert_int_equal(st.overflow[SW_KEY_REMOTE], 2);

	/* a big new endpoint evicts a small seed-state key */
	for (i = 0; i < 3; i++)
		put(t, mk(100 + i, 950, SW_TCP_ESTABLISHED, 1, 41000 + i, 99, 5555));
	take_sample(d, t, T0 + SEC);
	assert_non_null(get_key(d, SW_KEY_REMOTE, 0, 99, 5555));
	sw_detectors_stats(d, &st);
	assert_int_equal(st.evicted[SW_KEY_REMOTE], 1);

	/* all gone: the keys stay key_idle_seconds, then are dropped */
	for (i = 1; i <= 4; i++)
		sw_table_remove(t, i);
	for (i = 0; i < 3; i++)
		sw_table_remove(t, 100 + i);
	take_sample(d, t, T0 + 2 * SEC);
	sw_detectors_stats(d, &st);
	assert_int_equal(st.keys[SW_KEY_REMOTE], 2);
	take_sample(d, t, T0 + 12 * SEC);
	sw_detectors_stats(d, &st);
	assert_int_equal(st.keys[SW_KEY_REMOTE], 0);
	assert_int_equal(st.keys[SW_KEY_PROCESS], 0);
	assert_true(st.dropped_idle >= 3);

	/* a smaller bound on reload keeps what fits */
	cfg.agent.max_keys = 1;
	assert_int_equal(sw_detectors_configure(d, &cfg), 0);
	sw_detectors_free(d);
}

static void test_tick_schedule(void **state)
{
	struct sw_table *t = *state;
	struct sw_det_stats st;
	struct sw_detectors *d;
	__u64 next;

	d = sw_detectors_new(&cfg, &hooks);
	next = take_tick(d, t, T0);		/* the first runs at once */
	assert_int_equal(next, T0 + SEC);
	assert_int_equal(take_tick(d, t, T0 + 1), next);	/* not due */
	next = take_tick(d, t, next);
	assert_int_equal(next, T0 + 2 * SEC);
	/* after a stall, the grid restarts from now */
	next = take_tick(d, t, T0 + 10 * SEC + 5);
	assert_int_equal(next, T0 + 11 * SEC + 5);
	sw_detectors_stats(d, &st);
	assert_int_equal(st.samples, 3);
	assert_int_equal(st.scans, 3);
	sw_detectors_free(d);
}

/*
 * The tick in two holds (the agent's): the same schedule, kept from the
 * sample's time however late the scan comes; fd usage read on the same
 * ticks as a whole tick reads it.
 */
static void test_tick_in_two_parts(void **state)
{
	struct sw_table *t = *state;
	struct sw_det_stats st;
	struct sw_detectors *d;
	__u64 next;

	put(t, mk(1, 77, SW_TCP_ESTABLISHED, 1, 40000, 1, 443));
	fake_fds = 1000;
	d = sw_detectors_new(&cfg, &hooks);
	assert_true(sw_detectors_tick_sample(d, t, T0));
	sw_detectors_stats(d, &st);
	assert_int_equal(st.samples, 1);
	assert_int_equal(st.scans, 0);
	next = sw_detectors_tick_scan(d, t, T0 + SEC / 2);	/* a late scan */
	take_alerts(d);
	assert_int_equal(next, T0 + SEC);
	assert_int_equal(find_alert(SW_ALERT_FD_HEADROOM, "77"), 0);
	assert_false(sw_detectors_tick_sample(d, t, T0 + SEC - 1));
	assert_true(sw_detectors_tick_sample(d, t, next));
	assert_int_equal(sw_detectors_tick_scan(d, t, next), T0 + 2 * SEC);
	sw_detectors_stats(d, &st);
	assert_int_equal(st.samples, 2);
	assert_int_equal(st.scans, 2);
	fake_fds = 100;
	sw_detectors_free(d);
}

static void test_key_json(void **state)
{
	struct sw_table *t = *state;
	const struct sw_det_key *k;
	struct sw_detectors *d;
	struct sw_json j;
	size_t pos = 0;

	put(t, mk(1, 10, SW_TCP_ESTABLISHED, 1, 40001, 1, 80));
	d = sw_detectors_new(&cfg, &hooks);
	take_sample(d, t, T0);
	k = sw_detectors_key_next(d, SW_KEY_LOCAL_IP, &pos);
	assert_non_null(k);
	sw_json_init(&j);
	sw_det_key_json(&j, d, k, T0);
	assert_string_equal(sw_json_cstr(&j),
		"{\"key_kind\":\"local_ip\",\"key\":\"10.0.0.1\",\"count\":1,"
		"\"short\":100,\"long\":100,\"rd\":0,\"fail\":false,"
		"\"state\":\"idle\",\"deadline_seconds\":null,\"sockets\":1,"
		"\"pid\":10,\"comm\":\"proc10\",\"protection\":{\"listening\":0,"
		"\"critical_port\":1,\"infrastructure\":0,\"active_traffic\":0,"
		"\"young\":0,\"unprotected\":0}}");
	assert_null(sw_detectors_key_next(d, SW_KEY_LOCAL_IP, &pos));
	sw_json_free(&j);
	sw_detectors_free(d);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_local_ip_distinct_ports),
		T(test_process_excludes_accepted),
		T(test_local_ip_dense_ports),
		T(test_kinds_process_only),
		T(test_key_owner),
		T(test_v4_mapped_is_v4),
		T(test_growth_alerts),
		T(test_max_ports_once_per_episode),
		T(test_close_wait_server),
		T(test_idle_rule),
		T(test_fd_headroom),
		T(test_key_cap_and_idle_drop),
		T(test_tick_schedule),
		T(test_tick_in_two_parts),
		T(test_key_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

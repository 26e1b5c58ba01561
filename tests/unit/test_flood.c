// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* connection_flood rate tracker: thresholds, episodes, bounded memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "detect/flood.h"
#include "event_builders.h"

#define SEC 1000000000ull
#define T0 (1000 * SEC)		/* any non-zero monotonic start */

static const struct sw_flood_params ten_per_s = {
	.connections_per_second = 10, .window_ns = SEC, .max_addrs = 64,
};

static void addr4(__u8 a[16], __u32 n)
{
	memset(a, 0, 16);
	a[0] = 10;
	a[1] = n >> 16;
	a[2] = n >> 8;
	a[3] = n;
}

/* n connections from addr spread evenly over [t, t + span). */
static int hits(struct sw_flood *f, const __u8 a[16], int n, __u64 t, __u64 span)
{
	int i, alerts = 0;

	for (i = 0; i < n; i++)
		alerts += sw_flood_hit(f, 2, a, t + span * i / n, NULL);
	return alerts;
}

static void test_invalid_params(void **state)
{
	struct sw_flood_params p = ten_per_s;

	p.connections_per_second = 0;
	assert_null(sw_flood_new(&p));
	assert_int_equal(errno, EINVAL);
	p = ten_per_s;
	p.window_ns = 0;
	assert_null(sw_flood_new(&p));
}

static void test_boundary_once_per_episode(void **state)
{
	struct sw_flood *f = sw_flood_new(&ten_per_s);
	struct sw_flood_alert al;
	__u8 a[16];
	int i;

	addr4(a, 1);
	/* exactly the limit: 10 in one window is allowed */
	for (i = 0; i < 10; i++)
		assert_false(sw_flood_hit(f, 2, a, T0 + i, &al));
	/* one more is a flood, reported once */
	assert_true(sw_flood_hit(f, 2, a, T0 + 10, &al));
	assert_int_equal(al.family, 2);
	assert_memory_equal(al.addr, a, 16);
	assert_true(al.rate > 10.0);
	assert_true(al.limit == 10.0);
	assert_int_equal(al.count, 11);
	assert_int_equal(al.since_ns, T0);
	assert_int_equal(sw_flood_active(f, T0 + 11), 1);
	assert_int_equal(hits(f, a, 100, T0 + 11, SEC / 2), 0);
	sw_flood_free(f);
}

static void test_steady_rate_under_limit(void **state)
{
	struct sw_flood *f = sw_flood_new(&ten_per_s);
	__u8 a[16];

	addr4(a, 2);
	/* 8/s for a minute, evenly spaced: never a flood */
	assert_int_equal(hits(f, a, 480, T0, 60 * SEC), 0);
	/* 12/s: a flood, once */
	assert_int_equal(hits(f, a, 120, T0 + 60 * SEC, 10 * SEC), 1);
	sw_flood_free(f);
}

static void test_new_episode_after_quiet(void **state)
{
	struct sw_flood *f = sw_flood_new(&ten_per_s);
	__u8 a[16];

	addr4(a, 3);
	assert_int_equal(hits(f, a, 20, T0, SEC / 10), 1);
	/* quiet for a whole window ends the episode */
	assert_int_equal(sw_flood_active(f, T0 + 2 * SEC), 0);
	assert_int_equal(hits(f, a, 20, T0 + 3 * SEC, SEC / 10), 1);
	sw_flood_free(f);
}

static void test_episode_ends_below_half(void **state)
{
	struct sw_flood *f = sw_flood_new(&ten_per_s);
	__u8 a[16];

	addr4(a, 4);
	assert_int_equal(hits(f, a, 30, T0, SEC), 1);
	/* 4/s (below half the limit), never quiet for a window: ends */
	assert_int_equal(hits(f, a, 12, T0 + SEC, 3 * SEC), 0);
	assert_int_equal(sw_flood_active(f, T0 + 4 * SEC - 1), 0);
	/* so the next burst is a new episode */
	assert_int_equal(hits(f, a, 30, T0 + 4 * SEC, SEC), 1);
	sw_flood_free(f);
}

static void test_addresses_independent(void **state)
{
	struct sw_flood *f = sw_flood_new(&ten_per_s);
	__u8 a[16], b[16];

	addr4(a, 5);
	addr4(b, 6);
	assert_int_equal(hits(f, a, 10, T0, SEC / 2), 0);
	assert_int_equal(hits(f, b, 10, T0, SEC / 2), 0);
	/* IPv6 address with the same first bytes is another address */
	assert_false(sw_flood_hit(f, 10, a, T0 + SEC / 2, NULL));
	sw_flood_free(f);
}

static void test_bounded_memory(void **state)
{
	struct sw_flood_params p = ten_per_s;
	struct sw_flood *f;
	__u8 a[16];
	__u32 i;

	p.max_addrs = 8;
	f = sw_flood_new(&p);
	assert_non_null(f);
	/* 100,000 distinct addresses, one connection each: no alert */
	for (i = 0; i < 100000; i++) {
		addr4(a, i);
		assert_false(sw_flood_hit(f, 2, a, T0 + i, NULL));
	}
	/* a real flood is still seen */
	addr4(a, 999999);
	assert_int_equal(hits(f, a, 11, T0 + SEC, SEC / 10), 1);
	sw_flood_free(f);
}

/* The agent's entry: accepts only, and the record it emits. */
static void test_check_returns_the_alert(void **state)
{
	struct sw_flood *f = sw_flood_new(&ten_per_s);
	struct sw_event e;
	struct sw_alert a;
	int i, n = 0;

	assert_non_null(f);
	e = owned(with_ends(event(SW_EV_ACCEPT, TCP, 1, T0), "10.0.0.1", 8080,
				 "10.9.9.9", 40000), 42, "server");
	for (i = 0; i < 11; i++) {
		e.ts_ns = T0 + i * (SEC / 20);
		n += sw_flood_check(f, &e, &a);
	}
	assert_int_equal(n, 1);
	assert_string_equal(a.alert, SW_ALERT_CONNECTION_FLOOD);
	assert_string_equal(a.key_kind, "remote_addr");
	assert_string_equal(a.key, "10.9.9.9");
	assert_int_equal(a.pid, 42);
	assert_string_equal(a.comm, "server");
	/* connects from the same address are not accepts: not counted */
	e.kind = SW_EV_CONNECT;
	for (i = 0; i < 50; i++) {
		e.ts_ns = T0 + 10 * SEC + i;
		assert_false(sw_flood_check(f, &e, &a));
	}
	sw_flood_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_params),
		cmocka_unit_test(test_boundary_once_per_episode),
		cmocka_unit_test(test_steady_rate_under_limit),
		cmocka_unit_test(test_new_episode_after_quiet),
		cmocka_unit_test(test_episode_ends_below_half),
		cmocka_unit_test(test_addresses_independent),
		cmocka_unit_test(test_bounded_memory),
		cmocka_unit_test(test_check_returns_the_alert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

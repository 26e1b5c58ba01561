// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Interface counters: growth of errors and drops between two runs (new
 * interfaces, re-created ones, counters that went back), and a real
 * RTM_GETLINK dump that finds loopback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "health/health.h"

static struct sw_ifstat ifstat(const char *name, __u32 idx, __u64 err, __u64 drop)
{
	struct sw_ifstat s = { .ifindex = idx, .rx_errors = err, .tx_dropped = drop };

	strcpy(s.name, name);
	return s;
}

static void test_growth(void **state)
{
	static struct sw_ifstats prev, cur;

	prev.n = 3;
	prev.v[0] = ifstat("eth0", 2, 10, 5);
	prev.v[1] = ifstat("veth1", 7, 0, 100);
	prev.v[2] = ifstat("gone0", 9, 1, 1);
	cur.n = 4;
	cur.v[0] = ifstat("eth0", 2, 13, 5);		/* +3 errors */
	cur.v[1] = ifstat("veth1", 7, 0, 40);		/* went back: a new baseline */
	cur.v[2] = ifstat("new0", 11, 50, 50);		/* new: no growth yet */
	cur.v[3] = ifstat("veth1", 8, 0, 500);		/* same name, re-created */
	sw_netstats_growth(&cur, &prev);
	assert_true(cur.compared);
	assert_int_equal(cur.v[0].errors_growth, 3);
	assert_int_equal(cur.v[0].drops_growth, 0);
	assert_int_equal(cur.v[1].drops_growth, 0);
	assert_int_equal(cur.v[2].errors_growth, 0);
	assert_int_equal(cur.v[3].drops_growth, 0);
}

static void test_first_run(void **state)
{
	static struct sw_ifstats cur;

	cur.n = 1;
	cur.v[0] = ifstat("eth0", 2, 13, 5);
	sw_netstats_growth(&cur, NULL);
	assert_false(cur.compared);
	assert_int_equal(cur.v[0].errors_growth, 0);
}

static void test_links_dump(void **state)
{
	static struct sw_ifstats s;
	unsigned int i;
	bool lo = false;

	assert_int_equal(sw_netstats_links(&s), 0);
	assert_true(s.n >= 1);
	for (i = 0; i < s.n; i++)
		lo |= !strcmp(s.v[i].name, "lo") && s.v[i].ifindex == 1;
	assert_true(lo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_first_run),
		cmocka_unit_test(test_links_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

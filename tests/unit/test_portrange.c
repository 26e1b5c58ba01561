// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Port and range parsing: accepted forms, boundaries and the reasons given. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "lib/portrange.h"

static void test_port_bounds(void **state)
{
	char why[SW_PORT_WHY_LEN];
	__u16 p;

	assert_int_equal(sw_port_parse("1", false, &p, why), 0);
	assert_int_equal(p, 1);
	assert_int_equal(sw_port_parse("65535", false, &p, why), 0);
	assert_int_equal(p, 65535);
	assert_int_equal(sw_port_parse("65536", false, &p, why), -1);
	assert_string_equal(why, "port 65536 is out of range 1-65535");
	assert_int_equal(sw_port_parse("70000", false, &p, why), -1);
	assert_string_equal(why, "port 70000 is out of range 1-65535");
	assert_int_equal(sw_port_parse("0", false, &p, why), -1);
	assert_int_equal(sw_port_parse("0", true, &p, why), 0);
	assert_int_equal(sw_port_parse("99999999999999999999", false, &p, why), -1);
	assert_non_null(strstr(why, "out of range"));
}

static void test_port_garbage(void **state)
{
	static const char *bad[] = { "", "abc", "80x", "-1", "+80", " 80", "8 0", "0x50" };
	char why[SW_PORT_WHY_LEN];
	size_t i;
	__u16 p;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sw_port_parse(bad[i], false, &p, why), -1);
		assert_non_null(strstr(why, "is not a port number"));
	}
}

static void test_ranges(void **state)
{
	char why[SW_PORT_WHY_LEN];
	struct sw_portrange r;

	assert_int_equal(sw_portrange_parse("8000-8100", &r, why), 0);
	assert_int_equal(r.lo, 8000);
	assert_int_equal(r.hi, 8100);
	assert_int_equal(sw_portrange_len(&r), 101);
	assert_int_equal(sw_portrange_parse("8080", &r, why), 0);
	assert_int_equal(r.lo, 8080);
	assert_int_equal(r.hi, 8080);
	assert_int_equal(sw_portrange_parse("9000-9000", &r, why), 0);
	assert_int_equal(sw_portrange_parse("1-65535", &r, why), 0);
	assert_int_equal(sw_portrange_len(&r), 65535);

	assert_int_equal(sw_portrange_parse("9000-8000", &r, why), -1);
	assert_non_null(strstr(why, "9000-8000 is reversed"));
	assert_int_equal(sw_portrange_parse("8000-70000", &r, why), -1);
	assert_string_equal(why, "port 70000 is out of range 1-65535");
	assert_int_equal(sw_portrange_parse("8000-", &r, why), -1);
	assert_int_equal(sw_portrange_parse("-8000", &r, why), -1);
	assert_int_equal(sw_portrange_parse("80-90-100", &r, why), -1);
	assert_int_equal(sw_portrange_parse("a-b", &r, why), -1);
}

static void test_portset(void **state)
{
	static struct sw_portset s;
	struct sw_portrange all = { 1, 65535 }, part = { 8005, 9090 };
	char why[SW_PORT_WHY_LEN];

	assert_int_equal(sw_portset_parse("", &s, why), 0);
	assert_int_equal(sw_portset_count(&s, &all), 0);
	assert_int_equal(sw_portset_parse("8000-8010, 9090,\n", &s, why), 0);
	assert_int_equal(sw_portset_count(&s, &all), 12);
	assert_int_equal(sw_portset_count(&s, &part), 7);
	assert_true(sw_portset_has(&s, 9090));
	assert_false(sw_portset_has(&s, 8011));
	assert_int_equal(sw_portset_parse("80,x", &s, why), -1);
	assert_int_equal(sw_portset_parse("90-80", &s, why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_bounds),
		cmocka_unit_test(test_port_garbage),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_portset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

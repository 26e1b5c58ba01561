// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* lib/strbuf.c: the growable buffer and the shortest double formatter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "lib/strbuf.h"

static void test_put_grows_and_stays_terminated(void **state)
{
	struct sw_strbuf b = { 0 };
	size_t i, len;
	char *s;

	for (i = 0; i < 10000; i++)
		sw_strbuf_put(&b, "abc", 3);
	sw_strbuf_putc(&b, '!');
	assert_false(b.oom);
	assert_int_equal(b.len, 30001);
	assert_true(b.cap > b.len);
	assert_int_equal(b.buf[b.len], '\0');
	assert_memory_equal(b.buf + 29997, "abc!", 5);
	/* clear keeps the memory, steal hands it over and empties b */
	sw_strbuf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	sw_strbuf_put(&b, "xy", 2);
	s = sw_strbuf_steal(&b, &len);
	assert_int_equal(len, 2);
	assert_string_equal(s, "xy");
	assert_null(b.buf);
	assert_int_equal(b.len, 0);
	free(s);
	sw_strbuf_free(&b);
}

static void test_embedded_nul_is_data(void **state)
{
	struct sw_strbuf b = { 0 };

	sw_strbuf_put(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.buf, "a\0b", 4);
	sw_strbuf_free(&b);
}

static void test_oom_is_sticky(void **state)
{
	struct sw_strbuf b = { 0 };

	sw_strbuf_put(&b, "ok", 2);
	/* more than can ever be allocated */
	assert_false(sw_strbuf_reserve(&b, SIZE_MAX / 2));
	assert_true(b.oom);
	sw_strbuf_put(&b, "lost", 4);
	assert_int_equal(b.len, 2);
	assert_string_equal(b.buf, "ok");
	sw_strbuf_free(&b);
}

static void fmt(double v, const char *want)
{
	char buf[32];

	sw_fmt_double(buf, sizeof(buf), v);
	assert_string_equal(buf, want);
}

static void test_double_shortest_round_trip(void **state)
{
	static const double samples[] = { 0.1, 1.0 / 3, 2.5e-300, 1e21, DBL_MAX,
					  DBL_MIN, -123.456, 6.02214076e23 };
	char buf[32];
	size_t i;

	fmt(0, "0");
	fmt(42, "42");
	fmt(-7, "-7");
	fmt(9007199254740992.0, "9007199254740992");	/* 2^53: no exponent */
	fmt(0.1, "0.1");
	fmt(1.5, "1.5");
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		sw_fmt_double(buf, sizeof(buf), samples[i]);
		assert_true(strtod(buf, NULL) == samples[i]);
		assert_null(strchr(buf, ','));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_grows_and_stays_terminated),
		cmocka_unit_test(test_embedded_nul_is_data),
		cmocka_unit_test(test_oom_is_sticky),
		cmocka_unit_test(test_double_shortest_round_trip),
	};

	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* lib/json_writer.c: commas, nesting, escaping, numbers; read back by jansson. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "lib/json_writer.h"

static void test_nesting_and_commas(void **state)
{
	struct sw_json j;

	sw_json_init(&j);
	sw_json_obj_begin(&j);
	sw_json_kstr(&j, "a", "x");
	sw_json_key(&j, "list");
	sw_json_arr_begin(&j);
	sw_json_int(&j, -1);
	sw_json_uint(&j, UINT64_MAX);
	sw_json_obj_begin(&j);
	sw_json_obj_end(&j);
	sw_json_arr_begin(&j);
	sw_json_arr_end(&j);
	sw_json_bool(&j, true);
	sw_json_null(&j);
	sw_json_arr_end(&j);
	sw_json_kbool(&j, "f", false);
	sw_json_knull(&j, "n");
	sw_json_kstr(&j, "s", NULL);
	sw_json_obj_end(&j);
	assert_string_equal(sw_json_cstr(&j),
		"{\"a\":\"x\",\"list\":[-1,18446744073709551615,{},[],true,null],"
		"\"f\":false,\"n\":null,\"s\":null}");
	/* reset: empty again, ready for a new document */
	sw_json_reset(&j);
	sw_json_arr_begin(&j);
	sw_json_int(&j, 1);
	sw_json_arr_end(&j);
	assert_string_equal(sw_json_cstr(&j), "[1]");
	sw_json_free(&j);
}

static void test_strings_escaped_and_read_back(void **state)
{
	static const char raw[] = "q\"b\\n\nr\rt\t\x01\x1f end é";
	struct sw_json j;
	json_error_t err;
	json_t *o;

	sw_json_init(&j);
	sw_json_obj_begin(&j);
	sw_json_kstr(&j, "k\"ey", raw);
	sw_json_key(&j, "cut");
	sw_json_strn(&j, "abcdef", 3);
	sw_json_obj_end(&j);
	assert_non_null(strstr(sw_json_cstr(&j), "\\u0001\\u001f"));
	assert_null(strchr(sw_json_cstr(&j), '\n'));
	o = json_loads(sw_json_cstr(&j), 0, &err);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "k\"ey")), raw);
	assert_string_equal(json_string_value(json_object_get(o, "cut")), "abc");
	json_decref(o);
	sw_json_free(&j);
}

static void test_doubles(void **state)
{
	struct sw_json j;

	sw_json_init(&j);
	sw_json_arr_begin(&j);
	sw_json_double(&j, 0.1);
	sw_json_double(&j, 3);
	sw_json_double(&j, NAN);		/* not JSON: null */
	sw_json_double(&j, INFINITY);
	sw_json_arr_end(&j);
	assert_string_equal(sw_json_cstr(&j), "[0.1,3,null,null]");
	sw_json_free(&j);
}

/* Every digit count, both signs, and the ends of the ranges. */
static void test_integers(void **state)
{
	static const uint64_t u[] = { 0, 9, 10, 99, 100, 101, 999, 1000, 65535,
				      4026531833ULL, 10000000000000000000ULL, UINT64_MAX };
	static const int64_t i[] = { -1, -9, -10, -99, -100, INT64_MIN, INT64_MAX };
	char want[32];
	struct sw_json j;
	size_t k;

	sw_json_init(&j);
	for (k = 0; k < sizeof(u) / sizeof(u[0]); k++) {
		sw_json_reset(&j);
		sw_json_uint(&j, u[k]);
		snprintf(want, sizeof(want), "%" PRIu64, u[k]);
		assert_string_equal(sw_json_cstr(&j), want);
	}
	for (k = 0; k < sizeof(i) / sizeof(i[0]); k++) {
		sw_json_reset(&j);
		sw_json_int(&j, i[k]);
		snprintf(want, sizeof(want), "%" PRId64, i[k]);
		assert_string_equal(sw_json_cstr(&j), want);
	}
	sw_json_free(&j);
}

/*
 * Strings copied whole (nothing to escape) and escaped ones, of every
 * length around the buffer's growth, read back the same: the copy makes
 * its room once, and the escaping path byte by byte.
 */
static void test_strings_across_growth(void **state)
{
	char s[300], key[16];
	json_error_t err;
	struct sw_json j;
	json_t *o;
	size_t n;

	memset(s, 'a', sizeof(s));
	sw_json_init(&j);
	sw_json_obj_begin(&j);
	for (n = 0; n < sizeof(s); n++) {
		snprintf(key, sizeof(key), "k%zu", n);
		s[n] = n % 7 ? 'a' + n % 26 : '"';	/* every 7th needs escaping */
		sw_json_key(&j, key);
		sw_json_strn(&j, s, n);
	}
	sw_json_obj_end(&j);
	assert_false(j.out.oom);
	assert_int_equal(strlen(sw_json_cstr(&j)), j.out.len);
	o = json_loads(sw_json_cstr(&j), 0, &err);
	assert_non_null(o);
	for (n = 0; n < sizeof(s); n++) {
		snprintf(key, sizeof(key), "k%zu", n);
		assert_int_equal(json_string_length(json_object_get(o, key)), n);
		assert_memory_equal(json_string_value(json_object_get(o, key)), s, n);
	}
	json_decref(o);
	sw_json_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_and_commas),
		cmocka_unit_test(test_strings_escaped_and_read_back),
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_strings_across_growth),
	};

	return cmocka_run_group_tests_name("json_writer", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* lib/json_writer.c: commas, nesting, escaping, numbers; read back by jansson. */
#include <stdarg.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_and_commas),
		cmocka_unit_test(test_strings_escaped_and_read_back),
		cmocka_unit_test(test_doubles),
	};

	return cmocka_run_group_tests_name("json_writer", tests, NULL, NULL);
}

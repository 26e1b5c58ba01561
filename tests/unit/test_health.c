// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Health thresholds at their boundaries; a real run rendered as JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <sys/resource.h>
#include <cmocka.h>
#include <jansson.h>
#include "health/health.h"
#include "lib/json_writer.h"

static void test_percent_boundaries(void **state)
{
	/* defaults: warning above 60, critical above 80 */
	assert_int_equal(sw_health_grade_percent(60.0, 60, 80), SW_HEALTH_OK);
	assert_int_equal(sw_health_grade_percent(60.01, 60, 80), SW_HEALTH_WARNING);
	assert_int_equal(sw_health_grade_percent(80.0, 60, 80), SW_HEALTH_WARNING);
	assert_int_equal(sw_health_grade_percent(80.01, 60, 80), SW_HEALTH_CRITICAL);
	assert_int_equal(sw_health_grade_percent(0, 60, 80), SW_HEALTH_OK);
	assert_int_equal(sw_health_grade_percent(100, 60, 80), SW_HEALTH_CRITICAL);
}

static void test_count_boundaries(void **state)
{
	/* more than 10 TIME_WAIT; more than 10000 connections */
	assert_int_equal(sw_health_grade_above(10, 10), SW_HEALTH_OK);
	assert_int_equal(sw_health_grade_above(11, 10), SW_HEALTH_WARNING);
	assert_int_equal(sw_health_grade_above(10000, 10000), SW_HEALTH_OK);
	assert_int_equal(sw_health_grade_above(10001, 10000), SW_HEALTH_WARNING);
	/* soft limit below 1024 */
	assert_int_equal(sw_health_grade_below(1024, 1024), SW_HEALTH_OK);
	assert_int_equal(sw_health_grade_below(1023, 1024), SW_HEALTH_WARNING);
}

static void test_defaults_are_the_originals(void **state)
{
	struct sw_health_limits l;

	sw_health_limits_default(&l);
	assert_true(l.ephemeral_warning_percent == 60);
	assert_true(l.ephemeral_critical_percent == 80);
	assert_int_equal(l.time_wait_warning, 10);
	assert_int_equal(l.connections_warning, 10000);
	assert_int_equal(l.nofile_warning, 1024);
}

static const json_t *find_check(const json_t *root, const char *name)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(root, "checks"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "name")), name))
			return c;
	return NULL;
}

/* The own soft limit decides: just at nofile_warning ok, one above warns. */
static void test_run_nofile_and_json(void **state)
{
	static struct sw_health_report r;
	struct sw_health_limits l;
	struct rlimit rl;
	struct sw_json j;
	json_error_t err;
	json_t *root;

	getrlimit(RLIMIT_NOFILE, &rl);
	sw_health_limits_default(&l);
	l.connections_warning = UINT64_MAX / 2;
	/* other processes on the machine near their own limits must not
	 * decide this check: no process can use more than 100 % */
	l.nofile_usage_percent = 101;
	l.nofile_warning = rl.rlim_cur;
	assert_int_equal(sw_health_run(&l, 0, &r), 0);
	assert_int_equal(r.check[SW_HC_FILES_PROCESS].status, SW_HEALTH_OK);
	assert_false(r.check[SW_HC_PORT_BIND].ran);
	assert_true(r.check[SW_HC_IPV4].ran);

	l.nofile_warning = rl.rlim_cur + 1;
	assert_int_equal(sw_health_run(&l, 0, &r), 0);
	assert_int_equal(r.check[SW_HC_FILES_PROCESS].status, SW_HEALTH_WARNING);
	assert_true(r.status >= SW_HEALTH_WARNING);
	assert_true(r.check[SW_HC_FILES_PROCESS].advice[0]);

	sw_json_init(&j);
	sw_health_to_json(&r, &j);
	root = json_loads(sw_json_cstr(&j), 0, &err);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "status")),
			    sw_health_overall_name(r.status));
	assert_string_equal(json_string_value(json_object_get(
		find_check(root, "process_file_limits"), "status")), "warning");
	assert_null(find_check(root, "port_bind"));
	json_decref(root);
	sw_json_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percent_boundaries),
		cmocka_unit_test(test_count_boundaries),
		cmocka_unit_test(test_defaults_are_the_originals),
		cmocka_unit_test(test_run_nofile_and_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The health report's outputs (health/health_report.c) on a hand-made
 * report: the JSON of /api/v1/health and `sockwatch health --json`, the
 * text of `sockwatch health`, and the health_changed records the agent
 * emits when a check's status changes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "detect/alerts.h"
#include "health/health.h"
#include "lib/json_writer.h"

static struct sw_health_report report(void)
{
	struct sw_health_report r;
	struct sw_health_check *c;

	memset(&r, 0, sizeof(r));
	r.status = SW_HEALTH_WARNING;
	r.n_warning = 1;
	r.wall_ns = 1764460800ULL * 1000000000ULL;	/* 2025-11-30T00:00:00Z */
	c = &r.check[SW_HC_IPV4];
	c->ran = true;
	snprintf(c->summary, sizeof(c->summary), "IPv4 sockets work");
	c = &r.check[SW_HC_CONNECTIONS];
	c->ran = true;
	c->status = SW_HEALTH_WARNING;
	snprintf(c->summary, sizeof(c->summary), "12000 TCP connections");
	snprintf(c->advice, sizeof(c->advice), "look at the top list");
	c->nfig = 2;
	c->fig[0] = (struct sw_health_fig){ .key = "connections", .type = SW_FIG_INT, .num = 12000 };
	c->fig[1] = (struct sw_health_fig){ .key = "ratio", .type = SW_FIG_DBL, .dbl = 1.2 };
	r.n_conns = 1;
	r.conns[0].pid = 77;
	snprintf(r.conns[0].comm, sizeof(r.conns[0].comm), "nginx");
	r.conns[0].count = 9000;
	r.conns[0].by_state[SW_TCP_ESTABLISHED] = 8000;
	r.conns[0].by_state[SW_TCP_TIME_WAIT] = 1000;
	return r;
}

static json_t *to_json(const struct sw_health_report *r)
{
	struct sw_json j;
	json_error_t err;
	json_t *o;

	sw_json_init(&j);
	sw_health_to_json(r, &j);
	o = json_loads(sw_json_cstr(&j), 0, &err);
	if (!o)
		fail_msg("not JSON: %s: %s", err.text, sw_json_cstr(&j));
	sw_json_free(&j);
	return o;
}

static void test_json_lists_the_checks_that_ran(void **state)
{
	struct sw_health_report r = report();
	json_t *o = to_json(&r), *checks, *c, *figs;

	assert_string_equal(json_string_value(json_object_get(o, "status")), "warning");
	assert_string_equal(json_string_value(json_object_get(o, "time")),
			    "2025-11-30T00:00:00.000000000Z");
	assert_true(json_is_null(json_object_get(o, "port")));
	assert_int_equal(json_integer_value(json_object_get(o, "warnings")), 1);
	checks = json_object_get(o, "checks");
	assert_int_equal(json_array_size(checks), 2);	/* only those that ran */
	c = json_array_get(checks, 0);
	assert_string_equal(json_string_value(json_object_get(c, "name")),
			    sw_health_check_name(SW_HC_IPV4));
	assert_true(json_is_null(json_object_get(c, "recommendation")));
	c = json_array_get(checks, 1);
	assert_string_equal(json_string_value(json_object_get(c, "status")), "warning");
	assert_string_equal(json_string_value(json_object_get(c, "recommendation")),
			    "look at the top list");
	figs = json_object_get(c, "figures");
	assert_int_equal(json_integer_value(json_object_get(figs, "connections")), 12000);
	assert_true(json_real_value(json_object_get(figs, "ratio")) == 1.2);
	json_decref(o);
}

static void test_text_has_summary_advice_and_top_list(void **state)
{
	struct sw_health_report r = report();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	sw_health_print(&r, f);
	fclose(f);
	assert_non_null(strstr(buf, "sockwatch health: warning (0 critical, 1 warning)\n"));
	assert_non_null(strstr(buf, "12000 TCP connections\n"));
	assert_non_null(strstr(buf, "-> look at the top list\n"));
	assert_non_null(strstr(buf, "pid 77      nginx            9000 connections (8000 established, 1000 TIME_WAIT)\n"));
	free(buf);
}

static void test_changes_are_alert_records(void **state)
{
	struct sw_health_report before = report(), now = report();
	struct sw_alert al[SW_HC_MAX];
	int n;

	/* nothing changed: nothing to say */
	assert_int_equal(sw_health_changes(&before, &now, 5, al), 0);
	/* first report: every check not ok is a change from ok */
	n = sw_health_changes(NULL, &now, 5, al);
	assert_int_equal(n, 1);
	assert_string_equal(al[0].alert, SW_ALERT_HEALTH_CHANGED);
	assert_string_equal(al[0].key_kind, "check");
	assert_string_equal(al[0].key, sw_health_check_name(SW_HC_CONNECTIONS));
	assert_int_equal(al[0].mono_ns, 5);
	/* one gets worse, one recovers */
	now.check[SW_HC_IPV4].status = SW_HEALTH_CRITICAL;
	now.check[SW_HC_CONNECTIONS].status = SW_HEALTH_OK;
	n = sw_health_changes(&before, &now, 6, al);
	assert_int_equal(n, 2);
	assert_string_equal(al[0].key, sw_health_check_name(SW_HC_IPV4));
	assert_string_equal(al[1].key, sw_health_check_name(SW_HC_CONNECTIONS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_lists_the_checks_that_ran),
		cmocka_unit_test(test_text_has_summary_advice_and_top_list),
		cmocka_unit_test(test_changes_are_alert_records),
	};

	return cmocka_run_group_tests_name("health_report", tests, NULL, NULL);
}

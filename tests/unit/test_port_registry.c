// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The port registry: state file parsing (and its refusals), the atomic
 * save, the pick (preferred, lowest, leased and bound ports skipped).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <errno.h>
#include <cmocka.h>
#include "health/port_registry.h"

static const char good[] =
	"{\"version\":1,\"leases\":["
	"{\"port\":18001,\"service\":\"api\",\"purpose\":\"main\",\"pid\":42,\"pid_start\":1699999990,\"since\":1700000000,\"user\":\"root\"},"
	"{\"port\":18000,\"service\":\"db\",\"pid\":43,\"since\":1700000001}]}";

static void test_parse_good(void **state)
{
	struct sw_lease_set s;
	char err[256];

	assert_int_equal(sw_registry_parse(good, strlen(good), &s, err, sizeof(err)), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.v[0].port, 18001);
	assert_string_equal(s.v[0].service, "api");
	assert_string_equal(s.v[0].purpose, "main");
	assert_int_equal(s.v[0].pid, 42);
	assert_int_equal(s.v[0].pid_start, 1699999990);
	assert_int_equal(s.v[1].pid_start, 0);	/* optional */
	assert_int_equal(s.v[1].since, 1700000001);
	assert_string_equal(s.v[1].purpose, "");
	assert_non_null(sw_lease_find(&s, 18000));
	assert_null(sw_lease_find(&s, 18002));
	sw_lease_set_free(&s);
}

static void expect_refused(const char *text, const char *why)
{
	struct sw_lease_set s;
	char err[256];

	assert_int_equal(sw_registry_parse(text, strlen(text), &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, why));
	assert_int_equal(s.n, 0);
	assert_null(strchr(err, '\n'));
}

static void test_parse_refused(void **state)
{
	expect_refused("", "not valid JSON");
	expect_refused("{\"version\":1,\"leases\":[", "not valid JSON");
	expect_refused("[]", "not a sockwatch port registry");
	expect_refused("{\"version\":2,\"leases\":[]}", "not a sockwatch port registry");
	expect_refused("{\"version\":1,\"leases\":[1]}", "leases[0] is not an object");
	expect_refused("{\"version\":1,\"leases\":[{\"port\":0,\"service\":\"a\",\"pid\":1,\"since\":0}]}",
		       "\"port\" must be an integer in 1-65535");
	expect_refused("{\"version\":1,\"leases\":[{\"port\":1,\"service\":\"a\",\"pid\":1,\"since\":0,\"pid_start\":\"x\"}]}",
		       "\"pid_start\" must be an integer");
	expect_refused("{\"version\":1,\"leases\":[{\"port\":1,\"pid\":1,\"since\":0}]}",
		       "\"service\" must be a string");
	expect_refused("{\"version\":1,\"leases\":[{\"port\":1,\"service\":\"a\",\"pid\":1,\"since\":0},"
		       "{\"port\":1,\"service\":\"b\",\"pid\":1,\"since\":0}]}",
		       "port 1 is leased twice");
}

static void test_format_roundtrip(void **state)
{
	struct sw_lease_set s, back;
	char err[256], *text;

	assert_int_equal(sw_registry_parse(good, strlen(good), &s, err, sizeof(err)), 0);
	text = sw_registry_format(&s);
	assert_non_null(text);
	/* saved sorted by port */
	assert_true(strstr(text, "18000") < strstr(text, "18001"));
	assert_int_equal(sw_registry_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_int_equal(back.n, 2);
	assert_string_equal(sw_lease_find(&back, 18001)->user, "root");
	assert_int_equal(sw_lease_find(&back, 18001)->pid_start, 1699999990);
	free(text);
	sw_lease_set_free(&s);
	sw_lease_set_free(&back);
}

static void test_save_load(void **state)
{
	char dir[] = "/tmp/sw-reg-unit.XXXXXX", path[128], err[256];
	struct sw_lease_set s = { 0 }, back;
	struct sw_lease l = { .port = 20000, .pid = 7, .since = 1 };
	int lock;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/ports.json", dir);
	/* missing: an empty registry, and the lock makes the directory */
	assert_int_equal(sw_registry_load(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.n, 0);
	lock = sw_registry_lock(path, err, sizeof(err));
	assert_true(lock >= 0);
	strcpy(l.service, "svc");
	assert_int_equal(sw_lease_set_add(&s, &l), 0);
	assert_int_equal(sw_registry_save(path, &s, err, sizeof(err)), 0);
	close(lock);
	assert_int_equal(sw_registry_load(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.n, 1);
	assert_string_equal(back.v[0].service, "svc");
	sw_lease_remove(&back, 0);
	assert_int_equal(back.n, 0);
	sw_lease_set_free(&back);
	sw_lease_set_free(&s);
	/* no temporary left behind */
	snprintf(path, sizeof(path), "rm -r %s", dir);
	assert_int_equal(system(path), 0);
}

static bool not_18003(__u16 port, void *ctx)
{
	return port != 18003;
}

static void test_pick(void **state)
{
	static struct sw_portset used;
	struct sw_portrange r = { 18000, 18005 };
	struct sw_lease_set s = { 0 };
	struct sw_lease l = { .port = 18001 };
	__u16 p;

	sw_portset_add_range(&used, &(struct sw_portrange){ 18000, 18000 });
	sw_portset_add_range(&used, &(struct sw_portrange){ 18002, 18002 });
	assert_int_equal(sw_lease_set_add(&s, &l), 0);
	/* lowest: 18000 bound, 18001 leased, 18002 bound, 18003 refuses a bind */
	assert_int_equal(sw_registry_pick(&r, 0, &used, &s, not_18003, NULL, &p), 0);
	assert_int_equal(p, 18004);
	/* a free preferred port wins; a taken one falls back to the lowest */
	assert_int_equal(sw_registry_pick(&r, 18005, &used, &s, not_18003, NULL, &p), 0);
	assert_int_equal(p, 18005);
	assert_int_equal(sw_registry_pick(&r, 18001, &used, &s, not_18003, NULL, &p), 0);
	assert_int_equal(p, 18004);
	/* outside the range: ignored */
	assert_int_equal(sw_registry_pick(&r, 9999, &used, &s, NULL, NULL, &p), 0);
	assert_int_equal(p, 18003);
	sw_portset_add_range(&used, &(struct sw_portrange){ 18003, 18005 });
	assert_int_equal(sw_registry_pick(&r, 0, &used, &s, NULL, NULL, &p), -ENOENT);
	sw_lease_set_free(&s);
}

static void test_expired(void **state)
{
	struct sw_lease_status st = { .pid_alive = false, .bound = false };

	assert_true(sw_lease_expired(&st));
	st.bound = true;	/* the port is still bound: kept */
	assert_false(sw_lease_expired(&st));
	st.bound = false;
	st.pid_alive = true;
	assert_false(sw_lease_expired(&st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_expired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

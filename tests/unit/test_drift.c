// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Runtime drift (detect/drift.c): which listens and connects of a
 * manifest service are alerted, once each, and what the record says. The
 * process under test is this one: its comm and /proc/self/exe are
 * "test_drift", the service name of the manifest below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "detect/drift.h"
#include "lib/json_writer.h"
#include "event_builders.h"

static const char *const report =
	"{\"tool\": \"sockscan\", \"findings\": ["
	"{\"file\": \"main.go\", \"line\": 1, \"service\": \"test_drift\","
	" \"direction\": \"ingress\", \"api\": \"net.Listen\", \"protocol\": \"tcp\","
	" \"host\": null, \"port\": 8080, \"binding\": \"all\", \"resolution\": \"literal\"},"
	"{\"file\": \"db.go\", \"line\": 2, \"service\": \"test_drift\","
	" \"direction\": \"egress\", \"api\": \"net.Dial\", \"protocol\": \"tcp\","
	" \"host\": \"10.0.0.5\", \"port\": 5432, \"binding\": null, \"resolution\": \"literal\"}"
	"]}";

#define T0 (1000ULL * 1000000000ULL)

static struct sw_drift *drift(void)
{
	char err[256] = "";
	struct sw_drift *d = sw_drift_new_string(report, "manifest.json", err,
						 sizeof(err));

	if (!d)
		fail_msg("manifest: %s", err);
	return d;
}

static struct sw_event listen_on(__u16 port)
{
	return owned(with_local(event(SW_EV_LISTEN, TCP, 7, T0), "0.0.0.0", port),
		     getpid(), "test_drift");
}

static struct sw_event connect_to(__u8 proto, const char *host, __u16 port)
{
	return owned(with_remote(event(SW_EV_CONNECT, proto, 8, T0), host, port),
		     getpid(), "test_drift");
}

/* The record as JSON, the way the sink writes it. */
static json_t *as_json(const struct sw_alert *a)
{
	struct sw_json j;
	json_error_t err;
	json_t *o;

	sw_json_init(&j);
	sw_alert_json(&j, a);
	o = json_loads(sw_json_cstr(&j), 0, &err);
	sw_json_free(&j);
	assert_non_null(o);
	return o;
}

static void test_listed_sockets_raise_nothing(void **state)
{
	struct sw_drift *d = drift();
	struct sw_event e;
	struct sw_alert a;

	e = listen_on(8080);
	assert_false(sw_drift_check(d, &e, &a));
	e = connect_to(TCP, "10.0.0.5", 5432);
	assert_false(sw_drift_check(d, &e, &a));
	sw_drift_free(d);
}

static void test_unlisted_listen_once(void **state)
{
	struct sw_drift *d = drift();
	struct sw_event e = listen_on(9999);
	struct sw_alert a;
	json_t *o;

	assert_true(sw_drift_check(d, &e, &a));
	assert_string_equal(a.alert, SW_ALERT_MANIFEST_DRIFT);
	assert_string_equal(a.key_kind, "service");
	assert_string_equal(a.key, "test_drift");
	assert_int_equal(a.pid, getpid());
	o = as_json(&a);
	assert_string_equal(json_string_value(json_object_get(o, "direction")), "ingress");
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 9999);
	assert_string_equal(json_string_value(json_object_get(o, "proto")), "tcp");
	assert_null(json_object_get(o, "host"));
	json_decref(o);
	/* the same process, direction and port: once */
	assert_false(sw_drift_check(d, &e, &a));
	/* another port is another drift */
	e = listen_on(9998);
	assert_true(sw_drift_check(d, &e, &a));
	sw_drift_free(d);
}

static void test_unlisted_connect_names_host(void **state)
{
	struct sw_drift *d = drift();
	struct sw_event e = connect_to(TCP, "10.0.0.9", 5432);
	struct sw_alert a;
	json_t *o;

	assert_true(sw_drift_check(d, &e, &a));
	o = as_json(&a);
	assert_string_equal(json_string_value(json_object_get(o, "direction")), "egress");
	assert_string_equal(json_string_value(json_object_get(o, "host")), "10.0.0.9");
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 5432);
	json_decref(o);
	sw_drift_free(d);
}

static void test_not_judged(void **state)
{
	struct sw_drift *d = drift();
	struct sw_event e;
	struct sw_alert a;

	/* UDP connects and other kinds of records */
	e = connect_to(UDP, "10.0.0.9", 53);
	assert_false(sw_drift_check(d, &e, &a));
	e = listen_on(9999);
	e.kind = SW_EV_BIND;
	assert_false(sw_drift_check(d, &e, &a));
	/* no owner known */
	e = listen_on(9999);
	e.flags &= ~SW_F_OWNER_KNOWN;
	assert_false(sw_drift_check(d, &e, &a));
	/* a process of no manifest service (a pid that does not exist) */
	e = listen_on(9999);
	e.pid = 0x7ffffff0;
	snprintf(e.comm, sizeof(e.comm), "nginx");
	assert_false(sw_drift_check(d, &e, &a));
	sw_drift_free(d);
}

static void test_bad_manifest_one_line(void **state)
{
	char err[256] = "";

	assert_null(sw_drift_new_string("{\"findings\": 3}", "bad.json", err,
					 sizeof(err)));
	assert_non_null(strstr(err, "bad.json"));
	assert_null(strchr(err, '\n'));
	assert_null(sw_drift_new("/nonexistent/sockwatch.json", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/sockwatch.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listed_sockets_raise_nothing),
		cmocka_unit_test(test_unlisted_listen_once),
		cmocka_unit_test(test_unlisted_connect_names_host),
		cmocka_unit_test(test_not_judged),
		cmocka_unit_test(test_bad_manifest_one_line),
	};

	return cmocka_run_group_tests_name("drift", tests, NULL, NULL);
}

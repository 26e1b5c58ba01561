// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The Alertmanager half that needs no Alertmanager: labels and post items,
 * URLs, and the episode book (firing, refreshed, resolved) against a port
 * where nothing listens, so that every post fails and is counted. Delivery
 * itself is tests/e2e/test_agent_alertmanager.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <jansson.h>
#include "agent/alertmanager.h"
#include "lib/json_writer.h"
#include "table/decode.h"

static void close_wait_alert(struct sw_alert *al, const char *key)
{
	sw_alert_init(al, SW_ALERT_CLOSE_WAIT, "socket", sw_mono_now());
	sw_alert_set_key(al, key);
	sw_alert_set_owner(al, 42, "leaky");
	sw_alert_str(al, "unit", "shop.service");
	sw_alert_str(al, "container_id", "0123abcd");
	sw_alert_str(al, "pod_uid", "8f3c2a1e-5b6d-4c7e-9f80-1a2b3c4d5e6f");
}

static void test_labels(void **state)
{
	struct sw_alert al;
	struct sw_json j;
	json_error_t e;
	json_t *o;

	close_wait_alert(&al, "127.0.0.1:80->127.0.0.1:5000");
	sw_json_init(&j);
	sw_am_labels_json(&j, &al, "node-1");
	o = json_loads(sw_json_cstr(&j), 0, &e);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "alertname")), "close_wait");
	assert_string_equal(json_string_value(json_object_get(o, "severity")), "warning");
	assert_string_equal(json_string_value(json_object_get(o, "node")), "node-1");
	assert_string_equal(json_string_value(json_object_get(o, "key")), "127.0.0.1:80->127.0.0.1:5000");
	assert_string_equal(json_string_value(json_object_get(o, "unit")), "shop.service");
	assert_string_equal(json_string_value(json_object_get(o, "container")), "0123abcd");
	assert_string_equal(json_string_value(json_object_get(o, "pod_uid")), "8f3c2a1e-5b6d-4c7e-9f80-1a2b3c4d5e6f");
	/* labels that are not known are left out, not empty */
	assert_null(json_object_get(o, "container_runtime"));
	json_decref(o);
	sw_json_free(&j);
}

static void test_item(void **state)
{
	char *s = sw_am_item("{\"alertname\":\"x\"}", "{\"summary\":\"y\"}",
			     1700000000ULL * 1000000000ULL, 1700000120ULL * 1000000000ULL);
	json_error_t e;
	json_t *o;

	assert_non_null(s);
	o = json_loads(s, 0, &e);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "labels"), "alertname")), "x");
	assert_non_null(strstr(json_string_value(json_object_get(o, "startsAt")), "2023-11-14T22:13:20"));
	assert_non_null(strstr(json_string_value(json_object_get(o, "endsAt")), "2023-11-14T22:15:20"));
	json_decref(o);
	free(s);
}

static void test_bad_urls(void **state)
{
	char err[256];

	assert_null(sw_am_start("ftp://x:9093", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "invalid Alertmanager URL"));
	assert_null(sw_am_start("http://a b:9093", NULL, err, sizeof(err)));
	assert_null(sw_am_start("http://x:9093\n", NULL, err, sizeof(err)));
	assert_null(sw_am_start("", NULL, err, sizeof(err)));
}

/* A loopback port nothing listens on: bound, never listened to. */
static int dead_port(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);

	*fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(*fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&a, &n), 0);
	return ntohs(a.sin_port);
}

static void wait_failures(struct sw_am *m, __u64 n)
{
	struct sw_am_stats st;
	int i;

	for (i = 0; i < 100; i++) {
		sw_am_get_stats(m, &st);
		if (st.failures >= n)
			return;
		usleep(50000);
	}
	fail_msg("no failed post counted");
}

static void test_episodes(void **state)
{
	struct sw_am_stats st;
	struct sw_alert al;
	char url[64], err[256];
	struct sw_am *m;
	int fd;

	sw_clock_init();
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", dead_port(&fd));
	m = sw_am_start(url, "n", err, sizeof(err));
	assert_non_null(m);
	close_wait_alert(&al, "a");
	sw_am_fire(m, &al);
	close_wait_alert(&al, "b");
	sw_am_fire(m, &al);
	sw_alert_init(&al, "connection_flood", "remote_addr", sw_mono_now());
	sw_alert_set_key(&al, "10.0.0.9");
	sw_am_fire(m, &al);
	sw_am_get_stats(m, &st);
	assert_int_equal(st.firing, 2);		/* the flood is a one-off */
	/* a sweep that still sees "a" resolves "b" only */
	sw_am_sweep_begin(m);
	sw_am_sweep_seen(m, SW_ALERT_CLOSE_WAIT, "a");
	sw_am_sweep_end(m);
	sw_am_get_stats(m, &st);
	assert_int_equal(st.firing, 1);
	/* the same alert fired again is one episode, not two */
	close_wait_alert(&al, "a");
	sw_am_fire(m, &al);
	sw_am_get_stats(m, &st);
	assert_int_equal(st.firing, 1);
	/* EWMA: started, then confirmed (replacing it), then back down */
	sw_alert_init(&al, SW_ALERT_EWMA_STARTED, "process", sw_mono_now());
	sw_alert_set_key(&al, "77");
	sw_am_fire(m, &al);
	al.alert = SW_ALERT_EWMA_CONFIRMED;
	sw_am_fire(m, &al);
	sw_am_get_stats(m, &st);
	assert_int_equal(st.firing, 2);
	al.alert = SW_ALERT_EWMA_BACK_DOWN;
	sw_am_fire(m, &al);
	sw_am_get_stats(m, &st);
	assert_int_equal(st.firing, 1);
	/* nothing listens: posts fail, are counted and stay queued */
	wait_failures(m, 1);
	sw_am_get_stats(m, &st);
	assert_int_equal(st.sent, 0);
	assert_true(st.queued > 0);
	sw_am_stop(m);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_item),
		cmocka_unit_test(test_bad_urls),
		cmocka_unit_test(test_episodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

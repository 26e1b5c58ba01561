// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Alert records, their JSON, the file sink, episodes; on-breach actions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <jansson.h>
#include <cmocka.h>
#include "detect/actions.h"
#include "detect/alerts.h"

#define WALL 1795000000123456789ULL	/* 2026-11-18T11:06:40.123456789Z */

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	assert_non_null(j);
	return j;
}

static void test_socket_alert_json(void **state)
{
	struct sw_prot_decision d = { .reason = SW_PROT_INFRASTRUCTURE, .pattern = 2 };
	struct sw_alert a;
	struct sw_json j;
	json_t *o, *p;

	sw_alert_init(&a, SW_ALERT_CLOSE_WAIT, "socket", 5);
	a.wall_ns = WALL;
	sw_alert_set_key(&a, "127.0.0.1:9000->127.0.0.1:50000");
	sw_alert_set_owner(&a, 4242, "python3");
	sw_alert_seconds(&a, "age", 61500000000ULL);
	sw_alert_seconds(&a, "threshold", 60000000000ULL);
	sw_alert_uint(&a, "cookie", 77);
	sw_alert_str(&a, "state", "CLOSE_WAIT");
	sw_alert_bool(&a, "inbound", true);
	sw_alert_int(&a, "delta", -3);
	sw_alert_set_decision(&a, &d, "server");
	sw_json_init(&j);
	sw_alert_json(&j, &a);
	o = parse(sw_json_cstr(&j));
	assert_string_equal(json_string_value(json_object_get(o, "time")),
			    "2026-11-18T11:06:40.123456789Z");
	assert_string_equal(json_string_value(json_object_get(o, "alert")), "close_wait");
	assert_string_equal(json_string_value(json_object_get(o, "key_kind")), "socket");
	assert_int_equal(json_integer_value(json_object_get(o, "pid")), 4242);
	assert_string_equal(json_string_value(json_object_get(o, "comm")), "python3");
	assert_float_equal(json_real_value(json_object_get(o, "age")), 61.5, 1e-9);
	assert_int_equal(json_integer_value(json_object_get(o, "cookie")), 77);
	assert_true(json_is_true(json_object_get(o, "inbound")));
	assert_int_equal(json_integer_value(json_object_get(o, "delta")), -3);
	p = json_object_get(o, "protection");
	assert_true(json_is_true(json_object_get(p, "protected")));
	assert_string_equal(json_string_value(json_object_get(p, "reason")), "infrastructure");
	assert_string_equal(json_string_value(json_object_get(p, "pattern")), "server");
	json_decref(o);
	sw_json_free(&j);
}

static void test_breakdown_and_bounds(void **state)
{
	__u32 counts[SW_PROT_NREASONS] = { 1, 2, 3, 4, 5, 6 };
	struct sw_alert a;
	struct sw_json j;
	char big[600];
	json_t *o, *p;
	int i;

	sw_alert_init(&a, SW_ALERT_EWMA_CONFIRMED, "local_ip", 0);
	a.wall_ns = WALL;
	sw_alert_set_key(&a, "10.0.0.1");
	sw_alert_double(&a, "rd", 0.0 / 0.0);	/* NaN: null */
	sw_alert_set_breakdown(&a, counts);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sw_alert_str(&a, "too_big", big);	/* dropped, not truncated */
	for (i = 0; i < 40; i++)
		sw_alert_uint(&a, "n", i);	/* beyond the bound: dropped */
	assert_int_equal(a.nfields, SW_ALERT_MAX_FIELDS);
	sw_json_init(&j);
	sw_alert_json(&j, &a);
	o = parse(sw_json_cstr(&j));
	assert_true(json_is_null(json_object_get(o, "rd")));
	assert_true(json_is_null(json_object_get(o, "pid")));
	assert_null(json_object_get(o, "too_big"));
	p = json_object_get(o, "protection");
	assert_int_equal(json_integer_value(json_object_get(p, "listening")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "young")), 5);
	assert_int_equal(json_integer_value(json_object_get(p, "unprotected")), 6);
	json_decref(o);
	sw_json_free(&j);
}

static void test_sink_file(void **state)
{
	char path[] = "/tmp/sw-alerts-XXXXXX", err[128], line[1024];
	struct sw_alert_sink s;
	struct sw_alert a;
	const char *text;
	FILE *f;
	int n = 0;

	close(mkstemp(path));
	assert_int_equal(sw_alert_sink_open(&s, path, err, sizeof(err)), 0);
	sw_alert_init(&a, SW_ALERT_IDLE, "socket", 0);
	a.wall_ns = WALL;
	text = sw_alert_emit(&s, &a);
	assert_non_null(text);
	assert_null(strchr(text, '\n'));
	sw_alert_emit(&s, &a);
	assert_int_equal(s.written, 2);
	assert_int_equal(sw_alert_sink_reopen(&s, err, sizeof(err)), 0);
	sw_alert_emit(&s, &a);
	sw_alert_sink_close(&s);
	f = fopen(path, "r");
	while (fgets(line, sizeof(line), f)) {
		json_decref(parse(line));
		n++;
	}
	fclose(f);
	assert_int_equal(n, 3);
	unlink(path);
	assert_int_equal(sw_alert_sink_open(&s, "/nonexistent/dir/a", err,
					    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/dir/a"));
}

static void test_episodes(void **state)
{
	struct sw_episodes e;

	assert_int_equal(sw_episodes_init(&e, 2), 0);
	sw_episodes_begin(&e);
	assert_int_equal(sw_episodes_hit(&e, 0, 100), 1);	/* new: alert */
	assert_int_equal(sw_episodes_hit(&e, 1, 100), 1);	/* other rule */
	assert_int_equal(sw_episodes_hit(&e, 0, 101), -1);	/* full */
	assert_int_equal(e.suppressed, 1);
	assert_int_equal(sw_episodes_end(&e), 0);

	sw_episodes_begin(&e);					/* next scan */
	assert_int_equal(sw_episodes_hit(&e, 0, 100), 0);	/* ongoing */
	assert_int_equal(sw_episodes_end(&e), 1);		/* (1,100) ended */

	sw_episodes_begin(&e);
	assert_int_equal(sw_episodes_hit(&e, 0, 100), 0);
	assert_int_equal(sw_episodes_hit(&e, 1, 100), 1);	/* back: alert again */
	sw_episodes_end(&e);
	sw_episodes_begin(&e);
	assert_int_equal(sw_episodes_end(&e), 2);
	assert_int_equal(sw_map_count(&e.set), 0);
	sw_episodes_free(&e);
}

/* Many episodes through many scans: the set stays consistent. */
static void test_episodes_churn(void **state)
{
	struct sw_episodes e;
	int scan, id, news;

	assert_int_equal(sw_episodes_init(&e, 1000), 0);
	for (scan = 0; scan < 50; scan++) {
		sw_episodes_begin(&e);
		news = 0;
		for (id = scan * 10; id < scan * 10 + 500; id++)
			news += sw_episodes_hit(&e, 0, id) == 1;
		assert_int_equal(news, scan ? 10 : 500);
		sw_episodes_end(&e);
		assert_int_equal(sw_map_count(&e.set), 500);
	}
	sw_episodes_free(&e);
}

static void test_action_parse(void **state)
{
	struct sw_action a;
	char err[128], buf[64];

	assert_int_equal(sw_action_parse("", &a, err, sizeof(err)), 0);
	assert_int_equal(a.kind, SW_ACTION_NONE);
	assert_int_equal(sw_action_parse("signal:SIGUSR1", &a, err, sizeof(err)), 0);
	assert_int_equal(a.signo, SIGUSR1);
	assert_int_equal(sw_action_parse("signal:kill", &a, err, sizeof(err)), 0);
	assert_int_equal(a.signo, SIGKILL);
	assert_int_equal(sw_action_parse("signal:15", &a, err, sizeof(err)), 0);
	sw_action_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "signal:TERM");
	assert_int_equal(sw_action_parse("signal:0", &a, err, sizeof(err)), -1);
	assert_int_equal(sw_action_parse("exec:/bin/true", &a, err, sizeof(err)), 0);
	sw_action_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "exec:/bin/true");
	assert_int_equal(sw_action_parse("exec:", &a, err, sizeof(err)), -1);
}

/* exec: the alert arrives on stdin; the agent does not wait; reap collects. */
static void test_action_exec(void **state)
{
	char dir[] = "/tmp/sw-act-XXXXXX", script[256], out[256], err[128];
	char buf[512] = "";
	struct sw_actions as;
	struct sw_action a;
	FILE *f;
	int i;

	assert_non_null(mkdtemp(dir));
	snprintf(script, sizeof(script), "%s/on-breach.sh", dir);
	snprintf(out, sizeof(out), "%s/got", dir);
	f = fopen(script, "w");
	fprintf(f, "#!/bin/sh\n{ cat; echo \"$SOCKWATCH_ALERT $SOCKWATCH_PID\"; } "
		   "> %s.tmp && mv %s.tmp %s\n", out, out, out);
	fclose(f);
	chmod(script, 0755);
	snprintf(buf, sizeof(buf), "exec:%s", script);
	assert_int_equal(sw_action_parse(buf, &a, err, sizeof(err)), 0);
	sw_actions_init(&as);
	assert_int_equal(sw_action_run(&as, &a, "{\"alert\":\"x\"}", "x", "k",
				       4242, 0, err, sizeof(err)), 0);
	assert_int_equal(as.running, 1);
	for (i = 0; i < 200 && as.running; i++) {
		usleep(10000);
		sw_actions_reap(&as, 0);
	}
	assert_int_equal(as.running, 0);
	f = fopen(out, "r");
	assert_non_null(f);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f) > 0, 1);
	fclose(f);
	assert_string_equal(buf, "{\"alert\":\"x\"}\nx 4242\n");
	unlink(out);
	unlink(script);
	rmdir(dir);

	/* a missing program fails at once, without a child left behind */
	assert_int_equal(sw_action_parse("exec:/nonexistent/prog", &a, err,
					  sizeof(err)), 0);
	assert_int_equal(sw_action_run(&as, &a, "{}", "x", "k", 1, 0, err,
				       sizeof(err)), -1);
	assert_int_equal(as.failed, 1);
	assert_int_equal(as.running, 0);
}

static void test_action_signal(void **state)
{
	struct sw_actions as;
	struct sw_action a;
	char err[128];
	int status;
	pid_t child;

	sw_actions_init(&as);
	assert_int_equal(sw_action_parse("signal:TERM", &a, err, sizeof(err)), 0);
	child = fork();
	if (!child) {
		pause();
		_exit(0);
	}
	assert_int_equal(sw_action_run(&as, &a, "{}", "x", "k", child, 0, err,
				       sizeof(err)), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	/* never pid 1 or ourselves */
	assert_int_equal(sw_action_run(&as, &a, "{}", "x", "k", 1, 0, err,
				       sizeof(err)), -1);
	assert_int_equal(sw_action_run(&as, &a, "{}", "x", "k", getpid(), 0,
				       err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_alert_json),
		cmocka_unit_test(test_breakdown_and_bounds),
		cmocka_unit_test(test_sink_file),
		cmocka_unit_test(test_episodes),
		cmocka_unit_test(test_episodes_churn),
		cmocka_unit_test(test_action_parse),
		cmocka_unit_test(test_action_exec),
		cmocka_unit_test(test_action_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

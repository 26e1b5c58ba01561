// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the socket manifest (user/detect/manifest.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "detect/manifest.h"

/* A report as sockscan writes it, cut to the fields that matter. */
static const char *const report =
	"{\"tool\": \"sockscan\", \"findings\": ["
	"{\"file\": \"cmd/api/main.go\", \"line\": 20, \"service\": \"api\","
	" \"direction\": \"ingress\", \"api\": \"net.Listen\", \"protocol\": \"tcp\","
	" \"host\": null, \"port\": 8080, \"binding\": \"all\", \"resolution\": \"literal\"},"
	"{\"file\": \"cmd/api/main.go\", \"line\": 21, \"service\": \"api\","
	" \"direction\": \"ingress\", \"api\": \"net.Listen\", \"protocol\": \"tcp\","
	" \"host\": \"127.0.0.1\", \"port\": 9100, \"binding\": \"specific\", \"resolution\": \"constant\"},"
	"{\"file\": \"internal/db.go\", \"line\": 7, \"service\": \"api\","
	" \"direction\": \"egress\", \"api\": \"sql.Open\", \"protocol\": \"tcp\","
	" \"host\": \"db.internal\", \"port\": 5432, \"binding\": null, \"resolution\": \"protocol-default\"},"
	"{\"file\": \"cmd/worker/main.go\", \"line\": 9, \"service\": \"worker\","
	" \"direction\": \"egress\", \"api\": \"net.Dial\", \"protocol\": \"tcp\","
	" \"host\": null, \"port\": null, \"binding\": null, \"resolution\": \"dynamic\"},"
	"{\"file\": \"cmd/inv/main.go\", \"line\": 3, \"service\": \"inventory-service-api\","
	" \"direction\": \"ingress\", \"api\": \"http.ListenAndServe\", \"protocol\": \"tcp\","
	" \"host\": null, \"port\": 8000, \"binding\": \"all\", \"resolution\": \"env-default\"}"
	"]}";

static int setup(void **state)
{
	struct manifest *m = calloc(1, sizeof(*m));
	char err[256];

	assert_non_null(m);
	assert_int_equal(manifest_load_string(report, "test", m, err, sizeof(err)), 0);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	manifest_free(*state);
	free(*state);
	return 0;
}

static void test_loads_every_finding(void **state)
{
	struct manifest *m = *state;

	assert_int_equal(m->n, 5);
	assert_string_equal(m->entries[0].service, "api");
	assert_int_equal(m->entries[0].port, 8080);
	assert_null(m->entries[0].host);
	assert_true(m->entries[0].all_interfaces);
	assert_int_equal(m->entries[2].dir, MANIFEST_EGRESS);
	assert_true(m->entries[3].dynamic);
	assert_int_equal(m->entries[3].port, -1);
	assert_string_equal(m->entries[1].file, "cmd/api/main.go");
	assert_int_equal(m->entries[1].line, 21);
}

static void test_resolved_entries_match_exactly(void **state)
{
	const struct manifest_entry *e;
	struct manifest *m = *state;

	assert_int_equal(manifest_match(m, "api", MANIFEST_INGRESS, 8080, NULL, &e), MANIFEST_LISTED);
	assert_int_equal(e->line, 20);
	assert_int_equal(manifest_match(m, "api", MANIFEST_INGRESS, 8081, NULL, &e), MANIFEST_UNLISTED);
	assert_null(e);
	/* same port, other direction: not listed */
	assert_int_equal(manifest_match(m, "api", MANIFEST_EGRESS, 8080, NULL, NULL), MANIFEST_UNLISTED);
	assert_int_equal(manifest_match(m, "api", MANIFEST_EGRESS, 5432, NULL, NULL), MANIFEST_LISTED);
}

static void test_hosts(void **state)
{
	struct manifest *m = *state;

	assert_int_equal(manifest_match(m, "api", MANIFEST_EGRESS, 5432, "DB.internal", NULL), MANIFEST_LISTED);
	assert_int_equal(manifest_match(m, "api", MANIFEST_EGRESS, 5432, "other.internal", NULL), MANIFEST_UNLISTED);
	/* a listener on a specific address */
	assert_int_equal(manifest_match(m, "api", MANIFEST_INGRESS, 9100, "127.0.0.1", NULL), MANIFEST_LISTED);
	assert_int_equal(manifest_match(m, "api", MANIFEST_INGRESS, 9100, "10.0.0.1", NULL), MANIFEST_UNLISTED);
	/* a listener on every interface takes any local address */
	assert_int_equal(manifest_match(m, "api", MANIFEST_INGRESS, 8080, "10.0.0.1", NULL), MANIFEST_LISTED);
}

static void test_dynamic_entries_match_by_direction(void **state)
{
	const struct manifest_entry *e;
	struct manifest *m = *state;

	assert_int_equal(manifest_match(m, "worker", MANIFEST_EGRESS, 1, NULL, &e), MANIFEST_LISTED);
	assert_true(e->dynamic);
	assert_int_equal(manifest_match(m, "worker", MANIFEST_EGRESS, 65535, "x", NULL), MANIFEST_LISTED);
	assert_int_equal(manifest_match(m, "worker", MANIFEST_INGRESS, 1, NULL, NULL), MANIFEST_UNLISTED);
}

static void test_unknown_service(void **state)
{
	struct manifest *m = *state;

	assert_int_equal(manifest_match(m, "sshd", MANIFEST_INGRESS, 22, NULL, NULL),
			 MANIFEST_UNKNOWN_SERVICE);
	assert_false(manifest_has_service(m, "sshd"));
	assert_true(manifest_has_service(m, "worker"));
}

static void test_process_mapping(void **state)
{
	struct manifest *m = *state;

	assert_string_equal(manifest_service_of(m, "api", NULL), "api");
	/* comm is cut to 15 bytes by the kernel */
	assert_string_equal(manifest_service_of(m, "inventory-servi", NULL), "inventory-service-api");
	assert_int_equal(manifest_match(m, "inventory-servi", MANIFEST_INGRESS, 8000, NULL, NULL),
			 MANIFEST_LISTED);
	/* a shorter prefix is another name */
	assert_null(manifest_service_of(m, "inventory", NULL));
	/* comm says python3, the executable or script says which service */
	assert_string_equal(manifest_service_of(m, "python3", "worker"), "worker");
	assert_null(manifest_service_of(m, NULL, NULL));
}

static void test_array_of_reports(void **state)
{
	const char *json = "[{\"findings\": [{\"service\": \"a\", \"direction\": \"ingress\","
			   " \"port\": 1, \"resolution\": \"literal\"}]},"
			   " {\"findings\": [{\"service\": \"b\", \"direction\": \"egress\","
			   " \"port\": 2, \"resolution\": \"literal\"}]}]";
	struct manifest m;
	char err[256];

	(void)state;
	assert_int_equal(manifest_load_string(json, "two", &m, err, sizeof(err)), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(manifest_match(&m, "b", MANIFEST_EGRESS, 2, NULL, NULL), MANIFEST_LISTED);
	manifest_free(&m);
	assert_int_equal(manifest_load_string("{\"findings\": []}", "empty", &m, err, sizeof(err)), 0);
	assert_int_equal(m.n, 0);
	manifest_free(&m);
}

/* Loading @json fails, with one line naming "bad.json" and containing @want. */
static void expect_error(const char *json, const char *want)
{
	struct manifest m;
	char err[256] = "";

	assert_int_equal(manifest_load_string(json, "bad.json", &m, err, sizeof(err)), -1);
	assert_int_equal(m.n, 0);
	assert_null(m.entries);
	assert_non_null(strstr(err, "bad.json"));
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	assert_null(strchr(err, '\n'));
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("{\"findings\": [", "line 1");
	expect_error("not json", "line 1");
	expect_error("42", "top level");
	expect_error("{\"tool\": \"sockscan\"}", "findings");
	expect_error("{\"findings\": {}}", "findings");
	expect_error("[1]", "report 0");
	expect_error("{\"findings\": [3]}", "findings[0]");
	expect_error("{\"findings\": [{\"direction\": \"egress\", \"resolution\": \"literal\"}]}",
		     "'service'");
	expect_error("{\"findings\": [{\"service\": \"a\", \"direction\": \"out\", \"resolution\": \"literal\"}]}",
		     "'direction'");
	expect_error("{\"findings\": [{\"service\": \"a\", \"direction\": \"egress\", \"port\": \"80\","
		     " \"resolution\": \"literal\"}]}", "'port'");
	expect_error("{\"findings\": [{\"service\": \"a\", \"direction\": \"egress\", \"port\": 70000,"
		     " \"resolution\": \"literal\"}]}", "'port'");
	expect_error("{\"findings\": [{\"service\": \"a\", \"direction\": \"egress\", \"host\": 1,"
		     " \"resolution\": \"literal\"}]}", "'host'");
	expect_error("{\"findings\": [{\"service\": \"a\", \"direction\": \"egress\", \"port\": 1}]}",
		     "'resolution'");
	/* an error after good entries frees them */
	expect_error("{\"findings\": [{\"service\": \"a\", \"direction\": \"egress\", \"port\": 1,"
		     " \"resolution\": \"literal\"}, {\"service\": \"\"}]}", "findings[1]");
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/test_manifest.XXXXXX", err[256];
	struct manifest m;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, report, strlen(report)), (ssize_t)strlen(report));
	close(fd);
	assert_int_equal(manifest_load(path, &m, err, sizeof(err)), 0);
	assert_int_equal(m.n, 5);
	manifest_free(&m);
	unlink(path);
	assert_int_equal(manifest_load(path, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loads_every_finding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolved_entries_match_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dynamic_entries_match_by_direction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_service, setup, teardown),
		cmocka_unit_test_setup_teardown(test_process_mapping, setup, teardown),
		cmocka_unit_test(test_array_of_reports),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}

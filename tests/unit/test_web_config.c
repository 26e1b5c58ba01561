// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The exporter-toolkit web config: YAML shapes, strictness, bcrypt rules
 * and basic auth checks. TLS material itself is exercised end to end
 * (tests/e2e/test_agent_tls.sh: openssl makes the certificates).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <crypt.h>
#include <cmocka.h>
#include "http/web_config.h"

static char err[512];

static int load(const char *text, struct sw_web_config *c)
{
	err[0] = '\0';
	return sw_web_config_load_string("web.yml", "/nonexistent", text,
					 strlen(text), c, err, sizeof(err));
}

static void expect_error(const char *text, const char *want)
{
	struct sw_web_config c;

	assert_int_equal(load(text, &c), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' does not contain '%s'", err, want);
	assert_null(strchr(err, '\n'));
}

static const char *hash_of(const char *pass, int cost)
{
	static char h[128];
	char salt[64];

	assert_non_null(crypt_gensalt_rn("$2b$", cost, NULL, 0, salt, sizeof(salt)));
	snprintf(h, sizeof(h), "%s", crypt(pass, salt));
	return h;
}

static void test_empty_is_plain_http(void **state)
{
	struct sw_web_config c;

	assert_int_equal(load("", &c), 0);
	assert_false(c.tls);
	assert_int_equal(c.nusers, 0);
	assert_int_equal(load("# nothing\n", &c), 0);
	assert_false(c.tls);
}

static void test_strict_fields(void **state)
{
	expect_error("tls_server_confg:\n  cert_file: a\n", "web.yml:1: unknown field 'tls_server_confg'");
	expect_error("http_server_config:\n  http2: false\n", "not supported");
	expect_error("tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: [x]\n",
		     "web.yml:2: cert_file 'a': ");	/* files first, in order */
	expect_error("tls_server_config:\n  cipher_suites: [x]\n", "web.yml:2: tls_server_config: cipher_suites is not supported");
	expect_error("tls_server_config:\n  bogus: 1\n", "unknown field 'bogus'");
	expect_error("tls_server_config:\n  \"a\\x01b\": 1\n", "unknown field 'a\\x01b'");
	expect_error("tls_server_config: [1, 2]\n", "must be a mapping");
	expect_error("tls_server_config:\n  min_version: TLS12\n", "needs both cert_file and key_file");
	expect_error("tls_server_config:\n  min_version: SSL3\n", "invalid min_version 'SSL3'");
	expect_error("tls_server_config:\n  client_auth_type: Maybe\n", "invalid client_auth_type 'Maybe'");
	expect_error("tls_server_config:\n  cert_file: [a]\n", "cert_file must be a file name");
	expect_error("- a\n- b\n", "must be a mapping");
	expect_error("a: [\n", "web.yml:");
	expect_error("tls_server_config:\n  cert_file: missing.crt\n", "cert_file 'missing.crt': No such file");
}

static void test_users(void **state)
{
	struct sw_web_config c;
	char text[256];
	const char *h = hash_of("s3cret", 10);

	snprintf(text, sizeof(text), "basic_auth_users:\n  prometheus: '%s'\n  alice: \"%s\"\n", h, h);
	assert_int_equal(load(text, &c), 0);
	assert_int_equal(c.nusers, 2);
	assert_string_equal(c.users[0].name, "prometheus");
	/* prometheus:s3cret, prometheus:wrong, alice:s3cret, bob:s3cret */
	assert_true(sw_web_check_basic(&c, "Basic cHJvbWV0aGV1czpzM2NyZXQ="));
	assert_true(sw_web_check_basic(&c, "Basic cHJvbWV0aGV1czpzM2NyZXQ="));	/* cached */
	assert_false(sw_web_check_basic(&c, "Basic cHJvbWV0aGV1czp3cm9uZw=="));
	assert_true(sw_web_check_basic(&c, "basic YWxpY2U6czNjcmV0"));
	assert_false(sw_web_check_basic(&c, "Basic Ym9iOnMzY3JldA=="));
	/* not basic, not base64, no colon, a NUL inside */
	assert_false(sw_web_check_basic(&c, NULL));
	assert_false(sw_web_check_basic(&c, "Bearer cHJvbWV0aGV1czpzM2NyZXQ="));
	assert_false(sw_web_check_basic(&c, "Basic !!!!"));
	assert_false(sw_web_check_basic(&c, "Basic cHJvbWV0aGV1cw=="));
	assert_false(sw_web_check_basic(&c, "Basic cHJvbWV0aGV1czpzM2NyZXQAeA=="));
	sw_web_config_free(&c);
}

static void test_bcrypt_rules(void **state)
{
	char text[256];

	snprintf(text, sizeof(text), "basic_auth_users:\n  weak: '%s'\n", hash_of("x", 4));
	expect_error(text, "web.yml:2: basic_auth_users: 'weak': bcrypt cost 4 is too weak (at least 10)");
	/* the fuzzer's finding: a cost of 20 held each check for a minute */
	expect_error("basic_auth_users:\n  slow: '$2b$20$zLkHit.h6d2NVhf2mOA9Wep5nEdrOeV6tDQna7jkIzlS*AMhkbH26'\n",
		     "web.yml:2: basic_auth_users: 'slow': bcrypt cost 20 is too slow to check on each request (at most 14)");
	expect_error("basic_auth_users:\n  u: plaintext\n", "'u': not a bcrypt hash");
	expect_error("basic_auth_users:\n  u: '$1$abc$def'\n", "not a bcrypt hash");
	expect_error("basic_auth_users:\n  u: [a]\n", "the hash must be a string");
	expect_error("basic_auth_users:\n  'a:b': x\n", "without ':'");
	expect_error("basic_auth_users: [a]\n", "must be a mapping");
}

static void test_names(void **state)
{
	assert_string_equal(sw_client_auth_name(SW_CLIENT_NONE), "NoClientCert");
	assert_string_equal(sw_client_auth_name(SW_CLIENT_REQUIRE_VERIFY), "RequireAndVerifyClientCert");
	assert_string_equal(sw_client_auth_name(99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_plain_http),
		cmocka_unit_test(test_strict_fields),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_bcrypt_rules),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

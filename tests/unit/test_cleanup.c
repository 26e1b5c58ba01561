// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Clean-up decisions: only flagged, unprotected, old enough sockets that
 * are neither listeners nor the agent's own, within the rate limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "detect/cleanup.h"
#include "detect/leak_rules.h"
#include "agent/config.h"

#define S(x)	((__u64)(x) * 1000000000ULL)

static const struct sw_cleanup_cfg cfg = {
	.mode = SW_CLEANUP_ENFORCE, .min_age_ns = S(60), .max_per_minute = 3,
};
static const struct sw_prot_decision unprot = { .reason = SW_PROT_UNPROTECTED, .pattern = -1 };

static struct sw_sock leaked(void)
{
	struct sw_sock s = {
		.cookie = 1, .birth_ns = S(100), .pid = 500, .proto = IPPROTO_TCP,
		.state = SW_TCP_CLOSE_WAIT, .family = AF_INET, .lport = 18080,
	};
	return s;
}

static void test_destroy_when_all_hold(void **state)
{
	static struct sw_cleanup_rate rate;
	struct sw_sock s = leaked();

	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(200)),
			 SW_CLEAN_DESTROY);
	s.state = SW_TCP_ESTABLISHED;
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_IDLE, &s, &unprot, 1, S(200)),
			 SW_CLEAN_DESTROY);
}

static void test_refusals(void **state)
{
	static struct sw_cleanup_rate rate;
	struct sw_prot_decision d = unprot;
	struct sw_sock s = leaked();
	int r;

	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_FD_HEADROOM, &s, &unprot, 1, S(200)),
			 SW_CLEAN_NOT_FLAGGED);
	s.state = SW_TCP_LISTEN;
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(200)),
			 SW_CLEAN_LISTENER);
	s = leaked();
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 500, S(200)),
			 SW_CLEAN_OWN);
	/* every protection layer refuses, close_wait's ignored ones included */
	for (r = SW_PROT_LISTENING; r < SW_PROT_UNPROTECTED; r++) {
		d.reason = (__u8)r;
		assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &d, 1, S(200)),
				 SW_CLEAN_PROTECTED);
	}
	/* min_age: strictly older */
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(160)),
			 SW_CLEAN_TOO_YOUNG);
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(160) + 1),
			 SW_CLEAN_DESTROY);
	/* a birth in the future (clock races): too young, never destroyed */
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(50)),
			 SW_CLEAN_TOO_YOUNG);
	/* scope: only the listed processes */
	{
		struct sw_cleanup_cfg sc = cfg;
		char err[128];

		strcpy(s.comm, "leaky");
		assert_int_equal(sw_cleanup_set_processes(&sc, "other, leaky", err, sizeof(err)), 0);
		assert_int_equal(sc.nprocesses, 2);
		assert_int_equal(sw_cleanup_decide(&sc, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(200)),
				 SW_CLEAN_DESTROY);
		strcpy(s.comm, "leakyx");
		assert_int_equal(sw_cleanup_decide(&sc, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(200)),
				 SW_CLEAN_OUT_OF_SCOPE);
		assert_int_equal(sw_cleanup_set_processes(&sc, "a,,b", err, sizeof(err)), -1);
		assert_string_equal(err, "empty process name");
		assert_int_equal(sw_cleanup_set_processes(&sc, "0123456789abcdefg", err, sizeof(err)), -1);
		assert_int_equal(sc.nprocesses, 2);	/* unchanged on error */
		assert_int_equal(sw_cleanup_set_processes(&sc, "", err, sizeof(err)), 0);
		assert_int_equal(sw_cleanup_decide(&sc, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(200)),
				 SW_CLEAN_DESTROY);
	}
	s.proto = IPPROTO_UDP;
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(200)),
			 SW_CLEAN_NOT_FLAGGED);
}

static void test_rate_limit(void **state)
{
	static struct sw_cleanup_rate rate;
	struct sw_sock s = leaked();
	int i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(200 + i)),
				 SW_CLEAN_DESTROY);
		sw_cleanup_taken(&rate, S(200 + i));
	}
	assert_int_equal(sw_cleanup_recent(&rate, S(203)), 3);
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(203)),
			 SW_CLEAN_RATE_LIMITED);
	/* the first leaves the window 60 s later */
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(259)),
			 SW_CLEAN_RATE_LIMITED);
	assert_int_equal(sw_cleanup_recent(&rate, S(260)), 2);
	assert_int_equal(sw_cleanup_decide(&cfg, &rate, SW_LEAK_CLOSE_WAIT, &s, &unprot, 1, S(260)),
			 SW_CLEAN_DESTROY);
	assert_int_equal(sw_cleanup_recent(&rate, S(400)), 0);
}

static void test_rate_ring_wraps(void **state)
{
	static struct sw_cleanup_rate rate;
	__u32 i;

	for (i = 0; i < SW_CLEANUP_MAX_PER_MINUTE + 10; i++)
		sw_cleanup_taken(&rate, S(1000) + i);
	assert_int_equal(sw_cleanup_recent(&rate, S(1000) + i), SW_CLEANUP_MAX_PER_MINUTE);
}

static void test_acted_set(void **state)
{
	static struct sw_cleanup_acted a;

	sw_cleanup_begin(&a);
	assert_false(sw_cleanup_seen(&a, 7));
	sw_cleanup_mark(&a, 7);
	sw_cleanup_mark(&a, 8);
	sw_cleanup_end(&a);
	/* still flagged next pass: seen, kept */
	sw_cleanup_begin(&a);
	assert_true(sw_cleanup_seen(&a, 7));
	sw_cleanup_end(&a);
	/* 8 was not flagged: forgotten */
	sw_cleanup_begin(&a);
	assert_true(sw_cleanup_seen(&a, 7));
	assert_false(sw_cleanup_seen(&a, 8));
	sw_cleanup_end(&a);
}

static void test_modes(void **state)
{
	char err[128];
	__u8 m;

	assert_int_equal(sw_cleanup_parse_mode("dry-run", &m, err, sizeof(err)), 0);
	assert_int_equal(m, SW_CLEANUP_DRY_RUN);
	assert_int_equal(sw_cleanup_parse_mode("enforce", &m, err, sizeof(err)), 0);
	assert_int_equal(m, SW_CLEANUP_ENFORCE);
	assert_int_equal(sw_cleanup_parse_mode("on", &m, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown mode 'on' (want off, dry-run or enforce)");
	assert_string_equal(sw_cleanup_mode_name(SW_CLEANUP_OFF), "off");
	assert_string_equal(sw_cleanup_verdict_name(SW_CLEAN_RATE_LIMITED), "rate_limited");
}

static void test_config_keys(void **state)
{
	static struct sw_config c;
	char err[256];

	sw_config_defaults(&c);
	assert_int_equal(c.cleanup.mode, SW_CLEANUP_OFF);
	assert_int_equal(c.cleanup.max_per_minute, 10);
	assert_string_equal(c.ports.state_file, "/run/sockwatch/ports.json");
	assert_int_equal(c.health.tls_warn_days, 30);
	assert_int_equal(sw_config_load_string("t.ini",
		"[cleanup]\nmode = enforce\nmin_age_seconds = 2.5\nmax_per_minute = 7\nprocesses = a, b\n"
		"[ports]\nstate_file = /tmp/x.json\n"
		"[health]\ntls_certificates = /a.pem,/b.pem\ntls_warn_days = 7\ntls_ca_file = /ca.pem\n",
		&c, err, sizeof(err)), 0);
	assert_int_equal(c.cleanup.mode, SW_CLEANUP_ENFORCE);
	assert_int_equal(c.cleanup.min_age_ns, 2500000000ULL);
	assert_int_equal(c.cleanup.max_per_minute, 7);
	assert_int_equal(c.cleanup.nprocesses, 2);
	assert_string_equal(c.cleanup.processes[1], "b");
	assert_string_equal(c.ports.state_file, "/tmp/x.json");
	assert_string_equal(c.health.tls_certificates, "/a.pem,/b.pem");
	assert_int_equal(c.health.tls_warn_days, 7);
	assert_int_equal(sw_config_load_string("t.ini", "[cleanup]\nmode = yes\n", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "t.ini:2: [cleanup] mode: unknown mode 'yes'"));
	assert_int_equal(sw_config_load_string("t.ini", "[cleanup]\nmax_per_minute = 1001\n", &c, err, sizeof(err)), -1);
	assert_int_equal(sw_config_load_string("t.ini", "[cleanup]\nprocesses = a,,b\n", &c, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_destroy_when_all_hold),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_rate_ring_wraps),
		cmocka_unit_test(test_acted_set),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_config_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

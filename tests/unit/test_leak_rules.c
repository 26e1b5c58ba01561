// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Leak rules at their boundaries: just under and just over. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <cmocka.h>
#include "detect/leak_rules.h"

#define SEC 1000000000ULL
#define NOW (100000 * SEC)

static const struct sw_prot_decision unprotected = {
	.reason = SW_PROT_UNPROTECTED, .pattern = -1 };

static struct sw_sock sock(__u8 state)
{
	struct sw_sock s = {
		.cookie = 7, .family = AF_INET, .proto = IPPROTO_TCP,
		.state = state, .lport = 40000, .rport = 45000, .pid = 9,
		.birth_ns = NOW - 10000 * SEC, .state_ns = NOW - 10000 * SEC,
	};
	return s;
}

static void test_close_wait_boundary(void **state)
{
	struct sw_leak_cfg c;
	struct sw_sock s = sock(SW_TCP_CLOSE_WAIT);
	__u64 age;

	sw_leak_defaults(&c);
	assert_int_equal(c.close_wait_ns, 60 * SEC);
	s.state_ns = NOW - 60 * SEC;		/* exactly: not longer than */
	assert_false(sw_leak_close_wait(&c, &s, &unprotected, NOW, &age));
	assert_int_equal(age, 60 * SEC);
	s.state_ns = NOW - 60 * SEC - 1;	/* just over */
	assert_true(sw_leak_close_wait(&c, &s, &unprotected, NOW, &age));
	assert_int_equal(age, 60 * SEC + 1);
	/* another state, or released by its owner: not this rule */
	s.state = SW_TCP_ESTABLISHED;
	assert_false(sw_leak_close_wait(&c, &s, &unprotected, NOW, NULL));
	s.state = SW_TCP_CLOSE_WAIT;
	s.flags = SW_F_RELEASED;
	assert_false(sw_leak_close_wait(&c, &s, &unprotected, NOW, NULL));
}

/* close_wait honours listening and critical_port only (see leak_rules.h). */
static void test_close_wait_protection(void **state)
{
	struct sw_leak_cfg c;
	struct sw_sock s = sock(SW_TCP_CLOSE_WAIT);
	struct sw_prot_decision d = unprotected;
	int r;

	sw_leak_defaults(&c);
	for (r = 0; r < SW_PROT_NREASONS; r++) {
		d.reason = r;
		assert_int_equal(sw_leak_close_wait(&c, &s, &d, NOW, NULL),
				 r != SW_PROT_LISTENING && r != SW_PROT_CRITICAL_PORT);
	}
}

static void test_idle_boundary(void **state)
{
	struct sw_leak_cfg c;
	struct sw_sock s = sock(SW_TCP_ESTABLISHED);
	__u64 quiet;

	sw_leak_defaults(&c);
	assert_int_equal(c.idle_ns, 300 * SEC);
	s.traffic_ns = NOW - 300 * SEC;		/* quiet exactly 300 s */
	assert_false(sw_leak_idle(&c, &s, &unprotected, NOW, &quiet));
	assert_int_equal(quiet, 300 * SEC);
	s.traffic_ns = NOW - 300 * SEC - 1;
	assert_true(sw_leak_idle(&c, &s, &unprotected, NOW, &quiet));
	/* never any traffic: quiet since birth, and age decides too */
	s.traffic_ns = 0;
	s.birth_ns = NOW - 300 * SEC;
	assert_false(sw_leak_idle(&c, &s, &unprotected, NOW, NULL));
	s.birth_ns = NOW - 300 * SEC - 1;
	assert_true(sw_leak_idle(&c, &s, &unprotected, NOW, NULL));
	/* old, but it moved bytes recently */
	s.traffic_ns = NOW - SEC;
	assert_false(sw_leak_idle(&c, &s, &unprotected, NOW, NULL));
}

static void test_idle_protected(void **state)
{
	struct sw_leak_cfg c;
	struct sw_sock s = sock(SW_TCP_ESTABLISHED);
	struct sw_prot_decision d = unprotected;
	int r;

	sw_leak_defaults(&c);
	for (r = 0; r < SW_PROT_NREASONS; r++) {
		d.reason = r;
		assert_int_equal(sw_leak_idle(&c, &s, &d, NOW, NULL),
				 r == SW_PROT_UNPROTECTED);
	}
	s.proto = IPPROTO_UDP;
	assert_false(sw_leak_idle(&c, &s, &unprotected, NOW, NULL));
}

/*
 * sw_leak_due, the scan's cheap first question, is exactly "some socket
 * rule fires for an unprotected socket": over states, release, and times
 * on both sides of each threshold.
 */
static void test_due_matches_rules(void **state)
{
	static const __u8 states[] = { SW_TCP_ESTABLISHED, SW_TCP_CLOSE_WAIT,
				       SW_TCP_LISTEN, SW_TCP_TIME_WAIT };
	static const __u64 ago[] = { 0, SEC, 60 * SEC, 60 * SEC + 1,
				     300 * SEC, 300 * SEC + 1, 10000 * SEC };
	struct sw_leak_cfg c;
	struct sw_sock s;
	size_t st, b, x, tr, rel;
	bool fires;
	int n = 0;

	sw_leak_defaults(&c);
	for (st = 0; st < sizeof(states); st++)
	for (rel = 0; rel < 2; rel++)
	for (b = 0; b < 7; b++)
	for (x = 0; x < 7; x++)
	for (tr = 0; tr < 8; tr++) {
		s = sock(states[st]);
		s.flags = rel ? SW_F_RELEASED : 0;
		s.birth_ns = NOW - ago[b];
		s.state_ns = NOW - ago[x];
		s.traffic_ns = tr == 7 ? 0 : NOW - ago[tr];
		fires = sw_leak_close_wait(&c, &s, &unprotected, NOW, NULL) ||
			sw_leak_idle(&c, &s, &unprotected, NOW, NULL);
		assert_int_equal(sw_leak_due(&c, &s, NOW), fires);
		n += fires;
	}
	assert_true(n > 0);
	s = sock(SW_TCP_CLOSE_WAIT);
	s.proto = IPPROTO_UDP;
	assert_false(sw_leak_due(&c, &s, NOW));
}

static void test_fd_headroom_boundary(void **state)
{
	struct sw_leak_cfg c;
	double pct;

	sw_leak_defaults(&c);
	assert_true(c.fd_headroom_percent == 80.0);
	assert_false(sw_leak_fd_headroom(&c, 800, 1000, &pct));	/* 80 % */
	assert_true(pct == 80.0);
	assert_true(sw_leak_fd_headroom(&c, 801, 1000, &pct));
	assert_false(sw_leak_fd_headroom(&c, 819, 1024, NULL));	/* 79.98 % */
	assert_true(sw_leak_fd_headroom(&c, 820, 1024, NULL));	/* 80.08 % */
	assert_false(sw_leak_fd_headroom(&c, 1u << 30, RLIM_INFINITY, &pct));
	assert_false(sw_leak_fd_headroom(&c, 5, 0, NULL));
}

static void test_names(void **state)
{
	assert_string_equal(sw_leak_rule_name(SW_LEAK_CLOSE_WAIT), "close_wait");
	assert_string_equal(sw_leak_rule_name(SW_LEAK_IDLE), "idle");
	assert_string_equal(sw_leak_rule_name(SW_LEAK_FD_HEADROOM), "fd_headroom");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_close_wait_boundary),
		cmocka_unit_test(test_close_wait_protection),
		cmocka_unit_test(test_idle_boundary),
		cmocka_unit_test(test_idle_protected),
		cmocka_unit_test(test_due_matches_rules),
		cmocka_unit_test(test_fd_headroom_boundary),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

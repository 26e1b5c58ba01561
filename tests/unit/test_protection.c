// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Protection decisions: each layer, their order, exact port matching. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "detect/protection.h"

#define SEC 1000000000ULL
#define NOW (10000 * SEC)

/* An old, quiet, unconnected-to-anything-critical TCP connection. */
static struct sw_sock plain(void)
{
	struct sw_sock s = {
		.cookie = 1, .family = AF_INET, .proto = IPPROTO_TCP,
		.state = SW_TCP_ESTABLISHED, .lport = 40000, .rport = 45000,
		.birth_ns = NOW - 1000 * SEC, .pid = 42, .comm = "worker",
	};
	return s;
}

static enum sw_prot_reason why(const struct sw_protect_cfg *c,
			       const struct sw_sock *s, const char *cmd)
{
	struct sw_prot_decision d;

	sw_protect_decide_cmd(c, s, cmd, NOW, &d);
	return d.reason;
}

static void test_defaults(void **state)
{
	static const __u16 documented[] = {
		22, 23, 25, 53, 67, 68, 69, 80, 110, 111, 123, 135, 139, 143,
		161, 162, 389, 443, 445, 993, 995, 1433, 1521, 2049, 3306, 3389,
		5432, 5900, 6379, 11211, 27017, 3000, 3001, 4000, 5000, 8000,
		8001, 8002, 8003, 8004, 8005, 8080, 8888, 9000, 9090, 1, 1023,
	};
	static const char *const pats[] = {
		"fastapi", "uvicorn", "server", "listen", "accept", "gunicorn",
		"django", "flask", "tornado", "service", "daemon",
	};
	struct sw_protect_cfg c;
	size_t i;

	sw_protect_defaults(&c);
	for (i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
		assert_true(sw_protect_port_is_critical(&c, documented[i]));
	assert_false(sw_protect_port_is_critical(&c, 0));
	assert_false(sw_protect_port_is_critical(&c, 1024));
	assert_false(sw_protect_port_is_critical(&c, 8006));
	assert_false(sw_protect_port_is_critical(&c, 40000));
	assert_int_equal(c.npatterns, 11);
	for (i = 0; i < 11; i++)
		assert_string_equal(c.patterns[i], pats[i]);
	assert_int_equal(c.active_bytes, 1024);
	assert_int_equal(c.min_age_ns, 300 * SEC);
}

static void test_unprotected(void **state)
{
	struct sw_protect_cfg c;
	struct sw_sock s = plain();
	struct sw_prot_decision d;

	sw_protect_defaults(&c);
	sw_protect_decide_cmd(&c, &s, "/usr/bin/worker --jobs 4", NOW, &d);
	assert_int_equal(d.reason, SW_PROT_UNPROTECTED);
	assert_false(sw_prot_is_protected(&d));
	assert_string_equal(sw_prot_reason_name(d.reason), "unprotected");
}

static void test_each_layer(void **state)
{
	struct sw_protect_cfg c;
	struct sw_prot_decision d;
	struct sw_sock s;

	sw_protect_defaults(&c);

	s = plain();
	s.state = SW_TCP_LISTEN;
	assert_int_equal(why(&c, &s, NULL), SW_PROT_LISTENING);
	s = plain();
	s.proto = IPPROTO_UDP;
	s.state = SW_TCP_NONE;
	s.rport = 0;				/* a bound UDP receiver */
	assert_int_equal(why(&c, &s, NULL), SW_PROT_LISTENING);

	s = plain();
	s.rport = 443;				/* remote critical */
	sw_protect_decide_cmd(&c, &s, NULL, NOW, &d);
	assert_int_equal(d.reason, SW_PROT_CRITICAL_PORT);
	assert_int_equal(d.port, 443);
	s = plain();
	s.lport = 8080;				/* local critical */
	assert_int_equal(why(&c, &s, NULL), SW_PROT_CRITICAL_PORT);

	s = plain();
	sw_protect_decide_cmd(&c, &s, "python3 -m Uvicorn app:main", NOW, &d);
	assert_int_equal(d.reason, SW_PROT_INFRASTRUCTURE);
	assert_string_equal(c.patterns[d.pattern], "uvicorn");
	memcpy(s.comm, "nginx-daemon", 13);	/* comm alone is enough */
	assert_int_equal(why(&c, &s, NULL), SW_PROT_INFRASTRUCTURE);

	s = plain();
	s.rx_bytes = 1000;
	s.tx_bytes = 25;			/* 1025 > 1024 */
	assert_int_equal(why(&c, &s, NULL), SW_PROT_ACTIVE_TRAFFIC);
	s.tx_bytes = 24;			/* 1024: not more than */
	assert_int_equal(why(&c, &s, NULL), SW_PROT_UNPROTECTED);

	s = plain();
	s.birth_ns = NOW - 300 * SEC + 1;	/* just under 300 s */
	assert_int_equal(why(&c, &s, NULL), SW_PROT_YOUNG);
	s.birth_ns = NOW - 300 * SEC;		/* exactly 300 s: not younger */
	assert_int_equal(why(&c, &s, NULL), SW_PROT_UNPROTECTED);
}

/* Every layer matches; each removal reveals the next, in order. */
static void test_order(void **state)
{
	struct sw_protect_cfg c;
	struct sw_sock s = plain();

	sw_protect_defaults(&c);
	s.state = SW_TCP_LISTEN;
	s.lport = 22;
	s.rx_bytes = 5000;
	s.birth_ns = NOW - SEC;
	assert_int_equal(why(&c, &s, "sshd: server"), SW_PROT_LISTENING);
	s.state = SW_TCP_ESTABLISHED;
	assert_int_equal(why(&c, &s, "sshd: server"), SW_PROT_CRITICAL_PORT);
	s.lport = 40000;
	assert_int_equal(why(&c, &s, "sshd: server"), SW_PROT_INFRASTRUCTURE);
	assert_int_equal(why(&c, &s, "sshd"), SW_PROT_ACTIVE_TRAFFIC);
	s.rx_bytes = 0;
	assert_int_equal(why(&c, &s, "sshd"), SW_PROT_YOUNG);
	s.birth_ns = NOW - 3600 * SEC;
	assert_int_equal(why(&c, &s, "sshd"), SW_PROT_UNPROTECTED);
}

/* The layer-3 hook is asked only when layers 1-2 did not decide. */
static int calls;
static int infra_hook(void *ctx, const struct sw_sock *s)
{
	calls++;
	return -1;
}

static void test_infra_lazily(void **state)
{
	struct sw_protect_cfg c;
	struct sw_prot_decision d;
	struct sw_sock s = plain();

	sw_protect_defaults(&c);
	calls = 0;
	s.state = SW_TCP_LISTEN;
	sw_protect_decide(&c, &s, NOW, infra_hook, NULL, &d);
	s = plain();
	s.rport = 22;
	sw_protect_decide(&c, &s, NOW, infra_hook, NULL, &d);
	assert_int_equal(calls, 0);
	s = plain();
	sw_protect_decide(&c, &s, NOW, infra_hook, NULL, &d);
	assert_int_equal(calls, 1);
}

/* ":80" must not protect 8001's neighbours: numbers, not substrings. */
static void test_ports_exact(void **state)
{
	struct sw_protect_cfg c;
	char err[128];
	struct sw_sock s = plain();

	sw_protect_defaults(&c);
	assert_int_equal(sw_protect_set_ports(&c, " 80 , 9000-9002,1", err,
					      sizeof(err)), 0);
	assert_true(sw_protect_port_is_critical(&c, 80));
	assert_true(sw_protect_port_is_critical(&c, 9001));
	assert_false(sw_protect_port_is_critical(&c, 8080));
	assert_false(sw_protect_port_is_critical(&c, 800));
	assert_false(sw_protect_port_is_critical(&c, 22));	/* replaced */
	s.lport = 8001;
	assert_int_equal(why(&c, &s, NULL), SW_PROT_UNPROTECTED);

	assert_int_equal(sw_protect_set_ports(&c, "", err, sizeof(err)), 0);
	assert_false(sw_protect_port_is_critical(&c, 80));
	assert_int_equal(sw_protect_set_ports(&c, "80,abc", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "abc"));
	assert_int_equal(sw_protect_set_ports(&c, "0", err, sizeof(err)), -1);
	assert_int_equal(sw_protect_set_ports(&c, "65536", err, sizeof(err)), -1);
	assert_int_equal(sw_protect_set_ports(&c, "90-80", err, sizeof(err)), -1);
	assert_int_equal(sw_protect_set_ports(&c, "1-", err, sizeof(err)), -1);
	assert_int_equal(sw_protect_set_ports(&c, "+5", err, sizeof(err)), -1);
}

static void test_patterns(void **state)
{
	struct sw_protect_cfg c;
	char err[128], many[2048] = "";
	int i;

	sw_protect_defaults(&c);
	assert_int_equal(sw_protect_set_patterns(&c, "redis, my app ", err,
						 sizeof(err)), 0);
	assert_int_equal(c.npatterns, 2);
	assert_string_equal(c.patterns[1], "my app");
	assert_int_equal(sw_protect_match_infra(&c, "REDIS-cli", NULL), 0);
	assert_int_equal(sw_protect_match_infra(&c, "x", "/opt/my app/bin"), 1);
	assert_int_equal(sw_protect_match_infra(&c, "x", "myapp"), -1);
	assert_int_equal(sw_protect_set_patterns(&c, "a,,b", err, sizeof(err)), -1);
	for (i = 0; i <= SW_PROT_MAX_PATTERNS; i++)
		strcat(many, "p,");
	assert_int_equal(sw_protect_set_patterns(&c, many, err, sizeof(err)), -1);
	assert_int_equal(c.npatterns, 2);	/* unchanged on error */
	assert_int_equal(sw_protect_set_patterns(&c, "", err, sizeof(err)), 0);
	assert_int_equal(c.npatterns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_unprotected),
		cmocka_unit_test(test_each_layer),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_infra_lazily),
		cmocka_unit_test(test_ports_exact),
		cmocka_unit_test(test_patterns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

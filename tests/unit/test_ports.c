// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * health/ports.c: which sockets hold a port, exposure, the merged and
 * sorted inventory, and finding a free port (against real sockets).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "health/ports.h"

static struct sw_diag_sock dsock(__u8 proto, __u8 state, const char *addr,
				 __u16 lport, __u16 rport)
{
	struct sw_diag_sock s = {
		.family = AF_INET, .proto = proto, .state = state,
		.lport = lport, .rport = rport, .netns = 1,
	};

	assert_int_equal(inet_pton(AF_INET, addr, s.laddr), 1);
	return s;
}

static void test_held_and_exposed(void **state)
{
	struct sw_diag_sock l = dsock(IPPROTO_TCP, SW_TCP_LISTEN, "0.0.0.0", 80, 0);
	struct sw_diag_sock lo = dsock(IPPROTO_TCP, SW_TCP_LISTEN, "127.0.0.1", 81, 0);
	struct sw_diag_sock est = dsock(IPPROTO_TCP, SW_TCP_ESTABLISHED, "0.0.0.0", 40000, 443);
	struct sw_diag_sock tw = dsock(IPPROTO_TCP, SW_TCP_TIME_WAIT, "10.0.0.1", 40001, 443);
	struct sw_diag_sock udp = dsock(IPPROTO_UDP, SW_TCP_CLOSE, "0.0.0.0", 53, 0);
	struct sw_diag_sock udpc = dsock(IPPROTO_UDP, SW_TCP_ESTABLISHED, "0.0.0.0", 5353, 53);

	assert_true(sw_port_is_held(&l, false));
	assert_true(sw_port_is_held(&udp, false));
	assert_false(sw_port_is_held(&est, false));	/* connections: --all only */
	assert_true(sw_port_is_held(&est, true));
	assert_false(sw_port_is_held(&tw, true));	/* never TIME_WAIT */
	assert_true(sw_port_is_exposed(&l));
	assert_false(sw_port_is_exposed(&lo));		/* loopback only */
	assert_true(sw_port_is_exposed(&udp));
	assert_false(sw_port_is_exposed(&udpc));	/* connected UDP */
	assert_false(sw_port_is_exposed(&est));
}

static void test_list_sorted_and_merged(void **state)
{
	struct sw_port_list l = { 0 };
	struct sw_diag_sock a = dsock(IPPROTO_TCP, SW_TCP_LISTEN, "0.0.0.0", 8080, 0);
	struct sw_diag_sock b = dsock(IPPROTO_TCP, SW_TCP_LISTEN, "127.0.0.1", 22, 0);
	struct sw_diag_sock u = dsock(IPPROTO_UDP, SW_TCP_CLOSE, "0.0.0.0", 8080, 0);

	/* two SO_REUSEPORT workers of one (unknown) process are one entry */
	assert_int_equal(sw_port_list_add(&l, &a, NULL), 0);
	assert_int_equal(sw_port_list_add(&l, &u, NULL), 0);
	assert_int_equal(sw_port_list_add(&l, &a, NULL), 0);
	assert_int_equal(sw_port_list_add(&l, &b, NULL), 0);
	sw_port_list_finish(&l);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].port, 22);
	assert_false(l.v[0].all_interfaces);
	assert_int_equal(l.v[1].port, 8080);
	assert_int_equal(l.v[2].port, 8080);
	assert_true(l.v[1].proto != l.v[2].proto);
	assert_int_equal(l.v[1].proto == IPPROTO_TCP ? l.v[1].nsock : l.v[2].nsock, 2);
	assert_true(l.v[1].all_interfaces);
	sw_port_list_free(&l);
	assert_int_equal(l.n, 0);
}

static void test_find_free_skips_held_port(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct sw_portrange r;
	__u16 port, got;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	/* a range of one held port: none free */
	r.lo = r.hi = port;
	assert_int_equal(sw_port_find_free(&r, &got), -ENOENT);
	assert_int_not_equal(sw_port_bind_test(port, false), 0);
	close(fd);
	/* released: it is the lowest free one again */
	assert_int_equal(sw_port_find_free(&r, &got), 0);
	assert_int_equal(got, port);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_held_and_exposed),
		cmocka_unit_test(test_list_sorted_and_merged),
		cmocka_unit_test(test_find_free_skips_held_port),
	};

	return cmocka_run_group_tests_name("ports", tests, NULL, NULL);
}

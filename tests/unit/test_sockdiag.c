// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockdiag and the owner map against the real kernel: a listener and a
 * connection this test opens must be found with the right facts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "sockets.h"
#include "table/sockdiag.h"
#include "table/procfs.h"

/* What the callback looks for, and what it found. */
struct find {
	__u16 lport;
	__u8 state;
	int hits;
	struct sw_diag_sock got;
};

static int find_cb(const struct sw_diag_sock *s, void *ctx)
{
	struct find *f = ctx;

	if (s->proto != IPPROTO_TCP || s->lport != f->lport || s->state != f->state)
		return 0;
	f->hits++;
	f->got = *s;
	return 0;
}

static void test_listener_found(void **state)
{
	struct sw_diag_req req = { .states = SW_DIAG_STATE(SW_TCP_LISTEN),
				   .protos = SW_DIAG_TCP };
	struct find f = { .state = SW_TCP_LISTEN };
	struct sw_owner_map map;
	const struct sw_owner *o;
	socklen_t clen = sizeof(__u64);
	__u64 cookie = 0;
	struct stat st;
	int fd;

	fd = listen_lo(&f.lport);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &clen), 0);

	assert_int_equal(sw_diag_dump(-1, &req, find_cb, &f), 0);
	assert_int_equal(f.hits, 1);
	assert_int_equal(f.got.inode, (__u32)st.st_ino);
	assert_int_equal(f.got.cookie, cookie);
	assert_int_equal(f.got.family, AF_INET);
	assert_int_equal(f.got.netns, sw_netns_self());
	assert_int_equal(f.got.laddr[0], 127);
	assert_int_equal(f.got.uid, getuid());

	assert_int_equal(sw_owner_map_build(&map), 0);
	o = sw_owner_lookup(&map, f.got.inode);
	assert_non_null(o);
	assert_int_equal(o->pid, getpid());
	assert_int_equal(o->fd, fd);
	assert_string_equal(o->comm, "test_sockdiag");
	assert_null(sw_owner_lookup(&map, 0));
	sw_owner_map_free(&map);
	close(fd);
}

static void test_connection_bytes_and_all_netns(void **state)
{
	struct sw_diag_req req = { .states = SW_DIAG_STATE(SW_TCP_ESTABLISHED),
				   .protos = SW_DIAG_TCP, .want_info = true };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct find f = { .state = SW_TCP_ESTABLISHED };
	__u16 lport;
	socklen_t len = sizeof(sa);
	char buf[100] = { 0 };
	int l, c, a;

	l = listen_lo(&lport);
	c = connect_lo(lport);
	a = accept(l, NULL, NULL);
	assert_true(a >= 0);
	assert_int_equal(send(c, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	assert_int_equal(recv(a, buf, sizeof(buf), MSG_WAITALL), (ssize_t)sizeof(buf));

	/* the accepted side: local port = the listener's */
	f.lport = lport;
	assert_int_equal(sw_diag_dump_all(&req, find_cb, &f), 0);
	assert_int_equal(f.hits, 1);
	assert_true(f.got.has_info);
	assert_int_equal(f.got.bytes_received, sizeof(buf));
	assert_int_equal(f.got.rport, 0 + ({ getsockname(c, (struct sockaddr *)&sa, &len);
					     ntohs(sa.sin_port); }));
	close(a);
	close(c);
	close(l);
}

/* A listener on ::1, or -1 when this host has no IPv6 loopback. */
static int listen_lo6(__u16 *port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET6, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sa.sin6_port);
	return fd;
}

/* Listeners by port, and the family each was reported with. */
struct both {
	__u16 port4, port6;
	int hits4, hits6;
	__u8 family4, family6;
	__u8 addr6_last;
};

static int both_cb(const struct sw_diag_sock *s, void *ctx)
{
	struct both *b = ctx;

	if (s->proto != IPPROTO_TCP)
		return 0;
	if (s->lport == b->port4) {
		b->hits4++;
		b->family4 = s->family;
	} else if (s->lport == b->port6) {
		b->hits6++;
		b->family6 = s->family;
		b->addr6_last = s->laddr[15];
	}
	return 0;
}

/*
 * TCP without a family is listed in one request for both (the kernel's
 * walk of its hash made once): each socket once, with its own family and
 * address; a request for one family lists that family only.
 */
static void test_both_families_once(void **state)
{
	struct sw_diag_req req = { .states = SW_DIAG_STATE(SW_TCP_LISTEN) };
	struct both b = { 0 };
	int l4, l6;

	l4 = listen_lo(&b.port4);
	l6 = listen_lo6(&b.port6);
	if (l6 < 0) {
		close(l4);
		skip();
	}
	assert_int_equal(sw_diag_dump(-1, &req, both_cb, &b), 0);
	assert_int_equal(b.hits4, 1);
	assert_int_equal(b.hits6, 1);
	assert_int_equal(b.family4, AF_INET);
	assert_int_equal(b.family6, AF_INET6);
	assert_int_equal(b.addr6_last, 1);		/* ::1 */

	memset(&b.hits4, 0, sizeof(b) - offsetof(struct both, hits4));
	req.family = AF_INET6;
	assert_int_equal(sw_diag_dump(-1, &req, both_cb, &b), 0);
	assert_int_equal(b.hits4, 0);
	assert_int_equal(b.hits6, 1);
	close(l4);
	close(l6);
}

static int stop_cb(const struct sw_diag_sock *s, void *ctx)
{
	(*(int *)ctx)++;
	return 42;
}

static void test_stop_and_reuse(void **state)
{
	struct sw_diag_req req = { .protos = SW_DIAG_TCP };
	struct find f = { .state = SW_TCP_LISTEN };
	int n = 0, nl, fd;

	fd = listen_lo(&f.lport);
	nl = sw_diag_open(-1);
	assert_true(nl >= 0);
	assert_int_equal(sw_diag_dump_fd(nl, 0, &req, stop_cb, &n), 42);
	assert_int_equal(n, 1);
	/* the rest of the stopped dump was drained: the socket still works */
	assert_int_equal(sw_diag_dump_fd(nl, 0, &req, find_cb, &f), 0);
	assert_int_equal(f.hits, 1);
	close(nl);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listener_found),
		cmocka_unit_test(test_connection_bytes_and_all_netns),
		cmocka_unit_test(test_stop_and_reuse),
		cmocka_unit_test(test_both_families_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

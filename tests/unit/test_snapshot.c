// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * table/snapshot.c against the real kernel: a listener and a connected
 * pair this test holds are read into a table with their owner (this
 * process) and the fd it holds them by; reconciliation repairs a table
 * that missed a close.
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
#include <cmocka.h>
#include "sockets.h"
#include "table/snapshot.h"

struct seen {
	__u64 cookie;
	int owner_fd;
	int calls;
};

static int on_sock(void *ctx, const struct sw_sock *s, int owner_fd)
{
	struct seen *w = ctx;

	w->calls++;
	if (s->cookie == w->cookie)
		w->owner_fd = owner_fd;
	return 0;
}

static void test_load_finds_own_sockets(void **state)
{
	struct sw_table *t = sw_table_new(0);
	struct seen w = { .owner_fd = -1 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sw_sock *s;
	__u16 port;
	int lfd, cfd, n;

	assert_non_null(t);
	lfd = listen_lo(&port);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	assert_int_equal(connect(cfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	w.cookie = cookie_of(lfd);

	n = sw_snapshot_load(t, on_sock, &w);
	assert_true(n >= 2);
	assert_int_equal(w.calls, n);			/* one call per socket added */
	assert_int_equal(w.owner_fd, lfd);		/* the fd this process holds */

	s = sw_table_get(t, cookie_of(lfd));
	assert_non_null(s);
	assert_int_equal(s->pid, getpid());
	assert_int_equal(s->state, SW_TCP_LISTEN);
	assert_int_equal(s->lport, port);
	assert_int_equal(s->proto, IPPROTO_TCP);
	assert_true(s->flags & SW_F_PREEXISTING);
	s = sw_table_get(t, cookie_of(cfd));
	assert_non_null(s);
	assert_int_equal(s->state, SW_TCP_ESTABLISHED);
	assert_int_equal(s->rport, port);
	assert_int_equal(s->pid, getpid());

	/* one of two listeners closes and nothing tells the table: the
	 * reconciliation removes it, and only it */
	close(cfd);
	w.cookie = cookie_of(lfd);
	cfd = listen_lo(&port);
	assert_non_null(sw_table_put(t, &(struct sw_sock){
		.cookie = cookie_of(cfd), .pid = getpid(), .family = AF_INET,
		.proto = IPPROTO_TCP, .state = SW_TCP_LISTEN, .lport = port }));
	close(lfd);
	assert_true(sw_reconcile(t, NULL, NULL) >= 1);
	assert_null(sw_table_get(t, w.cookie));
	assert_non_null(sw_table_get(t, cookie_of(cfd)));
	close(cfd);
	sw_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_finds_own_sockets),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}

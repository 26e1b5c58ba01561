// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * table/snapshot.c against the real kernel: a listener and a connected
 * pair this test holds are read into a table with their owner (this
 * process) and the fd it holds them by; reconciliation repairs a table
 * that missed a close, and, in slices, one that missed a socket or an
 * accepted socket's owner.
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
#include "event_builders.h"
#include "table/decode.h"
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
	struct sw_sock *s;
	__u16 port;
	int lfd, cfd, n;

	assert_non_null(t);
	lfd = listen_lo(&port);
	cfd = connect_lo(port);
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

/* Pass fd through a unix socket pair; the pair holds it in flight. */
static void send_fd(int via, int fd)
{
	char byte = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	assert_int_equal(sendmsg(via, &m, 0), 1);
}

/* A socket the table has and no kernel listing does (a made-up cookie). */
#define UNLISTED	0x7fffffff00000001ULL

struct slices {
	struct sw_table *t;
	int enter, leave, depth, found;
	__u64 want;		/* cookie whose owner fd is recorded */
	int owner_fd;
};

static void on_enter(void *ctx)
{
	struct slices *w = ctx;

	assert_int_equal(w->depth++, 0);
	/* once the listing is read: the unlisted socket connects (its
	 * record arrives between two slices) */
	if (++w->enter == 2)
		sw_table_apply(w->t, &(struct sw_event){
			.version = SW_ABI_VERSION, .kind = SW_EV_STATE,
			.ts_ns = sw_mono_now(), .sock = UNLISTED,
			.family = AF_INET, .proto = IPPROTO_TCP,
			.old_state = SW_TCP_SYN_SENT, .new_state = SW_TCP_ESTABLISHED });
}

static void on_leave(void *ctx)
{
	struct slices *w = ctx;

	assert_int_equal(--w->depth, 0);
	w->leave++;
}

static int on_found(void *ctx, const struct sw_sock *s, int owner_fd)
{
	struct slices *w = ctx;

	assert_int_equal(w->depth, 1);		/* only inside a slice */
	w->found++;
	if (s->cookie == w->want)
		w->owner_fd = owner_fd;
	return 0;
}

/*
 * The sliced reconciliation: the table is touched only between enter and
 * leave, which pair up; a socket this process holds and the table lacks
 * is added with its owner; a listener no process holds (in flight in a
 * unix socket) is not added, and, after two scans, is remembered as
 * ownerless; a socket that no listing could show when the run began, and
 * that connected while the listing was read, is not swept for being
 * absent from it.
 */
static void test_reconcile_sliced(void **state)
{
	struct sw_table *t = sw_table_new(0);
	struct sw_reconciler *r = sw_reconciler_new();
	struct slices w = { .t = t, .owner_fd = -1 };
	struct sw_reconcile_ops ops = { on_enter, on_leave, on_found, &w };
	struct sw_reconcile_stats st;
	struct sw_sock *s;
	int held, flying, pair[2];
	__u64 flying_cookie;
	__u16 port;

	assert_non_null(t);
	assert_non_null(r);
	held = listen_lo(&port);
	flying = listen_lo(&port);
	flying_cookie = cookie_of(flying);
	w.want = cookie_of(held);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, pair), 0);
	send_fd(pair[0], flying);
	close(flying);
	assert_non_null(sw_table_put(t, &(struct sw_sock){
		.cookie = UNLISTED, .pid = getpid(), .family = AF_INET,
		.proto = IPPROTO_TCP, .state = SW_TCP_CLOSE, .state_ns = 1 }));

	assert_true(sw_reconciler_run(r, t, &ops) >= 1);
	assert_int_equal(w.depth, 0);
	assert_int_equal(w.enter, w.leave);
	assert_true(w.enter >= 3);	/* begin, a slice, the end */
	assert_true(w.found >= 1);
	assert_int_equal(w.owner_fd, held);
	s = sw_table_get(t, w.want);
	assert_non_null(s);
	assert_int_equal(s->pid, getpid());
	assert_null(sw_table_get(t, flying_cookie));
	s = sw_table_get(t, UNLISTED);
	assert_non_null(s);
	assert_int_equal(s->state, SW_TCP_ESTABLISHED);
	sw_reconciler_stats(r, &st);
	assert_int_equal(st.owner_scans, 1);
	/* no owner at one scan is not enough to be spared the next */
	assert_true(sw_reconciler_run(r, t, &ops) >= 0);
	assert_null(sw_table_get(t, flying_cookie));
	sw_reconciler_stats(r, &st);
	assert_int_equal(st.owner_scans, 2);
	assert_true(st.ownerless >= 1);

	close(pair[0]);
	close(pair[1]);
	close(held);
	sw_reconciler_free(r);
	sw_table_free(t);
}

/*
 * A listener's child known only from its state records (which name no
 * process) and whose accept record was dropped: reconciliation gives it
 * the process that holds it, and marks its direction as unknown.
 */
static void test_reconcile_owns_child(void **state)
{
	struct sw_table *t = sw_table_new(0);
	struct sw_reconciler *r = sw_reconciler_new();
	struct sw_reconcile_ops ops = { 0 };
	struct sw_sock *s;
	int lfd, cfd, afd;
	__u16 port;

	assert_non_null(t);
	assert_non_null(r);
	lfd = listen_lo(&port);
	cfd = connect_lo(port);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);
	s = sw_table_apply(t, &(struct sw_event){
		.version = SW_ABI_VERSION, .kind = SW_EV_STATE,
		.ts_ns = sw_mono_now(), .sock = cookie_of(afd),
		.family = AF_INET, .proto = IPPROTO_TCP,
		.old_state = SW_TCP_SYN_RECV, .new_state = SW_TCP_ESTABLISHED });
	assert_non_null(s);
	assert_int_equal(s->pid, 0);

	assert_true(sw_reconciler_run(r, t, &ops) >= 1);
	s = sw_table_get(t, cookie_of(afd));
	assert_non_null(s);
	assert_int_equal(s->pid, getpid());
	assert_int_equal(s->state, SW_TCP_ESTABLISHED);
	assert_true(s->flags & SW_F_RECOVERED);

	close(afd);
	close(cfd);
	close(lfd);
	sw_reconciler_free(r);
	sw_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_finds_own_sockets),
		cmocka_unit_test(test_reconcile_sliced),
		cmocka_unit_test(test_reconcile_owns_child),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}

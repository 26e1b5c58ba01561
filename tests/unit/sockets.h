/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Real sockets for unit tests that read the kernel (sock_diag, /proc,
 * snapshot): a listener on 127.0.0.1 at a port the kernel picks, a client
 * connected to it, and a socket's cookie. Include after <cmocka.h>.
 */
#ifndef SW_TEST_SOCKETS_H
#define SW_TEST_SOCKETS_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/types.h>

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

static inline int listen_lo(__u16 *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A TCP socket connected to 127.0.0.1:port. */
static inline int connect_lo(__u16 port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static inline __u64 cookie_of(int fd)
{
	__u64 c = 0;
	socklen_t len = sizeof(c);

	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len), 0);
	return c;
}

#endif /* SW_TEST_SOCKETS_H */

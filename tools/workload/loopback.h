/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Small helpers the benchmark workloads share: loopback listeners and
 * clients, and a monotonic clock. Header-only so that each workload stays
 * one compile of one .c file.
 */
#ifndef SW_WORKLOAD_LOOPBACK_H
#define SW_WORKLOAD_LOOPBACK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A TCP listener on 127.0.0.1 and a port the kernel picks; sa gets both. */
static inline int lo_listen(struct sockaddr_in *sa, int backlog)
{
	socklen_t len = sizeof(*sa);
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)sa, sizeof(*sa)) || listen(fd, backlog) ||
	    getsockname(fd, (struct sockaddr *)sa, &len)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A TCP client from 127.0.0.(2 + src) connected to dst. One source address
 * to one destination has only the ephemeral range (~28k ports); spreading
 * the sources, with IP_BIND_ADDRESS_NO_PORT so that connect() picks the
 * port per 4-tuple, lifts that limit.
 */
static inline int lo_connect_from(unsigned int src, const struct sockaddr_in *dst)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int one = 1;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + src);
	if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    connect(fd, (const struct sockaddr *)dst, sizeof(*dst))) {
		close(fd);
		return -1;
	}
	return fd;
}

#endif /* SW_WORKLOAD_LOOPBACK_H */

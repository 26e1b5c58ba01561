/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Hand-made ring-buffer records for unit tests: a base event, then small
 * modifiers that return the event changed, so that a test reads as
 *
 *	e = owned(with_remote(event(SW_EV_CONNECT, TCP, 7, ts), "10.0.0.2", 443),
 *		  100, "curl");
 *
 * Include after <cmocka.h>. Addresses are IPv4 or IPv6 text in e.family.
 */
#ifndef SW_TEST_EVENT_BUILDERS_H
#define SW_TEST_EVENT_BUILDERS_H

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "sockwatch_abi.h"

#define TCP	IPPROTO_TCP
#define UDP	IPPROTO_UDP
#define MS	1000000ULL
#define NETNS	4026531840U	/* the initial namespace's inode */

static inline struct sw_event event(__u8 kind, __u8 proto, __u64 cookie, __u64 ts)
{
	struct sw_event e = {
		.version = SW_ABI_VERSION,
		.kind = kind,
		.family = AF_INET,
		.proto = proto,
		.sock = cookie,
		.ts_ns = ts,
		.netns = NETNS,
	};

	return e;
}

/* The owner the kernel saw: tid pid + 1, cgroup 9876. */
static inline struct sw_event owned(struct sw_event e, __u32 pid, const char *comm)
{
	e.flags |= SW_F_OWNER_KNOWN;
	e.pid = pid;
	e.tid = pid + 1;
	e.cgroup_id = 9876;
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	return e;
}

static inline void set_addr(__u8 addr[16], int family, const char *text)
{
	memset(addr, 0, 16);
	assert_int_equal(inet_pton(family, text, addr), 1);
}

static inline struct sw_event with_local(struct sw_event e, const char *a, __u16 port)
{
	set_addr(e.laddr, e.family, a);
	e.lport = port;
	return e;
}

static inline struct sw_event with_remote(struct sw_event e, const char *a, __u16 port)
{
	set_addr(e.raddr, e.family, a);
	e.rport = port;
	return e;
}

static inline struct sw_event with_ends(struct sw_event e, const char *la, __u16 lp,
					const char *ra, __u16 rp)
{
	return with_remote(with_local(e, la, lp), ra, rp);
}

static inline struct sw_event with_bytes(struct sw_event e, __u64 rx, __u64 tx)
{
	e.flags |= SW_F_BYTES;
	e.rx_bytes = rx;
	e.tx_bytes = tx;
	return e;
}

static inline struct sw_event with_states(struct sw_event e, __u8 from, __u8 to)
{
	e.old_state = from;
	e.new_state = to;
	return e;
}

#endif /* SW_TEST_EVENT_BUILDERS_H */

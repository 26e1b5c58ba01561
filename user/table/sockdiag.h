/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Socket listings from the kernel through NETLINK_SOCK_DIAG (inet_diag).
 *
 * This is the ground truth sockwatch reconciles its event-fed table with,
 * and what the one-shot commands (health, ports) read. A dump is streamed
 * to a callback, one socket at a time, so that listing 100,000 sockets
 * needs no allocation beyond one receive buffer.
 *
 * Network namespaces: a netlink socket answers for the namespace it was
 * created in. sw_diag_open() therefore enters the target namespace only
 * long enough to create the socket, then returns to the caller's one; the
 * dump itself runs from the original namespace. setns() changes only the
 * calling thread, so this is safe in a multi-threaded agent as long as the
 * calling thread does not depend on its namespace meanwhile.
 */
#ifndef SW_SOCKDIAG_H
#define SW_SOCKDIAG_H

#include <stdbool.h>
#include <linux/types.h>
#include "sockwatch_abi.h"

/*
 * One socket as the kernel reported it. Addresses are in network byte
 * order (IPv4 in the first four bytes), ports in host byte order.
 *
 * state is the kernel's TCP state number (enum sw_tcp_state). For UDP it
 * is whatever the kernel uses internally (CLOSE when unconnected,
 * ESTABLISHED when connected): callers treat UDP as SW_TCP_NONE.
 * TIME_WAIT (and NEW_SYN_RECV) entries have no inode and no owner.
 */
struct sw_diag_sock {
	__u64 cookie;		/* idiag_cookie: same as bpf_get_socket_cookie */
	__u64 bytes_received;	/* TCP only, when has_info */
	__u64 bytes_acked;	/* TCP only, when has_info */
	__u32 inode;		/* socket inode; 0 for TIME_WAIT */
	__u32 netns;		/* network namespace inode number */
	__u32 uid;
	__u32 rqueue;
	__u32 wqueue;
	__u16 lport;
	__u16 rport;
	__u8  laddr[16];
	__u8  raddr[16];
	__u8  family;		/* AF_INET / AF_INET6 */
	__u8  proto;		/* IPPROTO_TCP / IPPROTO_UDP */
	__u8  state;
	bool  has_info;		/* bytes_* come from INET_DIAG_INFO */
};

/* sw_diag_req.protos */
#define SW_DIAG_TCP	0x1
#define SW_DIAG_UDP	0x2

/* State-mask helpers: bit N selects kernel state N. */
#define SW_DIAG_STATE(s)	(1u << (s))
#define SW_DIAG_ALL_STATES	0xffffffffu

/*
 * What to dump. Zero fields mean "everything": protos 0 = TCP and UDP,
 * family 0 = IPv4 and IPv6, states 0 = every state. The state mask is
 * applied by the kernel to UDP too, so a mask meant for UDP must include
 * SW_TCP_CLOSE (unconnected) and/or SW_TCP_ESTABLISHED (connected).
 * want_info asks for struct tcp_info (bytes counters) on TCP sockets; it
 * makes each record about 250 bytes longer.
 */
struct sw_diag_req {
	__u32 states;
	__u8  family;
	__u8  protos;
	bool  want_info;
};

/*
 * Called once per socket. Return 0 to go on, anything else to stop the
 * dump; the value is then returned by the sw_diag_* function that called.
 */
typedef int (*sw_diag_cb)(const struct sw_diag_sock *s, void *ctx);

/*
 * A NETLINK_SOCK_DIAG socket in the namespace of netns_fd (an open
 * /proc/PID/ns/net or /run/netns/NAME), or in the current one when
 * netns_fd is -1. Returns the fd or -errno. Needs CAP_SYS_ADMIN for a
 * foreign namespace.
 */
int sw_diag_open(int netns_fd);

/*
 * Dump through a socket from sw_diag_open(). netns_ino is copied into
 * every record (0 lets the function find the current namespace's). The
 * socket can be reused for further dumps. Returns 0, the callback's
 * non-zero value, or -errno.
 */
int sw_diag_dump_fd(int nl_fd, __u32 netns_ino, const struct sw_diag_req *req,
		    sw_diag_cb cb, void *ctx);

/* Open, dump, close: one namespace (netns_fd -1 = current). */
int sw_diag_dump(int netns_fd, const struct sw_diag_req *req,
		 sw_diag_cb cb, void *ctx);

/*
 * Every network namespace this process can see: the distinct ones among
 * /proc/[pid]/ns/net and /run/netns/ (deduplicated by inode), the current
 * one first. Called with an open fd of the namespace (valid during the
 * call only) and its inode. Return non-zero to stop.
 */
typedef int (*sw_netns_cb)(int netns_fd, __u32 netns_ino, void *ctx);
int sw_netns_foreach(sw_netns_cb cb, void *ctx);

/*
 * Run fn(arg) with the calling thread inside the namespace of netns_fd
 * (-1 = stay), then return to the original one. Used to read per-netns
 * sysctls (/proc/sys/net/... resolves against the reader's namespace).
 * Returns fn's value, or -errno when the namespace cannot be entered.
 */
int sw_netns_run(int netns_fd, int (*fn)(void *arg), void *arg);

/* Inode of the calling thread's network namespace, 0 on error. */
__u32 sw_netns_self(void);

/* sw_diag_dump() over sw_netns_foreach(): every visible namespace. */
int sw_diag_dump_all(const struct sw_diag_req *req, sw_diag_cb cb, void *ctx);

/*
 * Destroy one TCP socket (SOCK_DESTROY, what `ss -K` does): the kernel
 * aborts it (the owner's next read fails with ECONNABORTED, the peer
 * gets a reset). It is matched on its family, addresses, ports and
 * cookie, so a newer socket with the same addresses is never hit. s->netns
 * 0 or the caller's: here; another: that namespace, found by inode.
 * Returns 0, -ENOENT (gone), -ESTALE (cookie mismatch), -EOPNOTSUPP (the
 * kernel lacks CONFIG_INET_DIAG_DESTROY), -EPERM (no CAP_NET_ADMIN).
 */
int sw_diag_destroy(const struct sw_diag_sock *s);

/*
 * Whether SOCK_DESTROY works here: asks to destroy a socket that cannot
 * exist. 0 (the kernel looked for it), -EOPNOTSUPP or -EPERM.
 */
int sw_diag_destroy_probe(void);

#endif /* SW_SOCKDIAG_H */

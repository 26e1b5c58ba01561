/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The port inventory: which local ports are held, by whom, bound to
 * which address; and finding a free port in a range the way the port
 * manager allocated one (the lowest port that a test bind accepts).
 */
#ifndef SW_PORTS_H
#define SW_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sockwatch_abi.h"
#include "lib/portrange.h"
#include "table/procfs.h"
#include "table/sockdiag.h"

/*
 * One holder of a port: the sockets of one process (pid 0: unknown, e.g.
 * another pid namespace) bound to the same netns, protocol, address and
 * port, in the same state, merged into one entry (SO_REUSEPORT workers,
 * or many connections with --all) with their number in nsock.
 */
struct sw_port_ent {
	__u32 netns;
	__u32 pid;
	__u32 nsock;
	__u16 port;
	__u8  family;
	__u8  proto;		/* IPPROTO_TCP / IPPROTO_UDP */
	__u8  state;		/* TCP state; SW_TCP_NONE for UDP */
	bool  all_interfaces;	/* bound to 0.0.0.0 or :: */
	__u8  addr[16];
	char  comm[SW_COMM_LEN];
};

/* A growable array of entries, sorted by sw_ports_collect. */
struct sw_port_list {
	struct sw_port_ent *v;
	size_t n, cap;
};

/*
 * Whether s holds a local port as the inventory counts it: TCP LISTEN,
 * TCP bound but neither listening nor connected (CLOSE with a port), and
 * UDP. With all, every TCP state but TIME_WAIT too (outgoing and
 * accepted connections). Exposure = held, not connected, and bound to
 * all interfaces: sw_port_is_exposed().
 */
bool sw_port_is_held(const struct sw_diag_sock *s, bool all);
bool sw_port_is_exposed(const struct sw_diag_sock *s);

/* Append s with its owner (map may be NULL). 0 or -ENOMEM. */
int sw_port_list_add(struct sw_port_list *l, const struct sw_diag_sock *s,
		     const struct sw_owner_map *map);
/* Sort by port, netns, proto, family, address, pid; merge duplicates. */
void sw_port_list_finish(struct sw_port_list *l);
void sw_port_list_free(struct sw_port_list *l);

/*
 * The inventory of range r in every visible network namespace (the
 * owner map is built inside). 0 or -errno; *out is then sorted.
 */
int sw_ports_collect(const struct sw_portrange *r, bool all,
		     struct sw_port_list *out);

/*
 * Test bind of TCP 0.0.0.0:port, then [::]:port (dual stack), each
 * closed at once. reuseaddr sets SO_REUSEADDR first, as servers do, so
 * that TIME_WAIT sockets alone do not fail it. IPv6 being unavailable
 * (EAFNOSUPPORT, EADDRNOTAVAIL) is not a failure. 0 or the first -errno.
 */
int sw_port_bind_test(__u16 port, bool reuseaddr);

/*
 * The lowest port of r that no socket of the current namespace holds
 * (TIME_WAIT included) and that a plain test bind accepts. 0 and *port,
 * -ENOENT when there is none, or another -errno.
 */
int sw_port_find_free(const struct sw_portrange *r, __u16 *port);

/* A dump callback: add s's local port (if any) to the sw_portset. */
int sw_port_mark_used(const struct sw_diag_sock *s, void *portset);

#endif /* SW_PORTS_H */

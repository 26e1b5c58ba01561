/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The event ABI shared by the kernel programs (bpf/) and the loader (user/).
 *
 * Every record the kernel writes to the ring buffer is one struct sw_event:
 * fixed size, no pointers, little enough to copy. The first field is the
 * ABI version so that a loader refuses records it does not understand
 * instead of misreading them. Bump SW_ABI_VERSION on any layout change.
 *
 * This header is included by both sides, so it uses only __u8..__u64 and
 * must not include libc or kernel headers itself.
 */
#ifndef SOCKWATCH_ABI_H
#define SOCKWATCH_ABI_H

#define SW_ABI_VERSION	1
#define SW_COMM_LEN	16

/* What happened to the socket. Values are part of the ABI. */
enum sw_event_kind {
	SW_EV_SNAPSHOT	= 0,	/* pre-existing socket (userspace only) */
	SW_EV_CREATE	= 1,	/* socket(2) created an inet TCP/UDP socket */
	SW_EV_BIND	= 2,	/* bind(2) set the local endpoint */
	SW_EV_LISTEN	= 3,	/* TCP entered LISTEN */
	SW_EV_CONNECT	= 4,	/* connect(2) named the remote endpoint */
	SW_EV_ACCEPT	= 5,	/* accept(2) handed a socket to a process */
	SW_EV_STATE	= 6,	/* TCP state change (inet_sock_set_state) */
	SW_EV_CLOSE	= 7,	/* the owner released the socket */
	SW_EV_MAX
};

/*
 * Socket flags: one vocabulary, with the same bits, for the kernel's
 * per-socket storage (sw_sk_info.flags), the records (sw_event.flags) and
 * the loader's socket table (struct sw_sock.flags). Where a flag is used
 * is said beside it; the values that travel in records are ABI.
 */
#define SW_F_OWNER_KNOWN	0x01	/* pid/tid/comm name the socket's owner */
#define SW_F_BIRTH_KNOWN	0x02	/* birth_ns is the socket's creation time */
#define SW_F_BYTES		0x04	/* records: rx_bytes/tx_bytes are valid */
#define SW_F_PREEXISTING	0x08	/* socket existed before sockwatch started */
#define SW_F_ACCEPTED		0x10	/* socket came from accept(2): inbound */
#define SW_F_RELEASED		0x20	/* storage, table: the owner closed it */
#define SW_F_SEEN		0x40	/* table: reconciliation's mark bit */
#define SW_F_RECOVERED		0x80	/* table: found by reconciliation, its
					 * records lost: direction unknown */
/* Every bit a record may carry (the decoder rejects any other). */
#define SW_F_ALL		0x1f

/*
 * Linux TCP states, as in include/net/tcp_states.h. Kept here because
 * userspace has no such header and the numbers are the kernel's ABI.
 */
enum sw_tcp_state {
	SW_TCP_NONE		= 0,	/* not a TCP state: UDP, or unknown */
	SW_TCP_ESTABLISHED	= 1,
	SW_TCP_SYN_SENT		= 2,
	SW_TCP_SYN_RECV		= 3,
	SW_TCP_FIN_WAIT1	= 4,
	SW_TCP_FIN_WAIT2	= 5,
	SW_TCP_TIME_WAIT	= 6,
	SW_TCP_CLOSE		= 7,
	SW_TCP_CLOSE_WAIT	= 8,
	SW_TCP_LAST_ACK		= 9,
	SW_TCP_LISTEN		= 10,
	SW_TCP_CLOSING		= 11,
	SW_TCP_NEW_SYN_RECV	= 12,
	SW_TCP_MAX_STATES
};

/*
 * One ring-buffer record (128 bytes with the ring buffer's 8-byte header).
 *
 * Addresses are in network byte order, IPv4 in the first four bytes of the
 * 16-byte arrays; ports are in host byte order. Times are CLOCK_MONOTONIC
 * nanoseconds (bpf_ktime_get_ns); the loader converts them to wall time.
 */
struct sw_event {
	__u16 version;		/* SW_ABI_VERSION */
	__u8  kind;		/* enum sw_event_kind */
	__u8  flags;		/* SW_F_* */
	__u8  family;		/* AF_INET (2) or AF_INET6 (10) */
	__u8  proto;		/* IPPROTO_TCP (6) or IPPROTO_UDP (17) */
	__u8  old_state;	/* enum sw_tcp_state, SW_EV_STATE only */
	__u8  new_state;	/* enum sw_tcp_state: state after the event */
	__u32 pid;		/* owner's tgid (what ps calls pid) */
	__u32 tid;		/* owner's thread id */
	__u64 ts_ns;		/* when the event happened */
	__u64 sock;		/* socket cookie: stable id across all events */
	__u64 cgroup_id;	/* owner's cgroup v2 id */
	__u32 netns;		/* network namespace inode number */
	__u16 lport;
	__u16 rport;
	__u8  laddr[16];
	__u8  raddr[16];
	__u64 birth_ns;		/* socket creation time, if SW_F_BIRTH_KNOWN */
	__u64 rx_bytes;		/* TCP bytes received, if SW_F_BYTES */
	__u64 tx_bytes;		/* TCP bytes acknowledged by the peer */
	char  comm[SW_COMM_LEN];
};

/*
 * Per-socket facts, in socket local storage: written in process context
 * when the socket is created or accepted, read by programs that run in
 * softirq (state changes), where "current" is whoever was interrupted.
 * Its flags are the records' (SW_F_*), copied into them as they are.
 */
struct sw_sk_info {
	__u64 birth_ns;
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	__u8  flags;		/* SW_F_OWNER_KNOWN, _BIRTH_KNOWN, _ACCEPTED, _RELEASED */
	__u8  pad[7];
	char  comm[SW_COMM_LEN];
};

/*
 * Kernel-side filter, set by the loader in .rodata before load. Zero means
 * "no filter". Filtering in the kernel keeps unwanted events off the ring.
 */
struct sw_filter {
	__u32 tgid;		/* only this process */
	__u8  family;		/* only AF_INET or AF_INET6 */
	__u8  proto;		/* only IPPROTO_TCP or IPPROTO_UDP */
	__u16 pad;
};

/* Indexes of the per-CPU counter array "counters". */
enum sw_counter {
	SW_CNT_DROPS	= 0,	/* ring-buffer reservations that failed */
	SW_CNT_EVENTS	= 1,	/* records submitted */
	SW_CNT_MAX
};

#endif /* SOCKWATCH_ABI_H */

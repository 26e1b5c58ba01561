// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP state changes, from the sock:inet_sock_set_state tracepoint as a
 * BTF-typed program (tp_btf), which can reach the socket's local storage.
 *
 * Most transitions fire in softirq, where the current task is unrelated
 * to the socket. Only a listener has storage (made here, at listen(2),
 * which runs in its owner's context): the table reading the records
 * knows every other socket's owner by its cookie, from its create record,
 * or from its accept(2) (trace) or its listener (the agent's mode) for a
 * listener's child.
 */
#include "sock_state.h"

/*
 * Endpoints and byte counts through the BTF-typed pointer: plain loads
 * (still CO-RE relocated), not a bpf_probe_read per field as the
 * programs holding only a raw address must do. This runs on every TCP
 * transition, in the traced connection's own path.
 */
static __always_inline void endpoints_btf(struct sw_event *e, const struct sock *sk)
{
	const struct sock_common *c = &sk->__sk_common;
	struct tcp_sock *tp;

	e->family = c->skc_family;
	e->proto = IPPROTO_TCP;
	e->lport = c->skc_num;
	e->rport = bpf_ntohs(c->skc_dport);
	e->netns = c->skc_net.net->ns.inum;
	if (e->family == AF_INET) {
		*(__u32 *)e->laddr = c->skc_rcv_saddr;
		*(__u32 *)e->raddr = c->skc_daddr;
	} else {
		__builtin_memcpy(e->laddr, &c->skc_v6_rcv_saddr, 16);
		__builtin_memcpy(e->raddr, &c->skc_v6_daddr, 16);
	}
	tp = bpf_skc_to_tcp_sock((void *)sk);
	if (!tp)
		return;
	e->rx_bytes = tp->bytes_received;
	e->tx_bytes = tp->bytes_acked;
	e->flags |= SW_F_BYTES;
}

/*
 * Has the owner let go? Storage says so; a socket without storage (see
 * above) was released when close(2) orphaned it (SOCK_DEAD, set as its
 * struct socket goes). A listener's child in the accept queue has no
 * struct socket yet but is not dead: its transitions still count.
 */
static __always_inline bool released(const struct sock *sk, const struct sw_sk_info *info)
{
	if (info)
		return info->flags & SW_F_RELEASED;
	return sk->__sk_common.skc_flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DEAD));
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(sw_state, const struct sock *sk, int oldstate, int newstate)
{
	struct sw_event buf, *e;
	struct sw_sk_info *info;
	__u64 cookie;

	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	if (!proto_wanted(sk->__sk_common.skc_family, IPPROTO_TCP))
		return 0;
	/* half of a connection's transitions: gone before any map work */
	if (owned_only && !owned_state_kept(newstate))
		return 0;

	/* storage for a listener only: for any other socket, an allocation
	 * and a free per connection, with interrupts off around their locks */
	info = bpf_sk_storage_get(&sk_info, (void *)sk, NULL,
				  newstate == TCP_LISTEN ? BPF_SK_STORAGE_GET_F_CREATE : 0);
	/* the owner let go: the agent's table has forgotten the socket */
	if (owned_only && released(sk, info))
		return 0;
	cookie = bpf_get_socket_cookie((void *)sk);
	if (info) {
		state_track(info, oldstate);
		/* listen(2) runs in the owner's context: a socket that predates
		 * sockwatch gets its owner here. */
		if (newstate == TCP_LISTEN && !(info->flags & SW_F_OWNER_KNOWN))
			owner_from_current(info);
	}
	if (!state_reported(info, oldstate, newstate))
		return 0;

	/* no storage and no struct socket: a child in its listener's queue */
	e = state_event(&buf, info, !info && !sk->sk_socket, cookie, oldstate, newstate);
	if (!e)
		return 0;
	endpoints_btf(e, sk);
	event_submit(ctx, e);
	return 0;
}

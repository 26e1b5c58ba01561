// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP state changes, from the sock:inet_sock_set_state tracepoint as a
 * BTF-typed program (tp_btf), which can reach the socket's local storage.
 *
 * Most transitions fire in softirq, where the current task is unrelated
 * to the socket: the owner always comes from the storage. Sockets born in
 * softirq (the child of a listener, in SYN_RECV) get their storage here,
 * with no owner until accept(2) names one.
 */
#include "sockwatch.bpf.h"

/*
 * In owned_only mode: SYN_SENT follows from connect, SYN_RECV is a child
 * nobody owns yet, FIN_WAIT and LAST_ACK come after the owner let go.
 * What is left: ESTABLISHED, CLOSE_WAIT (the leak), LISTEN, and a CLOSE
 * of a socket still owned (a reset or a failed connect).
 */
static __always_inline bool owned_state_kept(int newstate)
{
	return newstate == TCP_ESTABLISHED || newstate == TCP_CLOSE_WAIT ||
	       newstate == TCP_LISTEN || newstate == TCP_CLOSE;
}

/*
 * In owned_only mode an accepted socket is reported once it is
 * established in the accept queue, with the listener's owner; trace
 * reports the accept(2) itself (sock_accept.bpf.c).
 */
static __always_inline __u8 event_kind(const struct sw_sk_info *info,
				       int oldstate, int newstate)
{
	if (newstate == TCP_LISTEN)
		return SW_EV_LISTEN;
	if (owned_only && info && (info->flags & SW_F_ACCEPTED) &&
	    oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		return SW_EV_ACCEPT;
	return SW_EV_STATE;
}

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
 * above) was released when close(2) orphaned it. A listener's child that
 * has no storage and is still leaving SYN_RECV was never owned yet.
 */
static __always_inline bool released(const struct sock *sk,
				     const struct sw_sk_info *info, int oldstate)
{
	if (info)
		return info->flags & SW_F_RELEASED;
	return !sk->sk_socket && oldstate != TCP_SYN_RECV;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(sw_state, const struct sock *sk, int oldstate, int newstate)
{
	struct sw_sk_info *info;
	struct sw_event *e;
	__u64 cookie;

	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	if (!proto_wanted(sk->__sk_common.skc_family, IPPROTO_TCP))
		return 0;
	/* half of a connection's transitions: gone before any map work */
	if (owned_only && !owned_state_kept(newstate))
		return 0;

	/*
	 * owned_only keeps storage on listeners (made here, at listen(2))
	 * and on their children (a clone): the table knows every other
	 * socket's owner by its cookie, from its create record.
	 */
	info = bpf_sk_storage_get(&sk_info, (void *)sk, NULL,
				  !owned_only || newstate == TCP_LISTEN ?
				  BPF_SK_STORAGE_GET_F_CREATE : 0);
	/* the owner let go: the agent's table has forgotten the socket */
	if (owned_only && released(sk, info, oldstate))
		return 0;
	cookie = bpf_get_socket_cookie((void *)sk);
	if (info) {
		/*
		 * Leaving SYN_RECV: the child of a listener. In owned_only
		 * mode its storage is a clone of the listener's (BPF_F_CLONE):
		 * the listener's owner becomes the child's, from now on.
		 */
		if (oldstate == TCP_SYN_RECV && !(info->flags & SW_F_ACCEPTED)) {
			info->flags = (info->flags & SW_F_OWNER_KNOWN) | SW_F_ACCEPTED;
			if (owned_only)
				info->birth_ns = 0;
		}
		if (!info->birth_ns) {
			info->birth_ns = bpf_ktime_get_ns();
			info->flags |= SW_F_BIRTH_KNOWN;
		}
		info->skaddr = (__u64)sk;
		owner_adopt(info, cookie);
		/* listen(2) runs in the owner's context: a socket that predates
		 * sockwatch gets its owner here. */
		if (newstate == TCP_LISTEN && !(info->flags & SW_F_OWNER_KNOWN))
			owner_from_current(info);
	}
	if (info && !pid_wanted(info->pid))
		return 0;
	/* tcp_close() may re-enter the state shutdown() set: not a change */
	if (oldstate == newstate)
		return 0;

	e = event_reserve(event_kind(info, oldstate, newstate));
	if (!e)
		return 0;
	event_owner(e, info);
	endpoints_btf(e, sk);
	e->sock = cookie;
	e->old_state = oldstate;
	e->new_state = newstate;
	event_submit(e);
	return 0;
}

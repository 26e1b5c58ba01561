// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * connect(2), TCP and UDP. cgroup/connect{4,6} run in the caller's context
 * with the remote endpoint the caller asked for, before the kernel picks a
 * local port: the local endpoint follows in the SYN_SENT -> ESTABLISHED
 * state change for TCP, and in the table's reconciliation for UDP. The
 * caller is the owner. Where BPF trampolines work and tracing programs can
 * take a socket's cookie (5.12), fentry/inet_stream_connect and
 * fentry/inet_dgram_connect see the same call, with the same conditions.
 */
#include "sockwatch.bpf.h"

#define AF_UNSPEC		0
#define SIN6_LEN_RFC2133	24	/* what tcp_v6_pre_connect() requires */

static __always_inline int on_connect(struct bpf_sock_addr *ctx, bool v6)
{
	struct sw_event buf, *e;
	struct bpf_sock *sk = ctx->sk;

	if (!sk)
		return 1;
	e = event_begin_call(&buf, SW_EV_CONNECT, ctx, sk->family, sk->protocol, NULL);
	if (!e)
		return 1;
	e->rport = bpf_ntohs(ctx->user_port);
	if (v6) {
		__u32 *a = (__u32 *)e->raddr;

		a[0] = ctx->user_ip6[0];
		a[1] = ctx->user_ip6[1];
		a[2] = ctx->user_ip6[2];
		a[3] = ctx->user_ip6[3];
	} else {
		*(__u32 *)e->raddr = ctx->user_ip4;
	}
	event_submit(ctx, e);
	return 1;
}

SEC("cgroup/connect4")
int sw_connect4(struct bpf_sock_addr *ctx)
{
	return on_connect(ctx, false);
}

SEC("cgroup/connect6")
int sw_connect6(struct bpf_sock_addr *ctx)
{
	return on_connect(ctx, true);
}

/*
 * At the entry of the connect call, the conditions under which it runs
 * the cgroup hook: an address of a family (AF_UNSPEC disconnects) and of
 * the length the protocol's pre_connect checks, and for a stream socket,
 * one not connected or connecting yet. A datagram socket takes an IPv4
 * address also when it is IPv6 (a mapped connect, connect4's).
 */
static __always_inline void connect_fentry(void *ctx, struct socket *sock,
					   struct sockaddr *uaddr, int addr_len, bool stream)
{
	struct sw_event buf, *e;
	struct sock *sk;
	__u16 ufamily;
	bool v6;

	sk = sock->sk;
	if (!sk || !uaddr || addr_len < (int)sizeof(uaddr->sa_family))
		return;
	ufamily = uaddr->sa_family;
	if (ufamily == AF_UNSPEC)
		return;
	if (stream && (sock->state != SS_UNCONNECTED ||
		       sk->__sk_common.skc_state != TCP_CLOSE))
		return;
	v6 = sk->__sk_common.skc_family == AF_INET6 && (stream || ufamily != AF_INET);
	if (addr_len < (v6 ? SIN6_LEN_RFC2133 : (int)sizeof(struct sockaddr_in)))
		return;
	e = event_begin_call(&buf, SW_EV_CONNECT, sk, sk->__sk_common.skc_family, sk->sk_protocol,
			     sk_net(sk));
	if (!e)
		return;
	/* the address is the caller's copy, as long as addr_len says */
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)uaddr;

		e->rport = bpf_ntohs(BPF_CORE_READ(a, sin6_port));
		BPF_CORE_READ_INTO((struct in6_addr *)e->raddr, a, sin6_addr);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)uaddr;

		e->rport = bpf_ntohs(BPF_CORE_READ(a, sin_port));
		*(__u32 *)e->raddr = BPF_CORE_READ(a, sin_addr.s_addr);
	}
	event_submit(ctx, e);
}

SEC("fentry/inet_stream_connect")
int BPF_PROG(sw_stream_conn, struct socket *sock, struct sockaddr *uaddr, int addr_len,
	     int flags)
{
	connect_fentry(ctx, sock, uaddr, addr_len, true);
	return 0;
}

SEC("fentry/inet_dgram_connect")
int BPF_PROG(sw_dgram_conn, struct socket *sock, struct sockaddr *uaddr, int addr_len,
	     int flags)
{
	connect_fentry(ctx, sock, uaddr, addr_len, false);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * bind(2). cgroup/post_bind{4,6} run after the kernel has accepted the
 * address, so the port is the one really bound (also when 0 was asked).
 * They run in the binding process's context: that is the owner. Where
 * BPF trampolines work and tracing programs can take a socket's cookie
 * (5.12), fexit/inet_bind and fexit/inet6_bind see the same: the bound
 * socket, once bind(2) succeeded.
 */
#include "sockwatch.bpf.h"

static __always_inline int on_bind(struct bpf_sock *ctx, bool v6)
{
	struct sw_event buf, *e;

	e = event_begin_call(&buf, SW_EV_BIND, ctx, ctx->family, ctx->protocol, NULL);
	if (!e)
		return 1;
	e->lport = ctx->src_port;
	if (v6) {
		__u32 *a = (__u32 *)e->laddr;

		a[0] = ctx->src_ip6[0];
		a[1] = ctx->src_ip6[1];
		a[2] = ctx->src_ip6[2];
		a[3] = ctx->src_ip6[3];
	} else {
		*(__u32 *)e->laddr = ctx->src_ip4;
	}
	event_submit(ctx, e);
	return 1;
}

SEC("cgroup/post_bind4")
int sw_post_bind4(struct bpf_sock *ctx)
{
	return on_bind(ctx, false);
}

SEC("cgroup/post_bind6")
int sw_post_bind6(struct bpf_sock *ctx)
{
	return on_bind(ctx, true);
}

/* What post_bind's context says, read from the socket bind(2) bound. */
static __always_inline void bind_fexit(void *ctx, struct socket *sock, int ret)
{
	const struct sock_common *c;
	struct sw_event buf, *e;
	struct sock *sk;

	if (ret)
		return;
	sk = sock->sk;
	if (!sk)
		return;
	c = &sk->__sk_common;
	e = event_begin_call(&buf, SW_EV_BIND, sk, c->skc_family, sk->sk_protocol, sk_net(sk));
	if (!e)
		return;
	e->lport = c->skc_num;
	if (e->family == AF_INET6)
		__builtin_memcpy(e->laddr, &c->skc_v6_rcv_saddr, 16);
	else
		*(__u32 *)e->laddr = c->skc_rcv_saddr;
	event_submit(ctx, e);
}

SEC("fexit/inet_bind")
int BPF_PROG(sw_inet_bind, struct socket *sock, struct sockaddr *uaddr, int addr_len,
	     int ret)
{
	bind_fexit(ctx, sock, ret);
	return 0;
}

SEC("fexit/inet6_bind")
int BPF_PROG(sw_inet6_bind, struct socket *sock, struct sockaddr *uaddr, int addr_len,
	     int ret)
{
	bind_fexit(ctx, sock, ret);
	return 0;
}

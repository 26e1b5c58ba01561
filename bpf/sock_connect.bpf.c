// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * connect(2), TCP and UDP. cgroup/connect{4,6} run in the caller's context
 * with the remote endpoint the caller asked for, before the kernel picks a
 * local port: the local endpoint follows in the SYN_SENT -> ESTABLISHED
 * state change for TCP, and in the table's reconciliation for UDP. The
 * caller is the owner.
 */
#include "sockwatch.bpf.h"

static __always_inline int on_connect(struct bpf_sock_addr *ctx, bool v6)
{
	struct sw_event *e;
	struct bpf_sock *sk = ctx->sk;
	__u8 family, proto;

	if (!sk)
		return 1;
	family = sk->family;
	proto = sk->protocol;
	if (!proto_wanted(family, proto))
		return 1;
	if (!pid_wanted(bpf_get_current_pid_tgid() >> 32))
		return 1;

	/* connect(2) runs in the owner's context: no storage needed */
	e = event_begin(SW_EV_CONNECT, NULL, family, proto,
			bpf_get_socket_cookie(ctx));
	if (!e)
		return 1;
	event_owner_current(e);
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
	event_submit(e);
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

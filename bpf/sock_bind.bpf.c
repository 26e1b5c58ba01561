// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * bind(2). cgroup/post_bind{4,6} run after the kernel has accepted the
 * address, so the port is the one really bound (also when 0 was asked).
 * They run in the binding process's context: that is the owner.
 */
#include "sockwatch.bpf.h"

static __always_inline int on_bind(struct bpf_sock *ctx, bool v6)
{
	struct sw_event *e;
	__u8 proto = ctx->protocol;

	if (!proto_wanted(ctx->family, proto))
		return 1;
	if (!pid_wanted(bpf_get_current_pid_tgid() >> 32))
		return 1;

	/* bind(2) runs in the owner's context: no storage needed */
	e = event_begin(SW_EV_BIND, NULL, ctx->family, proto,
			bpf_get_socket_cookie(ctx));
	if (!e)
		return 1;
	event_owner_current(e);
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
	event_submit(e);
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

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * close(2) of the last reference: cgroup/sock_release runs in the closing
 * task's context before the protocol's close, so a TCP socket reports the
 * bytes it moved, and then goes on through FIN_WAIT or LAST_ACK as state
 * changes. A socket without storage (UDP; TCP in owned_only mode; see
 * sock_create.bpf.c) is owned by the closing process.
 */
#include "sockwatch.bpf.h"

SEC("cgroup/sock_release")
int sw_sock_release(struct bpf_sock *ctx)
{
	struct sw_sk_info *info;
	struct sw_event *e;
	__u64 cookie;

	if (!proto_wanted(ctx->family, ctx->protocol))
		return 1;
	cookie = bpf_get_socket_cookie(ctx);
	info = NULL;
	if (ctx->protocol != IPPROTO_UDP)
		info = bpf_sk_storage_get(&sk_info, ctx, NULL, 0);
	owner_adopt(info, cookie);
	if (info)
		info->flags |= SW_F_RELEASED;
	if (!pid_wanted(info ? info->pid : bpf_get_current_pid_tgid() >> 32))
		return 1;

	e = event_begin(SW_EV_CLOSE, info, ctx->family, ctx->protocol, cookie);
	if (!e)
		return 1;
	/* no storage: the closing process holds the last reference */
	if (!info)
		event_owner_current(e);
	e->new_state = ctx->state;
	/* This hook may not read the endpoints from its context; a TCP
	 * socket that went through a state change left its address. The
	 * agent's table has them already and forgets the socket now: a
	 * dozen probe reads per close it does not need. */
	if (!owned_only && info && info->skaddr) {
		event_endpoints(e, (const struct sock *)info->skaddr);
		event_bytes(e, info->skaddr);
	}
	event_submit(e);
	return 1;
}

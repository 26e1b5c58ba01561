// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * close(2) of the last reference: cgroup/sock_release runs in the closing
 * task's context before the protocol's close, so a TCP socket reports the
 * bytes it moved, and then goes on through FIN_WAIT or LAST_ACK as state
 * changes. A socket without storage (UDP; TCP in owned_only mode; see
 * sock_create.bpf.c) is owned by the closing process. Where BPF
 * trampolines work and tracing programs reach socket storage (5.12),
 * fentry/inet_release sees the same: it is the function that runs that
 * hook, for IPv4 and IPv6 sockets alike.
 */
#include "sockwatch.bpf.h"

/* sk: the cgroup hook's context or a struct sock (what the helpers take) */
static __always_inline void release_record(void *ctx, void *sk, __u8 family, __u8 proto,
					   __u8 state, const struct net *net)
{
	struct sw_event buf, *e;
	struct sw_sk_info *info;
	__u64 cookie;

	if (!proto_wanted(family, proto))
		return;
	cookie = bpf_get_socket_cookie(sk);
	info = NULL;
	if (proto != IPPROTO_UDP)
		info = bpf_sk_storage_get(&sk_info, sk, NULL, 0);
	owner_adopt(info, cookie);
	if (info)
		info->flags |= SW_F_RELEASED;
	if (!pid_wanted(info ? info->pid : bpf_get_current_pid_tgid() >> 32))
		return;

	if (!info && owned_only)
		e = event_begin_bare(&buf, SW_EV_CLOSE, family, proto, cookie);
	else
		e = event_begin_net(&buf, SW_EV_CLOSE, info, family, proto, cookie, net);
	if (!e)
		return;
	/* no storage: the closing process holds the last reference (the
	 * agent's table has the owner: see event_begin_bare) */
	if (!info && !owned_only)
		event_owner_current(e);
	e->new_state = state;
	/* This hook may not read the endpoints from its context; a TCP
	 * socket that went through a state change left its address. The
	 * agent's table has them already and forgets the socket now: a
	 * dozen probe reads per close it does not need. */
	if (!owned_only && info && info->skaddr) {
		event_endpoints(e, (const struct sock *)info->skaddr);
		event_bytes(e, info->skaddr);
	}
	event_submit(ctx, e);
}

SEC("cgroup/sock_release")
int sw_sock_release(struct bpf_sock *ctx)
{
	release_record(ctx, ctx, ctx->family, ctx->protocol, ctx->state, NULL);
	return 1;
}

/* inet_release() runs the cgroup hook for a socket a process made. */
SEC("fentry/inet_release")
int BPF_PROG(sw_inet_release, struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk || BPF_CORE_READ_BITFIELD(sk, sk_kern_sock))
		return 0;
	release_record(ctx, sk, sk->__sk_common.skc_family, sk->sk_protocol,
		       sk->__sk_common.skc_state, sk_net(sk));
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * close(2) of the last reference: cgroup/sock_release runs in the closing
 * task's context before the protocol's close, so a TCP socket reports the
 * bytes it moved, and then goes on through FIN_WAIT or LAST_ACK as state
 * changes. A socket without storage (all but listeners; see
 * sock_create.bpf.c) is owned by the closing process. Where BPF
 * trampolines work and tracing programs reach socket storage (5.12),
 * fentry/inet_release sees the same: it is the function that runs that
 * hook, for IPv4 and IPv6 sockets alike.
 */
#include "sockwatch.bpf.h"

/*
 * sk: the cgroup hook's context or a struct sock (what the helpers take);
 * skaddr: the struct sock's address, for the probe reads of byte counts.
 */
static __always_inline void release_record(void *ctx, void *sk, __u64 skaddr,
					   __u8 family, __u8 proto, __u8 state,
					   const struct net *net)
{
	struct sw_event buf, *e;
	struct sw_sk_info *info = NULL;
	__u64 cookie;

	if (!proto_wanted(family, proto))
		return;
	cookie = bpf_get_socket_cookie(sk);
	/* storage: a listener's, or any TCP socket's with owner_at_create */
	if (proto != IPPROTO_UDP)
		info = bpf_sk_storage_get(&sk_info, sk, NULL, 0);
	if (info) {
		info->flags |= SW_F_RELEASED;
		if (!(info->flags & SW_F_OWNER_KNOWN))
			info = NULL;
	}
	/* an owner the storage does not name: the closing process holds
	 * the last reference */
	if (!pid_wanted(info ? info->pid : bpf_get_current_pid_tgid() >> 32))
		return;

	if (!info && owned_only)
		e = event_begin_bare(&buf, SW_EV_CLOSE, family, proto, cookie);
	else
		e = event_begin_net(&buf, SW_EV_CLOSE, info, family, proto, cookie, net);
	if (!e)
		return;
	/* the agent's table has the owner (see event_begin_bare) */
	if (!info && !owned_only)
		event_owner_current(e);
	e->new_state = state;
	/* The endpoints come from the table, which has them from the
	 * socket's earlier records; trace reports the bytes a TCP socket
	 * moved (the agent's table forgets the socket now). */
	if (!owned_only)
		event_bytes(e, skaddr);
	event_submit(ctx, e);
}

/*
 * The hook may not read the byte counts through its context, but the
 * context is the struct sock itself (the hook is run with the socket as
 * its argument, on every kernel that has it): as a plain address it is
 * read with probe reads, as the tracing programs read one. Reading a
 * context pointer as a number takes CAP_PERFMON, which loading tracing
 * programs needs anyway.
 */
SEC("cgroup/sock_release")
int sw_sock_release(struct bpf_sock *ctx)
{
	release_record(ctx, ctx, (__u64)ctx, ctx->family, ctx->protocol, ctx->state,
		       NULL);
	return 1;
}

/* inet_release() runs the cgroup hook for a socket a process made. */
SEC("fentry/inet_release")
int BPF_PROG(sw_inet_release, struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk || BPF_CORE_READ_BITFIELD(sk, sk_kern_sock))
		return 0;
	release_record(ctx, sk, (__u64)sk, sk->__sk_common.skc_family, sk->sk_protocol,
		       sk->__sk_common.skc_state, sk_net(sk));
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Socket creation. cgroup/sock_create runs in the creating task's context
 * for every socket(2) in the cgroup subtree (attached at the v2 root: all
 * of them), so this is where the owner and the birth time are recorded.
 * Where BPF trampolines work and tracing programs reach socket storage and
 * cookies (5.12), fexit/inet_create and fexit/inet6_create do the same
 * from the function that runs that hook: the attach plan picks one.
 *
 * In the record alone: the table that reads the records (the agent's and
 * trace's) keeps the owner by socket cookie and gives it to the records
 * made where the owner is not the current task (TCP transitions in
 * softirq, also after the owner let go). Only a listener gets storage, at
 * listen(2). Storage costs an allocation and a deferred free per socket,
 * more than the rest of the program. Where the state program cannot name
 * the owner at listen(2) (sock_ops, on 5.10), a TCP socket keeps it in
 * its storage from birth (owner_at_create).
 */
#include "sockwatch.bpf.h"

/*
 * The record of a new socket, and its storage where needed. sk is what
 * the helpers take: the cgroup hook's context or a struct sock; net is
 * the socket's namespace where the hook has it (NULL: the current task's).
 */
static __always_inline void create_record(void *ctx, void *sk, __u8 family, __u8 proto,
					  const struct net *net)
{
	struct sw_event buf, *e;
	struct sw_sk_info *info;

	if (!proto_wanted(family, proto))
		return;
	if (proto == IPPROTO_UDP || !owner_at_create) {
		if (!pid_wanted(bpf_get_current_pid_tgid() >> 32))
			return;
		e = event_begin_net(&buf, SW_EV_CREATE, NULL, family, proto,
				    bpf_get_socket_cookie(sk), net);
		if (!e)
			return;
		event_owner_current(e);
		e->birth_ns = e->ts_ns;
		e->flags |= SW_F_BIRTH_KNOWN;
		event_submit(ctx, e);
		return;
	}
	info = bpf_sk_storage_get(&sk_info, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (!info)
		return;
	info->birth_ns = bpf_ktime_get_ns();
	info->flags = SW_F_BIRTH_KNOWN;
	owner_from_current(info);
	if (!pid_wanted(info->pid))
		return;

	e = event_begin_net(&buf, SW_EV_CREATE, info, family, proto,
			    bpf_get_socket_cookie(sk), net);
	if (e)
		event_submit(ctx, e);
}

SEC("cgroup/sock_create")
int sw_sock_create(struct bpf_sock *ctx)
{
	create_record(ctx, ctx, ctx->family, ctx->protocol, NULL);
	return 1;	/* never deny: sockwatch only observes */
}

/*
 * inet_create() ends with the cgroup hook for sockets made by a process
 * (kern == 0): after it returned 0, the socket is what that hook saw.
 */
static __always_inline void create_fexit(void *ctx, const struct net *net,
					 struct socket *sock, int kern, int ret)
{
	struct sock *sk;

	if (ret || kern)
		return;
	sk = sock->sk;
	if (!sk)
		return;
	create_record(ctx, sk, sk->__sk_common.skc_family, sk->sk_protocol, net);
}

SEC("fexit/inet_create")
int BPF_PROG(sw_inet_create, struct net *net, struct socket *sock, int protocol,
	     int kern, int ret)
{
	create_fexit(ctx, net, sock, kern, ret);
	return 0;
}

SEC("fexit/inet6_create")
int BPF_PROG(sw_inet6_create, struct net *net, struct socket *sock, int protocol,
	     int kern, int ret)
{
	create_fexit(ctx, net, sock, kern, ret);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Socket creation. cgroup/sock_create runs in the creating task's context
 * for every socket(2) in the cgroup subtree (attached at the v2 root: all
 * of them), so this is where the owner and the birth time are recorded.
 *
 * In the record alone for UDP, whose every hook runs in the owner's
 * context, and for TCP in the agent's owned_only mode, whose table keeps
 * the owner by socket cookie (only a listener gets storage there, at
 * listen(2), for its children to inherit). trace keeps them in the TCP
 * socket's storage too: it reports later transitions, in softirq, of
 * sockets whose owner already let go. Storage costs an allocation and a
 * deferred free per socket, more than the rest of the program.
 */
#include "sockwatch.bpf.h"

SEC("cgroup/sock_create")
int sw_sock_create(struct bpf_sock *ctx)
{
	struct sw_sk_info *info;
	struct sw_event *e;
	__u8 family = ctx->family;
	__u8 proto = ctx->protocol;

	if (!proto_wanted(family, proto))
		return 1;
	/* owner_at_create: the state program cannot name the owner at
	 * listen(2) (sock_ops, on 5.10): storage from birth, as trace's */
	if (proto == IPPROTO_UDP || (owned_only && !owner_at_create)) {
		if (!pid_wanted(bpf_get_current_pid_tgid() >> 32))
			return 1;
		e = event_begin(SW_EV_CREATE, NULL, family, proto,
				bpf_get_socket_cookie(ctx));
		if (!e)
			return 1;
		event_owner_current(e);
		e->birth_ns = e->ts_ns;
		e->flags |= SW_F_BIRTH_KNOWN;
		event_submit(e);
		return 1;
	}
	info = bpf_sk_storage_get(&sk_info, ctx, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (!info)
		return 1;
	info->birth_ns = bpf_ktime_get_ns();
	info->flags = SW_F_BIRTH_KNOWN;
	owner_from_current(info);
	if (!pid_wanted(info->pid))
		return 1;

	e = event_begin(SW_EV_CREATE, info, family, proto,
			bpf_get_socket_cookie(ctx));
	if (e)
		event_submit(e);
	return 1;	/* never deny: sockwatch only observes */
}

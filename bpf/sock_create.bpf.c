// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Socket creation. cgroup/sock_create runs in the creating task's context
 * for every socket(2) in the cgroup subtree (attached at the v2 root: all
 * of them), so this is where the owner and the birth time are recorded:
 * in the socket's storage for TCP, whose state changes run in softirq and
 * need them later; in the record alone for UDP, whose every hook runs in
 * the owner's context.
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
	if (proto == IPPROTO_UDP) {
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

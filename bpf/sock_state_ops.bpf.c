// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP state changes from a sock_ops program: the fallback for kernels
 * whose tracing programs cannot reach socket storage (before 5.11, e.g.
 * Debian 11's 5.10). There a sock_ops program can: 5.10 gives it
 * bpf_sock_ops.sk and bpf_sk_storage_get, and it can take a socket's
 * cookie, which a tracing program can only from 5.12 on (so on 5.10 the
 * child of a listener gets its cookie here).
 *
 * sock_ops reports transitions (BPF_SOCK_OPS_STATE_CB) only for sockets
 * that asked for them, so each socket asks at the first callback it gets:
 * listen(2) (TCP_LISTEN_CB), connect(2) (TCP_CONNECT_CB), and, for the
 * child of a listener, PASSIVE_ESTABLISHED_CB, which runs just before its
 * SYN_RECV -> ESTABLISHED transition. The transitions made before the ask
 * (CLOSE -> LISTEN, CLOSE -> SYN_SENT, LISTEN -> SYN_RECV) are reported
 * from those callbacks, so the records are those of the tp_btf program.
 *
 * What it cannot see: transitions of TCP connections that were already
 * established when sockwatch started (no callback comes to ask for them;
 * the agent's reconciliation with sock_diag still finds them), and the
 * network namespace (no sock_ops field has it; the create record does).
 */
#include "sock_state.h"

static __always_inline void endpoints_ops(struct sw_event *e,
					  const struct bpf_sock_ops *ops)
{
	e->family = ops->family;
	e->proto = IPPROTO_TCP;
	e->lport = ops->local_port;
	/* sock_ops keeps the network-order port in the upper half */
	e->rport = bpf_ntohl(ops->remote_port);
	if (e->family == AF_INET) {
		*(__u32 *)e->laddr = ops->local_ip4;
		*(__u32 *)e->raddr = ops->remote_ip4;
	} else {
		__u32 *l = (__u32 *)e->laddr, *r = (__u32 *)e->raddr;

		l[0] = ops->local_ip6[0];
		l[1] = ops->local_ip6[1];
		l[2] = ops->local_ip6[2];
		l[3] = ops->local_ip6[3];
		r[0] = ops->remote_ip6[0];
		r[1] = ops->remote_ip6[1];
		r[2] = ops->remote_ip6[2];
		r[3] = ops->remote_ip6[3];
	}
	e->rx_bytes = ops->bytes_received;
	e->tx_bytes = ops->bytes_acked;
	e->flags |= SW_F_BYTES;
}

static __always_inline void report(struct bpf_sock_ops *ops, int oldstate,
				   int newstate)
{
	struct bpf_sock *sk = ops->sk;
	struct sw_sk_info *info;
	struct sw_event buf, *e;
	__u64 cookie;

	if (!sk || !proto_wanted(ops->family, IPPROTO_TCP))
		return;
	if (owned_only && !owned_state_kept(newstate))
		return;
	/*
	 * Storage for every TCP socket, also in owned_only mode (where the
	 * tp_btf program makes it only for listeners): sock_ops cannot see
	 * whether close(2) orphaned a socket, so the release program's flag
	 * in storage is how the agent's mode knows the owner let go.
	 */
	info = bpf_sk_storage_get(&sk_info, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (owned_only && info && (info->flags & SW_F_RELEASED))
		return;
	cookie = bpf_get_socket_cookie(ops);
	if (info)
		state_track(info, oldstate);
	if (!state_reported(info, oldstate, newstate))
		return;

	e = state_event(&buf, info, false, cookie, oldstate, newstate);
	if (!e)
		return;
	endpoints_ops(e, ops);
	event_submit(ops, e);
}

/* From now on, call this program at each of the socket's transitions. */
static __always_inline void ask_transitions(struct bpf_sock_ops *ops)
{
	__u32 f = ops->bpf_sock_ops_cb_flags;

	if (!(f & BPF_SOCK_OPS_STATE_CB_FLAG))
		bpf_sock_ops_cb_flags_set(ops, f | BPF_SOCK_OPS_STATE_CB_FLAG);
}

SEC("sockops")
int sw_state_ops(struct bpf_sock_ops *ops)
{
	switch (ops->op) {
	case BPF_SOCK_OPS_TCP_LISTEN_CB:
		ask_transitions(ops);
		report(ops, TCP_CLOSE, TCP_LISTEN);
		break;
	case BPF_SOCK_OPS_TCP_CONNECT_CB:
		ask_transitions(ops);
		report(ops, TCP_CLOSE, TCP_SYN_SENT);
		break;
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		/* the child came to be in SYN_RECV without a callback */
		ask_transitions(ops);
		report(ops, TCP_LISTEN, TCP_SYN_RECV);
		break;
	case BPF_SOCK_OPS_STATE_CB:
		report(ops, ops->args[0], ops->args[1]);
		break;
	}
	return 1;
}

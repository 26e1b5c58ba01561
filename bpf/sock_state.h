/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What both TCP state programs share: the tp_btf one (sock_state.bpf.c,
 * Linux 5.11+, where tracing programs reach socket storage) and the
 * sock_ops one (sock_state_ops.bpf.c, for 5.10). They see the same
 * transitions and keep the same per-socket facts, so the records match.
 */
#ifndef SW_SOCK_STATE_H
#define SW_SOCK_STATE_H

#include "sockwatch.bpf.h"

/*
 * In owned_only mode: SYN_SENT follows from connect, SYN_RECV is a child
 * nobody owns yet, FIN_WAIT and LAST_ACK come after the owner let go.
 * What is left: ESTABLISHED, CLOSE_WAIT (the leak), LISTEN, and a CLOSE
 * of a socket still owned (a reset or a failed connect).
 */
static __always_inline bool owned_state_kept(int newstate)
{
	return newstate == TCP_ESTABLISHED || newstate == TCP_CLOSE_WAIT ||
	       newstate == TCP_LISTEN || newstate == TCP_CLOSE;
}

/*
 * In owned_only mode an accepted socket is reported once it is
 * established in the accept queue (@child: one the tp_btf program found
 * without storage), and the agent's table gives it its listener's owner;
 * trace reports the accept(2) itself (sock_accept.bpf.c).
 */
static __always_inline __u8 event_kind(const struct sw_sk_info *info, bool child,
				       int oldstate, int newstate)
{
	if (newstate == TCP_LISTEN)
		return SW_EV_LISTEN;
	if (owned_only && (child || (info && (info->flags & SW_F_ACCEPTED))) &&
	    oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		return SW_EV_ACCEPT;
	return SW_EV_STATE;
}

/*
 * Keep the socket's facts up to date with a transition: the child of a
 * listener leaving SYN_RECV, the birth time of a socket born in softirq.
 */
static __always_inline void state_track(struct sw_sk_info *info, int oldstate)
{
	/* leaving SYN_RECV: the child of a listener, owned by accept(2)'s caller */
	if (oldstate == TCP_SYN_RECV && !(info->flags & SW_F_ACCEPTED))
		info->flags = (info->flags & SW_F_OWNER_KNOWN) | SW_F_ACCEPTED;
	if (!info->birth_ns) {
		info->birth_ns = bpf_ktime_get_ns();
		info->flags |= SW_F_BIRTH_KNOWN;
	}
}

/* Whether a transition, its facts updated, makes a record. */
static __always_inline bool state_reported(const struct sw_sk_info *info,
					   int oldstate, int newstate)
{
	/* an owner the storage does not know, the table may: let it decide */
	if (info && (info->flags & SW_F_OWNER_KNOWN) && !pid_wanted(info->pid))
		return false;
	/* tcp_close() may re-enter the state shutdown() set: not a change */
	return oldstate != newstate;
}

/*
 * A transition's record, with the owner, the cookie and the states; a
 * @child without storage is born now, and accepted.
 */
static __always_inline struct sw_event *state_event(struct sw_event *buf,
						    const struct sw_sk_info *info, bool child,
						    __u64 cookie, int oldstate,
						    int newstate)
{
	struct sw_event *e = event_reserve(buf, event_kind(info, child, oldstate, newstate));

	if (!e)
		return NULL;
	event_owner(e, info);
	if (e->kind == SW_EV_ACCEPT && !info) {
		e->birth_ns = e->ts_ns;
		e->flags |= SW_F_ACCEPTED | SW_F_BIRTH_KNOWN;
	}
	e->sock = cookie;
	e->old_state = oldstate;
	e->new_state = newstate;
	return e;
}

#endif /* SW_SOCK_STATE_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What every sockwatch kernel program shares: the maps (defined once, in
 * maps.bpf.c, and declared extern everywhere else so that the linked object
 * has a single ring buffer and a single socket storage), the load-time
 * filter, and the helpers that fill an event from a socket.
 */
#ifndef SOCKWATCH_BPF_H
#define SOCKWATCH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "sockwatch_abi.h"

#define AF_INET		2
#define AF_INET6	10
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#ifndef IPPROTO_TCP
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#endif

#ifdef SW_DEFINE_MAPS
#define SW_EXTERN
#else
#define SW_EXTERN extern
#endif

SW_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);	/* resized by the loader */
} events SEC(".maps");

/*
 * A ring per CPU, when cpu_rings_on is set: cpu_rings[cpu] is that CPU's
 * ring, made and put there by the loader (the template below only gives
 * the type). One ring shared by all CPUs is a lock and a few cache lines
 * every CPU writes for every record: with both CPUs busy a record costs
 * about twice what it costs on a ring of its own.
 */
struct sw_cpu_ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
};

SW_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);		/* resized by the loader: one per CPU */
	__type(key, __u32);
	__array(values, struct sw_cpu_ring);
} cpu_rings SEC(".maps");

/* Where each CPU's producer stood at its last forced wake-up. */
SW_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} wakeup_pos SEC(".maps");

/* The same records through a perf buffer, when perf_output is set. */
SW_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

SW_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SW_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

SW_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sw_sk_info);
} sk_info SEC(".maps");

/* Set by the loader before load; see struct sw_filter. */
SW_EXTERN const volatile struct sw_filter filter;
/*
 * The agent's mode: only what a table of sockets owned by processes
 * needs. Handshake and teardown transitions, and anything after the
 * owner released the socket, stay in the kernel. trace sees everything.
 */
SW_EXTERN const volatile bool owned_only;

/*
 * Records go through the perf buffer (perf_events), not a ring buffer.
 * A perf buffer is per CPU and takes no lock, but its output path does
 * more per record than a ring's: on the machine of README's Performance
 * section it costs less than the shared ring and more than a ring per
 * CPU. The reader merges the CPUs' records back into time order.
 */
SW_EXTERN const volatile bool perf_output;
/* Records go to this CPU's ring in cpu_rings, not to the shared one. */
SW_EXTERN const volatile bool cpu_rings_on;
/* Wake the reader only once this much data waits (batched wake-ups). */
SW_EXTERN const volatile __u64 wakeup_bytes;
/* Process-context programs may call bpf_get_current_task_btf: cleared by
 * the attach plan where this kernel refuses it (user/kernel/attach_plan.c). */
SW_EXTERN const volatile bool task_btf;
/* Set by the attach plan when TCP sockets need storage with their owner
 * from socket(2) on, also in owned_only mode (see sock_create.bpf.c). */
SW_EXTERN const volatile bool owner_at_create;

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

static __always_inline bool proto_wanted(__u8 family, __u8 proto)
{
	if (family != AF_INET && family != AF_INET6)
		return false;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return false;
	if (filter.family && filter.family != family)
		return false;
	if (filter.proto && filter.proto != proto)
		return false;
	return true;
}

static __always_inline bool pid_wanted(__u32 pid)
{
	return !filter.tgid || filter.tgid == pid;
}

/*
 * The ring of the running CPU, or the shared one. Programs run with
 * migration off, so reserve and submit see the same CPU, and a CPU's
 * ring is written by that CPU only (a softirq program may nest in a
 * process-context one: the ring's own lock orders them, uncontended).
 */
static __always_inline void *event_ring(void)
{
	__u32 cpu;

	if (!cpu_rings_on)
		return &events;
	cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&cpu_rings, &cpu);
}

/*
 * A zeroed record: in the ring (a drop is counted when it is full), or,
 * with perf_output, in @buf, the program's stack, copied out at submit.
 */
static __always_inline struct sw_event *event_reserve(struct sw_event *buf, __u8 kind)
{
	struct sw_event *e = buf;
	void *ring;

	if (!perf_output) {
		ring = event_ring();
		e = ring ? bpf_ringbuf_reserve(ring, sizeof(*e), 0) : NULL;
		if (!e) {
			count(SW_CNT_DROPS);
			return NULL;
		}
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->version = SW_ABI_VERSION;
	e->kind = kind;
	e->ts_ns = bpf_ktime_get_ns();
	return e;
}

/*
 * Submit without waking the reader unless enough has piled up: a wake-up
 * per event costs the traced workload more than the program itself. And
 * once it has piled up, wake it once per eighth of the threshold, not per
 * record: a wake-up is an irq_work, a self-IPI, which in a virtual
 * machine is an exit to the hypervisor (about a microsecond), and when
 * every CPU is busy the reader runs late, so the ring stays above the
 * threshold for thousands of records in a row.
 */
static __always_inline void event_submit(void *ctx, struct sw_event *e)
{
	__u64 flags = BPF_RB_NO_WAKEUP, pos, *last;
	__u32 zero = 0;
	void *ring;

	/* the perf buffer wakes the reader at its watermark (the loader's) */
	if (perf_output) {
		if (bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, e, sizeof(*e)))
			count(SW_CNT_DROPS);
		else
			count(SW_CNT_EVENTS);
		return;
	}
	ring = event_ring();
	if (ring && bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) >= wakeup_bytes &&
	    (last = bpf_map_lookup_elem(&wakeup_pos, &zero))) {
		pos = bpf_ringbuf_query(ring, BPF_RB_PROD_POS);
		if (pos - *last >= wakeup_bytes / 8) {
			*last = pos;
			flags = BPF_RB_FORCE_WAKEUP;
		}
	}
	count(SW_CNT_EVENTS);
	bpf_ringbuf_submit(e, flags);
}

/* Network namespace of the current task (process-context programs whose
 * context does not expose the socket's). */
static __always_inline __u32 current_netns(void)
{
	struct task_struct *t;

	/* a trusted pointer: plain loads, not three bpf_probe_read calls;
	 * where the helper is missing (5.10) or not allowed to this program
	 * type, the loader clears task_btf and the verifier drops this */
	if (task_btf && bpf_core_enum_value_exists(enum bpf_func_id,
						   BPF_FUNC_get_current_task_btf)) {
		t = bpf_get_current_task_btf();
		return t->nsproxy->net_ns->ns.inum;
	}
	t = (struct task_struct *)bpf_get_current_task();
	return BPF_CORE_READ(t, nsproxy, net_ns, ns.inum);
}

/* Owner = the current task; only valid in process context. */
static __always_inline void owner_from_current(struct sw_sk_info *info)
{
	__u64 id = bpf_get_current_pid_tgid();

	info->pid = id >> 32;
	info->tid = (__u32)id;
	info->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(info->comm, sizeof(info->comm));
	info->flags |= SW_F_OWNER_KNOWN;
}

/*
 * Owner of a record made in process context: the current task. bind(2),
 * connect(2), and every hook of a UDP socket run in the context of the
 * process that owns the socket, so they need no socket storage (whose
 * allocation and freeing cost more than the rest of the program).
 * The record carries no birth time: the table has it from the create.
 */
static __always_inline void event_owner_current(struct sw_event *e)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->flags |= SW_F_OWNER_KNOWN;
}

static __always_inline void event_owner(struct sw_event *e,
					const struct sw_sk_info *info)
{
	if (!info)
		return;
	e->pid = info->pid;
	e->tid = info->tid;
	e->cgroup_id = info->cgroup_id;
	e->birth_ns = info->birth_ns;
	e->flags |= info->flags & (SW_F_OWNER_KNOWN | SW_F_BIRTH_KNOWN | SW_F_ACCEPTED);
	__builtin_memcpy(e->comm, info->comm, sizeof(e->comm));
}

/* Endpoints, family, protocol and netns of a struct sock (CO-RE reads). */
static __always_inline void event_endpoints(struct sw_event *e,
					    const struct sock *sk)
{
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->proto = BPF_CORE_READ(sk, sk_protocol);
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	if (e->family == AF_INET) {
		*(__u32 *)e->laddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		*(__u32 *)e->raddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO((struct in6_addr *)e->laddr, sk,
				   __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)e->raddr, sk,
				   __sk_common.skc_v6_daddr);
	}
}

/*
 * A record that names its socket and nothing else about it, which every
 * record begins as: alone, the agent's (owned_only) bind, connect and
 * close of a socket without storage. Its
 * table learnt the owner, birth and namespace of every socket it keeps
 * from the create record (or the snapshot at start) and fills them into
 * later records (sw_event_complete). Saying who the owner is took about
 * a third of a record's cost (comm, cgroup, pid, the task's namespace),
 * paid again on each of a socket's records.
 */
static __always_inline struct sw_event *event_begin_bare(struct sw_event *buf, __u8 kind,
							 __u8 family, __u8 proto,
							 __u64 cookie)
{
	struct sw_event *e = event_reserve(buf, kind);

	if (!e)
		return NULL;
	e->family = family;
	e->proto = proto;
	e->sock = cookie;
	return e;
}

/*
 * A record about a socket, made in its owner's context (the cgroup hooks,
 * and their fentry/fexit twins): owner from the storage, namespace from
 * net where the hook has it (an fentry argument), else from the current
 * task. Always inlined: with net a constant NULL the branch is gone.
 */
static __always_inline struct sw_event *event_begin_net(struct sw_event *buf, __u8 kind,
							const struct sw_sk_info *info,
							__u8 family, __u8 proto,
							__u64 cookie,
							const struct net *net)
{
	struct sw_event *e = event_begin_bare(buf, kind, family, proto, cookie);

	if (!e)
		return NULL;
	event_owner(e, info);
	e->netns = net ? net->ns.inum : current_netns();
	return e;
}




/*
 * The record of a call the socket's owner makes (bind(2), connect(2)):
 * the owner is the current task, no storage needed; in owned_only mode
 * a bare record (above). sk is what the helpers take (a cgroup hook's
 * context or a struct sock). NULL when the socket or the process is
 * filtered out, or the ring is full; buf as for event_reserve.
 */
static __always_inline struct sw_event *event_begin_call(struct sw_event *buf, __u8 kind,
							 void *sk, __u8 family, __u8 proto,
							 const struct net *net)
{
	struct sw_event *e;
	__u64 cookie;

	if (!proto_wanted(family, proto))
		return NULL;
	if (!pid_wanted(bpf_get_current_pid_tgid() >> 32))
		return NULL;
	cookie = bpf_get_socket_cookie(sk);
	if (owned_only)
		return event_begin_bare(buf, kind, family, proto, cookie);
	e = event_begin_net(buf, kind, NULL, family, proto, cookie, net);
	if (!e)
		return NULL;
	event_owner_current(e);
	return e;
}

/* The network namespace of a socket, through its BTF-typed pointer. */
static __always_inline const struct net *sk_net(const struct sock *sk)
{
	return sk->__sk_common.skc_net.net;
}

/* TCP byte counters, read from a plain kernel address (see sw_sk_info). */
static __always_inline void event_bytes(struct sw_event *e, __u64 skaddr)
{
	struct tcp_sock *tp = (struct tcp_sock *)skaddr;

	if (!skaddr || e->proto != IPPROTO_TCP)
		return;
	e->rx_bytes = BPF_CORE_READ(tp, bytes_received);
	e->tx_bytes = BPF_CORE_READ(tp, bytes_acked);
	e->flags |= SW_F_BYTES;
}

#endif /* SOCKWATCH_BPF_H */

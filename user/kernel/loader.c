// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lib/vec.h"
#include "table/decode.h"
#include "kernel/loader.h"
/* after loader.h: the skeleton names struct sw_filter from the ABI header */
#include "sockwatch.skel.h"

#define DEFAULT_RING	(1U << 20)
#define LOG_LINES	12
#define SW_MAX_LINKS	16
/*
 * How long a record read from one CPU's buffer waits for older ones
 * another CPU may not have written yet: the programs take their time
 * stamp a few microseconds before the copy, and a preempted one longer.
 */
#define REORDER_NS	(20ULL * 1000 * 1000)

/*
 * One CPU's records (from its ring or its perf buffer) read and not yet
 * handed on: data[head..len) of a struct sw_vec of struct sw_event, in
 * the order that CPU wrote them, which is their time order but for a
 * program interrupted between taking its time stamp and writing
 * (microseconds apart). l and cpu: whose, for the ring's callback.
 */
struct cpu_queue {
	struct sw_vec q;
	size_t head;
	struct sw_loader *l;
	int cpu;
	int ring_fd;		/* this CPU's ring, in cpu_rings; or -1 */
};

struct sw_loader {
	struct sockwatch_bpf *skel;
	struct ring_buffer *rb;		/* a ring per CPU, or the shared one */
	struct perf_buffer *pb;		/* or a perf buffer per CPU */
	/*
	 * Records of a ring or perf buffer per CPU, read and not yet handed
	 * on, a queue per CPU, merged by time stamp: a socket's records can
	 * come from two CPUs (its owner's calls, the softirq of its state
	 * changes), and the table needs them in order. NULL with the shared
	 * ring, which has them in order.
	 */
	struct cpu_queue *cpu;
	int ncpu;
	size_t cpu_ring_bytes;		/* each CPU's ring; 0: none */
	int ring_template_fd;		/* cpu_rings' inner map: see set_options */
	const struct sw_loader_opts *opts;	/* while loading */
	struct bpf_link *links[SW_MAX_LINKS];
	int nlinks;
	int cgroup_fd;
	unsigned poll_ms;
	sw_event_fn fn;
	void *ctx;
	__u64 bad;
	struct sw_attach_plan plan;
};

/*
 * libbpf's messages: kept (the last LOG_LINES) rather than printed, so a
 * verifier rejection can be shown as its final lines under one error.
 */
static bool log_verbose;
static char log_ring[LOG_LINES][256];
static int log_next;

static int log_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* static: a verifier log arrives as one message of many kilobytes */
	static char line[1 << 17];
	char *p, *save = NULL;

	if (log_verbose)
		return vfprintf(stderr, fmt, ap);
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	for (p = strtok_r(line, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		snprintf(log_ring[log_next % LOG_LINES], sizeof(log_ring[0]), "%s", p);
		log_next++;
	}
	return 0;
}

static void log_dump(void)
{
	int i = log_next > LOG_LINES ? log_next - LOG_LINES : 0;

	for (; i < log_next; i++)
		fprintf(stderr, "  | %s\n", log_ring[i % LOG_LINES]);
}

int sw_check_privileges(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "sockwatch: must run as root (loading BPF programs needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)\n");
		return -EPERM;
	}
	return 0;
}

static int ensure_mount(const char *dir, const char *type, long magic)
{
	struct statfs st;

	if (!statfs(dir, &st) && st.f_type == magic)
		return 0;
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY) {
		fprintf(stderr, "sockwatch: %s is not mounted at %s and mounting it failed: %s\n",
			type, dir, strerror(errno));
		return -errno;
	}
	return 0;
}

int sw_ensure_fs(void)
{
	int err;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "sockwatch: this kernel has no BTF (/sys/kernel/btf/vmlinux missing): CONFIG_DEBUG_INFO_BTF=y is required for CO-RE programs\n");
		return -ENOENT;
	}
	err = ensure_mount("/sys/fs/bpf", "bpf", BPF_FS_MAGIC);
	if (err)
		return err;
	return ensure_mount("/sys/kernel/tracing", "tracefs", TRACEFS_MAGIC);
}

/* A record @cpu wrote, decoded and queued until it is old enough to hand
 * on (pending_deliver); a malformed one is counted. */
static void queue_record(struct sw_loader *l, int cpu, const void *data, size_t size)
{
	struct sw_event *e;
	const char *why;

	e = cpu >= 0 && cpu < l->ncpu ? sw_vec_push(&l->cpu[cpu].q) : NULL;
	if (!e || sw_decode(data, size, e, &why)) {
		if (e)
			l->cpu[cpu].q.len--;
		l->bad++;
	}
}

/*
 * A record of a CPU's perf buffer. PERF_RECORD_LOST is not counted: the
 * programs counted each record that did not fit (SW_CNT_DROPS).
 */
static enum bpf_perf_event_ret on_perf_record(void *ctx, int cpu,
					      struct perf_event_header *h)
{
	struct sample {
		struct perf_event_header h;
		__u32 size;
		char data[];
	} *s = (struct sample *)h;
	struct sw_loader *l = ctx;

	if (h->type != PERF_RECORD_SAMPLE)
		return LIBBPF_PERF_EVENT_CONT;
	queue_record(l, cpu, s->data, s->size);
	return LIBBPF_PERF_EVENT_CONT;
}

/* A record of a CPU's ring: queued as a perf-buffer record is. */
static int on_cpu_ring_record(void *ctx, void *data, size_t size)
{
	struct cpu_queue *cq = ctx;

	queue_record(cq->l, cq->cpu, data, size);
	return 0;
}

/* The CPU whose next record is the oldest made before @horizon, or -1. */
static int oldest_cpu(const struct sw_loader *l, __u64 horizon)
{
	const struct sw_event *e;
	__u64 best = horizon;
	int c, found = -1;

	for (c = 0; c < l->ncpu; c++) {
		if (l->cpu[c].head == l->cpu[c].q.len)
			continue;
		e = sw_vec_at(&l->cpu[c].q, l->cpu[c].head);
		if (e->ts_ns <= best) {
			best = e->ts_ns;
			found = c;
		}
	}
	return found;
}

/*
 * Hand on, in time order, the queued records made before @horizon; the
 * rest wait for the next drain. Returns how many were handed on, or the
 * callback's non-zero return (the others stay queued).
 */
static int pending_deliver(struct sw_loader *l, __u64 horizon)
{
	struct cpu_queue *cq;
	int c, n = 0, ret = 0;

	while ((c = oldest_cpu(l, horizon)) >= 0) {
		cq = &l->cpu[c];
		n++;
		ret = l->fn(l->ctx, sw_vec_at(&cq->q, cq->head++));
		if (ret)
			break;
	}
	/*
	 * Drop what was handed on once it is half of a queue: a queue holds
	 * the last 20 ms of a busy CPU's records, and moving them forward on
	 * every drain cost more than reading them.
	 */
	for (c = 0; c < l->ncpu; c++) {
		cq = &l->cpu[c];
		if (!cq->head || cq->head < cq->q.len - cq->head)
			continue;
		memmove(cq->q.data, sw_vec_at(&cq->q, cq->head),
			(cq->q.len - cq->head) * cq->q.size);
		cq->q.len -= cq->head;
		cq->head = 0;
	}
	return ret ? ret : n;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct sw_loader *l = ctx;
	struct sw_event e;
	const char *why;

	if (sw_decode(data, size, &e, &why)) {
		l->bad++;
		return 0;
	}
	return l->fn(l->ctx, &e);
}

static int add_link(struct sw_loader *l, struct bpf_link *link, const char *name)
{
	long err = libbpf_get_error(link);

	if (err) {
		fprintf(stderr, "sockwatch: attaching %s failed: %s\n", name,
			strerror((int)-err));
		return (int)err;
	}
	l->links[l->nlinks++] = link;
	return 0;
}

static bool cgroup_prog(const struct bpf_program *prog)
{
	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_SOCK_OPS:
		return true;
	default:
		return false;
	}
}

/*
 * Attach what the plan loaded, event by event: state changes and accept
 * first, so that a socket created once the create program is in misses
 * none of its first transitions; close before create, so that no socket
 * gets a create record and no close.
 */
static int attach_all(struct sw_loader *l)
{
	static const int order[] = {
		SW_HOOK_STATE, SW_HOOK_ACCEPT, SW_HOOK_CLOSE,
		SW_HOOK_CONNECT, SW_HOOK_BIND, SW_HOOK_CREATE,
	};
	const char *const *names;
	struct bpf_program *prog;
	size_t i;
	int err;

	l->cgroup_fd = open(l->plan.cgroup_path, O_RDONLY | O_DIRECTORY);
	if (l->cgroup_fd < 0) {
		fprintf(stderr, "sockwatch: cannot open cgroup v2 root %s: %s\n",
			l->plan.cgroup_path, strerror(errno));
		return -errno;
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		for (names = sw_plan_progs(&l->plan, order[i]); names && *names; names++) {
			prog = bpf_object__find_program_by_name(l->skel->obj, *names);
			if (!prog)
				return -ENOENT;
			if (l->nlinks == SW_MAX_LINKS)
				return -E2BIG;
			err = add_link(l, cgroup_prog(prog) ?
					  bpf_program__attach_cgroup(prog, l->cgroup_fd) :
					  bpf_program__attach(prog), *names);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Settings of a freshly opened object (sw_plan_setup_fn). The agent
 * (owned_only) takes accepted sockets' owner from the listener: the state
 * program reports each child, the agent's table names its listener's
 * owner (sock_table.c), and no accept program runs. A syscall tracepoint, once enabled, sends every system call of
 * every process through the slow tracing path: on loopback connection
 * churn that alone cost 13 %. trace keeps an accept program, to report
 * accept(2) itself, also for pre-fork servers whose workers accept from a
 * listener their parent opened.
 */
static int set_options(struct sockwatch_bpf *s, void *ctx)
{
	struct sw_loader *l = ctx;
	const struct sw_loader_opts *o = l->opts;
	size_t ring = o->ring_bytes ? o->ring_bytes : DEFAULT_RING;
	bool shared = o->buffer == SW_BUF_SHARED_RING;
	int err;

	s->rodata->filter = o->filter;
	s->rodata->owned_only = o->owned_only;
	s->rodata->perf_output = o->buffer == SW_BUF_PERF;
	s->rodata->cpu_rings_on = l->cpu_ring_bytes;
	/* Wake the reader at a quarter full: far from drops, yet rare. */
	s->rodata->wakeup_bytes = (l->cpu_ring_bytes ? l->cpu_ring_bytes : ring) / 4;
	/* rings not written: the smallest ones */
	err = bpf_map__set_max_entries(s->maps.events,
				       shared ? ring : (size_t)getpagesize());
	if (!err && l->cpu_ring_bytes)
		err = bpf_map__set_max_entries(s->maps.cpu_rings, l->ncpu);
	/* what the outer map holds: CPU 0's ring, or a page-sized one */
	if (!err)
		err = bpf_map__set_inner_map_fd(s->maps.cpu_rings, l->ring_template_fd);
	return err;
}

static int ring_open(struct sw_loader *l)
{
	l->rb = ring_buffer__new(bpf_map__fd(l->skel->maps.events), on_sample, l, NULL);
	if (!l->rb) {
		fprintf(stderr, "sockwatch: ring buffer setup failed: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* A queue per CPU, for the records of a buffer per CPU. */
static int cpu_queues_init(struct sw_loader *l)
{
	int c, ncpu = libbpf_num_possible_cpus();

	if (ncpu <= 0) {
		fprintf(stderr, "sockwatch: cannot count the possible CPUs: %s\n",
			strerror(-ncpu));
		return -1;
	}
	l->cpu = calloc(ncpu, sizeof(*l->cpu));
	if (!l->cpu)
		return -1;
	for (c = 0; c < ncpu; c++) {
		l->cpu[c].q = SW_VEC_INIT(struct sw_event);
		l->cpu[c].l = l;
		l->cpu[c].cpu = c;
		l->cpu[c].ring_fd = -1;
	}
	l->ncpu = ncpu;
	return 0;
}

/*
 * Each CPU's ring: an equal share of @ring, a power of two, at least a
 * page. The configured size holds for all CPUs together: a small one is
 * meant (test_agent_reconcile.sh overflows a page on purpose).
 */
static size_t cpu_ring_size(const struct sw_loader *l, size_t ring)
{
	size_t each = getpagesize();

	while (each * 2 * l->ncpu <= ring)
		each *= 2;
	return each;
}

/*
 * Each CPU's ring, made before the programs load: the first is the type
 * of cpu_rings' values. Without rings per CPU, a page-sized ring plays
 * that part (the map exists in every mode; the programs leave it alone).
 */
static int cpu_rings_make(struct sw_loader *l)
{
	int c, n = l->cpu_ring_bytes ? l->ncpu : 1;
	size_t size = l->cpu_ring_bytes ? l->cpu_ring_bytes : (size_t)getpagesize();
	int *fd;

	for (c = 0; c < n; c++) {
		fd = l->cpu_ring_bytes ? &l->cpu[c].ring_fd : &l->ring_template_fd;
		*fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "sw_cpu_ring", 0, 0, size, NULL);
		if (*fd < 0) {
			fprintf(stderr, "sockwatch: making the ring of CPU %d failed: %s\n", c,
				strerror(errno));
			return -1;
		}
	}
	if (l->cpu_ring_bytes) {
		l->ring_template_fd = dup(l->cpu[0].ring_fd);
		if (l->ring_template_fd < 0) {
			fprintf(stderr, "sockwatch: a second descriptor of CPU 0's ring: %s\n",
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Put each CPU's ring in cpu_rings, and read them all. */
static int cpu_rings_open(struct sw_loader *l)
{
	int outer = bpf_map__fd(l->skel->maps.cpu_rings);
	struct cpu_queue *cq;
	__u32 c;

	for (c = 0; c < (__u32)l->ncpu; c++) {
		cq = &l->cpu[c];
		if (bpf_map_update_elem(outer, &c, &cq->ring_fd, BPF_ANY))
			goto fail;
		if (!l->rb)
			l->rb = ring_buffer__new(cq->ring_fd, on_cpu_ring_record, cq, NULL);
		else if (ring_buffer__add(l->rb, cq->ring_fd, on_cpu_ring_record, cq))
			goto fail;
		if (!l->rb)
			goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "sockwatch: setting up the ring of CPU %u failed: %s\n", c,
		strerror(errno));
	return -1;
}

/*
 * A perf buffer per CPU, together as large as the ring would be, each a
 * power of two of pages. Like the ring, it wakes the reader once a quarter
 * of a CPU's buffer waits (libbpf's default is a wake-up per record); the
 * reader drains the rest every poll interval.
 */
static int perf_open(struct sw_loader *l, size_t ring)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.watermark = 1,
	};
	long page = getpagesize();
	size_t pages = 1;

	while (pages * 2 * page * l->ncpu <= ring)
		pages *= 2;
	attr.wakeup_watermark = pages * page / 4;
	l->pb = perf_buffer__new_raw(bpf_map__fd(l->skel->maps.perf_events), pages, &attr,
				     on_perf_record, l, NULL);
	if (!l->pb) {
		fprintf(stderr, "sockwatch: perf buffer setup failed: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

struct sw_loader *sw_loader_start(const struct sw_loader_opts *o,
				  sw_event_fn fn, void *ctx)
{
	size_t ring = o->ring_bytes ? o->ring_bytes : DEFAULT_RING;
	struct sw_loader_opts ring_opts;
	struct sw_loader *l;
	int err;

	if (sw_check_privileges() || sw_ensure_fs())
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->cgroup_fd = -1;
	l->ring_template_fd = -1;
	l->opts = o;
	l->fn = fn;
	l->ctx = ctx;
	l->poll_ms = o->poll_ms ? o->poll_ms : 100;
	log_verbose = o->verbose;
	libbpf_set_print(log_fn);

	if (ring < 4096 || (ring & (ring - 1))) {
		fprintf(stderr, "sockwatch: ring buffer size %zu is not a power of two of at least 4096 bytes\n",
			ring);
		goto fail;
	}
	if (o->buffer != SW_BUF_SHARED_RING && cpu_queues_init(l))
		goto fail;
	if (o->buffer == SW_BUF_RING)
		l->cpu_ring_bytes = cpu_ring_size(l, ring);
	if (cpu_rings_make(l))
		goto fail;
	sw_plan_init(&l->plan, o->owned_only);
	l->skel = sw_plan_load(&l->plan, set_options, l, &err);
	if (!l->skel && o->buffer != SW_BUF_SHARED_RING && l->plan.complete) {
		/* a kernel that keeps some program from a buffer per CPU */
		ring_opts = *o;
		ring_opts.buffer = SW_BUF_SHARED_RING;
		fprintf(stderr, "sockwatch: warning: the kernel rejected the programs with %s (%s): using one ring buffer for all CPUs\n",
			o->buffer == SW_BUF_PERF ? "a perf buffer" : "a ring per CPU", strerror(-err));
		o = l->opts = &ring_opts;
		l->cpu_ring_bytes = 0;
		sw_plan_init(&l->plan, o->owned_only);
		l->skel = sw_plan_load(&l->plan, set_options, l, &err);
	}
	if (!l->skel) {
		char why[512];

		if (!l->plan.complete) {
			sw_plan_missing(&l->plan, why, sizeof(why));
			fprintf(stderr, "sockwatch: %s\n", why);
		} else {
			fprintf(stderr, "sockwatch: the kernel rejected the BPF programs (%s); verifier's last lines:\n",
				strerror(-err));
			log_dump();
		}
		goto fail;
	}
	/*
	 * The buffer before the programs: a program that runs first finds
	 * no ring in cpu_rings, or no perf event for its CPU, and counts a
	 * drop (this was the start-up's only drops).
	 */
	if (o->buffer == SW_BUF_PERF ? perf_open(l, ring) :
	    l->cpu_ring_bytes ? cpu_rings_open(l) : ring_open(l))
		goto fail;
	if (attach_all(l))
		goto fail;
	l->opts = NULL;		/* the caller's, or ring_opts, gone after return */
	return l;
fail:
	sw_loader_stop(l);
	return NULL;
}

int sw_loader_poll(struct sw_loader *l)
{
	int n = l->pb ? perf_buffer__poll(l->pb, l->poll_ms) : ring_buffer__poll(l->rb, l->poll_ms);

	if (n < 0)
		return n;
	/* Records submitted without a wake-up are not signalled: take them. */
	return sw_loader_drain(l);
}

int sw_loader_wait(struct sw_loader *l, int timeout_ms)
{
	struct epoll_event ev;
	int fd = l->pb ? perf_buffer__epoll_fd(l->pb) : ring_buffer__epoll_fd(l->rb);
	int n = epoll_wait(fd, &ev, 1, timeout_ms);

	return n < 0 ? -errno : n;
}

static int drain_until(struct sw_loader *l, __u64 horizon)
{
	int err;

	if (!l->cpu_ring_bytes && !l->pb)
		return ring_buffer__consume(l->rb);
	err = l->pb ? perf_buffer__consume(l->pb) : ring_buffer__consume(l->rb);
	if (err < 0)
		return err;
	return pending_deliver(l, horizon);
}

int sw_loader_drain(struct sw_loader *l)
{
	return drain_until(l, sw_mono_now() - REORDER_NS);
}

int sw_loader_drain_all(struct sw_loader *l)
{
	return drain_until(l, UINT64_MAX);
}

void sw_loader_counters(struct sw_loader *l, __u64 *events, __u64 *drops)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 vals[ncpu > 0 ? ncpu : 1];
	__u32 key;
	int i;

	*events = *drops = 0;
	if (ncpu <= 0)
		return;
	key = SW_CNT_EVENTS;
	if (!bpf_map_lookup_elem(bpf_map__fd(l->skel->maps.counters), &key, vals))
		for (i = 0; i < ncpu; i++)
			*events += vals[i];
	key = SW_CNT_DROPS;
	if (!bpf_map_lookup_elem(bpf_map__fd(l->skel->maps.counters), &key, vals))
		for (i = 0; i < ncpu; i++)
			*drops += vals[i];
}

const char *sw_loader_buffer_name(const struct sw_loader *l)
{
	if (l->pb)
		return sw_event_buffer_name(SW_BUF_PERF);
	return sw_event_buffer_name(l->cpu_ring_bytes ? SW_BUF_RING : SW_BUF_SHARED_RING);
}

__u64 sw_loader_bad_records(const struct sw_loader *l)
{
	return l->bad;
}

const struct sw_attach_plan *sw_loader_plan(const struct sw_loader *l)
{
	return &l->plan;
}

void sw_loader_stop(struct sw_loader *l)
{
	int i;

	if (!l)
		return;
	ring_buffer__free(l->rb);
	perf_buffer__free(l->pb);
	for (i = 0; i < l->ncpu; i++) {
		sw_vec_free(&l->cpu[i].q);
		if (l->cpu[i].ring_fd >= 0)
			close(l->cpu[i].ring_fd);
	}
	free(l->cpu);
	for (i = l->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(l->links[i]);
	if (l->cgroup_fd >= 0)
		close(l->cgroup_fd);
	if (l->ring_template_fd >= 0)
		close(l->ring_template_fd);
	sockwatch_bpf__destroy(l->skel);
	free(l);
}

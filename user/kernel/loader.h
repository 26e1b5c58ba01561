/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Loading, attaching and detaching the kernel programs, and reading the
 * ring buffer. Every error is reported here as one line on stderr (and,
 * for a verifier rejection, the verifier's last lines), so callers only
 * check the return value.
 */
#ifndef SW_LOADER_H
#define SW_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sockwatch_abi.h"
#include "kernel/attach_plan.h"
#include "kernel/event_buffer.h"
#include "table/sock_table.h"

/* Called for each record; return non-zero to stop the current poll. */
typedef int (*sw_event_fn)(void *ctx, const struct sw_event *e);

struct sw_loader_opts {
	struct sw_filter filter;
	bool owned_only;	/* agent mode: see owned_only in bpf/ */
	enum sw_event_buffer buffer;
	size_t ring_bytes;	/* 0: default (1 MiB); power of two */
	unsigned poll_ms;	/* longest wait for batched records; 0: 100 */
	bool verbose;		/* print libbpf's messages */
};

struct sw_loader;

/* Probe, open, load, attach. NULL on failure, already reported. */
struct sw_loader *sw_loader_start(const struct sw_loader_opts *o,
				  sw_event_fn fn, void *ctx);
/* Wait up to the poll interval for records and hand each to fn. Returns
 * the number of records, or -errno (-EINTR when a signal interrupted). */
int sw_loader_poll(struct sw_loader *l);
/* Wait up to timeout_ms for the ring to signal, without reading it:
 * callers that lock around the reading wait outside the lock. */
int sw_loader_wait(struct sw_loader *l, int timeout_ms);
/* Drain what is in the ring now, without waiting. From a perf buffer,
 * records younger than the reordering window stay for the next drain. */
int sw_loader_drain(struct sw_loader *l);
/* The last drain, at exit: every record, also the youngest. */
int sw_loader_drain_all(struct sw_loader *l);
/* Ring-buffer drops and events submitted, summed over CPUs. */
void sw_loader_counters(struct sw_loader *l, __u64 *events, __u64 *drops);
/* "ring" (one per CPU), "shared-ring" or "perf": what the records come
 * through (a buffer per CPU falls back to the shared ring on a kernel that
 * refuses it). */
const char *sw_loader_buffer_name(const struct sw_loader *l);
/* Records the loader rejected as malformed. */
__u64 sw_loader_bad_records(const struct sw_loader *l);
const struct sw_attach_plan *sw_loader_plan(const struct sw_loader *l);
/* Detach everything and free. Safe with NULL. */
void sw_loader_stop(struct sw_loader *l);

/* Checks made before anything is loaded, each printing its own error. */
int sw_check_privileges(void);
int sw_ensure_fs(void);		/* BTF present; mount bpffs/tracefs if needed */

#endif /* SW_LOADER_H */

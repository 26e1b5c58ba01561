/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Workload identity: which service, container or pod a cgroup is.
 *
 * Two layers:
 *  - sw_workload_parse() is pure: from a cgroup v2 path it names the
 *    systemd unit, the container (id and runtime) and the Kubernetes pod
 *    (uid and QoS class), following the conventions of systemd, docker,
 *    containerd (CRI and plain), CRI-O, podman and the kubelet, for both
 *    the systemd and the cgroupfs cgroup drivers;
 *  - struct sw_workloads caches it by cgroup id (the cgroup directory's
 *    inode, what bpf_get_current_cgroup_id() returns): an unknown id is
 *    resolved to its path through open_by_handle_at() on the cgroup2
 *    mount, parsed, and completed with the names the runtime keeps on the
 *    node (container, pod, namespace), when it keeps them. Entries whose
 *    cgroup is gone are dropped by sw_workloads_prune(). The entries are
 *    in the one hash table of sockwatch (lib/hashmap.h).
 *
 * The cache does no locking: its owner (the agent's event loop, under the
 * agent's lock, or trace's single thread) serialises the calls.
 */
#ifndef SW_WORKLOAD_H
#define SW_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "lib/json_writer.h"

#define SW_WL_PATH_LEN	256
#define SW_WL_UNIT_LEN	128
#define SW_WL_ID_LEN	65	/* 64 hex digits */
#define SW_WL_UID_LEN	40	/* 36 of a UUID */
#define SW_WL_NAME_LEN	64

/*
 * One cgroup's identity. Every string is "" when not known. tally is
 * scratch space for callers that aggregate per workload (the metrics),
 * under the cache owner's serialisation.
 */
struct sw_workload {
	char cgroup[SW_WL_PATH_LEN];		/* "/system.slice/nginx.service" */
	char unit[SW_WL_UNIT_LEN];		/* system unit: "nginx.service" */
	char user_unit[SW_WL_UNIT_LEN];		/* inside user@UID.service */
	char container_id[SW_WL_ID_LEN];
	char runtime[16];			/* docker, containerd, cri-o, podman */
	char pod_uid[SW_WL_UID_LEN];		/* with dashes, as the API server */
	char qos_class[16];			/* guaranteed, burstable, besteffort */
	char container_name[SW_WL_NAME_LEN];	/* from runtime metadata */
	char pod_name[SW_WL_NAME_LEN];
	char namespace[SW_WL_NAME_LEN];
	__u64 tally[2];
};

/* Parse a cgroup v2 path ("/" for the root) into w, which it clears. */
void sw_workload_parse(const char *path, struct sw_workload *w);

/*
 * Fill container_name, pod_name and namespace (and a runtime the path did
 * not tell) from the runtime's files under host_root ("/" on the host,
 * where the host's / is mounted in a container). Returns 0 if metadata
 * was found, -1 if none (which is never an error).
 */
int sw_workload_read_meta(const char *host_root, struct sw_workload *w);

/* A short name for a text column: "containerd:0123456789ab",
 * "nginx.service", the cgroup path, or "-". */
void sw_workload_label(const struct sw_workload *w, char *buf, size_t len);

/* The identity as members of the JSON object being written (cgroup,
 * unit, user_unit, container_id, container_runtime, pod_uid, qos_class,
 * container_name, pod_name, namespace); each null when unknown, all null
 * when w is NULL. */
void sw_workload_json(struct sw_json *j, const struct sw_workload *w);

/* Filters (trace --unit/--container/--pod-uid, the API's unit=, ...).
 * An empty field matches anything. */
struct sw_workload_filter {
	char unit[SW_WL_UNIT_LEN];	/* unit or user unit, exact */
	char container[SW_WL_ID_LEN];	/* id prefix, or the name */
	char pod_uid[SW_WL_UID_LEN];	/* exact, '_' read as '-' */
};

bool sw_workload_filter_empty(const struct sw_workload_filter *f);
/* w NULL (unknown owner) matches only an empty filter. */
bool sw_workload_match(const struct sw_workload_filter *f,
		       const struct sw_workload *w);
/* Set one filter field from user input; -1 with err on a bad value. */
int sw_workload_filter_set(struct sw_workload_filter *f, const char *key,
			   const char *value, char *err, size_t errlen);

/* ---- the cache ---- */

struct sw_workloads;

/* cgroup_root: the cgroup v2 mount (the attach plan's). host_root: where
 * the runtimes' metadata is ("/" or NULL on the host). */
struct sw_workloads *sw_workloads_new(const char *cgroup_root,
				      const char *host_root);
void sw_workloads_free(struct sw_workloads *c);

/* The identity of cgroup id, resolved on first use; NULL when the id is
 * 0 or its cgroup cannot be found. The pointer is valid until the next
 * get, lookup or prune (entries live in a growable array). */
const struct sw_workload *sw_workloads_get(struct sw_workloads *c, __u64 id);
/* The cgroup id of a process (from /proc/PID/cgroup), 0 if unknown:
 * for sockets found in a snapshot, whose events never told it. */
__u64 sw_workloads_cgroup_of_pid(struct sw_workloads *c, __u32 pid);
/* By id, else by the owner's pid. */
const struct sw_workload *sw_workloads_lookup(struct sw_workloads *c,
					      __u64 id, __u32 pid);
/* Drop the entries whose cgroup is gone; returns how many. */
int sw_workloads_prune(struct sw_workloads *c);
size_t sw_workloads_count(const struct sw_workloads *c);
/* Iteration over the cached identities: *pos = 0 first, NULL at the end. */
struct sw_workload *sw_workloads_next(struct sw_workloads *c, size_t *pos);

#endif /* SW_WORKLOAD_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What each sockwatch BPF program costs, from the kernel's own accounting
 * (BPF_ENABLE_STATS): how often it ran and for how long in all. The kernel
 * counts only while statistics are on (kernel.bpf_stats_enabled, or an fd
 * from BPF_ENABLE_STATS held open), since counting costs two clock reads
 * per run; the agent turns them on with `[agent] self_stats = true`.
 */
#ifndef SW_PROG_STATS_H
#define SW_PROG_STATS_H

#include <stddef.h>
#include <linux/bpf.h>

/* One loaded program and its counters (zero while statistics are off). */
struct sw_prog_stat {
	__u32 id;
	char  name[BPF_OBJ_NAME_LEN];
	__u64 run_cnt;
	__u64 run_time_ns;
};

/* Turn statistics on for as long as the returned fd stays open; -errno. */
int sw_prog_stats_enable(void);

/* kernel.bpf_stats_enabled (1: on; 0 says nothing of BPF_ENABLE_STATS fds) */
int sw_prog_stats_on(void);

/*
 * sockwatch's programs (names "sw_*"): those this process holds
 * (sw_prog_stats_self) or every one loaded on the system
 * (sw_prog_stats_system), up to max, sorted by name then id.
 * Returns how many, or -errno.
 */
int sw_prog_stats_self(struct sw_prog_stat *out, size_t max);
int sw_prog_stats_system(struct sw_prog_stat *out, size_t max);

#endif /* SW_PROG_STATS_H */

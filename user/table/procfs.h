/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What /proc says about processes: who owns which socket inode, and small
 * per-process readers (comm, command line, start time, fd usage).
 *
 * The inode-to-owner map complements sockdiag, whose records carry a
 * socket inode but no process. Parsers take a buffer so that they can be
 * tested without a live /proc.
 */
#ifndef SW_PROCFS_H
#define SW_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include "lib/hashmap.h"
#include "sockwatch_abi.h"

/*
 * The owner of one socket inode. A socket can be open in several
 * processes (fork, SCM_RIGHTS, a pre-fork server's listener): it is
 * attributed to the lowest pid among them, which is usually the parent
 * that created it, and which makes the answer stable from scan to scan.
 * fd is that process's lowest fd for it; nref counts the fds, in all
 * processes, that refer to it (more than one: shared).
 */
struct sw_owner {
	__u32 inode;		/* key */
	__u32 pid;
	int   fd;
	__u32 nref;
	char  comm[SW_COMM_LEN];
};

/* Socket inode -> owner (struct sw_owner), one lib/hashmap.h map. */
struct sw_owner_map {
	struct sw_map m;
};

/*
 * What the scans of /proc and of the network namespaces could not read,
 * counted since start (atomically: any thread may read them). A socket
 * whose owner cannot be read is left without one, never given a guessed
 * owner; these counts say why, and the agent logs when they rise.
 */
enum sw_scan_fault {
	SW_FAULT_PROC_UNREADABLE,	/* /proc missing or not procfs: no owner scan */
	SW_FAULT_PID_VANISHED,		/* a process exited (or its pid was reused) during its scan */
	SW_FAULT_PID_UNREADABLE,	/* /proc/PID/fd refused (not ENOENT) */
	SW_FAULT_NETNS_VANISHED,	/* a namespace deleted between listing and reading */
	SW_FAULT_MAX
};
void sw_scan_fault(enum sw_scan_fault f);
__u64 sw_scan_fault_count(enum sw_scan_fault f);
const char *sw_scan_fault_name(enum sw_scan_fault f);	/* "pid_vanished" */

/*
 * Scan /proc/[pid]/fd of every visible process. Returns 0 or -errno. A
 * process that exits (or whose pid is reused) while its fds are read
 * contributes no owner at all: its fd list may be stale.
 */
int sw_owner_map_build(struct sw_owner_map *m);
void sw_owner_map_free(struct sw_owner_map *m);
/* NULL when no visible process holds the inode (TIME_WAIT, other pid ns). */
const struct sw_owner *sw_owner_lookup(const struct sw_owner_map *m, __u32 inode);

/*
 * Every process (thread group) in /proc, in directory order. Return
 * non-zero from cb to stop; that value is returned.
 */
int sw_proc_foreach(int (*cb)(pid_t pid, void *ctx), void *ctx);

/* comm without the newline; "" and -errno when the process is gone. */
int sw_proc_comm(pid_t pid, char *buf, size_t len);

/*
 * Command line with NULs turned into spaces, truncated to len - 1 bytes.
 * Kernel threads have an empty one: then "[comm]" like ps.
 */
int sw_proc_cmdline(pid_t pid, char *buf, size_t len);
/* The in-place conversion used above: n bytes read into buf (n < len). */
void sw_cmdline_from_buf(char *buf, size_t n);

/* The fields of /proc/PID/stat that sockwatch uses. */
struct sw_proc_stat {
	char  comm[SW_COMM_LEN];
	char  state;		/* R, S, D, Z, ... */
	pid_t ppid;
	__u64 start_ticks;	/* field 22: clock ticks after boot */
};

/* Parse a /proc/PID/stat line (comm may hold spaces and parentheses). */
int sw_parse_stat(const char *buf, struct sw_proc_stat *st);
int sw_proc_stat(pid_t pid, struct sw_proc_stat *st);

/* Is /proc there, and procfs? (Else nothing read from it means anything.) */
bool sw_proc_readable(void);
/*
 * Is the process that created a socket at born_ns (monotonic) gone: no
 * process pid, or one started after the socket was (the pid was reused)?
 * false when /proc cannot tell.
 */
bool sw_proc_gone(pid_t pid, __u64 born_ns);

/* Process start as wall-clock seconds since the epoch; -errno on error. */
int sw_proc_start_time(pid_t pid, time_t *when);
/* "btime N" from a /proc/stat buffer; 0 when absent. */
time_t sw_parse_btime(const char *buf);

/* Open fds of pid (entries of /proc/PID/fd), or -errno. */
int sw_proc_fd_count(pid_t pid);
/*
 * The size of pid's fd table (FDSize in /proc/PID/status), or -errno: an
 * upper bound of its open fds, read without a look at each of them.
 */
int sw_proc_fd_table_size(pid_t pid);
/* RLIMIT_NOFILE of pid (prlimit), or -errno. */
int sw_proc_nofile(pid_t pid, __u64 *soft, __u64 *hard);

/* Read a small proc/sys file whole into buf, NUL-terminated: length or -errno. */
ssize_t sw_read_file(const char *path, char *buf, size_t len);

#endif /* SW_PROCFS_H */

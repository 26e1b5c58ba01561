// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * /proc readers: socket owners and per-process facts. See procfs.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "table/procfs.h"

ssize_t sw_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

static bool is_pid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static __u64 scan_faults[SW_FAULT_MAX];

static const char *const fault_names[SW_FAULT_MAX] = {
	[SW_FAULT_PROC_UNREADABLE]	= "proc_unreadable",
	[SW_FAULT_PID_VANISHED]		= "pid_vanished",
	[SW_FAULT_PID_UNREADABLE]	= "pid_unreadable",
	[SW_FAULT_NETNS_VANISHED]	= "netns_vanished",
};

void sw_scan_fault(enum sw_scan_fault f)
{
	__atomic_add_fetch(&scan_faults[f], 1, __ATOMIC_RELAXED);
}

__u64 sw_scan_fault_count(enum sw_scan_fault f)
{
	return __atomic_load_n(&scan_faults[f], __ATOMIC_RELAXED);
}

const char *sw_scan_fault_name(enum sw_scan_fault f)
{
	return f < SW_FAULT_MAX ? fault_names[f] : "unknown";
}

/*
 * /proc, if it is procfs: an empty directory mounted over it (or a
 * container without it) would look like a machine without processes,
 * and every socket would seem to have lost its owner.
 */
static DIR *open_proc(void)
{
	if (!sw_proc_readable()) {
		errno = ENOENT;
		return NULL;
	}
	return opendir("/proc");
}

bool sw_proc_readable(void)
{
	struct statfs fs;

	return !statfs("/proc", &fs) && fs.f_type == PROC_SUPER_MAGIC;
}

bool sw_proc_gone(pid_t pid, __u64 born_ns)
{
	long hz = sysconf(_SC_CLK_TCK);
	struct sw_proc_stat st;
	__u64 tick, start_ns;
	int err;

	if (hz <= 0)
		hz = 100;
	tick = 1000000000ULL / hz;
	err = sw_proc_stat(pid, &st);
	if (err)
		return err == -ENOENT || err == -ESRCH;
	if (st.state == 'Z' || st.state == 'X')
		return true;	/* exited: its fds are closed */
	/* start time in ticks since boot: allow a tick of rounding */
	start_ns = st.start_ticks * tick;
	return start_ns > born_ns + tick;
}

int sw_proc_foreach(int (*cb)(pid_t pid, void *ctx), void *ctx)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	d = open_proc();
	if (!d) {
		sw_scan_fault(SW_FAULT_PROC_UNREADABLE);
		return -errno;
	}
	while (!ret && (de = readdir(d)))
		if (is_pid_name(de->d_name))
			ret = cb((pid_t)atoi(de->d_name), ctx);
	closedir(d);
	return ret;
}

int sw_proc_comm(pid_t pid, char *buf, size_t len)
{
	char path[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	n = sw_read_file(path, buf, len);
	if (n < 0) {
		buf[0] = '\0';
		return (int)n;
	}
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

void sw_cmdline_from_buf(char *buf, size_t n)
{
	size_t i;

	/* Arguments end in NUL, the last one too: drop trailing separators. */
	while (n > 0 && (buf[n - 1] == '\0' || buf[n - 1] == ' '))
		n--;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0' || buf[i] == '\n' || buf[i] == '\t')
			buf[i] = ' ';
	buf[n] = '\0';
}

int sw_proc_cmdline(pid_t pid, char *buf, size_t len)
{
	char path[32], comm[SW_COMM_LEN];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = sw_read_file(path, buf, len);
	if (n < 0)
		return (int)n;
	sw_cmdline_from_buf(buf, (size_t)n);
	if (buf[0])
		return 0;
	if (sw_proc_comm(pid, comm, sizeof(comm)) < 0)
		return -ESRCH;
	snprintf(buf, len, "[%s]", comm);
	return 0;
}

/* Field n (1-based, as in proc(5)) of the text after comm, field 3 on. */
static const char *stat_field(const char *after_comm, int n)
{
	const char *p = after_comm;
	int f;

	for (f = 3; f < n; f++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return NULL;
	}
	return p + 1;
}

int sw_parse_stat(const char *buf, struct sw_proc_stat *st)
{
	const char *open = strchr(buf, '(');
	const char *close = strrchr(buf, ')');
	const char *f;
	size_t n;

	if (!open || !close || close < open || close[1] != ' ')
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, n);
	/* close + 1 is the space before field 3 (state). */
	f = stat_field(close + 1, 22);
	if (!f || *f < '0' || *f > '9')
		return -EINVAL;
	st->state = close[2];
	st->ppid = (pid_t)atoi(stat_field(close + 1, 4));
	st->start_ticks = strtoull(f, NULL, 10);
	return 0;
}

int sw_proc_stat(pid_t pid, struct sw_proc_stat *st)
{
	char path[32], buf[1024];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = sw_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return sw_parse_stat(buf, st);
}

time_t sw_parse_btime(const char *buf)
{
	const char *p = strstr(buf, "\nbtime ");

	if (!p)
		return 0;
	return (time_t)strtoll(p + 7, NULL, 10);
}

/* Boot time never changes: read /proc/stat once. */
static time_t boot_time(void)
{
	static time_t btime;
	char *buf;

	if (btime)
		return btime;
	buf = malloc(64 * 1024);	/* /proc/stat grows with CPUs */
	if (!buf)
		return 0;
	if (sw_read_file("/proc/stat", buf, 64 * 1024) > 0)
		btime = sw_parse_btime(buf);
	free(buf);
	return btime;
}

int sw_proc_start_time(pid_t pid, time_t *when)
{
	struct sw_proc_stat st;
	long hz = sysconf(_SC_CLK_TCK);
	int ret;

	ret = sw_proc_stat(pid, &st);
	if (ret < 0)
		return ret;
	if (!boot_time() || hz <= 0)
		return -EIO;
	*when = boot_time() + (time_t)(st.start_ticks / (__u64)hz);
	return 0;
}

int sw_proc_fd_count(pid_t pid)
{
	struct dirent *de;
	struct stat st;
	char path[32];
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	/*
	 * Linux 6.2 and later give the count as the directory's size: one
	 * stat, where a listing makes a dentry per fd (tens of ms for a
	 * process holding 100,000). Before, the size is 0: list.
	 */
	if (stat(path, &st) < 0)
		return -errno;
	if (st.st_size > 0)
		return st.st_size < INT_MAX ? (int)st.st_size : INT_MAX;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int sw_proc_fd_table_size(pid_t pid)
{
	char path[32], buf[2048];
	const char *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (sw_read_file(path, buf, sizeof(buf)) < 0)
		return -errno;
	f = strstr(buf, "\nFDSize:");
	return f ? atoi(f + 8) : -ENOENT;
}

int sw_proc_nofile(pid_t pid, __u64 *soft, __u64 *hard)
{
	struct rlimit rl;

	if (prlimit(pid, RLIMIT_NOFILE, NULL, &rl) < 0)
		return -errno;
	*soft = rl.rlim_cur;
	*hard = rl.rlim_max;
	return 0;
}

/*
 * One (inode, pid, fd) the scan met. An inode held by several processes
 * (fork, SCM_RIGHTS) counts them in nref and is owned by the lowest pid,
 * and within it the lowest fd.
 */
static int scan_push(struct sw_owner_map *om, __u32 inode, pid_t pid, int fd,
		     const char *comm)
{
	struct sw_owner *o;
	bool fresh;

	o = sw_map_put(&om->m, &inode, &fresh);
	if (!o)
		return -ENOMEM;
	if (!fresh) {
		o->nref++;
		if ((__u32)pid > o->pid || ((__u32)pid == o->pid && fd >= o->fd))
			return 0;
	} else {
		o->nref = 1;
	}
	o->pid = (__u32)pid;
	o->fd = fd;
	memcpy(o->comm, comm, SW_COMM_LEN);
	return 0;
}

/* "socket:[12345]" -> 12345; 0 for anything else. */
static __u32 socket_inode(const char *link)
{
	if (strncmp(link, "socket:[", 8))
		return 0;
	return (__u32)strtoul(link + 8, NULL, 10);
}

/* One socket descriptor of the process being read. */
struct scan_fd {
	__u32 inode;
	int fd;
};

/* A scan: the map it fills, and one process's descriptors, kept apart
 * until that process is known to be the same one throughout. */
struct owner_scan {
	struct sw_owner_map *om;
	struct sw_vec fds;	/* struct scan_fd */
};

/*
 * One process's sockets. Its start time is read before and after its fd
 * list: when the process is gone by then, or the pid is another process's
 * (reused), what was read may name sockets it no longer holds, so none of
 * it enters the map: those sockets get no owner rather than a wrong one.
 */
static int scan_pid(pid_t pid, void *arg)
{
	struct owner_scan *sc = arg;
	char path[32], link[64], comm[SW_COMM_LEN] = "";
	struct sw_proc_stat before, after;
	struct scan_fd *f;
	struct dirent *de;
	size_t i;
	__u32 ino;
	ssize_t n;
	DIR *d;
	int ret = 0;

	if (sw_proc_stat(pid, &before)) {
		sw_scan_fault(SW_FAULT_PID_VANISHED);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d) {
		sw_scan_fault(errno == ENOENT ? SW_FAULT_PID_VANISHED
					      : SW_FAULT_PID_UNREADABLE);
		return 0;
	}
	sw_vec_clear(&sc->fds);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		ino = socket_inode(link);
		if (!ino)
			continue;
		if (!(f = sw_vec_push(&sc->fds))) {
			ret = -ENOMEM;
			break;
		}
		f->inode = ino;
		f->fd = atoi(de->d_name);
	}
	closedir(d);
	if (ret || !sc->fds.len)
		return ret;
	sw_proc_comm(pid, comm, sizeof(comm));
	if (sw_proc_stat(pid, &after) || after.start_ticks != before.start_ticks ||
	    !comm[0]) {
		sw_scan_fault(SW_FAULT_PID_VANISHED);
		return 0;
	}
	for (i = 0; !ret && i < sc->fds.len; i++) {
		f = sw_vec_at(&sc->fds, i);
		ret = scan_push(sc->om, f->inode, pid, f->fd, comm);
	}
	return ret;
}

int sw_owner_map_build(struct sw_owner_map *m)
{
	struct owner_scan sc = { .om = m, .fds = SW_VEC_INIT(struct scan_fd) };
	int ret;

	if (sw_map_init(&m->m, sizeof(struct sw_owner), sizeof(__u32), 0))
		return -ENOMEM;
	ret = sw_proc_foreach(scan_pid, &sc);
	sw_vec_free(&sc.fds);
	if (ret < 0)
		sw_map_free(&m->m);
	return ret < 0 ? ret : 0;
}

void sw_owner_map_free(struct sw_owner_map *m)
{
	sw_map_free(&m->m);
}

const struct sw_owner *sw_owner_lookup(const struct sw_owner_map *m, __u32 inode)
{
	return inode ? sw_map_get(&m->m, &inode) : NULL;
}

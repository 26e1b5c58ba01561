// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* BPF program statistics (see prog_stats.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "kernel/prog_stats.h"

#define PROG_PREFIX "sw_"

int sw_prog_stats_enable(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	return fd < 0 ? -errno : fd;
}

int sw_prog_stats_on(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int v = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v > 0;
}

/* Fill *s from the program behind fd if it is one of ours; 1 if so. */
static int stat_fd(int fd, struct sw_prog_stat *s)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	if (strncmp(info.name, PROG_PREFIX, strlen(PROG_PREFIX)))
		return 0;
	s->id = info.id;
	memcpy(s->name, info.name, sizeof(s->name));
	s->name[sizeof(s->name) - 1] = '\0';
	s->run_cnt = info.run_cnt;
	s->run_time_ns = info.run_time_ns;
	return 1;
}

static int by_name(const void *x, const void *y)
{
	const struct sw_prog_stat *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* Add s unless a program with its id is there already; new count. */
static size_t add_unique(struct sw_prog_stat *out, size_t n, size_t max,
			 const struct sw_prog_stat *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (out[i].id == s->id)
			return n;
	if (n < max)
		out[n++] = *s;
	return n;
}

/* The fds of this process that are BPF programs: /proc/self/fd links. */
int sw_prog_stats_self(struct sw_prog_stat *out, size_t max)
{
	struct sw_prog_stat s;
	struct dirent *d;
	char path[300], link[64];
	size_t n = 0;
	ssize_t l;
	DIR *dir;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		l = readlink(path, link, sizeof(link) - 1);
		if (l <= 0)
			continue;
		link[l] = '\0';
		if (strcmp(link, "anon_inode:bpf-prog"))
			continue;
		if (stat_fd(atoi(d->d_name), &s))
			n = add_unique(out, n, max, &s);
	}
	closedir(dir);
	qsort(out, n, sizeof(*out), by_name);
	return (int)n;
}

int sw_prog_stats_system(struct sw_prog_stat *out, size_t max)
{
	struct sw_prog_stat s;
	__u32 id = 0;
	size_t n = 0;
	int fd;

	while (!bpf_prog_get_next_id(id, &id)) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0) {
			if (errno == ENOENT)	/* unloaded meanwhile */
				continue;
			return -errno;
		}
		if (stat_fd(fd, &s))
			n = add_unique(out, n, max, &s);
		close(fd);
	}
	if (errno != ENOENT)
		return -errno;
	qsort(out, n, sizeof(*out), by_name);
	return (int)n;
}

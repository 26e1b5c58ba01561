// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Workload identity from cgroup v2 paths, and the cgroup-id cache.
 *
 * The path shapes recognised (from the end of the path, so that nesting
 * under kind's or a user manager's slices does not matter):
 *   systemd units     /system.slice/nginx.service
 *                     /user.slice/user-1000.slice/session-3.scope
 *                     /user.slice/user-1000.slice/user@1000.service/app.slice/x.service
 *   docker            /system.slice/docker-<id>.scope        (systemd driver)
 *                     /docker/<id>                           (cgroupfs)
 *   containerd CRI    .../kubepods-burstable-pod<uid_>.slice/cri-containerd-<id>.scope
 *                     /kubepods/burstable/pod<uid>/<id>      (cgroupfs)
 *   containerd plain  /system.slice/nerdctl-<id>.scope, /<namespace>/<id>
 *   CRI-O             .../kubepods-pod<uid_>.slice/crio-<id>.scope, .../pod<uid>/crio-<id>
 *   podman            /machine.slice/libpod-<id>.scope[/container], /libpod_parent/libpod-<id>
 * The kubelet's systemd driver writes the pod uid with '_' for '-'; the
 * QoS class is the slice the pod is in (none: guaranteed).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lib/hashmap.h"
#include "table/workload.h"

#define FILEID_KERNFS	0xfe	/* include/linux/exportfs.h */
#define MAX_DEPTH	32

/* ---- parsing ---- */

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

static bool is_unit(const char *c, size_t n)
{
	static const char *const kinds[] = {
		".service", ".scope", ".socket", ".mount", ".swap",
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (ends_with(c, n, kinds[i]) && n > strlen(kinds[i]))
			return true;
	return false;
}

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

static void copyn(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* A path component: pointer and length, not terminated. */
struct comp {
	const char *s;
	size_t n;
};

static int split(const char *path, struct comp *c, int max)
{
	int n = 0;

	while (*path && n < max) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		c[n].s = path;
		path += strcspn(path, "/");
		c[n].n = path - c[n].s;
		n++;
	}
	return n;
}

/* The first unit below the slices; inside user@N.service, the user unit. */
static void parse_units(const struct comp *c, int n, struct sw_workload *w)
{
	int i;

	for (i = 0; i < n; i++) {
		if (ends_with(c[i].s, c[i].n, ".slice") || !is_unit(c[i].s, c[i].n))
			continue;
		if (!w->unit[0]) {
			copyn(w->unit, sizeof(w->unit), c[i].s, c[i].n);
			if (strncmp(w->unit, "user@", 5))
				return;
			continue;
		}
		copyn(w->user_unit, sizeof(w->user_unit), c[i].s, c[i].n);
		return;
	}
}

static void set_pod_uid(struct sw_workload *w, const char *s, size_t n)
{
	char *p;

	copyn(w->pod_uid, sizeof(w->pod_uid), s, n);
	for (p = w->pod_uid; *p; p++)
		if (*p == '_')
			*p = '-';
}

static bool set_qos(struct sw_workload *w, const char *s, size_t n)
{
	if (n == 9 && !memcmp(s, "burstable", 9))
		snprintf(w->qos_class, sizeof(w->qos_class), "burstable");
	else if (n == 10 && !memcmp(s, "besteffort", 10))
		snprintf(w->qos_class, sizeof(w->qos_class), "besteffort");
	else
		return false;
	return true;
}

/*
 * kubepods[-<qos>][-pod<uid>].slice (systemd driver, any prefix such as
 * kind's "kubelet-"), or kubepods/<qos>/pod<uid> (cgroupfs driver).
 */
static void parse_pod(const struct comp *c, int n, struct sw_workload *w)
{
	bool kube = false;
	const char *k, *dash;
	size_t len;
	int i;

	for (i = 0; i < n && !w->pod_uid[0]; i++) {
		k = memmem(c[i].s, c[i].n, "kubepods", 8);
		if (k && ends_with(c[i].s, c[i].n, ".slice")) {
			kube = true;
			len = c[i].n - 6 - (k - c[i].s);	/* "kubepods-...-pod<uid>" */
			dash = memmem(k, len, "-pod", 4);
			if (memmem(k, len, "-burstable", 10))
				set_qos(w, "burstable", 9);
			else if (memmem(k, len, "-besteffort", 11))
				set_qos(w, "besteffort", 10);
			if (dash)
				set_pod_uid(w, dash + 4, k + len - dash - 4);
		} else if (c[i].n == 8 && !memcmp(c[i].s, "kubepods", 8)) {
			kube = true;
		} else if (kube && !set_qos(w, c[i].s, c[i].n) &&
			   c[i].n > 3 && !memcmp(c[i].s, "pod", 3)) {
			set_pod_uid(w, c[i].s + 3, c[i].n - 3);
		}
	}
	if (w->pod_uid[0] && !w->qos_class[0])
		snprintf(w->qos_class, sizeof(w->qos_class), "guaranteed");
	if (!w->pod_uid[0])
		w->qos_class[0] = '\0';
}

/* "<prefix>-<hex>[.scope]": the runtimes' own cgroup names. */
static bool prefixed_container(const struct comp *c, struct sw_workload *w)
{
	static const struct {
		const char *prefix;
		const char *runtime;
	} rt[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "nerdctl-", "containerd" },
		{ "crio-", "cri-o" },
		{ "libpod-", "podman" },
	};
	size_t i, k, n = c->n;

	if (ends_with(c->s, n, ".scope"))
		n -= 6;
	for (i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
		k = strlen(rt[i].prefix);
		/* crio-conmon-<id>, libpod-conmon-<id>: the monitor, not the container */
		if (n <= k || memcmp(c->s, rt[i].prefix, k) ||
		    n - k < 12 || n - k > 64 || !all_hex(c->s + k, n - k))
			continue;
		copyn(w->container_id, sizeof(w->container_id), c->s + k, n - k);
		snprintf(w->runtime, sizeof(w->runtime), "%s", rt[i].runtime);
		return true;
	}
	return false;
}

/*
 * A bare 64-hex component (cgroupfs drivers): the parent says whose.
 * Under a kubepods pod the runtime is not in the path (containerd's CRI
 * plugin); the node's metadata may tell it.
 */
static bool bare_container(const struct comp *c, const struct comp *parent,
			   struct sw_workload *w)
{
	if (c->n != 64 || !all_hex(c->s, 64))
		return false;
	copyn(w->container_id, sizeof(w->container_id), c->s, 64);
	if (!parent)
		return true;
	if ((parent->n == 6 && !memcmp(parent->s, "docker", 6)) ||
	    (parent->n == 4 && !memcmp(parent->s, "moby", 4)))
		snprintf(w->runtime, sizeof(w->runtime), "docker");
	else if (!w->pod_uid[0])
		snprintf(w->runtime, sizeof(w->runtime), "containerd");
	return true;
}

static void parse_container(const struct comp *c, int n, struct sw_workload *w)
{
	int i;

	for (i = n - 1; i >= 0; i--)
		if (prefixed_container(&c[i], w) ||
		    bare_container(&c[i], i ? &c[i - 1] : NULL, w))
			return;
}

void sw_workload_parse(const char *path, struct sw_workload *w)
{
	struct comp c[MAX_DEPTH];
	int n;

	memset(w, 0, sizeof(*w));
	snprintf(w->cgroup, sizeof(w->cgroup), "%s", path && *path ? path : "/");
	n = split(w->cgroup, c, MAX_DEPTH);
	parse_units(c, n, w);
	parse_pod(c, n, w);
	parse_container(c, n, w);
}

/* ---- runtime metadata ---- */

static void meta_copy(char *dst, size_t size, json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));

	if (v && !dst[0])
		snprintf(dst, size, "%s", v);
}

/* The Kubernetes names, from OCI annotations (containerd, CRI-O) or
 * docker labels. */
static void kube_names(json_t *ann, struct sw_workload *w)
{
	meta_copy(w->container_name, sizeof(w->container_name), ann, "io.kubernetes.cri.container-name");
	meta_copy(w->container_name, sizeof(w->container_name), ann, "io.kubernetes.container.name");
	meta_copy(w->pod_name, sizeof(w->pod_name), ann, "io.kubernetes.cri.sandbox-name");
	meta_copy(w->pod_name, sizeof(w->pod_name), ann, "io.kubernetes.pod.name");
	meta_copy(w->namespace, sizeof(w->namespace), ann, "io.kubernetes.cri.sandbox-namespace");
	meta_copy(w->namespace, sizeof(w->namespace), ann, "io.kubernetes.pod.namespace");
}

static json_t *load(const char *root, const char *fmt, const char *a, const char *b)
{
	char rel[512], path[1024];

	snprintf(rel, sizeof(rel), fmt, a, b);
	snprintf(path, sizeof(path), "%s%s", root, rel);
	return json_load_file(path, 0, NULL);
}

/*
 * Where the runtimes keep a container's spec on the node:
 *  containerd: the shim's bundle, /run/containerd/io.containerd.runtime.v2.task/<ns>/<id>/config.json
 *  CRI-O, podman: /run/containers/storage/overlay-containers/<id>/userdata/config.json
 *  docker: /var/lib/docker/containers/<id>/config.v2.json
 */
int sw_workload_read_meta(const char *host_root, struct sw_workload *w)
{
	static const char *const ns[] = { "k8s.io", "default", "moby" };
	const char *root = host_root && strcmp(host_root, "/") ? host_root : "";
	const char *id = w->container_id;
	json_t *j = NULL, *cfg;
	const char *name;
	size_t i;

	if (!id[0])
		return -1;
	for (i = 0; !j && i < sizeof(ns) / sizeof(ns[0]); i++)
		if ((j = load(root, "/run/containerd/io.containerd.runtime.v2.task/%s/%s/config.json", ns[i], id)) &&
		    !w->runtime[0])
			snprintf(w->runtime, sizeof(w->runtime), "containerd");
	if (!j && (j = load(root, "/run/containers/storage/overlay-containers/%s%s/userdata/config.json", id, "")) &&
	    !w->runtime[0])
		snprintf(w->runtime, sizeof(w->runtime), "cri-o");
	if (j) {
		kube_names(json_object_get(j, "annotations"), w);
		json_decref(j);
		return 0;
	}
	j = load(root, "/var/lib/docker/containers/%s%s/config.v2.json", id, "");
	if (!j)
		return -1;
	if (!w->runtime[0])
		snprintf(w->runtime, sizeof(w->runtime), "docker");
	cfg = json_object_get(j, "Config");
	kube_names(json_object_get(cfg, "Labels"), w);
	name = json_string_value(json_object_get(j, "Name"));
	if (name && !w->container_name[0])
		snprintf(w->container_name, sizeof(w->container_name), "%s",
			 name + (*name == '/'));
	json_decref(j);
	return 0;
}

/* ---- presentation and filters ---- */

void sw_workload_label(const struct sw_workload *w, char *buf, size_t len)
{
	if (!w)
		snprintf(buf, len, "-");
	else if (w->container_id[0])
		snprintf(buf, len, "%s:%.12s", w->runtime[0] ? w->runtime : "container",
			 w->container_id);
	else if (w->user_unit[0])
		snprintf(buf, len, "%s", w->user_unit);
	else if (w->unit[0])
		snprintf(buf, len, "%s", w->unit);
	else
		snprintf(buf, len, "%s", w->cgroup[0] ? w->cgroup : "-");
}

/* a macro: the keys are literals (SW_JSON_LKEY) */
#define KSTR_OR_NULL(j, k, v)				\
	do {						\
		if ((v) && (v)[0])			\
			SW_JSON_LSTR(j, k, v);		\
		else					\
			SW_JSON_LNULL(j, k);		\
	} while (0)

void sw_workload_json(struct sw_json *j, const struct sw_workload *w)
{
	static const struct sw_workload none;

	if (!w)
		w = &none;
	KSTR_OR_NULL(j, "cgroup", w->cgroup);
	KSTR_OR_NULL(j, "unit", w->unit);
	KSTR_OR_NULL(j, "user_unit", w->user_unit);
	KSTR_OR_NULL(j, "container_id", w->container_id);
	KSTR_OR_NULL(j, "container_runtime", w->runtime);
	KSTR_OR_NULL(j, "pod_uid", w->pod_uid);
	KSTR_OR_NULL(j, "qos_class", w->qos_class);
	KSTR_OR_NULL(j, "container_name", w->container_name);
	KSTR_OR_NULL(j, "pod_name", w->pod_name);
	KSTR_OR_NULL(j, "namespace", w->namespace);
}

bool sw_workload_filter_empty(const struct sw_workload_filter *f)
{
	return !f->unit[0] && !f->container[0] && !f->pod_uid[0];
}

bool sw_workload_match(const struct sw_workload_filter *f,
		       const struct sw_workload *w)
{
	if (sw_workload_filter_empty(f))
		return true;
	if (!w)
		return false;
	if (f->unit[0] && strcmp(f->unit, w->unit) && strcmp(f->unit, w->user_unit))
		return false;
	if (f->container[0] &&
	    (!w->container_id[0] ||
	     strncmp(f->container, w->container_id, strlen(f->container))) &&
	    strcmp(f->container, w->container_name))
		return false;
	if (f->pod_uid[0] && strcmp(f->pod_uid, w->pod_uid))
		return false;
	return true;
}

/* Printable, no '/' (not a path), not empty, fits. */
static int filter_value(char *dst, size_t size, const char *key,
			const char *v, char *err, size_t errlen)
{
	const char *p;

	if (!v || !*v || strlen(v) >= size) {
		snprintf(err, errlen, "invalid %s: 1 to %zu characters", key, size - 1);
		return -1;
	}
	for (p = v; *p; p++)
		if (!isgraph((unsigned char)*p) || *p == '/') {
			snprintf(err, errlen, "invalid %s: unexpected character 0x%02x",
				 key, (unsigned char)*p);
			return -1;
		}
	snprintf(dst, size, "%s", v);
	return 0;
}

int sw_workload_filter_set(struct sw_workload_filter *f, const char *key,
			   const char *value, char *err, size_t errlen)
{
	char *p;

	if (!strcmp(key, "unit"))
		return filter_value(f->unit, sizeof(f->unit), key, value, err, errlen);
	if (!strcmp(key, "container"))
		return filter_value(f->container, sizeof(f->container), key, value, err, errlen);
	if (strcmp(key, "pod_uid") && strcmp(key, "pod-uid")) {
		snprintf(err, errlen, "unknown workload filter '%s'", key);
		return -1;
	}
	if (filter_value(f->pod_uid, sizeof(f->pod_uid), key, value, err, errlen))
		return -1;
	for (p = f->pod_uid; *p; p++)
		if (*p == '_')
			*p = '-';
	return 0;
}

/* ---- the cache ---- */

/*
 * cgroup id -> identity, in the one hash table (lib/hashmap.h). An id
 * that could not be resolved is kept too (resolved == false), so that a
 * dead cgroup's late events cost one lookup, not a syscall each.
 */
#define MAX_ENTRIES	65536
#define PID_SLOTS	4096
#define PID_TTL_NS	(2ULL * 1000000000ULL)

struct wl_entry {
	__u64 id;			/* key */
	bool resolved;
	struct sw_workload w;
};

struct sw_workloads {
	int root_fd;
	char root[SW_WL_PATH_LEN];	/* the mount, as readlink shows it */
	char host_root[SW_WL_PATH_LEN];
	struct sw_map map;		/* of struct wl_entry */
	struct {			/* pid -> cgroup id, briefly */
		__u32 pid;
		__u64 id;
		__u64 at_ns;
	} pid_memo[PID_SLOTS];
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int fd_path(int fd, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, len - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

struct sw_workloads *sw_workloads_new(const char *cgroup_root,
				      const char *host_root)
{
	struct sw_workloads *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (sw_map_init(&c->map, sizeof(struct wl_entry), sizeof(__u64), 64)) {
		free(c);
		return NULL;
	}
	c->root_fd = open(cgroup_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->root_fd < 0 || fd_path(c->root_fd, c->root, sizeof(c->root))) {
		sw_workloads_free(c);
		return NULL;
	}
	if (!strcmp(c->root, "/"))
		c->root[0] = '\0';
	snprintf(c->host_root, sizeof(c->host_root), "%s", host_root ? host_root : "/");
	return c;
}

void sw_workloads_free(struct sw_workloads *c)
{
	if (!c)
		return;
	sw_map_free(&c->map);
	if (c->root_fd >= 0)
		close(c->root_fd);
	free(c);
}

/* Find the directory whose inode is id below dir (depth-first). */
static int walk_find(int dir, __u64 id, char *path, size_t len, int depth)
{
	size_t base = strlen(path);
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int fd, found = -1;

	dp = fdopendir(dir);
	if (!dp) {
		close(dir);
		return -1;
	}
	while (found && (d = readdir(dp))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(dp), d->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		snprintf(path + base, len - base, "/%s", d->d_name);
		if (st.st_ino == id) {
			found = 0;
			break;
		}
		if (depth >= MAX_DEPTH)
			continue;
		fd = openat(dirfd(dp), d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			found = walk_find(fd, id, path, len, depth + 1);
	}
	if (found)
		path[base] = '\0';
	closedir(dp);
	return found;
}

/*
 * The path of cgroup id below the mount: open_by_handle_at() (a kernfs
 * file handle is the id), then the fd's path. Where that path is not
 * below the mount as we see it (another mount namespace), walk.
 * -ESTALE: the cgroup is gone.
 */
static int resolve(struct sw_workloads *c, __u64 id, char *path, size_t len)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} h = { .fh.handle_bytes = sizeof(__u64), .fh.handle_type = FILEID_KERNFS };
	char full[PATH_MAX];
	size_t n = strlen(c->root);
	int fd, err;

	if (id == 1) {		/* the root cgroup */
		snprintf(path, len, "/");
		return 0;
	}
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(c->root_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ESTALE)
		return -ESTALE;
	if (fd >= 0) {
		err = fd_path(fd, full, sizeof(full));
		close(fd);
		if (!err && !strncmp(full, c->root, n) && (!full[n] || full[n] == '/')) {
			snprintf(path, len, "%s", full[n] ? full + n : "/");
			return 0;
		}
	}
	path[0] = '\0';
	fd = openat(c->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || walk_find(fd, id, path, len, 0))
		return -ENOENT;
	return 0;
}

const struct sw_workload *sw_workloads_get(struct sw_workloads *c, __u64 id)
{
	char path[SW_WL_PATH_LEN];
	struct sw_workload w;
	struct wl_entry *e;
	bool fresh, ok;

	if (!c || !id)
		return NULL;
	e = sw_map_get(&c->map, &id);
	if (e)
		return e->resolved ? &e->w : NULL;
	if (sw_map_count(&c->map) >= MAX_ENTRIES)
		sw_workloads_prune(c);
	if (sw_map_count(&c->map) >= MAX_ENTRIES)
		return NULL;
	ok = !resolve(c, id, path, sizeof(path));
	if (ok) {
		sw_workload_parse(path, &w);
		sw_workload_read_meta(c->host_root, &w);
	}
	e = sw_map_put(&c->map, &id, &fresh);
	if (!e)
		return NULL;
	e->resolved = ok;
	if (ok)
		e->w = w;
	return ok ? &e->w : NULL;
}

/* "0::/path" from /proc/PID/cgroup, then the directory's inode. */
static __u64 read_pid_cgroup(struct sw_workloads *c, __u32 pid)
{
	char file[64], line[PATH_MAX + 8];
	struct stat st;
	__u64 id = 0;
	size_t n;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%u/cgroup", pid);
	f = fopen(file, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::/", 4))
			continue;
		n = strcspn(line, "\n");
		line[n] = '\0';
		if (!fstatat(c->root_fd, line[4] ? line + 4 : ".", &st, 0))
			id = st.st_ino;
		break;
	}
	fclose(f);
	return id;
}

__u64 sw_workloads_cgroup_of_pid(struct sw_workloads *c, __u32 pid)
{
	unsigned i = pid % PID_SLOTS;
	__u64 now = now_ns();

	if (!c || !pid)
		return 0;
	if (c->pid_memo[i].pid == pid && now - c->pid_memo[i].at_ns < PID_TTL_NS)
		return c->pid_memo[i].id;
	c->pid_memo[i].pid = pid;
	c->pid_memo[i].at_ns = now;
	c->pid_memo[i].id = read_pid_cgroup(c, pid);
	return c->pid_memo[i].id;
}

const struct sw_workload *sw_workloads_lookup(struct sw_workloads *c,
					      __u64 id, __u32 pid)
{
	if (!id)
		id = sw_workloads_cgroup_of_pid(c, pid);
	return sw_workloads_get(c, id);
}

/* Still there: the directory at the cached path has the cached inode. */
static bool alive(struct sw_workloads *c, const struct wl_entry *e)
{
	struct stat st;
	const char *p = e->w.cgroup;

	if (!e->resolved)
		return false;
	if (!strcmp(p, "/"))
		return true;
	return !fstatat(c->root_fd, p + 1, &st, 0) && st.st_ino == e->id;
}

int sw_workloads_prune(struct sw_workloads *c)
{
	struct wl_entry *e;
	int dropped = 0;
	size_t i = 0;

	if (!c)
		return 0;
	/* a removal moves the last entry into the hole: look at i again */
	while (i < sw_map_count(&c->map)) {
		e = sw_map_at(&c->map, i);
		if (alive(c, e)) {
			i++;
			continue;
		}
		sw_map_del(&c->map, e);
		dropped++;
	}
	return dropped;
}

size_t sw_workloads_count(const struct sw_workloads *c)
{
	return c ? sw_map_count(&c->map) : 0;
}

struct sw_workload *sw_workloads_next(struct sw_workloads *c, size_t *pos)
{
	struct wl_entry *e;

	while (c && *pos < sw_map_count(&c->map)) {
		e = sw_map_at(&c->map, (*pos)++);
		if (e->resolved)
			return &e->w;
	}
	return NULL;
}

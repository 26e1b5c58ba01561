// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Workload identity: cgroup path shapes of systemd, docker, containerd,
 * CRI-O, podman and the kubelet; runtime metadata; filters; the cache. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <cmocka.h>
#include "table/workload.h"

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "8f3c2a1e-5b6d-4c7e-9f80-1a2b3c4d5e6f"
#define UID_ "8f3c2a1e_5b6d_4c7e_9f80_1a2b3c4d5e6f"

struct shape {
	const char *path;
	const char *unit, *user_unit, *id, *runtime, *pod, *qos;
};

static const struct shape shapes[] = {
	/* systemd units */
	{ "/", "", "", "", "", "", "" },
	{ "/init.scope", "init.scope", "", "", "", "", "" },
	{ "/system.slice/nginx.service", "nginx.service", "", "", "", "", "" },
	{ "/system.slice/system-getty.slice/getty@tty1.service", "getty@tty1.service", "", "", "", "", "" },
	{ "/system.slice/postgresql@15-main.service/extra", "postgresql@15-main.service", "", "", "", "", "" },
	{ "/user.slice/user-1000.slice/session-3.scope", "session-3.scope", "", "", "", "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope",
	  "user@1000.service", "app-firefox.scope", "", "", "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/syncthing.service",
	  "user@1000.service", "syncthing.service", "", "", "", "" },
	{ "/system.slice/run-r3b1f.scope", "run-r3b1f.scope", "", "", "", "", "" },
	{ "/system.slice", "", "", "", "", "", "" },
	/* docker */
	{ "/system.slice/docker-" ID64 ".scope", "docker-" ID64 ".scope", "", ID64, "docker", "", "" },
	{ "/docker/" ID64, "", "", ID64, "docker", "", "" },
	{ "/system.slice/docker.service", "docker.service", "", "", "", "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/docker-" ID64 ".scope",
	  "user@1000.service", "docker-" ID64 ".scope", ID64, "docker", "", "" },
	/* kubernetes + containerd, systemd driver, each QoS class */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/cri-containerd-" ID64 ".scope",
	  "cri-containerd-" ID64 ".scope", "", ID64, "containerd", UID, "burstable" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/cri-containerd-" ID64 ".scope",
	  "cri-containerd-" ID64 ".scope", "", ID64, "containerd", UID, "besteffort" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID64 ".scope",
	  "cri-containerd-" ID64 ".scope", "", ID64, "containerd", UID, "guaranteed" },
	/* the pod slice itself: a pod, no container */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice",
	  "", "", "", "", UID, "burstable" },
	/* kind: kubelet under its own slice */
	{ "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod" UID_ ".slice/cri-containerd-" ID64 ".scope",
	  "cri-containerd-" ID64 ".scope", "", ID64, "containerd", UID, "besteffort" },
	/* cgroupfs driver */
	{ "/kubepods/burstable/pod" UID "/" ID64, "", "", ID64, "", UID, "burstable" },
	{ "/kubepods/besteffort/pod" UID "/" ID64, "", "", ID64, "", UID, "besteffort" },
	{ "/kubepods/pod" UID "/" ID64, "", "", ID64, "", UID, "guaranteed" },
	{ "/kubepods/burstable/pod" UID "/crio-" ID64, "", "", ID64, "cri-o", UID, "burstable" },
	/* CRI-O, systemd driver; its monitor is not the container */
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID64 ".scope",
	  "crio-" ID64 ".scope", "", ID64, "cri-o", UID, "guaranteed" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID64 ".scope/container",
	  "crio-" ID64 ".scope", "", ID64, "cri-o", UID, "guaranteed" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" ID64 ".scope",
	  "crio-conmon-" ID64 ".scope", "", "", "", UID, "guaranteed" },
	/* containerd without Kubernetes */
	{ "/system.slice/nerdctl-" ID64 ".scope", "nerdctl-" ID64 ".scope", "", ID64, "containerd", "", "" },
	{ "/default/" ID64, "", "", ID64, "containerd", "", "" },
	{ "/k8s.io/" ID64, "", "", ID64, "containerd", "", "" },
	/* podman: rootful, rootless, cgroupfs, and its conmon */
	{ "/machine.slice/libpod-" ID64 ".scope", "libpod-" ID64 ".scope", "", ID64, "podman", "", "" },
	{ "/machine.slice/libpod-" ID64 ".scope/container", "libpod-" ID64 ".scope", "", ID64, "podman", "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64 ".scope",
	  "user@1000.service", "libpod-" ID64 ".scope", ID64, "podman", "", "" },
	{ "/libpod_parent/libpod-" ID64, "", "", ID64, "podman", "", "" },
	{ "/machine.slice/libpod-conmon-" ID64 ".scope", "libpod-conmon-" ID64 ".scope", "", "", "", "", "" },
	/* not containers: short or upper-case hex, a lone "pod" outside kubepods */
	{ "/docker/0123", "", "", "", "", "", "" },
	{ "/docker/" "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "", "", "", "", "", "" },
	{ "/pods/pod" UID, "", "", "", "", "", "" },
	{ "/system.slice/.service", "", "", "", "", "", "" },
};

static void test_shapes(void **state)
{
	struct sw_workload w;
	size_t i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];

		sw_workload_parse(s->path, &w);
		assert_string_equal(w.cgroup, s->path);
		assert_string_equal(w.unit, s->unit);
		assert_string_equal(w.user_unit, s->user_unit);
		assert_string_equal(w.container_id, s->id);
		assert_string_equal(w.runtime, s->runtime);
		assert_string_equal(w.pod_uid, s->pod);
		assert_string_equal(w.qos_class, s->qos);
	}
}

static void test_long_and_odd_paths(void **state)
{
	char path[4096];
	struct sw_workload w;
	size_t i;

	/* deeper than the parser looks, longer than the field: no overflow */
	for (i = 0; i + 2 < sizeof(path); i += 2)
		memcpy(path + i, "/a", 2);
	path[i] = '\0';
	sw_workload_parse(path, &w);
	assert_int_equal(strlen(w.cgroup), SW_WL_PATH_LEN - 1);
	sw_workload_parse("", &w);
	assert_string_equal(w.cgroup, "/");
	sw_workload_parse(NULL, &w);
	assert_string_equal(w.cgroup, "/");
	sw_workload_parse("//system.slice//x.service/", &w);
	assert_string_equal(w.unit, "x.service");
}

static void test_label(void **state)
{
	struct sw_workload w;
	char buf[128];

	sw_workload_label(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	sw_workload_parse("/system.slice/docker-" ID64 ".scope", &w);
	sw_workload_label(&w, buf, sizeof(buf));
	assert_string_equal(buf, "docker:0123456789ab");
	sw_workload_parse("/system.slice/nginx.service", &w);
	sw_workload_label(&w, buf, sizeof(buf));
	assert_string_equal(buf, "nginx.service");
	sw_workload_parse("/user.slice/user-1000.slice/user@1000.service/app.slice/x.service", &w);
	sw_workload_label(&w, buf, sizeof(buf));
	assert_string_equal(buf, "x.service");
	sw_workload_parse("/mygroup/sub", &w);
	sw_workload_label(&w, buf, sizeof(buf));
	assert_string_equal(buf, "/mygroup/sub");
}

static void test_json(void **state)
{
	struct sw_workload w;
	struct sw_json j;

	sw_json_init(&j);
	sw_workload_parse("/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID64 ".scope", &w);
	sw_json_obj_begin(&j);
	sw_workload_json(&j, &w);
	sw_json_obj_end(&j);
	assert_string_equal(sw_json_cstr(&j),
		"{\"cgroup\":\"/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID64 ".scope\","
		"\"unit\":\"cri-containerd-" ID64 ".scope\",\"user_unit\":null,"
		"\"container_id\":\"" ID64 "\",\"container_runtime\":\"containerd\","
		"\"pod_uid\":\"" UID "\",\"qos_class\":\"guaranteed\","
		"\"container_name\":null,\"pod_name\":null,\"namespace\":null}");
	sw_json_reset(&j);
	sw_json_obj_begin(&j);
	sw_workload_json(&j, NULL);
	sw_json_obj_end(&j);
	assert_non_null(strstr(sw_json_cstr(&j), "\"cgroup\":null"));
	sw_json_free(&j);
}

static void test_filter(void **state)
{
	struct sw_workload_filter f = { 0 };
	struct sw_workload w;
	char err[128];

	sw_workload_parse("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
			  ".slice/cri-containerd-" ID64 ".scope", &w);
	assert_true(sw_workload_filter_empty(&f));
	assert_true(sw_workload_match(&f, NULL));
	assert_int_equal(sw_workload_filter_set(&f, "container", "0123456789ab", err, sizeof(err)), 0);
	assert_true(sw_workload_match(&f, &w));
	assert_false(sw_workload_match(&f, NULL));
	assert_int_equal(sw_workload_filter_set(&f, "container", "0123456789ac", err, sizeof(err)), 0);
	assert_false(sw_workload_match(&f, &w));
	snprintf(w.container_name, sizeof(w.container_name), "web");
	assert_int_equal(sw_workload_filter_set(&f, "container", "web", err, sizeof(err)), 0);
	assert_true(sw_workload_match(&f, &w));
	/* the kubelet's underscores are accepted for dashes */
	assert_int_equal(sw_workload_filter_set(&f, "pod_uid", UID_, err, sizeof(err)), 0);
	assert_string_equal(f.pod_uid, UID);
	assert_true(sw_workload_match(&f, &w));
	assert_int_equal(sw_workload_filter_set(&f, "unit", "nginx.service", err, sizeof(err)), 0);
	assert_false(sw_workload_match(&f, &w));
	/* bad values: one message naming the key */
	assert_int_equal(sw_workload_filter_set(&f, "unit", "", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unit"));
	assert_int_equal(sw_workload_filter_set(&f, "unit", "a\nb", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0x0a"));
	assert_int_equal(sw_workload_filter_set(&f, "container", "../x", err, sizeof(err)), -1);
	assert_int_equal(sw_workload_filter_set(&f, "nope", "x", err, sizeof(err)), -1);
}

static void write_file(const char *path, const char *text)
{
	char dir[512], *p;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_metadata(void **state)
{
	char root[] = "/tmp/sw-wl-meta.XXXXXX", path[512], cmd[600];
	struct sw_workload w;

	assert_non_null(mkdtemp(root));
	/* containerd CRI: the shim's bundle carries the CRI annotations */
	snprintf(path, sizeof(path), "%s/run/containerd/io.containerd.runtime.v2.task/k8s.io/%s/config.json", root, ID64);
	write_file(path, "{\"ociVersion\":\"1.0.2\",\"annotations\":{"
		   "\"io.kubernetes.cri.container-name\":\"web\","
		   "\"io.kubernetes.cri.sandbox-name\":\"web-5d9c\","
		   "\"io.kubernetes.cri.sandbox-namespace\":\"shop\"}}");
	sw_workload_parse("/kubepods/burstable/pod" UID "/" ID64, &w);
	assert_string_equal(w.runtime, "");
	assert_int_equal(sw_workload_read_meta(root, &w), 0);
	assert_string_equal(w.runtime, "containerd");
	assert_string_equal(w.container_name, "web");
	assert_string_equal(w.pod_name, "web-5d9c");
	assert_string_equal(w.namespace, "shop");
	unlink(path);

	/* CRI-O */
	snprintf(path, sizeof(path), "%s/run/containers/storage/overlay-containers/%s/userdata/config.json", root, ID64);
	write_file(path, "{\"annotations\":{\"io.kubernetes.container.name\":\"db\","
		   "\"io.kubernetes.pod.name\":\"db-0\",\"io.kubernetes.pod.namespace\":\"data\"}}");
	sw_workload_parse("/kubepods/burstable/pod" UID "/" ID64, &w);
	assert_int_equal(sw_workload_read_meta(root, &w), 0);
	assert_string_equal(w.runtime, "cri-o");
	assert_string_equal(w.container_name, "db");
	assert_string_equal(w.pod_name, "db-0");
	assert_string_equal(w.namespace, "data");
	unlink(path);

	/* docker: its own name, without the slash */
	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s/config.v2.json", root, ID64);
	write_file(path, "{\"Name\":\"/redis\",\"Config\":{\"Labels\":{}}}");
	sw_workload_parse("/system.slice/docker-" ID64 ".scope", &w);
	assert_int_equal(sw_workload_read_meta(root, &w), 0);
	assert_string_equal(w.container_name, "redis");
	assert_string_equal(w.pod_name, "");
	/* broken metadata: ignored, never fatal */
	write_file(path, "{\"Name\":");
	sw_workload_parse("/system.slice/docker-" ID64 ".scope", &w);
	assert_int_equal(sw_workload_read_meta(root, &w), -1);
	assert_string_equal(w.container_name, "");
	/* no container, no lookup */
	sw_workload_parse("/system.slice/nginx.service", &w);
	assert_int_equal(sw_workload_read_meta(root, &w), -1);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* The cache against the real cgroup v2 hierarchy, where we may write. */
static const char *cgroup2_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	struct statfs sf;
	size_t i;

	for (i = 0; i < 2; i++)
		if (!statfs(roots[i], &sf) && sf.f_type == CGROUP2_SUPER_MAGIC &&
		    !access(roots[i], W_OK))
			return roots[i];
	return NULL;
}

static void test_cache(void **state)
{
	const char *root = cgroup2_root();
	char dir[512], sub[600];
	const struct sw_workload *w;
	struct sw_workloads *c;
	struct stat st;
	size_t pos = 0, n = 0;

	if (!root)
		skip();
	snprintf(dir, sizeof(dir), "%s/sw-unit-%d.slice", root, (int)getpid());
	snprintf(sub, sizeof(sub), "%s/sw-unit-%d.service", dir, (int)getpid());
	if (mkdir(dir, 0755) || mkdir(sub, 0755))
		skip();
	c = sw_workloads_new(root, "/");
	assert_non_null(c);
	assert_int_equal(stat(sub, &st), 0);
	w = sw_workloads_get(c, st.st_ino);
	assert_non_null(w);
	assert_non_null(strstr(w->cgroup, "/sw-unit-"));
	assert_non_null(strstr(w->unit, ".service"));
	assert_ptr_equal(sw_workloads_get(c, st.st_ino), w);	/* cached */
	assert_non_null(sw_workloads_get(c, 1));
	assert_string_equal(sw_workloads_get(c, 1)->cgroup, "/");
	/* this process's own cgroup, through its pid */
	assert_int_not_equal(sw_workloads_cgroup_of_pid(c, getpid()), 0);
	while (sw_workloads_next(c, &pos))
		n++;
	assert_int_equal(n, sw_workloads_count(c));
	/* gone: dropped by a prune, and an unknown id resolves to nothing */
	assert_int_equal(sw_workloads_prune(c), 0);
	rmdir(sub);
	assert_int_equal(sw_workloads_prune(c), 1);
	assert_null(sw_workloads_get(c, st.st_ino));
	assert_null(sw_workloads_get(c, 0));
	rmdir(dir);
	sw_workloads_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_long_and_odd_paths),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

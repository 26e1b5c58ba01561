// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include "kernel/attach_plan.h"

#define SW_CGROUP2_MNT "/run/sockwatch/cgroup2"

static const char *const mech_names[SW_MECH_MAX] = {
	[SW_MECH_NONE]		= "none",
	[SW_MECH_FENTRY]	= "fentry",
	[SW_MECH_TP_BTF]	= "tp_btf",
	[SW_MECH_CGROUP]	= "cgroup",
	[SW_MECH_TRACEPOINT]	= "tracepoint",
};

const char *sw_mech_name(enum sw_mech m)
{
	return m < SW_MECH_MAX ? mech_names[m] : "?";
}

/*
 * Candidates per event kind, best first. The hooks named here are the
 * programs in bpf/; fentry is listed where a program for it would beat
 * the fallback, and is probed so that the plan says whether it could.
 */
struct candidate {
	enum sw_mech mech;
	const char *hook;
	bool have_prog;		/* sockwatch ships a program for it */
};

static const struct {
	const char *event;
	struct candidate c[SW_PLAN_MAX_CAND];
} candidates[SW_HOOK_MAX] = {
	[SW_HOOK_CREATE]  = { "create",  { { SW_MECH_CGROUP, "cgroup/sock_create", true } } },
	[SW_HOOK_BIND]	  = { "bind",    { { SW_MECH_CGROUP, "cgroup/post_bind4+6", true } } },
	[SW_HOOK_CONNECT] = { "connect", { { SW_MECH_CGROUP, "cgroup/connect4+6", true } } },
	[SW_HOOK_STATE]	  = { "state",   { { SW_MECH_TP_BTF, "tp_btf/inet_sock_set_state", true } } },
	/*
	 * fexit/inet_csk_accept could write the owner into socket storage
	 * directly; the syscall tracepoint with the cookie-keyed hand-off
	 * gives the same attribution on every kernel, fentry or not, so it
	 * is the one hook (fentry is still probed and reported).
	 */
	[SW_HOOK_ACCEPT]  = { "accept",  { { SW_MECH_TRACEPOINT, "tracepoint/syscalls/sys_exit_accept{,4}", true } } },
	[SW_HOOK_CLOSE]	  = { "close",   { { SW_MECH_CGROUP, "cgroup/sock_release", true } } },
};

/* r0 = 1; exit: the smallest program every type accepts. */
static const struct bpf_insn ret1[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* btf_id: the attach target for tracing programs (< 0: its lookup failed). */
static int try_load(enum bpf_prog_type type, enum bpf_attach_type attach,
		    int btf_id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = attach);
	int fd;

	if (btf_id < 0)
		return btf_id;
	o.attach_btf_id = btf_id;
	fd = bpf_prog_load(type, "sw_probe", "GPL", ret1, 2, &o);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void note(struct sw_attach_plan *p, enum sw_mech m, int err, const char *what)
{
	p->mech_ok[m] = !err;
	if (err)
		snprintf(p->mech_why[m], sizeof(p->mech_why[m]), "%s: %s",
			 what, strerror(-err));
	else
		snprintf(p->mech_why[m], sizeof(p->mech_why[m]), "%s: loads", what);
}

static bool tracepoint_exists(const char *cat, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s/%s/id", cat, name);
	if (!access(path, R_OK))
		return true;
	snprintf(path, sizeof(path), "/sys/kernel/debug/tracing/events/%s/%s/id", cat, name);
	return !access(path, R_OK);
}

/* The first cgroup2 mount listed in a mounts file, prefixed by root. */
static bool find_cgroup2(const char *mounts, const char *root, char *path, size_t len)
{
	struct mntent *m;
	FILE *f = setmntent(mounts, "r");
	bool found = false;

	if (!f)
		return false;
	while ((m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(path, len, "%s%s", root, m->mnt_dir);
			found = true;
			break;
		}
	endmntent(f);
	return found;
}

static bool same_ns(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return true;	/* cannot tell: assume the host's */
	return sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

int sw_cgroup2_root(char *path, size_t len)
{
	/*
	 * In a container with its own cgroup namespace (what Kubernetes
	 * gives), the local cgroup2 mount is the container's subtree, and
	 * programs attached there would see only the container. The host's
	 * hierarchy is reachable through PID 1's root when the pod shares
	 * the host's PID namespace (hostPID).
	 */
	if (!same_ns("/proc/self/ns/cgroup", "/proc/1/ns/cgroup") &&
	    find_cgroup2("/proc/1/mounts", "/proc/1/root", path, len))
		return 0;
	if (find_cgroup2("/proc/self/mounts", "", path, len))
		return 0;
	/* No v2 hierarchy mounted: mount one; its root holds every task. */
	mkdir("/run/sockwatch", 0700);
	mkdir(SW_CGROUP2_MNT, 0700);
	if (mount("cgroup2", SW_CGROUP2_MNT, "cgroup2", 0, NULL))
		return -errno;
	snprintf(path, len, "%s", SW_CGROUP2_MNT);
	return 0;
}

/* The vmlinux BTF id of a name, or -errno. */
static int btf_id(const struct btf *vmlinux, const char *name, __u32 kind)
{
	int id;

	if (!vmlinux)
		return -ENOENT;
	id = btf__find_by_name_kind(vmlinux, name, kind);
	return id < 0 ? -ENOENT : id;
}

static void probe_tracing(struct sw_attach_plan *p)
{
	/* parsed once: it is megabytes, and the skeleton parses it again */
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int err;

	if (libbpf_get_error(vmlinux))
		vmlinux = NULL;
	err = try_load(BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT,
		       btf_id(vmlinux, "inet_csk_accept", BTF_KIND_FUNC));
	note(p, SW_MECH_FENTRY, err, "fexit inet_csk_accept");
	err = try_load(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP,
		       btf_id(vmlinux, "btf_trace_inet_sock_set_state", BTF_KIND_TYPEDEF));
	note(p, SW_MECH_TP_BTF, err, "tp_btf inet_sock_set_state");
	btf__free(vmlinux);
}

static void probe_mechs(struct sw_attach_plan *p, bool full)
{
	int err;

	if (full) {
		probe_tracing(p);
	} else {
		p->mech_ok[SW_MECH_TP_BTF] = true;
		snprintf(p->mech_why[SW_MECH_TP_BTF], sizeof(p->mech_why[0]),
			 "tp_btf: proved by loading sockwatch's programs");
		snprintf(p->mech_why[SW_MECH_FENTRY], sizeof(p->mech_why[0]),
			 "fentry: not probed at start (sockwatch status probes it)");
	}

	err = sw_cgroup2_root(p->cgroup_path, sizeof(p->cgroup_path));
	if (!err)
		err = try_load(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, 0);
	if (!err)
		err = try_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, 0);
	note(p, SW_MECH_CGROUP, err, "cgroup v2 sock programs");

	err = tracepoint_exists("syscalls", "sys_exit_accept4") ? 0 : -ENOENT;
	if (!err)
		err = try_load(BPF_PROG_TYPE_TRACEPOINT, 0, 0);
	note(p, SW_MECH_TRACEPOINT, err, "syscall tracepoints");
}

void sw_plan_probe(struct sw_attach_plan *p, bool full)
{
	int k, i;

	memset(p, 0, sizeof(*p));
	probe_mechs(p, full);
	p->complete = true;
	for (k = 0; k < SW_HOOK_MAX; k++) {
		struct sw_plan_entry *e = &p->e[k];
		size_t n = 0;

		e->event = candidates[k].event;
		for (i = 0; i < SW_PLAN_MAX_CAND && candidates[k].c[i].hook; i++) {
			const struct candidate *c = &candidates[k].c[i];

			if (p->mech_ok[c->mech] && c->have_prog && !e->chosen) {
				e->chosen = c->mech;
				e->hook = c->hook;
				continue;
			}
			if (e->chosen)
				break;
			n += snprintf(e->why + n, sizeof(e->why) - n, "%s%s %s",
				      n ? "; " : "passed over: ", c->hook,
				      !p->mech_ok[c->mech] ? "(does not load here)" :
				      "(loads, but sockwatch has no program for it yet)");
			if (n >= sizeof(e->why))
				break;
		}
		if (!e->chosen) {
			e->hook = "-";
			p->complete = false;
		} else if (!n) {
			snprintf(e->why, sizeof(e->why), "chosen: %s",
				 p->mech_why[e->chosen]);
		}
	}
}

void sw_plan_print(const struct sw_attach_plan *p, FILE *f)
{
	int k;

	fprintf(f, "attach plan (%s):\n", p->complete ? "complete" : "INCOMPLETE");
	for (k = 0; k < SW_HOOK_MAX; k++)
		fprintf(f, "  %-8s %-42s %s\n", p->e[k].event, p->e[k].hook,
			p->e[k].why);
	fprintf(f, "probes:\n");
	for (k = 1; k < SW_MECH_MAX; k++)
		fprintf(f, "  %-10s %s\n", sw_mech_name(k), p->mech_why[k]);
	if (p->cgroup_path[0])
		fprintf(f, "cgroup v2 root: %s\n", p->cgroup_path);
}

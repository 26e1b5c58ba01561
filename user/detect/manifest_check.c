// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent/agent.h"
#include "table/decode.h"
#include "detect/manifest.h"
#include "detect/manifest_check.h"
#include "table/procfs.h"

/*
 * Drift already alerted, by (pid, direction, port): a direct-mapped set,
 * so that a process that keeps connecting to an unlisted port alerts once
 * (a collision only means one more alert, never one less).
 */
#define SEEN_SLOTS 4096
struct drift_seen {
	__u64 key[SEEN_SLOTS];
};

struct sw_manifest {
	struct manifest m;
	struct drift_seen seen;
};

int sw_manifest_setup(struct sw_agent *a)
{
	struct sw_manifest *sm;
	char err[512];

	if (!a->cfg.manifest.path[0])
		return 0;
	sm = calloc(1, sizeof(*sm));
	if (!sm)
		return -1;
	if (manifest_load(a->cfg.manifest.path, &sm->m, err, sizeof(err))) {
		fprintf(stderr, "sockwatch: %s\n", err);	/* names the manifest */
		free(sm);
		return -1;
	}
	a->manifest = sm;
	return 0;
}

void sw_manifest_teardown(struct sw_agent *a)
{
	if (!a->manifest)
		return;
	manifest_free(&a->manifest->m);
	free(a->manifest);
	a->manifest = NULL;
}

/* Base name of /proc/PID/exe, or of the directory of a script run by an
 * interpreter (sockscan names Python services after that directory). */
static void exe_names(__u32 pid, char *exe, char *script, size_t len)
{
	char path[64], buf[PATH_MAX], cmd[PATH_MAX];
	ssize_t n;
	char *arg;

	exe[0] = script[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		snprintf(exe, len, "%s", basename(buf));
	}
	if (sw_proc_cmdline(pid, cmd, sizeof(cmd)) < 0)
		return;
	/* the first argument after the interpreter that names a .py file */
	for (arg = strtok(cmd, " "); arg; arg = strtok(NULL, " ")) {
		size_t l = strlen(arg);

		if (l > 3 && !strcmp(arg + l - 3, ".py")) {
			snprintf(script, len, "%s", basename(dirname(arg)));
			return;
		}
	}
}

const char *sw_manifest_service(const struct manifest *m, __u32 pid,
				const char *comm)
{
	char exe[NAME_MAX + 1], script[NAME_MAX + 1];
	const char *svc;

	exe_names(pid, exe, script, sizeof(exe));
	svc = manifest_service_of(m, comm, exe[0] ? exe : NULL);
	if (!svc && script[0])
		svc = manifest_service_of(m, NULL, script);
	return svc;
}

static bool seen_before(struct drift_seen *s, __u32 pid, int dir, __u16 port)
{
	__u64 key = (__u64)pid << 32 | (__u64)dir << 16 | port;
	unsigned i = (unsigned)((key * 0x9e3779b97f4a7c15ULL) >> 52) % SEEN_SLOTS;

	if (s->key[i] == key + 1)
		return true;
	s->key[i] = key + 1;
	return false;
}

void sw_manifest_check_event(struct sw_agent *a, const struct sw_event *e)
{
	struct sw_manifest *sm = a->manifest;
	char host[SW_ADDR_STRLEN] = "", key[SW_ALERT_KEYLEN];
	enum manifest_dir dir;
	const char *svc;
	struct sw_alert al;
	__u16 port;

	if (e->kind == SW_EV_LISTEN) {
		dir = MANIFEST_INGRESS;
		port = e->lport;
	} else if (e->kind == SW_EV_CONNECT && e->proto == IPPROTO_TCP) {
		dir = MANIFEST_EGRESS;
		port = e->rport;
		sw_fmt_addr(host, e->family, e->raddr);
	} else {
		return;
	}
	if (!(e->flags & SW_F_OWNER_KNOWN))
		return;
	svc = sw_manifest_service(&sm->m, e->pid, e->comm);
	if (!svc)
		return;		/* the manifest says nothing about it */
	if (manifest_match(&sm->m, svc, dir, port, host[0] ? host : NULL, NULL) !=
	    MANIFEST_UNLISTED)
		return;
	if (seen_before(&sm->seen, e->pid, dir, port))
		return;
	sw_alert_init(&al, SW_ALERT_MANIFEST_DRIFT, "service", e->ts_ns);
	snprintf(key, sizeof(key), "%s", svc);
	sw_alert_set_key(&al, key);
	sw_alert_set_owner(&al, e->pid, e->comm);
	sw_alert_str(&al, "direction", dir == MANIFEST_INGRESS ? "ingress" : "egress");
	sw_alert_uint(&al, "port", port);
	if (host[0])
		sw_alert_str(&al, "host", host);
	sw_alert_str(&al, "proto", sw_proto_name(e->proto));
	sw_agent_alert(a, &al);
}

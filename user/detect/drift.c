// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Runtime drift against the sockscan manifest (see drift.h). */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include "detect/drift.h"
#include "detect/manifest.h"
#include "lib/hashmap.h"
#include "table/decode.h"
#include "table/procfs.h"

/*
 * Drift already alerted, by (pid, direction, port) packed in a u64: a set
 * (lib/hashmap.h) of at most SEEN_MAX keys. When it is full it is emptied:
 * a process that keeps connecting to an unlisted port alerts once per
 * SEEN_MAX distinct drifts at most, never less than once.
 */
#define SEEN_MAX	4096

struct sw_drift {
	struct manifest m;
	struct sw_map seen;	/* __u64 keys */
};

static struct sw_drift *drift_alloc(void)
{
	struct sw_drift *d = calloc(1, sizeof(*d));

	if (d && sw_map_init(&d->seen, sizeof(__u64), sizeof(__u64), 0)) {
		free(d);
		return NULL;
	}
	return d;
}

struct sw_drift *sw_drift_new(const char *path, char *err, size_t errlen)
{
	struct sw_drift *d = drift_alloc();

	if (!d) {
		snprintf(err, errlen, "manifest: out of memory");
		return NULL;
	}
	if (manifest_load(path, &d->m, err, errlen)) {
		sw_drift_free(d);
		return NULL;
	}
	return d;
}

struct sw_drift *sw_drift_new_string(const char *json, const char *name,
				     char *err, size_t errlen)
{
	struct sw_drift *d = drift_alloc();

	if (!d) {
		snprintf(err, errlen, "manifest: out of memory");
		return NULL;
	}
	if (manifest_load_string(json, name, &d->m, err, errlen)) {
		sw_drift_free(d);
		return NULL;
	}
	return d;
}

void sw_drift_free(struct sw_drift *d)
{
	if (!d)
		return;
	manifest_free(&d->m);
	sw_map_free(&d->seen);
	free(d);
}

/* The directory name of the first argument that names a .py file. */
static void script_dir(char *cmd, char *script, size_t len)
{
	char *arg = cmd, *end;

	while (*arg) {
		size_t l;

		while (*arg == ' ')
			arg++;
		end = strchr(arg, ' ');
		l = end ? (size_t)(end - arg) : strlen(arg);
		if (l > 3 && !strncmp(arg + l - 3, ".py", 3)) {
			arg[l] = '\0';
			snprintf(script, len, "%s", basename(dirname(arg)));
			return;
		}
		arg += l;
	}
}

/* Base name of /proc/PID/exe, or of the directory of a script run by an
 * interpreter (sockscan names Python services after that directory). */
static void exe_names(__u32 pid, char *exe, char *script, size_t len)
{
	char path[64], buf[PATH_MAX], cmd[PATH_MAX];
	ssize_t n;

	exe[0] = script[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		snprintf(exe, len, "%s", basename(buf));
	}
	if (sw_proc_cmdline(pid, cmd, sizeof(cmd)) < 0)
		return;
	script_dir(cmd, script, len);
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

static bool seen_before(struct sw_drift *d, __u32 pid, int dir, __u16 port)
{
	__u64 key = (__u64)pid << 32 | (__u64)dir << 16 | port;
	bool fresh;

	if (sw_map_get(&d->seen, &key))
		return true;
	if (sw_map_count(&d->seen) >= SEEN_MAX)
		sw_map_clear(&d->seen);
	sw_map_put(&d->seen, &key, &fresh);	/* out of memory: alert again */
	return false;
}

bool sw_drift_check(struct sw_drift *d, const struct sw_event *e,
		    struct sw_alert *out)
{
	char host[SW_ADDR_STRLEN] = "";
	enum manifest_dir dir;
	const char *svc;
	__u16 port;

	if (e->kind == SW_EV_LISTEN) {
		dir = MANIFEST_INGRESS;
		port = e->lport;
	} else if (e->kind == SW_EV_CONNECT && e->proto == IPPROTO_TCP) {
		dir = MANIFEST_EGRESS;
		port = e->rport;
		sw_fmt_addr(host, e->family, e->raddr);
	} else {
		return false;
	}
	if (!(e->flags & SW_F_OWNER_KNOWN))
		return false;
	svc = sw_manifest_service(&d->m, e->pid, e->comm);
	if (!svc)
		return false;		/* the manifest says nothing about it */
	if (manifest_match(&d->m, svc, dir, port, host[0] ? host : NULL, NULL) !=
	    MANIFEST_UNLISTED)
		return false;
	if (seen_before(d, e->pid, dir, port))
		return false;
	sw_alert_init(out, SW_ALERT_MANIFEST_DRIFT, "service", e->ts_ns);
	sw_alert_set_key(out, svc);
	sw_alert_set_owner(out, e->pid, e->comm);
	sw_alert_str(out, "direction", dir == MANIFEST_INGRESS ? "ingress" : "egress");
	sw_alert_uint(out, "port", port);
	if (host[0])
		sw_alert_str(out, "host", host);
	sw_alert_str(out, "proto", sw_proto_name(e->proto));
	return true;
}

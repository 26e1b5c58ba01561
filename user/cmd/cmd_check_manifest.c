// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch check-manifest FILE: compare the sockets that exist now with
 * a sockscan manifest, once. Listening sockets are ingress on their local
 * port; connections whose local port is no listener's are egress to their
 * remote port. Sockets of processes the manifest does not name are not
 * judged. Exit 0 when nothing drifts, 1 when something does.
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "table/decode.h"
#include "lib/json_writer.h"
#include "detect/manifest.h"
#include "detect/drift.h"
#include "table/procfs.h"
#include "table/sockdiag.h"
#include "lib/quote.h"

struct check_opts {
	const char *path;
	bool json;
};

/* Listening ports per network namespace, to tell inbound connections. */
#define MAX_LISTEN 4096
struct check_run {
	struct manifest m;
	struct sw_owner_map owners;
	struct { __u32 netns; __u16 port; } listen[MAX_LISTEN];
	size_t nlisten;
	struct sw_json j;
	bool json;
	unsigned checked, drift;
};

static bool is_listener_port(const struct check_run *r, __u32 netns, __u16 port)
{
	size_t i;

	for (i = 0; i < r->nlisten; i++)
		if (r->listen[i].netns == netns && r->listen[i].port == port)
			return true;
	return false;
}

static int collect_listener(const struct sw_diag_sock *d, void *ctx)
{
	struct check_run *r = ctx;

	if (d->state == SW_TCP_LISTEN && r->nlisten < MAX_LISTEN) {
		r->listen[r->nlisten].netns = d->netns;
		r->listen[r->nlisten++].port = d->lport;
	}
	return 0;
}

static void report(struct check_run *r, const struct sw_owner *o, const char *svc,
		   enum manifest_dir dir, const struct sw_diag_sock *d,
		   __u16 port, const char *host)
{
	const char *dname = dir == MANIFEST_INGRESS ? "ingress" : "egress";

	r->drift++;
	if (!r->json) {
		printf("drift: service %s (pid %u, %s) %s %s port %u%s%s, not in the manifest\n",
		       svc, o->pid, o->comm, sw_proto_name(d->proto),
		       dir == MANIFEST_INGRESS ? "listens on" : "connects to", port,
		       host ? " of " : "", host ? host : "");
		return;
	}
	sw_json_obj_begin(&r->j);
	sw_json_kstr(&r->j, "service", svc);
	sw_json_kuint(&r->j, "pid", o->pid);
	sw_json_kstr(&r->j, "comm", o->comm);
	sw_json_kstr(&r->j, "direction", dname);
	sw_json_kstr(&r->j, "proto", sw_proto_name(d->proto));
	sw_json_kuint(&r->j, "port", port);
	if (host)
		sw_json_kstr(&r->j, "host", host);
	else
		sw_json_knull(&r->j, "host");
	sw_json_obj_end(&r->j);
}

static int check_one(const struct sw_diag_sock *d, void *ctx)
{
	struct check_run *r = ctx;
	const struct sw_owner *o = sw_owner_lookup(&r->owners, d->inode);
	char host[SW_ADDR_STRLEN];
	enum manifest_dir dir;
	const char *svc;
	__u16 port;
	bool udp = d->proto == IPPROTO_UDP;

	if (!o)
		return 0;
	if ((!udp && d->state == SW_TCP_LISTEN) || (udp && !d->rport && d->lport)) {
		dir = MANIFEST_INGRESS;
		port = d->lport;
		host[0] = '\0';
	} else if (d->rport && !is_listener_port(r, d->netns, d->lport)) {
		dir = MANIFEST_EGRESS;
		port = d->rport;
		sw_fmt_addr(host, d->family, d->raddr);
	} else {
		return 0;
	}
	svc = sw_manifest_service(&r->m, o->pid, o->comm);
	if (!svc)
		return 0;
	r->checked++;
	if (manifest_match(&r->m, svc, dir, port, host[0] ? host : NULL, NULL) ==
	    MANIFEST_UNLISTED)
		report(r, o, svc, dir, d, port, host[0] ? host : NULL);
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char q[SW_QUOTE_LEN];
	struct check_opts *o = state->input;

	switch (key) {
	case 'j':
		o->json = true;
		break;
	case ARGP_KEY_ARG:
		if (o->path)
			sw_arg_fail(state, "unexpected argument %s", sw_quote(q, sizeof(q), arg));
		o->path = arg;
		break;
	case ARGP_KEY_END:
		if (!o->path)
			sw_arg_fail(state, "missing the manifest FILE (the JSON sockscan writes)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option options[] = {
	{ "json", 'j', NULL, 0, "Print the differences as JSON", 0 },
	{ 0 },
};

static const struct argp argp = {
	options, parse_opt, "FILE",
	"Compare the sockets that exist now with a sockscan manifest and print "
	"the differences (exit 1 when there are any).",
};

int cmd_check_manifest(int argc, char **argv)
{
	static const struct sw_diag_req all = { 0 };
	struct check_opts o = { 0 };
	struct check_run *r;
	char err[512];
	int rc = 2;

	if (argp_parse(&argp, argc, argv, 0, NULL, &o))
		return 64;
	r = calloc(1, sizeof(*r));
	if (!r)
		return 2;
	r->json = o.json;
	sw_json_init(&r->j);
	if (manifest_load(o.path, &r->m, err, sizeof(err))) {
		fprintf(stderr, "sockwatch: %s\n", err);
		goto out;
	}
	if (sw_owner_map_build(&r->owners) < 0 ||
	    sw_diag_dump_all(&all, collect_listener, r) < 0) {
		fprintf(stderr, "sockwatch: cannot list the sockets of this machine (run as root)\n");
		goto out_free;
	}
	if (r->json) {
		sw_json_obj_begin(&r->j);
		sw_json_key(&r->j, "drift");
		sw_json_arr_begin(&r->j);
	}
	sw_diag_dump_all(&all, check_one, r);
	if (r->json) {
		sw_json_arr_end(&r->j);
		sw_json_kuint(&r->j, "checked", r->checked);
		sw_json_obj_end(&r->j);
		puts(sw_json_cstr(&r->j));
	} else {
		printf("%u sockets of manifest services checked, %u not in the manifest\n",
		       r->checked, r->drift);
	}
	rc = r->drift ? 1 : 0;
out_free:
	sw_owner_map_free(&r->owners);
	manifest_free(&r->m);
out:
	sw_json_free(&r->j);
	free(r);
	return rc;
}

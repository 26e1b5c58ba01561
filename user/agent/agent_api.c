// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The agent's JSON API: /api/v1/{sockets,processes,leaks,detectors,status,
 * health} and /healthz. Handlers run in the HTTP thread and read the
 * agent's state under its lock; each renders straight into the response's
 * JSON writer.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "agent/agent.h"
#include "table/decode.h"
#include "http/http_query.h"
#include "lib/json_writer.h"

/*
 * The first page unless ?limit= asks for more: rendering the whole table
 * of a busy node holds the agent's lock for a third of a second per
 * 100,000 sockets, while events wait in the ring. "matched" and
 * "truncated" tell the caller there is more.
 */
#define SOCKETS_DEFAULT_LIMIT	1000

static int bad_query(const struct sw_http_req *req, struct sw_http_resp *resp,
		     unsigned allowed, struct sw_query *q)
{
	char err[256];

	if (!sw_query_parse(req, allowed, q, err, sizeof(err)))
		return 0;
	sw_http_resp_error(resp, 400, "%s", err);
	return 1;
}

/* ---- /api/v1/sockets ---- */

static bool sock_match(const struct sw_query *q, const struct sw_sock *s)
{
	if ((q->has & SW_Q_PID) && s->pid != q->pid)
		return false;
	if ((q->has & SW_Q_COMM) && strncmp(s->comm, q->comm, SW_COMM_LEN))
		return false;
	if ((q->has & SW_Q_PORT) && s->lport != q->port && s->rport != q->port)
		return false;
	if ((q->has & SW_Q_STATE) && s->state != q->state)
		return false;
	if ((q->has & SW_Q_PROTO) && s->proto != q->proto)
		return false;
	return true;
}

static void json_endpoint(struct sw_json *j, const char *ka, const char *kp,
			  unsigned family, const __u8 *addr, __u16 port)
{
	char buf[SW_ADDR_STRLEN];

	sw_fmt_addr(buf, family, addr);
	sw_json_kstr(j, ka, buf);
	sw_json_kuint(j, kp, port);
}

static void sock_json(struct sw_json *j, const struct sw_sock *s,
		      const struct sw_prot_decision *d, __u64 now,
		      const struct sw_workload *w)
{
	sw_json_obj_begin(j);
	sw_json_kuint(j, "sock", s->cookie);
	sw_json_kuint(j, "pid", s->pid);
	sw_json_kstr(j, "comm", s->comm);
	sw_json_kstr(j, "family", sw_family_name(s->family));
	sw_json_kstr(j, "proto", sw_proto_name(s->proto));
	json_endpoint(j, "laddr", "lport", s->family, s->laddr, s->lport);
	json_endpoint(j, "raddr", "rport", s->family, s->raddr, s->rport);
	if (s->proto == IPPROTO_TCP)
		sw_json_kstr(j, "state", sw_tcp_state_name(s->state));
	else
		sw_json_knull(j, "state");
	sw_json_kdouble(j, "age_seconds", (now - s->birth_ns) / 1e9);
	sw_json_kbool(j, "age_exact", s->flags & SW_F_BIRTH_KNOWN);
	sw_json_kdouble(j, "state_seconds", (now - s->state_ns) / 1e9);
	sw_json_kuint(j, "rx_bytes", s->rx_bytes);
	sw_json_kuint(j, "tx_bytes", s->tx_bytes);
	sw_json_kuint(j, "netns", s->netns);
	sw_json_kbool(j, "accepted", s->flags & SW_F_ACCEPTED);
	sw_json_kbool(j, "preexisting", s->flags & SW_F_PREEXISTING);
	sw_json_kbool(j, "recovered", s->flags & SW_F_RECOVERED);
	sw_json_kbool(j, "released", s->flags & SW_F_RELEASED);
	sw_json_kstr(j, "protection", sw_prot_reason_name(d->reason));
	sw_workload_json(j, w);
	sw_json_obj_end(j);
}

static int api_sockets(const struct sw_http_req *req, struct sw_http_resp *resp,
		       void *ctx)
{
	struct sw_agent *a = ctx;
	struct sw_json *j = &resp->json;
	struct sw_prot_decision d;
	struct sw_query q;
	struct sw_sock *s;
	size_t pos = 0, n = 0, matched = 0;
	__u32 limit;
	__u64 now;

	if (bad_query(req, resp, SW_Q_ALL, &q))
		return 0;
	limit = (q.has & SW_Q_LIMIT) ? q.limit : SOCKETS_DEFAULT_LIMIT;
	sw_json_obj_begin(j);
	sw_json_key(j, "sockets");
	sw_json_arr_begin(j);
	sw_agent_lock(a);
	now = sw_mono_now();
	while ((s = sw_table_next(a->table, &pos))) {
		bool decide = (q.has & SW_Q_PROTECTION) || n < limit;
		const struct sw_workload *w = NULL;

		if (!sock_match(&q, s))
			continue;
		/* a lookup only where it is used: filtered, or written out */
		if ((q.has & SW_Q_WORKLOAD) || n < limit)
			w = sw_agent_sock_workload(a, s);
		if (!sw_workload_match(&q.wf, w))
			continue;
		/* a decision reads the owner's command line: only when used */
		if (decide)
			sw_protect_decide_cmd(&a->cfg.protection, s,
					      s->pid ? sw_agent_cmdline(a, s->pid) : NULL,
					      now, &d);
		if ((q.has & SW_Q_PROTECTION) &&
		    strcmp(q.protection, sw_prot_reason_name(d.reason)))
			continue;
		matched++;
		if (n < limit) {
			sock_json(j, s, &d, now, w);
			n++;
		}
	}
	pthread_mutex_unlock(&a->lock);
	sw_json_arr_end(j);
	sw_json_kuint(j, "count", n);
	sw_json_kuint(j, "matched", matched);
	sw_json_kbool(j, "truncated", matched > n);
	sw_json_obj_end(j);
	return 0;
}

/* ---- /api/v1/processes ---- */

static void states_json(struct sw_json *j, const char *key, const __u32 *by_state)
{
	int st;

	sw_json_key(j, key);
	sw_json_obj_begin(j);
	for (st = 0; st < SW_TCP_MAX_STATES; st++)
		if (by_state[st])
			sw_json_kuint(j, sw_tcp_state_name(st), by_state[st]);
	sw_json_obj_end(j);
}

/*
 * What a process's row needs beyond its aggregate (sockwatch top): its
 * oldest CLOSE_WAIT and whether a leak rule flags it, found in one pass
 * over the table's CLOSE_WAIT sockets (its state index) and the suspects.
 * Sorted by pid for bsearch.
 */
struct proc_row {
	struct sw_proc *p;
	__u64 close_wait_ns;	/* oldest CLOSE_WAIT's state_ns; 0: none */
	bool suspect;
};

static int row_cmp(const void *a, const void *b)
{
	__u32 x = ((const struct proc_row *)a)->p->pid;
	__u32 y = ((const struct proc_row *)b)->p->pid;

	return x < y ? -1 : x > y;
}

static struct proc_row *row_find(struct proc_row *rows, size_t n, __u32 pid)
{
	struct sw_proc key = { .pid = pid };
	struct proc_row k = { .p = &key };

	return pid ? bsearch(&k, rows, n, sizeof(*rows), row_cmp) : NULL;
}

/* Caller holds the lock. NULL on allocation failure. */
static struct proc_row *proc_rows(struct sw_agent *a, size_t *n)
{
	const struct sw_suspect *sus;
	struct proc_row *rows, *r;
	struct sw_proc *p;
	struct sw_sock *s;
	size_t pos = 0, cap = 0;

	while (sw_table_proc_next_all(a->table, &pos))
		cap++;
	rows = calloc(cap + 1, sizeof(*rows));
	if (!rows)
		return NULL;
	*n = 0;
	pos = 0;
	while ((p = sw_table_proc_next_all(a->table, &pos)))
		rows[(*n)++].p = p;
	qsort(rows, *n, sizeof(*rows), row_cmp);
	pos = 0;
	while ((s = sw_table_next_in(a->table, SW_TCP_CLOSE_WAIT, &pos))) {
		r = row_find(rows, *n, s->pid);
		if (r && (!r->close_wait_ns || s->state_ns < r->close_wait_ns))
			r->close_wait_ns = s->state_ns;
	}
	pos = 0;
	while ((sus = sw_detectors_suspect_next(a->det, &pos)))
		if ((r = row_find(rows, *n, sus->pid)))
			r->suspect = true;
	return rows;
}

static void proc_json(struct sw_agent *a, struct sw_json *j,
		      const struct proc_row *r, const struct sw_workload *w,
		      __u64 now)
{
	const struct sw_proc *p = r->p;
	struct sw_key key = { .kind = SW_KEY_PROCESS, .pid = p->pid };
	const struct sw_det_key *k = sw_detectors_key_get(a->det, &key);

	sw_json_obj_begin(j);
	sw_json_kuint(j, "pid", p->pid);
	sw_json_kstr(j, "comm", p->comm);
	sw_json_kuint(j, "open", p->open);
	sw_json_kuint(j, "opened", p->opened);
	sw_json_kuint(j, "accepted", p->accepted);
	states_json(j, "tcp", p->by_state[SW_PROTO_IDX_TCP]);
	sw_json_kuint(j, "udp", p->by_state[SW_PROTO_IDX_UDP][SW_TCP_NONE]);
	sw_json_kuint(j, "created_total", p->created);
	sw_json_kuint(j, "closed_total", p->closed);
	sw_json_kuint(j, "active_closes_total", p->active_closes);
	if (r->close_wait_ns)
		sw_json_kdouble(j, "oldest_close_wait_seconds",
				(now - r->close_wait_ns) / 1e9);
	else
		sw_json_knull(j, "oldest_close_wait_seconds");
	sw_json_kbool(j, "suspect", r->suspect ||
		      (k && k->ewma.state == SW_EWMA_CONFIRMED));
	sw_json_key(j, "detector");
	if (k)
		sw_det_key_json(j, a->det, k, now);
	else
		sw_json_null(j);
	sw_workload_json(j, w);
	sw_json_obj_end(j);
}

static int api_processes(const struct sw_http_req *req, struct sw_http_resp *resp,
			 void *ctx)
{
	struct sw_agent *a = ctx;
	struct sw_json *j = &resp->json;
	struct proc_row *rows;
	struct sw_query q;
	const struct sw_workload *w;
	size_t i, n;
	__u64 now;

	if (bad_query(req, resp, SW_Q_PID | SW_Q_COMM | SW_Q_WORKLOAD, &q))
		return 0;
	sw_agent_lock(a);
	rows = proc_rows(a, &n);
	if (!rows) {
		pthread_mutex_unlock(&a->lock);
		return -1;
	}
	now = sw_mono_now();
	sw_json_obj_begin(j);
	sw_json_key(j, "processes");
	sw_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		const struct sw_proc *p = rows[i].p;

		if ((q.has & SW_Q_PID) && p->pid != q.pid)
			continue;
		if ((q.has & SW_Q_COMM) && strncmp(p->comm, q.comm, SW_COMM_LEN))
			continue;
		w = sw_workloads_lookup(a->wl, 0, p->pid);
		if (!sw_workload_match(&q.wf, w))
			continue;
		proc_json(a, j, &rows[i], w, now);
	}
	pthread_mutex_unlock(&a->lock);
	free(rows);
	sw_json_arr_end(j);
	sw_json_obj_end(j);
	return 0;
}

/* ---- /api/v1/leaks ---- */

static int api_leaks(const struct sw_http_req *req, struct sw_http_resp *resp,
		     void *ctx)
{
	struct sw_agent *a = ctx;
	struct sw_json *j = &resp->json;
	const struct sw_suspect *s;
	struct sw_alert al;
	struct sw_query q;
	size_t pos = 0;
	__u64 i, first;

	if (bad_query(req, resp, 0, &q))
		return 0;
	sw_json_obj_begin(j);
	sw_agent_lock(a);
	sw_json_key(j, "suspects");
	sw_json_arr_begin(j);
	while ((s = sw_detectors_suspect_next(a->det, &pos))) {
		sw_suspect_alert(a->det, s, &al);
		sw_alert_json(j, &al);
	}
	sw_json_arr_end(j);
	sw_json_key(j, "recent_alerts");
	sw_json_arr_begin(j);
	first = a->nrecent > SW_RECENT_ALERTS ? a->nrecent - SW_RECENT_ALERTS : 0;
	for (i = first; i < a->nrecent; i++)
		sw_alert_json(j, &a->recent[i % SW_RECENT_ALERTS]);
	sw_json_arr_end(j);
	pthread_mutex_unlock(&a->lock);
	sw_json_obj_end(j);
	return 0;
}

/* ---- /api/v1/detectors ---- */

static int api_detectors(const struct sw_http_req *req, struct sw_http_resp *resp,
			 void *ctx)
{
	struct sw_agent *a = ctx;
	struct sw_json *j = &resp->json;
	const struct sw_det_key *k;
	struct sw_det_stats st;
	struct sw_query q;
	int kind;
	__u64 now;

	if (bad_query(req, resp, 0, &q))
		return 0;
	sw_json_obj_begin(j);
	sw_agent_lock(a);
	now = sw_mono_now();
	for (kind = 0; kind < SW_KEY_NKINDS; kind++) {
		size_t pos = 0;

		sw_json_key(j, sw_key_kind_name(kind));
		sw_json_arr_begin(j);
		while ((k = sw_detectors_key_next(a->det, kind, &pos)))
			sw_det_key_json(j, a->det, k, now);
		sw_json_arr_end(j);
	}
	sw_detectors_stats(a->det, &st);
	pthread_mutex_unlock(&a->lock);
	sw_json_key(j, "overflow");
	sw_json_obj_begin(j);
	for (kind = 0; kind < SW_KEY_NKINDS; kind++)
		sw_json_kuint(j, sw_key_kind_name(kind), st.overflow[kind]);
	sw_json_obj_end(j);
	sw_json_kuint(j, "samples", st.samples);
	sw_json_obj_end(j);
	return 0;
}

/* ---- /api/v1/status ---- */

static void plan_json(struct sw_json *j, const struct sw_attach_plan *p)
{
	int k;

	sw_json_key(j, "attach_plan");
	sw_json_obj_begin(j);
	sw_json_kbool(j, "complete", p->complete);
	for (k = 0; k < SW_HOOK_MAX; k++)
		sw_json_kstr(j, p->e[k].event, p->e[k].hook);
	sw_json_obj_end(j);
}

/* The table's sockets by state: "tcp": {state: n}, "udp": n. */
static void table_states_json(struct sw_json *j, struct sw_table *t)
{
	const __u32 (*by)[SW_TCP_MAX_STATES] = sw_table_states(t);

	states_json(j, "tcp", by[SW_PROTO_IDX_TCP]);
	sw_json_kuint(j, "udp", by[SW_PROTO_IDX_UDP][SW_TCP_NONE]);
}

static int api_status(const struct sw_http_req *req, struct sw_http_resp *resp,
		      void *ctx)
{
	struct sw_agent *a = ctx;
	struct sw_json *j = &resp->json;
	__u64 kevents, drops, decoded = 0;
	struct sw_query q;
	int k;

	if (bad_query(req, resp, 0, &q))
		return 0;
	sw_json_obj_begin(j);
	sw_json_kstr(j, "version", SW_VERSION);
	sw_json_kstr(j, "revision", SW_GITREV);
	sw_agent_lock(a);
	sw_json_kdouble(j, "uptime_seconds", (sw_mono_now() - a->start_mono_ns) / 1e9);
	sw_json_kdouble(j, "startup_seconds", a->ready_ns / 1e9);
	plan_json(j, sw_loader_plan(a->loader));
	sw_json_kstr(j, "event_buffer", sw_loader_buffer_name(a->loader));
	sw_loader_counters(a->loader, &kevents, &drops);
	sw_json_key(j, "events");
	sw_json_obj_begin(j);
	for (k = 1; k < SW_EV_MAX; k++) {
		sw_json_kuint(j, sw_event_kind_name(k), a->events[k]);
		decoded += a->events[k];
	}
	sw_json_obj_end(j);
	sw_json_kuint(j, "events_total", decoded);
	sw_json_kuint(j, "events_submitted", kevents);
	sw_json_kuint(j, "events_dropped", drops);
	sw_json_kuint(j, "bad_records", sw_loader_bad_records(a->loader));
	sw_json_kuint(j, "sockets", sw_table_count(a->table));
	table_states_json(j, a->table);
	sw_json_kuint(j, "processes", sw_table_proc_count(a->table));
	sw_json_kuint(j, "snapshot_sockets", a->snapshot_sockets);
	sw_json_kuint(j, "reconciliations", a->reconciles);
	sw_json_kuint(j, "reconciliation_repairs", a->repairs);
	sw_json_kuint(j, "reconcile_errors", a->reconcile_errors);
	sw_json_kuint(j, "reconcile_owner_scans", a->rec_stats.owner_scans);
	sw_json_kuint(j, "reconcile_ownerless", a->rec_stats.ownerless);
	sw_json_key(j, "scan_faults");
	sw_json_obj_begin(j);
	for (k = 0; k < SW_FAULT_MAX; k++)
		sw_json_kuint(j, sw_scan_fault_name(k), sw_scan_fault_count(k));
	sw_json_obj_end(j);
	sw_json_kuint(j, "alerts", a->nrecent);
	sw_json_kuint(j, "reloads", a->reloads);
	sw_json_kuint(j, "reload_errors", a->reload_errors);
	sw_json_kstr(j, "config", a->cfg.source[0] ? a->cfg.source : "defaults");
	pthread_mutex_unlock(&a->lock);
	sw_json_obj_end(j);
	return 0;
}

/* ---- /api/v1/health, /healthz ---- */

static int api_health(const struct sw_http_req *req, struct sw_http_resp *resp,
		      void *ctx)
{
	struct sw_agent *a = ctx;
	struct sw_query q;

	if (bad_query(req, resp, 0, &q))
		return 0;
	sw_agent_lock(a);
	if (a->have_health)
		sw_health_to_json(&a->health, &resp->json);
	pthread_mutex_unlock(&a->lock);
	if (!a->have_health)
		return sw_http_resp_error(resp, 503, "the first health check has not finished yet");
	return 0;
}

static int healthz(const struct sw_http_req *req, struct sw_http_resp *resp,
		   void *ctx)
{
	sw_json_obj_begin(&resp->json);
	sw_json_kstr(&resp->json, "status", "ok");
	sw_json_obj_end(&resp->json);
	return 0;
}

static const struct {
	const char *path;
	sw_http_handler fn;
	unsigned flags;
} routes[] = {
	{ "/metrics", sw_agent_metrics, 0 },
	{ "/api/v1/sockets", api_sockets, 0 },
	{ "/api/v1/processes", api_processes, 0 },
	{ "/api/v1/leaks", api_leaks, 0 },
	{ "/api/v1/detectors", api_detectors, 0 },
	{ "/api/v1/status", api_status, 0 },
	{ "/api/v1/health", api_health, 0 },
	/* orchestrators' probes carry no token */
	{ "/healthz", healthz, SW_HTTP_PUBLIC },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

void sw_agent_register_api(struct sw_agent *a)
{
	size_t i;

	for (i = 0; i < NROUTES; i++)
		sw_http_route(a->http, routes[i].path, routes[i].fn, a, routes[i].flags);
	sw_agent_register_ports_api(a);
}

unsigned int sw_agent_api_get(struct sw_agent *a, const char *path,
			      const char *query, struct sw_json *out)
{
	struct sw_http_req req = { .method = "GET", .path = path, .query = query };
	struct sw_http_resp resp = { .status = 200 };
	size_t i;

	for (i = 0; i < NROUTES && strcmp(routes[i].path, path); i++)
		;
	if (i == NROUTES)
		return 404;
	resp.json = *out;
	if (routes[i].fn(&req, &resp, a)) {
		resp.status = 500;
		sw_json_reset(&resp.json);
	}
	free(resp.body);
	*out = resp.json;
	return resp.status;
}

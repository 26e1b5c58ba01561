// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The agent's use of workload identity (table/workload.h): the cache's
 * life, owners of sockets found without events, alert labels, and the
 * per-workload metrics, whose cardinality is bounded by [http] top_k.
 * Everything here runs under the agent's lock.
 */
#include <stdlib.h>
#include <string.h>
#include "agent/agent.h"
#include "lib/prom.h"

int sw_agent_workloads_start(struct sw_agent *a)
{
	const char *root = sw_loader_plan(a->loader)->cgroup_path;

	a->wl = sw_workloads_new(root, a->cfg.agent.host_root);
	if (!a->wl)
		fprintf(stderr, "sockwatch: warning: cannot open the cgroup v2 hierarchy %s: workloads will be unknown\n",
			root);
	return 0;
}

/*
 * Sockets found in the kernel (start-up snapshot, reconciliation) carry
 * an owner from /proc but no cgroup id: take the owner's. Then forget the
 * cgroups that are gone.
 */
void sw_agent_workloads_refresh(struct sw_agent *a)
{
	struct sw_sock *s;
	size_t pos = 0;

	if (!a->wl)
		return;
	while ((s = sw_table_next(a->table, &pos)))
		if (!s->cgroup_id && s->pid)
			s->cgroup_id = sw_workloads_cgroup_of_pid(a->wl, s->pid);
	sw_workloads_prune(a->wl);
}

/* By cgroup id only: no /proc read per socket on a scrape. A socket found
 * without its cgroup gets it at the next refresh. */
const struct sw_workload *sw_agent_sock_workload(struct sw_agent *a,
						 const struct sw_sock *s)
{
	return sw_workloads_get(a->wl, s->cgroup_id);
}

/* The owner's identity as alert fields (and Alertmanager labels). */
void sw_agent_alert_workload(struct sw_agent *a, struct sw_alert *al)
{
	const struct sw_workload *w;

	if (!al->pid || !a->wl)
		return;
	w = sw_workloads_lookup(a->wl, 0, al->pid);
	if (!w)
		return;
	if (w->unit[0])
		sw_alert_str(al, "unit", w->user_unit[0] ? w->user_unit : w->unit);
	if (w->container_id[0]) {
		sw_alert_str(al, "container_id", w->container_id);
		sw_alert_str(al, "container_runtime", w->runtime);
	}
	if (w->container_name[0])
		sw_alert_str(al, "container_name", w->container_name);
	if (w->pod_uid[0]) {
		sw_alert_str(al, "pod_uid", w->pod_uid);
		sw_alert_str(al, "qos_class", w->qos_class);
	}
}

/* ---- metrics ---- */

enum { T_SOCKETS, T_CLOSE_WAIT, T_N };

static int by_tally_desc(const void *x, const void *y, void *arg)
{
	const struct sw_workload *const *a = x, *const *b = y;
	int t = *(const int *)arg;

	return ((*b)->tally[t] > (*a)->tally[t]) - ((*b)->tally[t] < (*a)->tally[t]);
}

static void write_series(struct sw_prom *p, const struct sw_workload *w, __u64 v)
{
	char label[SW_WL_PATH_LEN];

	sw_workload_label(w, label, sizeof(label));
	sw_prom_u64(p, SW_PROM_LABELS(
		{ "workload", label },
		{ "cgroup", w->cgroup },
		{ "unit", w->user_unit[0] ? w->user_unit : w->unit },
		{ "container_id", w->container_id },
		{ "container_runtime", w->runtime },
		{ "container", w->container_name },
		{ "pod_uid", w->pod_uid },
		{ "pod", w->pod_name },
		{ "namespace", w->namespace },
		{ "qos_class", w->qos_class }), v);
}

/* One family: the top_k workloads by this tally, the rest as "other". */
static void write_family(struct sw_prom *p, struct sw_workload **all, size_t n,
			 size_t k, int t, const char *name, const char *help)
{
	struct sw_workload other = { .cgroup = "" };
	__u64 rest = 0;
	size_t i;

	qsort_r(all, n, sizeof(*all), by_tally_desc, &t);
	sw_prom_family(p, name, SW_PROM_GAUGE, help);
	for (i = 0; i < n && all[i]->tally[t]; i++) {
		if (i < k)
			write_series(p, all[i], all[i]->tally[t]);
		else
			rest += all[i]->tally[t];
	}
	if (!rest)
		return;
	sw_prom_u64(p, SW_PROM_LABELS(
		{ "workload", "other" }, { "cgroup", other.cgroup }, { "unit", "" },
		{ "container_id", "" }, { "container_runtime", "" }, { "container", "" },
		{ "pod_uid", "" }, { "pod", "" }, { "namespace", "" },
		{ "qos_class", "" }), rest);
}

void sw_agent_workload_metrics(struct sw_prom *p, struct sw_agent *a)
{
	struct sw_workload *w, **all;
	const struct sw_workload *cw;
	size_t pos = 0, n = 0, cap;
	struct sw_sock *s;

	if (!a->wl)
		return;
	while ((w = sw_workloads_next(a->wl, &pos)))
		memset(w->tally, 0, sizeof(w->tally));
	pos = 0;
	while ((s = sw_table_next(a->table, &pos))) {
		/* the cache hands out const; the tallies are ours to write */
		w = (struct sw_workload *)(cw = sw_agent_sock_workload(a, s));
		if (!w)
			continue;
		w->tally[T_SOCKETS]++;
		if (s->proto == IPPROTO_TCP && s->state == SW_TCP_CLOSE_WAIT)
			w->tally[T_CLOSE_WAIT]++;
	}
	cap = sw_workloads_count(a->wl);
	all = calloc(cap + 1, sizeof(*all));
	if (!all)
		return;
	pos = 0;
	while (n < cap && (w = sw_workloads_next(a->wl, &pos)))
		all[n++] = w;
	write_family(p, all, n, a->cfg.http.top_k, T_SOCKETS,
		     "sockwatch_workload_sockets",
		     "Sockets in the live table by workload (container, pod, systemd unit), top [http] top_k; the rest as workload=\"other\".");
	write_family(p, all, n, a->cfg.http.top_k, T_CLOSE_WAIT,
		     "sockwatch_workload_close_wait_sockets",
		     "TCP sockets in CLOSE_WAIT by workload, top [http] top_k; the rest as workload=\"other\".");
	free(all);
}

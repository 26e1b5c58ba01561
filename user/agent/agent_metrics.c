// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * /metrics: the agent's state in the Prometheus text format.
 *
 * Cardinality is bounded by construction: sockets are aggregated by
 * (state, proto, family); detectors are exported for the top-K keys by
 * count only ([http] top_k); processes are not labels at all (the JSON API
 * has them). One pass over the table per scrape.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "agent/agent.h"
#include "kernel/prog_stats.h"
#include "table/decode.h"
#include "lib/prom.h"

/* Socket age histogram bounds, seconds: a minute to a day. */
static const double age_bounds[] = { 1, 10, 60, 300, 1800, 3600, 21600, 86400 };
#define NAGE (sizeof(age_bounds) / sizeof(age_bounds[0]))

/* Figures gathered in one pass over the table. */
struct table_pass {
	__u64 by[2][2][SW_TCP_MAX_STATES];	/* [v6][udp][state] */
	uint64_t age[NAGE + 1];
	double age_sum;
};

static void pass_table(struct sw_agent *a, struct table_pass *tp, __u64 now)
{
	struct sw_sock *s;
	size_t pos = 0, b;

	memset(tp, 0, sizeof(*tp));
	while ((s = sw_table_next(a->table, &pos))) {
		double age = (now - s->birth_ns) / 1e9;

		tp->by[s->family == AF_INET6][s->proto == IPPROTO_UDP][s->state % SW_TCP_MAX_STATES]++;
		for (b = 0; b < NAGE && age > age_bounds[b]; b++)
			;
		tp->age[b]++;
		tp->age_sum += age;
	}
}

static void write_sockets(struct sw_prom *p, const struct table_pass *tp)
{
	int v6, udp, st;

	sw_prom_family(p, "sockwatch_sockets", SW_PROM_GAUGE,
		       "Sockets in the live table, by state, protocol and family.");
	for (v6 = 0; v6 < 2; v6++)
		for (udp = 0; udp < 2; udp++)
			for (st = 0; st < SW_TCP_MAX_STATES; st++) {
				if (!tp->by[v6][udp][st])
					continue;
				sw_prom_u64(p, SW_PROM_LABELS(
					{ "state", udp ? "NONE" : sw_tcp_state_name(st) },
					{ "proto", udp ? "udp" : "tcp" },
					{ "family", v6 ? "inet6" : "inet" }),
					tp->by[v6][udp][st]);
			}
	sw_prom_family(p, "sockwatch_socket_age_seconds", SW_PROM_HISTOGRAM,
		       "Age of the sockets in the live table.");
	sw_prom_histogram(p, NULL, 0, age_bounds, NAGE, tp->age, tp->age_sum);
}

static void write_events(struct sw_prom *p, struct sw_agent *a)
{
	enum sw_scan_fault f;
	__u64 kevents, drops;
	int k;

	sw_prom_family(p, "sockwatch_events_total", SW_PROM_COUNTER,
		       "Socket events decoded, by kind.");
	for (k = 1; k < SW_EV_MAX; k++)
		sw_prom_u64(p, SW_PROM_LABELS({ "kind", sw_event_kind_name(k) }),
			    a->events[k]);
	sw_loader_counters(a->loader, &kevents, &drops);
	sw_prom_family(p, "sockwatch_ringbuf_drops_total", SW_PROM_COUNTER,
		       "Events lost because the ring buffer was full.");
	sw_prom_u64(p, NULL, 0, drops);
	sw_prom_family(p, "sockwatch_reconcile_repairs_total", SW_PROM_COUNTER,
		       "Table entries the reconciliation with the kernel had to repair.");
	sw_prom_u64(p, NULL, 0, a->repairs);
	sw_prom_family(p, "sockwatch_reconciliations_total", SW_PROM_COUNTER,
		       "Reconciliations with the kernel run.");
	sw_prom_u64(p, NULL, 0, a->reconciles);
	sw_prom_family(p, "sockwatch_reconcile_errors_total", SW_PROM_COUNTER,
		       "Reconciliations that could not list the kernel's sockets.");
	sw_prom_u64(p, NULL, 0, a->reconcile_errors);
	sw_prom_family(p, "sockwatch_scan_faults_total", SW_PROM_COUNTER,
		       "Owner and namespace scans that could not read /proc or a namespace.");
	for (f = 0; f < SW_FAULT_MAX; f++)
		sw_prom_u64(p, SW_PROM_LABELS({ "fault", sw_scan_fault_name(f) }),
			    sw_scan_fault_count(f));
	sw_prom_family(p, "sockwatch_processes", SW_PROM_GAUGE,
		       "Processes owning at least one tracked socket.");
	sw_prom_u64(p, NULL, 0, sw_table_proc_count(a->table));
}

static void write_leaks(struct sw_prom *p, struct sw_agent *a)
{
	const struct sw_suspect *s;
	__u64 n[SW_LEAK_NRULES] = { 0 };
	size_t pos = 0, r;

	while ((s = sw_detectors_suspect_next(a->det, &pos)))
		if (s->rule < SW_LEAK_NRULES)
			n[s->rule]++;
	sw_prom_family(p, "sockwatch_leak_suspects", SW_PROM_GAUGE,
		       "Sockets or processes a leak rule flags now, by rule.");
	for (r = 0; r < SW_LEAK_NRULES; r++)
		sw_prom_u64(p, SW_PROM_LABELS({ "rule", sw_leak_rule_name(r) }), n[r]);
	sw_prom_family(p, "sockwatch_alerts_total", SW_PROM_COUNTER,
		       "Alerts raised since start, by alert name.");
	for (r = 0; r < (size_t)a->nalert_names; r++)
		sw_prom_u64(p, SW_PROM_LABELS({ "alert", a->alert_counts[r].name }),
			    a->alert_counts[r].n);
}

/* [cleanup]: sockets destroyed (enforce) or that would be (dry-run). */
static void write_cleanup(struct sw_prom *p, struct sw_agent *a)
{
	int m, r;

	sw_prom_family(p, "sockwatch_cleanup_total", SW_PROM_COUNTER,
		       "Leaked sockets destroyed (enforce) or reported as would_destroy (dry-run), by rule.");
	for (m = SW_CLEANUP_DRY_RUN; m <= SW_CLEANUP_ENFORCE; m++)
		for (r = SW_LEAK_CLOSE_WAIT; r <= SW_LEAK_IDLE; r++)
			sw_prom_u64(p, SW_PROM_LABELS({ "mode", sw_cleanup_mode_name(m) },
						      { "rule", sw_leak_rule_name(r) }),
				    a->cleanup_total[m][r]);
}

/* The top_k keys of every kind by count, largest first. */
static int by_count_desc(const void *x, const void *y)
{
	const struct sw_det_key *const *a = x, *const *b = y;

	return ((*b)->ewma.count > (*a)->ewma.count) -
	       ((*b)->ewma.count < (*a)->ewma.count);
}

static size_t top_keys(struct sw_agent *a, const struct sw_det_key **top, size_t k)
{
	const struct sw_det_key *key;
	size_t n = 0, cap = 0;
	const struct sw_det_key **all = NULL;
	int kind;

	for (kind = 0; kind < SW_KEY_NKINDS; kind++) {
		size_t pos = 0, start = n;

		while ((key = sw_detectors_key_next(a->det, kind, &pos))) {
			if (n == cap) {
				const struct sw_det_key **m;

				cap = cap ? cap * 2 : 256;
				m = realloc(all, cap * sizeof(*m));
				if (!m)
					break;
				all = m;
			}
			all[n++] = key;
		}
		if (n - start > 1)	/* all is NULL when empty */
			qsort(all + start, n - start, sizeof(*all), by_count_desc);
		if (n - start > k)
			n = start + k;
	}
	if (n)		/* all is NULL when there is no key at all */
		memcpy(top, all, n * sizeof(*top));
	free(all);
	return n;
}

static void write_detectors(struct sw_prom *p, struct sw_agent *a)
{
	static const struct { const char *name, *help; } fam[] = {
		{ "sockwatch_detector_sample", "Latest sample (count) of a detector's key." },
		{ "sockwatch_detector_short_ewma", "Short EWMA of a detector's key." },
		{ "sockwatch_detector_long_ewma", "Long EWMA of a detector's key." },
		{ "sockwatch_detector_relative_difference", "(short - long) / short of a detector's key." },
		{ "sockwatch_detector_state", "Breach state of a detector's key: 0 idle, 1 armed (breach started), 2 confirmed." },
	};
	size_t k = a->cfg.http.top_k, n, i, f;
	const struct sw_det_key **top = calloc(k * SW_KEY_NKINDS + 1, sizeof(*top));
	char key[128];

	if (!top)
		return;
	n = top_keys(a, top, k);
	for (f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		sw_prom_family(p, fam[f].name, SW_PROM_GAUGE, fam[f].help);
		for (i = 0; i < n; i++) {
			const struct sw_ewma *e = &top[i]->ewma;
			double v = f == 0 ? e->count : f == 1 ? e->short_avg :
				   f == 2 ? e->long_avg : f == 3 ? e->rd : e->state;

			sw_key_format(&top[i]->key, key, sizeof(key));
			sw_prom_double(p, SW_PROM_LABELS(
				{ "kind", sw_key_kind_name(top[i]->key.kind) },
				{ "key", key }), v);
		}
	}
	free(top);
}

static void write_health(struct sw_prom *p, struct sw_agent *a)
{
	const struct sw_health_report *r = &a->health;
	int i;

	if (!a->have_health)
		return;
	sw_prom_family(p, "sockwatch_health_status", SW_PROM_GAUGE,
		       "Health check status: 0 ok, 1 warning, 2 critical.");
	for (i = 0; i < SW_HC_MAX; i++)
		if (r->check[i].ran)
			sw_prom_u64(p, SW_PROM_LABELS({ "check", sw_health_check_name(i) }),
				    r->check[i].status);
	sw_prom_family(p, "sockwatch_ephemeral_ports_used_ratio", SW_PROM_GAUGE,
		       "Share of the ephemeral port range used by the fullest (source, destination, port) tuple.");
	sw_prom_double(p, NULL, 0, r->n_tuples ? r->tuples[0].percent / 100.0 : 0);
	sw_prom_family(p, "sockwatch_ephemeral_ports_used", SW_PROM_GAUGE,
		       "Local ports used by the fullest (source, destination, port) tuple.");
	sw_prom_u64(p, NULL, 0, r->n_tuples ? r->tuples[0].used : 0);
}

/* [agent] self_stats: the kernel's run counters of our own programs. */
static void write_prog_stats(struct sw_prom *p, struct sw_agent *a)
{
	struct sw_prog_stat st[32];
	int i, n;

	if (a->stats_fd < 0)
		return;
	n = sw_prog_stats_self(st, sizeof(st) / sizeof(st[0]));
	sw_prom_family(p, "sockwatch_bpf_program_runs_total", SW_PROM_COUNTER,
		       "Runs of each of the agent's BPF programs (kernel statistics, [agent] self_stats).");
	for (i = 0; i < n; i++)
		sw_prom_u64(p, SW_PROM_LABELS({ "program", st[i].name }), st[i].run_cnt);
	sw_prom_family(p, "sockwatch_bpf_program_run_seconds_total", SW_PROM_COUNTER,
		       "Time spent in each of the agent's BPF programs (kernel statistics, [agent] self_stats).");
	for (i = 0; i < n; i++)
		sw_prom_double(p, SW_PROM_LABELS({ "program", st[i].name }),
			       st[i].run_time_ns / 1e9);
}

static void write_info(struct sw_prom *p, struct sw_agent *a)
{
	sw_prom_family(p, "sockwatch_build_info", SW_PROM_GAUGE,
		       "sockwatch's version; always 1.");
	sw_prom_u64(p, SW_PROM_LABELS({ "version", SW_VERSION }, { "revision", SW_GITREV }), 1);
	sw_prom_family(p, "sockwatch_start_time_seconds", SW_PROM_GAUGE,
		       "When the agent started, in seconds since the epoch.");
	sw_prom_double(p, NULL, 0, a->start_wall_ns / 1e9);
	sw_prom_family(p, "sockwatch_scrape_duration_seconds", SW_PROM_GAUGE,
		       "Time the previous /metrics scrape took to render.");
	sw_prom_double(p, NULL, 0, a->last_scrape_seconds);
}

int sw_agent_metrics(const struct sw_http_req *req, struct sw_http_resp *resp,
		     void *ctx)
{
	struct sw_agent *a = ctx;
	struct table_pass *tp = malloc(sizeof(*tp));
	struct sw_prom p;
	__u64 t0 = sw_mono_now();
	char *body;
	size_t len;

	if (!tp)
		return -1;
	sw_prom_init(&p);
	sw_agent_lock(a);
	pass_table(a, tp, t0);
	write_info(&p, a);
	write_sockets(&p, tp);
	write_events(&p, a);
	write_leaks(&p, a);
	write_cleanup(&p, a);
	write_detectors(&p, a);
	write_health(&p, a);
	sw_agent_workload_metrics(&p, a);
	sw_am_write_metrics(a->am, &p);
	write_prog_stats(&p, a);
	a->last_scrape_seconds = (sw_mono_now() - t0) / 1e9;
	pthread_mutex_unlock(&a->lock);
	if (a->http)
		sw_http_write_metrics(a->http, &p);
	free(tp);
	if (sw_prom_error(&p)) {
		sw_prom_free(&p);
		return -1;
	}
	body = sw_prom_steal(&p, &len);
	sw_http_resp_take(resp, body, len, SW_PROM_CONTENT_TYPE);
	return 0;
}

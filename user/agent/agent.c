// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch agent: start-up, the event loop, reloads and shutdown.
 *
 * The loop waits for the ring buffer without the lock (up to the poll
 * interval: records are submitted without wake-ups), then, under the lock,
 * drains a slice of it into the table and runs whatever is due: detectors
 * (a sample, then the leak scan in the next hold), reaping on-breach
 * actions. The reconciliation with the kernel runs outside the lock,
 * taking it for one slice of sockets at a time. Each hold is bounded,
 * and readers waiting for the lock get it between two
 * (sw_agent_lock), so that the API answers while 100,000 sockets churn.
 * Health checks run in a thread of their own because they may block (DNS).
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "agent/agent.h"
#include "table/decode.h"
#include "detect/drift.h"
#include "table/procfs.h"
#include "table/snapshot.h"
#include "kernel/prog_stats.h"

#define POLL_MS		100
#define DRAIN_SLICE	4096	/* records per hold of the lock */
#define READERS_WAIT_US	100000	/* longest the loop lets readers go first */
#define CMDLINE_TTL_NS	(5ULL * 1000000000ULL)

static volatile sig_atomic_t got_term, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

/* One line per event on stderr, for journald. */
static void logf_(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void logf_(const char *level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "sockwatch: %s: %s\n", level, msg);
}

/* ---- the lock ---- */

void sw_agent_lock(struct sw_agent *a)
{
	__atomic_add_fetch(&a->lock_waiters, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&a->lock);
	__atomic_sub_fetch(&a->lock_waiters, 1, __ATOMIC_SEQ_CST);
}

/*
 * The loop, unlocked, before its next hold: readers waiting for the lock
 * take it first (for at most READERS_WAIT_US, so that a steady stream of
 * them cannot stop the loop either).
 */
static void let_readers_in(struct sw_agent *a)
{
	int us;

	for (us = 0; us < READERS_WAIT_US &&
		     __atomic_load_n(&a->lock_waiters, __ATOMIC_SEQ_CST); us += 200)
		usleep(200);
}

/* ---- helpers the detectors call back into ---- */

const char *sw_agent_cmdline(struct sw_agent *a, __u32 pid)
{
	struct sw_cmdline_cache *c = &a->cmdlines;
	unsigned i = pid % SW_CMDLINE_SLOTS;
	__u64 now = sw_mono_now();

	if (c->slot[i].pid == pid && now - c->slot[i].fetched_ns < CMDLINE_TTL_NS)
		return c->slot[i].text;
	c->slot[i].pid = pid;
	c->slot[i].fetched_ns = now;
	if (sw_proc_cmdline(pid, c->slot[i].text, SW_CMDLINE_LEN) < 0)
		c->slot[i].text[0] = '\0';
	return c->slot[i].text;
}

static const char *hook_cmdline(void *ctx, __u32 pid)
{
	return sw_agent_cmdline(ctx, pid);
}

static int hook_fd_usage(void *ctx, __u32 pid, __u64 *open_fds, __u64 *soft)
{
	struct sw_agent *a = ctx;
	__u64 hard;
	int n;

	if (sw_proc_nofile(pid, soft, &hard))
		return -1;
	/*
	 * The fd table's size bounds the count: when that bound is below the
	 * threshold, the fds need no counting one by one (a listing of
	 * /proc/PID/fd costs a dentry per fd: tens of ms at 100,000).
	 */
	n = sw_proc_fd_table_size(pid);
	if (n < 0 || sw_leak_fd_headroom(&a->cfg.leaks, n, *soft, NULL))
		n = sw_proc_fd_count(pid);
	if (n < 0)
		return -1;
	*open_fds = n;
	return 0;
}

/* Alerts are counted by name; the known names start at zero. */
static void count_alerts_init(struct sw_agent *a)
{
	int i;

	for (i = 0; sw_alert_names[i] && i < SW_ALERT_NAMES; i++)
		a->alert_counts[a->nalert_names++].name = sw_alert_names[i];
}

static void count_alert(struct sw_agent *a, const char *name)
{
	int i;

	for (i = 0; i < a->nalert_names; i++)
		if (!strcmp(a->alert_counts[i].name, name))
			break;
	if (i == a->nalert_names) {
		if (i == SW_ALERT_NAMES)
			return;
		a->alert_counts[a->nalert_names++].name = name;
	}
	a->alert_counts[i].n++;
}

void sw_agent_alert(struct sw_agent *a, const struct sw_alert *in)
{
	struct sw_alert *al = &a->recent[a->nrecent++ % SW_RECENT_ALERTS];
	const char *json;
	char err[256];

	*al = *in;
	sw_agent_alert_workload(a, al);
	json = sw_alert_emit(&a->sink, al);
	sw_am_fire(a->am, al);
	count_alert(a, al->alert);
	if (!json || strcmp(al->alert, SW_ALERT_EWMA_CONFIRMED) ||
	    a->cfg.on_breach.kind == SW_ACTION_NONE)
		return;
	if (sw_action_run(&a->actions, &a->cfg.on_breach, json, al->alert,
			  al->key, al->pid, al->mono_ns, err, sizeof(err)))
		logf_("warning", "on-breach action: %s", err);
}

/* The detectors' records of this tick: emitted here, like every alert. */
static void emit_detector_alerts(struct sw_agent *a)
{
	const struct sw_alert *al;
	size_t i, n;

	al = sw_detectors_alerts(a->det, &n);
	for (i = 0; i < n; i++)
		sw_agent_alert(a, &al[i]);
	sw_detectors_alerts_done(a->det);
}

/* ---- events ---- */

static int on_event(void *ctx, const struct sw_event *e)
{
	struct sw_agent *a = ctx;
	struct sw_event copy;
	struct sw_alert al;

	a->events[e->kind]++;
	e = sw_table_ingest(a->table, e, &copy);
	if (a->flood && sw_flood_check(a->flood, e, &al))
		sw_agent_alert(a, &al);
	if (a->drift && sw_drift_check(a->drift, e, &al))
		sw_agent_alert(a, &al);
	/* enough for one hold of the lock: the rest in the next */
	return ++a->slice_events < DRAIN_SLICE ? 0 : -EAGAIN;
}

/* A slice of the ring, under the lock. */
static void drain_slice(struct sw_agent *a)
{
	a->slice_events = 0;
	a->ring_backlog = sw_loader_drain(a->loader) == -EAGAIN;
}

/*
 * A socket found in the kernel rather than through an event: at start, or
 * repaired after dropped events. A listener is judged against the
 * manifest like a listen event (the connections it accepts get its owner
 * from the table). Connections are not judged: without their events an
 * inbound one cannot be told from an outbound one.
 */
static int found_socket(void *ctx, const struct sw_sock *s, int owner_fd)
{
	struct sw_agent *a = ctx;
	struct sw_event e;
	struct sw_alert al;

	(void)owner_fd;
	if (s->state != SW_TCP_LISTEN)
		return 0;
	if (!a->drift)
		return 0;
	sw_event_from_sock(&e, s, SW_EV_LISTEN, sw_mono_now());
	if (sw_drift_check(a->drift, &e, &al))
		sw_agent_alert(a, &al);
	return 0;
}

/* ---- health watchdog ---- */

static pthread_cond_t health_cond = PTHREAD_COND_INITIALIZER;

static void health_alerts(struct sw_agent *a, const struct sw_health_report *now)
{
	struct sw_alert al[SW_HC_MAX];
	int i, n;

	n = sw_health_changes(a->have_health ? &a->health : NULL, now,
			      sw_mono_now(), al);
	for (i = 0; i < n; i++)
		sw_agent_alert(a, &al[i]);
}

void sw_agent_sleep(struct sw_agent *a, pthread_cond_t *cond,
		    const bool *running, __u64 ns)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ns / 1000000000ULL;
	until.tv_nsec += ns % 1000000000ULL;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (*running && pthread_cond_timedwait(cond, &a->lock, &until) != ETIMEDOUT)
		;
}

static void *health_main(void *arg)
{
	struct sw_agent *a = arg;
	struct sw_health_report *r = malloc(sizeof(*r));
	struct sw_ifstats *prev = calloc(1, sizeof(*prev));
	struct sw_health_limits lim;

	if (!r || !prev) {
		free(r);
		free(prev);
		return NULL;
	}
	pthread_mutex_lock(&a->lock);
	while (a->health_running) {
		sw_health_limits_from_config(&a->cfg.health, &lim);
		lim.cheap = a->opts.cheap_health;
		pthread_mutex_unlock(&a->lock);
		/* unlocked: the checks read /proc and the kernel, never the table */
		lim.ifs_prev = prev;
		sw_health_run(&lim, 0, r);
		*prev = r->ifs;
		/* the checks' buffers live in this thread's arena: return them */
		malloc_trim(0);
		sw_agent_lock(a);
		health_alerts(a, r);
		a->health = *r;
		a->have_health = true;
		sw_agent_sleep(a, &health_cond, &a->health_running,
			       a->cfg.health.interval_ns);
	}
	pthread_mutex_unlock(&a->lock);
	free(r);
	free(prev);
	return NULL;
}

static int health_start(struct sw_agent *a)
{
	a->health_running = true;
	if (pthread_create(&a->health_thread, NULL, health_main, a)) {
		a->health_running = false;
		return -1;
	}
	return 0;
}

static void health_stop(struct sw_agent *a)
{
	bool was;

	pthread_mutex_lock(&a->lock);
	was = a->health_running;
	a->health_running = false;
	pthread_cond_broadcast(&health_cond);
	pthread_mutex_unlock(&a->lock);
	if (was)
		pthread_join(a->health_thread, NULL);
}

/* ---- configuration ---- */

/* Defaults, the file, then the flags that override it. */
static int load_config(const struct sw_agent_opts *o, struct sw_config *c)
{
	char err[512];

	sw_config_defaults(c);
	if (o->ring_buffer_kb)
		c->agent.ring_buffer_kb = o->ring_buffer_kb;
	if (o->config_path && sw_config_load(o->config_path, c, err, sizeof(err))) {
		fprintf(stderr, "sockwatch: %s\n", err);
		return -1;
	}
	if (o->on_breach && sw_action_parse(o->on_breach, &c->on_breach, err, sizeof(err))) {
		fprintf(stderr, "sockwatch: --on-breach: %s\n", err);
		return -1;
	}
	if (o->listen)
		snprintf(c->http.listen, sizeof(c->http.listen), "%s", o->listen);
	if (o->token_file)
		snprintf(c->http.token_file, sizeof(c->http.token_file), "%s", o->token_file);
	if (o->manifest)
		snprintf(c->manifest.path, sizeof(c->manifest.path), "%s", o->manifest);
	if (o->web_config)
		snprintf(c->http.web_config, sizeof(c->http.web_config), "%s", o->web_config);
	if (o->alertmanager)
		snprintf(c->alerts.alertmanager_url, sizeof(c->alerts.alertmanager_url), "%s", o->alertmanager);
	return 0;
}

static struct sw_flood *flood_new(const struct sw_config *c)
{
	struct sw_flood_params p = {
		.connections_per_second = c->flood.connections_per_second,
		.window_ns = c->flood.window_ns,
	};

	return sw_flood_new(&p);
}

/* SIGHUP: a new config replaces the old one only if all of it is valid. */
static void reload(struct sw_agent *a)
{
	struct sw_config *c = malloc(sizeof(*c));
	struct sw_flood *f;
	char err[256];

	if (!c)
		return;
	if (load_config(&a->opts, c) || !sw_agent_cleanup_allowed(a, c)) {
		a->reload_errors++;
		logf_("error", "reload rejected, keeping the running configuration");
		free(c);
		return;
	}
	f = flood_new(c);
	pthread_mutex_lock(&a->lock);
	if (sw_detectors_configure(a->det, c) || !f) {
		a->reload_errors++;
		logf_("error", "reload failed (out of memory), keeping the running configuration");
		sw_flood_free(f);
	} else {
		a->cfg = *c;
		sw_flood_free(a->flood);
		a->flood = f;
		a->reloads++;
		logf_("info", "configuration reloaded from %s",
		      a->opts.config_path ? a->opts.config_path : "defaults");
	}
	if (sw_alert_sink_reopen(&a->sink, err, sizeof(err)))
		logf_("error", "alerts: %s", err);
	pthread_mutex_unlock(&a->lock);
	if (a->http && sw_http_reload_token(a->http, err, sizeof(err)))
		logf_("error", "token: %s (keeping the old one)", err);
	if (a->http && sw_http_reload_web(a->http, err, sizeof(err)))
		logf_("error", "web config: %s (keeping the old one)", err);
	free(c);
}

/* ---- start-up and the loop ---- */

static int start_http(struct sw_agent *a)
{
	struct sw_http_opts ho = {
		.listen = a->cfg.http.listen,
		.token_file = a->cfg.http.token_file[0] ? a->cfg.http.token_file : NULL,
		.web_config = a->cfg.http.web_config[0] ? a->cfg.http.web_config : NULL,
		.max_connections = a->cfg.http.max_connections,
		.per_ip_connections = a->cfg.http.per_ip_connections,
		.timeout_seconds = (a->cfg.http.timeout_ns + 999999999ULL) / 1000000000ULL,
	};
	char err[256];

	if (a->opts.no_http)
		return 0;
	a->http = sw_http_start(&ho, err, sizeof(err));
	if (!a->http) {
		fprintf(stderr, "sockwatch: http: %s\n", err);
		return -1;
	}
	return 0;
}

/* [agent] self_stats: the kernel counts runs and run time while we live. */
static void self_stats_start(struct sw_agent *a)
{
	a->stats_fd = -1;
	if (!a->cfg.agent.self_stats)
		return;
	a->stats_fd = sw_prog_stats_enable();
	if (a->stats_fd < 0)
		logf_("warning", "self_stats: enabling BPF statistics failed: %s",
		      strerror(-a->stats_fd));
}

static int start(struct sw_agent *a)
{
	struct sw_det_hooks hooks = {
		.cmdline = hook_cmdline, .fd_usage = hook_fd_usage,
		.ctx = a,
	};
	struct sw_loader_opts lo = {
		.ring_bytes = (size_t)a->cfg.agent.ring_buffer_kb * 1024,
		.poll_ms = POLL_MS,
		.owned_only = true,
		.buffer = a->cfg.agent.event_buffer,
		.verbose = a->opts.verbose,
	};
	char err[256];
	__u64 t;
	int n;

	if (sw_check_privileges())
		return -1;
	if (sw_alert_sink_open(&a->sink, a->opts.alerts_path, err, sizeof(err))) {
		fprintf(stderr, "sockwatch: alerts: %s\n", err);
		return -1;
	}
	if (a->cfg.alerts.alertmanager_url[0]) {
		a->am = sw_am_start(a->cfg.alerts.alertmanager_url, a->cfg.alerts.node,
				    err, sizeof(err));
		if (!a->am) {
			fprintf(stderr, "sockwatch: alertmanager: %s\n", err);
			return -1;
		}
	}
	if (a->cfg.manifest.path[0]) {
		a->drift = sw_drift_new(a->cfg.manifest.path, err, sizeof(err));
		if (!a->drift) {
			fprintf(stderr, "sockwatch: %s\n", err);	/* names the file */
			return -1;
		}
	}
	a->table = sw_table_new(0);
	if (a->table)
		sw_table_set_owned_only(a->table, true);
	a->rec = sw_reconciler_new();
	a->det = sw_detectors_new(&a->cfg, &hooks);
	if (a->det && a->opts.detector_kinds)
		sw_detectors_set_kinds(a->det, a->opts.detector_kinds);
	a->flood = flood_new(&a->cfg);
	if (!a->table || !a->rec || !a->det || !a->flood) {
		fprintf(stderr, "sockwatch: out of memory\n");
		return -1;
	}
	if (sw_agent_cleanup_start(a))
		return -1;
	/* HTTP before BPF: a bad address or token fails before attaching */
	if (start_http(a))
		return -1;
	t = sw_mono_now();
	a->loader = sw_loader_start(&lo, on_event, a);
	if (!a->loader)
		return -1;
	a->attach_ns = sw_mono_now() - t;
	self_stats_start(a);
	t = sw_mono_now();
	n = sw_reconciler_load(a->rec, a->table, found_socket, a);
	sw_agent_workloads_start(a);
	sw_agent_workloads_refresh(a);
	a->snapshot_ns = sw_mono_now() - t;
	if (n < 0)
		logf_("warning", "snapshot of existing sockets failed: %s", strerror(-n));
	else
		a->snapshot_sockets = n;
	if (health_start(a))
		logf_("warning", "health watchdog not started");
	if (sw_agent_ports_start(a))
		logf_("warning", "port registry watchdog not started");
	/* routes last: a request during start-up would find no loader yet */
	if (a->http)
		sw_agent_register_api(a);
	return 0;
}

static void stop(struct sw_agent *a)
{
	health_stop(a);
	sw_agent_ports_stop(a);
	sw_http_stop(a->http);
	sw_loader_stop(a->loader);
	if (a->stats_fd >= 0)
		close(a->stats_fd);
	sw_actions_stop(&a->actions);
	sw_detectors_free(a->det);
	sw_flood_free(a->flood);
	sw_drift_free(a->drift);
	sw_table_free(a->table);
	sw_reconciler_free(a->rec);
	sw_workloads_free(a->wl);
	sw_am_stop(a->am);
	sw_alert_sink_close(&a->sink);
}

/* Alertmanager: leak alerts stay firing while their rule lists them. */
static void am_sweep(struct sw_agent *a)
{
	const struct sw_suspect *s;
	struct sw_alert *al;
	size_t pos = 0;

	if (!a->am || !(al = malloc(sizeof(*al))))
		return;
	sw_am_sweep_begin(a->am);
	while ((s = sw_detectors_suspect_next(a->det, &pos))) {
		sw_suspect_alert(a->det, s, al);
		sw_am_sweep_seen(a->am, al->alert, al->key);
	}
	sw_am_sweep_end(a->am);
	free(al);
}

/*
 * What the owner and namespace scans could not read since the last line:
 * one line per fault whose count rose, at most once a minute. Those
 * sockets stay without an owner.
 */
static void log_scan_faults(struct sw_agent *a)
{
	__u64 n, now = sw_mono_now();
	enum sw_scan_fault f;

	/* at most one line a minute: on a busy machine processes exit
	 * during nearly every scan */
	if (now < a->faults_log_ns)
		return;
	for (f = 0; f < SW_FAULT_MAX; f++) {
		n = sw_scan_fault_count(f);
		if (n == a->faults_logged[f])
			continue;
		a->faults_log_ns = now + 60 * 1000000000ULL;
		logf_("info", "owner scan: %s +%llu (total %llu): those sockets are "
		      "left without an owner", sw_scan_fault_name(f),
		      (unsigned long long)(n - a->faults_logged[f]),
		      (unsigned long long)n);
		a->faults_logged[f] = n;
	}
}

/* ---- reconciliation, in slices ---- */

static void rec_enter(void *ctx)
{
	struct sw_agent *a = ctx;

	let_readers_in(a);
	pthread_mutex_lock(&a->lock);
	drain_slice(a);
}

static void rec_leave(void *ctx)
{
	struct sw_agent *a = ctx;

	pthread_mutex_unlock(&a->lock);
}

/*
 * Every reconcile_seconds; a viewer's engine (reconcile_idle_ns) waits
 * longer unless the ring dropped records since the last one, the only
 * way the table can go wrong.
 */
static bool reconcile_due(struct sw_agent *a, __u64 now)
{
	__u64 events, drops;

	if (now < a->next_reconcile_ns)
		return false;
	if (a->opts.reconcile_idle_ns <= a->cfg.agent.reconcile_ns ||
	    now >= a->last_reconcile_ns + a->opts.reconcile_idle_ns)
		return true;
	sw_loader_counters(a->loader, &events, &drops);
	return drops != a->reconcile_drops;
}

/* Unlocked: the run takes the lock for each of its slices. */
static void reconcile(struct sw_agent *a, __u64 now)
{
	struct sw_reconcile_ops ops = {
		.enter = rec_enter, .leave = rec_leave,
		.found = found_socket, .ctx = a,
	};
	__u64 events;
	int n;

	sw_loader_counters(a->loader, &events, &a->reconcile_drops);
	n = sw_reconciler_run(a->rec, a->table, &ops);
	rec_enter(a);
	if (n > 0)
		a->repairs += n;
	else if (n < 0 && !a->reconcile_errors++)
		logf_("warning", "reconciliation cannot list the kernel's sockets: %s "
		      "(counted in reconcile_errors; logged once)", strerror(-n));
	a->reconciles++;
	sw_reconciler_stats(a->rec, &a->rec_stats);
	sw_agent_workloads_refresh(a);
	log_scan_faults(a);
	a->last_reconcile_ns = now;
	a->next_reconcile_ns = now + a->cfg.agent.reconcile_ns;
	/* processes with no socket for a whole period */
	sw_table_proc_expire(a->table);
	rec_leave(a);
}

/* Under the lock: a slice of the ring, then whatever is due. */
static void work(struct sw_agent *a, __u64 *next_tick)
{
	__u64 now;

	drain_slice(a);
	now = sw_mono_now();
	/* a tick's two passes over the table, in two holds */
	if (a->scan_pending) {
		*next_tick = sw_detectors_tick_scan(a->det, a->table, now);
		a->scan_pending = false;
		emit_detector_alerts(a);
		sw_agent_cleanup_pass(a, now);
		am_sweep(a);
	} else if (now >= *next_tick &&
		   sw_detectors_tick_sample(a->det, a->table, now)) {
		a->scan_pending = true;
		emit_detector_alerts(a);
	}
	sw_actions_reap(&a->actions, now);
}

int sw_agent_step(struct sw_agent *a, int timeout_ms)
{
	/* records left by the last hold, or a tick half done: no wait */
	bool more = a->ring_backlog || a->scan_pending;
	int n = sw_loader_wait(a->loader, more ? 0 : timeout_ms);
	__u64 now;

	if (n < 0 && n != -EINTR) {
		logf_("error", "waiting for events: %s", strerror(-n));
		return -1;
	}
	let_readers_in(a);
	pthread_mutex_lock(&a->lock);
	work(a, &a->next_tick_ns);
	pthread_mutex_unlock(&a->lock);
	now = sw_mono_now();
	if (reconcile_due(a, now))
		reconcile(a, now);
	return 0;
}

static int loop(struct sw_agent *a)
{
	while (!got_term) {
		if (got_hup) {
			got_hup = 0;
			reload(a);
		}
		if (sw_agent_step(a, POLL_MS))
			return 1;
	}
	return 0;
}

static void set_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* no SA_RESTART: the wait for events returns on a signal */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Threads started while this mask is set leave signals to the main one. */
static void block_signals(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

struct sw_agent *sw_agent_open(const struct sw_agent_opts *o)
{
	struct sw_agent *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->opts = *o;
	a->stats_fd = -1;
	pthread_mutex_init(&a->lock, NULL);
	sw_actions_init(&a->actions);
	sw_clock_init();
	a->start_mono_ns = sw_mono_now();
	count_alerts_init(a);
	a->start_wall_ns = sw_mono_to_wall(a->start_mono_ns);
	if (load_config(o, &a->cfg))
		goto out;
	block_signals(true);
	if (start(a)) {
		block_signals(false);
		stop(a);
		goto out;
	}
	block_signals(false);
	/* Start-up parsed megabytes of kernel BTF and /proc: give it back. */
	malloc_trim(0);
	a->ready_ns = sw_mono_now() - a->start_mono_ns;
	a->last_reconcile_ns = sw_mono_now();
	a->next_reconcile_ns = a->last_reconcile_ns + a->cfg.agent.reconcile_ns;
	return a;
out:
	pthread_mutex_destroy(&a->lock);
	free(a);
	return NULL;
}

void sw_agent_close(struct sw_agent *a)
{
	if (!a)
		return;
	stop(a);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

int sw_agent_run(const struct sw_agent_opts *o)
{
	struct sw_agent *a;
	__u64 events, drops;
	int rc;

	set_signals();
	a = sw_agent_open(o);
	if (!a)
		return 1;
	logf_("info", "ready in %.1f ms (attach %.1f ms, snapshot %.1f ms): %zu sockets (%llu found at start), http%s %s",
	      a->ready_ns / 1e6, a->attach_ns / 1e6, a->snapshot_ns / 1e6,
	      sw_table_count(a->table),
	      (unsigned long long)a->snapshot_sockets,
	      sw_http_tls(a->http) ? "s" : "", a->http ? a->cfg.http.listen : "off");
	rc = loop(a);
	sw_loader_counters(a->loader, &events, &drops);
	logf_("info", "stopping: %llu events, %llu dropped, %llu repaired",
	      (unsigned long long)events, (unsigned long long)drops,
	      (unsigned long long)a->repairs);
	sw_agent_close(a);
	return rc;
}

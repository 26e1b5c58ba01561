// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The agent's side of the port registry (health/port_registry.h): the
 * watchdog that releases the leases of dead services, and the API
 * /api/v1/ports/allocations and /api/v1/ports?range=A-B; with them the
 * seed's other network endpoint, /api/v1/netstats.
 *
 * All of it works on the state file under the registry's flock, never
 * under the agent's lock (it lists sockets and reads /proc): the lock is
 * taken only to copy the configured path and to raise alerts.
 */
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent/agent.h"
#include "health/port_registry.h"
#include "lib/portrange.h"
#include "table/decode.h"

static void state_path(struct sw_agent *a, char *buf, size_t len)
{
	sw_agent_lock(a);
	snprintf(buf, len, "%s", a->cfg.ports.state_file);
	pthread_mutex_unlock(&a->lock);
}

/* The released leases, and whether each pid was reused (for the alert). */
struct expired {
	struct sw_lease_set leases;
	bool reused[256];
};

static void collect_expired(const struct sw_lease *l,
			    const struct sw_lease_status *st, void *ctx)
{
	struct expired *e = ctx;

	if (e->leases.n < sizeof(e->reused))
		e->reused[e->leases.n] = st->pid_reused;
	sw_lease_set_add(&e->leases, l);
}

static void watchdog_pass(struct sw_agent *a)
{
	static char last_err[512];
	static struct expired ex;
	struct sw_lease_set *gone = &ex.leases;
	char path[PATH_MAX], err[512], key[8];
	struct sw_alert al;
	size_t i;

	state_path(a, path, sizeof(path));
	memset(&ex, 0, sizeof(ex));
	if (sw_registry_expire(path, collect_expired, &ex, err, sizeof(err)) < 0) {
		/* once per distinct problem, not every interval */
		if (strcmp(err, last_err))
			fprintf(stderr, "sockwatch: warning: port registry: %s\n", err);
		snprintf(last_err, sizeof(last_err), "%s", err);
		return;
	}
	last_err[0] = '\0';
	sw_agent_lock(a);
	for (i = 0; i < gone->n; i++) {
		const struct sw_lease *l = &gone->v[i];
		bool reused = i < sizeof(ex.reused) && ex.reused[i];

		sw_alert_init(&al, SW_ALERT_PORT_LEASE_EXPIRED, "port", sw_mono_now());
		snprintf(key, sizeof(key), "%u", l->port);
		sw_alert_set_key(&al, key);
		sw_alert_set_owner(&al, l->pid, "");
		sw_alert_uint(&al, "port", l->port);
		sw_alert_str(&al, "service", l->service);
		sw_alert_str(&al, "purpose", l->purpose);
		sw_alert_str(&al, "user", l->user);
		sw_alert_int(&al, "since", l->since);
		sw_alert_str(&al, "reason", reused ? "pid reused by another process and port not bound" :
			     "pid gone and port not bound");
		sw_agent_alert(a, &al);
	}
	pthread_mutex_unlock(&a->lock);
	sw_lease_set_free(gone);
}

static pthread_cond_t ports_cond = PTHREAD_COND_INITIALIZER;

static void *ports_main(void *arg)
{
	struct sw_agent *a = arg;

	sw_agent_lock(a);
	while (a->ports_running) {
		pthread_mutex_unlock(&a->lock);
		watchdog_pass(a);
		sw_agent_lock(a);
		sw_agent_sleep(a, &ports_cond, &a->ports_running,
			       a->cfg.health.interval_ns);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

int sw_agent_ports_start(struct sw_agent *a)
{
	a->ports_running = true;
	if (pthread_create(&a->ports_thread, NULL, ports_main, a)) {
		a->ports_running = false;
		return -1;
	}
	return 0;
}

void sw_agent_ports_stop(struct sw_agent *a)
{
	bool was;

	sw_agent_lock(a);
	was = a->ports_running;
	a->ports_running = false;
	pthread_cond_broadcast(&ports_cond);
	pthread_mutex_unlock(&a->lock);
	if (was)
		pthread_join(a->ports_thread, NULL);
}

/* ---- /api/v1/ports/allocations ---- */

static int api_allocations(const struct sw_http_req *req, struct sw_http_resp *resp,
			   void *ctx)
{
	struct sw_lease_status *st = NULL;
	struct sw_lease_set s;
	char path[PATH_MAX], err[512];
	size_t i;

	state_path(ctx, path, sizeof(path));
	if (sw_registry_load(path, &s, err, sizeof(err)))
		return sw_http_resp_error(resp, 500, "%s", err);
	st = calloc(s.n ? s.n : 1, sizeof(*st));
	if (!st || sw_registry_status(&s, st, true) < 0) {
		free(st);
		sw_lease_set_free(&s);
		return sw_http_resp_error(resp, 500, "cannot list sockets");
	}
	sw_json_obj_begin(&resp->json);
	sw_json_kstr(&resp->json, "state_file", path);
	sw_json_key(&resp->json, "leases");
	sw_json_arr_begin(&resp->json);
	for (i = 0; i < s.n; i++)
		sw_lease_json(&resp->json, &s.v[i], &st[i]);
	sw_json_arr_end(&resp->json);
	sw_json_obj_end(&resp->json);
	free(st);
	sw_lease_set_free(&s);
	return 0;
}

/* ---- /api/v1/ports?range=A-B ---- */

static int api_ports(const struct sw_http_req *req, struct sw_http_resp *resp,
		     void *ctx)
{
	const char *arg = sw_http_query(req, "range");
	char path[PATH_MAX], why[SW_PORT_WHY_LEN], err[512];
	struct sw_portrange r;

	if (!arg)
		return sw_http_resp_error(resp, 400, "range=A-B is required (at most %d ports)",
					  SW_PORTS_REPORT_MAX);
	if (sw_portrange_parse(arg, &r, why))
		return sw_http_resp_error(resp, 400, "range: %s", why);
	state_path(ctx, path, sizeof(path));
	if (sw_ports_report_json(&r, path, &resp->json, err, sizeof(err))) {
		sw_json_reset(&resp->json);
		return sw_http_resp_error(resp, strstr(err, "at most") ? 400 : 500, "%s", err);
	}
	return 0;
}

/* ---- /api/v1/netstats ---- */

static int api_netstats(const struct sw_http_req *req, struct sw_http_resp *resp,
			void *ctx)
{
	struct sw_agent *a = ctx;
	struct sw_ifstats *prev = malloc(sizeof(*prev));
	int ret;

	if (!prev)
		return sw_http_resp_error(resp, 500, "out of memory");
	/* growth against the watchdog's last run */
	sw_agent_lock(a);
	*prev = a->health.ifs;
	if (!a->have_health)
		prev->n = 0;
	pthread_mutex_unlock(&a->lock);
	ret = sw_netstats_json(&resp->json, prev);
	free(prev);
	if (ret < 0) {
		sw_json_reset(&resp->json);
		return sw_http_resp_error(resp, 500, "%s", strerror(-ret));
	}
	return 0;
}

void sw_agent_register_ports_api(struct sw_agent *a)
{
	sw_http_route(a->http, "/api/v1/netstats", api_netstats, a, 0);
	sw_http_route(a->http, "/api/v1/ports", api_ports, a, 0);
	sw_http_route(a->http, "/api/v1/ports/allocations", api_allocations, a, 0);
}

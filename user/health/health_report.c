// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Renderers of a health report: JSON (json_writer) for --json, the agent's
 * /api/v1/health and alerts; text for people.
 */
#include <stdio.h>
#include <string.h>
#include "table/decode.h"
#include "detect/alerts.h"
#include "health/health.h"
#include "lib/json_writer.h"

static void json_figs(const struct sw_health_check *c, struct sw_json *j)
{
	unsigned int i;

	sw_json_key(j, "figures");
	sw_json_obj_begin(j);
	for (i = 0; i < c->nfig; i++) {
		const struct sw_health_fig *f = &c->fig[i];

		if (f->type == SW_FIG_STR)
			sw_json_kstr(j, f->key, f->str);
		else if (f->type == SW_FIG_DBL)
			sw_json_kdouble(j, f->key, f->dbl);
		else
			sw_json_kint(j, f->key, f->num);
	}
	sw_json_obj_end(j);
}

static void json_states(const __u32 *by_state, struct sw_json *j)
{
	unsigned int s;

	sw_json_key(j, "by_state");
	sw_json_obj_begin(j);
	for (s = 1; s < SW_TCP_MAX_STATES; s++)
		if (by_state[s])
			sw_json_kuint(j, sw_tcp_state_name(s), by_state[s]);
	sw_json_obj_end(j);
}

static void json_procs(const char *key, const struct sw_health_proc *p,
		       unsigned int n, bool files, struct sw_json *j)
{
	unsigned int i;

	sw_json_key(j, key);
	sw_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		sw_json_obj_begin(j);
		sw_json_kuint(j, "pid", p[i].pid);
		sw_json_kstr(j, "comm", p[i].comm);
		if (files) {
			sw_json_kuint(j, "open_files", p[i].count);
			sw_json_kuint(j, "soft_limit", p[i].limit);
			sw_json_kdouble(j, "percent", p[i].limit ?
					100.0 * p[i].count / p[i].limit : 0);
		} else {
			sw_json_kuint(j, "connections", p[i].count);
			json_states(p[i].by_state, j);
		}
		sw_json_obj_end(j);
	}
	sw_json_arr_end(j);
}

static void json_holders(const struct sw_health_report *r, struct sw_json *j)
{
	char a[SW_ADDR_STRLEN];
	unsigned int i;

	sw_json_key(j, "holders");
	sw_json_arr_begin(j);
	for (i = 0; i < r->n_holders; i++) {
		const struct sw_health_holder *h = &r->holders[i];

		sw_fmt_addr(a, h->family, h->addr);
		sw_json_obj_begin(j);
		sw_json_kuint(j, "pid", h->pid);
		sw_json_kstr(j, "comm", h->comm);
		sw_json_kstr(j, "proto", sw_proto_name(h->proto));
		sw_json_kstr(j, "state", h->state ? sw_tcp_state_name(h->state) : "");
		sw_json_kstr(j, "address", a);
		sw_json_obj_end(j);
	}
	sw_json_arr_end(j);
}

static void json_tuples(const struct sw_health_report *r, struct sw_json *j)
{
	char sa[SW_ADDR_STRLEN], da[SW_ADDR_STRLEN];
	unsigned int i;

	sw_json_key(j, "tuples");
	sw_json_arr_begin(j);
	for (i = 0; i < r->n_tuples; i++) {
		const struct sw_health_tuple *t = &r->tuples[i];

		sw_fmt_addr(sa, t->family, t->saddr);
		sw_fmt_addr(da, t->family, t->daddr);
		sw_json_obj_begin(j);
		sw_json_kuint(j, "netns", t->netns);
		sw_json_kstr(j, "source", sa);
		sw_json_kstr(j, "destination", da);
		sw_json_kuint(j, "destination_port", t->dport);
		sw_json_kuint(j, "used", t->used);
		sw_json_kuint(j, "available", t->available);
		sw_json_kdouble(j, "percent", t->percent);
		sw_json_kuint(j, "range_low", t->lo);
		sw_json_kuint(j, "range_high", t->hi);
		sw_json_obj_end(j);
	}
	sw_json_arr_end(j);
}

static void json_listeners(const struct sw_health_report *r, struct sw_json *j)
{
	unsigned int i;

	sw_json_key(j, "listeners");
	sw_json_arr_begin(j);
	for (i = 0; i < r->n_listeners; i++) {
		const struct sw_health_listener *l = &r->listeners[i];

		sw_json_obj_begin(j);
		sw_json_kuint(j, "netns", l->netns);
		sw_json_kstr(j, "proto", sw_proto_name(l->proto));
		sw_json_kstr(j, "family", sw_family_name(l->family));
		sw_json_kuint(j, "port", l->port);
		sw_json_kuint(j, "pid", l->pid);
		sw_json_kstr(j, "comm", l->comm);
		sw_json_obj_end(j);
	}
	sw_json_arr_end(j);
}

static void json_tls(const struct sw_health_report *r, struct sw_json *j)
{
	unsigned int i;

	sw_json_key(j, "certificates");
	sw_json_arr_begin(j);
	for (i = 0; i < r->n_tls; i++) {
		const struct sw_health_tls *t = &r->tls[i];

		sw_json_obj_begin(j);
		sw_json_kstr(j, "path", t->path);
		sw_json_kstr(j, "status", sw_health_status_name(t->status));
		sw_json_kstr(j, "subject", t->subject);
		sw_json_kint(j, "not_before", t->not_before);
		sw_json_kint(j, "not_after", t->not_after);
		sw_json_kdouble(j, "days_left", t->days_left);
		if (t->key_path[0])
			sw_json_kstr(j, "key", t->key_path);
		else
			sw_json_knull(j, "key");
		if (t->key_match >= 0)
			sw_json_kbool(j, "key_matches", t->key_match);
		else
			sw_json_knull(j, "key_matches");
		sw_json_kbool(j, "chain_verifies", t->chain_ok);
		sw_json_kstr(j, "problem", t->problem);
		sw_json_obj_end(j);
	}
	sw_json_arr_end(j);
}

/* The lists that belong under a check, after its figures. */
static void json_details(const struct sw_health_report *r, int id, struct sw_json *j)
{
	switch (id) {
	case SW_HC_FILES_PROCESS:
		json_procs("processes", r->files, r->n_files, true, j);
		break;
	case SW_HC_CONNECTIONS:
		json_states(r->tcp_by_state, j);
		json_procs("processes", r->conns, r->n_conns, false, j);
		break;
	case SW_HC_PORT_BIND:
		json_holders(r, j);
		break;
	case SW_HC_EPHEMERAL:
		json_tuples(r, j);
		break;
	case SW_HC_EXPOSURE:
		json_listeners(r, j);
		break;
	case SW_HC_TLS:
		json_tls(r, j);
		break;
	case SW_HC_INTERFACES:
		sw_json_key(j, "counters");
		sw_netstats_ifs_json(j, &r->ifs);
		break;
	}
}

void sw_health_to_json(const struct sw_health_report *r, struct sw_json *j)
{
	char when[SW_TIME_STRLEN];
	int i;

	sw_fmt_time(when, r->wall_ns);
	sw_json_obj_begin(j);
	sw_json_kstr(j, "status", sw_health_overall_name(r->status));
	sw_json_kstr(j, "time", when);
	if (r->port)
		sw_json_kint(j, "port", r->port);
	else
		sw_json_knull(j, "port");
	sw_json_kuint(j, "critical", r->n_critical);
	sw_json_kuint(j, "warnings", r->n_warning);
	sw_json_key(j, "checks");
	sw_json_arr_begin(j);
	for (i = 0; i < SW_HC_MAX; i++) {
		const struct sw_health_check *c = &r->check[i];

		if (!c->ran)
			continue;
		sw_json_obj_begin(j);
		sw_json_kstr(j, "name", sw_health_check_name(i));
		sw_json_kstr(j, "status", sw_health_status_name(c->status));
		sw_json_kstr(j, "summary", c->summary);
		if (c->advice[0])
			sw_json_kstr(j, "recommendation", c->advice);
		else
			sw_json_knull(j, "recommendation");
		json_figs(c, j);
		json_details(r, i, j);
		sw_json_obj_end(j);
	}
	sw_json_arr_end(j);
	sw_json_obj_end(j);
}

static void print_procs(const struct sw_health_proc *p, unsigned int n, bool files,
			FILE *f)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (files)
			fprintf(f, "%24s pid %-7u %-16s %llu of %llu fds\n", "", p[i].pid,
				p[i].comm, (unsigned long long)p[i].count,
				(unsigned long long)p[i].limit);
		else
			fprintf(f, "%24s pid %-7u %-16s %llu connections (%u established, %u TIME_WAIT)\n",
				"", p[i].pid, p[i].comm, (unsigned long long)p[i].count,
				p[i].by_state[SW_TCP_ESTABLISHED], p[i].by_state[SW_TCP_TIME_WAIT]);
	}
}

static void print_details(const struct sw_health_report *r, int id, FILE *f)
{
	char a[SW_ADDR_STRLEN], b[SW_ADDR_STRLEN];
	unsigned int i;

	if (id == SW_HC_FILES_PROCESS)
		print_procs(r->files, r->n_files, true, f);
	if (id == SW_HC_CONNECTIONS)
		print_procs(r->conns, r->n_conns, false, f);
	for (i = 0; id == SW_HC_PORT_BIND && i < r->n_holders; i++) {
		sw_fmt_addr(a, r->holders[i].family, r->holders[i].addr);
		fprintf(f, "%24s held by pid %u (%s) %s %s\n", "", r->holders[i].pid,
			r->holders[i].pid ? r->holders[i].comm : "-",
			sw_proto_name(r->holders[i].proto), a);
	}
	for (i = 0; id == SW_HC_EPHEMERAL && i < r->n_tuples; i++) {
		const struct sw_health_tuple *t = &r->tuples[i];

		sw_fmt_addr(a, t->family, t->saddr);
		sw_fmt_addr(b, t->family, t->daddr);
		fprintf(f, "%24s %s -> %s:%u  %u/%u (%.1f%%) netns %u\n", "", a, b,
			t->dport, t->used, t->available, t->percent, t->netns);
	}
	for (i = 0; id == SW_HC_TLS && i < r->n_tls; i++)
		fprintf(f, "%24s %-8s %s: %s\n", "", sw_health_status_name(r->tls[i].status),
			r->tls[i].path, r->tls[i].problem[0] ? r->tls[i].problem : "valid");
	for (i = 0; id == SW_HC_INTERFACES && i < r->ifs.n; i++) {
		const struct sw_ifstat *s = &r->ifs.v[i];

		if (s->errors_growth || s->drops_growth)
			fprintf(f, "%24s %s: +%llu errors, +%llu drops\n", "", s->name,
				(unsigned long long)s->errors_growth,
				(unsigned long long)s->drops_growth);
	}
	for (i = 0; id == SW_HC_EXPOSURE && i < r->n_listeners; i++) {
		const struct sw_health_listener *l = &r->listeners[i];

		fprintf(f, "%24s %s %s *:%u pid %u (%s) netns %u\n", "",
			sw_proto_name(l->proto), sw_family_name(l->family), l->port,
			l->pid, l->pid ? l->comm : "-", l->netns);
	}
}

void sw_health_print(const struct sw_health_report *r, FILE *f)
{
	int i;

	fprintf(f, "sockwatch health: %s (%u critical, %u warning)\n",
		sw_health_overall_name(r->status), r->n_critical, r->n_warning);
	for (i = 0; i < SW_HC_MAX; i++) {
		const struct sw_health_check *c = &r->check[i];

		if (!c->ran)
			continue;
		fprintf(f, "  %-9s %-20s %s\n", sw_health_status_name(c->status),
			sw_health_check_name(i), c->summary);
		if (c->advice[0])
			fprintf(f, "%24s -> %s\n", "", c->advice);
		print_details(r, i, f);
	}
}

int sw_health_changes(const struct sw_health_report *before,
		      const struct sw_health_report *now, __u64 mono_ns,
		      struct sw_alert *out)
{
	int i, n = 0;

	for (i = 0; i < SW_HC_MAX; i++) {
		enum sw_health_status was = before ? before->check[i].status :
						     SW_HEALTH_OK;
		struct sw_alert *al = &out[n];

		if (now->check[i].status == was)
			continue;
		sw_alert_init(al, SW_ALERT_HEALTH_CHANGED, "check", mono_ns);
		sw_alert_set_key(al, sw_health_check_name(i));
		sw_alert_str(al, "from", sw_health_status_name(was));
		sw_alert_str(al, "to", sw_health_status_name(now->check[i].status));
		sw_alert_str(al, "summary", now->check[i].summary);
		n++;
	}
	return n;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch ports --allocate / --release / --release-service /
 * --allocations: the port allocation registry from the command line.
 *
 * An allocation runs the host's health checks first (outside the lock:
 * they take a second on a busy host and concern no port; the two costly
 * ones that can only warn, process_file_limits and dns, are left to
 * `sockwatch health`), lists the ports bound in every visible namespace,
 * then, under the registry's lock: reads the state, picks a port that is
 * neither bound nor leased and that passes a test bind, runs the check of
 * that port (a bind with SO_REUSEADDR, as the service will bind), records
 * the lease and replaces the state file. A critical result refuses (exit 2) unless
 * --force.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd/ports_registry.h"
#include "health/health.h"
#include "health/port_registry.h"
#include "health/ports.h"
#include "lib/json_writer.h"
#include "table/procfs.h"

#define ERRLEN 512

static void whoami(char *buf, size_t len)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned)getuid());
}

static bool bind_ok(__u16 port, void *ctx)
{
	return !sw_port_bind_test(port, false);
}

/* Non-ok checks, one line each: after the outcome, never before an error. */
static void print_checks(const struct sw_health_report *r, enum sw_health_status min)
{
	int i;

	for (i = 0; i < SW_HC_MAX; i++) {
		if (!r->check[i].ran || r->check[i].status < min ||
		    r->check[i].status == SW_HEALTH_OK)
			continue;
		fprintf(stderr, "sockwatch ports: %s: %s: %s\n",
			sw_health_status_name(r->check[i].status),
			sw_health_check_name(i), r->check[i].summary);
	}
}

/* The host's checks into r; critical refuses unless force. */
static int host_checks(const struct sw_alloc_opts *o, struct sw_health_report *r)
{
	struct sw_health_limits lim;

	sw_health_limits_default(&lim);
	/* 50 services starting at once must not each walk every fd of the host */
	lim.cheap = true;
	if (sw_health_run(&lim, 0, r) < 0) {
		fprintf(stderr, "sockwatch ports: health checks could not run\n");
		return SW_PORTS_EXIT_FAILED;
	}
	if (r->status < SW_HEALTH_CRITICAL || o->force)
		return 0;
	print_checks(r, SW_HEALTH_CRITICAL);
	fprintf(stderr, "sockwatch ports: refusing to allocate: %u critical check(s) (--force to allocate anyway)\n",
		r->n_critical);
	return SW_PORTS_EXIT_REFUSED;
}

/* The checks of the chosen port, as `health --port` grades bind. */
static int port_checks(const struct sw_alloc_opts *o, __u16 port)
{
	int err = sw_port_bind_test(port, true);

	if (!err)
		return 0;
	fprintf(stderr, "sockwatch ports: critical: port_bind: binding port %u fails: %s%s\n",
		port, strerror(-err), o->force ? " (--force: allocated anyway)" : "");
	return o->force ? 0 : SW_PORTS_EXIT_REFUSED;
}

static void print_lease(const struct sw_lease *l, enum sw_health_status st, bool json)
{
	struct sw_json j;

	if (!json) {
		printf("%u\n", l->port);
		return;
	}
	sw_json_init(&j);
	sw_json_obj_begin(&j);
	sw_json_kuint(&j, "port", l->port);
	sw_json_kstr(&j, "service", l->service);
	sw_json_kstr(&j, "purpose", l->purpose);
	sw_json_kuint(&j, "pid", l->pid);
	sw_json_kint(&j, "since", l->since);
	sw_json_kstr(&j, "user", l->user);
	sw_json_kstr(&j, "health", sw_health_overall_name(st));
	sw_json_obj_end(&j);
	puts(sw_json_cstr(&j));
	sw_json_free(&j);
}

/*
 * Under the lock: the leases are read again (another allocation may have
 * just taken a port), and the test bind sees what was bound since the
 * socket listing, which ran before the lock so that racing allocations
 * wait for each other only this long.
 */
static int allocate_locked(const struct sw_alloc_opts *o, const struct sw_portset *used,
			   struct sw_lease *l)
{
	struct sw_lease_set s;
	char err[ERRLEN];
	int ret;

	if (sw_registry_load(o->state, &s, err, sizeof(err))) {
		fprintf(stderr, "sockwatch ports: %s\n", err);
		return SW_PORTS_EXIT_FAILED;
	}
	if (sw_registry_pick(&o->range, o->prefer, used, &s, bind_ok, NULL, &l->port)) {
		fprintf(stderr, "sockwatch ports: no free port in %u-%u\n",
			o->range.lo, o->range.hi);
		ret = SW_PORTS_EXIT_NONE;
		goto out;
	}
	ret = port_checks(o, l->port);
	if (ret)
		goto out;
	if (sw_lease_set_add(&s, l) || sw_registry_save(o->state, &s, err, sizeof(err))) {
		fprintf(stderr, "sockwatch ports: %s\n", s.n ? err : "out of memory");
		ret = SW_PORTS_EXIT_FAILED;
	}
out:
	sw_lease_set_free(&s);
	return ret;
}

int sw_ports_allocate(const struct sw_alloc_opts *o)
{
	static struct sw_health_report r;	/* large: not on the stack */
	static struct sw_portset used;
	struct sw_lease l = { 0 };
	struct sw_lease_set s;
	char err[ERRLEN];
	time_t start;
	int lock, ret;

	/* a broken state file fails at once, before a second of checks */
	if (sw_registry_load(o->state, &s, err, sizeof(err))) {
		fprintf(stderr, "sockwatch ports: %s\n", err);
		return SW_PORTS_EXIT_FAILED;
	}
	sw_lease_set_free(&s);
	l.pid = o->pid ? o->pid : (__u32)getppid();
	if (sw_proc_start_time((pid_t)l.pid, &start)) {
		fprintf(stderr, "sockwatch ports: --pid %u: no such process\n", l.pid);
		return SW_PORTS_EXIT_USAGE;
	}
	l.pid_start = (__s64)start;
	ret = host_checks(o, &r);
	if (ret)
		return ret;
	ret = sw_registry_used_ports(&used);
	if (ret < 0) {
		fprintf(stderr, "sockwatch ports: listing sockets: %s\n", strerror(-ret));
		return SW_PORTS_EXIT_FAILED;
	}
	l.since = (__s64)time(NULL);
	snprintf(l.service, sizeof(l.service), "%s", o->service);
	snprintf(l.purpose, sizeof(l.purpose), "%s", o->purpose ? o->purpose : "");
	whoami(l.user, sizeof(l.user));
	lock = sw_registry_lock(o->state, err, sizeof(err));
	if (lock < 0) {
		fprintf(stderr, "sockwatch ports: %s\n", err);
		return SW_PORTS_EXIT_FAILED;
	}
	ret = allocate_locked(o, &used, &l);
	close(lock);
	if (ret)
		return ret;
	print_lease(&l, r.status, o->json);
	print_checks(&r, SW_HEALTH_WARNING);
	return 0;
}

int sw_ports_release(const char *state, __u16 port, const char *service)
{
	struct sw_lease_set s;
	char err[ERRLEN];
	size_t i, n = 0;
	int lock, ret = 0;

	lock = sw_registry_lock(state, err, sizeof(err));
	if (lock < 0) {
		fprintf(stderr, "sockwatch ports: %s\n", err);
		return SW_PORTS_EXIT_FAILED;
	}
	if (sw_registry_load(state, &s, err, sizeof(err))) {
		fprintf(stderr, "sockwatch ports: %s\n", err);
		close(lock);
		return SW_PORTS_EXIT_FAILED;
	}
	for (i = s.n; i-- > 0;) {
		if (port ? s.v[i].port != port : strcmp(s.v[i].service, service))
			continue;
		printf("released %u (%s)\n", s.v[i].port, s.v[i].service);
		sw_lease_remove(&s, i);
		n++;
	}
	if (!n) {
		if (port)
			fprintf(stderr, "sockwatch ports: port %u is not leased\n", port);
		else
			fprintf(stderr, "sockwatch ports: service '%s' holds no lease\n", service);
		ret = SW_PORTS_EXIT_NONE;
	} else if (sw_registry_save(state, &s, err, sizeof(err))) {
		fprintf(stderr, "sockwatch ports: %s\n", err);
		ret = SW_PORTS_EXIT_FAILED;
	}
	sw_lease_set_free(&s);
	close(lock);
	return ret;
}

static void print_allocations(const struct sw_lease_set *s,
			      const struct sw_lease_status *st)
{
	char since[32];
	size_t i;

	printf("%-5s %-20s %-7s %-5s %-20s %-10s %-24s %s\n", "PORT", "SERVICE",
	       "PID", "ALIVE", "SINCE", "USER", "BOUND BY", "PURPOSE");
	for (i = 0; i < s->n; i++) {
		const struct sw_lease *l = &s->v[i];
		char by[40];
		time_t t = (time_t)l->since;

		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		if (!st[i].bound)
			snprintf(by, sizeof(by), "-");
		else if (st[i].holder_pid)
			snprintf(by, sizeof(by), "%u %s%s", st[i].holder_pid,
				 st[i].holder_comm, st[i].held_by_other ? " [OTHER]" : "");
		else
			snprintf(by, sizeof(by), "unknown");
		printf("%-5u %-20s %-7u %-5s %-20s %-10s %-24s %s\n", l->port,
		       l->service, l->pid, st[i].pid_alive ? "yes" : "no", since,
		       l->user, by, l->purpose);
	}
}

int sw_ports_allocations(const char *state, bool json)
{
	struct sw_lease_status *st;
	struct sw_lease_set s;
	struct sw_json j;
	char err[ERRLEN];
	size_t i;
	int ret;

	/* no lock: writers replace the file whole (rename) */
	ret = sw_registry_load(state, &s, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "sockwatch ports: %s\n", err);
		return SW_PORTS_EXIT_FAILED;
	}
	st = calloc(s.n ? s.n : 1, sizeof(*st));
	ret = st ? sw_registry_status(&s, st, true) : -ENOMEM;
	if (ret < 0) {
		fprintf(stderr, "sockwatch ports: %s\n", strerror(-ret));
		ret = SW_PORTS_EXIT_FAILED;
		goto out;
	}
	if (!json) {
		print_allocations(&s, st);
		goto out;
	}
	sw_json_init(&j);
	sw_json_obj_begin(&j);
	sw_json_key(&j, "leases");
	sw_json_arr_begin(&j);
	for (i = 0; i < s.n; i++)
		sw_lease_json(&j, &s.v[i], &st[i]);
	sw_json_arr_end(&j);
	sw_json_obj_end(&j);
	puts(sw_json_cstr(&j));
	sw_json_free(&j);
out:
	free(st);
	sw_lease_set_free(&s);
	return ret;
}

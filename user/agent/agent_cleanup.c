// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The agent's clean-up of leaked sockets ([cleanup], detect/cleanup.h):
 * after each leak scan, every socket suspect is judged by the pure
 * decision; in enforce the ones it clears are destroyed through
 * sock_diag SOCK_DESTROY, in dry-run they are only reported. Each act is
 * an alert (socket_destroyed / would_destroy) carrying the rule, the
 * protection verdict and the figures, and counts in
 * sockwatch_cleanup_total{mode,rule}.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "agent/agent.h"
#include "table/sockdiag.h"

int sw_agent_cleanup_start(struct sw_agent *a)
{
	a->destroy_probe = sw_diag_destroy_probe();
	return sw_agent_cleanup_allowed(a, &a->cfg) ? 0 : -1;
}

bool sw_agent_cleanup_allowed(const struct sw_agent *a, const struct sw_config *cfg)
{
	if (cfg->cleanup.mode != SW_CLEANUP_ENFORCE || !a->destroy_probe)
		return true;
	fprintf(stderr, "sockwatch: [cleanup] mode = enforce needs sock_diag SOCK_DESTROY, which this kernel refuses (%s)%s\n",
		strerror(-a->destroy_probe),
		a->destroy_probe == -EOPNOTSUPP ? ": built without CONFIG_INET_DIAG_DESTROY; use dry-run" :
		": needs CAP_NET_ADMIN");
	return false;
}

static void to_diag(const struct sw_sock *s, struct sw_diag_sock *d)
{
	memset(d, 0, sizeof(*d));
	d->cookie = s->cookie;
	d->netns = s->netns;
	d->family = s->family;
	d->proto = s->proto;
	d->lport = s->lport;
	d->rport = s->rport;
	memcpy(d->laddr, s->laddr, 16);
	memcpy(d->raddr, s->raddr, 16);
}

static void act(struct sw_agent *a, const struct sw_suspect *s, __u64 now)
{
	const struct sw_cleanup_cfg *c = &a->cfg.cleanup;
	bool enforce = c->mode == SW_CLEANUP_ENFORCE;
	struct sw_diag_sock d;
	struct sw_alert al;
	int ret = 0;

	if (enforce) {
		to_diag(&s->sock, &d);
		ret = sw_diag_destroy(&d);
	}
	sw_cleanup_mark(&a->cleanup_acted, s->sock.cookie);
	if (ret) {
		/* gone meanwhile (its owner closed it): nothing was destroyed */
		a->cleanup_failed++;
		fprintf(stderr, "sockwatch: warning: cleanup: destroying socket %llu of pid %u: %s\n",
			(unsigned long long)s->sock.cookie, s->pid, strerror(-ret));
		return;
	}
	sw_cleanup_taken(&a->cleanup_rate, now);
	a->cleanup_total[c->mode][s->rule]++;
	sw_suspect_alert(a->det, s, &al);
	al.alert = enforce ? "socket_destroyed" : "would_destroy";
	al.mono_ns = now;
	al.wall_ns = 0;
	sw_alert_str(&al, "rule", sw_leak_rule_name(s->rule));
	sw_alert_str(&al, "mode", sw_cleanup_mode_name(c->mode));
	sw_alert_seconds(&al, "min_age", c->min_age_ns);
	sw_alert_seconds(&al, "socket_age", now - s->sock.birth_ns);
	sw_alert_uint(&al, "destroys_last_minute", sw_cleanup_recent(&a->cleanup_rate, now));
	sw_alert_uint(&al, "max_per_minute", c->max_per_minute);
	sw_agent_alert(a, &al);
}

/*
 * The table, not the detectors' suspect list: that list is bounded
 * ([agent] max_keys), and on a host with thousands of idle sockets it
 * fills before the ones in scope are reached. Out-of-scope sockets cost
 * a comm comparison; the rules run on the rest, as the scan runs them.
 */
void sw_agent_cleanup_pass(struct sw_agent *a, __u64 now)
{
	const struct sw_cleanup_cfg *c = &a->cfg.cleanup;
	__u32 self = (__u32)getpid();
	struct sw_suspect s;
	struct sw_sock *k;
	size_t pos = 0;

	if (c->mode == SW_CLEANUP_OFF)
		return;
	sw_cleanup_begin(&a->cleanup_acted);
	while ((k = sw_table_next(a->table, &pos))) {
		if (!sw_cleanup_in_scope(c, k->comm) ||
		    !sw_detectors_judge(a->det, k, now, &s) ||
		    sw_cleanup_seen(&a->cleanup_acted, k->cookie))
			continue;
		if (sw_cleanup_decide(c, &a->cleanup_rate, s.rule, &s.sock,
				      &s.decision, self, now) == SW_CLEAN_DESTROY)
			act(a, &s, now);
	}
	sw_cleanup_end(&a->cleanup_acted);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <netinet/in.h>
#include <sys/resource.h>
#include "detect/alerts.h"
#include "detect/leak_rules.h"

#define NSEC_PER_SEC 1000000000ULL

void sw_leak_defaults(struct sw_leak_cfg *c)
{
	c->close_wait_ns = 60 * NSEC_PER_SEC;
	c->idle_ns = 300 * NSEC_PER_SEC;
	c->fd_headroom_percent = 80.0;
}

const char *sw_leak_rule_name(enum sw_leak_rule r)
{
	switch (r) {
	/* the rule's name is its alert's */
	case SW_LEAK_CLOSE_WAIT:	return SW_ALERT_CLOSE_WAIT;
	case SW_LEAK_IDLE:		return SW_ALERT_IDLE;
	case SW_LEAK_FD_HEADROOM:	return SW_ALERT_FD_HEADROOM;
	default:			return "?";
	}
}

/* now - since, 0 when since is in the future (clock skew between CPUs) */
static __u64 elapsed(__u64 now_ns, __u64 since_ns)
{
	return now_ns > since_ns ? now_ns - since_ns : 0;
}

static bool owned_tcp(const struct sw_sock *s, __u8 state)
{
	return s->proto == IPPROTO_TCP && s->state == state &&
	       !(s->flags & SW_F_RELEASED);
}

/* How long s has been quiet: a socket that never moved a byte since birth. */
static __u64 quiet_for(const struct sw_sock *s, __u64 now_ns)
{
	return elapsed(now_ns, s->traffic_ns > s->birth_ns ? s->traffic_ns :
						   s->birth_ns);
}

static bool idle_long(const struct sw_leak_cfg *c, const struct sw_sock *s,
		      __u64 now_ns)
{
	return elapsed(now_ns, s->birth_ns) > c->idle_ns &&
	       quiet_for(s, now_ns) > c->idle_ns;
}

bool sw_leak_due(const struct sw_leak_cfg *c, const struct sw_sock *s,
		 __u64 now_ns)
{
	if (owned_tcp(s, SW_TCP_CLOSE_WAIT))
		return elapsed(now_ns, s->state_ns) > c->close_wait_ns;
	return owned_tcp(s, SW_TCP_ESTABLISHED) && idle_long(c, s, now_ns);
}

bool sw_leak_close_wait(const struct sw_leak_cfg *c, const struct sw_sock *s,
			const struct sw_prot_decision *d, __u64 now_ns,
			__u64 *age_ns)
{
	__u64 age;

	if (!owned_tcp(s, SW_TCP_CLOSE_WAIT))
		return false;
	/* only layers 1-2 protect a CLOSE_WAIT socket: see leak_rules.h */
	if (d->reason == SW_PROT_LISTENING || d->reason == SW_PROT_CRITICAL_PORT)
		return false;
	age = elapsed(now_ns, s->state_ns);
	if (age_ns)
		*age_ns = age;
	return age > c->close_wait_ns;
}

bool sw_leak_idle(const struct sw_leak_cfg *c, const struct sw_sock *s,
		  const struct sw_prot_decision *d, __u64 now_ns,
		  __u64 *age_ns)
{
	if (!owned_tcp(s, SW_TCP_ESTABLISHED) || sw_prot_is_protected(d))
		return false;
	if (age_ns)
		*age_ns = quiet_for(s, now_ns);
	return idle_long(c, s, now_ns);
}

bool sw_leak_fd_headroom(const struct sw_leak_cfg *c, __u64 open_fds,
			 __u64 soft_limit, double *used_pct)
{
	double pct;

	if (!soft_limit || soft_limit == (__u64)RLIM_INFINITY) {
		if (used_pct)
			*used_pct = 0.0;
		return false;
	}
	pct = 100.0 * (double)open_fds / (double)soft_limit;
	if (used_pct)
		*used_pct = pct;
	/* compare products, not a rounded percentage (exact below 2^46) */
	return (double)open_fds * 100.0 > c->fd_headroom_percent * (double)soft_limit;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Clean-up decisions. See cleanup.h. */
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include "detect/cleanup.h"
#include "detect/leak_rules.h"

#define NSEC_PER_SEC	1000000000ULL
#define WINDOW_NS	(60 * NSEC_PER_SEC)

static const char *const mode_names[] = {
	[SW_CLEANUP_OFF]	= "off",
	[SW_CLEANUP_DRY_RUN]	= "dry-run",
	[SW_CLEANUP_ENFORCE]	= "enforce",
};

static const char *const verdict_names[SW_CLEAN_NVERDICTS] = {
	[SW_CLEAN_DESTROY]	= "destroy",
	[SW_CLEAN_NOT_FLAGGED]	= "not_flagged",
	[SW_CLEAN_LISTENER]	= "listener",
	[SW_CLEAN_OWN]		= "own_socket",
	[SW_CLEAN_PROTECTED]	= "protected",
	[SW_CLEAN_TOO_YOUNG]	= "too_young",
	[SW_CLEAN_OUT_OF_SCOPE]	= "out_of_scope",
	[SW_CLEAN_RATE_LIMITED]	= "rate_limited",
};

void sw_cleanup_defaults(struct sw_cleanup_cfg *c)
{
	c->mode = SW_CLEANUP_OFF;
	c->min_age_ns = 300 * NSEC_PER_SEC;
	c->max_per_minute = 10;
}

int sw_cleanup_parse_mode(const char *s, __u8 *mode, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (!strcmp(s, mode_names[i])) {
			*mode = (__u8)i;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown mode '%.32s' (want off, dry-run or enforce)", s);
	return -1;
}

int sw_cleanup_set_processes(struct sw_cleanup_cfg *c, const char *list,
			     char *err, size_t errlen)
{
	struct sw_cleanup_cfg tmp = { .nprocesses = 0 };
	char tok[SW_COMM_LEN];
	int r;

	while ((r = sw_list_next(&list, tok, sizeof(tok))) > 0) {
		if (!tok[0] || tmp.nprocesses == SW_CLEANUP_MAX_PROCESSES) {
			snprintf(err, errlen, tok[0] ? "more than %d processes" : "empty process name",
				 SW_CLEANUP_MAX_PROCESSES);
			return -1;
		}
		memcpy(tmp.processes[tmp.nprocesses++], tok, sizeof(tok));
	}
	if (r < 0) {
		snprintf(err, errlen, "a process name (comm) is longer than %d characters",
			 SW_COMM_LEN - 1);
		return -1;
	}
	memcpy(c->processes, tmp.processes, sizeof(tmp.processes));
	c->nprocesses = tmp.nprocesses;
	return 0;
}

bool sw_cleanup_in_scope(const struct sw_cleanup_cfg *c, const char *comm)
{
	__u32 i;

	if (!c->nprocesses)
		return true;
	for (i = 0; i < c->nprocesses; i++)
		if (!strncmp(c->processes[i], comm, SW_COMM_LEN))
			return true;
	return false;
}

const char *sw_cleanup_mode_name(enum sw_cleanup_mode m)
{
	return m <= SW_CLEANUP_ENFORCE ? mode_names[m] : "unknown";
}

const char *sw_cleanup_verdict_name(enum sw_cleanup_verdict v)
{
	return v < SW_CLEAN_NVERDICTS ? verdict_names[v] : "unknown";
}

__u32 sw_cleanup_recent(const struct sw_cleanup_rate *rate, __u64 now_ns)
{
	__u32 i, n = 0;

	for (i = 0; i < rate->n; i++) {
		__u64 t = rate->at[(rate->head + SW_CLEANUP_MAX_PER_MINUTE - 1 - i) %
				   SW_CLEANUP_MAX_PER_MINUTE];

		if (now_ns >= t && now_ns - t >= WINDOW_NS)
			break;		/* newest first: the rest are older */
		n++;
	}
	return n;
}

void sw_cleanup_taken(struct sw_cleanup_rate *rate, __u64 now_ns)
{
	rate->at[rate->head] = now_ns;
	rate->head = (rate->head + 1) % SW_CLEANUP_MAX_PER_MINUTE;
	if (rate->n < SW_CLEANUP_MAX_PER_MINUTE)
		rate->n++;
}

enum sw_cleanup_verdict sw_cleanup_decide(const struct sw_cleanup_cfg *c,
					  const struct sw_cleanup_rate *rate,
					  __u8 rule, const struct sw_sock *s,
					  const struct sw_prot_decision *d,
					  __u32 self_pid, __u64 now_ns)
{
	if ((rule != SW_LEAK_CLOSE_WAIT && rule != SW_LEAK_IDLE) ||
	    s->proto != IPPROTO_TCP)
		return SW_CLEAN_NOT_FLAGGED;
	if (s->state == SW_TCP_LISTEN)
		return SW_CLEAN_LISTENER;
	if (s->pid && s->pid == self_pid)
		return SW_CLEAN_OWN;
	if (sw_prot_is_protected(d))
		return SW_CLEAN_PROTECTED;
	if (now_ns < s->birth_ns || now_ns - s->birth_ns <= c->min_age_ns)
		return SW_CLEAN_TOO_YOUNG;
	if (!sw_cleanup_in_scope(c, s->comm))
		return SW_CLEAN_OUT_OF_SCOPE;
	if (sw_cleanup_recent(rate, now_ns) >= c->max_per_minute)
		return SW_CLEAN_RATE_LIMITED;
	return SW_CLEAN_DESTROY;
}

void sw_cleanup_begin(struct sw_cleanup_acted *a)
{
	a->cur++;
}

bool sw_cleanup_seen(struct sw_cleanup_acted *a, __u64 cookie)
{
	__u32 i;

	for (i = 0; i < a->n; i++) {
		if (a->cookie[i] == cookie) {
			a->gen[i] = a->cur;
			return true;
		}
	}
	return false;
}

void sw_cleanup_mark(struct sw_cleanup_acted *a, __u64 cookie)
{
	if (a->n == SW_CLEANUP_ACTED)
		return;
	a->cookie[a->n] = cookie;
	a->gen[a->n++] = a->cur;
}

void sw_cleanup_end(struct sw_cleanup_acted *a)
{
	__u32 i, out = 0;

	for (i = 0; i < a->n; i++) {
		if (a->gen[i] != a->cur)
			continue;
		a->cookie[out] = a->cookie[i];
		a->gen[out++] = a->gen[i];
	}
	a->n = out;
}

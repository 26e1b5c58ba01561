// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Per remote address connection-rate tracking. See flood.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "detect/flood.h"

#define NS_PER_SEC	1000000000ull
#define DEFAULT_ADDRS	4096
/* Slots probed from an address's home slot: every address lives there. */
#define PROBE		8

/*
 * One remote address. cur counts connections in the fixed window that
 * began at win_ns, prev those of the window before. last_ns == 0 marks
 * an empty slot (monotonic time is never 0 once the system runs).
 */
struct flood_ent {
	__u64 win_ns;
	__u64 last_ns;
	__u64 since_ns;
	__u64 episode_count;
	__u32 cur;
	__u32 prev;
	__u8  family;
	__u8  addr[16];
	bool  episode;
};

struct sw_flood {
	struct flood_ent *slot;
	size_t cap;		/* power of two */
	__u64 window_ns;
	double limit;		/* connections allowed per window */
	double cps;
};

struct sw_flood *sw_flood_new(const struct sw_flood_params *p)
{
	size_t want = p->max_addrs ? p->max_addrs : DEFAULT_ADDRS;
	struct sw_flood *f;

	if (!(p->connections_per_second > 0) || p->window_ns < NS_PER_SEC / 1000) {
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	for (f->cap = PROBE; f->cap < want; f->cap *= 2)
		;
	f->slot = calloc(f->cap, sizeof(*f->slot));
	if (!f->slot) {
		free(f);
		return NULL;
	}
	f->window_ns = p->window_ns;
	f->cps = p->connections_per_second;
	f->limit = p->connections_per_second * (double)p->window_ns / NS_PER_SEC;
	return f;
}

void sw_flood_free(struct sw_flood *f)
{
	if (!f)
		return;
	free(f->slot);
	free(f);
}

static size_t addr_hash(__u8 family, const __u8 addr[16])
{
	__u32 h = 2166136261u ^ family;	/* FNV-1a */
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h;
}

static bool same_addr(const struct flood_ent *e, __u8 family, const __u8 addr[16])
{
	return e->family == family && !memcmp(e->addr, addr, 16);
}

/* The address's entry, a fresh one, or the least recently seen probed. */
static struct flood_ent *lookup(struct sw_flood *f, __u8 family,
				const __u8 addr[16])
{
	size_t i, home = addr_hash(family, addr) & (f->cap - 1);
	struct flood_ent *e, *victim = NULL;

	for (i = 0; i < PROBE; i++) {
		e = &f->slot[(home + i) & (f->cap - 1)];
		if (e->last_ns && same_addr(e, family, addr))
			return e;
		if (!e->last_ns)
			break;	/* no deletions: the address is not further on */
		if (!victim || e->last_ns < victim->last_ns)
			victim = e;
	}
	if (i < PROBE)
		victim = e;
	memset(victim, 0, sizeof(*victim));
	victim->family = family;
	memcpy(victim->addr, addr, 16);
	return victim;
}

/* Slide the fixed windows so that now falls in the current one. */
static void advance(struct flood_ent *e, __u64 now, __u64 w)
{
	__u64 n;

	if (!e->win_ns) {
		e->win_ns = now;
		return;
	}
	if (now < e->win_ns + w)
		return;
	n = (now - e->win_ns) / w;
	e->prev = n == 1 ? e->cur : 0;
	e->cur = 0;
	e->win_ns += n * w;
}

static double estimate(const struct flood_ent *e, __u64 now, __u64 w)
{
	double into = (double)(now - e->win_ns) / (double)w;

	return e->prev * (1.0 - into) + e->cur;
}

bool sw_flood_hit(struct sw_flood *f, __u8 family, const __u8 addr[16],
		  __u64 now_ns, struct sw_flood_alert *alert)
{
	struct flood_ent *e = lookup(f, family, addr);
	double est;

	if (e->episode && now_ns - e->last_ns >= f->window_ns)
		e->episode = false;	/* quiet for a whole window */
	advance(e, now_ns, f->window_ns);
	if (!e->since_ns || (!e->prev && !e->cur))
		e->since_ns = now_ns;
	e->cur++;
	e->last_ns = now_ns;
	est = estimate(e, now_ns, f->window_ns);
	if (e->episode) {
		e->episode_count++;
		if (est <= f->limit / 2)
			e->episode = false;
		return false;
	}
	/* The weighting is floating point: 9 * 8/9 + 2 must not exceed 10. */
	if (est <= f->limit + 1e-9)
		return false;
	e->episode = true;
	e->episode_count = (__u64)e->prev + e->cur;
	if (alert) {
		alert->family = family;
		memcpy(alert->addr, addr, 16);
		alert->rate = est / ((double)f->window_ns / NS_PER_SEC);
		alert->limit = f->cps;
		alert->count = e->episode_count;
		alert->since_ns = e->since_ns;
	}
	return true;
}

size_t sw_flood_active(const struct sw_flood *f, __u64 now_ns)
{
	size_t i, n = 0;

	for (i = 0; i < f->cap; i++)
		if (f->slot[i].episode &&
		    now_ns - f->slot[i].last_ns < f->window_ns)
			n++;
	return n;
}

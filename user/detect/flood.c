// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Per remote address connection-rate tracking. See flood.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "detect/flood.h"
#include "lib/hashmap.h"
#include "table/decode.h"

#define NS_PER_SEC	1000000000ull
#define DEFAULT_ADDRS	4096
/* Entries looked at for the least recently seen when the map is full. */
#define EVICT_SCAN	8

/*
 * One remote address, keyed by family and address (a lib/hashmap.h map).
 * cur counts connections in the fixed window that began at win_ns, prev
 * those of the window before.
 */
struct flood_ent {
	struct {
		__u8 family;
		__u8 addr[16];
		__u8 zero[7];	/* padding, hashed: always 0 */
	} key;
	__u64 win_ns;
	__u64 last_ns;
	__u64 since_ns;
	__u64 episode_count;
	__u32 cur;
	__u32 prev;
	bool  episode;
};

struct sw_flood {
	struct sw_map addrs;	/* struct flood_ent */
	size_t max;		/* addresses tracked at most */
	size_t hand;		/* where the next eviction looks */
	__u64 window_ns;
	double limit;		/* connections allowed per window */
	double cps;
};

struct sw_flood *sw_flood_new(const struct sw_flood_params *p)
{
	struct sw_flood *f;

	if (!(p->connections_per_second > 0) || p->window_ns < NS_PER_SEC / 1000) {
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->max = p->max_addrs ? p->max_addrs : DEFAULT_ADDRS;
	if (sw_map_init(&f->addrs, sizeof(struct flood_ent),
			sizeof(((struct flood_ent *)0)->key), 0)) {
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
	sw_map_free(&f->addrs);
	free(f);
}

/*
 * Make room when the map is full: the least recently seen of EVICT_SCAN
 * entries from a moving hand (CLOCK-like), so that memory stays bounded
 * under a spray of addresses while an address that floods now, being the
 * most recently seen, stays.
 */
static void evict_one(struct sw_flood *f)
{
	size_t n = sw_map_count(&f->addrs), i;
	struct flood_ent *victim = NULL, *e;

	for (i = 0; i < EVICT_SCAN && i < n; i++) {
		e = sw_map_at(&f->addrs, (f->hand + i) % n);
		if (!victim || e->last_ns < victim->last_ns)
			victim = e;
	}
	f->hand = (f->hand + EVICT_SCAN) % n;
	sw_map_del(&f->addrs, victim);
}

/* The address's entry, a fresh one; NULL when out of memory. */
static struct flood_ent *lookup(struct sw_flood *f, __u8 family,
				const __u8 addr[16])
{
	struct flood_ent k = { .key.family = family };
	struct flood_ent *e;
	bool fresh;

	memcpy(k.key.addr, addr, 16);
	e = sw_map_get(&f->addrs, &k.key);
	if (e)
		return e;
	if (sw_map_count(&f->addrs) >= f->max)
		evict_one(f);
	return sw_map_put(&f->addrs, &k.key, &fresh);
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

	if (!e)
		return false;

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

bool sw_flood_check(struct sw_flood *f, const struct sw_event *e,
		    struct sw_alert *out)
{
	struct sw_flood_alert fa;
	char addr[SW_ADDR_STRLEN];

	if (e->kind != SW_EV_ACCEPT ||
	    !sw_flood_hit(f, e->family, e->raddr, e->ts_ns, &fa))
		return false;
	sw_fmt_addr(addr, e->family, e->raddr);
	sw_alert_init(out, SW_ALERT_CONNECTION_FLOOD, "remote_addr", e->ts_ns);
	sw_alert_set_key(out, addr);
	sw_alert_set_owner(out, e->pid, e->comm);
	sw_alert_double(out, "rate", fa.rate);
	sw_alert_double(out, "threshold", fa.limit);
	sw_alert_uint(out, "count", fa.count);
	sw_alert_seconds(out, "window", f->window_ns);
	sw_alert_uint(out, "lport", e->lport);
	return true;
}

size_t sw_flood_active(const struct sw_flood *f, __u64 now_ns)
{
	size_t i, n = 0;

	for (i = 0; i < sw_map_count(&f->addrs); i++) {
		const struct flood_ent *e = sw_map_at(&f->addrs, i);

		if (e->episode && now_ns - e->last_ns < f->window_ns)
			n++;
	}
	return n;
}

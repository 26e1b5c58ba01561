// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include "detect/ewma.h"

#define NSEC_PER_SEC 1000000000ULL

struct errbuf {
	char  *buf;
	size_t len;
};

const char *const sw_ewma_key_names[SW_EWMA_NFIELDS] = {
	[SW_EWMA_F_MIN_PORTS]		= "min_ports",
	[SW_EWMA_F_MAX_PORTS]		= "max_ports",
	[SW_EWMA_F_MAX_DIFFERENCE]	= "max_difference",
	[SW_EWMA_F_SHORT_SAMPLES]	= "short_samples",
	[SW_EWMA_F_LONG_SAMPLES]	= "long_samples",
	[SW_EWMA_F_INTERVAL]		= "interval_seconds",
	[SW_EWMA_F_BREACH]		= "breach_seconds",
};

void sw_ewma_params_default(struct sw_ewma_params *p)
{
	p->min_ports = 100;
	p->max_ports = 65536;
	p->max_difference = 0.20;
	p->short_samples = 10;
	p->long_samples = 50;
	p->interval_ns = 1 * NSEC_PER_SEC;
	p->breach_ns = 25 * NSEC_PER_SEC;
}

/* Record the failing field and its message; returns -1 for the caller. */
__attribute__((format(printf, 4, 5)))
static int reject(enum sw_ewma_field f, enum sw_ewma_field *out, struct errbuf *eb,
		  const char *fmt, ...)
{
	va_list ap;

	if (out)
		*out = f;
	if (eb->buf && eb->len) {
		va_start(ap, fmt);
		vsnprintf(eb->buf, eb->len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int sw_ewma_params_check(const struct sw_ewma_params *p,
			 const char *const names[SW_EWMA_NFIELDS],
			 enum sw_ewma_field *f, char *err, size_t errlen)
{
	const char *const *n = names ? names : sw_ewma_key_names;
	struct errbuf eb = { err, errlen };

	if (p->min_ports < 1)
		return reject(SW_EWMA_F_MIN_PORTS, f, &eb,
			      "%s must be at least 1", n[SW_EWMA_F_MIN_PORTS]);
	if (p->max_ports <= p->min_ports)
		return reject(SW_EWMA_F_MAX_PORTS, f, &eb,
			      "%s (%llu) must be greater than %s (%llu)",
			      n[SW_EWMA_F_MAX_PORTS], (unsigned long long)p->max_ports,
			      n[SW_EWMA_F_MIN_PORTS], (unsigned long long)p->min_ports);
	if (!(p->max_difference > 0) || isinf(p->max_difference))
		return reject(SW_EWMA_F_MAX_DIFFERENCE, f, &eb,
			      "%s must be a finite number greater than 0 (is %g)",
			      n[SW_EWMA_F_MAX_DIFFERENCE], p->max_difference);
	if (p->long_samples <= 2)
		return reject(SW_EWMA_F_LONG_SAMPLES, f, &eb,
			      "%s must be greater than 2 (is %u)",
			      n[SW_EWMA_F_LONG_SAMPLES], p->long_samples);
	if (p->short_samples < 1)
		return reject(SW_EWMA_F_SHORT_SAMPLES, f, &eb,
			      "%s must be at least 1", n[SW_EWMA_F_SHORT_SAMPLES]);
	if (p->short_samples >= p->long_samples)
		return reject(SW_EWMA_F_SHORT_SAMPLES, f, &eb,
			      "%s (%u) must be less than %s (%u)",
			      n[SW_EWMA_F_SHORT_SAMPLES], p->short_samples,
			      n[SW_EWMA_F_LONG_SAMPLES], p->long_samples);
	if (p->interval_ns == 0)
		return reject(SW_EWMA_F_INTERVAL, f, &eb,
			      "%s must be greater than 0", n[SW_EWMA_F_INTERVAL]);
	return 0;
}

void sw_ewma_init(struct sw_ewma *e, const struct sw_ewma_params *p)
{
	*e = (struct sw_ewma){
		.short_avg = (double)p->min_ports,
		.long_avg = (double)p->min_ports,
		.rd = 0.0,
		.state = SW_EWMA_IDLE,
	};
}

static double alpha(__u32 n)
{
	return 2.0 / ((double)n + 1.0);
}

/* Averages: fed while breached, reset to the sample on leaving. */
static void update_averages(struct sw_ewma *e, const struct sw_ewma_params *p,
			    __u64 count)
{
	double x = (double)count;
	double as = alpha(p->short_samples);
	double al = alpha(p->long_samples);

	if (count >= p->min_ports) {
		e->breached = true;
		e->short_avg = as * x + (1.0 - as) * e->short_avg;
		e->long_avg = al * x + (1.0 - al) * e->long_avg;
	} else if (e->breached) {
		e->breached = false;
		e->short_avg = x;
		e->long_avg = x;
	}
}

enum sw_ewma_transition sw_ewma_poll(struct sw_ewma *e, __u64 now_ns)
{
	if (e->state != SW_EWMA_ARMED || now_ns < e->deadline_ns)
		return SW_EWMA_T_NONE;
	e->state = SW_EWMA_CONFIRMED;
	return SW_EWMA_T_CONFIRMED;
}

/* The decision of section 1, on top of the CONFIRMED latch. */
static enum sw_ewma_transition decide(struct sw_ewma *e,
				      const struct sw_ewma_params *p,
				      __u64 now_ns)
{
	switch (e->state) {
	case SW_EWMA_IDLE:
		if (!e->fail)
			return SW_EWMA_T_NONE;
		e->state = SW_EWMA_ARMED;
		e->armed_ns = now_ns;
		e->deadline_ns = now_ns + p->breach_ns;
		return SW_EWMA_T_ARMED;
	case SW_EWMA_ARMED:
		/* failing again keeps the first deadline */
		if (e->fail)
			return SW_EWMA_T_NONE;
		e->state = SW_EWMA_IDLE;
		return SW_EWMA_T_CANCELLED;
	default:
		if (e->fail)
			return SW_EWMA_T_NONE;
		e->state = SW_EWMA_IDLE;
		return SW_EWMA_T_RECOVERED;
	}
}

enum sw_ewma_transition sw_ewma_sample(struct sw_ewma *e,
				       const struct sw_ewma_params *p,
				       __u64 count, __u64 now_ns)
{
	enum sw_ewma_transition fired = sw_ewma_poll(e, now_ns);

	update_averages(e, p, count);
	e->count = count;
	e->samples++;
	/* 0/0 is NaN, and NaN >= x is false: it never fails */
	e->rd = (e->short_avg - e->long_avg) / e->short_avg;
	e->fail = e->rd >= p->max_difference || count >= p->max_ports;
	if (fired != SW_EWMA_T_NONE)
		return fired;
	return decide(e, p, now_ns);
}

bool sw_ewma_pristine(const struct sw_ewma *e, const struct sw_ewma_params *p)
{
	return e->state == SW_EWMA_IDLE && !e->breached &&
	       e->short_avg == (double)p->min_ports &&
	       e->long_avg == (double)p->min_ports;
}

const char *sw_ewma_state_name(enum sw_ewma_state s)
{
	switch (s) {
	case SW_EWMA_IDLE:	return "idle";
	case SW_EWMA_ARMED:	return "armed";
	case SW_EWMA_CONFIRMED:	return "confirmed";
	}
	return "?";
}

const char *sw_ewma_transition_name(enum sw_ewma_transition t)
{
	switch (t) {
	case SW_EWMA_T_NONE:		return "";
	case SW_EWMA_T_ARMED:		return "armed";
	case SW_EWMA_T_CANCELLED:	return "cancelled";
	case SW_EWMA_T_CONFIRMED:	return "confirmed";
	case SW_EWMA_T_RECOVERED:	return "recovered";
	}
	return "?";
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internals shared by the health check files (health.c: host checks,
 * health_sockets.c: checks computed from the socket dump). Not for other
 * callers: they use health.h.
 */
#ifndef SW_HEALTH_IMPL_H
#define SW_HEALTH_IMPL_H

#include "health/health.h"

/* Add a figure to a check; extra figures beyond the capacity are dropped. */
void hc_fig_int(struct sw_health_check *c, const char *key, __s64 v);
void hc_fig_dbl(struct sw_health_check *c, const char *key, double v);
void hc_fig_str(struct sw_health_check *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Mark the check as run with a status and summary; advice "" when ok. */
void hc_result(struct sw_health_check *c, enum sw_health_status st,
	       const char *advice, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The checks that need the socket dump: connections, time_wait,
 * port_bind, ephemeral_ports, exposure. 0 or -errno (no memory).
 */
int sw_health_sockets(const struct sw_health_limits *lim, int port,
		      struct sw_health_report *r);

/* tls_certificates (health_tls.c). */
void sw_health_tls(const struct sw_health_limits *lim, struct sw_health_report *r);
/* Link counters and their growth into the interfaces check (netstats.c). */
void sw_health_links(const struct sw_health_limits *lim, struct sw_health_report *r);

#endif /* SW_HEALTH_IMPL_H */

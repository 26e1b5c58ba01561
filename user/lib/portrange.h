/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Port numbers and ranges as people and sysctls write them: "8080",
 * "8000-8100", and lists such as net.ipv4.ip_local_reserved_ports
 * ("8000-8010,9090"). Parsers never accept a partial or out-of-range
 * value: they say why in one line instead.
 */
#ifndef SW_PORTRANGE_H
#define SW_PORTRANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* An inclusive range of ports, lo <= hi. */
struct sw_portrange {
	__u16 lo;
	__u16 hi;
};

/* Bytes for a parser's reason, with its NUL. */
#define SW_PORT_WHY_LEN 96

/*
 * A port, 1-65535 (0 only with allow_zero: "let the kernel pick").
 * Returns 0, or -1 with a reason such as "port 70000 is out of range
 * 1-65535" in why (SW_PORT_WHY_LEN bytes).
 */
int sw_port_parse(const char *s, bool allow_zero, __u16 *port, char *why);

/* "N" (a range of one) or "N-M" with N <= M. Same contract. */
int sw_portrange_parse(const char *s, struct sw_portrange *r, char *why);

/* Number of ports in the range. */
static inline unsigned int sw_portrange_len(const struct sw_portrange *r)
{
	return (unsigned int)r->hi - r->lo + 1;
}

/* A set of ports: one bit each, 8 KiB, no allocation. */
struct sw_portset {
	__u64 bits[65536 / 64];
};

static inline bool sw_portset_has(const struct sw_portset *s, __u16 port)
{
	return s->bits[port / 64] >> (port % 64) & 1;
}

void sw_portset_add_range(struct sw_portset *s, const struct sw_portrange *r);
/* Members of the set within r. */
unsigned int sw_portset_count(const struct sw_portset *s,
			      const struct sw_portrange *r);

/*
 * A comma-separated list of ports and ranges (whitespace around items is
 * ignored, an empty list is an empty set) into s, which it clears first.
 */
int sw_portset_parse(const char *s, struct sw_portset *set, char *why);

#endif /* SW_PORTRANGE_H */

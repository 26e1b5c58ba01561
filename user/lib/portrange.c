// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Port and port-range parsing. See portrange.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/portrange.h"
#include "lib/quote.h"

/* Parse digits in [s, end) as a port; no sign, no spaces, no suffix. */
static int parse_num(const char *s, const char *end, bool allow_zero,
		     __u16 *port, char *why)
{
	int len = (int)(end - s);
	char q[SW_QUOTE_LEN];
	unsigned long v;
	const char *p;

	for (p = s; p < end; p++)
		if (!isdigit((unsigned char)*p))
			break;
	if (p == s || p != end || len > 9) {
		if (len > 9 && p == end)
			snprintf(why, SW_PORT_WHY_LEN,
				 "port %.*s... is out of range %d-65535", 9, s,
				 allow_zero ? 0 : 1);
		else
			snprintf(why, SW_PORT_WHY_LEN, "%s is not a port number",
				 sw_quote_mem(q, sizeof(q), s, len));
		return -1;
	}
	v = strtoul(s, NULL, 10);
	if (v > 65535 || (v == 0 && !allow_zero)) {
		snprintf(why, SW_PORT_WHY_LEN, "port %lu is out of range %d-65535",
			 v, allow_zero ? 0 : 1);
		return -1;
	}
	*port = (__u16)v;
	return 0;
}

int sw_port_parse(const char *s, bool allow_zero, __u16 *port, char *why)
{
	return parse_num(s, s + strlen(s), allow_zero, port, why);
}

/* One range in [s, end): "N" or "N-M". */
static int parse_range(const char *s, const char *end, struct sw_portrange *r,
		       char *why)
{
	const char *dash = memchr(s, '-', (size_t)(end - s));

	if (!dash) {
		if (parse_num(s, end, false, &r->lo, why))
			return -1;
		r->hi = r->lo;
		return 0;
	}
	if (parse_num(s, dash, false, &r->lo, why) ||
	    parse_num(dash + 1, end, false, &r->hi, why))
		return -1;
	if (r->lo > r->hi) {
		snprintf(why, SW_PORT_WHY_LEN,
			 "range %u-%u is reversed (the first port must not exceed the last)",
			 r->lo, r->hi);
		return -1;
	}
	return 0;
}

int sw_portrange_parse(const char *s, struct sw_portrange *r, char *why)
{
	return parse_range(s, s + strlen(s), r, why);
}

void sw_portset_add_range(struct sw_portset *s, const struct sw_portrange *r)
{
	unsigned int p;

	for (p = r->lo; p <= r->hi; p++)
		s->bits[p / 64] |= 1ull << (p % 64);
}

unsigned int sw_portset_count(const struct sw_portset *s,
			      const struct sw_portrange *r)
{
	unsigned int p, n = 0;

	for (p = r->lo; p <= r->hi; p++)
		n += sw_portset_has(s, (__u16)p);
	return n;
}

int sw_portset_parse(const char *s, struct sw_portset *set, char *why)
{
	struct sw_portrange r;
	const char *end;

	memset(set, 0, sizeof(*set));
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			return 0;
		end = s + strcspn(s, ",");
		while (end > s && isspace((unsigned char)end[-1]))
			end--;
		if (parse_range(s, end, &r, why))
			return -1;
		sw_portset_add_range(set, &r);
		s = end + strspn(end, " \t\n");
		if (*s == ',')
			s++;
	}
}

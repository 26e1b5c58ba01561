// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/strbuf.h"

#define MIN_CAP 256

bool sw_strbuf_reserve(struct sw_strbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;
	char *p;

	if (b->oom)
		return false;
	if (extra >= SIZE_MAX - b->len) {	/* need would wrap around */
		b->oom = true;
		return false;
	}
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : MIN_CAP;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->buf, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->buf = p;
	b->cap = cap;
	return true;
}

void sw_strbuf_put(struct sw_strbuf *b, const char *s, size_t n)
{
	if (!sw_strbuf_reserve(b, n))
		return;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void sw_strbuf_putc(struct sw_strbuf *b, char c)
{
	sw_strbuf_put(b, &c, 1);
}

void sw_strbuf_clear(struct sw_strbuf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->buf)
		b->buf[0] = '\0';
}

char *sw_strbuf_steal(struct sw_strbuf *b, size_t *len)
{
	char *p = b->buf;

	if (len)
		*len = b->len;
	memset(b, 0, sizeof(*b));
	return p;
}

void sw_strbuf_free(struct sw_strbuf *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

void sw_fmt_double(char *buf, size_t size, double v)
{
	int prec;
	char *c;

	/* integers print exactly, without an exponent, up to 2^53 */
	if (v == floor(v) && fabs(v) <= 9007199254740992.0) {
		snprintf(buf, size, "%.0f", v);
		if (strcmp(buf, "-0") == 0)
			snprintf(buf, size, "0");
		return;
	}
	/* shortest %g that reads back as the same double */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* a locale with a decimal comma must not leak into the format */
	c = strchr(buf, ',');
	if (c)
		*c = '.';
}

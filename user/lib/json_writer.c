// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/json_writer.h"

void sw_json_init(struct sw_json *j)
{
	memset(j, 0, sizeof(*j));
	j->first[0] = true;
}

void sw_json_reset(struct sw_json *j)
{
	sw_strbuf_clear(&j->out);
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

void sw_json_free(struct sw_json *j)
{
	sw_strbuf_free(&j->out);
	sw_json_init(j);
}

static inline void put(struct sw_json *j, const char *s, size_t n)
{
	sw_strbuf_put_fast(&j->out, s, n);
}

static inline void putc_(struct sw_json *j, char c)
{
	sw_strbuf_put_fast(&j->out, &c, 1);
}

/* Write the separator a new value needs at the current depth. */
static void value_prefix(struct sw_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		putc_(j, j->depth == 0 ? '\n' : ',');
	j->first[j->depth] = false;
}

static void open_(struct sw_json *j, char c)
{
	value_prefix(j);
	putc_(j, c);
	if (j->depth + 1 < SW_JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct sw_json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	putc_(j, c);
}

void sw_json_obj_begin(struct sw_json *j) { open_(j, '{'); }
void sw_json_obj_end(struct sw_json *j)   { close_(j, '}'); }
void sw_json_arr_begin(struct sw_json *j) { open_(j, '['); }
void sw_json_arr_end(struct sw_json *j)   { close_(j, ']'); }

/*
 * Bytes a JSON string must escape: controls, the quote and the backslash.
 * Most strings have none, and are copied whole between their quotes.
 */
static const unsigned char must_escape[256] = {
	[0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

static void put_escaped_slow(struct sw_json *j, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	putc_(j, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];

		if (!must_escape[c])
			continue;
		put(j, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':  put(j, "\\\"", 2); break;
		case '\\': put(j, "\\\\", 2); break;
		case '\n': put(j, "\\n", 2); break;
		case '\r': put(j, "\\r", 2); break;
		case '\t': put(j, "\\t", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(j, esc, 6);
		}
	}
	put(j, s + run, n - run);
	putc_(j, '"');
}

/*
 * s as a JSON string, then @tail if not NUL (a key's colon). A string
 * with nothing to escape (nearly all) is one copy into room made once:
 * trace --json writes some thirty of these per line.
 */
static void put_string(struct sw_json *j, const char *s, size_t n, char tail)
{
	struct sw_strbuf *b = &j->out;
	size_t i = 0;
	char *p;

	while (i < n && !must_escape[(unsigned char)s[i]])
		i++;
	if (i == n && n < SIZE_MAX - b->len - 4 &&
	    (b->len + n + 3 < b->cap || sw_strbuf_reserve(b, n + 3))) {
		p = b->buf + b->len;
		p[0] = '"';
		memcpy(p + 1, s, n);
		p[n + 1] = '"';
		p[n + 2] = tail;
		b->len += n + 2 + (tail != '\0');
		b->buf[b->len] = '\0';
		return;
	}
	put_escaped_slow(j, s, n);
	if (tail)
		putc_(j, tail);
}

void sw_json_keyn(struct sw_json *j, const char *key, size_t n)
{
	value_prefix(j);
	put_string(j, key, n, ':');
	j->after_key = true;
}

void sw_json_rawkey(struct sw_json *j, const char *quoted, size_t n)
{
	value_prefix(j);
	put(j, quoted, n);
	j->after_key = true;
}

void sw_json_strn(struct sw_json *j, const char *s, size_t n)
{
	value_prefix(j);
	put_string(j, s, n, '\0');
}

void sw_json_str(struct sw_json *j, const char *s)
{
	if (!s) {
		sw_json_null(j);
		return;
	}
	sw_json_strn(j, s, strlen(s));
}

/* "00" to "99": two digits per division, as redis's ll2string does. */
static const char two_digits[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Decimal digits of v, without printf: numbers are most of a record. */
static void put_u64(struct sw_json *j, uint64_t v, bool neg)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	unsigned int d;

	while (v >= 100) {
		d = (v % 100) * 2;
		v /= 100;
		*--p = two_digits[d + 1];
		*--p = two_digits[d];
	}
	if (v >= 10) {
		*--p = two_digits[v * 2 + 1];
		*--p = two_digits[v * 2];
	} else {
		*--p = '0' + v;
	}
	if (neg)
		*--p = '-';
	value_prefix(j);
	put(j, p, tmp + sizeof(tmp) - p);
}

void sw_json_int(struct sw_json *j, int64_t v)
{
	/* -(INT64_MIN) overflows int64 but not uint64 */
	put_u64(j, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

void sw_json_uint(struct sw_json *j, uint64_t v) { put_u64(j, v, false); }

void sw_json_double(struct sw_json *j, double v)
{
	char num[32];

	if (!isfinite(v)) {
		sw_json_null(j);
		return;
	}
	sw_fmt_double(num, sizeof(num), v);
	value_prefix(j);
	put(j, num, strlen(num));
}

void sw_json_bool(struct sw_json *j, bool v)
{
	value_prefix(j);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void sw_json_null(struct sw_json *j)
{
	value_prefix(j);
	put(j, "null", 4);
}

const char *sw_json_cstr(struct sw_json *j)
{
	return j->out.buf ? j->out.buf : "";
}

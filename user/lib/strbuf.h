/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A growable, always NUL-terminated byte buffer: what the JSON and the
 * Prometheus writers write into. An allocation failure is sticky (oom):
 * later writes are dropped, and the owner reports the cut output once.
 */
#ifndef SW_STRBUF_H
#define SW_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct sw_strbuf {
	char  *buf;		/* NULL until the first write */
	size_t len;		/* bytes written, without the NUL */
	size_t cap;		/* bytes allocated */
	bool   oom;		/* an allocation failed: output is cut */
};

/* Room for extra more bytes and the NUL; false when out of memory. */
bool sw_strbuf_reserve(struct sw_strbuf *b, size_t extra);
void sw_strbuf_put(struct sw_strbuf *b, const char *s, size_t n);

/*
 * sw_strbuf_put inlined: where a writer appends a few bytes at a time
 * (the JSON writer, once per key and value), a call that only checks
 * the room there already is would cost as much as the copy.
 */
static inline void sw_strbuf_put_fast(struct sw_strbuf *b, const char *s, size_t n)
{
	if (b->len + n < b->cap) {
		__builtin_memcpy(b->buf + b->len, s, n);
		b->len += n;
		b->buf[b->len] = '\0';
		return;
	}
	sw_strbuf_put(b, s, n);
}
void sw_strbuf_putc(struct sw_strbuf *b, char c);
/* Empty it, keeping the allocation. */
void sw_strbuf_clear(struct sw_strbuf *b);
/* Hand the buffer over (the caller frees it) and empty b. */
char *sw_strbuf_steal(struct sw_strbuf *b, size_t *len);
void sw_strbuf_free(struct sw_strbuf *b);

/*
 * A finite double as the shortest decimal that reads back as the same
 * value (integers up to 2^53 without exponent or fraction; "." whatever
 * the locale), into buf of at least 32 bytes. The JSON and Prometheus
 * writers both use it, and say themselves what NaN and infinities become.
 */
void sw_fmt_double(char *buf, size_t size, double v);

#endif /* SW_STRBUF_H */

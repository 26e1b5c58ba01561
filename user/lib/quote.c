// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Quoting user input for messages. See quote.h. */
#include <stdio.h>
#include <string.h>
#include "lib/quote.h"

/* The escape of byte c into e (at most 5 bytes with the NUL). */
static void escape(unsigned char c, char e[5])
{
	switch (c) {
	case '\n': strcpy(e, "\\n"); return;
	case '\r': strcpy(e, "\\r"); return;
	case '\t': strcpy(e, "\\t"); return;
	case '\\': strcpy(e, "\\\\"); return;
	case '\'': strcpy(e, "\\'"); return;
	}
	if (c < 0x20 || c >= 0x7f)
		snprintf(e, 5, "\\x%02x", c);
	else
		e[0] = (char)c, e[1] = '\0';
}

const char *sw_quote_mem(char *buf, size_t size, const char *s, size_t len)
{
	size_t n = 1, i, el, room, full = 0;
	char e[5];

	if (size < 6) {		/* not even room for "'...'" */
		if (size)
			buf[0] = '\0';
		return buf;
	}
	for (i = 0; i < len; i++) {
		escape((unsigned char)s[i], e);
		full += strlen(e);
	}
	/* all of it with the quotes and the NUL, or what fits beside "..." */
	room = full + 3 <= size ? size - 2 : size - 5;
	buf[0] = '\'';
	for (i = 0; i < len; i++) {
		escape((unsigned char)s[i], e);
		el = strlen(e);
		if (n + el > room) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		memcpy(buf + n, e, el);
		n += el;
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

const char *sw_quote(char *buf, size_t size, const char *s)
{
	return sw_quote_mem(buf, size, s ? s : "", s ? strlen(s) : 0);
}

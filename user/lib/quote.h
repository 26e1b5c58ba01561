/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * User input quoted for a one-line message: every error that echoes what
 * someone typed, wrote in a file or sent in a request goes through here,
 * so that a CR, an escape sequence or a NUL byte cannot break the line or
 * the terminal it is printed on.
 *
 * The quote is 'text' with control characters, DEL, bytes >= 0x80, the
 * backslash and the quote itself escaped (\n \r \t \\ \' \xHH), cut with
 * "..." when it does not fit.
 */
#ifndef SW_QUOTE_H
#define SW_QUOTE_H

#include <stddef.h>

/* Room for a quote of up to about 40 input characters. */
#define SW_QUOTE_LEN 64

/* Quote the NUL-terminated s (NULL quotes as ''); returns buf. */
const char *sw_quote(char *buf, size_t size, const char *s);
/* The same on len bytes at s, NUL bytes included. */
const char *sw_quote_mem(char *buf, size_t size, const char *s, size_t len);

#endif /* SW_QUOTE_H */

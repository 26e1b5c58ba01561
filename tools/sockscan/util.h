/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation that cannot fail (sockscan stops with a message on memory
 * exhaustion: there is nothing sensible to do with half a report) and a
 * few string helpers shared by every module.
 */
#ifndef SOCKSCAN_UTIL_H
#define SOCKSCAN_UTIL_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int str_has_prefix(const char *s, const char *prefix);
int str_has_suffix(const char *s, const char *suffix);
/*
 * Copy of @s with every byte that is not part of valid UTF-8 written as
 * \xHH, and with @ctrl, control characters too (for one-line messages):
 * file names and literals are bytes, JSON strings are UTF-8, and a value
 * must be escaped, never dropped.
 */
char *str_escape(const char *s, int ctrl);
/* Bytes of @s that are not part of valid UTF-8. */
size_t utf8_bad_bytes(const char *s);

/* Grow *arr (of *cap elements of @size) so that it holds @need elements. */
void grow(void **arr, size_t *cap, size_t need, size_t size);

#endif

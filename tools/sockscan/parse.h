/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading and parsing one source file. The first pass (parse_first) reads
 * every file; a Go file is parsed only up to its imports unless they show
 * it can open a socket. parse_full() parses and extracts a file the first
 * pass skipped, when its package's symbols turn out to be needed.
 */
#ifndef SOCKSCAN_PARSE_H
#define SOCKSCAN_PARSE_H

#include "sockscan.h"

void parse_first(struct scan *sc, struct srcfile *f);
void parse_full(struct scan *sc, struct srcfile *f);
/*
 * Read @f again and, once it is read, call @before (which forgets what the
 * first extraction found) and extract it again. -1, @f untouched, when it
 * cannot be read now (an in-memory file of the unit tests, a file removed
 * since the walk).
 */
int parse_again(struct srcfile *f, void (*before)(struct srcfile *f, void *arg), void *arg);
/*
 * Parse @len bytes of @src as the text of @f and extract it (in parts, if
 * large). Any bytes at all: the fuzzing harnesses call this directly.
 */
void parse_buffer(struct srcfile *f, const char *src, size_t len);

#endif

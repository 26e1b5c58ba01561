/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run fn(i, arg) for every i in [0, n) on @jobs threads. Items are handed
 * out one at a time from a shared counter, so a few large files do not
 * leave a core idle.
 */
#ifndef SOCKSCAN_POOL_H
#define SOCKSCAN_POOL_H

#include <stddef.h>

void pool_run(int jobs, size_t n, void (*fn)(size_t i, void *arg), void *arg);

#endif

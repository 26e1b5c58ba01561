/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding the files to scan: every .go and .py file under the paths
 * given, less vendor/, testdata/, hidden directories and *_test.go unless
 * the options include them, and the go.mod files that define modules.
 */
#ifndef SOCKSCAN_WALK_H
#define SOCKSCAN_WALK_H

#include "sockscan.h"

/* 0, or -1 after one line on stderr when a path given cannot be used. */
int walk_paths(struct scan *sc);

#endif

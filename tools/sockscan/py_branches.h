/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Python if statements in a function body. Locals are copied where they
 * are used (xctx_local), so the walk is straight-line: without this, a
 * name set in both branches of an if would hold the last one's value.
 */
#ifndef SOCKSCAN_PY_BRANCHES_H
#define SOCKSCAN_PY_BRANCHES_H

#include <tree_sitter/api.h>

struct xctx;

/*
 * Walk if statement @n with @walk, each clause from the locals as they
 * were before the statement, then give each name the branches bind what
 * they agree on, the choice of their values (EX_CHOICE), or the default a
 * branch sets (py_branches.c says which).
 */
void py_if(struct xctx *x, TSNode n, void (*walk)(struct xctx *, TSNode));

#endif

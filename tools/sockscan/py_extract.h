/* SPDX-License-Identifier: GPL-2.0 */
/* Python: extraction of one file (imports, names, summaries, sites). */
#ifndef SOCKSCAN_PY_EXTRACT_H
#define SOCKSCAN_PY_EXTRACT_H

#include <tree_sitter/api.h>

#include "sockscan.h"

void py_extract(struct srcfile *f, const char *src, TSNode root);
/* Drop the sites that are no new socket; once the whole file is extracted. */
void py_prune_sites(struct srcfile *f);
/*
 * Which of @n imports binds @alias (@alen bytes) as Python 3 sees it: the
 * last, unless it names a Python 2 module and an earlier one does not
 * (try: import http.client as httplib / except ImportError: import
 * httplib; or the other way round). -1 when none does.
 */
int py_import_binding(const struct import *ims, int n, const char *alias, size_t alen);

/* Is @q (module.function, module.Class) a function or class a rule knows? */
int is_rule_name(const char *q);

struct xctx;
/* The value expression node @n stands for, in the walk's current scope. */
struct expr *py_expr(struct xctx *x, TSNode n);

#endif

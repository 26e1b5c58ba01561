/* SPDX-License-Identifier: GPL-2.0 */
/* Python: extraction of one file (imports, names, summaries, sites). */
#ifndef SOCKSCAN_PY_EXTRACT_H
#define SOCKSCAN_PY_EXTRACT_H

#include <tree_sitter/api.h>

#include "sockscan.h"

void py_extract(struct srcfile *f, const char *src, TSNode root);
/* Drop the sites that are no new socket; once the whole file is extracted. */
void py_prune_sites(struct srcfile *f);

#endif

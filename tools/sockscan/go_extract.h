/* SPDX-License-Identifier: GPL-2.0 */
/* Go: header (package and imports) and full extraction of one file. */
#ifndef SOCKSCAN_GO_EXTRACT_H
#define SOCKSCAN_GO_EXTRACT_H

#include <tree_sitter/api.h>

#include "sockscan.h"

/*
 * Length of the part of @src that holds the package clause and every
 * import: Go allows no import after the first other top-level
 * declaration, so it ends where a line starts with func, type, var or
 * const. Parsing only that part tells whether a file can open a socket
 * at a fraction of the cost of a full parse.
 */
size_t go_header_len(const char *src, size_t len);
/* Does the line at @p (before @end) start a func, type, var or const declaration? */
int go_starts_decl(const char *p, const char *end);
/* Package name and imports (with their watched family) of @root. */
void go_read_header(struct srcfile *f, const char *src, TSNode root);
void go_read_imports(struct srcfile *f, const char *src, TSNode decl);
/* Constants, variables, function summaries and sites of a full tree. */
void go_extract(struct srcfile *f, const char *src, TSNode root);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Small conveniences over the tree-sitter node API. */
#ifndef SOCKSCAN_TSUTIL_H
#define SOCKSCAN_TSUTIL_H

#include <stddef.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_python(void);

/*
 * Every helper below accepts a null node: tree-sitter leaves a child
 * out when the source lacks it (`x: int` has no right side, ERROR and
 * MISSING nodes stand for half-written code), and the raw node API
 * dereferences such a node. A null node has type "", no children, no
 * fields and empty text.
 */

/* Is @n of grammar type @type? */
int ts_is(TSNode n, const char *type);
/* Grammar type of @n, "" for a null node. */
const char *ts_type(TSNode n);
TSNode ts_field(TSNode n, const char *field);
/* Named child @i of @n, or a null node. */
TSNode ts_child(TSNode n, uint32_t i);
/* Parent of @n, or a null node. */
TSNode ts_parent(TSNode n);
/*
 * Named children of @n in a new array (caller frees); returns the count.
 * Extras (comments, a line continuation) are left out: they are no
 * argument, element or statement.
 */
size_t ts_named_children(TSNode n, TSNode **out);
/* Byte range [*a, *b) of @n in the source; empty for a null node. */
void ts_span(TSNode n, uint32_t *a, uint32_t *b);
/* Source text of @n, as a new string. */
char *ts_text(TSNode n, const char *src);
/* Source text of @n, cut to @max bytes with "..." (for reports). */
char *ts_text_short(TSNode n, const char *src, size_t max);
int ts_text_eq(TSNode n, const char *src, const char *s);
/* First ERROR or MISSING node under @n; null node if none. */
TSNode ts_first_error(TSNode n);
/*
 * Parse @len bytes of @src with this thread's parser for @lang
 * (LANG_GO or LANG_PY): one parser per thread, made on first use.
 */
TSTree *ts_parse(int lang, const char *src, size_t len);

#endif

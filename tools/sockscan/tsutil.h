/* SPDX-License-Identifier: GPL-2.0 */
/* Small conveniences over the tree-sitter node API. */
#ifndef SOCKSCAN_TSUTIL_H
#define SOCKSCAN_TSUTIL_H

#include <stddef.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_python(void);

/* Is @n of grammar type @type? */
int ts_is(TSNode n, const char *type);
TSNode ts_field(TSNode n, const char *field);
/* Named children of @n in a new array (caller frees); returns the count. */
size_t ts_named_children(TSNode n, TSNode **out);
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

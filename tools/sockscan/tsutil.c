// SPDX-License-Identifier: GPL-2.0
/* tree-sitter helpers (see tsutil.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sockscan.h"
#include "tsutil.h"
#include "util.h"

int ts_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

const char *ts_type(TSNode n)
{
	return ts_node_is_null(n) ? "" : ts_node_type(n);
}

TSNode ts_field(TSNode n, const char *field)
{
	if (ts_node_is_null(n))
		return n;
	return ts_node_child_by_field_name(n, field, strlen(field));
}

TSNode ts_child(TSNode n, uint32_t i)
{
	if (ts_node_is_null(n) || i >= ts_node_named_child_count(n))
		return (TSNode){ 0 };
	return ts_node_named_child(n, i);
}

TSNode ts_parent(TSNode n)
{
	return ts_node_is_null(n) ? n : ts_node_parent(n);
}

size_t ts_named_children(TSNode n, TSNode **out)
{
	TSTreeCursor c;
	size_t count = 0, cap = 0;
	TSNode *arr = NULL;
	int ok;

	if (ts_node_is_null(n)) {
		*out = NULL;
		return 0;
	}
	c = ts_tree_cursor_new(n);
	for (ok = ts_tree_cursor_goto_first_child(&c); ok;
	     ok = ts_tree_cursor_goto_next_sibling(&c)) {
		TSNode ch = ts_tree_cursor_current_node(&c);

		/* extras: comments, and Python's backslash line continuations */
		if (!ts_node_is_named(ch) || ts_node_is_extra(ch))
			continue;
		grow((void **)&arr, &cap, count + 1, sizeof(*arr));
		arr[count++] = ch;
	}
	ts_tree_cursor_delete(&c);
	*out = arr;
	return count;
}

void ts_span(TSNode n, uint32_t *a, uint32_t *b)
{
	if (ts_node_is_null(n)) {
		*a = *b = 0;
		return;
	}
	*a = ts_node_start_byte(n);
	*b = ts_node_end_byte(n);
	if (*b < *a)
		*b = *a;
}

char *ts_text(TSNode n, const char *src)
{
	uint32_t a, b;

	ts_span(n, &a, &b);
	return xstrndup(src + a, b - a);
}

char *ts_text_short(TSNode n, const char *src, size_t max)
{
	uint32_t a, b;
	char *s;

	ts_span(n, &a, &b);
	if (b - a <= max)
		return xstrndup(src + a, b - a);
	s = xmalloc(max + 4);
	memcpy(s, src + a, max);
	strcpy(s + max, "...");
	return s;
}

int ts_text_eq(TSNode n, const char *src, const char *s)
{
	uint32_t a, b;

	if (ts_node_is_null(n))
		return 0;
	ts_span(n, &a, &b);
	return strlen(s) == b - a && memcmp(src + a, s, b - a) == 0;
}

TSNode ts_first_error(TSNode n)
{
	TSTreeCursor c;
	TSNode found = { 0 };

	if (!ts_node_has_error(n))
		return found;
	/* iterative: descend into the first child that holds an error */
	c = ts_tree_cursor_new(n);
	for (;;) {
		TSNode cur = ts_tree_cursor_current_node(&c);

		if (ts_is(cur, "ERROR") || ts_node_is_missing(cur)) {
			found = cur;
			break;
		}
		if (!ts_tree_cursor_goto_first_child(&c))
			break;
		while (!ts_node_has_error(ts_tree_cursor_current_node(&c)))
			if (!ts_tree_cursor_goto_next_sibling(&c))
				goto out;
	}
out:
	ts_tree_cursor_delete(&c);
	return found;
}

/*
 * One parser per language per thread, made on first use. A thread-specific
 * key's destructor deletes a worker thread's parsers when it ends (the
 * scan's threads come and go with each scan).
 */
static __thread TSParser *parsers[2];
static pthread_key_t parsers_key;
static pthread_once_t parsers_once = PTHREAD_ONCE_INIT;

static void parsers_free(void *unused)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (parsers[i])
			ts_parser_delete(parsers[i]);
		parsers[i] = NULL;
	}
}

static void parsers_key_make(void)
{
	pthread_key_create(&parsers_key, parsers_free);
}

TSTree *ts_parse(int lang, const char *src, size_t len)
{
	TSParser *p = parsers[lang];

	if (!p) {
		p = ts_parser_new();
		ts_parser_set_language(p, lang == LANG_GO ? tree_sitter_go() :
						    tree_sitter_python());
		parsers[lang] = p;
		pthread_once(&parsers_once, parsers_key_make);
		/* any non-NULL value: the destructor runs at the thread's end */
		pthread_setspecific(parsers_key, parsers);
	}
	return ts_parser_parse_string(p, NULL, src, len);
}

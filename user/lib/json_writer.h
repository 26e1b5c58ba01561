/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A small streaming JSON writer into a growable buffer.
 *
 * Output only: sockwatch parses JSON with jansson, but it writes a lot of
 * it (trace --json, alerts, the HTTP API) and building a jansson tree per
 * record costs more than the record itself. The writer tracks nesting so
 * that commas are placed for the caller, and escapes every string as RFC
 * 8259 requires. Doubles are written as the shortest decimal that reads
 * back exactly; non-finite ones as null.
 */
#ifndef SW_JSON_WRITER_H
#define SW_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "lib/strbuf.h"

#define SW_JSON_MAX_DEPTH 32

struct sw_json {
	struct sw_strbuf out;			/* the text written so far */
	int    depth;
	bool   first[SW_JSON_MAX_DEPTH];	/* no value yet at this depth */
	bool   after_key;			/* next value follows a key */
};

void sw_json_init(struct sw_json *j);
void sw_json_reset(struct sw_json *j);	/* empty, keep the buffer */
void sw_json_free(struct sw_json *j);

void sw_json_obj_begin(struct sw_json *j);
void sw_json_obj_end(struct sw_json *j);
void sw_json_arr_begin(struct sw_json *j);
void sw_json_arr_end(struct sw_json *j);
void sw_json_keyn(struct sw_json *j, const char *key, size_t n);

void sw_json_str(struct sw_json *j, const char *s);
void sw_json_strn(struct sw_json *j, const char *s, size_t n);
void sw_json_int(struct sw_json *j, int64_t v);
void sw_json_uint(struct sw_json *j, uint64_t v);
void sw_json_double(struct sw_json *j, double v);
void sw_json_bool(struct sw_json *j, bool v);
void sw_json_null(struct sw_json *j);

/*
 * A key, and key + value in one call, the common case. Inline, so that
 * the length of a literal key is known when compiling, not counted per
 * record; a key is escaped as any string (some come from data).
 */
static inline void sw_json_key(struct sw_json *j, const char *k)
{
	sw_json_keyn(j, k, strlen(k));
}

static inline void sw_json_kstr(struct sw_json *j, const char *k, const char *v)
{
	sw_json_key(j, k);
	sw_json_str(j, v);
}

static inline void sw_json_kint(struct sw_json *j, const char *k, int64_t v)
{
	sw_json_key(j, k);
	sw_json_int(j, v);
}

static inline void sw_json_kuint(struct sw_json *j, const char *k, uint64_t v)
{
	sw_json_key(j, k);
	sw_json_uint(j, v);
}

static inline void sw_json_kdouble(struct sw_json *j, const char *k, double v)
{
	sw_json_key(j, k);
	sw_json_double(j, v);
}

static inline void sw_json_kbool(struct sw_json *j, const char *k, bool v)
{
	sw_json_key(j, k);
	sw_json_bool(j, v);
}

static inline void sw_json_knull(struct sw_json *j, const char *k)
{
	sw_json_key(j, k);
	sw_json_null(j);
}

/*
 * A key given as a string literal with nothing to escape (a plain
 * identifier), written with its quotes and colon as one copy: trace
 * --json writes some thirty per line, and scanning each for what to
 * escape, as sw_json_key does, was a tenth of trace's own CPU. Only
 * literals: the macro does not compile with anything else. The tests
 * parse every line trace writes, so a literal that needed escaping would
 * not go unnoticed.
 */
void sw_json_rawkey(struct sw_json *j, const char *quoted, size_t n);
#define SW_JSON_LKEY(j, lit)	sw_json_rawkey((j), "\"" lit "\":", sizeof(lit) + 2)
#define SW_JSON_LSTR(j, lit, v)	do { SW_JSON_LKEY(j, lit); sw_json_str((j), (v)); } while (0)
#define SW_JSON_LINT(j, lit, v)	do { SW_JSON_LKEY(j, lit); sw_json_int((j), (v)); } while (0)
#define SW_JSON_LUINT(j, lit, v) do { SW_JSON_LKEY(j, lit); sw_json_uint((j), (v)); } while (0)
#define SW_JSON_LBOOL(j, lit, v) do { SW_JSON_LKEY(j, lit); sw_json_bool((j), (v)); } while (0)
#define SW_JSON_LNULL(j, lit)	do { SW_JSON_LKEY(j, lit); sw_json_null(j); } while (0)

/* NUL-terminated view of what was written so far. */
const char *sw_json_cstr(struct sw_json *j);

#endif /* SW_JSON_WRITER_H */

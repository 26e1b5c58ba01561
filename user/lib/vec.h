/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * struct sw_vec: the one growable array of sockwatch.
 *
 * A run of len elements of size bytes each, in data[0..len), room for cap.
 * It grows by doubling (realloc: a large block is remapped, not copied)
 * and never shrinks: its users are working sets that come back (a sample's
 * tables, the socket table), and shrinking would only make the next burst
 * pay again. Pointers into it are valid until the next push or reserve.
 * A zeroed struct with size set is an empty vector (SW_VEC_INIT).
 */
#ifndef SW_VEC_H
#define SW_VEC_H

#include <stdbool.h>
#include <stddef.h>

struct sw_vec {
	void  *data;
	size_t len;		/* elements in use */
	size_t cap;		/* elements allocated */
	size_t size;		/* bytes per element */
};

#define SW_VEC_INIT(type) ((struct sw_vec){ .size = sizeof(type) })

/* Out of line: the growing part of sw_vec_reserve. */
int sw_vec_grow_(struct sw_vec *v, size_t n);
void sw_vec_free(struct sw_vec *v);

/* Room for n more elements: 0, or -1 when out of memory (v unchanged). */
static inline int sw_vec_reserve(struct sw_vec *v, size_t n)
{
	return v->len + n <= v->cap ? 0 : sw_vec_grow_(v, n);
}

static inline void *sw_vec_at(const struct sw_vec *v, size_t i)
{
	return (char *)v->data + i * v->size;
}

/* A new element at the end, uninitialised; NULL when out of memory. */
static inline void *sw_vec_push(struct sw_vec *v)
{
	if (v->len == v->cap && sw_vec_reserve(v, 1))
		return NULL;
	return sw_vec_at(v, v->len++);
}

/* Forget the elements, keep the memory. */
static inline void sw_vec_clear(struct sw_vec *v)
{
	v->len = 0;
}

#endif /* SW_VEC_H */

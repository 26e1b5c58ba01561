// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The growable array (see vec.h). */
#include <stdint.h>
#include <stdlib.h>
#include "lib/vec.h"

#define VEC_MIN_CAP	16

int sw_vec_grow_(struct sw_vec *v, size_t n)
{
	size_t cap = v->cap ? v->cap : VEC_MIN_CAP;
	void *p;

	if (n > SIZE_MAX / v->size - v->len)	/* the bytes would not fit a size_t */
		return -1;
	if (v->len + n <= v->cap)
		return 0;
	while (cap < v->len + n)
		cap = cap > SIZE_MAX / 2 / v->size ? v->len + n : cap * 2;
	p = realloc(v->data, cap * v->size);
	if (!p)
		return -1;
	v->data = p;
	v->cap = cap;
	return 0;
}

void sw_vec_free(struct sw_vec *v)
{
	free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

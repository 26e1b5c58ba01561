// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The hash table (see hashmap.h). */
#include <stdint.h>
#include <stdlib.h>
#include "lib/hashmap.h"

#define MIN_INDEX	16

#define slot_make	sw_map_slot_
#define slot_pos	sw_map_pos_

static inline __u64 key_hash(const struct sw_map *m, const void *key)
{
	return sw_map_hash_(key, m->key_size);
}

static inline __u32 slot_hash(__u64 v)
{
	return v >> 32;
}

static size_t pow2_at_least(size_t n)
{
	size_t c = MIN_INDEX;

	while (c < n)
		c <<= 1;
	return c;
}

static void index_insert(__u64 *index, size_t icap, __u64 h, size_t pos)
{
	size_t i = h & (icap - 1);

	while (index[i])
		i = (i + 1) & (icap - 1);
	index[i] = slot_make(pos, h);
}

static int index_resize(struct sw_map *m, size_t icap)
{
	__u64 *n = calloc(icap, sizeof(*n));
	size_t pos;

	if (!n)
		return -1;
	for (pos = 0; pos < m->ent.len; pos++)
		index_insert(n, icap, key_hash(m, sw_map_at(m, pos)), pos);
	free(m->index);
	m->index = n;
	m->icap = icap;
	return 0;
}

int sw_map_init(struct sw_map *m, size_t entry_size, size_t key_size,
		size_t hint)
{
	memset(m, 0, sizeof(*m));
	m->ent.size = entry_size;
	m->key_size = key_size;
	if (!hint)
		return 0;
	if (sw_vec_reserve(&m->ent, hint) ||
	    index_resize(m, pow2_at_least(hint * 2))) {
		sw_map_free(m);
		return -1;
	}
	return 0;
}

void sw_map_free(struct sw_map *m)
{
	sw_vec_free(&m->ent);
	free(m->index);
	m->index = NULL;
	m->icap = 0;
}

/* The index slot that points at position pos (whose key hashes to h). */
static size_t slot_of(const struct sw_map *m, size_t pos, __u64 h)
{
	size_t mask = m->icap - 1, i = h & mask;

	while (slot_pos(m->index[i]) != pos)
		i = (i + 1) & mask;
	return i;
}

void *sw_map_get(const struct sw_map *m, const void *key)
{
	return sw_map_get_k(m, key, m->key_size);
}

void *sw_map_put(struct sw_map *m, const void *key, bool *fresh)
{
	return sw_map_put_k(m, key, m->key_size, fresh);
}

int sw_map_grow_(struct sw_map *m)
{
	if ((m->ent.len + 1) * 2 > m->icap &&
	    index_resize(m, pow2_at_least((m->ent.len + 1) * 2)))
		return -1;
	return sw_vec_reserve(&m->ent, 1);
}

/* Backward-shift deletion of slot i: no tombstones. */
static void index_delete(struct sw_map *m, size_t i)
{
	size_t mask = m->icap - 1, j = i;

	m->index[i] = 0;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!m->index[j])
			break;
		home = slot_hash(m->index[j]) & mask;
		/* leave j where it is if its home lies cyclically in (i, j] */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		m->index[i] = m->index[j];
		m->index[j] = 0;
		i = j;
	}
}

void sw_map_del(struct sw_map *m, void *entry)
{
	size_t pos = ((char *)entry - (char *)m->ent.data) / m->ent.size;
	size_t last = m->ent.len - 1;

	index_delete(m, slot_of(m, pos, key_hash(m, entry)));
	if (pos != last) {
		void *from = sw_map_at(m, last);
		__u64 h = key_hash(m, from);

		m->index[slot_of(m, last, h)] = slot_make(pos, h);
		memcpy(entry, from, m->ent.size);
	}
	m->ent.len--;
}

void sw_map_clear(struct sw_map *m)
{
	m->ent.len = 0;
	if (m->index)
		memset(m->index, 0, m->icap * sizeof(*m->index));
}

size_t sw_map_home(const struct sw_map *m, const void *key)
{
	return key_hash(m, key) & (m->icap - 1);
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * struct sw_map: the one hash table of sockwatch.
 *
 * Entries are fixed-size records that begin with their key (key_size
 * bytes, compared and hashed as bytes: zero a key's padding). They live
 * in a dense array (struct sw_vec), so a walk over them has no gaps and a
 * table costs little more than its entries. Removal moves the last entry
 * into the hole: a walk that goes up from 0 and removes the entry it is
 * on must look at the same position again.
 *
 * They are found through an index: open addressing, linear probing, over
 * 64-bit slots that hold the entry's position + 1 in the low half (0: an
 * empty slot) and the low 32 bits of the key's hash in the high half, so
 * that a probe past another key rarely touches its entry. The index is
 * at most half full, so an empty slot always ends a probe. Deletion
 * shifts the following slots back instead of leaving tombstones: lookups
 * never degrade with churn. Everything grows by doubling and never
 * shrinks; sw_map_clear() empties a map in one memset of its index.
 *
 * Entry pointers are valid until the next put or del.
 */
#ifndef SW_HASHMAP_H
#define SW_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>
#include "lib/vec.h"

/*
 * The hash of every key: the key's 8-byte words (the tail zero-padded)
 * folded by multiply-rotate-xor, then murmur3's 64-bit finalizer, so that
 * every input bit reaches the low bits and consecutive numbers (cookies,
 * pids, inodes, ports) do not pile into one run of slots. A key of up to
 * 8 bytes is just the finalizer of its value.
 */
static inline __u64 sw_hash_mix(__u64 k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static inline __u64 sw_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	__u64 h = 0, w;

	for (; len > 8; len -= 8, p += 8) {
		memcpy(&w, p, 8);
		h ^= w;
		h *= 0x9e3779b97f4a7c15ULL;
		h = h << 31 | h >> 33;
	}
	w = 0;
	memcpy(&w, p, len);
	return sw_hash_mix(h ^ w);
}

struct sw_map {
	struct sw_vec ent;	/* the entries: ent.data[0..ent.len) */
	__u64 *index;		/* icap slots, see above */
	size_t icap;		/* a power of two, or 0 before the first put */
	size_t key_size;
};

/* An empty map of entries of entry_size bytes starting with a key of
 * key_size; room for hint entries (0: allocate on the first put). */
int sw_map_init(struct sw_map *m, size_t entry_size, size_t key_size,
		size_t hint);
void sw_map_free(struct sw_map *m);

/* Remove an entry (a pointer into the map); the last one takes its place. */
void sw_map_del(struct sw_map *m, void *entry);
/* Remove every entry, keep the memory. */
void sw_map_clear(struct sw_map *m);

static inline size_t sw_map_count(const struct sw_map *m)
{
	return m->ent.len;
}

/* The entry at position i < sw_map_count(m): for walks. */
static inline void *sw_map_at(const struct sw_map *m, size_t i)
{
	return sw_vec_at(&m->ent, i);
}

/* Tests only: the index slot where a key's probe starts. */
size_t sw_map_home(const struct sw_map *m, const void *key);

/*
 * Lookups and insertions are inline: they are the socket table's inner
 * loop. The _k forms take the key size as an argument, for callers that
 * pass a constant (sizeof the key): the compiler then drops every branch
 * on it. ksize must be m->key_size.
 */
#define SW_MAP_INLINE static inline __attribute__((always_inline))

static inline __u64 sw_map_slot_(size_t pos, __u64 h)
{
	return (__u64)(__u32)h << 32 | (__u64)(pos + 1);
}

static inline size_t sw_map_pos_(__u64 slot)
{
	return (__u32)slot - 1;
}

/* A key of up to 8 bytes as a number (little-endian, as sw_hash reads). */
SW_MAP_INLINE __u64 sw_map_word_(const void *key, size_t ksize)
{
	const unsigned char *p = key;
	__u64 w = 0;
	__u32 w4;
	size_t i;

	if (ksize == 8) {
		memcpy(&w, key, 8);
		return w;
	}
	if (ksize == 4) {
		memcpy(&w4, key, 4);
		return w4;
	}
	for (i = 0; i < ksize && i < 8; i++)
		w |= (__u64)p[i] << (8 * i);
	return w;
}

SW_MAP_INLINE bool sw_map_key_equal_(const void *entry, const void *key,
				     size_t ksize)
{
	if (ksize > 8)
		return !memcmp(entry, key, ksize);
	return sw_map_word_(entry, ksize) == sw_map_word_(key, ksize);
}

SW_MAP_INLINE __u64 sw_map_hash_(const void *key, size_t ksize)
{
	if (ksize > 8)
		return sw_hash(key, ksize);
	return sw_hash_mix(sw_map_word_(key, ksize));	/* = sw_hash() */
}

/* The index slot of key (hashed to h), or (size_t)-1. */
SW_MAP_INLINE size_t sw_map_find_(const struct sw_map *m, const void *key,
				  size_t ksize, __u64 h)
{
	size_t mask = m->icap - 1, i = h & mask;

	if (!m->icap)
		return (size_t)-1;
	for (; m->index[i]; i = (i + 1) & mask)
		if ((__u32)(m->index[i] >> 32) == (__u32)h &&
		    sw_map_key_equal_(sw_map_at(m, sw_map_pos_(m->index[i])),
				      key, ksize))
			return i;
	return (size_t)-1;
}

/* Room for one more entry (index and array); out of line: rare. */
int sw_map_grow_(struct sw_map *m);

/* The entry of key, or NULL. */
SW_MAP_INLINE void *sw_map_get_k(const struct sw_map *m, const void *key,
				 size_t ksize)
{
	size_t i = sw_map_find_(m, key, ksize, sw_map_hash_(key, ksize));

	return i == (size_t)-1 ? NULL : sw_map_at(m, sw_map_pos_(m->index[i]));
}

/* The entry of key; if there was none, a new one (*fresh set), zeroed but
 * for its key. NULL when out of memory. */
SW_MAP_INLINE void *sw_map_put_k(struct sw_map *m, const void *key,
				 size_t ksize, bool *fresh)
{
	__u64 h = sw_map_hash_(key, ksize);
	size_t i = sw_map_find_(m, key, ksize, h), mask;
	void *e;

	*fresh = i == (size_t)-1;
	if (!*fresh)
		return sw_map_at(m, sw_map_pos_(m->index[i]));
	if (((m->ent.len + 1) * 2 > m->icap || m->ent.len == m->ent.cap) &&
	    sw_map_grow_(m))
		return NULL;
	e = sw_map_at(m, m->ent.len);
	memset(e, 0, m->ent.size);
	memcpy(e, key, ksize);
	mask = m->icap - 1;
	for (i = h & mask; m->index[i]; i = (i + 1) & mask)
		;
	m->index[i] = sw_map_slot_(m->ent.len++, h);
	return e;
}

/* The same for any key size (out of line). */
void *sw_map_get(const struct sw_map *m, const void *key);
void *sw_map_put(struct sw_map *m, const void *key, bool *fresh);

#endif /* SW_HASHMAP_H */

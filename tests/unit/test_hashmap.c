// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* lib/hashmap.c and lib/vec.c: the one hash table and the one vector. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "lib/hashmap.h"
#include "lib/vec.h"

struct ent {
	__u64 key;
	__u64 val;
};

struct wide {			/* a key longer than a word */
	struct { __u64 a, b; __u32 c, zero; } key;
	int val;
};

/* Every entry found at its key, and the count right. */
static void check_all(struct sw_map *m, const char *present, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++) {
		__u64 k = i * 7919 + 1;
		struct ent *e = sw_map_get(m, &k);

		if (present[i]) {
			assert_non_null(e);
			assert_int_equal(e->key, k);
			assert_int_equal(e->val, i);
			count++;
		} else {
			assert_null(e);
		}
	}
	assert_int_equal(sw_map_count(m), count);
}

static void test_put_get_del_under_churn(void **state)
{
	enum { N = 20000 };
	static char present[N];
	struct sw_map m;
	size_t i, round;
	bool fresh;

	assert_int_equal(sw_map_init(&m, sizeof(struct ent), sizeof(__u64), 0), 0);
	assert_null(sw_map_get(&m, &(__u64){ 1 }));	/* empty, no index yet */
	for (i = 0; i < N; i++) {
		__u64 k = i * 7919 + 1;
		struct ent *e = sw_map_put(&m, &k, &fresh);

		assert_non_null(e);
		assert_true(fresh);
		assert_int_equal(e->val, 0);		/* zeroed but for the key */
		e->val = i;
		present[i] = 1;
	}
	check_all(&m, present, N);
	/* put of a present key finds it */
	assert_int_equal(((struct ent *)sw_map_put(&m, &(__u64){ 1 }, &fresh))->val, 0);
	assert_false(fresh);
	/* deletions in a pattern, re-insertions: no tombstones, no loss */
	for (round = 0; round < 3; round++) {
		for (i = round; i < N; i += 3) {
			__u64 k = i * 7919 + 1;

			sw_map_del(&m, sw_map_get(&m, &k));
			present[i] = 0;
		}
		check_all(&m, present, N);
		for (i = round; i < N; i += 6) {
			__u64 k = i * 7919 + 1;

			((struct ent *)sw_map_put(&m, &k, &fresh))->val = i;
			present[i] = 1;
		}
		check_all(&m, present, N);
	}
	sw_map_free(&m);
}

static void test_walk_that_deletes(void **state)
{
	struct sw_map m;
	size_t i = 0;
	bool fresh;
	__u64 k;

	sw_map_init(&m, sizeof(struct ent), sizeof(__u64), 16);
	for (k = 1; k <= 100; k++)
		((struct ent *)sw_map_put(&m, &k, &fresh))->val = k;
	/* delete the odd ones while walking: the last entry comes to i */
	while (i < sw_map_count(&m)) {
		struct ent *e = sw_map_at(&m, i);

		if (e->val % 2)
			sw_map_del(&m, e);
		else
			i++;
	}
	assert_int_equal(sw_map_count(&m), 50);
	for (k = 1; k <= 100; k++)
		assert_true((sw_map_get(&m, &k) == NULL) == (k % 2 == 1));
	sw_map_clear(&m);
	assert_int_equal(sw_map_count(&m), 0);
	k = 2;
	assert_null(sw_map_get(&m, &k));
	sw_map_free(&m);
}

static void test_wide_keys(void **state)
{
	struct sw_map m;
	struct wide w = { 0 }, *e;
	bool fresh;
	int i;

	sw_map_init(&m, sizeof(struct wide), sizeof(w.key), 0);
	for (i = 0; i < 1000; i++) {
		w.key.a = i;
		w.key.b = ~(__u64)i;
		w.key.c = i % 7;
		e = sw_map_put(&m, &w.key, &fresh);
		assert_true(fresh);
		e->val = i;
	}
	for (i = 0; i < 1000; i++) {
		w.key.a = i;
		w.key.b = ~(__u64)i;
		w.key.c = i % 7;
		e = sw_map_get(&m, &w.key);
		assert_non_null(e);
		assert_int_equal(e->val, i);
		w.key.c++;				/* one field differs */
		assert_null(sw_map_get(&m, &w.key));
	}
	sw_map_free(&m);
}

static void test_one_hash_function(void **state)
{
	__u64 k = 0x1234;
	__u32 p = 77;

	/* a word-sized key hashes as sw_hash over its bytes */
	assert_true(sw_hash(&k, 8) == sw_hash_mix(k));
	assert_true(sw_hash(&p, 4) == sw_hash_mix(77));
	/* consecutive keys spread over the low bits */
	assert_true((sw_hash_mix(1) & 1023) != (sw_hash_mix(2) & 1023));
}

static void test_vec(void **state)
{
	struct sw_vec v = SW_VEC_INIT(int);
	int i, *p;

	for (i = 0; i < 5000; i++) {
		p = sw_vec_push(&v);
		assert_non_null(p);
		*p = i;
	}
	assert_int_equal(v.len, 5000);
	for (i = 0; i < 5000; i++)
		assert_int_equal(*(int *)sw_vec_at(&v, i), i);
	sw_vec_clear(&v);
	assert_int_equal(v.len, 0);
	assert_true(v.cap >= 5000);			/* kept */
	assert_int_equal(sw_vec_reserve(&v, SIZE_MAX / 2), -1);	/* no wrap */
	assert_int_equal(v.len, 0);
	sw_vec_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_del_under_churn),
		cmocka_unit_test(test_walk_that_deletes),
		cmocka_unit_test(test_wide_keys),
		cmocka_unit_test(test_one_hash_function),
		cmocka_unit_test(test_vec),
	};

	return cmocka_run_group_tests_name("hashmap", tests, NULL, NULL);
}

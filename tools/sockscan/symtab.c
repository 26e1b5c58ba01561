// SPDX-License-Identifier: GPL-2.0
/* Name -> expression map (see symtab.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "symtab.h"
#include "util.h"

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

void symtab_init(struct symtab *t)
{
	t->nbuckets = 64;
	t->buckets = xcalloc(t->nbuckets, sizeof(*t->buckets));
	t->count = 0;
}

static void rehash(struct symtab *t)
{
	size_t n = t->nbuckets * 4, i;
	struct sym **b = xcalloc(n, sizeof(*b));

	for (i = 0; i < t->nbuckets; i++) {
		struct sym *s = t->buckets[i], *next;

		for (; s; s = next) {
			size_t h = hash(s->name) % n;

			next = s->next;
			s->next = b[h];
			b[h] = s;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

struct sym *symtab_find(const struct symtab *t, const char *name)
{
	struct sym *s;

	if (!t->buckets)
		return NULL;
	for (s = t->buckets[hash(name) % t->nbuckets]; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

struct expr *symtab_get(const struct symtab *t, const char *name)
{
	struct sym *s = symtab_find(t, name);

	return s ? s->value : NULL;
}

void symtab_set(struct symtab *t, const char *name, struct expr *value)
{
	struct sym *s = symtab_find(t, name);
	size_t h;

	if (!t->buckets)
		symtab_init(t);
	if (s) {
		expr_free(s->value);
		s->value = value;
		return;
	}
	if (t->count >= t->nbuckets * 2)
		rehash(t);
	s = xcalloc(1, sizeof(*s));
	s->name = xstrdup(name);
	s->value = value;
	h = hash(name) % t->nbuckets;
	s->next = t->buckets[h];
	t->buckets[h] = s;
	t->count++;
}

void symtab_del(struct symtab *t, const char *name)
{
	struct sym **pp, *s;

	if (!t->buckets)
		return;
	for (pp = &t->buckets[hash(name) % t->nbuckets]; (s = *pp); pp = &s->next) {
		if (strcmp(s->name, name))
			continue;
		*pp = s->next;
		free(s->name);
		expr_free(s->value);
		free(s);
		t->count--;
		return;
	}
}

void symtab_merge(struct symtab *to, struct symtab *from)
{
	size_t i;

	for (i = 0; from->buckets && i < from->nbuckets; i++) {
		struct sym *s = from->buckets[i];

		for (; s; s = s->next) {
			if (symtab_find(to, s->name))
				continue;
			symtab_set(to, s->name, s->value);
			symtab_find(to, s->name)->nparams = s->nparams;
			s->value = NULL;
		}
	}
	symtab_clear(from);
}

void symtab_clear(struct symtab *t)
{
	size_t i;

	for (i = 0; t->buckets && i < t->nbuckets; i++) {
		struct sym *s = t->buckets[i], *next;

		for (; s; s = next) {
			next = s->next;
			free(s->name);
			expr_free(s->value);
			free(s);
		}
	}
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = 0;
	t->count = 0;
}

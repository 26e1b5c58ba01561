/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A map from names to expressions: the constants, variables and function
 * summaries of one Go package or Python module, or the local variables of
 * the function being extracted. Chained hashing; the table owns its keys
 * and values. Setting a name again replaces (and frees) the old value,
 * which is what straight-line reassignment needs.
 */
#ifndef SOCKSCAN_SYMTAB_H
#define SOCKSCAN_SYMTAB_H

#include <stddef.h>

struct expr;

struct sym {
	char *name;
	struct expr *value;
	int nparams;		/* for function summaries: parameter count */
	struct sym *next;
};

struct symtab {
	struct sym **buckets;
	size_t nbuckets;
	size_t count;
};

void symtab_init(struct symtab *t);
void symtab_set(struct symtab *t, const char *name, struct expr *value);
/* Remove @name (and free its value), if present. */
void symtab_del(struct symtab *t, const char *name);
struct sym *symtab_find(const struct symtab *t, const char *name);
struct expr *symtab_get(const struct symtab *t, const char *name);
/* Move every entry of @from into @to (entries of @to win), emptying @from. */
void symtab_merge(struct symtab *to, struct symtab *from);
void symtab_clear(struct symtab *t);

#endif

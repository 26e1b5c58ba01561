// SPDX-License-Identifier: GPL-2.0
/*
 * Imports through other modules of the tree.
 *
 * Star imports: `from stomp.utils import *` binds, in the importing
 * file, every public name stomp/utils.py binds at its top level, its own
 * imports among them (`import socket` there makes `socket.socket()` here
 * the socket module's). Extraction reads one file at a time, so py_import
 * only records "*" -> module; once every file is read and grouped into
 * modules, each file with a star import of a module of the tree gets
 * those names as imports of its own, placed before its own imports (which
 * py_qualified prefers, as a later binding wins in Python), and is
 * extracted again. __all__ is not read: a name it leaves out is still
 * taken, which can only add an import the file never uses.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "pkgs.h"
#include "py_tree_imports.h"
#include "expr.h"
#include "extract.h"
#include "util.h"

/* Star imports of star imports followed (utils <- transport <- multicast). */
#define MAX_STAR_DEPTH 8

static int has_alias(const struct import *ims, int n, const char *alias)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(ims[i].alias, alias))
			return 1;
	return 0;
}

static void push(struct import **ims, int *n, const char *alias, const char *path)
{
	if (*alias == '_' || has_alias(*ims, *n, alias))
		return;
	*ims = xrealloc(*ims, (*n + 1) * sizeof(**ims));
	(*ims)[*n].alias = xstrdup(alias);
	(*ims)[*n].path = xstrdup(path);
	(*ims)[*n].family = NULL;
	(*ims)[*n].fallback = 0;
	(*ims)[*n].hidden = 0;
	(*n)++;
}

/*
 * The public names module @p binds that star-importing it gives: its
 * imports, its classes ("bases:C" in its symbols: "C" -> "mod.C"), and
 * the same of the modules it star-imports in turn. Nearest first.
 */
static void star_names(struct scan *sc, struct pkg *p, struct import **ims, int *n,
		       struct symtab *seen, int depth)
{
	size_t i;
	int k;

	/* each module once: star imports in a cycle, or fanning out, stay linear */
	if (!p || p->lang != LANG_PY || depth > MAX_STAR_DEPTH || symtab_find(seen, p->path))
		return;
	symtab_set(seen, p->path, NULL);
	for (i = 0; i < p->nfiles; i++) {
		const struct srcfile *f = p->files[i];
		size_t b;

		for (k = 0; k < f->nimports; k++)
			if (strcmp(f->imports[k].alias, "*"))
				push(ims, n, f->imports[k].alias, f->imports[k].path);
		for (b = 0; b < f->syms.nbuckets; b++) {
			const struct sym *y;

			for (y = f->syms.buckets[b]; y; y = y->next) {
				char *path;

				if (strncmp(y->name, "bases:", 6))
					continue;
				path = xasprintf("%s.%s", p->path, y->name + 6);
				push(ims, n, y->name + 6, path);
				free(path);
			}
		}
	}
	for (i = 0; i < p->nfiles; i++) {
		const struct srcfile *f = p->files[i];

		for (k = 0; k < f->nimports; k++)
			if (!strcmp(f->imports[k].alias, "*"))
				star_names(sc, pkg_lookup(sc, p, f->imports[k].path), ims, n,
					   seen, depth + 1);
	}
}

/* The imports a star import gives one file (star_names). */
struct star_imports {
	struct import *ims;
	int n;
};

static void free_imports(struct import *ims, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(ims[i].alias);
		free(ims[i].path);
	}
	free(ims);
}

/* Forget what extracting @f found, keeping @arg's imports as its first ones. */
static void reset(struct srcfile *f, void *arg)
{
	struct star_imports *si = arg;
	struct site *s, *next;

	for (s = f->sites; s; s = next) {
		next = s->next;
		site_free(s);
	}
	f->sites = NULL;
	f->sites_tail = NULL;
	free_imports(f->imports, f->nimports);
	f->imports = si->ims;
	f->nimports = si->n;
	si->ims = NULL;
	symtab_clear(&f->syms);
	symtab_clear(&f->funcs);
	symtab_clear(&f->uses);
	f->error_line = 0;
	f->nscopes = 0;
	f->parsed = 0;
}

static void star_file(struct scan *sc, struct srcfile *f)
{
	struct import *ims = NULL;
	struct symtab seen = { 0 };
	int n = 0, k;

	symtab_set(&seen, f->pkg->path, NULL);
	for (k = 0; k < f->nimports; k++)
		if (!strcmp(f->imports[k].alias, "*"))
			star_names(sc, pkg_lookup(sc, f->pkg, f->imports[k].path), &ims, &n,
				   &seen, 0);
	symtab_clear(&seen);
	if (n) {
		struct star_imports si = { ims, n };

		if (parse_again(f, reset, &si) < 0)
			free_imports(si.ims, si.n);
	}
}

void py_star_imports(struct scan *sc)
{
	size_t i;
	int k;

	for (i = 0; i < sc->nfiles; i++) {
		struct srcfile *f = sc->files[i];

		if (f->lang != LANG_PY || !f->parsed || f->binary || f->unreadable)
			continue;
		for (k = 0; k < f->nimports; k++)
			if (!strcmp(f->imports[k].alias, "*"))
				break;
		if (k < f->nimports)
			star_file(sc, f);
	}
}

/*
 * Re-exported modules: `from ._extra_imports import aiohttp`, where
 * _extra_imports.py has `import aiohttp`, binds the aiohttp package, so
 * aiohttp.ClientSession() in the importing file is aiohttp's. The path an
 * import names is followed through the imports of the module of the tree
 * it points into (a chain of them, bounded); only one that ends outside
 * the tree is taken: a class the tree defines keeps its path, which the
 * resolver follows (rule_through_imports, callee_home). NULL when the
 * import stays as it is.
 */
static char *reexported(struct scan *sc, struct pkg *ctx, const char *path, int *own)
{
	char *cur = xstrdup(path);
	const char *rest;
	struct pkg *m;
	int depth = 0;

	while (!pkg_lookup(sc, ctx, cur) && (m = pkg_py_module_of(sc, ctx, cur, &rest))) {
		const char *tail = strchr(rest, '.');
		const char *via = pkg_import_of(m, rest, tail ? (size_t)(tail - rest) : strlen(rest));
		char *next;

		if (!via || ++depth > MAX_STAR_DEPTH)
			break;
		/* a subclass taking parameters of its own before its base's */
		if (depth == 1 && !tail && m->nfiles == 1)
			*own = own_params_get(&m->files[0]->syms, rest);
		next = xasprintf("%s%s", via, tail ? tail : "");
		free(cur);
		cur = next;
		ctx = m;
	}
	if (!depth || pkg_lookup(sc, ctx, cur) || pkg_py_module_of(sc, ctx, cur, &rest)) {
		free(cur);
		return NULL;
	}
	return cur;
}

/*
 * `from pkg import common`, where common.py has `import requests`:
 * common.requests is the requests package, as `from pkg.common import
 * requests` would be. Each library module the imported tree module
 * imports is entered as the import path "pkg.common.requests", which
 * py_qualified then reads through. The number entered.
 */
static int module_imports_reexported(struct scan *sc, struct srcfile *f, const char *path)
{
	struct pkg *m = pkg_lookup(sc, f->pkg, path);
	size_t i;
	int k, n = 0;

	if (!m || m->lang != LANG_PY)
		return 0;
	for (i = 0; i < m->nfiles; i++) {
		const struct srcfile *mf = m->files[i];

		for (k = 0; k < mf->nimports; k++) {
			const char *alias = mf->imports[k].alias;
			char *from, *to;
			int own = 0;

			if (!strcmp(alias, "*") || strchr(alias, '.'))
				continue;
			from = xasprintf("%s.%s", path, alias);
			to = symtab_get(&f->reexports, from) ? NULL :
			     reexported(sc, f->pkg, from, &own);
			if (to) {
				symtab_set(&f->reexports, from, expr_str(to));
				free(to);
				n++;
			}
			free(from);
		}
	}
	return n;
}

void py_module_reexports(struct scan *sc)
{
	size_t i;
	int k, n;

	for (i = 0; i < sc->nfiles; i++) {
		struct srcfile *f = sc->files[i];
		struct star_imports none = { NULL, 0 };
		int star = 0;

		if (f->lang != LANG_PY || !f->parsed || f->binary || f->unreadable)
			continue;
		for (k = 0, n = 0; k < f->nimports; k++) {
			int own = 0;
			char *to;

			if (!strcmp(f->imports[k].alias, "*")) {
				star = 1;
				continue;
			}
			n += module_imports_reexported(sc, f, f->imports[k].path);
			to = reexported(sc, f->pkg, f->imports[k].path, &own);
			if (!to)
				continue;
			symtab_set(&f->reexports, f->imports[k].path, expr_str(to));
			if (own > 0) {
				char *key = xasprintf(ARGSKIP "%s", f->imports[k].alias);

				symtab_set(&f->reexports, key, expr_int(own));
				free(key);
			}
			free(to);
			n++;
		}
		/* a file with a star import is extracted again by py_star_imports */
		if (n && !star)
			parse_again(f, reset, &none);
	}
}

// SPDX-License-Identifier: GPL-2.0
/* Packages and their symbols (see pkgs.h). */
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "pkgs.h"
#include "pool.h"
#include "py_extract.h"
#include "py_tree_imports.h"
#include "util.h"

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, slash - path) : xstrdup("");
}

/* The module whose directory is the longest prefix of @dir. */
static struct module *module_of(struct scan *sc, const char *dir)
{
	struct module *best = NULL;
	size_t i, blen = 0;

	for (i = 0; i < sc->nmods; i++) {
		struct module *m = sc->mods[i];
		size_t n = strlen(m->dir);

		if (n && (strncmp(dir, m->dir, n) || (dir[n] && dir[n] != '/')))
			continue;
		if (!best || n >= blen) {
			best = m;
			blen = n;
		}
	}
	return best;
}

/* Go import path of directory @dir, or the Python module of file @path. */
static char *pkg_path(struct scan *sc, struct srcfile *f, const char *dir,
		      struct module **mod)
{
	char *p, *s;

	if (f->lang == LANG_PY) {
		size_t n = strlen(f->path) - 3;

		*mod = NULL;
		/* a package's names are those of its __init__.py */
		if (str_has_suffix(f->path, "/__init__.py"))
			n -= strlen("/__init__");
		p = xstrndup(f->path, n);
		for (s = p; *s; s++)
			if (*s == '/')
				*s = '.';
		return p;
	}
	*mod = module_of(sc, dir);
	if (!*mod)
		return xstrdup(dir);
	if (!strcmp(dir, (*mod)->dir))
		return xstrdup((*mod)->path);
	return xasprintf("%s/%s", (*mod)->path,
			 dir + strlen((*mod)->dir) + (*(*mod)->dir ? 1 : 0));
}

static int cmp_pkg(const void *a, const void *b)
{
	return strcmp((*(struct pkg *const *)a)->path, (*(struct pkg *const *)b)->path);
}

static struct pkg *find(struct scan *sc, const char *path)
{
	struct pkg key = { .path = (char *)path }, *kp = &key, **found;

	found = bsearch(&kp, sc->pkgs, sc->npkgs, sizeof(*sc->pkgs), cmp_pkg);
	return found ? *found : NULL;
}

/* Note the site directory Python module path @path lies under (py_roots). */
static void note_py_root(struct scan *sc, const char *path)
{
	static const char *const sites[] = { "site-packages", "dist-packages", NULL };
	const char *at = NULL;
	char *root;
	size_t i, n;

	for (i = 0; sites[i] && !at; i++) {
		n = strlen(sites[i]);
		for (at = strstr(path, sites[i]); at; at = strstr(at + 1, sites[i]))
			if ((at == path || at[-1] == '.') && at[n] == '.')
				break;
	}
	if (!at)
		return;
	root = xstrndup(path, at + n - path);
	for (i = 0; i < sc->npy_roots; i++)
		if (!strcmp(sc->py_roots[i], root))
			break;
	if (i < sc->npy_roots) {
		free(root);
		return;
	}
	grow((void **)&sc->py_roots, &sc->cappy_roots, sc->npy_roots + 1, sizeof(*sc->py_roots));
	sc->py_roots[sc->npy_roots++] = root;
}

void pkgs_build(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nfiles; i++) {
		struct srcfile *f = sc->files[i];
		struct module *mod;
		char *dir = dir_of(f->path), *path = pkg_path(sc, f, dir, &mod);
		struct pkg *p = NULL;
		size_t k;

		/* files arrive directory by directory: look back, not around */
		for (k = sc->npkgs; k-- > 0 && !p;)
			if (!strcmp(sc->pkgs[k]->path, path) && sc->pkgs[k]->lang == f->lang)
				p = sc->pkgs[k];
		if (!p) {
			p = xcalloc(1, sizeof(*p));
			p->dir = dir;
			p->path = path;
			p->lang = f->lang;
			p->mod = mod;
			grow((void **)&sc->pkgs, &sc->cappkgs, sc->npkgs + 1, sizeof(*sc->pkgs));
			sc->pkgs[sc->npkgs++] = p;
		} else {
			free(dir);
			free(path);
		}
		if (f->lang == LANG_PY)
			note_py_root(sc, p->path);
		grow((void **)&p->files, &p->capfiles, p->nfiles + 1, sizeof(*p->files));
		p->files[p->nfiles++] = f;
		f->pkg = p;
		if (f->pkgname && !strcmp(f->pkgname, "main"))
			p->is_main = 1;
	}
	if (sc->npkgs)	/* a tree with no source file: no array to sort */
		qsort(sc->pkgs, sc->npkgs, sizeof(*sc->pkgs), cmp_pkg);
	py_module_reexports(sc);
	py_star_imports(sc);
}

static struct pkg *lookup(struct scan *sc, struct pkg *ctx, const char *path)
{
	struct pkg *p;
	char *rel;

	if (!ctx || ctx->lang == LANG_GO)
		return find(sc, path);
	/*
	 * Python: the import root (sys.path) is not known, so try the
	 * directory of @ctx and each one above it, nearest first: a sibling
	 * module, then one of a package the tree holds deeper than its root.
	 */
	rel = *ctx->dir ? xasprintf("%s.%s", ctx->dir, path) : xstrdup(path);
	for (char *s = rel; *s; s++)
		if (*s == '/')
			*s = '.';
	for (char *end = rel + strlen(ctx->dir); ; end--) {
		char *try;

		if (end > rel && *end != '.')
			continue;
		try = end == rel ? xstrdup(path) : xasprintf("%.*s.%s", (int)(end - rel), rel, path);
		p = find(sc, try);
		free(try);
		if (p || end == rel)
			break;
	}
	free(rel);
	/* a script outside the site directory (usr/bin) importing what is in it */
	for (size_t i = 0; !p && i < sc->npy_roots; i++) {
		char *try = xasprintf("%s.%s", sc->py_roots[i], path);

		p = find(sc, try);
		free(try);
	}
	return p;
}

/*
 * `sockscan mypkg/` with mypkg a package (an __init__.py at the root): its
 * own absolute imports name it ("from mypkg.libs.helper import f"), while
 * its modules are named from inside it ("libs.helper"): the root's name is
 * dropped and the lookup tried again. `import mypkg` itself is the root's
 * __init__.py, which pkg_path names "__init__".
 */
struct pkg *pkg_lookup(struct scan *sc, struct pkg *ctx, const char *path)
{
	struct pkg *p = lookup(sc, ctx, path), *root;
	size_t n = sc->root_name ? strlen(sc->root_name) : 0;

	if (!p && n && ctx && ctx->lang == LANG_PY && !strncmp(path, sc->root_name, n) &&
	    (path[n] == '.' || !path[n]) && (root = find(sc, "__init__")))
		p = path[n] ? lookup(sc, ctx, path + n + 1) : root;
	/* import pkg.__init__: the package itself, as pkg_path names it */
	if (!p && ctx && ctx->lang == LANG_PY && str_has_suffix(path, ".__init__")) {
		char *pkg = xstrndup(path, strlen(path) - strlen(".__init__"));

		p = pkg_lookup(sc, ctx, pkg);
		free(pkg);
	}
	return p;
}

struct pkg *pkg_py_module_of(struct scan *sc, struct pkg *ctx, const char *q,
			     const char **rest)
{
	const char *cut;

	for (cut = q + strlen(q); cut > q; cut--) {
		struct pkg *p;
		char *mod;

		if (*cut != '.')
			continue;
		mod = xstrndup(q, cut - q);
		p = pkg_lookup(sc, ctx, mod);
		free(mod);
		if (p && p->lang == LANG_PY) {
			*rest = cut + 1;
			return p;
		}
	}
	*rest = q;
	return NULL;
}

const char *pkg_import_of(const struct pkg *p, const char *name, size_t nlen)
{
	size_t i;
	int k;

	/* the binding Python 3 takes, as py_qualified reads a file's own */
	for (i = 0; i < p->nfiles; i++) {
		const struct srcfile *f = p->files[i];

		k = py_import_binding(f->imports, f->nimports, name, nlen);
		if (k >= 0)
			return f->imports[k].path;
	}
	return NULL;
}

void pkg_load(struct scan *sc, struct pkg *p)
{
	size_t i;

	if (p->loaded)
		return;
	p->loaded = 1;
	for (i = 0; i < p->nfiles; i++) {
		struct srcfile *f = p->files[i];

		if (!f->parsed && !f->unreadable && !f->binary)
			parse_full(sc, f);
		symtab_merge(&p->syms, &f->syms);
		symtab_merge(&p->funcs, &f->funcs);
	}
}

static void parse_one(size_t i, void *arg)
{
	struct scan *sc = arg;
	struct srcfile *f = sc->files[i];

	if (f->pkg->has_sites && !f->parsed && !f->unreadable && !f->binary)
		parse_full(sc, f);
}

void pkgs_preload(struct scan *sc)
{
	size_t i, k;

	/* a package with a site needs the symbols of all its files */
	for (i = 0; i < sc->npkgs; i++) {
		struct pkg *p = sc->pkgs[i];

		for (k = 0; k < p->nfiles && !p->has_sites; k++)
			p->has_sites = p->files[k]->sites != NULL;
	}
	pool_run(sc->opt.jobs, sc->nfiles, parse_one, sc);
	for (i = 0; i < sc->npkgs; i++)
		if (sc->pkgs[i]->has_sites)
			pkg_load(sc, sc->pkgs[i]);
}

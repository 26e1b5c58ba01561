/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packages: grouping files into Go packages (directories) and Python
 * modules (files), finding one by import path, and loading the symbols
 * of one on demand.
 */
#ifndef SOCKSCAN_PKGS_H
#define SOCKSCAN_PKGS_H

#include "sockscan.h"

/* Group every walked file into its package; sets file->pkg. Then expands
 * Python star imports (py_star.c), extracting those files again. */
void pkgs_build(struct scan *sc);
/*
 * The package @path names from @ctx: a Go import path, or a Python module
 * (tried beside @ctx first, then from the root). NULL if not scanned.
 */
struct pkg *pkg_lookup(struct scan *sc, struct pkg *ctx, const char *path);
/*
 * The Python module of the tree that the longest dotted prefix of @q
 * names from @ctx ("pkg.mod" of "pkg.mod.C.__init__"), with @rest set
 * to what follows it ("C.__init__"); NULL, @rest = @q, when none does.
 */
struct pkg *pkg_py_module_of(struct scan *sc, struct pkg *ctx, const char *q,
			     const char **rest);
/*
 * The qualified name module @p imports under the name given by the first
 * @nlen bytes of @name ("pkg.account.C" for `from .account import C` in
 * pkg/__init__.py), or NULL: the import Python 3 takes (py_import_binding).
 */
const char *pkg_import_of(const struct pkg *p, const char *name, size_t nlen);
/* Parse what is not parsed yet and merge every file's symbols into @p. */
void pkg_load(struct scan *sc, struct pkg *p);
/* pkg_load() every package that has sites, parsing on every core. */
void pkgs_preload(struct scan *sc);

#endif

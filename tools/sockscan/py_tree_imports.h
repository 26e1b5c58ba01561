/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Python imports that go through other modules of the tree: star imports
 * (from m import *) and modules re-exported by another module.
 */
#ifndef SOCKSCAN_PY_TREE_IMPORTS_H
#define SOCKSCAN_PY_TREE_IMPORTS_H

#include "sockscan.h"

/*
 * Make each import of a name that another module of the tree imports
 * from outside it name that outside module or function, and extract the
 * file again (by py_star_imports() if it has a star import). Once every
 * file is grouped into modules, before py_star_imports().
 */
void py_module_reexports(struct scan *sc);
/*
 * Give each Python file that star-imports a module of the tree the names
 * that module binds, and extract it again.
 */
void py_star_imports(struct scan *sc);

#endif

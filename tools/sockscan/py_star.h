/* SPDX-License-Identifier: GPL-2.0 */
/* Python star imports (from m import *), expanded across the tree. */
#ifndef SOCKSCAN_PY_STAR_H
#define SOCKSCAN_PY_STAR_H

#include "sockscan.h"

/*
 * Give each Python file that star-imports a module of the tree the names
 * that module binds, and extract it again. After pkgs_build().
 */
void py_star_imports(struct scan *sc);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which service a site belongs to: the program that runs it.
 *
 * Go: every main package names a service, the base name of its directory
 * (what `go build` names the binary), or of the module path when it is
 * the module root. A package belongs to every service whose main package
 * imports it, directly or not; a package no main package reaches belongs
 * to its module (last element of the module path).
 * Python: the base name of the file's directory (the root's own name at
 * the top).
 */
#ifndef SOCKSCAN_SERVICE_H
#define SOCKSCAN_SERVICE_H

#include "sockscan.h"

void services_assign(struct scan *sc);
/* Services of @p for a finding in file @f (at least one, owned by @p/@sc). */
size_t services_of(struct scan *sc, struct pkg *p, const char ***out);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration files a Python package ships beside its code (a daemon
 * extension's ext.conf, a default settings.ini): their "section.key =
 * value" lines are configuration defaults, as a DEFAULT_CONFIG dict's
 * entries are (resolve.c conf_default).
 */
#ifndef SOCKSCAN_CONF_FILES_H
#define SOCKSCAN_CONF_FILES_H

#include <stddef.h>
#include <sys/stat.h>

#include "sockscan.h"

/* Is a file named @name of @st a configuration file worth reading? */
int conf_file_wanted(const char *name, const struct stat *st);

/* Keep @path to read when a configuration default is first asked for. */
void conf_file_add(struct scan *sc, const char *path);

/*
 * Call @fn(@arg, file, "section.key", value) for every entry of every kept
 * file, in the order walked; entries with no section or no value are
 * left out. A file that cannot be read or parsed is skipped silently:
 * it only ever adds defaults.
 */
typedef void (*conf_entry_fn)(void *arg, const char *file, const char *path,
			      const char *value);
void conf_files_each(struct scan *sc, conf_entry_fn fn, void *arg);

void conf_files_free(struct scan *sc);

#endif

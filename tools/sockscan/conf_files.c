// SPDX-License-Identifier: GPL-2.0
/* Configuration files shipped beside Python code (see conf_files.h). */
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_files.h"
#include "util.h"

/*
 * Bounds: a shipped default configuration is a few lines; a tree with
 * hundreds of them (a distribution's /etc) says nothing about one call.
 */
#define MAX_CONF_FILE_BYTES	(64 * 1024)
#define MAX_CONF_FILES		256

int conf_file_wanted(const char *name, const struct stat *st)
{
	if (!S_ISREG(st->st_mode) || st->st_size > MAX_CONF_FILE_BYTES)
		return 0;
	return str_has_suffix(name, ".conf") || str_has_suffix(name, ".ini") ||
	       str_has_suffix(name, ".cfg");
}

void conf_file_add(struct scan *sc, const char *path)
{
	if (sc->nconf_files >= MAX_CONF_FILES)
		return;
	grow((void **)&sc->conf_files, &sc->capconf_files, sc->nconf_files + 1,
	     sizeof(*sc->conf_files));
	sc->conf_files[sc->nconf_files++] = xstrdup(path);
}

struct each_ctx {
	conf_entry_fn fn;
	void *arg;
	const char *file;
};

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct each_ctx *c = user;
	char *path;

	if (!section || !*section || !name || !*name || !value || !*value)
		return 1;
	path = xasprintf("%s.%s", section, name);
	c->fn(c->arg, c->file, path, value);
	free(path);
	return 1;
}

void conf_files_each(struct scan *sc, conf_entry_fn fn, void *arg)
{
	struct each_ctx c = { fn, arg, NULL };
	size_t i;

	for (i = 0; i < sc->nconf_files; i++) {
		c.file = sc->conf_files[i];
		ini_parse(c.file, on_entry, &c);
	}
}

void conf_files_free(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nconf_files; i++)
		free(sc->conf_files[i]);
	free(sc->conf_files);
	sc->conf_files = NULL;
	sc->nconf_files = sc->capconf_files = 0;
}

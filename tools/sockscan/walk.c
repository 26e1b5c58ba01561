// SPDX-License-Identifier: GPL-2.0
/* Directory walk (see walk.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "walk.h"

static void add_file(struct scan *sc, const char *full, const char *rel,
		     enum lang lang, size_t size)
{
	struct srcfile *f = xcalloc(1, sizeof(*f));

	f->fullpath = xstrdup(full);
	f->path = xstrdup(rel);
	f->lang = lang;
	f->size = size;
	grow((void **)&sc->files, &sc->capfiles, sc->nfiles + 1, sizeof(*sc->files));
	sc->files[sc->nfiles++] = f;
	sc->bytes += size;
}

/* go.mod: the "module" line names the module. */
static void add_module(struct scan *sc, const char *full, const char *reldir)
{
	FILE *fp = fopen(full, "r");
	char line[1024];
	struct module *m;

	if (!fp) {
		fprintf(stderr, "sockscan: %s: cannot read: %s\n", full, strerror(errno));
		sc->read_errors++;
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *p = line, *end;

		if (strncmp(p, "module", 6) || (p[6] != ' ' && p[6] != '\t'))
			continue;
		p += 6;
		p += strspn(p, " \t\"");
		end = p + strcspn(p, " \t\"\r\n");
		m = xcalloc(1, sizeof(*m));
		m->dir = xstrdup(reldir);
		m->path = xstrndup(p, end - p);
		grow((void **)&sc->mods, &sc->capmods, sc->nmods + 1, sizeof(*sc->mods));
		sc->mods[sc->nmods++] = m;
		break;
	}
	fclose(fp);
}

static int skip_dir(const struct options *o, const char *name)
{
	if (name[0] == '.' && !o->include_hidden)
		return 1;
	if (!strcmp(name, "vendor") && !o->include_vendor)
		return 1;
	if (!strcmp(name, "testdata") && !o->include_tests)
		return 1;
	return !strcmp(name, "__pycache__");
}

static int source_lang(const struct options *o, const char *name, enum lang *lang)
{
	if (str_has_suffix(name, ".go")) {
		if (str_has_suffix(name, "_test.go") && !o->include_tests)
			return 0;
		*lang = LANG_GO;
		return 1;
	}
	if (str_has_suffix(name, ".py")) {
		*lang = LANG_PY;
		return 1;
	}
	return 0;
}

static void walk_dir(struct scan *sc, const char *full, const char *rel)
{
	struct dirent **ents;
	int n, i;

	n = scandir(full, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "sockscan: %s: cannot read directory: %s\n", full,
			strerror(errno));
		sc->read_errors++;
		return;
	}
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char *cfull = xasprintf("%s/%s", full, name);
		char *crel = *rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		struct stat st;
		enum lang lang;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			goto next;
		if (stat(cfull, &st) < 0) {
			/* a dangling link named like a source file is a file we cannot read */
			if (source_lang(&sc->opt, name, &lang))
				add_file(sc, cfull, crel, lang, 0);
			goto next;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!skip_dir(&sc->opt, name))
				walk_dir(sc, cfull, crel);
		} else if (!strcmp(name, "go.mod")) {
			add_module(sc, cfull, rel);
		} else if (source_lang(&sc->opt, name, &lang)) {
			add_file(sc, cfull, crel, lang, st.st_size);
		}
next:
		free(cfull);
		free(crel);
		free(ents[i]);
	}
	free(ents);
}

static char *trim_slashes(const char *path)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

int walk_paths(struct scan *sc)
{
	int i;

	for (i = 0; i < sc->opt.npaths; i++) {
		char *path = trim_slashes(sc->opt.paths[i]);
		/* one directory: report paths relative to it */
		const char *rel = sc->opt.npaths == 1 ? "" : path;
		struct stat st;
		enum lang lang;

		if (stat(path, &st) < 0) {
			fprintf(stderr, "sockscan: %s: %s\n", path, strerror(errno));
			free(path);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			walk_dir(sc, path, rel);
		} else if (source_lang(&(struct options){ .include_tests = 1 }, path, &lang)) {
			/* a file named on the command line must be readable */
			FILE *fp = fopen(path, "r");

			if (!fp) {
				fprintf(stderr, "sockscan: %s: cannot read: %s\n", path, strerror(errno));
				free(path);
				return -1;
			}
			fclose(fp);
			add_file(sc, path, path, lang, st.st_size);
		} else {
			fprintf(stderr, "sockscan: %s: not a directory, .go or .py file\n", path);
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}

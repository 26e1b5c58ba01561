// SPDX-License-Identifier: GPL-2.0
/* Directory walk (see walk.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_files.h"
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

/*
 * Has the file or directory @st been walked already? Symbolic links can
 * make a tree reach one directory many times, or loop: each is read once.
 */
static int seen_before(struct scan *sc, const struct stat *st)
{
	char key[48];

	snprintf(key, sizeof(key), "%llx:%llx", (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino);
	if (symtab_find(&sc->seen, key))
		return 1;
	symtab_set(&sc->seen, key, NULL);
	return 0;
}

/*
 * Python test code: tests/ and test/ directories, test_*.py, *_test.py,
 * conftest.py, and a package's tests.py module (Django's, statsd's).
 */
static int is_test_dir(const char *name)
{
	return !strcmp(name, "tests") || !strcmp(name, "test");
}

static int is_py_test_file(const char *name)
{
	return str_has_prefix(name, "test_") || str_has_suffix(name, "_test.py") ||
	       !strcmp(name, "conftest.py") || !strcmp(name, "tests.py");
}

/* Say on stderr that @path was left out, with its name made printable. */
static void warn_skip(const char *path, const char *why)
{
	char *p = str_escape(path, 1);

	fprintf(stderr, "sockscan: warning: %s: %s, skipped\n", p, why);
	free(p);
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

/*
 * Is @name a source file to scan? Test code is left out unless
 * --include-tests: *_test.go, and Python test files or any Python file
 * under a test directory (@in_tests).
 */
static int source_lang(const struct options *o, const char *name, int in_tests,
		       enum lang *lang)
{
	if (str_has_suffix(name, ".go")) {
		if (str_has_suffix(name, "_test.go") && !o->include_tests)
			return 0;
		*lang = LANG_GO;
		return 1;
	}
	if (str_has_suffix(name, ".py")) {
		if ((in_tests || is_py_test_file(name)) && !o->include_tests)
			return 0;
		*lang = LANG_PY;
		return 1;
	}
	return 0;
}

/*
 * A Python program installed without its extension (a daemon in usr/bin,
 * prometheus-xmpp-alerts) or as a CGI script (moosefs' mfs.cgi): a file
 * whose name has no dot, or ends in .cgi, and whose first line is a #!
 * naming python.
 */
static int is_python_script(const char *path, const char *name)
{
	char line[128], *nl;
	ssize_t n;
	int fd;

	if (strchr(name, '.') && !str_has_suffix(name, ".cgi"))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n < 2 || line[0] != '#' || line[1] != '!')
		return 0;
	line[n] = '\0';
	nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	return strstr(line, "python") != NULL;
}

static void walk_dir(struct scan *sc, const char *full, const char *rel, int in_tests)
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
			if (source_lang(&sc->opt, name, in_tests, &lang))
				add_file(sc, cfull, crel, lang, 0);
			goto next;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!skip_dir(&sc->opt, name) && !seen_before(sc, &st))
				walk_dir(sc, cfull, crel, in_tests || is_test_dir(name));
		} else if (!S_ISREG(st.st_mode)) {
			/* a FIFO or device would block or never end: never opened */
			if (source_lang(&sc->opt, name, in_tests, &lang))
				warn_skip(cfull, "not a regular file");
		} else if (!strcmp(name, "go.mod")) {
			add_module(sc, cfull, rel);
		} else if (source_lang(&sc->opt, name, in_tests, &lang) &&
			   !seen_before(sc, &st)) {
			add_file(sc, cfull, crel, lang, st.st_size);
		} else if ((!in_tests || sc->opt.include_tests) && is_python_script(cfull, name) &&
			   !seen_before(sc, &st)) {
			add_file(sc, cfull, crel, LANG_PY, st.st_size);
		} else if (!in_tests && conf_file_wanted(name, &st) && !seen_before(sc, &st)) {
			conf_file_add(sc, cfull);
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
			if (!seen_before(sc, &st))
				walk_dir(sc, path, rel, 0);
		} else if (source_lang(&(struct options){ .include_tests = 1 }, path, 0, &lang)) {
			/* a file named on the command line must be a readable file */
			int fd = S_ISREG(st.st_mode) ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;

			if (fd < 0) {
				char *p = str_escape(path, 1);

				fprintf(stderr, "sockscan: %s: cannot read: %s\n", p,
					S_ISREG(st.st_mode) ? strerror(errno) : "not a regular file");
				free(p);
				free(path);
				return -1;
			}
			close(fd);
			if (!seen_before(sc, &st))
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

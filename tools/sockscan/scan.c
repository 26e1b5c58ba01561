// SPDX-License-Identifier: GPL-2.0
/*
 * Releasing a scan. The command exits right after its report, but the
 * fuzzing harnesses run millions of scans in one process, and a leak
 * there is a finding like any other.
 */
#include <stdlib.h>

#include "conf_files.h"
#include "extract.h"
#include "scan.h"

void srcfile_free(struct srcfile *f)
{
	struct site *s, *next;
	int i;

	for (s = f->sites; s; s = next) {
		next = s->next;
		site_free(s);
	}
	for (i = 0; i < f->nimports; i++) {
		free(f->imports[i].alias);
		free(f->imports[i].path);
	}
	free(f->imports);
	symtab_clear(&f->syms);
	symtab_clear(&f->funcs);
	symtab_clear(&f->reexports);
	symtab_clear(&f->uses);
	free(f->pkgname);
	free(f->path);
	free(f->fullpath);
	free(f->error);
	free(f);
}

static void pkg_free(struct pkg *p)
{
	size_t i;

	for (i = 0; i < p->nservices; i++)
		free(p->services[i]);
	free(p->services);
	symtab_clear(&p->syms);
	symtab_clear(&p->funcs);
	free(p->files);
	free(p->dir);
	free(p->path);
	free(p);
}

void scan_free(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nfindings; i++) {
		free(sc->findings[i].host);
		free(sc->findings[i].expr);
		free(sc->findings[i].dynamic);
		free(sc->findings[i].service);
	}
	free(sc->findings);
	for (i = 0; i < sc->nfiles; i++)
		srcfile_free(sc->files[i]);
	free(sc->files);
	for (i = 0; i < sc->npkgs; i++)
		pkg_free(sc->pkgs[i]);
	free(sc->pkgs);
	for (i = 0; i < sc->nmods; i++) {
		free(sc->mods[i]->dir);
		free(sc->mods[i]->path);
		free(sc->mods[i]);
	}
	free(sc->mods);
	symtab_clear(&sc->seen);
	for (i = 0; i < sc->ncallers; i++)
		free(sc->callers[i].key);
	free(sc->callers);
	symtab_clear(&sc->subclasses);
	symtab_clear(&sc->confs);
	conf_files_free(sc);
	free(sc->root_name);
	for (i = 0; i < sc->npy_roots; i++)
		free(sc->py_roots[i]);
	free(sc->py_roots);
}

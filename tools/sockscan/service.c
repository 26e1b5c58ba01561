// SPDX-License-Identifier: GPL-2.0
/* Service attribution (see service.h). */
#include <stdlib.h>
#include <string.h>

#include "pkgs.h"
#include "service.h"
#include "util.h"

static const char *last_elem(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static char *main_service_name(struct scan *sc, struct pkg *p)
{
	if (p->mod && !strcmp(p->dir, p->mod->dir))
		return xstrdup(last_elem(p->mod->path));
	if (!*p->dir)
		return xstrdup(sc->root_name);
	return xstrdup(last_elem(p->dir));
}

/* Add a copy of @name to @p's services (each package owns its strings). */
static void add_service(struct pkg *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nservices; i++)
		if (!strcmp(p->services[i], name))
			return;
	p->services = xrealloc(p->services, (p->nservices + 1) * sizeof(*p->services));
	p->services[p->nservices++] = xstrdup(name);
}

/* Mark every package @main reaches through imports with its service. */
static void reach(struct scan *sc, struct pkg *main, int gen)
{
	char *name = main_service_name(sc, main);
	struct pkg **queue = xcalloc(sc->npkgs + 1, sizeof(*queue));
	size_t head = 0, tail = 0, i;
	int k;

	main->mark = gen;
	queue[tail++] = main;
	while (head < tail) {
		struct pkg *p = queue[head++];

		add_service(p, name);
		for (i = 0; i < p->nfiles; i++) {
			struct srcfile *f = p->files[i];

			for (k = 0; k < f->nimports; k++) {
				struct pkg *dep;

				if (f->imports[k].family)
					continue;
				dep = pkg_lookup(sc, NULL, f->imports[k].path);
				if (dep && dep->lang == LANG_GO && dep->mark != gen) {
					dep->mark = gen;
					queue[tail++] = dep;
				}
			}
		}
	}
	free(queue);
	free(name);
}

void services_assign(struct scan *sc)
{
	size_t i;
	int gen = 0;

	for (i = 0; i < sc->npkgs; i++)
		if (sc->pkgs[i]->lang == LANG_GO && sc->pkgs[i]->is_main)
			reach(sc, sc->pkgs[i], ++gen);
}

size_t services_of(struct scan *sc, struct pkg *p, const char ***out)
{
	if (!p->nservices) {
		const char *name;

		if (p->lang == LANG_GO && p->mod)
			name = last_elem(p->mod->path);
		else if (*p->dir)
			name = last_elem(p->dir);
		else
			name = sc->root_name;
		add_service(p, name);
	}
	*out = (const char **)p->services;
	return p->nservices;
}

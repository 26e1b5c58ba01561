// SPDX-License-Identifier: GPL-2.0
/* Go package clause and imports (see go_extract.h). */
#include <stdlib.h>
#include <string.h>

#include "go_extract.h"
#include "rules.h"
#include "tsutil.h"
#include "util.h"

int go_starts_decl(const char *p, const char *end)
{
	static const char *const words[] = { "func", "type", "var", "const" };
	size_t i, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if ((size_t)(end - p) > n && !memcmp(p, words[i], n) &&
		    (p[n] == ' ' || p[n] == '\t' || p[n] == '(' || p[n] == '\n'))
			return 1;
	}
	return 0;
}

size_t go_header_len(const char *src, size_t len)
{
	const char *p = src, *end = src + len;

	while (p < end) {
		if (go_starts_decl(p, end))
			return p - src;
		p = memchr(p, '\n', end - p);
		if (!p)
			break;
		p++;
	}
	return len;
}

/* The name a package is used by when imported without an alias. */
static char *default_alias(const char *path, const struct family *fam)
{
	const char *last, *end;

	if (fam)
		return xstrdup(fam->name);
	end = path + strlen(path);
	last = strrchr(path, '/');
	/* example.com/mod/v2 is used as mod */
	if (last && last[1] == 'v' && last[2] >= '0' && last[2] <= '9' && last != path) {
		end = last;
		while (last > path && last[-1] != '/')
			last--;
		return xstrndup(last, end - last);
	}
	return xstrdup(last ? last + 1 : path);
}

static void add_import(struct srcfile *f, const char *src, TSNode spec)
{
	TSNode name = ts_field(spec, "name"), path = ts_field(spec, "path");
	const struct family *fam;
	struct import *im;
	char *p, *quoted;

	if (ts_node_is_null(path))
		return;
	quoted = ts_text(path, src);
	p = xstrndup(quoted + 1, strlen(quoted) >= 2 ? strlen(quoted) - 2 : 0);
	free(quoted);
	fam = go_family(p);
	f->imports = xrealloc(f->imports, (f->nimports + 1) * sizeof(*f->imports));
	im = &f->imports[f->nimports++];
	im->path = p;
	im->family = fam ? fam->id : NULL;
	im->fallback = 0;
	im->hidden = 0;
	if (fam && fam->watched)
		f->watched = 1;
	/* `_` and `.` imports bind no name a call could go through */
	if (!ts_node_is_null(name))
		im->alias = ts_text(name, src);
	else
		im->alias = default_alias(p, fam);
}

void go_read_imports(struct srcfile *f, const char *src, TSNode decl)
{
	TSNode *kids;
	size_t n = ts_named_children(decl, &kids), i;

	for (i = 0; i < n; i++) {
		if (ts_is(kids[i], "import_spec"))
			add_import(f, src, kids[i]);
		else if (ts_is(kids[i], "import_spec_list"))
			go_read_imports(f, src, kids[i]);
	}
	free(kids);
}

/* Read the package clause and imports of @root into @f. */
void go_read_header(struct srcfile *f, const char *src, TSNode root)
{
	TSNode *decls;
	size_t n = ts_named_children(root, &decls), i;

	for (i = 0; i < n; i++) {
		if (ts_is(decls[i], "package_clause")) {
			free(f->pkgname);
			f->pkgname = ts_text(ts_child(decls[i], 0), src);
		} else if (ts_is(decls[i], "import_declaration")) {
			go_read_imports(f, src, decls[i]);
		}
	}
	free(decls);
}

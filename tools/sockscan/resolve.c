// SPDX-License-Identifier: GPL-2.0
/* Expression evaluation (see resolve.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "conf_files.h"
#include "pkgs.h"
#include "resolve.h"
#include "rules.h"
#include "util.h"

/* Constant chains deeper than this are cycles or not worth following. */
#define MAX_DEPTH 24
/* Base classes followed from a class, through modules. */
#define MAX_REEXPORT_DEPTH 8
/* Callers' arguments tried per object resolution (resolve_obj). */
#define CALLER_BUDGET 64

static void eval(struct scan *sc, struct pkg *ctx, const struct expr *e,
		 struct value *v, int depth);

void value_free(struct value *v)
{
	free(v->s);
	free(v->dyn);
	free(v->prefix);
	free(v->port);
	free(v->host);
	memset(v, 0, sizeof(*v));
}

static void set_dyn(struct value *v, const char *what)
{
	value_free(v);
	v->how = RES_DYNAMIC;
	v->dyn = xstrdup(what);
}

/*
 * Unknown, but known to start with @known followed by what @rest (itself
 * unknown) starts with: "https://api.example.com/" + id still names the
 * host and port.
 */
static void set_dyn_after(struct value *v, const char *known, enum resolution how,
			  const struct value *rest)
{
	set_dyn(v, rest->dyn);
	v->prefix = xasprintf("%s%s", known, rest->prefix ? rest->prefix : "");
	v->prefix_how = how > rest->prefix_how ? how : rest->prefix_how;
	v->gap_inside = rest->gap_inside;
}

static void set_str(struct value *v, char *s, enum resolution how)
{
	free(v->s);
	v->s = s;
	if (how > v->how)
		v->how = how;
}

static void worsen(struct value *v, enum resolution how)
{
	if (v->s && how > v->how)
		v->how = how;
}

/* The package a name of @e (EX_QUAL path or EX_CALL s2) lives in. */
static struct pkg *target_pkg(struct scan *sc, struct pkg *ctx, const char *path)
{
	struct pkg *p = path ? pkg_lookup(sc, ctx, path) : ctx;

	if (p)
		pkg_load(sc, p);
	return p;
}

/*
 * Python's "C.self.sock" (an attribute of class C's objects) is the
 * file-wide "self.sock" when C itself never sets it (a base class does).
 */
static const char *self_fallback(const char *name)
{
	const char *p = strstr(name, ".self.");

	return p && !strchr(p + 6, '.') ? p + 1 : NULL;
}

/*
 * The module and name a base class of "bases:C" (py_extract.c) stands
 * for, from module @p: "Base" is in @p, "pkg.mod.Base" in pkg.mod.
 */
static struct pkg *base_pkg(struct scan *sc, struct pkg *p, const char *base,
			    const char **name)
{
	const char *dot = strrchr(base, '.');
	struct pkg *q;
	char *mod;

	*name = dot ? dot + 1 : base;
	if (!dot)
		return p;
	mod = xstrndup(base, dot - base);
	q = pkg_lookup(sc, p, mod);
	free(mod);
	if (q && q->lang == LANG_PY)
		pkg_load(sc, q);
	return q && q->lang == LANG_PY ? q : NULL;
}

/*
 * What a base class of @cls has under @what, searched depth first through
 * the bases, in this module or another one of the tree; *where becomes
 * the module it was found in. @find looks in one base, @name of module
 * @q (@moved: not @cls's own module).
 */
typedef const void *(*base_find_fn)(struct pkg *q, const char *name, const char *what,
				     int moved);

static const void *in_bases(struct scan *sc, struct pkg **where, const char *cls,
			    const char *what, base_find_fn find, int depth)
{
	char *key = xasprintf("bases:%s", cls);
	struct expr *bases = symtab_get(&(*where)->syms, key);
	const void *found = NULL;
	int i;

	free(key);
	for (i = 0; bases && i < bases->nargs && !found && depth < MAX_REEXPORT_DEPTH; i++) {
		const char *name;
		struct pkg *q = base_pkg(sc, *where, bases->a[i]->s, &name);

		if (!q)
			continue;
		found = find(q, name, what, q != *where);
		if (found || (found = in_bases(sc, &q, name, what, find, depth + 1)))
			*where = q;
	}
	return found;
}

/* Base @name's objects' attribute @attr, or that module's self.@attr. */
static const void *find_attr(struct pkg *q, const char *name, const char *attr, int moved)
{
	char *key = xasprintf("%s.self.%s", name, attr);
	const struct expr *def = symtab_get(&q->syms, key);

	free(key);
	if (!def && moved) {
		key = xasprintf("self.%s", attr);
		def = symtab_get(&q->syms, key);
		free(key);
	}
	return def;
}

/* Base @name's method @m. */
static const void *find_method(struct pkg *q, const char *name, const char *m, int moved)
{
	char *key = xasprintf("%s.%s", name, m);
	const struct sym *fn = symtab_find(&q->funcs, key);

	free(key);
	return fn;
}

/*
 * Attribute @attr of class @cls's objects as a base class sets it (class
 * Client(WebSocket), whose __init__ keeps self.sock).
 */
static struct expr *base_attr(struct scan *sc, struct pkg **where, const char *cls,
			      const char *attr)
{
	return (struct expr *)in_bases(sc, where, cls, attr, find_attr, 0);
}

/*
 * Method @m of class @cls that @cls does not define itself: a base
 * class's (self.m() in a subclass calling an inherited factory,
 * circuits' TCPClient re-making self._sock with Client's _create_socket).
 */
static struct sym *base_method(struct scan *sc, struct pkg **where, const char *cls,
			       const char *m)
{
	return (struct sym *)in_bases(sc, where, cls, m, find_method, 0);
}

/*
 * Call @fn on every symbol of the tree's Python modules whose name begins
 * with @prefix and that has a value, with the name past @prefix and the
 * index of its module in sc->pkgs; each module is loaded first.
 */
typedef void (*py_sym_fn)(struct scan *sc, size_t pkg, const char *name,
			  const struct expr *value, void *arg);

static void py_syms_each(struct scan *sc, const char *prefix, py_sym_fn fn, void *arg)
{
	size_t i, b, n = strlen(prefix);

	for (i = 0; i < sc->npkgs; i++) {
		struct pkg *p = sc->pkgs[i];
		struct sym *y;

		if (p->lang != LANG_PY)
			continue;
		pkg_load(sc, p);
		for (b = 0; b < p->syms.nbuckets; b++)
			for (y = p->syms.buckets[b]; y; y = y->next)
				if (!strncmp(y->name, prefix, n) && y->value)
					fn(sc, i, y->name + n, y->value, arg);
	}
}

/* Class @cls of module @pkg, whose bases are @bases: one more subclass of each. */
static void add_subclass(struct scan *sc, size_t pkg, const char *cls,
			 const struct expr *bases, void *arg)
{
	int k;

	(void)arg;
	for (k = 0; k < bases->nargs; k++) {
		struct expr *subs, *sub;
		const char *name;
		struct pkg *bp;
		char *key;

		if (!bases->a[k] || !bases->a[k]->s ||
		    !(bp = base_pkg(sc, sc->pkgs[pkg], bases->a[k]->s, &name)))
			continue;
		key = xasprintf("%s\t%s", bp->path ? bp->path : "", name);
		subs = symtab_get(&sc->subclasses, key);
		if (!subs) {
			subs = expr_new(EX_CALL, NULL);
			symtab_set(&sc->subclasses, key, subs);
		}
		free(key);
		sub = expr_new(EX_IDENT, cls);
		sub->n = (long)pkg;
		expr_add(subs, sub);
	}
}

/*
 * Index the tree's Python classes by each base they name, once: under
 * "module\tBase", an EX_CALL whose arguments are the subclasses, each an
 * EX_IDENT of its name with n its module's index in sc->pkgs.
 */
static void subclasses_build(struct scan *sc)
{
	sc->subclasses_built = 1;
	py_syms_each(sc, "bases:", add_subclass, NULL);
}

/*
 * Attribute @attr of class @cls's objects that neither @cls nor a base
 * sets, but a subclass in another module of the tree does: a mixin base
 * (mastodon's Internals) reading the self.session its subclass keeps.
 * The first subclass found speaks for all; *@where becomes its module.
 */
static struct expr *subclass_attr(struct scan *sc, struct pkg **where, const char *cls,
				  const char *attr)
{
	char *key = xasprintf("%s\t%s", (*where)->path ? (*where)->path : "", cls);
	const struct expr *subs, *def = NULL;
	int k;

	if (!sc->subclasses_built)
		subclasses_build(sc);
	subs = symtab_get(&sc->subclasses, key);
	free(key);
	for (k = 0; subs && k < subs->nargs && !def; k++) {
		struct pkg *q = sc->pkgs[subs->a[k]->n];

		if (q != *where && (def = find_attr(q, subs->a[k]->s, attr, 0)))
			*where = q;
	}
	return (struct expr *)def;
}

/* Dictionaries giving one key, at most, before that key is no configuration's default. */
#define MAX_CONF_ENTRIES 256

/*
 * One more configuration default at @path, under its last key: of module
 * sc->pkgs[@owner], or of a shipped configuration file (@owner -1).
 */
static void conf_entry_add(struct scan *sc, long owner, const char *path,
			   const struct expr *value, const char *dir)
{
	const char *last = strrchr(path, '.');
	struct expr *list, *entry;

	last = last ? last + 1 : path;
	list = symtab_get(&sc->confs, last);
	if (!list) {
		list = expr_new(EX_CALL, NULL);
		symtab_set(&sc->confs, last, list);
	}
	/* so many that a read would scan them all: none is the default (n = 1) */
	if (list->nargs >= MAX_CONF_ENTRIES) {
		list->n = 1;
		return;
	}
	entry = expr_new(EX_KWARG, path);
	entry->n = owner;
	entry->s2 = dir ? xstrdup(dir) : NULL;
	expr_add(entry, expr_copy(value));
	expr_add(list, entry);
}

/* py_conf_dict's "conf:PATH" of module sc->pkgs[@pkg] */
static void add_conf(struct scan *sc, size_t pkg, const char *path, const struct expr *value,
		     void *arg)
{
	(void)arg;
	conf_entry_add(sc, (long)pkg, path, value, NULL);
}

/*
 * One "section.key = value" of a shipped configuration file: a default
 * of no module (n = -1) kept with the file's directory (s2), a number
 * where it is all digits.
 */
static void add_conf_file_entry(void *arg, const char *file, const char *path,
				const char *value)
{
	struct scan *sc = arg;
	struct expr *e;
	char *end, *dir;
	long n = strtol(value, &end, 10);

	if (*end || n < 0 || (value[0] == '0' && value[1])) {
		e = expr_new(EX_STR, NULL);
		e->s = xstrdup(value);
	} else {
		e = expr_new(EX_INT, NULL);
		e->n = n;
	}
	dir = xstrndup(file, strrchr(file, '/') ? (size_t)(strrchr(file, '/') - file) : 0);
	conf_entry_add(sc, -1, path, e, dir);
	free(dir);
	expr_free(e);
}

/*
 * Is the configuration file of directory @dir beside module @ctx (an
 * extension's ext.conf and its backend.py)? Then a one-word key the
 * module reads (ext_config["base_url"]) may be that file's.
 */
static int conf_file_beside(const struct pkg *ctx, const char *dir)
{
	const char *full, *slash;

	if (!dir || !ctx->nfiles)
		return 0;
	full = ctx->files[0]->fullpath;
	slash = strrchr(full, '/');
	return slash && strlen(dir) == (size_t)(slash - full) && !strncmp(full, dir, strlen(dir));
}

/*
 * Does one-word key @key name one setting across a tree? A word of two
 * parts (server_port, REDIS_HOST) does; a bare "port" or "PORT" may be
 * any server's.
 */
static int key_is_specific(const char *key)
{
	const char *sep = strchr(key, '_');

	return sep && sep > key && sep[1] && sep[1] != '_';
}

/*
 * The default of configuration key path @path (conf.server.port reads
 * "server.port"): the one literal that the tree's dictionaries give at
 * every path ending with it, or NULL when none does or two differ. A
 * path of one key ("PORT") names too much across a tree: only module
 * @ctx's own dictionaries count for it, and configuration files in its
 * directory; any module's when the key is specific (cfg.server_port,
 * nrpe-ng's SERVER_CONFIG in defaults.py). *@where: the value's module.
 */
static const struct expr *conf_default(struct scan *sc, struct pkg *ctx, const char *path,
					struct pkg **where)
{
	const char *last = strrchr(path, '.');
	const struct expr *list, *found = NULL;
	size_t n = strlen(path);
	int k;

	if (!ctx || ctx->lang != LANG_PY)
		return NULL;
	if (!sc->confs_built) {
		sc->confs_built = 1;
		py_syms_each(sc, "conf:", add_conf, NULL);
		conf_files_each(sc, add_conf_file_entry, sc);
	}
	list = symtab_get(&sc->confs, last ? last + 1 : path);
	if (list && list->n)
		return NULL;
	for (k = 0; list && k < list->nargs; k++) {
		const struct expr *c = list->a[k], *value = expr_arg(c, 0);
		size_t m = strlen(c->s);

		if (m < n || strcmp(c->s + m - n, path) || (m > n && c->s[m - n - 1] != '.'))
			continue;
		if (!last && (c->n < 0 ? !conf_file_beside(ctx, c->s2) :
				  sc->pkgs[c->n] != ctx && !key_is_specific(path)))
			continue;
		if (value->kind == EX_DYN || (found && !expr_equal(found, value)))
			return NULL;
		found = value;
		*where = c->n < 0 ? ctx : sc->pkgs[c->n];
	}
	return found;
}

/*
 * Value @e (a name, attribute or run-time value) has none here but may
 * read a configuration's written-out default (its s2, conf_default):
 * that, as a default, or 0.
 */
static int eval_conf(struct scan *sc, struct pkg *ctx, const struct expr *e,
		     struct value *v, int depth)
{
	struct pkg *where = ctx;
	const struct expr *d = e->s2 ? conf_default(sc, ctx, e->s2, &where) : NULL;

	if (!d)
		return 0;
	value_free(v);
	/* PORT in the defaults' own module */
	eval(sc, where, d, v, depth + 1);
	worsen(v, RES_ENV_DEFAULT);
	return 1;
}

/* Is function key @fn a plain function or a method of class @cls (not D.m)? */
static int own_param(const char *fn, const char *cls)
{
	size_t n = strlen(cls);

	return !strchr(fn, '.') || (!strncmp(fn, cls, n) && fn[n] == '.');
}

/*
 * Definition of @name in *@p, which becomes the module it was found in.
 * When it comes from a base class of C, *@via is C (the caller frees it):
 * the base's parameters are then bound by C's own calls first.
 */
static struct expr *sym_get(struct scan *sc, struct pkg **p, const char *name, char **via)
{
	const char *self;
	struct expr *def;
	char *cls;

	*via = NULL;
	if (!*p)
		return NULL;
	def = symtab_get(&(*p)->syms, name);
	self = self_fallback(name);
	if (def || !self)
		return def;
	cls = xstrndup(name, self - 1 - name);
	/*
	 * "C.self.sock" that C does not set: a base class's, maybe in another
	 * module, before the file-wide "self.sock", which is whichever class
	 * of the file set it last (circuits' Client and Server both keep
	 * self._sock, from sockets of different kinds)
	 */
	if ((*p)->lang == LANG_PY && (def = base_attr(sc, p, cls, self + 5))) {
		*via = cls;
		return def;
	}
	def = symtab_get(&(*p)->syms, self);
	/*
	 * the file-wide "self.host" that another class D sets from its own
	 * parameter (D.__init__(self, host)) is D's, not C's: C's comes from
	 * a base class, if any
	 */
	if (def && def->kind == EX_PARAM && def->s && !own_param(def->s, cls))
		def = NULL;
	if (!def && (*p)->lang == LANG_PY)
		def = subclass_attr(sc, p, cls, self + 5);
	free(cls);
	return def;
}

static struct expr *held_attr(struct scan *sc, struct pkg *ctx, const char *name,
			       struct pkg **cctx, int depth);

/* The class whose inherited attribute is being resolved (sym_get's @via). */
static __thread const char *caller_cls;

/* Is @c one of the calls made in class caller_cls? */
static int from_caller_cls(const struct caller *c)
{
	return caller_cls && c->call->s2 && !strcmp(c->call->s2, caller_cls);
}

/*
 * Is one of sc->callers[lo .. hi) made in class caller_cls? Then a
 * subclass's own calls of its base's __init__ speak for it alone.
 */
static int any_from_caller_cls(struct scan *sc, size_t lo, size_t hi)
{
	for (; lo < hi; lo++)
		if (from_caller_cls(&sc->callers[lo]))
			return 1;
	return 0;
}

static char *tree_instance(struct scan *sc, struct pkg *ctx, const struct expr *e,
			   struct pkg **cctx, int depth);
static int agree(struct value *acc, struct value *one, int n);

/*
 * "C.self.mail" of "C.self.mail.server", *@rest then "server"; NULL when
 * @name reads no attribute of an attribute of self.
 */
static char *held_head(const char *name, const char **rest)
{
	const char *self = strstr(name, ".self."), *dot;

	if (!self || !(dot = strchr(self + 6, '.')))
		return NULL;
	*rest = dot + 1;
	return xstrndup(name, dot - name);
}

/*
 * Is @arg parameter @param itself, or it with text appended (param +
 * path, as deep as concatenations go)? What a function passes so to
 * itself adds no address to what its other callers pass.
 */
static int is_param_passed_on(const struct expr *arg, const struct expr *param)
{
	while (arg && arg->kind == EX_CONCAT)
		arg = expr_arg(arg, 0);
	return arg && arg->kind == EX_PARAM && !strcmp(arg->s ? arg->s : "", param->s) &&
	       arg->n == param->n;
}

/*
 * What parse_args() returns, as tree_instance names it: an object whose
 * attributes are the options, args.port reading "argparse:port" in the
 * module that parsed them (py_extract.c py_add_argument).
 */
#define NAMESPACE_CLS "argparse.Namespace"

/* "D.self.server": attribute @rest of the objects of class @cls (freed). */
static struct expr *held_next(char *cls, const char *rest)
{
	struct expr *next = expr_new(EX_IDENT, NULL);

	if (!strcmp(cls, NAMESPACE_CLS) && !strchr(rest, '.'))
		next->s = xasprintf("argparse:%s", rest);
	else
		next->s = xasprintf("%s.self.%s", cls, rest);
	free(cls);
	return next;
}

/*
 * "C.self.cls.SERVER" where the branches of C left one of several classes
 * of the tree in self.cls (py_extract.c branch_choice): what their
 * SERVER attributes agree on (aioapns' production and development
 * protocols: port 443, not the host). 0 when self.cls holds no such
 * choice, and @v is left as it is.
 */
static int eval_held_choice(struct scan *sc, struct pkg *ctx, const char *name,
			    struct value *v, int depth)
{
	struct value acc = { 0 }, one;
	struct pkg *p = ctx, *cctx;
	struct expr *def, *next;
	char *head, *via, *cls;
	const char *rest;
	int i, n = 0, ok = 1;

	if (!(head = held_head(name, &rest)))
		return 0;
	def = sym_get(sc, &p, head, &via);
	free(via);
	free(head);
	if (!def || def->kind != EX_CHOICE || def->s)
		return 0;
	for (i = 0; i < def->nargs && ok; i++) {
		cctx = NULL;
		cls = tree_instance(sc, p, def->a[i], &cctx, depth + 1);
		if (!cls) {
			ok = 0;
			break;
		}
		next = held_next(cls, rest);
		memset(&one, 0, sizeof(one));
		eval(sc, cctx, next, &one, depth + 1);
		expr_free(next);
		ok = agree(&acc, &one, n++);
		value_free(&one);
	}
	value_free(v);
	if (!ok || !n) {
		value_free(&acc);
		set_dyn(v, "one of several classes");
		return 1;
	}
	*v = acc;
	return 1;
}

/*
 * "C.self.mail.server" that C does not set: "D.self.server" when C's
 * self.mail holds an object of class D of the tree (held_attr), in D's
 * module; @v is left as it is otherwise.
 */
static void eval_held(struct scan *sc, struct pkg *ctx, const char *name,
		      struct value *v, int depth)
{
	struct pkg *cctx = NULL;
	struct expr *next;

	if (!ctx || ctx->lang != LANG_PY || depth >= MAX_DEPTH)
		return;
	if (eval_held_choice(sc, ctx, name, v, depth))
		return;
	next = held_attr(sc, ctx, name, &cctx, depth);
	if (next)
		eval(sc, cctx, next, v, depth + 1);
	expr_free(next);
}

/*
 * C.attr of a class C of module @p, read from another module (kajongg's
 * Internal.defaultPort): what C's body binds it to, kept as "C.self.attr"
 * (py_assignment). Not a value C's methods give self.attr from their
 * parameters: reading C.attr, the code means the class's own. NULL if none.
 */
static struct expr *class_attr(const struct pkg *p, const char *name)
{
	const char *dot = strchr(name, '.');
	struct expr *def;
	char *key;

	if (!dot || strchr(dot + 1, '.') || p->lang != LANG_PY)
		return NULL;
	key = xasprintf("%.*s.self.%s", (int)(dot - name), name, dot + 1);
	def = symtab_get(&p->syms, key);
	free(key);
	return def && def->kind != EX_PARAM ? def : NULL;
}

/*
 * settings.KEY where settings is a settings proxy (py_settings_proxy,
 * kept as "settings.*"): KEY of the module it passes reads on to, as a
 * default the user's settings may override; NULL for any other name.
 */
static struct expr *proxy_read(const struct pkg *p, const char *name)
{
	const char *dot = strchr(name, '.');
	const struct expr *to;
	struct expr *e;
	char *key;

	if (!dot || strchr(dot + 1, '.') || p->lang != LANG_PY)
		return NULL;
	key = xasprintf("%.*s.*", (int)(dot - name), name);
	to = symtab_get(&p->syms, key);
	free(key);
	if (!to || to->kind != EX_QUAL)
		return NULL;
	e = expr_new(EX_QUAL, NULL);
	e->s = xstrdup(to->s);
	e->s2 = xstrdup(dot + 1);
	return expr_default(e, RES_ENV_DEFAULT);
}

static void eval_name(struct scan *sc, struct pkg *ctx, const struct expr *e,
		      struct value *v, int depth)
{
	struct pkg *p = target_pkg(sc, ctx, e->kind == EX_QUAL ? e->s : NULL);
	const char *name = e->kind == EX_QUAL ? e->s2 : e->s, *saved;
	char *via, *full = NULL;
	struct expr *def, *proxied;

	/* settings.PORT of module m: m's "settings.PORT" (py_settings_update) */
	if (!p && e->kind == EX_QUAL && ctx && ctx->lang == LANG_PY) {
		full = xasprintf("%s.%s", e->s, e->s2);
		p = pkg_py_module_of(sc, ctx, full, &name);
		if (p)
			pkg_load(sc, p);
	}
	def = sym_get(sc, &p, name, &via);
	if (!def && p)
		def = class_attr(p, name);
	if (!def && p && (proxied = proxy_read(p, name))) {
		eval(sc, p, proxied, v, depth + 1);
		expr_free(proxied);
		free(via);
		free(full);
		return;
	}

	if (!def && e->kind == EX_IDENT) {
		eval_held(sc, ctx, name, v, depth);
		if (v->s || v->port || v->prefix)
			return;
	}
	if (!def && e->kind == EX_IDENT && eval_conf(sc, ctx, e, v, depth)) {
		free(via);
		free(full);
		return;
	}
	if (!def) {
		char *what = e->kind == EX_QUAL ? xasprintf("%s.%s", e->s, e->s2) :
			     xstrdup(self_fallback(e->s) ? self_fallback(e->s) : e->s);

		set_dyn(v, what);
		free(what);
		free(via);
		free(full);
		return;
	}
	/* a base's self.x read for a subclass: that subclass's calls of the base's __init__ */
	saved = caller_cls;
	if (via)
		caller_cls = via;
	eval(sc, p, def, v, depth + 1);
	caller_cls = saved;
	free(via);
	free(full);
	worsen(v, RES_CONSTANT);
}

/*
 * Arguments of a helper call, evaluated where the call is, as constants
 * the helper's summary can take in place of its parameters.
 */
static struct expr **const_args(struct scan *sc, struct pkg *ctx,
				const struct expr *call, int depth)
{
	struct expr **args = xcalloc(call->nargs + 1, sizeof(*args));
	int i;

	for (i = 0; i < call->nargs; i++) {
		struct value a = { 0 };

		if (!call->a[i]) {
			args[i] = NULL;
			continue;
		}
		eval(sc, ctx, call->a[i], &a, depth + 1);
		if (a.s) {
			args[i] = expr_default(a.is_int ? expr_int(strtol(a.s, NULL, 10)) :
							  expr_str(a.s), a.how);
		} else {
			args[i] = expr_dyn(a.dyn);
		}
		value_free(&a);
	}
	return args;
}

static void free_args(struct expr **args, int n)
{
	int i;

	for (i = 0; i < n; i++)
		expr_free(args[i]);
	free(args);
}

/*
 * Python parameter @param's own default: what a **kwargs read gives
 * (kwargs.get("port", 25), its a[0]), else the default its def writes
 * out (py_extract.c "default:"), in module @p; NULL when it has none.
 */
static const struct expr *param_default(struct pkg *p, const struct expr *param)
{
	const struct expr *def;
	char *key;

	if (param->nargs)
		return param->a[0];
	key = xasprintf("default:%s:%s", param->s, param->s2 ? param->s2 : "");
	def = symtab_get(&p->syms, key);
	free(key);
	return def;
}

/* Parameters a helper's summary is filled in for, at most (see below). */
#define MAX_HELPER_PARAMS 64

/*
 * Python: each parameter of summary @e (of module @p) that the call left
 * out, in @args (room for MAX_HELPER_PARAMS), given its own default
 * (build_url(target, host=API_HOST) called as build_url("/token")).
 * Returns the count of @args now filled in.
 */
static int fill_defaults(struct pkg *p, const struct expr *e, struct expr **args, int nargs)
{
	const struct expr *def;
	int i;

	if (!e)
		return nargs;
	if (e->kind == EX_PARAM && e->s && e->s2 && e->n >= 0 && e->n < MAX_HELPER_PARAMS &&
	    (e->n >= nargs || !args[e->n])) {
		def = param_default(p, e);
		if (def) {
			for (; nargs <= e->n; nargs++)
				args[nargs] = NULL;
			args[e->n] = expr_copy(def);
		}
		return nargs;
	}
	for (i = 0; i < e->nargs; i++)
		nargs = fill_defaults(p, e->a[i], args, nargs);
	return nargs;
}

/* The helper's summary with the call's arguments in place, or NULL. */
static struct expr *expand_call(struct scan *sc, struct pkg *ctx,
				const struct expr *e, struct pkg **where, int depth)
{
	struct pkg *p = target_pkg(sc, ctx, e->s2);
	struct sym *fn = p ? symtab_find(&p->funcs, e->s) : NULL;
	const char *dot = e->s ? strrchr(e->s, '.') : NULL;
	struct expr **args, *body;
	int nargs;

	if (!fn && p && p->lang == LANG_PY && dot) {
		char *cls = xstrndup(e->s, dot - e->s);

		fn = base_method(sc, &p, cls, dot + 1);
		free(cls);
	}
	if (!fn)
		return NULL;
	args = const_args(sc, ctx, e, depth);
	nargs = e->nargs;
	if (p->lang == LANG_PY && nargs <= MAX_HELPER_PARAMS) {
		args = xrealloc(args, MAX_HELPER_PARAMS * sizeof(*args));
		nargs = fill_defaults(p, fn->value, args, nargs);
	}
	body = expr_subst(fn->value, args, nargs);
	free_args(args, nargs);
	*where = p;
	return body;
}

static void eval_call(struct scan *sc, struct pkg *ctx, const struct expr *e,
		      struct value *v, int depth)
{
	struct pkg *p;
	struct expr *body = expand_call(sc, ctx, e, &p, depth);
	char *what;

	if (!body) {
		what = xasprintf("%s()", e->s);
		set_dyn(v, what);
		free(what);
		return;
	}
	eval(sc, p, body, v, depth + 1);
	worsen(v, RES_CONSTANT);
	expr_free(body);
}

static void eval_env(struct scan *sc, struct pkg *ctx, const struct expr *e,
		     struct value *v, int depth)
{
	struct value name = { 0 };
	char *what;

	if (expr_arg(e, 1)) {
		eval(sc, ctx, e->a[1], v, depth + 1);
		worsen(v, RES_ENV_DEFAULT);
		return;
	}
	eval(sc, ctx, expr_arg(e, 0), &name, depth + 1);
	what = xasprintf("env %s", name.s ? name.s : "?");
	set_dyn(v, what);
	free(what);
	value_free(&name);
}

/* a + b of two integer literals; true when the sum does not fit a long. */
static bool add_overflows(const char *a, const char *b, long *sum)
{
	return __builtin_add_overflow(strtol(a, NULL, 10), strtol(b, NULL, 10), sum);
}

/* Is @v known to start with a path ("/api", "/alerts/" + id)? */
static int starts_path(const struct value *v)
{
	const char *t = v->s ? v->s : v->prefix;

	return t && t[0] == '/';
}

static char *format_url_port(const char *known, const char *rest);

static void eval_concat(struct scan *sc, struct pkg *ctx, const struct expr *e,
			struct value *v, int depth)
{
	struct value a = { 0 }, b = { 0 };
	long sum;

	eval(sc, ctx, expr_arg(e, 0), &a, depth + 1);
	eval(sc, ctx, expr_arg(e, 1), &b, depth + 1);
	if (!a.s) {
		set_dyn_after(v, "", RES_LITERAL, &a);
		/*
		 * a path after an address known in part keeps that part; so does
		 * any text after URLs whose port agreed (if fast: url = "https://a/"
		 * else: url = "https://b/"; url += "upload.php")
		 */
		if (starts_path(&b) || (a.port && a.prefix && strstr(a.prefix, "://"))) {
			v->port = a.port ? xstrdup(a.port) : NULL;
			v->host = a.host ? xstrdup(a.host) : NULL;
		}
		/* f"https://{host}/v1", "http://" + host + ":8080": the host alone unknown */
		if (b.s && a.prefix && !a.gap_inside) {
			free(v->port);
			v->port = format_url_port(a.prefix, b.s);
		}
		v->gap_inside = 1;
	} else if (!b.s) {
		set_dyn_after(v, a.s, a.how, &b);
	} else if (a.is_int && b.is_int && !add_overflows(a.s, b.s, &sum)) {
		set_str(v, xasprintf("%ld", sum), a.how > b.how ? a.how : b.how);
		v->is_int = 1;
	} else if (a.is_int && b.is_int) {
		/* past any port: not a value an address can use */
		set_dyn(v, "an integer sum out of range");
	} else {
		set_str(v, xasprintf("%s%s", a.s, b.s), a.how > b.how ? a.how : b.how);
	}
	value_free(&a);
	value_free(&b);
}

static void eval_format(struct scan *sc, struct pkg *ctx, const struct expr *e,
			struct value *v, int depth);
static void eval_printf(struct scan *sc, struct pkg *ctx, const struct expr *e,
			struct value *v, int depth);

/*
 * The argument str.format field @field names among call @e's (a[1..]:
 * positional ones, then EX_KWARG): "" the next positional one (*next
 * counts), "0" by position, "host" by keyword; NULL for one it cannot
 * read ("{0.host}", "{a[0]}", past the arguments).
 */
static const struct expr *pyformat_arg(const struct expr *e, const char *field, int *next)
{
	int i, pos = -1, k = 0;
	char *end;

	if (!*field) {
		pos = (*next)++;
	} else {
		pos = (int)strtol(field, &end, 10);
		if (end == field || *end)
			pos = -1;
	}
	if (pos < 0 && strpbrk(field, ".[ "))
		return NULL;
	for (i = 1; i < e->nargs; i++) {
		const struct expr *a = e->a[i];
		int kw = a && a->kind == EX_KWARG;

		if (kw && a->s && !strcmp(a->s, SPLAT_ARG))
			return NULL;	/* *args or **kwargs: anything */
		if (pos < 0 && kw && a->s && !strcmp(a->s, field))
			return expr_arg(a, 0);
		if (pos >= 0 && !kw && k++ == pos)
			return a;
	}
	return NULL;
}

/*
 * Unknown @v, a format whose fields are not all known here (url.format(
 * **params), url.format_map(m)): the text of @fmt before its first field
 * (with "{{" read as "{") starts it, when there is any.
 */
static void pyformat_prefix(struct value *v, const char *fmt, enum resolution how)
{
	char *known = xmalloc(strlen(fmt) + 1), *o = known;

	for (; *fmt && !(*fmt == '{' && fmt[1] != '{') && *fmt != '}'; fmt++) {
		if (*fmt == '{')
			fmt++;
		*o++ = *fmt;
	}
	*o = '\0';
	if (*known) {
		free(v->prefix);
		v->prefix = known;
		v->prefix_how = how;
		v->gap_inside = 1;
	} else {
		free(known);
	}
}

/*
 * str.format on a format known only here (self.base_url.format(domain=d),
 * the base URL a subclass gives): read as the printf-style format of
 * pyformat_printf with the arguments its fields name.
 */
static void eval_pyformat(struct scan *sc, struct pkg *ctx, const struct expr *e,
			  struct value *v, int depth)
{
	struct value f = { 0 };
	struct expr *as_printf = NULL;
	char *out = NULL, **fields = NULL;
	int nfields = 0, i, next = 0;

	eval(sc, ctx, expr_arg(e, 0), &f, depth + 1);
	if (f.s)
		out = pyformat_printf(f.s, &fields, &nfields);
	if (!out) {
		set_dyn(v, f.s ? "format" : f.dyn);
		/* (BASE + path).format(**kw), path unknown: BASE's start stands */
		if (!f.s && f.prefix && !strchr(f.prefix, '{'))
			pyformat_prefix(v, f.prefix, f.prefix_how);
		value_free(&f);
		return;
	}
	as_printf = expr_new(EX_FORMAT, NULL);
	expr_add(as_printf, expr_str(out));
	for (i = 0; i < nfields; i++) {
		const struct expr *arg = pyformat_arg(e, fields[i], &next);

		if (!arg) {
			expr_free(as_printf);
			as_printf = NULL;
			break;
		}
		expr_add(as_printf, expr_copy(arg));
	}
	if (as_printf) {
		eval_format(sc, ctx, as_printf, v, depth);
		worsen(v, f.how);
	} else {
		set_dyn(v, "format");
		pyformat_prefix(v, f.s, f.how);
	}
	expr_free(as_printf);
	pyformat_free(fields, nfields);
	free(out);
	value_free(&f);
}

/* fmt.Sprintf / Python %: the verbs an address uses (%s %d %v). */
static void eval_format(struct scan *sc, struct pkg *ctx, const struct expr *e,
			struct value *v, int depth)
{
	if (e->s && !strcmp(e->s, PYFORMAT)) {
		eval_pyformat(sc, ctx, e, v, depth);
		return;
	}
	eval_printf(sc, ctx, e, v, depth);
}

static void eval_printf(struct scan *sc, struct pkg *ctx, const struct expr *e,
			struct value *v, int depth)
{
	struct value f = { 0 };
	enum resolution how;
	char *out = NULL;
	const char *p;
	size_t len = 0;
	int argi = 1;
	FILE *m;

	eval(sc, ctx, expr_arg(e, 0), &f, depth + 1);
	/*
	 * BASE % path % kwargs (bitbucket-api's URLs), path known only at
	 * run time: the start BASE gave, with no directive left in it, is
	 * the start of the result
	 */
	if (!f.s && f.prefix && !strchr(f.prefix, '%')) {
		value_free(v);
		*v = f;
		return;
	}
	if (!f.s) {
		set_dyn(v, f.dyn);
		value_free(&f);
		return;
	}
	how = f.how;
	m = open_memstream(&out, &len);
	for (p = f.s; *p; p++) {
		struct value a = { 0 };

		if (*p != '%') {
			fputc(*p, m);
			continue;
		}
		p++;
		if (*p == '%') {
			fputc('%', m);
			continue;
		}
		/* a format ending in '%': strchr() would match its NUL; %i and %u
		 * are Python's (and C's) other names for %d */
		if (!*p || !strchr("sdiuv", *p) || argi >= e->nargs) {
			fclose(m);
			free(out);
			set_dyn(v, "format");
			value_free(&f);
			return;
		}
		eval(sc, ctx, e->a[argi++], &a, depth + 1);
		if (!a.s) {
			fclose(m);
			set_dyn_after(v, out, how, &a);
			v->port = a.gap_inside ? NULL : format_url_port(out, p + 1);
			v->gap_inside = a.gap_inside || p[1];
			free(out);
			value_free(&a);
			value_free(&f);
			return;
		}
		fputs(a.s, m);
		if (a.how > how)
			how = a.how;
		value_free(&a);
	}
	fclose(m);
	set_str(v, out, how);
	value_free(&f);
}

static void eval_join(struct scan *sc, struct pkg *ctx, const struct expr *e,
		      struct value *v, int depth)
{
	struct value h = { 0 }, p = { 0 };

	eval(sc, ctx, expr_arg(e, 0), &h, depth + 1);
	eval(sc, ctx, expr_arg(e, 1), &p, depth + 1);
	/* Python: None as host means every interface */
	if (!expr_arg(e, 0))
		set_str(&h, xstrdup(""), RES_LITERAL);
	/* a default port, and a host that names its own: the host's */
	if (e->n && h.s && addr_host_has_port(h.s)) {
		*v = h;
		value_free(&p);
		return;
	}
	if (!h.s || !p.s) {
		set_dyn(v, h.s ? p.dyn : h.dyn);
		/*
		 * (host, 8080): the port is known even if the host is not; and
		 * back. Not a default port beside a host that may name its own.
		 */
		if (p.s && !(e->n && !h.s))
			v->port = xstrdup(p.s);
		if (h.s)
			v->host = xstrdup(h.s);
	} else {
		set_str(v, xasprintf(strchr(h.s, ':') ? "[%s]:%s" : "%s:%s", h.s, p.s),
			h.how > p.how ? h.how : p.how);
	}
	value_free(&h);
	value_free(&p);
}

/* Does recorded call @call pass *args or **kwargs? */
static int has_splat(const struct expr *call)
{
	int i;

	for (i = 0; i < call->nargs; i++)
		if (call->a[i] && call->a[i]->kind == EX_KWARG && !strcmp(call->a[i]->s, SPLAT_ARG))
			return 1;
	return 0;
}

/* The port of "host:port" (digits after the last colon), or NULL. */
static const char *addr_port(const char *s)
{
	const char *colon = strrchr(s, ':');

	if (!colon || !colon[1] || colon[1 + strspn(colon + 1, "0123456789")])
		return NULL;
	return colon + 1;
}

/*
 * The port "host:port" or a URL names, a URL's by its scheme when it
 * gives none ("https://api.example.com": 443), as a new string or NULL.
 */
static char *value_port(const char *s)
{
	struct addr a;
	char *port;

	if (!strstr(s, "://"))
		return addr_port(s) ? xstrdup(addr_port(s)) : NULL;
	addr_url(s, &a);
	port = !a.bad && a.port >= 0 ? xasprintf("%d", a.port) : NULL;
	addr_free(&a);
	return port;
}

/*
 * The port of a URL filled in part, where the one unknown piece is in
 * the host: text before it in the host (@known, "https://api" or
 * "http://") and the text after it (@rest, "/v1", ":8080/x",
 * ".mailgun.net/v3/%s"). A port written after the piece is that port
 * (a host that carried its own would make "http://%s:8080/" no URL).
 * With none written, the scheme's holds when the piece is the whole host
 * or labels of it; a piece after a host named in full
 * ("https://h.example.com" + suffix) may be a port: NULL.
 */
static char *format_url_port(const char *known, const char *rest)
{
	const char *auth = strstr(known, "://");
	size_t n = strcspn(rest, "/?#"), digits, k;
	char *url, *port;

	if (!auth || strpbrk(auth + 3, "/?#@:") || memchr(rest, '%', n) || memchr(rest, '@', n))
		return NULL;
	if (rest[0] == ':') {
		digits = strspn(rest + 1, "0123456789");
		if (!digits || digits > 5 || digits + 1 != n)
			return NULL;
		return xstrndup(rest + 1, digits);
	}
	if (n && (rest[0] != '.' || memchr(rest, ':', n)))
		return NULL;
	/* "https://host.example.com" + piece: a port or more host may follow */
	k = strlen(known);
	if (!n && known[k - 1] != '/' && known[k - 1] != '.')
		return NULL;
	url = xasprintf("%sx%.*s/", known, (int)n, rest);
	port = value_port(url);
	free(url);
	return port;
}

/* The port of a URL known up to one unknown piece that ends it ("https://" + host). */
char *resolve_gap_port(const struct value *v)
{
	if (v->s || !v->prefix || v->gap_inside)
		return NULL;
	return format_url_port(v->prefix, "");
}

/*
 * The port a value names when it is known in part: its text's, or its
 * known start's once that holds a URL's whole authority
 * ("https://api.example.com/" + path: 443), as a new string or NULL.
 */
static char *known_port(const struct value *v)
{
	if (v->s)
		return value_port(v->s);
	return addr_url_authority_known(v->prefix) ? value_port(v->prefix) : NULL;
}

/*
 * Its port as a site would take it: also the scheme's for a URL whose one
 * unknown piece ends it ("https://" + a host, resolve_gap_port), so that
 * callers passing it and "https://api.example.com/" agree on 443.
 */
static char *port_or_gap_port(const struct value *v)
{
	char *port = known_port(v);

	return port ? port : resolve_gap_port(v);
}

static void callers_build(struct scan *sc);
static const struct expr *call_arg(const struct expr *call, int pos, const char *kw);
static int callers_of(struct scan *sc, struct pkg *ctx, const char *name,
		      size_t *lo, size_t *hi);

/* The text @v is known to be or to start with, and how, or NULL. */
static const char *known_text(const struct value *v, enum resolution *how)
{
	*how = v->s ? v->how : v->prefix_how;
	return v->s ? v->s : v->prefix;
}

/* Is what @v knows of its text a URL ("https://..." so far)? */
static int is_url(const struct value *v)
{
	enum resolution how;
	const char *t = known_text(v, &how);

	return t && strstr(t, "://") != NULL;
}

/*
 * Fold one caller's value @one of a parameter into @acc (@n so far): the
 * parameter is known when every caller agrees, and keeps the port they
 * agree on beside hosts they do not, and the text they all start with
 * ("/alerts/" + id, "/alerts/info": a path after a known base URL).
 * Returns 0 once nothing is left known.
 */
static int agree(struct value *acc, struct value *one, int n)
{
	enum resolution ha, hb;
	const char *ka, *kb;
	char *common = NULL;
	size_t len = 0;
	int port_ok;

	if (!n) {
		*acc = *one;
		memset(one, 0, sizeof(*one));
		return acc->s || acc->port || acc->prefix || acc->none;
	}
	if (acc->none && one->none)
		return 1;
	acc->none = 0;
	if (acc->flag_truth != one->flag_truth)
		acc->flag_truth = 0;
	/* listen_ip = '' or '::' (v6): every interface either way */
	if (acc->s && one->s && (!strcmp(acc->s, one->s) ||
				 (addr_all_interfaces(acc->s) && addr_all_interfaces(one->s)))) {
		if (one->how > acc->how)
			acc->how = one->how;
		return 1;
	}
	ka = known_text(acc, &ha);
	kb = known_text(one, &hb);
	while (ka && kb && ka[len] && ka[len] == kb[len])
		len++;
	if (len)
		common = xstrndup(ka, len);
	/* "host:port" or a URL so far, now another: keep the port */
	if (!acc->port)
		acc->port = port_or_gap_port(acc);
	if (acc->s) {
		free(acc->s);
		acc->s = NULL;
		acc->how = RES_DYNAMIC;
		free(acc->dyn);
		acc->dyn = xstrdup("function parameter");
	}
	if (!one->port)
		one->port = port_or_gap_port(one);
	port_ok = acc->port && one->port && !strcmp(acc->port, one->port);
	if (!port_ok) {
		free(acc->port);
		acc->port = NULL;
	}
	free(acc->host);
	acc->host = NULL;
	free(acc->prefix);
	acc->prefix = common;
	acc->prefix_how = ha > hb ? ha : hb;
	acc->gap_inside = 1;	/* the callers' texts differ after it */
	return port_ok || common;
}

/* Callers followed for one object (or value held by one), per resolution. */
static __thread int caller_budget;

/*
 * Steps of eval() per resolution. A helper's arguments are evaluated at
 * each call, so a chain of names each made by a call of the one before
 * (A1 = f(A0, A0, A0), A2 = f(A1, A1, A1) ...) costs the argument count
 * to the power of its length: past the budget the value is unknown. The
 * largest resolution in the 16 Python corpora, the fixtures and Go's
 * standard library takes 192 steps (measured on 2026-12-01).
 */
#define EVAL_BUDGET 4096
static __thread int eval_budget;

/* Caller arguments evaluated for one parameter value, per resolution. */
#define VALUE_BUDGET 256
static __thread int value_budget;

/*
 * Where parameter @pos of function @func (of @ctx) is among caller @c's
 * arguments: a static method counts its parameters from 1, as self.m(a)
 * passes them (py_extract.c, "static:"); C.m(a) passes the first as 0.
 */
static int caller_pos(struct pkg *ctx, const char *func, const struct caller *c, int pos)
{
	char *key;
	int is_static;

	if (c->call->n || pos <= 0)
		return pos;
	key = xasprintf("static:%s", func);
	is_static = symtab_find(&ctx->syms, key) != NULL;
	free(key);
	return is_static ? pos - 1 : pos;
}

/*
 * Parameter @e, at position @pos of @call, which passes it no argument of
 * its own but the calling function's *args (SPLAT_ARG with a parameter):
 * the calling function's parameter at the same place among what its
 * callers pass, by @e's name when given by keyword (**kwargs passed on
 * too); NULL when the call's splat is anything else.
 */
static struct expr *forwarded_param(const struct expr *call, int pos, const struct expr *e)
{
	const struct expr *a, *own;
	struct expr *fw;
	int i;

	for (i = 0; i < call->nargs; i++) {
		a = call->a[i];
		if (!a || a->kind != EX_KWARG || !a->s || strcmp(a->s, SPLAT_ARG))
			continue;
		own = expr_arg(a, 0);
		if (!own || own->kind != EX_PARAM || pos < a->n)
			return NULL;
		fw = expr_copy(own);
		fw->n = own->n + (pos - a->n);
		free(fw->s2);
		fw->s2 = e->s2 ? xstrdup(e->s2) : NULL;
		return fw;
	}
	return NULL;
}

/* @e, or with @idx >= 0 its element idx (as EX_INDEX reads it), as a value. */
static void eval_item(struct scan *sc, struct pkg *ctx, const struct expr *e, long idx,
		      struct value *v, int depth)
{
	struct expr wrap = { .kind = EX_INDEX, .n = idx, .nargs = 1 };
	const struct expr *arg[1] = { e };

	if (idx < 0) {
		eval(sc, ctx, e, v, depth);
		return;
	}
	wrap.a = (struct expr **)arg;
	eval(sc, ctx, &wrap, v, depth);
}

/*
 * Python parameter @e of function "f" or method "C.m" as a value (a host,
 * a port, an address): what every caller of the tree passes, when they all
 * pass the same (a literal port handed to a helper that connects), else
 * the parameter's own default when no caller passes it; else unknown.
 * A constructor C(...) binds C.__init__ from its second parameter. With
 * @idx >= 0, element idx of what they pass (bind[0] of a pair).
 */
static void eval_param_at(struct scan *sc, struct pkg *ctx, const struct expr *e, long idx,
			  struct value *v, int depth)
{
	struct value acc = { 0 }, one;
	size_t lo, hi, len = e->s ? strlen(e->s) : 0, i;
	int n = 0, omitted = 0, ok = 1, pass, mine;
	const struct expr *def;

	if (!e->s || !ctx || ctx->lang != LANG_PY) {
		set_dyn(v, "function parameter");
		return;
	}
	if (!sc->callers_built)
		callers_build(sc);
	/* pass 0: calls of e->s; pass 1: of class C for "C.__init__" */
	for (pass = 0; pass < 2 && ok; pass++) {
		int pos = e->n - pass, found, cpos;
		struct expr *fw;
		char *name;

		if (pass && (len <= 9 || strcmp(e->s + len - 9, ".__init__") || !e->n))
			break;
		name = pass ? xstrndup(e->s, len - 9) : xstrdup(e->s);
		found = callers_of(sc, ctx, name, &lo, &hi);
		free(name);
		mine = found && any_from_caller_cls(sc, lo, hi);
		for (i = lo; found && i < hi && ok; i++) {
			const struct expr *arg;

			if (mine && !from_caller_cls(&sc->callers[i]))
				continue;
			cpos = caller_pos(ctx, e->s, &sc->callers[i], pos);
			arg = call_arg(sc->callers[i].call, cpos, e->s2);

			fw = NULL;
			if (!arg && has_splat(sc->callers[i].call)) {
				/* f(*args, **kw): anything, unless f's callers' own */
				arg = fw = forwarded_param(sc->callers[i].call, cpos, e);
				if (!fw) {
					ok = 0;
					break;
				}
			}
			if (!arg) {
				omitted = 1;
				continue;
			}
			/* a recursive call passing the parameter on adds no value,
			 * nor one passing it on extended (url + subkey: a crawl
			 * of the same site) */
			if (is_param_passed_on(arg, e)) {
				expr_free(fw);
				continue;
			}
			if (value_budget-- <= 0) {
				expr_free(fw);
				ok = 0;
				break;
			}
			memset(&one, 0, sizeof(one));
			eval_item(sc, sc->callers[i].ctx, arg, idx, &one, depth + 1);
			ok = agree(&acc, &one, n++);
			value_free(&one);
			expr_free(fw);
		}
	}
	/* a **kwargs read, kwargs.get("port", 25), carries its own default */
	def = param_default(ctx, e);
	/* no caller of the tree: a library's, whose user gives the value */
	if (ok && def && omitted) {
		memset(&one, 0, sizeof(one));
		eval_item(sc, ctx, def, idx, &one, depth + 1);
		/*
		 * url=None where the callers that pass one pass a URL: no
		 * request is made with None (pompem's session_url, used
		 * only when given), so the URL is the parameter's address
		 */
		if (!(one.none && n && is_url(&acc)))
			ok = agree(&acc, &one, n++);
		value_free(&one);
	}
	if (!ok || !n || (omitted && !def)) {
		value_free(&acc);
		set_dyn(v, "function parameter");
		return;
	}
	value_free(v);
	*v = acc;
	worsen(v, RES_CONSTANT);
}

static void eval_param(struct scan *sc, struct pkg *ctx, const struct expr *e,
		       struct value *v, int depth)
{
	eval_param_at(sc, ctx, e, -1, v, depth);
}

static void eval_split_part(struct scan *sc, struct pkg *ctx, const struct expr *e,
			    struct value *v, int depth);
static const struct expr *if_branch(struct scan *sc, struct pkg *ctx, const struct expr *e,
				    enum resolution *how, int depth);

/*
 * bind[0] or bind[1] (EX_INDEX): the host or the port of the (host, port)
 * pair the name, the parameter's callers, or the option's or setting's
 * default hold; unknown for anything else.
 */
static void eval_index(struct scan *sc, struct pkg *ctx, const struct expr *e,
		       struct value *v, int depth)
{
	const struct expr *in = expr_arg(e, 0), *def, *taken;
	struct expr *body;
	struct pkg *p = ctx;
	enum resolution how;
	char *via;

	if (e->s) {
		eval_split_part(sc, ctx, e, v, depth);
		return;
	}
	switch (in ? in->kind : EX_DYN) {
	case EX_JOIN:
		if (!expr_arg(in, e->n))
			set_str(v, xstrdup(""), RES_LITERAL);	/* (None, port): every interface */
		else
			eval(sc, ctx, expr_arg(in, e->n), v, depth + 1);
		return;
	case EX_PARAM:
		eval_param_at(sc, ctx, in, e->n, v, depth + 1);
		return;
	case EX_IDENT:
		def = sym_get(sc, &p, in->s, &via);
		free(via);
		if (!def)
			break;
		eval_item(sc, p, def, e->n, v, depth + 1);
		return;
	case EX_FLAG:
	case EX_DEFAULT:
		if (!in->nargs)
			break;
		eval_item(sc, ctx, expr_arg(in, 0), e->n, v, depth + 1);
		worsen(v, in->kind == EX_FLAG ? RES_FLAG_DEFAULT : (enum resolution)in->n);
		return;
	case EX_CALL:
		/* bind = parse_bind(opts.bind); bind[0]: of what the helper returns */
		body = expand_call(sc, ctx, in, &p, depth);
		if (!body)
			break;
		eval_item(sc, p, body, e->n, v, depth + 1);
		worsen(v, RES_CONSTANT);
		expr_free(body);
		return;
	case EX_CHOICE:
		taken = in->s && !strcmp(in->s, IF_CHOICE) ? if_branch(sc, ctx, in, &how, depth) : NULL;
		if (!taken)
			break;
		eval_item(sc, ctx, taken, e->n, v, depth + 1);
		worsen(v, how);
		return;
	default:
		break;
	}
	set_dyn(v, "an element of a pair");
}

/*
 * host, port = bind.split(":") (EX_INDEX with s): part e->n of the text
 * split in two at its one separator; unknown when the text is, or when
 * it does not split in two (Python would raise).
 */
static void eval_split_part(struct scan *sc, struct pkg *ctx, const struct expr *e,
			    struct value *v, int depth)
{
	struct value whole = { 0 };
	const char *at;
	enum resolution how;

	eval(sc, ctx, expr_arg(e, 0), &whole, depth + 1);
	at = whole.s ? strstr(whole.s, e->s) : NULL;
	if (!at || strstr(at + strlen(e->s), e->s) || e->n < 0 || e->n > 1) {
		value_free(&whole);
		set_dyn(v, "a part of a split text");
		return;
	}
	how = whole.how;
	value_free(v);
	if (e->n == 0)
		set_str(v, xstrndup(whole.s, at - whole.s), how);
	else
		set_str(v, xstrdup(at + strlen(e->s)), how);
	value_free(&whole);
}

/*
 * One of several values chosen at run time (a dict's values looked up by
 * a key known then, or what the branches of an if statement left in a
 * name): what they agree on, as for a parameter's callers (shodan's
 * {'shodan': self.base_url, 'exploits': ...}.get(service): two https://
 * URLs, so port 443 beside an unknown host). None is no address: a
 * branch that sets it (host = None where a unix path is used instead)
 * leaves the others'.
 */
/*
 * Is @e a parameter of a method no code of the tree calls (an option
 * callback: def option(self, opt, optarg): self.server = optarg), so
 * given only at run time, over whatever default the other choices set?
 */
static int param_of_uncalled(struct scan *sc, struct pkg *ctx, const struct expr *e)
{
	size_t lo, hi;

	if (e->kind != EX_PARAM || !e->s || !ctx || ctx->lang != LANG_PY ||
	    !strchr(e->s, '.') || str_has_suffix(e->s, ".__init__"))
		return 0;
	if (!sc->callers_built)
		callers_build(sc);
	return !callers_of(sc, ctx, e->s, &lo, &hi);
}

static void eval_choice(struct scan *sc, struct pkg *ctx, const struct expr *e, int first,
			struct value *v, int depth)
{
	struct value acc = { 0 }, one;
	int i, n = 0, ok = 1, overridden = 0;

	for (i = first; i < e->nargs && ok; i++) {
		if (!e->a[i])
			continue;	/* a branch that leaves the name unbound */
		/* self.server = SERVER, and an option callback's optarg: the default */
		if (e->nargs > 1 && param_of_uncalled(sc, ctx, e->a[i])) {
			overridden = 1;
			continue;
		}
		memset(&one, 0, sizeof(one));
		eval(sc, ctx, e->a[i], &one, depth + 1);
		if (!one.none || (!n && i == e->nargs - 1))
			ok = agree(&acc, &one, n++);
		value_free(&one);
	}
	if (!ok || !n) {
		value_free(&acc);
		set_dyn(v, "one of several values");
		return;
	}
	value_free(v);
	*v = acc;
	if (overridden)
		worsen(v, RES_ENV_DEFAULT);
}

/*
 * What test @t (EX_TEST) gives where its value is known: 1 true, 0
 * false, -1 not known. Of True and False, only an option's default is
 * taken (flag_truth): a module's HAVE_X = True / except: HAVE_X = False
 * is not known.
 */
static int eval_test(struct scan *sc, struct pkg *ctx, const struct expr *t,
		     enum resolution *how, int depth)
{
	struct value v = { 0 };
	const char *form = t->s ? t->s : "";
	const struct expr *lit = expr_arg(t, 1);
	int yes = -1;

	eval(sc, ctx, expr_arg(t, 0), &v, depth + 1);
	if (!strcmp(form, "in") || !strcmp(form, "not in")) {
		if (v.s && lit && lit->kind == EX_STR && lit->s)
			yes = strstr(v.s, lit->s) != NULL;
		if (yes >= 0 && !strcmp(form, "not in"))
			yes = !yes;
	} else if (!strcmp(form, "is none") || !strcmp(form, "is not none")) {
		if (v.none || v.s)
			yes = v.none;
		if (yes >= 0 && !strcmp(form, "is not none"))
			yes = !yes;
	} else {
		if (v.none || v.flag_truth == 1)
			yes = 0;
		else if (v.flag_truth == 2)
			yes = 1;
		else if (v.s)
			yes = *v.s && !(v.is_int && !strcmp(v.s, "0"));
		if (yes >= 0 && !strcmp(form, "not"))
			yes = !yes;
	}
	/* known by a literal's text: what an option's default says */
	*how = v.s ? v.how : RES_FLAG_DEFAULT;
	value_free(&v);
	return yes;
}

/*
 * The value IF_CHOICE @e takes where its test is known (an option's
 * default), with how it is known; NULL when the test is not.
 */
static const struct expr *if_branch(struct scan *sc, struct pkg *ctx, const struct expr *e,
				    enum resolution *how, int depth)
{
	int yes = e->nargs == 3 ? eval_test(sc, ctx, e->a[0], how, depth) : -1;

	return yes < 0 ? NULL : e->a[yes ? 1 : 2];
}

/*
 * if opts.local: url = LOCAL else: url = REMOTE (IF_CHOICE): the branch
 * the test takes where it is known (if_branch), else what the two agree
 * on.
 */
static void eval_if_choice(struct scan *sc, struct pkg *ctx, const struct expr *e,
			   struct value *v, int depth)
{
	enum resolution how;
	const struct expr *taken = if_branch(sc, ctx, e, &how, depth);

	if (!taken) {
		eval_choice(sc, ctx, e, 1, v, depth);
		return;
	}
	eval(sc, ctx, taken, v, depth + 1);
	worsen(v, how);
}

/*
 * opt.port or 1982 (EX_CHOICE OR_DEFAULT): the option's value where it is
 * known and not None, else the default, as an option's default.
 */
static void eval_option_default(struct scan *sc, struct pkg *ctx, const struct expr *e,
			    struct value *v, int depth)
{
	eval(sc, ctx, expr_arg(e, 0), v, depth + 1);
	if (v->s && *v->s)
		return;
	value_free(v);
	eval(sc, ctx, expr_arg(e, 1), v, depth + 1);
	worsen(v, RES_ENV_DEFAULT);
}

static char *tree_instance(struct scan *sc, struct pkg *ctx, const struct expr *e,
			   struct pkg **cctx, int depth);
static struct expr *module_attr(struct scan *sc, struct pkg *ctx, const struct expr *e,
				struct pkg **mp, int depth);

/*
 * What attribute @e->s of object @e->a[0] holds (EX_ATTR), as the name
 * "C.self.attr" in class C's module *@cctx, when the object is an
 * instance of C, a class of the tree; NULL otherwise.
 */
/*
 * Was object @obj of class @cls (module @cp) given its fields by its
 * constructor (py_extract's "fields:C": a dataclass made with arguments)?
 * Its attributes are then not the class's defaults. @obj is followed
 * through one name; an object made elsewhere may have been given any.
 */
static int fields_given(struct scan *sc, struct pkg *ctx, const struct expr *obj,
			struct pkg *cp, const char *cls)
{
	char *key = xasprintf("fields:%s", cls), *via;
	struct pkg *p = ctx;
	int found = symtab_find(&cp->syms, key) != NULL, i;

	free(key);
	if (!found)
		return 0;
	if (obj && obj->kind == EX_IDENT) {
		const struct expr *def = sym_get(sc, &p, obj->s, &via);

		free(via);
		if (!def)
			return 0;	/* the class itself: its defaults */
		obj = def;
	}
	if (!obj || obj->kind != EX_CALL || obj->n)
		return 1;
	for (i = 0; i < obj->nargs; i++)
		if (obj->a[i])
			return 1;
	return 0;
}

static struct expr *attr_held(struct scan *sc, struct pkg *ctx, const struct expr *e,
			      struct pkg **cctx, int depth)
{
	char *cls = tree_instance(sc, ctx, expr_arg(e, 0), cctx, depth + 1);

	if (!cls)
		return NULL;
	if (fields_given(sc, ctx, expr_arg(e, 0), *cctx, cls)) {
		free(cls);
		return NULL;
	}
	return held_next(cls, e->s);
}

static void eval_attr(struct scan *sc, struct pkg *ctx, const struct expr *e,
		      struct value *v, int depth)
{
	struct pkg *cctx = NULL;
	struct expr *held = attr_held(sc, ctx, e, &cctx, depth);

	if (!held)
		held = module_attr(sc, ctx, e, &cctx, depth);
	if (!held) {
		if (!eval_conf(sc, ctx, e, v, depth))
			set_dyn(v, e->s);
		return;
	}
	eval(sc, cctx, held, v, depth + 1);
	expr_free(held);
}

/*
 * Part e->s of URL a[0] as urlsplit() gives it: the hostname, the port
 * it writes out (else a[1], else None), or the netloc. Known when the
 * URL's authority is, even if what follows it is not.
 */
static void eval_urlpart(struct scan *sc, struct pkg *ctx, const struct expr *e,
			 struct value *v, int depth)
{
	struct value url = { 0 };
	enum resolution how;
	const char *text;
	struct addr a;

	eval(sc, ctx, expr_arg(e, 0), &url, depth + 1);
	text = url.s ? url.s : addr_url_authority_known(url.prefix) ? url.prefix : NULL;
	how = url.s ? url.how : url.prefix_how;
	if (!e->s || !text || !strstr(text, "://")) {
		set_dyn(v, e->s ? e->s : "a split URL");
		value_free(&url);
		return;
	}
	addr_url(text, &a);
	value_free(v);
	if (!strcmp(e->s, "port") && (a.port < 0 || a.port_defaulted)) {
		if (expr_arg(e, 1)) {
			eval(sc, ctx, expr_arg(e, 1), v, depth + 1);
			worsen(v, how);
		} else {
			set_dyn(v, "None");
			v->none = 1;
		}
	} else if (!strcmp(e->s, "port")) {
		set_str(v, xasprintf("%d", a.port), how);
		v->is_int = 1;
	} else if (!a.host || !*a.host) {
		set_dyn(v, "None");
		v->none = 1;
	} else if (!strcmp(e->s, "netloc") && a.port >= 0 && !a.port_defaulted) {
		set_str(v, xasprintf(strchr(a.host, ':') ? "[%s]:%d" : "%s:%d", a.host, a.port), how);
	} else {
		set_str(v, xstrdup(a.host), how);
	}
	addr_free(&a);
	value_free(&url);
}

/*
 * s[n:] of a text known in full, or abspath(p) of a path known to be
 * absolute (its normal form is left as written).
 */
/*
 * @text with the characters of @chars (whitespace when NULL) cut from its
 * start (@side "strip" or "lstrip") and its end ("strip" or "rstrip"), as
 * Python's str.strip() and its two halves.
 */
static char *strip_text(const char *text, const char *chars, const char *side)
{
	const char *end = text + strlen(text);

	if (!chars)
		chars = " \t\n\r\v\f";
	if (strcmp(side, "rstrip"))
		text += strspn(text, chars);
	if (strcmp(side, "lstrip"))
		while (end > text && strchr(chars, end[-1]))
			end--;
	return xstrndup(text, end - text);
}

static void eval_slice(struct scan *sc, struct pkg *ctx, const struct expr *e,
		       struct value *v, int depth)
{
	struct value whole = { 0 }, chars = { 0 };

	eval(sc, ctx, expr_arg(e, 0), &whole, depth + 1);
	value_free(v);
	if (e->s && strstr(e->s, "strip")) {
		if (expr_arg(e, 1))
			eval(sc, ctx, expr_arg(e, 1), &chars, depth + 1);
		if (whole.s && (!expr_arg(e, 1) || chars.s))
			set_str(v, strip_text(whole.s, chars.s, e->s), whole.how);
		else
			set_dyn(v, "a stripped text");
		value_free(&chars);
	} else if (!whole.s) {
		set_dyn(v, e->s ? "a path made absolute" : "a slice of a text");
	} else if (e->s) {
		if (whole.s[0] == '/')
			set_str(v, xstrdup(whole.s), whole.how);
		else
			set_dyn(v, "a path made absolute");
	} else if ((size_t)e->n <= strlen(whole.s)) {
		set_str(v, xstrdup(whole.s + e->n), whole.how);
	} else {
		set_dyn(v, "a slice of a text");
	}
	value_free(&whole);
}

static void eval(struct scan *sc, struct pkg *ctx, const struct expr *e,
		 struct value *v, int depth)
{
	if (!e) {
		set_dyn(v, "None");
		v->none = ctx && ctx->lang == LANG_PY;
		return;
	}
	if (depth > MAX_DEPTH) {
		set_dyn(v, "definition too deep");
		return;
	}
	/* a literal costs nothing: the port beside a costly host survives */
	if (e->kind != EX_STR && e->kind != EX_INT && --eval_budget < 0) {
		set_dyn(v, "too costly to evaluate");
		return;
	}
	switch (e->kind) {
	case EX_STR:
		set_str(v, xstrdup(e->s), RES_LITERAL);
		break;
	case EX_INT:
		set_str(v, xasprintf("%ld", e->n), RES_LITERAL);
		v->is_int = 1;
		break;
	case EX_IDENT:
	case EX_QUAL:
		eval_name(sc, ctx, e, v, depth);
		break;
	case EX_CALL:
		eval_call(sc, ctx, e, v, depth);
		break;
	case EX_CONCAT:
		eval_concat(sc, ctx, e, v, depth);
		break;
	case EX_FORMAT:
		eval_format(sc, ctx, e, v, depth);
		break;
	case EX_JOIN:
		eval_join(sc, ctx, e, v, depth);
		break;
	case EX_ENV:
		eval_env(sc, ctx, e, v, depth);
		break;
	case EX_FLAG:
		/* sys.argv[1] with no fallback: s names it (default=None is one) */
		if (!e->nargs && e->s) {
			set_dyn(v, e->s);
			break;
		}
		eval(sc, ctx, expr_arg(e, 0), v, depth + 1);
		worsen(v, RES_FLAG_DEFAULT);
		if (!v->s && v->dyn)
			v->flag_truth = !strcmp(v->dyn, "False") ? 1 : !strcmp(v->dyn, "True") ? 2 : 0;
		break;
	case EX_TOSTR:
		eval(sc, ctx, expr_arg(e, 0), v, depth + 1);
		v->is_int = 0;
		break;
	case EX_DEFAULT:
		eval(sc, ctx, expr_arg(e, 0), v, depth + 1);
		worsen(v, (enum resolution)e->n);
		break;
	case EX_PARAM:
		eval_param(sc, ctx, e, v, depth);
		break;
	case EX_OBJ:
		set_dyn(v, e->s);
		break;
	case EX_DYN:
		if (eval_conf(sc, ctx, e, v, depth))
			break;
		set_dyn(v, e->s);
		v->none = e->n == 1;
		break;
	case EX_KWARG:
		eval(sc, ctx, expr_arg(e, 0), v, depth + 1);
		break;
	case EX_MCALL:
		set_dyn(v, e->s);
		break;
	case EX_CHOICE:
		if (e->s && !strcmp(e->s, OR_DEFAULT))
			eval_option_default(sc, ctx, e, v, depth);
		else if (e->s && !strcmp(e->s, IF_CHOICE))
			eval_if_choice(sc, ctx, e, v, depth);
		else
			eval_choice(sc, ctx, e, 0, v, depth);
		break;
	case EX_TEST:
		set_dyn(v, "a test");
		break;
	case EX_ATTR:
		eval_attr(sc, ctx, e, v, depth);
		break;
	case EX_URLPART:
		eval_urlpart(sc, ctx, e, v, depth);
		break;
	case EX_SLICE:
		eval_slice(sc, ctx, e, v, depth);
		break;
	case EX_INDEX:
		eval_index(sc, ctx, e, v, depth);
		break;
	}
}

void resolve_eval(struct scan *sc, struct pkg *ctx, const struct expr *e,
		  struct value *v)
{
	memset(v, 0, sizeof(*v));
	value_budget = VALUE_BUDGET;
	eval_budget = EVAL_BUDGET;
	caller_budget = CALLER_BUDGET;	/* for a value held by an object (eval_held) */
	caller_cls = NULL;
	eval(sc, ctx, e, v, 0);
}

static int cmp_caller(const void *a, const void *b)
{
	return strcmp(((const struct caller *)a)->key, ((const struct caller *)b)->key);
}

/*
 * The module and name callee @key of module @p stands for: the longest
 * prefix of "pkg.mod.C.__init__" that is a module of the tree, else @p.
 */
static struct pkg *callee_pkg(struct scan *sc, struct pkg *p, const char *key,
			      const char **name)
{
	struct pkg *q = pkg_py_module_of(sc, p, key, name);

	return q ? q : p;
}

/* Longest chain of re-exports a callee is followed through. */
#define MAX_CALLEE_REEXPORTS 8

/*
 * The module and name (*@out, the caller frees it) callee @key of module
 * @p stands for, through re-exports:
 * `from pkg.services import AccountService`, where pkg/services/__init__.py
 * imports it from .account, calls the class of pkg/services/account.py,
 * so that its constructor's parameters see what the call passes.
 */
static struct pkg *callee_home(struct scan *sc, struct pkg *p, const char *key, char **out)
{
	char *cur = xstrdup(key);
	const char *name;
	struct pkg *q = callee_pkg(sc, p, cur, &name);
	int depth;

	for (depth = 0; depth < MAX_CALLEE_REEXPORTS && name != cur; depth++) {
		const char *tail = strchr(name, '.'), *via, *vname;
		char *next;

		via = pkg_import_of(q, name, tail ? (size_t)(tail - name) : strlen(name));
		if (!via)
			break;
		next = xasprintf("%s%s", via, tail ? tail : "");
		/* only into a module of the tree: an outside class has no callers */
		if (!pkg_py_module_of(sc, p, next, &vname)) {
			free(next);
			break;
		}
		free(cur);
		cur = next;
		q = callee_pkg(sc, p, cur, &name);
	}
	*out = xstrdup(name);
	free(cur);
	return q;
}

static void add_caller(struct scan *sc, size_t *cap, struct pkg *p, const char *key,
		       const struct expr *call)
{
	struct caller *c;
	char *name;
	struct pkg *q = callee_home(sc, p, key, &name);

	grow((void **)&sc->callers, cap, sc->ncallers + 1, sizeof(*sc->callers));
	c = &sc->callers[sc->ncallers++];
	c->key = xasprintf("%s\t%s", q->path ? q->path : "", name);
	free(name);
	c->ctx = p;
	c->call = call;
}

/* Does class name @cls end with @hint, case aside (TwythonStreamer, "streamer")? */
static int class_named(const char *cls, const char *hint)
{
	size_t n = strlen(cls), h = strlen(hint);

	return h && n >= h && !strcasecmp(cls + n - h, hint);
}

/*
 * "module.C.m" of the class of the tree that defines method m, for the
 * call "*.hint.m" (py_extract.c any_class_method_key): the only one, or
 * else the only one whose name ends with hint; NULL when there is none.
 */
static char *only_method_def(struct scan *sc, const char *callee)
{
	const char *m = strchr(callee, '.');
	char *hint = xstrndup(callee, m - callee), *key = xasprintf(METHDEF "%s", m + 1);
	char *found = NULL, *named = NULL;
	int defs = 0, nnamed = 0;
	size_t i;

	for (i = 0; i < sc->npkgs; i++) {
		struct pkg *p = sc->pkgs[i];
		const struct expr *classes = NULL;
		int k;

		if (p->lang == LANG_PY)
			classes = symtab_get(&p->syms, key);
		for (k = 0; classes && k < classes->nargs; k++) {
			const char *c = classes->a[k]->s;

			defs++;
			if (!found)
				found = xasprintf("%s.%s%s", p->path, c, m);
			if (class_named(c, hint) && !nnamed++)
				named = xasprintf("%s.%s%s", p->path, c, m);
		}
	}
	free(hint);
	free(key);
	if (defs == 1) {
		free(named);
		return found;
	}
	free(found);
	if (nnamed == 1)
		return named;
	free(named);
	return NULL;
}

/*
 * The calls recorded under "calls:@callee" in module @pkg: callers of
 * @callee; a method called on an object of a class not known there
 * ("*.m") is the one class's of the tree that defines m, if only one does.
 */
static void add_callers(struct scan *sc, size_t pkg, const char *callee,
			const struct expr *calls, void *cap)
{
	char *only = NULL;
	int k;

	if (str_has_prefix(callee, ANY_CLASS) &&
	    !(only = only_method_def(sc, callee + strlen(ANY_CLASS))))
		return;	/* no such method in the tree, or no telling whose */
	for (k = 0; k < calls->nargs; k++)
		if (calls->a[k])
			add_caller(sc, cap, sc->pkgs[pkg], only ? only : callee, calls->a[k]);
	free(only);
}

/* Index every "calls:" record of the Python modules by callee. */
static void callers_build(struct scan *sc)
{
	size_t cap = 0;

	sc->callers_built = 1;
	py_syms_each(sc, "calls:", add_callers, &cap);
	if (sc->ncallers)
		qsort(sc->callers, sc->ncallers, sizeof(*sc->callers), cmp_caller);
}

/* Argument @pos (or keyword @kw) of recorded call @call, or NULL. */
static const struct expr *call_arg(const struct expr *call, int pos, const char *kw)
{
	int i, p = 0;

	for (i = 0; kw && i < call->nargs; i++)
		if (call->a[i] && call->a[i]->kind == EX_KWARG && !strcmp(call->a[i]->s, kw))
			return expr_arg(call->a[i], 0);
	for (i = 0; pos >= 0 && i < call->nargs; i++) {
		if (call->a[i] && call->a[i]->kind == EX_KWARG)
			continue;
		if (p++ == pos)
			return call->a[i];
	}
	return NULL;
}


static struct expr *find_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
			     struct pkg **octx, int depth);

/*
 * The recorded calls of @name (a function, class or method of module
 * @ctx): sc->callers[*lo .. *hi). 0 when there is none.
 */
static int callers_of(struct scan *sc, struct pkg *ctx, const char *name,
		      size_t *lo, size_t *hi)
{
	struct caller want = { 0 };

	*lo = 0;
	*hi = sc->ncallers;
	if (!sc->ncallers)
		return 0;	/* sc->callers is NULL: no pointer arithmetic on it */
	want.key = xasprintf("%s\t%s", ctx->path ? ctx->path : "", name);
	while (*lo < *hi) {	/* first record of the key */
		size_t mid = (*lo + *hi) / 2;

		if (cmp_caller(&sc->callers[mid], &want) < 0)
			*lo = mid + 1;
		else
			*hi = mid;
	}
	for (*hi = *lo; *hi < sc->ncallers && !cmp_caller(&sc->callers[*hi], &want); (*hi)++)
		;
	free(want.key);
	return *hi > *lo;
}

/*
 * Do @a (in @actx) and @b (in @bctx) give the same known value? With
 * @lenient, one that is not known does not disagree (a transport one
 * caller leaves open).
 */
static int same_value(struct scan *sc, struct pkg *actx, const struct expr *a,
		      struct pkg *bctx, const struct expr *b, int lenient, int depth)
{
	struct value va, vb;
	int same;

	if (!a || !b)
		return (!a && !b) || (lenient && !b);
	memset(&va, 0, sizeof(va));
	memset(&vb, 0, sizeof(vb));
	eval(sc, actx, a, &va, depth + 1);
	eval(sc, bctx, b, &vb, depth + 1);
	same = (va.s && vb.s && !strcmp(va.s, vb.s)) || (lenient && va.s && !vb.s);
	value_free(&va);
	value_free(&vb);
	return same;
}

/*
 * Object @obj one caller passes, @other (of the same type) another one:
 * the address they do not agree on, and the transport they give
 * differently, become unknown, so one site taking the sockets of two
 * callers is not reported as the first's.
 */
static void merge_obj(struct scan *sc, struct expr *obj, struct pkg *octx,
		      const struct expr *other, struct pkg *other_ctx, int depth)
{
	int i;

	for (i = 0; i < obj->nargs && i < other->nargs && i < 2; i++) {
		if (same_value(sc, octx, obj->a[i], other_ctx, other->a[i], i == 1, depth))
			continue;
		expr_free(obj->a[i]);
		obj->a[i] = expr_dyn("callers differ");
	}
}

/* The first object a caller of @name (in @ctx) passes as @pos / @kw. */
static struct expr *callers_obj(struct scan *sc, struct pkg *ctx, const char *name,
				int pos, const char *kw, struct pkg **octx, int depth)
{
	struct caller *c;
	struct expr *obj = NULL;
	size_t lo, hi;
	int mine;

	if (!callers_of(sc, ctx, name, &lo, &hi))
		return NULL;
	mine = any_from_caller_cls(sc, lo, hi);
	for (c = sc->callers + lo; !obj && c < sc->callers + hi && caller_budget > 0; c++) {
		if (mine && !from_caller_cls(c))
			continue;
		caller_budget--;
		obj = find_obj(sc, c->ctx, call_arg(c->call, caller_pos(ctx, name, c, pos), kw),
			       octx, depth + 1);
	}
	/* the other callers: an address or transport they do not agree on is unknown */
	for (; obj && c < sc->callers + hi && caller_budget > 0; c++) {
		struct pkg *other_ctx = NULL;
		struct expr *other;

		if (mine && !from_caller_cls(c))
			continue;
		caller_budget--;
		other = find_obj(sc, c->ctx, call_arg(c->call, caller_pos(ctx, name, c, pos), kw),
				 &other_ctx, depth + 1);
		if (other && !strcmp(other->s, obj->s))
			merge_obj(sc, obj, *octx, other, other_ctx, depth);
		expr_free(other);
	}
	return obj;
}

/*
 * Parameter @e of method C.m that overrides a base's m: what the base's
 * own self.m(...) calls pass (gunicorn's UnixSocket.bind(self, sock),
 * called as self.bind(sock) in BaseSocket). Bases followed one level.
 */
static struct expr *base_callers_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
				     struct pkg **octx, int depth)
{
	const char *dot = strrchr(e->s, '.');
	struct expr *bases, *obj = NULL;
	char *key;
	int i;

	if (!dot)
		return NULL;
	key = xasprintf("bases:%.*s", (int)(dot - e->s), e->s);
	bases = symtab_get(&ctx->syms, key);
	free(key);
	for (i = 0; bases && i < bases->nargs && !obj; i++) {
		const char *name;
		struct pkg *q = base_pkg(sc, ctx, bases->a[i]->s, &name);

		if (!q)
			continue;
		key = xasprintf("%s%s", name, dot);
		obj = callers_obj(sc, q, key, e->n, e->s2, octx, depth);
		free(key);
	}
	return obj;
}

/*
 * Python parameter @e of function "f" or method "C.m": the object its
 * callers in the tree pass (a requests.Session handed to a constructor,
 * so self.session = session is one). A constructor C(...) binds C.__init__
 * from its second parameter, self being the first.
 */
static struct expr *param_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
			      struct pkg **octx, int depth)
{
	size_t len = strlen(e->s);
	struct expr *obj;
	char *cls;

	if (!sc->callers_built)
		callers_build(sc);
	obj = callers_obj(sc, ctx, e->s, e->n, e->s2, octx, depth);
	if (obj)
		return obj;
	if (len <= 9 || strcmp(e->s + len - 9, ".__init__") || e->n < 1)
		return base_callers_obj(sc, ctx, e, octx, depth);
	cls = xstrndup(e->s, len - 9);
	obj = callers_obj(sc, ctx, cls, e->n - 1, e->s2, octx, depth);
	free(cls);
	return obj;
}

typedef char *(*arg_fn)(struct scan *sc, struct pkg *ctx, const struct expr *e,
		       struct pkg **cctx, int depth);

/*
 * What @fn makes of the argument the callers of parameter @e pass, the
 * first that gives something: a class of the tree (tree_instance), a
 * module-level name (module_name).
 */
static char *callers_first(struct scan *sc, struct pkg *ctx, const struct expr *e,
			   struct pkg **cctx, int depth, arg_fn fn)
{
	size_t len = strlen(e->s), lo, hi;
	char *cls = NULL, *ctor = NULL;
	const struct caller *c;
	int pos = e->n;

	if (!sc->callers_built)
		callers_build(sc);
	if (!callers_of(sc, ctx, e->s, &lo, &hi)) {
		/* a constructor C(...) binds C.__init__ from its second parameter */
		if (len <= 9 || strcmp(e->s + len - 9, ".__init__") || pos < 1)
			return NULL;
		ctor = xstrndup(e->s, len - 9);
		pos--;
		if (!callers_of(sc, ctx, ctor, &lo, &hi)) {
			free(ctor);
			return NULL;
		}
	}
	for (c = sc->callers + lo; !cls && c < sc->callers + hi && caller_budget > 0; c++) {
		caller_budget--;
		cls = fn(sc, c->ctx, call_arg(c->call, pos, e->s2), cctx, depth + 1);
	}
	free(ctor);
	return cls;
}

/* The class of the tree the first caller of parameter @e passes an object of. */
static char *callers_instance(struct scan *sc, struct pkg *ctx, const struct expr *e,
			      struct pkg **cctx, int depth)
{
	return callers_first(sc, ctx, e, cctx, depth, tree_instance);
}

/*
 * The module-level name object @e is (carbon's settings, in *@mp):
 * itself, an import of it, or what the first caller of a parameter
 * passes. Where that module set up the name's attributes
 * ("settings.PORT", py_settings_update), they are read there.
 */
static char *module_name(struct scan *sc, struct pkg *ctx, const struct expr *e,
			 struct pkg **mp, int depth)
{
	struct pkg *p;

	if (!e || !ctx || depth > MAX_DEPTH)
		return NULL;
	switch (e->kind) {
	case EX_IDENT:
		*mp = ctx;
		return xstrdup(e->s);
	case EX_QUAL:
		p = target_pkg(sc, ctx, e->s);
		if (!p)
			return NULL;
		*mp = p;
		return xstrdup(e->s2);
	case EX_PARAM:
		return e->s ? callers_first(sc, ctx, e, mp, depth, module_name) : NULL;
	default:
		return NULL;
	}
}

/* "NAME.attr" of the module-level object @e->a[0] holds (EX_ATTR), or NULL. */
static struct expr *module_attr(struct scan *sc, struct pkg *ctx, const struct expr *e,
				struct pkg **mp, int depth)
{
	char *name = module_name(sc, ctx, expr_arg(e, 0), mp, depth + 1), *key;
	struct expr *held = NULL;

	if (!name)
		return NULL;
	key = xasprintf("%s.%s", name, e->s);
	if (symtab_find(&(*mp)->syms, key)) {
		held = expr_new(EX_IDENT, NULL);
		held->s = key;
		key = NULL;
	}
	free(key);
	free(name);
	return held;
}

/*
 * The class of the tree whose object @e (in @ctx) is, or NULL; *@cctx
 * becomes the class's module. `self` in a method of D; D(...) with D a
 * class of the tree (through re-exports); a name holding one; a parameter
 * its first caller gives one.
 */
static char *tree_instance(struct scan *sc, struct pkg *ctx, const struct expr *e,
			   struct pkg **cctx, int depth)
{
	const char *dot;
	struct expr *def;
	struct pkg *p;
	char *via, *key, *name, *cls = NULL;

	if (!e || !ctx || depth > MAX_DEPTH)
		return NULL;
	switch (e->kind) {
	case EX_PARAM:
		if (!e->s)
			return NULL;
		dot = strrchr(e->s, '.');
		if (e->n == 0 && dot && e->s2 && !strcmp(e->s2, "self")) {
			*cctx = ctx;
			return xstrndup(e->s, dot - e->s);
		}
		return callers_instance(sc, ctx, e, cctx, depth);
	case EX_IDENT:
		p = ctx;
		def = sym_get(sc, &p, e->s, &via);
		free(via);
		if (def)
			return tree_instance(sc, p, def, cctx, depth + 1);
		/*
		 * the class itself (Config.port): its class attributes are its
		 * objects'; an Enum's members are not their values
		 */
		key = xasprintf("bases:%s", e->s);
		name = xasprintf("enum:%s", e->s);
		if (symtab_find(&ctx->syms, key) && !symtab_find(&ctx->syms, name)) {
			*cctx = ctx;
			cls = xstrdup(e->s);
		}
		free(name);
		free(key);
		return cls;
	case EX_CALL:
		if (!e->s)
			return NULL;
		key = e->s2 ? xasprintf("%s.%s", e->s2, e->s) : xstrdup(e->s);
		p = callee_home(sc, ctx, key, &name);
		free(key);
		pkg_load(sc, p);
		key = xasprintf("bases:%s", name);
		if (symtab_find(&p->syms, key)) {
			*cctx = p;
			cls = name;
			name = NULL;
		} else if (symtab_get(&p->funcs, name)) {
			/* a function returning C(...) makes a C (flask-mail's init_mail) */
			cls = tree_instance(sc, p, symtab_get(&p->funcs, name), cctx, depth + 1);
		}
		free(key);
		free(name);
		return cls;
	case EX_ATTR:
		def = attr_held(sc, ctx, e, &p, depth);
		cls = def ? tree_instance(sc, p, def, cctx, depth + 1) : NULL;
		expr_free(def);
		return cls;
	case EX_OBJ:
		/* args handed to a function or an object: its options (held_next) */
		if (!e->s || strcmp(e->s, NAMESPACE_CLS))
			return NULL;
		*cctx = ctx;
		return xstrdup(NAMESPACE_CLS);
	default:
		return NULL;
	}
}

/*
 * "C.self.service.session" where C's objects hold in self.service an
 * object of D, a class of the tree (pyicloud's PhotoAlbum is given its
 * PhotosService): D's "D.self.session", in D's module. A link at a time.
 */
static struct expr *held_attr(struct scan *sc, struct pkg *ctx, const char *name,
			       struct pkg **cctx, int depth)
{
	struct expr *head;
	const char *rest;
	char *cls;

	head = expr_new(EX_IDENT, NULL);
	head->s = held_head(name, &rest);
	cls = head->s ? tree_instance(sc, ctx, head, cctx, depth + 1) : NULL;
	expr_free(head);
	return cls ? held_next(cls, rest) : NULL;
}

static struct expr *held_attr_obj(struct scan *sc, struct pkg *ctx, const char *name,
				  struct pkg **octx, int depth)
{
	struct pkg *cctx = NULL;
	struct expr *next = held_attr(sc, ctx, name, &cctx, depth), *obj;

	if (!next)
		return NULL;
	obj = find_obj(sc, cctx, next, octx, depth + 1);
	expr_free(next);
	return obj;
}

/* @e's own default when it is an object (py_extract.c "default:"), else NULL. */
static struct expr *default_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
				struct pkg **octx, int depth)
{
	char *key = xasprintf("default:%s:%s", e->s, e->s2 ? e->s2 : "");
	struct expr *def = symtab_get(&ctx->syms, key);

	free(key);
	return def ? find_obj(sc, ctx, def, octx, depth + 1) : NULL;
}

/* Does base @base (as "bases:" keeps it) name class @cls of module @p? */
static int base_is(struct scan *sc, struct pkg *p, const char *base, struct pkg *cp,
		   const char *cls)
{
	const char *name;

	return base_pkg(sc, p, base, &name) == cp && !strcmp(name, cls);
}

/*
 * self.m() in class C, where C.m makes no object but a subclass of C in
 * the same module overrides m with one that does (virtual dispatch).
 */
static struct expr *override_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
				 struct pkg **octx, int depth)
{
	const char *dot = e->s ? strrchr(e->s, '.') : NULL;
	struct expr *obj = NULL;
	size_t b, clen;

	if (!dot || e->s2 || ctx->lang != LANG_PY)
		return NULL;
	clen = dot - e->s;
	for (b = 0; b < ctx->syms.nbuckets && !obj; b++) {
		struct sym *y;

		for (y = ctx->syms.buckets[b]; y && !obj; y = y->next) {
			struct expr *call;
			char *cls;
			int k;

			if (strncmp(y->name, "bases:", 6) || !y->value)
				continue;
			for (k = 0; k < y->value->nargs; k++) {
				cls = xstrndup(e->s, clen);
				if (base_is(sc, ctx, y->value->a[k]->s, ctx, cls)) {
					free(cls);
					break;
				}
				free(cls);
			}
			if (k == y->value->nargs)
				continue;
			call = expr_copy(e);
			free(call->s);
			call->s = xasprintf("%s%s", y->name + 6, dot);
			if (strcmp(call->s, e->s))
				obj = find_obj(sc, ctx, call, octx, depth + 1);
			expr_free(call);
		}
	}
	return obj;
}

/* Argument @pos (or keyword @kw) of EX_MCALL @e, past its module. */
static const struct expr *mcall_arg(const struct expr *e, int pos, const char *kw)
{
	struct expr args = { .kind = EX_CALL, .nargs = e->nargs - 1, .a = e->a + 1 };

	return e->nargs > 1 ? call_arg(&args, pos, kw) : NULL;
}

/*
 * module.socket(family, type) where the module is a parameter the callers
 * bind to the socket module: the object that function of it makes.
 */
static struct expr *mcall_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
			      struct pkg **octx, int depth)
{
	struct pkg *mctx = ctx;
	struct expr *mod = find_obj(sc, ctx, expr_arg(e, 0), &mctx, depth + 1);
	const struct rule *r = NULL;

	if (mod && str_has_prefix(mod->s, "module:"))
		r = rule_func(py_rules, mod->s + 7, e->s);
	expr_free(mod);
	if (!r || !r->makes)
		return NULL;
	*octx = ctx;
	if (strcmp(r->makes, "socket.socket"))
		return expr_obj(r->makes, expr_copy(mcall_arg(e, r->addr_arg, r->addr_kw)), NULL);
	return expr_socket(mcall_arg(e, 0, "family"), mcall_arg(e, 1, "type"));
}

/*
 * f() with f, in module e->s2 of the tree (or this one), an alias of a
 * function whose rule makes an object from no address (aioredis/util.py:
 * get_event_loop = getattr(asyncio, "get_running_loop", ...)), or of
 * socket.socket (a subclass defined below the function that calls it):
 * that object.
 */
static struct expr *alias_obj(struct scan *sc, struct pkg *ctx, const struct expr *e)
{
	struct pkg *p = e->s2 ? target_pkg(sc, ctx, e->s2) : ctx;
	size_t i;
	int k;

	for (i = 0; p && p->lang == LANG_PY && i < p->nfiles; i++) {
		const struct srcfile *f = p->files[i];

		for (k = 0; k < f->nimports; k++) {
			const struct import *im = &f->imports[k];
			const char *dot = strrchr(im->path, '.');
			const struct rule *r;
			char *fam;

			if (strcmp(im->alias, e->s) || !dot)
				continue;
			fam = xstrndup(im->path, dot - im->path);
			r = rule_func(py_rules, fam, dot + 1);
			free(fam);
			if (r && r->makes && !strcmp(r->makes, "socket.socket"))
				return expr_socket(expr_arg(e, 0), expr_arg(e, 1));
			if (r && r->makes && r->addr_arg < 0 && !r->addr_kw)
				return expr_obj(r->makes, NULL, NULL);
		}
	}
	return NULL;
}

/*
 * The object class @cls of module @p makes through its bases ("bases:C"),
 * following them across modules: a base a module of the tree derives from
 * a watched class is an import there (py_class: "Acceptor" ->
 * "asyncore.dispatcher"), whose rule makes the object.
 */
static struct expr *class_obj(struct scan *sc, struct pkg *p, const char *cls, int depth)
{
	char *key = xasprintf("bases:%s", cls);
	struct expr *bases = symtab_get(&p->syms, key), *obj = NULL;
	int i, k;
	size_t j;

	free(key);
	for (i = 0; bases && i < bases->nargs && !obj && depth < MAX_REEXPORT_DEPTH; i++) {
		const char *name;
		struct pkg *q = base_pkg(sc, p, bases->a[i]->s, &name);

		if (!q || (q == p && !strcmp(name, cls)))
			continue;
		for (j = 0; j < q->nfiles && !obj; j++) {
			const struct srcfile *f = q->files[j];

			for (k = 0; k < f->nimports && !obj; k++) {
				const char *path = f->imports[k].path, *dot = strrchr(path, '.');
				const struct rule *r;
				char *fam;

				if (strcmp(f->imports[k].alias, name) || !dot)
					continue;
				fam = xstrndup(path, dot - path);
				r = rule_func(py_rules, fam, dot + 1);
				free(fam);
				if (r && r->makes)
					obj = expr_obj(r->makes, NULL, NULL);
			}
		}
		if (!obj)
			obj = class_obj(sc, q, name, depth + 1);
	}
	return obj;
}

/*
 * self.wrapper(sock) in class C, where wrapper is no method of C but a
 * callable C's objects hold (self.wrapper = wrapper: identity, or
 * ssl.wrap_socket): a wrapper handed one socket gives that socket back.
 */
static struct expr *held_callable_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
				      struct pkg **octx, int depth)
{
	const char *dot = e->s ? strrchr(e->s, '.') : NULL;
	struct expr *obj;
	char *key;
	int held;

	if (!dot || e->s2 || !ctx || ctx->lang != LANG_PY || e->nargs != 2 || e->a[0])
		return NULL;
	key = xasprintf("%.*s.self.%s", (int)(dot - e->s), e->s, dot + 1);
	held = symtab_find(&ctx->syms, key) != NULL;
	free(key);
	if (!held)
		return NULL;
	obj = find_obj(sc, ctx, e->a[1], octx, depth + 1);
	if (obj && strcmp(obj->s, "socket.socket")) {
		expr_free(obj);
		obj = NULL;
	}
	return obj;
}

/*
 * Object @e that a base class made for class @cls of module @p (self.sock
 * from Client.__init__, read in UNIXClient): the base's class attributes
 * in it ("Client.self.socket_family") are @cls's where @cls sets its
 * own (socket_family = AF_UNIX), as they are at run time.
 */
static void self_as(struct expr *e, struct pkg *p, const char *cls, int depth)
{
	const char *self;
	char *key;
	int i;

	if (!e || depth > MAX_DEPTH)
		return;
	if (e->kind == EX_IDENT && e->s && (self = self_fallback(e->s))) {
		key = xasprintf("%s.%s", cls, self);
		if (strcmp(key, e->s) && symtab_get(&p->syms, key)) {
			free(e->s);
			e->s = key;
		} else {
			free(key);
		}
	}
	for (i = 0; i < e->nargs; i++)
		self_as(e->a[i], p, cls, depth + 1);
}

/*
 * The argument of call @e (of a Python function of the tree, not a
 * method) that the function returns as it was given: fitbit's
 * compliance_fix(session) registers hooks on a session and returns it.
 * NULL when it returns anything else.
 */
static const struct expr *passed_back(struct scan *sc, struct pkg *ctx, const struct expr *e)
{
	struct pkg *p = target_pkg(sc, ctx, e->s2);
	struct sym *fn = p && e->s && !strchr(e->s, '.') ? symtab_find(&p->funcs, e->s) : NULL;
	const struct expr *ret = fn ? fn->value : NULL;

	if (!ret || ret->kind != EX_PARAM || !ret->s || strcmp(ret->s, e->s) || p->lang != LANG_PY)
		return NULL;
	return call_arg(e, ret->n, ret->s2);
}

static struct expr *find_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
			     struct pkg **octx, int depth)
{
	const struct expr *back;
	struct expr *def, *body, *obj;
	struct pkg *p, *p0;
	const char *saved;
	char *via;

	if (!e || depth > MAX_DEPTH)
		return NULL;
	switch (e->kind) {
	case EX_OBJ:
		*octx = ctx;
		return expr_copy(e);
	case EX_IDENT:
		if (ctx && e->s && str_has_prefix(e->s, SELF_OF)) {
			*octx = ctx;
			return class_obj(sc, ctx, e->s + strlen(SELF_OF), 0);
		}
		/* fall through */
	case EX_QUAL:
		p = p0 = target_pkg(sc, ctx, e->kind == EX_QUAL ? e->s : NULL);
		def = sym_get(sc, &p, e->kind == EX_QUAL ? e->s2 : e->s, &via);
		if (!def)
			return e->kind == EX_IDENT && e->s ? held_attr_obj(sc, ctx, e->s, octx, depth) : NULL;
		saved = caller_cls;
		if (via)
			caller_cls = via;
		obj = find_obj(sc, p, def, octx, depth + 1);
		caller_cls = saved;
		if (obj && via && *octx == p0)
			self_as(obj, p0, via, 0);
		free(via);
		return obj;
	case EX_CALL:
		/* fix(session) returning session: the session the caller passes */
		if ((back = passed_back(sc, ctx, e)))
			return find_obj(sc, ctx, back, octx, depth + 1);
		body = expand_call(sc, ctx, e, &p, depth);
		obj = body ? find_obj(sc, p, body, octx, depth + 1) : NULL;
		expr_free(body);
		if (!obj && (obj = alias_obj(sc, ctx, e)))
			*octx = ctx;
		if (!obj)
			obj = override_obj(sc, ctx, e, octx, depth);
		return obj ? obj : held_callable_obj(sc, ctx, e, octx, depth);
	case EX_PARAM:
		if (!e->s || !ctx)
			return NULL;
		obj = param_obj(sc, ctx, e, octx, depth);
		/* kwargs.pop("session", self.session): the default, as a parameter's */
		if (!obj && e->n == -1 && expr_arg(e, 0))
			obj = find_obj(sc, ctx, expr_arg(e, 0), octx, depth + 1);
		return obj ? obj : default_obj(sc, ctx, e, octx, depth);
	case EX_MCALL:
		return mcall_obj(sc, ctx, e, octx, depth);
	case EX_ATTR:
		def = attr_held(sc, ctx, e, &p, depth);
		obj = def ? find_obj(sc, p, def, octx, depth + 1) : NULL;
		expr_free(def);
		return obj;
	default:
		return NULL;
	}
}

struct expr *resolve_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
			 struct pkg **octx)
{
	caller_budget = CALLER_BUDGET;
	eval_budget = EVAL_BUDGET;
	caller_cls = NULL;
	return find_obj(sc, ctx, e, octx, 0);
}

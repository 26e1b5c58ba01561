// SPDX-License-Identifier: GPL-2.0
/*
 * Python extraction: imports, module-level names, function summaries and
 * the calls that may open a socket. As for Go, a call is recognised by
 * the qualified name its import gives it (`from http.server import
 * HTTPServer as H` makes `H(...)` http.server.HTTPServer), and a method
 * call only once its receiver is known to be an object of a watched type.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "py_branches.h"
#include "py_extract.h"
#include "rules.h"
#include "util.h"

static void py_walk(struct xctx *x, TSNode n);
static int is_getattr_call(struct xctx *x, TSNode n);
static void py_settings_update(struct xctx *x, TSNode call);
static void py_settings_proxy(struct xctx *x, const char *name, TSNode right);
static void note_getattr_fallback(struct xctx *x, TSNode cls);
static void py_opt_parameters(struct xctx *x, TSNode left, TSNode right);

/* The watched object name @name (self.http as "C.self.http") holds, or NULL. */
static const struct expr *held_object(struct xctx *x, const char *name)
{
	const struct expr *e = x->in_func ? symtab_get(&x->locals, name) : NULL;

	if (!e || e->kind != EX_OBJ)
		e = symtab_get(&x->f->syms, name);
	return e && e->kind == EX_OBJ ? e : NULL;
}

static int overrides(struct xctx *x, const char *method);

/* The value getopt gives an option, in a loop over its pairs (getopt_loop). */
#define GETOPT_VALUE "getopt value"

static struct expr *dyn_of(struct xctx *x, TSNode n)
{
	char *t = ts_text_short(n, x->src, 80);
	struct expr *e = expr_dyn(t);

	free(t);
	return e;
}

/* Does file @f already read @alias as @path? */
static int has_import(const struct srcfile *f, const char *alias, const char *path)
{
	int i;

	for (i = 0; i < f->nimports; i++)
		if (!strcmp(f->imports[i].alias, alias) && !strcmp(f->imports[i].path, path))
			return 1;
	return 0;
}

static void add_import(struct srcfile *f, const char *alias, const char *path)
{
	const struct expr *moved = symtab_get(&f->reexports, path);
	struct import *im;

	if (moved)
		path = moved->s;	/* a module re-exported by one of the tree's */
	/* the module's imports are read ahead (py_module_classes), then again */
	if (has_import(f, alias, path))
		return;
	f->imports = xrealloc(f->imports, (f->nimports + 1) * sizeof(*f->imports));
	im = &f->imports[f->nimports++];
	im->alias = xstrdup(alias);
	im->path = xstrdup(path);
	im->family = NULL;
	im->fallback = 0;
	im->hidden = 0;
	f->watched = 1;
}

/* Dotted name of a dotted_name or relative_import node, without leading dots. */
static char *dotted(struct xctx *x, TSNode n)
{
	char *t = ts_text(n, x->src), *p = t;

	while (*p == '.')
		p++;
	memmove(t, p, strlen(p) + 1);
	return t;
}

/*
 * The module a relative import names: `from . import x` in a/b/c.py is
 * a.b; `from .. import x` is a; `from .m import x` is a.b.m. Names are
 * looked up from the importing file's directory up (pkg_lookup), so the
 * path is relative to the scanned root like every module path.
 */
static char *relative_module(struct xctx *x, TSNode n)
{
	char *t = ts_text(n, x->src), *dir = xstrdup(x->f->path), *p, *m;
	size_t dots = strspn(t, ".");

	for (p = strrchr(dir, '/'), *(p ? p : dir) = '\0'; --dots > 0 && *dir;) {
		p = strrchr(dir, '/');
		*(p ? p : dir) = '\0';
	}
	for (p = dir; *p; p++)
		if (*p == '/')
			*p = '.';
	p = t + strspn(t, ".");
	m = !*dir ? xstrdup(p) : *p ? xasprintf("%s.%s", dir, p) : xstrdup(dir);
	free(t);
	free(dir);
	return m;
}

/* import a.b [as c] / from a.b import c [as d] */
static void py_import(struct xctx *x, TSNode n)
{
	int from = ts_is(n, "import_from_statement");
	TSNode mod = ts_field(n, "module_name");
	char *module = !from ? NULL : ts_is(mod, "relative_import") ? relative_module(x, mod) :
		       dotted(x, mod);
	TSNode *kids;
	size_t count = ts_named_children(n, &kids), i;

	for (i = 0; i < count; i++) {
		TSNode k = kids[i], alias = { 0 };
		char *name, *path, *local;

		if (from && ts_node_eq(k, ts_field(n, "module_name")))
			continue;
		/* from m import *: "*" -> m, expanded once every file is read (py_star.c) */
		if (from && ts_is(k, "wildcard_import") && *module) {
			add_import(x->f, "*", module);
			continue;
		}
		if (ts_is(k, "aliased_import")) {
			alias = ts_field(k, "alias");
			k = ts_field(k, "name");
		}
		if (!ts_is(k, "dotted_name"))
			continue;
		name = dotted(x, k);
		path = from ? (*module ? xasprintf("%s.%s", module, name) : xstrdup(name)) :
			      xstrdup(name);
		if (!ts_node_is_null(alias))
			local = ts_text(alias, x->src);
		else if (from)
			local = xstrdup(name);
		else	/* import a.b binds a; a.b.X spells the rest */
			local = xstrndup(name, strcspn(name, "."));
		add_import(x->f, local, from || !ts_node_is_null(alias) ? path : local);
		if (x->in_except && x->f->nimports && !strcmp(x->f->imports[x->f->nimports - 1].alias, local))
			x->f->imports[x->f->nimports - 1].fallback = 1;
		free(name);
		free(path);
		free(local);
	}
	free(kids);
	free(module);
}

/* No module path is longer: a longer chain is not a qualified name. */
#define MAX_DOTTED 32

/*
 * Module path @q with module @from at its start read as @to (a new
 * string), or NULL when @q does not start with @from.
 */
static char *module_renamed(const char *q, const char *from, const char *to)
{
	size_t len = strlen(from);

	if (strncmp(q, from, len) || (q[len] && q[len] != '.'))
		return NULL;
	return xasprintf("%s%s", to, q + len);
}

/*
 * @q (owned) with its tail @name, a module path, renamed by the first row
 * of @table ({ from, to }) that matches: the new name (owned, @q freed),
 * or @q itself.
 */
static char *renamed_by(char *q, const char *name, const char *const table[][2], size_t n)
{
	size_t i;
	char *out;

	for (i = 0; i < n; i++) {
		out = module_renamed(name, table[i][0], table[i][1]);
		if (out) {
			free(q);
			return out;
		}
	}
	return q;
}

/*
 * Modules that mirror another module's API over another I/O model
 * (trio.socket.socket(...).sendto, gevent's and eventlet's green sockets,
 * eventlet's green zmq): read as that module's.
 */
static char *module_mirrors(char *q)
{
	static const char *const mirrors[][2] = {
		{ "trio.socket", "socket" },
		{ "gevent.socket", "socket" },
		{ "eventlet.green.socket", "socket" },
		{ "eventlet.green.zmq", "zmq" },
		{ "zmq.green", "zmq" },
	};

	return renamed_by(q, q, mirrors, sizeof(mirrors) / sizeof(mirrors[0]));
}

/*
 * six.moves (also vendored: urllib3.packages.six.moves) renames Python 2
 * modules: "six.moves.http_client.HTTPConnection" is http.client's.
 * Returns the name through the real module (owned), or @q itself.
 */
static char *six_moves(char *q)
{
	static const char *const moves[][2] = {
		{ "http_client", "http.client" },
		{ "BaseHTTPServer", "http.server" },
		{ "socketserver", "socketserver" },
		{ "SocketServer", "socketserver" },
		{ "xmlrpc_client", "xmlrpc.client" },
		{ "SimpleXMLRPCServer", "xmlrpc.server" },
		{ "urllib", "urllib" },
	};
	const char *at = strstr(q, "six.moves.");

	if (!at || (at != q && at[-1] != '.'))
		return q;
	return renamed_by(q, at + strlen("six.moves."), moves, sizeof(moves) / sizeof(moves[0]));
}

/* A module only Python 2 has (its Python 3 name is imported beside it). */
static int py2_only_module(const char *path)
{
	static const char *const py2[] = {
		"SocketServer", "BaseHTTPServer", "SimpleHTTPServer", "CGIHTTPServer",
		"SimpleXMLRPCServer", "DocXMLRPCServer", "httplib", "urllib2",
		"xmlrpclib", "urlparse", "cookielib",
	};
	size_t i, len = strcspn(path, ".");

	for (i = 0; i < sizeof(py2) / sizeof(py2[0]); i++)
		if (strlen(py2[i]) == len && !strncmp(path, py2[i], len))
			return 1;
	return 0;
}

int py_import_binding(const struct import *ims, int n, const char *alias, size_t alen)
{
	int i, last = -1;

	for (i = n - 1; i >= 0; i--) {
		if (ims[i].hidden || strlen(ims[i].alias) != alen || strncmp(ims[i].alias, alias, alen))
			continue;
		if (!py2_only_module(ims[i].path))
			return i;
		if (last < 0)
			last = i;
	}
	return last;
}

/*
 * @q, bound through import @k of the file, or the same name through the
 * try's own import when @k is its except clause's alternative and both
 * are APIs with rules (try: import pymysql as mysql, except: import
 * MySQLdb as mysql: pymysql, where it is installed). A try's module
 * without rules (siosocks' open_connection before asyncio's) leaves the
 * alternative, which sockscan knows.
 */
static char *prefer_try_import(struct xctx *x, int k, char *q)
{
	const struct import *ims = x->f->imports;
	size_t plen = strlen(ims[k].path);
	char *other;
	int i;

	if (!ims[k].fallback || strncmp(q, ims[k].path, plen) || !is_rule_name(q))
		return q;
	for (i = x->f->nimports - 1; i >= 0; i--) {
		if (ims[i].fallback || strcmp(ims[i].alias, ims[k].alias))
			continue;
		other = xasprintf("%s%s", ims[i].path, q + plen);
		if (is_rule_name(other)) {
			free(q);
			return other;
		}
		free(other);
		break;
	}
	return q;
}

/* self._open = urllib.request.urlopen: the alias the object holds in @n, or NULL. */
static char *self_alias(struct xctx *x, TSNode n)
{
	char *name, *q = NULL;
	int i;

	if (!ts_is(n, "attribute") || !ts_text_eq(ts_field(n, "object"), x->src, "self"))
		return NULL;
	name = ts_text(n, x->src);
	for (i = x->f->nimports - 1; i >= 0 && !q; i--)
		if (!strcmp(x->f->imports[i].alias, name))
			q = xstrdup(x->f->imports[i].path);
	free(name);
	return q;
}

/*
 * The qualified name an identifier or attribute chain stands for through
 * the imports ("socket.socket", "aiohttp.web.run_app"), or NULL. Iterative:
 * generated code chains attributes thousands deep.
 */
static char *py_qualified(struct xctx *x, TSNode n)
{
	TSNode chain[MAX_DOTTED];
	char *name, *q = NULL;
	int depth = 0, k = -1;

	/* self.lib.MongoClient, self.lib = importlib.import_module("pymongo") */
	while (ts_is(n, "attribute") && !(q = self_alias(x, n))) {
		if (depth == MAX_DOTTED)
			return NULL;
		chain[depth++] = n;
		n = ts_field(n, "object");
	}
	if (!q) {
		if (!ts_is(n, "identifier"))
			return NULL;
		name = ts_text(n, x->src);
		if (!(x->in_func && symtab_find(&x->locals, name))) {
			k = py_import_binding(x->f->imports, x->f->nimports, name, strlen(name));
			if (k >= 0)
				q = xstrdup(x->f->imports[k].path);
		} else if (symtab_get(&x->param_cls, name)) {
			/* def __init__(self, server_class=HTTPServer): server_class(addr) */
			q = xstrdup(symtab_get(&x->param_cls, name)->s);
		}
		free(name);
	}
	while (q && depth-- > 0) {
		char *attr = ts_text(ts_field(chain[depth], "attribute"), x->src);
		char *longer = xasprintf("%s.%s", q, attr);
		const struct expr *moved;

		free(attr);
		free(q);
		q = longer;
		/* common.requests: the package a module of the tree imports */
		if (k >= 0 && (moved = symtab_get(&x->f->reexports, q))) {
			free(q);
			q = xstrdup(moved->s);
		}
	}
	if (q && k >= 0)
		q = prefer_try_import(x, k, q);
	return q ? six_moves(module_mirrors(q)) : NULL;
}

/*
 * Families whose sockets are neither IP nor unix (netlink, a packet
 * socket, Bluetooth, CAN...): sockwatch sees no such socket, so their
 * bind and connect are no finding.
 */
static int is_non_ip_family(const char *q)
{
	static const char *const fams[] = {
		"socket.AF_NETLINK", "socket.AF_PACKET", "socket.AF_BLUETOOTH",
		"socket.AF_CAN", "socket.AF_ALG", "socket.AF_TIPC", "socket.AF_RDS",
		"socket.AF_QIPCRTR", "socket.AF_VSOCK",
	};
	size_t i;

	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		if (!strcmp(q, fams[i]))
			return 1;
	return 0;
}

/* socket.AF_UNIX, socket.SOCK_DGRAM...: the transport they select. */
static struct expr *py_socket_const(const char *q)
{
	if (!strcmp(q, "socket.AF_UNIX"))
		return expr_str("unix");
	if (!strcmp(q, "socket.AF_INET") || !strcmp(q, "socket.AF_INET6"))
		return expr_str("inet");
	if (is_non_ip_family(q))
		return expr_str(NON_IP);
	if (!strcmp(q, "socket.SOCK_STREAM"))
		return expr_str("tcp");
	if (!strcmp(q, "socket.SOCK_DGRAM"))
		return expr_str("udp");
	return NULL;
}

/* A name through an import: a socket constant or a module attribute. */
static struct expr *py_qualified_expr(const char *q)
{
	struct expr *e = py_socket_const(q);
	const char *dot;

	if (e)
		return e;
	dot = strrchr(q, '.');
	/* the socket module itself, handed to a function (kazoo's handlers) */
	if (!dot && rule_is_family(py_rules, q)) {
		char *type = xasprintf("module:%s", q);

		e = expr_obj(type, NULL, NULL);
		free(type);
		return e;
	}
	if (!dot)
		return expr_dyn(q);
	e = expr_new(EX_QUAL, NULL);
	e->s = xstrndup(q, dot - q);
	e->s2 = xstrdup(dot + 1);
	return e;
}

/*
 * Strings are joined into a chain of EX_CONCAT, as deep as they have
 * parts; an address has a handful. Past this many, the value is unknown
 * (and the chain stays shallow enough to copy and free recursively).
 */
#define MAX_STRING_PARTS 64

static struct expr *py_string(struct xctx *x, TSNode n)
{
	TSNode *kids;
	size_t count = ts_named_children(n, &kids), i;
	struct expr *e = NULL;

	if (count > MAX_STRING_PARTS) {
		free(kids);
		return dyn_of(x, n);
	}
	for (i = 0; i < count; i++) {
		struct expr *part;
		uint32_t a, b;

		ts_span(kids[i], &a, &b);
		if (ts_is(kids[i], "string_content"))
			part = expr_strn(x->src + a, b - a);
		else if (ts_is(kids[i], "escape_sequence") && b > a)
			part = expr_strn(x->src + a + 1, b - a - 1);
		else if (ts_is(kids[i], "interpolation"))
			part = py_expr(x, ts_field(kids[i], "expression"));
		else
			continue;
		e = e ? expr_pair(EX_CONCAT, e, part) : part;
	}
	free(kids);
	return e ? e : expr_str("");
}

/* Positional argument @pos or keyword @kw of a call, as a node. */
static TSNode py_arg_node(TSNode call, int pos, const char *kw, const char *src)
{
	TSNode *args, found = { 0 };
	size_t count = ts_named_children(ts_field(call, "arguments"), &args), i;
	int p = 0;

	for (i = 0; i < count; i++) {
		if (ts_is(args[i], "keyword_argument")) {
			if (kw && ts_text_eq(ts_field(args[i], "name"), src, kw)) {
				found = ts_field(args[i], "value");
				break;
			}
			continue;
		}
		if (p++ == pos) {
			found = args[i];
			break;
		}
	}
	free(args);
	return found;
}

static struct expr *py_arg(struct xctx *x, TSNode call, int pos, const char *kw)
{
	TSNode a = py_arg_node(call, pos, kw, x->src);

	return ts_node_is_null(a) ? NULL : py_expr(x, a);
}

/*
 * socket.socket(family, type): the object carries the transport, "unix"
 * for AF_UNIX, else the socket type ("udp" for SOCK_DGRAM, "tcp" by
 * default as in Python).
 */
static struct expr *py_socket_obj(struct xctx *x, TSNode call)
{
	struct expr *fam = py_arg(x, call, 0, "family");
	struct expr *type = py_arg(x, call, 1, "type");
	struct expr *obj = expr_socket(fam, type);

	expr_free(fam);
	expr_free(type);
	return obj;
}

/* A default of rule @r as a value: @s, as certain as the rule says. */
static struct expr *rule_default(const struct rule *r, const char *s)
{
	return expr_default(expr_str(s), r->default_how);
}

/*
 * The address an object built from a host and a port carries
 * (pika.ConnectionParameters(host, port)), defaults in place.
 */
static struct expr *py_host_port(struct xctx *x, TSNode call, const struct rule *r)
{
	struct expr *host = py_arg(x, call, r->addr_arg, r->addr_kw);
	struct expr *port = py_arg(x, call, r->port_arg, r->port_kw), *e;
	int port_default = !port;

	if (!host)
		host = r->default_addr ? rule_default(r, r->default_addr) : expr_str("");
	if (!port && r->default_port)
		port = rule_default(r, r->default_port);
	if (!port)
		return host;
	e = expr_pair(EX_JOIN, host, port);
	/* ldap3.Server("ldap://h:3389"): the URL's port, not the protocol's */
	e->n = port_default && r->host_may_hold_port;
	return e;
}

/*
 * socket.getaddrinfo()'s result, a list of (family, type, proto,
 * canonname, sockaddr) entries: kept as an object whose address is the
 * (host, port) asked for and whose network is the type asked for, so that
 * `for af, socktype, proto, _, sa in getaddrinfo(h, p, 0, SOCK_STREAM):
 * s = socket.socket(af, socktype, proto); s.connect(sa)` is a TCP
 * connection to h:p (the standard library's own idiom).
 */
#define ADDRINFO_LIST	"socket.addrinfo_list"
#define ADDRINFO	"socket.addrinfo"

static int is_obj(const struct expr *e, const char *type)
{
	return e && e->kind == EX_OBJ && e->s && !strcmp(e->s, type);
}

/* Element @i of @e (owned) when @e is a getaddrinfo list or entry, else NULL. */
static struct expr *addrinfo_item(struct expr *e, long i)
{
	struct expr *item = NULL;

	if (is_obj(e, ADDRINFO_LIST)) {
		item = expr_copy(e);
		free(item->s);
		item->s = xstrdup(ADDRINFO);
	} else if (is_obj(e, ADDRINFO)) {
		if (i == 1 || i == 4)
			item = expr_copy(expr_arg(e, i == 1 ? 1 : 0));
		if (!item)
			item = expr_dyn(i == 1 ? "socket type" : "getaddrinfo()");
	}
	expr_free(e);
	return item;
}

/*
 * bind[0], bind[1] of what may be a (host, port) pair (a parameter its
 * callers pass a pair, a module's or an option's default pair, what a
 * helper returns): half of
 * it (EX_INDEX, resolve.c eval_index); a getaddrinfo entry's field
 * (addrinfo_item); else NULL. Takes @e.
 */
static struct expr *pair_item(struct expr *e, long i)
{
	struct expr *item;

	if (!e || (i != 0 && i != 1) ||
	    (e->kind != EX_PARAM && e->kind != EX_IDENT && e->kind != EX_JOIN &&
	     e->kind != EX_FLAG && e->kind != EX_DEFAULT && e->kind != EX_CALL))
		return addrinfo_item(e, i);
	item = expr_new(EX_INDEX, NULL);
	item->n = i;
	expr_add(item, e);
	return item;
}

/*
 * set(getaddrinfo(...)), sorted(...), list(...): the same entries, which
 * a loop then takes one by one (mockupdb's bind_tcp_socket); NULL for
 * any other call.
 */
static struct expr *addrinfo_copied(struct xctx *x, TSNode call, TSNode fn)
{
	static const char *const copies[] = { "set", "frozenset", "list", "tuple", "sorted", NULL };
	TSNode a = py_arg_node(call, 0, NULL, x->src);
	struct expr *e;
	int i;

	for (i = 0; copies[i] && !ts_text_eq(fn, x->src, copies[i]); i++)
		;
	if (!copies[i] || ts_node_is_null(a))
		return NULL;
	e = py_expr(x, a);
	if (is_obj(e, ADDRINFO_LIST))
		return e;
	expr_free(e);
	return NULL;
}

/*
 * Is @q a call that hands back the object it is given? closing(sock) and
 * ssl.wrap_socket(sock) give the socket; CacheControl(session) mounts a
 * caching adapter on the session and returns that session.
 */
static int returns_its_argument(const char *q)
{
	static const char *const same[] = { "contextlib.closing", "ssl.wrap_socket",
					    "cachecontrol.CacheControl",
					    "cachecontrol.wrapper.CacheControl", NULL };
	int i;

	for (i = 0; same[i] && strcmp(q, same[i]); i++)
		;
	return same[i] != NULL;
}

/* Value of a call of a qualified name @q: env lookups and constructors. */
static struct expr *py_qualified_call(struct xctx *x, TSNode n, const char *q)
{
	const char *dot = strrchr(q, '.');
	const struct rule *r;
	struct expr *e;
	char *fam;

	/* with closing(socket.socket()) as s: s is the socket */
	if (returns_its_argument(q)) {
		e = py_arg(x, n, 0, NULL);
		return e ? e : expr_dyn(q);
	}
	/* pyOpenSSL's SSL.Connection(ctx, sock): TLS over that socket, its calls the socket's */
	if (!strcmp(q, "OpenSSL.SSL.Connection")) {
		e = py_arg(x, n, 1, "socket");
		return e ? e : expr_dyn(q);
	}
	/* getaddrinfo(host, port, family, type): entries carry the address and type */
	if (!strcmp(q, "socket.getaddrinfo")) {
		e = py_arg(x, n, 1, "port");
		return expr_obj(ADDRINFO_LIST, expr_pair(EX_JOIN, py_arg(x, n, 0, "host"),
							 e ? e : expr_dyn("port")),
				py_arg(x, n, 3, "type"));
	}
	/* urlsplit(url), urlparse(url): the URL, whose parts are read later */
	if (!strcmp(q, "urllib.parse.urlsplit") || !strcmp(q, "urllib.parse.urlparse") ||
	    !strcmp(q, "urlparse.urlsplit") || !strcmp(q, "urlparse.urlparse")) {
		e = expr_new(EX_URLPART, NULL);
		expr_add(e, py_arg(x, n, 0, "url"));
		return e;
	}
	/*
	 * urljoin(base, path): base's scheme and host, whatever path it
	 * joins (a path of base's site, which is what it is called with)
	 */
	if (!strcmp(q, "urllib.parse.urljoin") || !strcmp(q, "urlparse.urljoin")) {
		e = py_arg(x, n, 0, "base");
		return expr_pair(EX_CONCAT, expr_pair(EX_CONCAT, e ? e : expr_dyn(q), expr_str("/")),
				 expr_dyn("a path joined to a URL"));
	}
	/* gethostbyname(host): the address of that host; the host names it */
	if (!strcmp(q, "socket.gethostbyname")) {
		e = py_arg(x, n, 0, "hostname");
		return e ? e : expr_dyn(q);
	}
	/* abspath(p): p when p is absolute, which a path written out mostly is */
	if (!strcmp(q, "os.path.abspath") || !strcmp(q, "os.path.normpath")) {
		e = expr_new(EX_SLICE, "abspath");
		expr_add(e, py_arg(x, n, 0, "path"));
		return e;
	}
	if (!strcmp(q, "os.environ.get") || !strcmp(q, "os.getenv")) {
		e = expr_new(EX_ENV, NULL);
		expr_add(e, py_arg(x, n, 0, "key"));
		expr_add(e, py_arg(x, n, 1, "default"));
		return e;
	}
	if (!dot)
		return NULL;
	fam = xstrndup(q, dot - q);
	r = rule_func(py_rules, fam, dot + 1);
	free(fam);
	if (r && r->makes && !strcmp(r->makes, "socket.socket"))
		return py_socket_obj(x, n);
	if (r && r->makes && r->from == FROM_HOST_PORT)
		return expr_obj(r->makes, py_host_port(x, n, r), NULL);
	if (r && r->makes)
		return expr_obj(r->makes, py_arg(x, n, r->addr_arg, r->addr_kw), NULL);
	if (r)
		return NULL;
	/* a function of another module of the tree: maybe a helper */
	e = expr_new(EX_CALL, dot + 1);
	e->s2 = xstrndup(q, dot - q);
	return e;
}

/* Does @call pass keyword arguments (name=v or **kw), which a[] leaves out? */
static int passes_keywords(TSNode call)
{
	TSNode *args;
	size_t count = ts_named_children(ts_field(call, "arguments"), &args), i;
	int yes = 0;

	for (i = 0; i < count; i++)
		yes |= ts_is(args[i], "keyword_argument") || ts_is(args[i], "dictionary_splat");
	free(args);
	return yes;
}

static void py_add_call_args(struct xctx *x, struct expr *e, TSNode call)
{
	TSNode *args;
	size_t count = ts_named_children(ts_field(call, "arguments"), &args), i;

	for (i = 0; i < count; i++)
		if (!ts_is(args[i], "keyword_argument"))
			expr_add(e, py_expr(x, args[i]));
	free(args);
}

/*
 * The argument a replacement field of str.format names: "" the next
 * positional one (*next counts), "0" by position, "host" by keyword.
 * Fields with attributes or indexes ("{0.host}", "{a[0]}") are not read.
 */
static TSNode format_field_arg(struct xctx *x, TSNode call, const char *field, int *next)
{
	char *end;
	long pos;

	if (!*field)
		return py_arg_node(call, (*next)++, NULL, x->src);
	pos = strtol(field, &end, 10);
	if (end != field && !*end)
		return py_arg_node(call, (int)pos, NULL, x->src);
	if (strpbrk(field, ".[") || !strpbrk(field, "abcdefghijklmnopqrstuvwxyz"
						    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"))
		return (TSNode){ 0 };
	return py_arg_node(call, -1, field, x->src);
}

static void py_add_call_args_kw(struct xctx *x, struct expr *e, TSNode call);

/*
 * "{}:{}".format(h, p), "{0}:{1}", "{host}:{port}" (and conversions or
 * format specs after ! or :) become a printf-style format whose
 * arguments are in the order of the fields (pyformat_printf). A format
 * known only later (self.base_url.format(domain=d)) is kept with its
 * arguments, keyword ones as EX_KWARG, for the resolver to read
 * (EX_FORMAT named PYFORMAT).
 */
static struct expr *py_format_method(struct xctx *x, TSNode n, TSNode obj)
{
	struct expr *fmt = py_expr(x, obj), *e;
	char *out, **fields;
	int nfields, i, next = 0;

	if (!fmt || fmt->kind == EX_DYN) {
		expr_free(fmt);
		return dyn_of(x, n);
	}
	if (fmt->kind != EX_STR) {
		e = expr_new(EX_FORMAT, PYFORMAT);
		expr_add(e, fmt);
		py_add_call_args_kw(x, e, n);
		return e;
	}
	out = pyformat_printf(fmt->s, &fields, &nfields);
	expr_free(fmt);
	if (!out)
		return dyn_of(x, n);
	e = expr_new(EX_FORMAT, NULL);
	expr_add(e, expr_str(out));
	free(out);
	for (i = 0; i < nfields; i++) {
		TSNode arg = format_field_arg(x, n, fields[i], &next);

		if (ts_node_is_null(arg)) {
			/* a field that cannot be read: the text before it may be known */
			expr_free(e);
			e = expr_new(EX_FORMAT, PYFORMAT);
			expr_add(e, py_expr(x, obj));
			py_add_call_args_kw(x, e, n);
			break;
		}
		expr_add(e, py_expr(x, arg));
	}
	pyformat_free(fields, nfields);
	return e;
}

/*
 * url.format_map(mapping): a format whose fields a mapping fills, unknown
 * here; the text before its first field is what it starts with
 * (eval_pyformat).
 */
static struct expr *py_format_map(struct xctx *x, TSNode n, TSNode obj)
{
	struct expr *e = expr_new(EX_FORMAT, PYFORMAT);

	expr_add(e, py_expr(x, obj));
	expr_add(e, expr_new(EX_KWARG, SPLAT_ARG));
	return e;
}

/*
 * Is @n a name whose value only the resolver knows: a parameter of the
 * function walked (not self, cls), or a local holding an attribute of
 * self (s = self.socket_module)? It may hold the socket module.
 */
static int is_param_ident(struct xctx *x, TSNode n)
{
	struct expr *v;
	char *name;
	int yes;

	if (!x->in_func || !ts_is(n, "identifier"))
		return 0;
	name = ts_text(n, x->src);
	v = symtab_get(&x->locals, name);
	yes = v && ((v->kind == EX_PARAM && v->s && strcmp(name, "self") && strcmp(name, "cls")) ||
		    (v->kind == EX_IDENT && (str_has_prefix(v->s, "self.") || strstr(v->s, ".self."))));
	free(name);
	return yes;
}

/* Is attribute @fn's name a function some family has a rule for (socket)? */
static int is_rule_func_attr(struct xctx *x, TSNode fn)
{
	char *attr = ts_text(ts_field(fn, "attribute"), x->src);
	int yes = rule_is_func_name(py_rules, attr);

	free(attr);
	return yes;
}

/* Does dictionary @dict have a key written as @key? */
static int is_dict_key(struct xctx *x, TSNode dict, TSNode key)
{
	TSNode *pairs;
	size_t count = ts_named_children(dict, &pairs), i;
	char *k = ts_text(key, x->src);
	int found = 0;

	for (i = 0; i < count && !found; i++)
		found = ts_text_eq(ts_field(pairs[i], "key"), x->src, k);
	free(pairs);
	free(k);
	return found;
}

/*
 * {k: a, k2: b}[key] and .get(key, fallback): one of the values, chosen
 * at run time (EX_CHOICE). A fallback written as one of the keys (shodan's
 * .get(service, 'shodan')) names that entry, and as a value is no address.
 */
static struct expr *module_dict_get(struct xctx *x, TSNode call, TSNode fn);

/* Is @v what parse_args() returns (or vars() of it)? */
static int is_namespace(const struct expr *v)
{
	return v && v->kind == EX_OBJ && v->s && !strcmp(v->s, "argparse.Namespace");
}


static struct expr *py_dict_choice(struct xctx *x, TSNode dict, TSNode fallback)
{
	TSNode *pairs;
	size_t count = ts_named_children(dict, &pairs), i;
	struct expr *e;

	if (!count || count > MAX_STRING_PARTS) {
		free(pairs);
		return dyn_of(x, dict);
	}
	e = expr_new(EX_CHOICE, NULL);
	for (i = 0; i < count; i++) {
		if (ts_is(pairs[i], "comment"))
			continue;
		if (!ts_is(pairs[i], "pair")) {	/* **other: any value */
			expr_free(e);
			free(pairs);
			return dyn_of(x, dict);
		}
		expr_add(e, py_expr(x, ts_field(pairs[i], "value")));
	}
	free(pairs);
	if (!ts_node_is_null(fallback) && !is_dict_key(x, dict, fallback))
		expr_add(e, py_expr(x, fallback));
	return e;
}

/* The name of function @fn's **kwargs parameter (owned), or NULL. */
static char *kwsplat_param(struct xctx *x, TSNode fn)
{
	TSNode *kids;
	size_t count = ts_named_children(ts_field(fn, "parameters"), &kids), i;
	char *name = NULL;

	for (i = 0; i < count && !name; i++)
		if (ts_is(kids[i], "dictionary_splat_pattern") &&
		    ts_is(ts_child(kids[i], 0), "identifier"))
			name = ts_text(ts_child(kids[i], 0), x->src);
	free(kids);
	return name;
}

/* Does @name look like a configuration's or options' (conf, settings, cfg, options, opts)? */
static int is_conf_name(const char *name)
{
	return !strcmp(name, "opt") || strcasestr(name, "conf") || strcasestr(name, "setting") || strcasestr(name, "cfg") ||
	       strcasestr(name, "option") || strcasestr(name, "opts");
}

static TSNode module_binding(struct xctx *x, TSNode at, TSNode name);
static struct expr *elements_choice(struct xctx *x, TSNode n);
static int is_getattr_call(struct xctx *x, TSNode n);

/* The mark of a local holding a section of a configuration (note_conf_section). */
#define CONF_SECTION "confsection:"

/*
 * Is @obj named as configuration (config, conf, settings, options, opts,
 * cfg: the last name of self.app.config), or a section of such a mapping
 * (settings["SENTINEL"], a local general = config[0]: note_conf_section),
 * or a module-level
 * name bound to one
 * (SESSION_REDIS = getattr(settings, "SESSION_REDIS", {}))? Its keys are
 * set by the user, so a key's default is the value, as an option's is;
 * any other mapping (a parsed reply's self.values.get("location",
 * "_NONE")) holds data.
 */
static int names_config(struct xctx *x, TSNode obj)
{
	TSNode bound;
	char *name;
	int yes, plain = ts_is(obj, "identifier");

	if (ts_is(obj, "subscript"))
		obj = ts_field(obj, "value");
	if (ts_is(obj, "attribute"))
		obj = ts_field(obj, "attribute");
	if (!ts_is(obj, "identifier"))
		return 0;
	name = ts_text(obj, x->src);
	yes = is_conf_name(name);
	if (!yes && plain && x->in_func) {
		char *key = xasprintf(CONF_SECTION "%s", name);

		yes = symtab_find(&x->locals, key) != NULL;
		free(key);
	}
	free(name);
	if (yes || !plain || x->in_func)
		return yes;
	bound = module_binding(x, obj, obj);
	return is_getattr_call(x, bound) && names_config(x, py_arg_node(bound, 0, NULL, x->src));
}

/*
 * Is @obj a configparser object: a name holding ConfigParser(),
 * RawConfigParser() or SafeConfigParser() (configparser or Python 2's
 * ConfigParser module)? Its get() takes a section and an option.
 */
static char *parser_name(struct xctx *x, TSNode obj);
static struct expr *parser_default(struct xctx *x, TSNode obj, TSNode get);
static char *entry_key(struct xctx *x, TSNode kid);
static void note_entries(struct xctx *x, TSNode d, const char *prefix, int as_default);
static TSNode named_dict(struct xctx *x, TSNode at, TSNode obj);
static int is_args_name(const char *name);

static int is_config_parser(struct xctx *x, TSNode obj)
{
	struct expr *v = NULL;
	const struct sym *y;
	char *name, *key;
	int yes;

	name = parser_name(x, obj);
	if (!name)
		return 0;
	/* self.config made a parser, maybe in a base class's __init__ (smstrade) */
	if (!ts_is(obj, "identifier")) {
		key = xasprintf("cpparser:%s", name);
		yes = symtab_find(&x->f->syms, key) != NULL;
		free(key);
		free(name);
		return yes;
	}
	v = xctx_local(x, name);
	if (!v && (y = symtab_find(&x->f->syms, name)) && y->value)
		v = expr_copy(y->value);
	free(name);
	/* ConfigParser() after from configparser import * names no module (mini-dinstall) */
	yes = v && v->kind == EX_CALL && v->s && str_has_suffix(v->s, "ConfigParser") &&
	      (!v->s2 || !strcmp(v->s2, "configparser") || !strcmp(v->s2, "ConfigParser"));
	expr_free(v);
	return yes;
}

/*
 * The name a configparser @obj is kept under: NAME, or "self.ATTR" for
 * any class of the module (a subclass reads the parser its base made).
 */
static char *parser_name(struct xctx *x, TSNode obj)
{
	char *attr, *name;

	if (ts_is(obj, "identifier"))
		return ts_text(obj, x->src);
	if (!x->cls || !ts_is(obj, "attribute") || !ts_is(ts_field(obj, "object"), "identifier") ||
	    !ts_text_eq(ts_field(obj, "object"), x->src, "self"))
		return NULL;
	attr = ts_text(ts_field(obj, "attribute"), x->src);
	name = xasprintf("self.%s", attr);
	free(attr);
	return name;
}

/*
 * parser.get(section, "url") on a parser made with
 * ConfigParser(defaults=DEFAULTS) (smstrade): DEFAULTS["url"], kept by
 * note_parser_defaults as "cpdefault:PARSER:url"; NULL when none.
 */
static struct expr *parser_default(struct xctx *x, TSNode obj, TSNode get)
{
	struct expr *opt = py_arg(x, get, 1, "option"), *e = NULL;
	char *name = parser_name(x, obj), *key;

	if (name && opt && opt->kind == EX_STR) {
		key = xasprintf("cpdefault:%s:%s", name, opt->s);
		e = expr_copy(symtab_get(&x->f->syms, key));
		free(key);
	}
	free(name);
	expr_free(opt);
	return e;
}

/*
 * NAME = ConfigParser(defaults={...}) or ConfigParser(DEFAULTS), the
 * dictionary written out: each of its options as "cpdefault:NAME:opt",
 * the value any section's get() gives when no file sets it.
 */
static void note_parser_defaults(struct xctx *x, TSNode left, TSNode right)
{
	TSNode fn = ts_field(right, "function"), d;
	char *name, *cls, *key;

	if (!ts_is(right, "call"))
		return;
	cls = ts_text(fn, x->src);
	if (!str_has_suffix(cls, "ConfigParser")) {
		free(cls);
		return;
	}
	free(cls);
	d = py_arg_node(right, 0, "defaults", x->src);
	d = ts_is(d, "dictionary") ? d : ts_node_is_null(d) ? d : named_dict(x, right, d);
	if (!ts_is(d, "dictionary") || !(name = parser_name(x, left)))
		return;
	key = xasprintf("cpdefault:%s:", name);
	note_entries(x, d, key, 0);
	free(key);
	/* a self attribute's value is not kept where is_config_parser reads */
	if (!ts_is(left, "identifier")) {
		key = xasprintf("cpparser:%s", name);
		symtab_set(&x->f->syms, key, expr_str("ConfigParser"));
		free(key);
	}
	free(name);
}

/*
 * Is @s an option's name ("webhook_url"): letters, digits and at least
 * one underscore, which no host name has and no URL lacks a colon for?
 */
static int is_option_name(const char *s)
{
	return *s && s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] == '\0' &&
	       strchr(s, '_');
}

/*
 * m.get("KEY", default) or m.pop("KEY", default), a literal key. On the
 * function's **kwargs it is keyword parameter KEY: what the callers pass
 * by that keyword, else the default (resolve.c, EX_PARAM with a[0]). On a
 * mapping named as configuration (flask-mail's config.get("MAIL_PORT",
 * 25), names_config) the default stands, as an option's or an environment
 * variable's does. Otherwise, or without a default, unknown.
 */
static struct expr *py_mapping_read(struct xctx *x, TSNode n)
{
	TSNode obj = ts_field(ts_field(n, "function"), "object");
	struct expr *key, *def, *e;

	/*
	 * parser.get("socket", "path", fallback=...): a section and an
	 * option; without a fallback, the parser's defaults' (any section)
	 */
	if (is_config_parser(x, obj)) {
		def = py_arg(x, n, -1, "fallback");
		if (!def)
			def = parser_default(x, obj, n);
		if (!def)
			return dyn_of(x, n);
		return expr_default(def, RES_ENV_DEFAULT);
	}
	key = py_arg(x, n, 0, NULL);
	if (!key || key->kind != EX_STR) {
		expr_free(key);
		return dyn_of(x, n);
	}
	/* config.get("section", "option", default=...) (trytond's): the
	 * keyword is the default, the second positional an option's name */
	def = py_arg(x, n, -1, "default");
	if (!def) {
		def = py_arg(x, n, 1, NULL);
		/* settings.get("receive", "webhook_url") (onionshare's): a
		 * section and an option's name, which no host or URL looks like */
		if (def && def->kind == EX_STR && is_option_name(def->s)) {
			expr_free(def);
			def = NULL;
		}
	}
	e = x->kwsplat && ts_text_eq(obj, x->src, x->kwsplat) ?
	    xctx_local(x, x->kwsplat) : NULL;
	if (e && e->kind == EX_PARAM && e->s) {
		free(e->s2);
		e->s2 = key->s;
		key->s = NULL;
		e->n = -1;	/* by keyword only */
		expr_add(e, def);
	} else if (def && names_config(x, obj)) {
		expr_free(e);
		e = expr_default(def, RES_ENV_DEFAULT);
	} else {
		expr_free(e);
		expr_free(def);
		e = dyn_of(x, n);
	}
	expr_free(key);
	return e;
}

/* m.get(...) or m.pop(...) on a name or an attribute, not a dict literal. */
static int is_mapping_read(struct xctx *x, TSNode fn)
{
	TSNode obj = ts_field(fn, "object");

	if (!ts_is(fn, "attribute"))
		return 0;
	/* a configparser's typed getters take a fallback= too */
	if (ts_text_eq(ts_field(fn, "attribute"), x->src, "getint") ||
	    ts_text_eq(ts_field(fn, "attribute"), x->src, "getfloat"))
		return is_config_parser(x, obj);
	return (ts_is(obj, "identifier") || ts_is(obj, "attribute") || ts_is(obj, "subscript")) &&
	       (ts_text_eq(ts_field(fn, "attribute"), x->src, "get") ||
		ts_text_eq(ts_field(fn, "attribute"), x->src, "pop"));
}

/*
 * "/".join((BASE_URL, service, path)): the elements of a tuple or list
 * written out, with the separator between them (a URL's scheme and host
 * come from the first). NULL for any other join.
 */
static struct expr *py_str_join(struct xctx *x, TSNode n, TSNode fn)
{
	TSNode seq = py_arg_node(n, 0, NULL, x->src), *items;
	struct expr *sep, *e = NULL;
	size_t count, i;

	if (!ts_is(fn, "attribute") || !ts_text_eq(ts_field(fn, "attribute"), x->src, "join") ||
	    !ts_is(ts_field(fn, "object"), "string") ||
	    !(ts_is(seq, "tuple") || ts_is(seq, "list")))
		return NULL;
	count = ts_named_children(seq, &items);
	if (!count || count > MAX_STRING_PARTS) {
		free(items);
		return NULL;
	}
	sep = py_expr(x, ts_field(fn, "object"));
	for (i = 0; i < count; i++) {
		struct expr *part = py_expr(x, items[i]);

		e = e ? expr_pair(EX_CONCAT, expr_pair(EX_CONCAT, e, expr_copy(sep)), part) : part;
	}
	expr_free(sep);
	free(items);
	return e;
}

/*
 * BASE.rstrip("/"), url.strip(): the text with those characters cut from
 * its ends, with no argument or a literal one (EX_SLICE s "strip",
 * "lstrip", "rstrip"; a[1] the characters). NULL for any other call.
 */
static struct expr *py_str_strip(struct xctx *x, TSNode n, TSNode fn)
{
	static const char *const sides[] = { "strip", "lstrip", "rstrip", NULL };
	TSNode chars = py_arg_node(n, 0, "chars", x->src);
	struct expr *e;
	int i;

	if (!ts_is(fn, "attribute") || ts_node_named_child_count(ts_field(n, "arguments")) > 1 ||
	    !(ts_node_is_null(chars) || ts_is(chars, "string")))
		return NULL;
	for (i = 0; sides[i]; i++)
		if (ts_text_eq(ts_field(fn, "attribute"), x->src, sides[i]))
			break;
	if (!sides[i])
		return NULL;
	e = expr_new(EX_SLICE, sides[i]);
	expr_add(e, py_expr(x, ts_field(fn, "object")));
	expr_add(e, ts_node_is_null(chars) ? NULL : py_expr(x, chars));
	return e;
}

/*
 * The socket module's constant @n names by its last name, @kind "AF_" (a
 * family) or "SOCK_" (a type), whatever module it is written through
 * (execmodel.socket.AF_INET): py_socket_const's value, or NULL.
 */
static struct expr *socket_const_named(struct xctx *x, TSNode n, const char *kind)
{
	char *t, *q;
	const char *dot;
	struct expr *e = NULL;

	if (ts_node_is_null(n))
		return NULL;
	t = ts_text(n, x->src);
	dot = strrchr(t, '.');
	dot = dot ? dot + 1 : t;
	if (str_has_prefix(dot, kind)) {
		q = xasprintf("socket.%s", dot);
		e = py_socket_const(q);
		free(q);
	}
	free(t);
	return e;
}

/*
 * socket.socket(socket.AF_INET, socket.SOCK_STREAM) where socket is a
 * module kept under that name (execnet's `socket = execmodel.socket`), or
 * backend.Socket(socket.AF_INET, ...) (socketpool's backend module): an
 * address family named as the first argument says the call makes a
 * socket, whatever module it is called on. NULL for any other call.
 */
static struct expr *socket_by_family(struct xctx *x, TSNode call, TSNode fn)
{
	struct expr *f, *t, *obj;

	if (!ts_is(fn, "attribute") || (!ts_text_eq(ts_field(fn, "attribute"), x->src, "socket") &&
					!ts_text_eq(ts_field(fn, "attribute"), x->src, "Socket")))
		return NULL;
	f = socket_const_named(x, py_arg_node(call, 0, "family", x->src), "AF_");
	if (!f)
		return NULL;
	t = socket_const_named(x, py_arg_node(call, 1, "type", x->src), "SOCK_");
	obj = expr_socket(f, t);
	expr_free(f);
	expr_free(t);
	return obj;
}

static int is_self_attr(struct xctx *x, TSNode n);
static char *self_attr_name(struct xctx *x, TSNode n);

/*
 * The module a name or self.x holds, here or in the class, as a module
 * object (module_by_name): "redis.sentinel"; NULL for anything else.
 */
static char *held_module(struct xctx *x, TSNode obj)
{
	struct expr *e;
	const struct expr *kept;
	char *held, *mod = NULL;

	if (!ts_is(obj, "identifier") && !is_self_attr(x, obj))
		return NULL;
	held = ts_is(obj, "identifier") ? ts_text(obj, x->src) : self_attr_name(x, obj);
	e = xctx_local(x, held);
	if (!e && (kept = symtab_get(&x->f->syms, held)))
		e = expr_copy(kept);
	if (e && e->kind == EX_OBJ && e->s && str_has_prefix(e->s, "module:"))
		mod = xstrdup(e->s + 7);
	expr_free(e);
	free(held);
	return mod;
}

static int holds_module(struct xctx *x, TSNode obj)
{
	char *mod = held_module(x, obj);
	int yes = mod != NULL;

	free(mod);
	return yes;
}

/* sentinel_dep.Sentinel, sentinel_dep a module held (held_module): "redis.sentinel.Sentinel" */
static char *held_module_qual(struct xctx *x, TSNode fn)
{
	char *mod, *attr, *q;

	if (!ts_is(fn, "attribute") || !(mod = held_module(x, ts_field(fn, "object"))))
		return NULL;
	attr = ts_text(ts_field(fn, "attribute"), x->src);
	q = xasprintf("%s.%s", mod, attr);
	free(attr);
	free(mod);
	return q;
}

static struct expr *py_call_expr(struct xctx *x, TSNode n)
{
	TSNode fn = ts_field(n, "function");
	char *q = py_qualified(x, fn);
	struct expr *e = NULL;

	/* before a module's name: settings.BASE_URL.rstrip("/") is no function */
	if ((e = py_str_strip(x, n, fn))) {
		free(q);
		return e;
	}
	if (!q)
		q = held_module_qual(x, fn);
	if (q) {
		e = py_qualified_call(x, n, q);
		free(q);
		if (e && e->kind == EX_CALL)
			py_add_call_args(x, e, n);
		/*
		 * config.get(..., default=...) on a configuration object
		 * imported (trytond's `from trytond.config import config`):
		 * whoever wrote the getter, a default= is what it returns
		 * when the option is not set
		 */
		if ((!e || e->kind == EX_DYN || e->kind == EX_CALL) && is_mapping_read(x, fn) &&
		    !ts_node_is_null(py_arg_node(n, -1, "default", x->src)) &&
		    names_config(x, ts_field(fn, "object"))) {
			expr_free(e);
			return py_mapping_read(x, n);
		}
		return e ? e : dyn_of(x, n);
	}
	if (ts_is(fn, "identifier")) {
		if (ts_text_eq(fn, x->src, "int") || ts_text_eq(fn, x->src, "str")) {
			TSNode a = py_arg_node(n, 0, NULL, x->src);

			return ts_node_is_null(a) ? dyn_of(x, n) : py_expr(x, a);
		}
		/* vars(parser.parse_args()): the same options, read as args["port"] */
		if (ts_text_eq(fn, x->src, "vars")) {
			e = py_arg(x, n, 0, NULL);
			if (is_namespace(e))
				return e;
			expr_free(e);
			e = NULL;
		}
		if ((e = addrinfo_copied(x, n, fn)))
			return e;
		e = expr_new(EX_CALL, NULL);
		e->s = ts_text(fn, x->src);
		e->n = passes_keywords(n);
		py_add_call_args(x, e, n);
		return e;
	}
	if (ts_is(fn, "attribute") && ts_text_eq(ts_field(fn, "attribute"), x->src, "format"))
		return py_format_method(x, n, ts_field(fn, "object"));
	if (ts_is(fn, "attribute") && ts_text_eq(ts_field(fn, "attribute"), x->src, "format_map"))
		return py_format_map(x, n, ts_field(fn, "object"));
	if ((e = py_str_join(x, n, fn)))
		return e;
	if (ts_is(fn, "attribute") && ts_text_eq(ts_field(fn, "attribute"), x->src, "get") &&
	    ts_is(ts_field(fn, "object"), "dictionary"))
		return py_dict_choice(x, ts_field(fn, "object"), py_arg_node(n, 1, "default", x->src));
	if ((e = module_dict_get(x, n, fn)))
		return e;
	if (is_mapping_read(x, fn))
		return py_mapping_read(x, n);
	/*
	 * stack.enter_context(socket.socket()): a socket is its own context;
	 * ctx.wrap_socket(sock): a TLS socket over the same connection
	 */
	if (ts_is(fn, "attribute") &&
	    (ts_text_eq(ts_field(fn, "attribute"), x->src, "enter_context") ||
	     ts_text_eq(ts_field(fn, "attribute"), x->src, "wrap_socket") ||
	     ts_text_eq(ts_field(fn, "attribute"), x->src, "prepare_request"))) {
		struct expr *e = py_arg(x, n, 0, NULL);

		return e ? e : dyn_of(x, n);
	}
	/*
	 * requests.Request("GET", url).prepare(), and a session's
	 * prepare_request(req) above: the request, with its URL, for send()
	 */
	if (ts_is(fn, "attribute") && ts_text_eq(ts_field(fn, "attribute"), x->src, "prepare") &&
	    ts_node_is_null(py_arg_node(n, 0, NULL, x->src))) {
		e = py_expr(x, ts_field(fn, "object"));
		if (e && e->kind == EX_OBJ && e->s && !strcmp(e->s, "requests.Request"))
			return e;
		expr_free(e);
		e = NULL;
	}
	/* self.make_socket(...) in class C: C.make_socket's summary, self first */
	if (ts_is(fn, "attribute") && x->cls && ts_text_eq(ts_field(fn, "object"), x->src, "self")) {
		char *m = ts_text(ts_field(fn, "attribute"), x->src);

		e = expr_new(EX_CALL, NULL);
		e->s = xasprintf("%s.%s", x->cls, m);
		free(m);
		expr_add(e, NULL);
		py_add_call_args(x, e, n);
		return e;
	}
	/*
	 * zmq.Context().socket(zmq.PUSH): a ZeroMQ socket, connected or bound
	 * later; so is ctx.socket(zmq.REQ) on a context made elsewhere (a
	 * module's, one a caller hands over): the kind says it is ZeroMQ's,
	 * before a parameter's socket() is taken for the socket module's
	 */
	if (ts_is(fn, "attribute") && ts_text_eq(ts_field(fn, "attribute"), x->src, "socket")) {
		struct expr *o = py_expr(x, ts_field(fn, "object"));
		char *kind = py_qualified(x, py_arg_node(n, 0, "socket_type", x->src));
		int zmq = is_obj(o, "zmq.Context") || (kind && str_has_prefix(kind, "zmq."));

		expr_free(o);
		free(kind);
		if (zmq)
			return expr_obj("zmq.Socket", NULL, NULL);
	}
	if ((e = socket_by_family(x, n, fn)))
		return e;
	/* module.socket() with module a parameter: what the callers pass decides */
	if (ts_is(fn, "attribute") && is_param_ident(x, ts_field(fn, "object")) &&
	    is_rule_func_attr(x, fn)) {
		e = expr_new(EX_MCALL, NULL);
		e->s = ts_text(ts_field(fn, "attribute"), x->src);
		expr_add(e, py_expr(x, ts_field(fn, "object")));
		py_add_call_args_kw(x, e, n);
		return e;
	}
	/* args = parser.parse_args(): args.port is the option's default */
	if (ts_is(fn, "attribute") && (ts_text_eq(ts_field(fn, "attribute"), x->src, "parse_args") ||
				       ts_text_eq(ts_field(fn, "attribute"), x->src, "parse_known_args")))
		return expr_obj("argparse.Namespace", NULL, NULL);

	return dyn_of(x, n);
}

/*
 * Option @attr of this file's parser, as args.attr reads it: the
 * function's own parser's first ("argparse:S:attr"), else the file's;
 * NULL when no parser of the file declares it.
 */
static struct expr *argparse_option(struct xctx *x, const char *attr)
{
	char *q = x->in_func ? xasprintf("argparse:%d:%s", x->scope, attr) : NULL;
	struct expr *e = NULL;

	if (!q || !symtab_find(&x->f->syms, q)) {
		free(q);
		q = xasprintf("argparse:%s", attr);
	}
	if (symtab_find(&x->f->syms, q))
		e = expr_new(EX_IDENT, q);
	free(q);
	return e;
}

/*
 * args = vars(parser.parse_args()), then args["port"]: args.port. Also
 * where a function of the file returns that (berrynet's parse_args()).
 */
/*
 * Does name @obj hold what parse_args() returns (or vars() of it), where
 * it is read: args = parser.parse_args(), or args = parse_args() with
 * parse_args a function of the file returning that?
 */
static int names_namespace(struct xctx *x, TSNode obj)
{
	struct expr *v;
	char *name;
	int yes;

	if (!ts_is(obj, "identifier"))
		return 0;
	name = ts_text(obj, x->src);
	v = xctx_local(x, name);
	if (!v && !(x->in_func && symtab_find(&x->locals, name)))
		v = expr_copy(symtab_get(&x->f->syms, name));
	free(name);
	yes = is_namespace(v) || (v && v->kind == EX_CALL && v->s && !v->s2 &&
				  is_namespace(symtab_get(&x->f->funcs, v->s)));
	expr_free(v);
	return yes;
}

static struct expr *namespace_item(struct xctx *x, TSNode n)
{
	TSNode idx = ts_field(n, "subscript");
	struct expr *key, *e = NULL;

	if (!ts_is(idx, "string") || !names_namespace(x, ts_field(n, "value")))
		return NULL;
	key = py_expr(x, idx);
	if (key && key->kind == EX_STR)
		e = argparse_option(x, key->s);
	expr_free(key);
	return e;
}

static struct expr *py_binary(struct xctx *x, TSNode n)
{
	TSNode op = ts_field(n, "operator"), right = ts_field(n, "right");
	struct expr *e;

	if (ts_text_eq(op, x->src, "+"))
		return expr_pair(EX_CONCAT, py_expr(x, ts_field(n, "left")), py_expr(x, right));
	if (ts_text_eq(op, x->src, "%")) {
		e = expr_new(EX_FORMAT, NULL);
		expr_add(e, py_expr(x, ts_field(n, "left")));
		if (ts_is(right, "tuple") || ts_is(right, "parenthesized_expression")) {
			TSNode *kids;
			size_t count = ts_named_children(right, &kids), i;

			for (i = 0; i < count; i++)
				expr_add(e, py_expr(x, kids[i]));
			free(kids);
		} else {
			expr_add(e, py_expr(x, right));
		}
		return e;
	}
	return dyn_of(x, n);
}

/* A literal, or a name that may hold one: the right of `x or DEFAULT`. */
static int is_plain_default(const struct expr *e)
{
	return e->kind == EX_STR || e->kind == EX_INT || e->kind == EX_IDENT ||
	       e->kind == EX_QUAL;
}

/*
 * Is @n an option's or a setting's value read from an object named as
 * configuration (opt.port, options["port"], settings.get("port"))? Its
 * user sets it, so the literal beside it in `n or 1982` is its default.
 */
/* Is @obj a name holding what parse_args() returns (xArgs = parser.parse_args())? */
static int holds_namespace(struct xctx *x, TSNode obj)
{
	char *name;
	int yes;

	if (!ts_is(obj, "identifier"))
		return 0;
	name = ts_text(obj, x->src);
	yes = is_args_name(name) || names_namespace(x, obj);
	free(name);
	return yes;
}

static int reads_option(struct xctx *x, TSNode n)
{
	TSNode fn;

	if (ts_is(n, "call")) {
		fn = ts_field(n, "function");
		if (!ts_is(fn, "attribute") || !ts_text_eq(ts_field(fn, "attribute"), x->src, "get"))
			return 0;
		return names_config(x, ts_field(fn, "object"));
	}
	if (ts_is(n, "attribute"))
		return names_config(x, ts_field(n, "object")) ||
		       holds_namespace(x, ts_field(n, "object"));
	if (ts_is(n, "subscript"))
		return names_config(x, ts_field(n, "value"));
	return 0;
}

/* os.environ.get("X") or "default", opt.port or 1982, host or "localhost" */
static struct expr *py_or(struct xctx *x, TSNode n)
{
	TSNode l = ts_field(n, "left");
	struct expr *left, *right, *e;

	if (!ts_text_eq(ts_field(n, "operator"), x->src, "or"))
		return dyn_of(x, n);
	/* opt.port and int(opt.port) or 1982: the second operand, else the default */
	if (ts_is(l, "boolean_operator") && ts_text_eq(ts_field(l, "operator"), x->src, "and"))
		l = ts_field(l, "right");
	/*
	 * options.source or config.get("SOURCE") or "https://...": a chain of
	 * option and configuration reads before the literal (debsecan), each
	 * given at run time; the first stands for them all
	 */
	while (ts_is(l, "boolean_operator") && ts_text_eq(ts_field(l, "operator"), x->src, "or") &&
	       reads_option(x, ts_field(l, "left")) && reads_option(x, ts_field(l, "right")))
		l = ts_field(l, "left");
	while (ts_is(l, "call") && ts_is(ts_field(l, "function"), "identifier") &&
	       (ts_text_eq(ts_field(l, "function"), x->src, "int") ||
		ts_text_eq(ts_field(l, "function"), x->src, "str")) &&
	       !ts_node_is_null(py_arg_node(l, 0, NULL, x->src)))
		l = py_arg_node(l, 0, NULL, x->src);
	left = py_expr(x, l);
	/* opt.port or 1982: the option's value when known, else that */
	if (reads_option(x, l) && left && left->kind != EX_ENV && left->kind != EX_URLPART) {
		right = py_expr(x, ts_field(n, "right"));
		if (right && (right->kind == EX_STR || right->kind == EX_INT)) {
			e = expr_new(EX_CHOICE, OR_DEFAULT);
			expr_add(e, left);
			expr_add(e, right);
			return e;
		}
		expr_free(right);
	}
	/* u.port or 80: the port the URL gives, else that */
	if (left && left->kind == EX_URLPART && left->s && !strcmp(left->s, "port") &&
	    left->nargs == 1) {
		expr_add(left, py_expr(x, ts_field(n, "right")));
		return left;
	}
	if (left && left->kind == EX_ENV && !expr_arg(left, 1)) {
		if (left->nargs < 2)
			expr_add(left, py_expr(x, ts_field(n, "right")));
		else
			left->a[1] = py_expr(x, ts_field(n, "right"));
		return left;
	}
	/*
	 * kwargs.get("loop") or asyncio.get_event_loop(): the caller's or this
	 * one, an object of the same kind either way
	 */
	if (!left || left->kind != EX_OBJ) {
		struct expr *right = py_expr(x, ts_field(n, "right")), *e;

		if (right && right->kind == EX_OBJ) {
			expr_free(left);
			return right;
		}
		/*
		 * host or "127.0.0.1" with host a parameter: what the callers
		 * pass, the default where they pass None. (An unknown value's
		 * default is not taken: pyzor's fn[0] or "localhost" is a
		 * unix path in the branch that tests for one.)
		 */
		if (right && is_plain_default(right) && left && left->kind == EX_PARAM) {
			e = expr_new(EX_CHOICE, NULL);
			expr_add(e, left);
			expr_add(e, right);
			return e;
		}
		expr_free(right);
	}
	expr_free(left);
	return dyn_of(x, n);
}

/*
 * Top-level code reading @name that a top-level assignment bound before
 * (x->f->syms) where the name's final value is not the one meant: in
 * that name's own new value (path = os.path.abspath(path)), or over an
 * import of the same name (socket = args.socket[7:] in a script that
 * imports socket). A copy of that earlier value, else NULL.
 */
static struct expr *top_level_rebound(struct xctx *x, TSNode n, int imported)
{
	const struct expr *old;
	char *name;
	int self_ref;

	if (x->in_func || x->in_class)
		return NULL;
	name = ts_text(n, x->src);
	self_ref = x->rebinding && !strcmp(x->rebinding, name);
	old = self_ref || imported ? symtab_get(&x->f->syms, name) : NULL;
	free(name);
	return old ? expr_copy(old) : NULL;
}

static struct expr *py_ident(struct xctx *x, TSNode n)
{
	char *q = py_qualified(x, n), *name;
	struct expr *e;

	if ((e = top_level_rebound(x, n, q != NULL))) {
		free(q);
		return e;
	}
	if (q) {
		e = py_qualified_expr(q);
		free(q);
		return e;
	}
	name = ts_text(n, x->src);
	e = xctx_local(x, name);
	if (!e)
		e = expr_new(EX_IDENT, name);
	free(name);
	return e;
}

/* A 2-tuple is an address: (host, port). */
static struct expr *py_tuple(struct xctx *x, TSNode n)
{
	TSNode *kids;
	size_t count = ts_named_children(n, &kids);
	struct expr *e;

	if (count != 2) {
		free(kids);
		return dyn_of(x, n);
	}
	e = expr_pair(EX_JOIN, py_expr(x, kids[0]), py_expr(x, kids[1]));
	free(kids);
	return e;
}

static struct expr *py_expr_node(struct xctx *x, TSNode n);

/* Names a command-line parser's result is commonly kept in. */
static int is_args_name(const char *name)
{
	static const char *const names[] = { "args", "opts", "options", "arguments",
					     "cli_args", "parsed_args", "ns", "cfg" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/*
 * self.sock in a method of class C is the module-level name "C.self.sock",
 * kept beside the file-wide "self.sock" (see py_self_assign): two classes
 * of one file may keep different objects under one attribute name. The
 * resolver falls back to "self.sock" (a base class's attribute).
 */
static char *self_name(struct xctx *x, const char *attr)
{
	return x->cls ? xasprintf("%s.self.%s", x->cls, attr) : xasprintf("self.%s", attr);
}

/*
 * a.b: through an import (module attribute), self.b (a module-level name
 * shared by the class's methods, see py_self_assign), or args.port, the
 * default of an argparse option of this file ("argparse:port").
 */
/* Longest attribute chain on self followed (self.connection.socket.x). */
#define MAX_SELF_CHAIN 3

/*
 * Does @n name the object a method works on: self, or in a method of
 * class C the class itself (buildstream's C.__urlopener = build_opener()
 * in one method, returned in another), whose attributes self reads too?
 */
static int names_self(struct xctx *x, TSNode n)
{
	return ts_text_eq(n, x->src, "self") ||
	       (x->cls && x->in_func && ts_is(n, "identifier") && ts_text_eq(n, x->src, x->cls));
}

/*
 * The attributes of chain @n on self, "sock" for self.sock and
 * "connection.socket" for self.connection.socket (an object another
 * object of this class holds), or NULL when @n is no such chain.
 */
static char *self_chain(struct xctx *x, TSNode n)
{
	TSNode link[MAX_SELF_CHAIN];
	char *out = NULL;
	int depth = 0;

	while (ts_is(n, "attribute") && depth < MAX_SELF_CHAIN) {
		link[depth++] = n;
		n = ts_field(n, "object");
	}
	if (!depth || !names_self(x, n))
		return NULL;
	while (depth-- > 0) {
		char *attr = ts_text(ts_field(link[depth], "attribute"), x->src);
		char *longer = out ? xasprintf("%s.%s", out, attr) : xstrdup(attr);

		free(attr);
		free(out);
		out = longer;
	}
	return out;
}

/* Is @n such a chain? (self_chain's test, without building the name) */
static int is_self_attr(struct xctx *x, TSNode n)
{
	int depth = 0;

	while (ts_is(n, "attribute") && depth < MAX_SELF_CHAIN) {
		depth++;
		n = ts_field(n, "object");
	}
	return depth > 0 && names_self(x, n);
}

/* The symbol self-chain @n is kept under: "C.self.sock", "C.self.conn.socket". */
static char *self_attr_name(struct xctx *x, TSNode n)
{
	char *chain = self_chain(x, n), *name = self_name(x, chain);

	free(chain);
	return name;
}

/*
 * Part @attr of a split URL @split (an EX_URLPART of the whole, from
 * urlsplit), a new EX_URLPART; NULL when @split is none or @attr is a
 * part that names no address.
 */
static struct expr *url_part(const struct expr *split, const char *attr)
{
	struct expr *e;

	if (!split || split->kind != EX_URLPART || split->s ||
	    (strcmp(attr, "hostname") && strcmp(attr, "port") && strcmp(attr, "netloc")))
		return NULL;
	e = expr_new(EX_URLPART, attr);
	expr_add(e, expr_copy(expr_arg(split, 0)));
	return e;
}

/* Keys of a configuration path followed, at most (conf_path, py_conf_dict). */
#define MAX_CONF_DEPTH 8

/*
 * The key path a read of a configuration object names past the object:
 * "server.port" for conf.server.port, "PORT" for self.config["PORT"],
 * "db.port" for settings["db"]["port"]. NULL when no name on the way
 * looks like a configuration's (is_conf_name) or a key is not a literal.
 */
static char *conf_path(struct xctx *x, TSNode n)
{
	char *parts[MAX_CONF_DEPTH], *name, *path = NULL;
	int depth = 0, root = 0, i;
	struct expr *key;
	TSNode next;

	while (depth < MAX_CONF_DEPTH) {
		if (ts_is(n, "attribute")) {
			name = ts_text(ts_field(n, "attribute"), x->src);
			next = ts_field(n, "object");
		} else if (ts_is(n, "subscript") && ts_is(ts_field(n, "subscript"), "string")) {
			key = py_expr(x, ts_field(n, "subscript"));
			name = key && key->kind == EX_STR && !strchr(key->s, '.') ?
			       xstrdup(key->s) : NULL;
			expr_free(key);
			next = ts_field(n, "value");
		} else if (ts_is(n, "identifier")) {
			name = ts_text(n, x->src);
			next = (TSNode){ 0 };
		} else {
			break;
		}
		if (!name)
			break;
		root = depth > 0 && is_conf_name(name);
		if (root || ts_node_is_null(next)) {
			free(name);
			break;
		}
		parts[depth++] = name;
		n = next;
	}
	for (i = depth - 1; root && i >= 0; i--) {
		char *longer = path ? xasprintf("%s.%s", path, parts[i]) : xstrdup(parts[i]);

		free(path);
		path = longer;
	}
	for (i = 0; i < depth; i++)
		free(parts[i]);
	return path;
}

/* Node @n known only at run time, a configuration's default aside (conf_path). */
static struct expr *conf_dyn(struct xctx *x, TSNode n)
{
	struct expr *e = dyn_of(x, n);

	e->s2 = conf_path(x, n);
	return e;
}

/* oslo.config's global configuration object, whose options are attributes */
#define OSLO_CONF "oslo_config.cfg.CONF"

/* Is @n oslo.config's cfg.CONF, or a module-level name bound to it? */
static int is_oslo_conf(struct xctx *x, TSNode n)
{
	const struct expr *v;
	char *q, *name;
	int yes;

	q = py_qualified(x, n);
	if (q) {
		yes = !strcmp(q, OSLO_CONF);
		free(q);
		return yes;
	}
	if (!ts_is(n, "identifier"))
		return 0;
	name = ts_text(n, x->src);
	v = x->in_func && symtab_find(&x->locals, name) ? NULL : symtab_get(&x->f->syms, name);
	free(name);
	return v && v->kind == EX_QUAL && !strcmp(v->s, "oslo_config.cfg") &&
	       !strcmp(v->s2, "CONF");
}

/*
 * CONF.name or CONF.group.name: the default of the option this file
 * declares as cfg.StrOpt("name", default=...) (py_oslo_option). NULL for
 * anything else.
 */
static struct expr *oslo_read(struct xctx *x, TSNode n)
{
	TSNode obj = ts_field(n, "object");
	struct expr *e = NULL;
	char *attr, *key;

	if (!is_oslo_conf(x, obj) &&
	    !(ts_is(obj, "attribute") && is_oslo_conf(x, ts_field(obj, "object"))))
		return NULL;
	attr = ts_text(ts_field(n, "attribute"), x->src);
	key = xasprintf("oslo:%s", attr);
	if (symtab_find(&x->f->syms, key))
		e = expr_new(EX_IDENT, key);
	free(key);
	free(attr);
	return e;
}

/* The module object a string literal @key names, if the rules know it; else NULL. */
static struct expr *module_named(struct xctx *x, TSNode key)
{
	struct expr *name, *e = NULL;
	char *type;

	if (!ts_is(key, "string"))
		return NULL;
	name = py_expr(x, key);
	if (name && name->kind == EX_STR && rule_is_family(py_rules, name->s)) {
		type = xasprintf("module:%s", name->s);
		e = expr_obj(type, NULL, NULL);
		free(type);
	}
	expr_free(name);
	return e;
}

/*
 * self.dependencies["redis"].module: a module looked up by its name at
 * run time (limits' storage backends), as the module object "module:redis"
 * when the name is a library the rules know; NULL otherwise.
 */
static struct expr *module_by_name(struct xctx *x, TSNode n)
{
	TSNode obj = ts_field(n, "object");

	if (!ts_text_eq(ts_field(n, "attribute"), x->src, "module") || !ts_is(obj, "subscript"))
		return NULL;
	return module_named(x, ts_field(obj, "subscript"));
}

static struct expr *py_attribute(struct xctx *x, TSNode n)
{
	TSNode obj = ts_field(n, "object");
	char *q, *name, *attr;
	struct expr *e = NULL, *v;

	if ((e = oslo_read(x, n)) || (e = module_by_name(x, n)))
		return e;
	q = py_qualified(x, n);
	if (q) {
		e = py_qualified_expr(q);
		free(q);
		return e;
	}
	/*
	 * self.base_url = urlsplit(url); self.base_url.hostname, and
	 * self.options = parser.parse_args(); self.options.port (argparse_option)
	 */
	if (ts_is(obj, "attribute") && is_self_attr(x, obj)) {
		char *held = self_attr_name(x, obj);
		const struct expr *kept;

		v = xctx_local(x, held);
		if (!v && (kept = symtab_get(&x->f->syms, held)))
			v = expr_copy(kept);
		attr = ts_text(ts_field(n, "attribute"), x->src);
		e = is_namespace(v) ? argparse_option(x, attr) : url_part(v, attr);
		expr_free(v);
		free(attr);
		free(held);
		if (e)
			return e;
	}
	/* self.connection.socket: what this class's objects keep there */
	if (ts_is(obj, "attribute") && is_self_attr(x, n)) {
		e = expr_new(EX_IDENT, NULL);
		e->s = self_attr_name(x, n);
		return e;
	}
	/* urlsplit(url).hostname */
	if (ts_is(obj, "call")) {
		v = py_expr(x, obj);
		attr = ts_text(ts_field(n, "attribute"), x->src);
		e = url_part(v, attr);
		expr_free(v);
		free(attr);
		if (e)
			return e;
	}
	if (!ts_is(obj, "identifier"))
		return conf_dyn(x, n);
	name = ts_text(obj, x->src);
	attr = ts_text(ts_field(n, "attribute"), x->src);
	/* module.SOCK_DGRAM, the socket module handed in as a parameter */
	if (is_param_ident(x, obj)) {
		q = xasprintf("socket.%s", attr);
		e = py_socket_const(q);
		free(q);
		q = NULL;
	}
	v = xctx_local(x, name);
	if (e) {
		/* a socket constant, above */
	} else if ((e = url_part(v, attr))) {
		/* u = urlsplit(url); u.port */
	} else if (names_self(x, obj)) {
		q = self_name(x, attr);
		e = expr_new(EX_IDENT, q);
	} else if (is_namespace(v) || is_args_name(name)) {
		e = argparse_option(x, attr);
	}
	if (e) {
		/* found above */
	} else if (v && x->in_func && (v->kind == EX_PARAM || (v->kind == EX_CALL && v->s))) {
		/* client.session: what the object a caller passes, or the call makes, holds */
		e = expr_new(EX_ATTR, attr);
		expr_add(e, expr_copy(v));
	} else if (!v && !(x->in_func && symtab_find(&x->locals, name))) {
		/* Config.port, settings.port: a class of the tree, or what a module's name holds */
		e = expr_new(EX_ATTR, attr);
		expr_add(e, expr_new(EX_IDENT, name));
	}
	expr_free(v);
	free(q);
	free(name);
	free(attr);
	if (e && e->kind == EX_ATTR)
		e->s2 = conf_path(x, n);
	return e ? e : conf_dyn(x, n);
}

/*
 * A if cond else B: sys.argv[1] if len(sys.argv) > 1 else 8080 is the
 * argument with 8080 as its default, as is an environment variable with
 * B as its fallback. FTP_TLS() if tls else FTP(): two objects of watched
 * types, the first, as for an alias (py_alias_assign); what either
 * connects to is given later, to the name that holds it. Anything else
 * is unknown.
 */
/*
 * Is conditional expression @n `A if A is not None else B` or `A if A
 * else B`: B made when no A is given?
 */
static int given_or_made(struct xctx *x, TSNode n)
{
	char *a = ts_text(ts_child(n, 0), x->src), *cond = ts_text(ts_child(n, 1), x->src);
	char *not_none = xasprintf("%s is not None", a);
	int yes = !strcmp(cond, a) || !strcmp(cond, not_none);

	free(a);
	free(cond);
	free(not_none);
	return yes;
}

static struct expr *py_conditional(struct xctx *x, TSNode n)
{
	TSNode a = ts_child(n, 0), b = ts_child(n, 2);
	struct expr *e = py_expr(x, a), *other;

	int slot = e && e->kind == EX_ENV ? 1 : 0;	/* where the fallback goes */

	if (e && (e->kind == EX_FLAG || e->kind == EX_ENV) && !expr_arg(e, slot)) {
		while (e->nargs <= slot)
			expr_add(e, NULL);
		e->a[slot] = py_expr(x, b);
		return e;
	}
	if (e && e->kind == EX_OBJ) {
		other = py_expr(x, b);
		if (other && other->kind == EX_OBJ) {
			expr_free(other);
			return e;
		}
		expr_free(other);
	}
	/* session if session is not None else requests.Session(): the session made */
	if (!(e && e->kind == EX_OBJ) && given_or_made(x, n)) {
		other = py_expr(x, b);
		if (other && other->kind == EX_OBJ) {
			expr_free(e);
			return other;
		}
		expr_free(other);
	}
	/* "::" if v6 else "": either literal, as an if's branches give them */
	if (e && (e->kind == EX_STR || e->kind == EX_INT)) {
		other = py_expr(x, b);
		if (other && (other->kind == EX_STR || other->kind == EX_INT))
			return expr_pair(EX_CHOICE, e, other);
		expr_free(other);
	}
	expr_free(e);
	return dyn_of(x, n);
}

/* Reduce an expression node to the language of expr.h; None is NULL. */
struct expr *py_expr(struct xctx *x, TSNode n)
{
	return xctx_expr(x, n, py_expr_node);
}

/*
 * "item:ATTR:KEY" for obj.ATTR["KEY"], a literal key on an attribute: a
 * registry an object keeps its parts in (Flask's app.extensions["mail"]),
 * stored in one function and read in another, on whatever object holds
 * it then (current_app). NULL for any other subscript.
 */
static char *item_key(struct xctx *x, TSNode obj, TSNode idx)
{
	struct expr *key;
	char *attr, *k = NULL;

	if (!ts_is(obj, "attribute") || !ts_is(idx, "string"))
		return NULL;
	key = py_expr(x, idx);
	if (key && key->kind == EX_STR) {
		attr = ts_text(ts_field(obj, "attribute"), x->src);
		k = xasprintf("item:%s:%s", attr, key->s);
		free(attr);
	}
	expr_free(key);
	return k;
}

static char *attr_item_key(struct xctx *x, TSNode n)
{
	return item_key(x, ts_field(n, "value"), ts_field(n, "subscript"));
}

/*
 * app.extensions["mail"] = state: what the module stores there, for
 * attr_item_key's readers; a second store leaves it unknown.
 */
static void set_item_value(struct xctx *x, const char *key, struct expr *e)
{
	if (symtab_find(&x->f->syms, key)) {
		expr_free(e);
		e = expr_dyn("several values");
	}
	symtab_set(&x->f->syms, key, e);
}

static void set_item(struct xctx *x, const char *key, TSNode value)
{
	set_item_value(x, key, py_expr(x, value));
}

/*
 * Each literal key K of written-out dictionary @d ({"K": v} or dict(K=v))
 * as the symbol @prefix K, by set_item_value's one-store rule; with
 * @as_default, as a default its reader's options may override.
 */
static void note_entries(struct xctx *x, TSNode d, const char *prefix, int as_default)
{
	TSNode *kids;
	size_t count = ts_named_children(d, &kids), i;
	struct expr *e;
	char *k, *key;

	for (i = 0; i < count; i++) {
		k = entry_key(x, kids[i]);
		if (!k)
			continue;
		key = xasprintf("%s%s", prefix, k);
		e = py_expr(x, ts_field(kids[i], "value"));
		if (as_default)
			e = expr_default(e, RES_ENV_DEFAULT);
		set_item_value(x, key, e);
		free(key);
		free(k);
	}
	free(kids);
}

/*
 * kwargs["port"] = p on NAME, a dict of keyword arguments (py_kwargs_dict):
 * one more keyword of **NAME. One set in a branch has a value known only
 * at run time (tooz's kwargs["host"] = url.hostname under an if); a key
 * not written out leaves all of **NAME unknown.
 */
static void py_kwargs_item(struct xctx *x, TSNode left, TSNode right)
{
	TSNode obj = ts_field(left, "value"), idx = ts_field(left, "subscript");
	struct expr *list, *k, *kw;
	struct sym *held;
	char *name, *key;
	int i;

	if (!ts_is(obj, "identifier"))
		return;
	name = ts_text(obj, x->src);
	key = xasprintf("**%s", name);
	held = symtab_find(x->in_func ? &x->locals : &x->f->syms, key);
	list = held ? held->value : NULL;
	if (!list || list->kind != EX_CALL || list->s)
		goto out;
	k = ts_is(idx, "string") ? py_expr(x, idx) : NULL;
	if (!k || k->kind != EX_STR) {
		xctx_bind(x, key, expr_dyn(name), 1);
	} else {
		for (i = 0; i < list->nargs; i++)
			if (list->a[i] && list->a[i]->s && !strcmp(list->a[i]->s, k->s))
				break;
		kw = expr_new(EX_KWARG, k->s);
		expr_add(kw, x->cond_depth > 0 ? expr_dyn(k->s) : py_expr(x, right));
		if (i < list->nargs) {
			expr_free(list->a[i]);
			list->a[i] = kw;
		} else {
			expr_add(list, kw);
		}
	}
	expr_free(k);
out:
	free(key);
	free(name);
}

static void py_item_assign(struct xctx *x, TSNode left, TSNode right)
{
	char *key = attr_item_key(x, left);

	py_kwargs_item(x, left, right);
	if (!key)
		return;
	set_item(x, key, right);
	free(key);
}

/*
 * The literal key of entry @kid of a dictionary, {"K": v} or dict(K=v)
 * (owned), or NULL; its value is field "value" of either.
 */
static char *entry_key(struct xctx *x, TSNode kid)
{
	TSNode k;
	struct expr *ke;
	char *key = NULL;

	if (ts_is(kid, "keyword_argument"))
		return ts_text(ts_field(kid, "name"), x->src);
	k = ts_field(kid, "key");
	if (!ts_is(kid, "pair") || !ts_is(k, "string"))
		return NULL;
	ke = py_expr(x, k);
	if (ke && ke->kind == EX_STR) {
		key = ke->s;
		ke->s = NULL;
	}
	expr_free(ke);
	return key;
}

/* The entries of @n, {"K": v} or dict(K=v); a null node for anything else. */
static TSNode dict_entries(struct xctx *x, TSNode n)
{
	TSNode none = { 0 };
	char *fn;
	int yes;

	if (ts_is(n, "dictionary"))
		return n;
	if (!ts_is(n, "call"))
		return none;
	fn = ts_text(ts_field(n, "function"), x->src);
	yes = !strcmp(fn, "dict");
	free(fn);
	return yes ? ts_field(n, "arguments") : none;
}

static TSNode module_dict(struct xctx *x, TSNode at, TSNode name);

/*
 * The dictionary written out in the body of the class whose method @at
 * is in, bound there to attribute @name (self.ENVS, cvelib's URLs per
 * environment), as its node; null if none.
 */
static TSNode class_dict(struct xctx *x, TSNode at, TSNode name)
{
	TSNode cls, *kids, a, found = { 0 };
	size_t count, i;
	char *text;

	if (!x->tops || !x->cls)
		return found;
	cls = x->tops[x->top];
	if (ts_is(cls, "decorated_definition"))
		cls = ts_field(cls, "definition");
	if (!ts_is(cls, "class_definition") ||
	    ts_node_start_byte(at) < ts_node_start_byte(cls) ||
	    ts_node_end_byte(at) > ts_node_end_byte(cls))
		return found;
	text = ts_text(name, x->src);
	count = ts_named_children(ts_field(cls, "body"), &kids);
	for (i = 0; i < count; i++) {
		a = ts_child(kids[i], 0);
		if (ts_is(kids[i], "expression_statement") && ts_is(a, "assignment") &&
		    ts_text_eq(ts_field(a, "left"), x->src, text))
			found = ts_field(a, "right");
	}
	free(kids);
	free(text);
	return ts_node_is_null(found) ? found : dict_entries(x, found);
}

/*
 * The dictionary @obj names where @at reads it: a module-level NAME the
 * function does not bind itself (module_dict), or self.NAME bound in the
 * class's body (class_dict); null if neither.
 */
static TSNode named_dict(struct xctx *x, TSNode at, TSNode obj)
{
	TSNode none = { 0 };
	char *text;
	int local;

	if (ts_is(obj, "attribute") && ts_text_eq(ts_field(obj, "object"), x->src, "self"))
		return class_dict(x, at, ts_field(obj, "attribute"));
	if (!ts_is(obj, "identifier"))
		return none;
	text = ts_text(obj, x->src);
	local = x->in_func && symtab_find(&x->locals, text);
	free(text);
	return local ? none : module_dict(x, at, obj);
}

/*
 * Entry @idx of dictionary @d, written out: the value of a literal key,
 * else one of its values (and @fallback, a get()'s), chosen at run time.
 * NULL for a literal key it does not write: the entry, if any, comes
 * from data (REPLY = {}, then REPLY.get("server", "x")), not from code.
 */
static struct expr *dict_item(struct xctx *x, TSNode d, TSNode idx, TSNode fallback)
{
	TSNode *pairs;
	struct expr *key, *e = NULL;
	size_t count, i;
	char *k;

	key = ts_is(idx, "string") ? py_expr(x, idx) : NULL;
	if (!key || key->kind != EX_STR) {
		expr_free(key);
		return py_dict_choice(x, d, fallback);
	}
	count = ts_named_children(d, &pairs);
	for (i = 0; i < count && !e; i++) {
		if (!ts_is(pairs[i], "pair") || !(k = entry_key(x, pairs[i])))
			continue;
		if (!strcmp(k, key->s))
			e = py_expr(x, ts_field(pairs[i], "value"));
		free(k);
	}
	free(pairs);
	expr_free(key);
	return e;
}

/*
 * ENDPOINTS[key] and self.ENVS[key], a dictionary written out at module
 * level above or in the class's body: dict_item (namecheap's sandbox or
 * production URL). NULL for any other subscript.
 */
static struct expr *module_dict_item(struct xctx *x, TSNode n)
{
	TSNode d = named_dict(x, n, ts_field(n, "value"));

	if (!ts_is(d, "dictionary"))
		return NULL;
	return dict_item(x, d, ts_field(n, "subscript"), (TSNode){ 0 });
}

/* ENDPOINTS.get(key, fallback) and self.ENVS.get(...), likewise. */
static struct expr *module_dict_get(struct xctx *x, TSNode call, TSNode fn)
{
	TSNode d;

	if (!ts_is(fn, "attribute") || !ts_text_eq(ts_field(fn, "attribute"), x->src, "get"))
		return NULL;
	d = named_dict(x, call, ts_field(fn, "object"));
	if (!ts_is(d, "dictionary"))
		return NULL;
	return dict_item(x, d, py_arg_node(call, 0, "key", x->src),
			 py_arg_node(call, 1, "default", x->src));
}

/*
 * s[START:] with START an integer or len("literal") (a scheme cut off:
 * url[len("unix://"):]): EX_SLICE, or NULL for any other subscript.
 */
static struct expr *py_slice(struct xctx *x, TSNode n)
{
	TSNode sl = ts_field(n, "subscript"), start = { 0 }, k, arg;
	uint32_t i, colons = 0, count = ts_node_child_count(sl);
	struct expr *e, *lit;
	long from = -1;
	char *t;

	if (!ts_is(sl, "slice"))
		return NULL;
	for (i = 0; i < count; i++) {
		k = ts_node_child(sl, i);
		if (!ts_node_is_named(k)) {
			colons++;
			continue;
		}
		if (colons > 0 || !ts_node_is_null(start))
			return NULL;	/* a stop or a step: not a prefix cut off */
		start = k;
	}
	if (ts_is(start, "integer")) {
		t = ts_text(start, x->src);
		from = strtol(t, NULL, 10);
		free(t);
	} else if (ts_is(start, "call") && ts_text_eq(ts_field(start, "function"), x->src, "len")) {
		arg = py_arg_node(start, 0, NULL, x->src);
		lit = ts_is(arg, "string") ? py_expr(x, arg) : NULL;
		if (lit && lit->kind == EX_STR)
			from = (long)strlen(lit->s);
		expr_free(lit);
	}
	if (from < 0)
		return NULL;
	e = expr_new(EX_SLICE, NULL);
	e->n = from;
	expr_add(e, py_expr(x, ts_field(n, "value")));
	return e;
}

static struct expr *py_expr_node(struct xctx *x, TSNode n)
{
	const char *t = ts_type(n);

	if (!strcmp(t, "none"))
		return NULL;
	if (!strcmp(t, "string"))
		return py_string(x, n);
	if (!strcmp(t, "concatenated_string")) {
		TSNode *kids;
		size_t count = ts_named_children(n, &kids), i;
		struct expr *e;

		if (!count || count > MAX_STRING_PARTS) {
			free(kids);
			return dyn_of(x, n);
		}
		e = py_string(x, kids[0]);
		for (i = 1; i < count; i++) {
			struct expr *part = py_string(x, kids[i]);
			char *joined;

			/* "https://tracker/" "release/1/": one literal, as Python reads it */
			if (e && part && e->kind == EX_STR && part->kind == EX_STR) {
				joined = xasprintf("%s%s", e->s, part->s);
				free(e->s);
				e->s = joined;
				expr_free(part);
			} else {
				e = expr_pair(EX_CONCAT, e, part);
			}
		}
		free(kids);
		return e;
	}
	if (!strcmp(t, "integer"))
		return xctx_int_literal(x, n);
	if (!strcmp(t, "identifier"))
		return py_ident(x, n);
	if (!strcmp(t, "attribute"))
		return py_attribute(x, n);
	if (!strcmp(t, "conditional_expression"))
		return py_conditional(x, n);
	if (!strcmp(t, "subscript") && ts_is(ts_field(n, "value"), "dictionary"))
		return py_dict_choice(x, ts_field(n, "value"), (TSNode){ 0 });
	if (!strcmp(t, "subscript") && ts_is(ts_field(n, "subscript"), "slice")) {
		struct expr *e = py_slice(x, n);

		return e ? e : dyn_of(x, n);
	}
	if (!strcmp(t, "subscript")) {
		char *q = py_qualified(x, ts_field(n, "value"));
		struct expr *e;

		if (!q) {
			TSNode idx = ts_field(n, "subscript");
			struct expr *item = NULL;

			if (ts_is(idx, "integer")) {
				char *t = ts_text(idx, x->src);

				item = pair_item(py_expr(x, ts_field(n, "value")), strtol(t, NULL, 0));
				free(t);
			} else if (!ts_is(idx, "string")) {
				/* URLS[random.randint(0, 2)]: one of them */
				item = elements_choice(x, ts_field(n, "value"));
			}
			if (item)
				return item;
		}
		if (q && !strcmp(q, "sys.argv")) {
			free(q);
			e = expr_new(EX_FLAG, NULL);
			e->s = ts_text_short(n, x->src, 40);
			return e;
		}
		/* sys.modules["MySQLdb"]: the module, as module_by_name's */
		if (q && !strcmp(q, "sys.modules") && (e = module_named(x, ts_field(n, "subscript")))) {
			free(q);
			return e;
		}
		if (!q && (e = module_dict_item(x, n)))
			return e;
		if (!q && (e = namespace_item(x, n)))
			return e;
		if (!q || strcmp(q, "os.environ")) {
			char *key = attr_item_key(x, n);

			free(q);
			if (!key)
				return conf_dyn(x, n);
			e = expr_new(EX_IDENT, NULL);
			e->s = key;
			e->s2 = conf_path(x, n);
			return e;
		}
		free(q);
		e = expr_new(EX_ENV, NULL);
		expr_add(e, py_expr(x, ts_field(n, "subscript")));
		return e;
	}
	if (!strcmp(t, "parenthesized_expression"))
		return py_expr(x, ts_child(n, 0));
	if (!strcmp(t, "call"))
		return py_call_expr(x, n);
	if (!strcmp(t, "binary_operator"))
		return py_binary(x, n);
	if (!strcmp(t, "boolean_operator"))
		return py_or(x, n);
	if (!strcmp(t, "tuple") || !strcmp(t, "expression_list"))
		return py_tuple(x, n);
	/* a list of one server (memcache.Client(["h:11211"])) is that server */
	if (!strcmp(t, "list") && ts_node_is_null(ts_child(n, 1)) &&
	    !ts_node_is_null(ts_child(n, 0)) && !ts_is(ts_child(n, 0), "list_splat"))
		return py_expr(x, ts_child(n, 0));
	return dyn_of(x, n);
}

/*
 * Does call @call name a command-line option first ("-c", "--port")?
 * configargparse's p.add("--port", default=...) then, not a set's add.
 */
static int names_option(struct xctx *x, TSNode call)
{
	TSNode a = py_arg_node(call, 0, NULL, x->src);
	struct expr *e = ts_is(a, "string") ? py_expr(x, a) : NULL;
	int yes = e && e->kind == EX_STR && e->s[0] == '-';

	expr_free(e);
	return yes;
}

/*
 * Option @key's default @e, unless it has none and one is there already:
 * -c/--cache default="h:11211" and -n store_false into the same dest.
 */
static void set_flag(struct xctx *x, const char *key, struct expr *e)
{
	if (expr_arg(e, 0) || !expr_arg(symtab_get(&x->f->syms, key), 0))
		symtab_set(&x->f->syms, key, e);
	else
		expr_free(e);
}

/*
 * An option (--host) that is not required and stores what it is given,
 * with no default written: argparse and optparse give it None, which a
 * call then takes as not given (Flask's run(host=None): 127.0.0.1). Not
 * said of a bare add(), which may be a set's (configargparse's p.add).
 */
static int optional_without_default(struct xctx *x, TSNode call, const char *flag)
{
	TSNode req = py_arg_node(call, -1, "required", x->src);
	TSNode action = py_arg_node(call, -1, "action", x->src);
	TSNode method = ts_field(ts_field(call, "function"), "attribute");

	if (flag[0] != '-' || (!ts_node_is_null(req) && !ts_text_eq(req, x->src, "False")) ||
	    ts_text_eq(method, x->src, "add"))
		return 0;
	return ts_node_is_null(action) || ts_text_eq(action, x->src, "'store'") ||
	       ts_text_eq(action, x->src, "\"store\"");
}

/*
 * The module-level name an option's default is kept as: @prefix and the
 * option's name without leading dashes, its dashes as underscores, as
 * the parsers make the attribute ("--listen-port": listen_port).
 */
static char *option_key(const char *prefix, const char *name)
{
	char *key, *p;

	while (*name == '-')
		name++;
	key = xasprintf("%s%s", prefix, name);
	for (p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	return key;
}

/*
 * parser.add_argument("--listen-port", default=9400) (or optparse's
 * add_option): the option's default, kept as the module-level name
 * "argparse:listen_port" that args.listen_port reads (py_attribute).
 */
static void py_add_argument(struct xctx *x, TSNode call)
{
	TSNode dest = py_arg_node(call, -1, "dest", x->src), opt = { 0 }, *args;
	size_t count = ts_named_children(ts_field(call, "arguments"), &args), i;
	struct expr *name, *flag, *e;
	int have_long = 0;
	char *key;

	/* the first long option names the attribute, else the first name */
	for (i = 0; i < count && ts_is(args[i], "string"); i++) {
		name = py_expr(x, args[i]);
		if (name && name->kind == EX_STR && !have_long &&
		    (ts_node_is_null(opt) || str_has_prefix(name->s, "--"))) {
			opt = args[i];
			have_long = str_has_prefix(name->s, "--");
		}
		expr_free(name);
	}
	free(args);
	/* -u with dest="url": an optional all the same (optional_without_default) */
	flag = ts_node_is_null(opt) ? NULL : py_expr(x, opt);
	name = py_expr(x, ts_node_is_null(dest) ? opt : dest);
	if (!name || name->kind != EX_STR || !*name->s) {
		expr_free(name);
		expr_free(flag);
		return;
	}
	key = option_key("argparse:", name->s);
	e = expr_new(EX_FLAG, NULL);
	e->s = xstrdup(name->s);
	if (!ts_node_is_null(py_arg_node(call, -1, "default", x->src)))
		expr_add(e, py_arg(x, call, -1, "default"));
	else if (optional_without_default(x, call,
					  flag && flag->kind == EX_STR ? flag->s : name->s))
		expr_add(e, expr_none());
	/*
	 * Two commands of one file, each with its parser in a function and
	 * its own --port: args.port in each is its own ("argparse:S:port",
	 * S the function), and the file's name stands for a parser read
	 * elsewhere.
	 */
	if (x->in_func) {
		char *scoped = xasprintf("argparse:%d:%s", x->scope, key + 9);

		set_flag(x, scoped, expr_copy(e));
		free(scoped);
	}
	set_flag(x, key, e);
	free(key);
	expr_free(name);
	expr_free(flag);
}

/*
 * cfg.StrOpt("metadata-url", default=URL) (any of oslo.config's option
 * classes): the option's default, kept as the module-level name
 * "oslo:metadata_url" that CONF.metadata_url and CONF.group.metadata_url
 * read (oslo_read), as an argparse option's: its dest= or its name, with
 * dashes as underscores.
 */
static void py_oslo_option(struct xctx *x, TSNode call, const char *q)
{
	struct expr *name, *e;
	char *key;

	if (!str_has_prefix(q, "oslo_config.cfg.") || !str_has_suffix(q, "Opt") ||
	    ts_node_is_null(py_arg_node(call, -1, "default", x->src)))
		return;
	name = py_arg(x, call, -1, "dest");
	if (!name)
		name = py_arg(x, call, 0, "name");
	if (name && name->kind == EX_STR && *name->s) {
		key = option_key("oslo:", name->s);
		e = expr_new(EX_FLAG, name->s);
		expr_add(e, py_arg(x, call, -1, "default"));
		set_flag(x, key, e);
		free(key);
	}
	expr_free(name);
}

/*
 * Opt("bind_port", section="sdkserver", default=2000), a package's own
 * option table (zvmsdk's) in the shape of oslo.config's: the default of
 * configuration path "sdkserver.bind_port" (set_conf), which
 * CONF.sdkserver.bind_port reads in any module (conf_default). The
 * callee's name ends in "Opt"; the name, section (or group) and default
 * are literals.
 */
static void set_conf(struct xctx *x, const char *path, TSNode v);

static void py_section_option(struct xctx *x, TSNode call, TSNode fn)
{
	TSNode def = py_arg_node(call, -1, "default", x->src);
	struct expr *name, *section;
	char *callee, *path;

	if (ts_node_is_null(def) || !(ts_is(def, "string") || ts_is(def, "integer")))
		return;
	callee = ts_text(ts_is(fn, "attribute") ? ts_field(fn, "attribute") : fn, x->src);
	if (!str_has_suffix(callee, "Opt")) {
		free(callee);
		return;
	}
	free(callee);
	name = py_arg(x, call, 0, "name");
	section = py_arg(x, call, -1, "section");
	if (!section)
		section = py_arg(x, call, -1, "group");
	if (name && name->kind == EX_STR && *name->s && !strchr(name->s, '.') &&
	    section && section->kind == EX_STR && *section->s && !strchr(section->s, '.')) {
		path = xasprintf("%s.%s", section->s, name->s);
		set_conf(x, path, def);
		free(path);
	}
	expr_free(name);
	expr_free(section);
}

/* Position of node @n in the file, in the order sites are met. */
static long py_pos(struct xctx *x, TSNode n)
{
	TSPoint p = ts_node_start_point(n);

	return site_pos(x->f->line_base + p.row + 1, p.column + 1);
}

/* Remember where @name is first used as @kind in the current function. */
static void py_note_use_in(struct xctx *x, int scope, const char *name, const char *kind,
			   long pos)
{
	char *key = xasprintf("%d %s %s", scope, name, kind);

	if (!symtab_find(&x->f->uses, key))
		symtab_set(&x->f->uses, key, expr_int(pos));
	free(key);
}

static void py_note_use(struct xctx *x, const char *name, const char *kind, long pos)
{
	py_note_use_in(x, x->scope, name, kind, pos);
}

/* One use @kind of the socket call @call is made on (@on_arg: its argument 0). */
static void note_call_use(struct xctx *x, TSNode call, const char *kind, int on_arg)
{
	TSNode fn = ts_field(call, "function"), obj = ts_field(fn, "object");
	char *name = NULL;

	if (on_arg)
		obj = py_arg_node(call, 0, "sock", x->src);
	if (ts_is(obj, "identifier")) {
		name = ts_text(obj, x->src);
	} else if (is_self_attr(x, obj)) {
		name = self_attr_name(x, obj);
	}
	if (!name)
		return;
	py_note_use(x, name, kind, py_pos(x, call));
	/* self.sock.recvfrom() in one method, sendto() in another (is_self_reply) */
	if (!ts_is(obj, "identifier"))
		py_note_use_in(x, -1, name, kind, py_pos(x, call));
	free(name);
}

/*
 * sock.recvfrom(), sock.listen(), sock.close() and the like: where a name
 * is first used so, in each function, so that py_prune_sites can tell a
 * server replying (bind, recvfrom, sendto) from a client with a source
 * address (bind, sendto, recvfrom), and a probe (bind to port 0, close)
 * from a listener. An event loop's sock_*(sock, ...) methods use their
 * socket argument so: loop.sock_connect(sock, addr) after sock.bind(a)
 * makes that bind a client's source address.
 */
static void py_note_call_use(struct xctx *x, TSNode call)
{
	static const struct {
		const char *method, *kind;
		int on_arg;	/* the socket is argument 0 (sock=), not the receiver */
	} uses[] = {
		{ "recv", "recv" }, { "recvfrom", "recv" }, { "recv_into", "recv" },
		{ "recvfrom_into", "recv" }, { "recvmsg", "recv" },
		{ "listen", "serve" }, { "accept", "serve" }, { "close", "close" },
		{ "sock_recv", "recv", 1 }, { "sock_recvfrom", "recv", 1 },
		{ "sock_recv_into", "recv", 1 }, { "sock_accept", "serve", 1 },
		{ "sock_connect", "connect", 1 },
		/* a second kind for some: a free-port probe (is_port_probe) */
		{ "accept", "accept" }, { "sock_accept", "accept", 1 },
		{ "getsockname", "sockname" },
	};
	TSNode fn = ts_field(call, "function");
	size_t i;

	if (!ts_is(fn, "attribute"))
		return;
	for (i = 0; i < sizeof(uses) / sizeof(uses[0]); i++)
		if (ts_text_eq(ts_field(fn, "attribute"), x->src, uses[i].method))
			note_call_use(x, call, uses[i].kind, uses[i].on_arg);
}

/*
 * Is @n a name of the function's own parameters? A key read from its
 * **kwargs with a default (host = kwargs.pop("listen_host", "")) is not:
 * the function builds the address from it.
 */
static int is_own_param(struct xctx *x, TSNode n)
{
	struct expr *v;
	char *name;

	if (!ts_is(n, "identifier"))
		return 0;
	name = ts_text(n, x->src);
	v = symtab_get(&x->locals, name);
	free(name);
	return v && v->kind == EX_PARAM && v->n >= 0;
}

/*
 * Does call @call hand on its function's own parameters as argument @pos
 * (def connect(self, address): return super().connect(address); or
 * super().__init__((host, port), handler))? An override passing its
 * caller's address through: the caller is the site.
 */
static int passes_through_at(struct xctx *x, TSNode call, int pos, int tuple)
{
	TSNode a = py_arg_node(call, pos, NULL, x->src), *items;
	size_t n, i;
	int yes;

	if (ts_is(a, "list_splat") || ts_is(a, "dictionary_splat"))
		return 1;
	if (!ts_is(a, "tuple") || !tuple)
		return is_own_param(x, a);
	n = ts_named_children(a, &items);
	for (i = 0, yes = n > 0; i < n && yes; i++)
		yes = is_own_param(x, items[i]);
	free(items);
	return yes;
}

static int passes_through(struct xctx *x, TSNode call)
{
	return passes_through_at(x, call, 0, 1);
}

/*
 * reactor.connectTCP(...) on a reactor handed in (def __init__(self,
 * reactor)) or kept on another object (kajongg's Internal.reactor):
 * twisted's reactor, by the name every twisted program gives it, when the
 * imports do not say what the object is. Its qualified name, or NULL.
 */
static char *reactor_by_name(struct xctx *x, TSNode fn)
{
	TSNode obj = ts_field(fn, "object");
	char *m, *q = NULL;

	if (!ts_is(fn, "attribute"))
		return NULL;
	if (ts_is(obj, "attribute"))
		obj = ts_field(obj, "attribute");
	if (!ts_text_eq(obj, x->src, "reactor") && !ts_text_eq(obj, x->src, "_reactor"))
		return NULL;
	m = ts_text(ts_field(fn, "attribute"), x->src);
	if (rule_func(py_rules, "twisted.internet.reactor", m))
		q = xasprintf("twisted.internet.reactor.%s", m);
	free(m);
	return q;
}

/* Is @n in a method named @method, an override of the base's? */
static int in_method_named(struct xctx *x, TSNode n, const char *method)
{
	while (!ts_node_is_null(n) && !ts_is(n, "function_definition"))
		n = ts_parent(n);
	return ts_text_eq(ts_field(n, "name"), x->src, method);
}

/*
 * `self` in a method of a class whose watched base makes objects of a type
 * (requests.Session), calling @method, which the class does not define
 * itself (an override is the class's own code).
 */
static int is_self_of_type(struct xctx *x, TSNode obj, const char *method)
{
	TSNode call;

	if (!x->cls_type || !x->in_func)
		return 0;
	/*
	 * super().connect(addr), super(C, self).connect(addr): the base's own,
	 * unless an override of connect passes its callers' address on (their
	 * obj.connect(...) is the site); a helper of another name that does
	 * (locust's _send_request_safe_mode calling super().request(method,
	 * url)) is called by the class itself, so its call is the site
	 */
	if (ts_is(obj, "call") && ts_text_eq(ts_field(obj, "function"), x->src, "super")) {
		call = ts_parent(ts_parent(obj));
		return !(in_method_named(x, call, method) && passes_through(x, call));
	}
	return ts_text_eq(obj, x->src, "self") && !overrides(x, method);
}

/*
 * `self` in a method of class C whose bases are classes of the tree, none
 * of them watched here: what C's objects are is found through the bases
 * ("bases:C") once every module is read (resolve.c class_obj). A method C
 * defines itself is its own.
 */
static int is_self_of_tree_base(struct xctx *x, TSNode obj, const char *method)
{
	return x->cls && x->cls_base && !x->cls_type && x->in_func &&
	       ts_text_eq(obj, x->src, "self") && !overrides(x, method);
}

/*
 * kwargs = {"host": h, "port": p}; Redis(**kwargs): a dict literal whose
 * keys are all strings is a set of keyword arguments, kept as "**NAME"
 * beside NAME: a list (EX_CALL with no name) of EX_KWARG. Any other value
 * of NAME (or a key that is not a string) leaves it unknown.
 */
static struct expr *py_kwargs_dict(struct xctx *x, TSNode dict)
{
	TSNode *pairs;
	size_t count = ts_named_children(dict, &pairs), i;
	struct expr *list = expr_new(EX_CALL, NULL), *key, *kw;

	for (i = 0; i < count && list; i++) {
		if (ts_is(pairs[i], "comment"))
			continue;
		key = ts_is(pairs[i], "pair") && ts_is(ts_field(pairs[i], "key"), "string") ?
		      py_expr(x, ts_field(pairs[i], "key")) : NULL;
		if (!key || key->kind != EX_STR) {
			expr_free(key);
			expr_free(list);
			list = NULL;
			break;
		}
		kw = expr_new(EX_KWARG, key->s);
		expr_add(kw, py_expr(x, ts_field(pairs[i], "value")));
		expr_add(list, kw);
		expr_free(key);
	}
	free(pairs);
	return list;
}

/*
 * The dictionary literal a setting falls back to: getattr(settings,
 * "NAME", {...}), or conf.get("name", {...}) on configuration (the user's
 * value, else that); @right itself when it is one; else a null node.
 */
static TSNode setting_dict(struct xctx *x, TSNode right)
{
	TSNode fn = ts_field(right, "function"), d = { 0 };

	if (ts_is(right, "dictionary"))
		return right;
	if (!ts_is(right, "call"))
		return d;
	if (ts_is(fn, "identifier") && ts_text_eq(fn, x->src, "getattr"))
		d = py_arg_node(right, 2, NULL, x->src);
	else if (ts_is(fn, "attribute") && ts_text_eq(ts_field(fn, "attribute"), x->src, "get") &&
		 names_config(x, ts_field(fn, "object")))
		d = py_arg_node(right, 1, NULL, x->src);
	return ts_is(d, "dictionary") ? d : (TSNode){ 0 };
}

static void py_note_kwargs_dict(struct xctx *x, const char *name, TSNode right)
{
	char *key = xasprintf("**%s", name);
	TSNode dict = setting_dict(x, right);
	struct expr *list = ts_node_is_null(dict) ? NULL : py_kwargs_dict(x, dict);

	if (list)
		xctx_bind(x, key, list, 1);
	else if (symtab_find(x->in_func ? &x->locals : &x->f->syms, key))
		xctx_bind(x, key, expr_dyn(name), 1);
	free(key);
}

/*
 * **NAME in a call, NAME a dict literal of string keys (py_kwargs_dict),
 * the function's or the module's: its entries as keyword arguments into
 * @s. 0 when it is no such dict.
 */
static int py_splat_dict(struct xctx *x, struct site *s, TSNode splat)
{
	TSNode *kids;
	size_t count = ts_named_children(splat, &kids);
	struct expr *list = NULL;
	char *name, *key;
	int i;

	if (count == 1 && ts_is(kids[0], "identifier")) {
		name = ts_text(kids[0], x->src);
		key = xasprintf("**%s", name);
		list = xctx_local(x, key);
		/* a module's dict, in a function with no name of its own so */
		if (!list && (!x->in_func || !symtab_find(&x->locals, name)) &&
		    symtab_get(&x->f->syms, key))
			list = expr_copy(symtab_get(&x->f->syms, key));
		free(key);
		free(name);
	}
	free(kids);
	if (!list || list->kind != EX_CALL || list->s) {
		expr_free(list);
		return 0;
	}
	for (i = 0; i < list->nargs; i++)
		site_add_arg(s, expr_copy(list->a[i]->a[0]), list->a[i]->s,
			     ts_text_short(splat, x->src, 120));
	expr_free(list);
	return 1;
}

/*
 * *ADDR, ADDR a (host, port) pair written out here or bound to a name of
 * the function or module (start_server(handler, *ADDR)): its two items,
 * as two positional arguments of @s. 0 for any other *splat.
 */
static int py_splat_pair(struct xctx *x, struct site *s, TSNode splat)
{
	TSNode inner = ts_node_named_child(splat, 0);
	struct expr *e = NULL;
	char *name;
	int i;

	if (ts_is(inner, "tuple") || ts_is(inner, "parenthesized_expression")) {
		e = py_expr(x, inner);
	} else if (ts_is(inner, "identifier")) {
		name = ts_text(inner, x->src);
		e = xctx_local(x, name);
		if (!e && !(x->in_func && symtab_find(&x->locals, name)) &&
		    symtab_get(&x->f->syms, name))
			e = expr_copy(symtab_get(&x->f->syms, name));
		free(name);
	}
	if (!e || e->kind != EX_JOIN || e->nargs != 2) {
		expr_free(e);
		return 0;
	}
	for (i = 0; i < 2; i++) {
		struct expr *item = expr_copy(e->a[i]);

		if (ts_is(inner, "identifier"))	/* through a name: a constant */
			item = expr_default(item, RES_CONSTANT);
		site_add_arg(s, item, NULL, ts_text_short(splat, x->src, 120));
	}
	expr_free(e);
	return 1;
}

/*
 * The arguments of call node @call, with their keywords and text, into @s;
 * the first @skip positional ones left out (a partial's function).
 */
static void py_site_args(struct xctx *x, struct site *s, TSNode call, int skip)
{
	TSNode *args;
	size_t count = ts_named_children(ts_field(call, "arguments"), &args), i;

	for (i = 0; i < count; i++) {
		if (skip > 0 && !ts_is(args[i], "keyword_argument")) {
			skip--;
			continue;
		}
		TSNode a = args[i];
		char *kw = NULL;

		if (ts_is(a, "dictionary_splat") && py_splat_dict(x, s, a))
			continue;
		if (ts_is(a, "dictionary_splat") && !s->splat_map)
			s->splat_map = py_qualified(x, ts_node_named_child(a, 0));
		if (ts_is(a, "list_splat") && py_splat_pair(x, s, a))
			continue;
		if (ts_is(a, "keyword_argument")) {
			kw = ts_text(ts_field(a, "name"), x->src);
			a = ts_field(a, "value");
		}
		site_add_arg(s, py_expr(x, a), kw, ts_text_short(a, x->src, 120));
		free(kw);
	}
	free(args);
}

static int is_getattr_call(struct xctx *x, TSNode n);
static char *getattr_name(struct xctx *x, TSNode call, int any);

/* "bound:NAME": the key of a method of a watched object held in NAME. */
static char *bound_key(struct xctx *x, TSNode name)
{
	char *held, *key;

	if (ts_is(name, "identifier"))
		held = ts_text(name, x->src);
	else if (is_self_attr(x, name))
		held = self_attr_name(x, name);
	else
		return NULL;
	key = xasprintf("bound:%s", held);
	free(held);
	return key;
}

/*
 * self.urlopen = opener.open, fetch = session.get: the name holds a method
 * of a watched object (an EX_OBJ whose s2 names the method), kept in the
 * file's symbols so that self.urlopen(url) is opener.open(url); of a
 * parameter, an EX_ATTR of the parameter named after the method, which
 * the callers' objects resolve.
 */
static int py_bound_assign(struct xctx *x, TSNode left, TSNode right)
{
	TSNode obj = ts_field(right, "object");
	struct expr *o, *verb;
	char *meth, *key;
	int done = 0;

	if (is_getattr_call(x, right)) {
		/* send = getattr(session, method): the method named, maybe any */
		obj = py_arg_node(right, 0, NULL, x->src);
		verb = py_arg(x, right, 1, NULL);
		meth = xstrdup(verb && verb->kind == EX_STR ? verb->s : ANY_METHOD);
		expr_free(verb);
	} else if (ts_is(right, "attribute")) {
		meth = ts_text(ts_field(right, "attribute"), x->src);
	} else {
		return 0;
	}
	o = py_expr(x, obj);
	/* self.http: the object a method of the class put there */
	if (o && o->kind == EX_IDENT && held_object(x, o->s)) {
		struct expr *held = expr_copy(held_object(x, o->s));

		expr_free(o);
		o = held;
	}
	key = bound_key(x, left);
	if (key && o && o->kind == EX_OBJ && o->s &&
	    (!strcmp(meth, ANY_METHOD) ? rule_any_method(py_rules, o->s) != NULL :
					 rule_method(py_rules, o->s, meth) != NULL)) {
		free(o->s2);
		o->s2 = meth;
		meth = NULL;
		symtab_set(&x->f->syms, key, o);
		o = NULL;
		done = 1;
	} else if (key && o && o->kind == EX_PARAM && o->s2 && ts_is(obj, "identifier") &&
		   strcmp(meth, ANY_METHOD) && strcmp(meth, "open") &&
		   rule_is_method_name(py_rules, meth)) {
		/*
		 * func = session.get, session a parameter: its callers' object's
		 * (an opener's open handed in is the callers' site: passed_opener)
		 */
		struct expr *b = expr_new(EX_ATTR, meth);

		b->n = x->scope;	/* the parameter is this function's */
		expr_add(b, o);
		o = NULL;
		symtab_set(&x->f->syms, key, b);
		done = 1;
	}
	expr_free(o);
	free(meth);
	free(key);
	return done;
}

/* A call of a name that holds a watched object's method (py_bound_assign). */
static int py_bound_call(struct xctx *x, TSNode call)
{
	char *key = bound_key(x, ts_field(call, "function"));
	struct expr *o = key ? symtab_get(&x->f->syms, key) : NULL;
	struct site *s;

	free(key);
	if (o && o->kind == EX_ATTR && o->s && o->nargs == 1 && o->a[0] && o->n == x->scope) {
		/* the method of a parameter's object (py_bound_assign), as param.method() */
		s = site_new(x, call);
		s->method = xstrdup(o->s);
		s->recv = expr_copy(o->a[0]);
		s->recv_name = xstrdup(o->a[0]->s2);
		s->scope = x->scope;
		py_site_args(x, s, call, 0);
		return 1;
	}
	if (!o || o->kind != EX_OBJ || !o->s2)
		return 0;
	s = site_new(x, call);
	s->method = xstrdup(o->s2);
	s->recv = expr_copy(o);
	py_site_args(x, s, call, 0);
	return 1;
}

/*
 * Calls of the tree's own functions, classes and methods, kept so that a
 * parameter can stand for what its callers pass (resolve.c, EX_PARAM):
 * "calls:KEY" in the file's symbols is a list (an EX_CALL with no name)
 * of calls, each an EX_CALL whose arguments are the positional values
 * and EX_KWARG(keyword, value), s2 the class the call is in (or NULL). KEY is the callee as the call names it
 * through the imports: "f", "C" (a constructor), "C.m" (self.m() in C:
 * self is the first argument, None), "pkg.mod.C" or "pkg.mod.C.__init__"
 * (an explicit base __init__, self given); n is 1 when the call put self
 * first (self.m(), an instance's method). Bounded per name and per file.
 */
#define MAX_CALLS_PER_NAME 16
#define MAX_CALLS_PER_FILE 8192

/*
 * server.run(...) on local @name made by a call of the tree, server =
 * pkg.Server(...): "pkg.Server.run", self first, as self.run() in Server
 * is (a function rather than a class there has no such method: no caller).
 */
static char *instance_method_key(struct xctx *x, const char *name, TSNode attr)
{
	const struct expr *v = symtab_get(&x->locals, name);
	char *m, *key;

	if (!v || v->kind != EX_CALL || !v->s)
		return NULL;
	m = ts_text(attr, x->src);
	key = v->s2 ? xasprintf("%s.%s.%s", v->s2, v->s, m) : xasprintf("%s.%s", v->s, m);
	free(m);
	return key;
}

/*
 * self.streamer._request(url) on an object whose class is not known here:
 * "*.streamer._request", the method of that name of whichever class of
 * the tree defines it, if only one does, else of the one whose name ends
 * with the object's (TwythonStreamer: resolve.c only_method_def). Not for
 * the methods of the APIs sockscan watches, nor for names that common
 * types' methods have (get, update...), which calls on other objects
 * would reach.
 */
static char *any_class_method_key(struct xctx *x, TSNode fn)
{
	TSNode obj = ts_field(fn, "object");
	static const char *const common[] = {
		"get", "set", "pop", "update", "items", "keys", "values", "append",
		"extend", "insert", "remove", "copy", "clear", "format", "join",
		"split", "strip", "replace", "encode", "decode", "read", "write",
		"close", "open", "start", "stop", "run", "send", "recv", "put",
		"add", "call", "execute", "info", "debug", "warning", "error",
		"exception", "result", "wait", "cancel", "acquire", "release", NULL,
	};
	char *m = ts_text(ts_field(fn, "attribute"), x->src), *key = NULL, *hint, *h;
	int i;

	if (ts_is(obj, "attribute"))
		obj = ts_field(obj, "attribute");
	hint = ts_is(obj, "identifier") ? ts_text(obj, x->src) : xstrdup("");
	for (h = hint; *h == '_'; h++)
		;
	for (i = 0; common[i] && strcmp(common[i], m); i++)
		;
	if (!common[i] && !rule_is_method_name(py_rules, m) && m[0] && strncmp(m, "__", 2))
		key = xasprintf(ANY_CLASS "%s.%s", h, m);
	free(hint);
	free(m);
	return key;
}

/* The key of the callee of call node @n (see above), or NULL. */
static char *callee_key(struct xctx *x, TSNode fn, int *self_first)
{
	TSNode obj = ts_field(fn, "object");
	char *key, *m;

	*self_first = 0;
	if (ts_is(fn, "identifier")) {
		/* cls(**init_args) in a classmethod of C (influxdb's from_dsn): C(...) */
		if (x->cls && x->in_func && ts_text_eq(fn, x->src, "cls"))
			return xstrdup(x->cls);
		key = py_qualified(x, fn);
		if (key)
			return key;
		key = ts_text(fn, x->src);
		if (x->in_func && symtab_find(&x->locals, key)) {
			free(key);
			return NULL;
		}
		return key;
	}
	if (!ts_is(fn, "attribute"))
		return NULL;
	/*
	 * self.m() in C, super().m() in a class whose first base is B: C.m,
	 * B.m; self.m() in a C that does not define m calls B's (whose
	 * parameters then see what C's calls pass)
	 */
	if ((x->cls && ts_text_eq(obj, x->src, "self")) ||
	    (x->cls_base && ts_is(obj, "call") &&
	     ts_text_eq(ts_field(obj, "function"), x->src, "super"))) {
		const char *owner = x->cls;

		m = ts_text(ts_field(fn, "attribute"), x->src);
		if (ts_is(obj, "call") ||
		    (x->cls_base && x->cls_methods && !symtab_find(x->cls_methods, m)))
			owner = x->cls_base;
		key = xasprintf("%s.%s", owner, m);
		free(m);
		*self_first = 1;
		return key;
	}
	key = py_qualified(x, fn);
	if (key)
		return key;
	/* Base.__init__(self, ...) with Base a class of this module */
	if (ts_is(obj, "identifier")) {
		m = ts_text(obj, x->src);
		if (x->in_func && symtab_find(&x->locals, m)) {
			key = instance_method_key(x, m, ts_field(fn, "attribute"));
			free(m);
			*self_first = 1;
			return key ? key : any_class_method_key(x, fn);
		}
		free(m);
		return ts_text(fn, x->src);
	}
	*self_first = 1;
	return any_class_method_key(x, fn);
}

/* Is @name the *args parameter of the function definition that holds @n? */
static int is_own_varargs(struct xctx *x, TSNode n, TSNode name)
{
	TSNode *params;
	size_t count, i;
	char *text;
	int yes = 0;

	while (!ts_node_is_null(n) && !ts_is(n, "function_definition"))
		n = ts_parent(n);
	if (ts_node_is_null(n) || !ts_is(name, "identifier"))
		return 0;
	text = ts_text(name, x->src);
	count = ts_named_children(ts_field(n, "parameters"), &params);
	for (i = 0; i < count && !yes; i++)
		yes = ts_is(params[i], "list_splat_pattern") &&
		      ts_text_eq(ts_child(params[i], 0), x->src, text);
	free(params);
	free(text);
	return yes;
}

/*
 * The SPLAT_ARG of @splat at position @pos of @call: with the calling
 * function's own *args passed on (is_own_varargs), that parameter.
 */
static struct expr *splat_arg(struct xctx *x, TSNode splat, TSNode call, int pos)
{
	struct expr *e = expr_new(EX_KWARG, SPLAT_ARG), *v;
	TSNode name = ts_child(splat, 0);

	if (!ts_is(splat, "list_splat") || !x->in_func || !is_own_varargs(x, call, name))
		return e;
	v = py_expr(x, name);
	if (v && v->kind == EX_PARAM && v->s) {
		e->n = pos;
		expr_add(e, v);
	} else {
		expr_free(v);
	}
	return e;
}

/*
 * The arguments of @call, keyword ones as EX_KWARG; none positional after
 * a *splat, which is an EX_KWARG named SPLAT_ARG.
 */
static void py_add_call_args_kw(struct xctx *x, struct expr *e, TSNode call)
{
	TSNode *args;
	size_t count = ts_named_children(ts_field(call, "arguments"), &args), i;
	int positional = 1;

	for (i = 0; i < count; i++) {
		struct expr *kw;

		if (ts_is(args[i], "keyword_argument")) {
			kw = expr_new(EX_KWARG, NULL);
			kw->s = ts_text(ts_field(args[i], "name"), x->src);
			expr_add(kw, py_expr(x, ts_field(args[i], "value")));
			expr_add(e, kw);
		} else if (ts_is(args[i], "list_splat") || ts_is(args[i], "dictionary_splat")) {
			/* "*": any parameter may be bound by the splat (resolve.c) */
			if (positional)
				expr_add(e, splat_arg(x, args[i], call, e->nargs));
			positional = 0;
		} else if (positional) {
			expr_add(e, py_expr(x, args[i]));
		}
	}
	free(args);
}

/* Record call node @n for parameter binding (see MAX_CALLS_PER_NAME). */
/* Record call node @n of callee @key for parameter binding (py_note_callee). */
/*
 * A new recorded call of callee @key, its arguments still to add, or NULL
 * past MAX_CALLS_PER_FILE or MAX_CALLS_PER_NAME.
 */
static struct expr *new_callee_call(struct xctx *x, const char *key, int self_first)
{
	struct expr *list, *call = NULL;
	char *name;

	if (x->ncalls >= MAX_CALLS_PER_FILE)
		return NULL;
	name = xasprintf("calls:%s", key);
	list = symtab_get(&x->f->syms, name);
	if (!list) {
		symtab_set(&x->f->syms, name, expr_new(EX_CALL, NULL));
		list = symtab_get(&x->f->syms, name);
	}
	if (list->nargs < MAX_CALLS_PER_NAME) {
		call = expr_new(EX_CALL, key);
		call->s2 = x->cls ? xstrdup(x->cls) : NULL;	/* the calling class */
		call->n = self_first;
		if (self_first)
			expr_add(call, NULL);
		expr_add(list, call);
		x->ncalls++;
	}
	free(name);
	return call;
}

static void note_callee_as(struct xctx *x, TSNode n, const char *key, int self_first)
{
	struct expr *call = new_callee_call(x, key, self_first);

	if (call)
		py_add_call_args_kw(x, call, n);
}

/*
 * threading.Thread(target=self.relay, args=(host, port)), and
 * multiprocessing.Process the same: a call of the target with those
 * arguments, for binding its parameters (smartleia's PCSC relay).
 */
static void note_thread_target(struct xctx *x, TSNode n)
{
	TSNode target = py_arg_node(n, -1, "target", x->src);
	TSNode args = py_arg_node(n, -1, "args", x->src), *kids;
	char *q, *key;
	struct expr *call;
	size_t count, i;
	int self_first, yes;

	if (ts_node_is_null(target))
		return;
	q = py_qualified(x, ts_field(n, "function"));
	yes = q && (!strcmp(q, "threading.Thread") || !strcmp(q, "multiprocessing.Process"));
	free(q);
	/*
	 * args=args (tweepy's _threaded_connect passing its own *args to
	 * self._connect, which a subclass overrides): not followed, the
	 * target's other callers bind it as before
	 */
	if (!ts_node_is_null(args) && !ts_is(args, "tuple") && !ts_is(args, "list"))
		yes = 0;
	key = yes ? callee_key(x, target, &self_first) : NULL;
	if (!key)
		return;
	call = new_callee_call(x, key, self_first);
	free(key);
	if (!call || ts_node_is_null(args))
		return;
	count = ts_named_children(args, &kids);
	for (i = 0; i < count; i++)
		expr_add(call, py_expr(x, kids[i]));
	free(kids);
}

/*
 * Is @fn super().m, or self.m where the class walked does not define m?
 * Any of the class's bases may then be the one whose m is called.
 */
static int calls_base_method(struct xctx *x, TSNode fn)
{
	TSNode obj = ts_field(fn, "object");
	char *m;
	int yes;

	if (!x->cls || !ts_is(fn, "attribute"))
		return 0;
	if (ts_is(obj, "call"))
		return ts_text_eq(ts_field(obj, "function"), x->src, "super");
	if (!ts_text_eq(obj, x->src, "self") || !x->cls_methods)
		return 0;
	m = ts_text(ts_field(fn, "attribute"), x->src);
	yes = !symtab_find(x->cls_methods, m);
	free(m);
	return yes;
}

/*
 * C(...) of a class of this module that stands for its watched base
 * (class MQTTClient(mqtt.Client), callee_key's name for it: the base's):
 * a call of C too, whose __init__'s parameters its callers give (notus'
 * broker address, kept on self for its connect()).
 */
static void note_own_class_call(struct xctx *x, TSNode call, TSNode fn, const char *key)
{
	char *own, *bases;

	if (!ts_is(fn, "identifier"))
		return;
	own = ts_text(fn, x->src);
	bases = xasprintf("bases:%s", own);
	if (strcmp(own, key) && symtab_find(&x->f->syms, bases))
		note_callee_as(x, call, own, 0);
	free(bases);
	free(own);
}

/*
 * A call of a function or method of the tree, kept for the resolver to
 * bind that function's parameters (resolve.c eval_param). super().m() and
 * an inherited self.m() are kept as callee_key's first base's m, and as
 * each further base's m too: class StreamingClient(BaseClient,
 * BaseStream) calling super()._connect(...) calls BaseStream's.
 */
static void py_note_callee(struct xctx *x, TSNode n)
{
	TSNode fn = ts_field(n, "function");
	struct expr *bases;
	char *key, *m, *k2;
	int self_first, i;

	key = callee_key(x, fn, &self_first);
	if (!key)
		return;
	note_callee_as(x, n, key, self_first);
	note_own_class_call(x, n, fn, key);
	free(key);
	if (!self_first || !calls_base_method(x, fn))
		return;
	key = xasprintf("bases:%s", x->cls);
	bases = symtab_get(&x->f->syms, key);
	free(key);
	m = ts_text(ts_field(fn, "attribute"), x->src);
	for (i = 1; bases && i < bases->nargs; i++) {
		k2 = xasprintf("%s.%s", bases->a[i]->s, m);
		note_callee_as(x, n, k2, 1);
		free(k2);
	}
	free(m);
}

/*
 * The watched base class @cls stands for (class_alias), or NULL: not
 * always its first base, as mixins come first (class
 * LibProxyServer(ThreadingMixIn, HTTPServer)) and have no __init__.
 */
static const char *watched_base(struct xctx *x, const char *cls)
{
	const struct expr *own;
	char *key;
	int i;

	for (i = x->f->nimports - 1; i >= 0; i--)
		if (!x->f->imports[i].hidden && !strcmp(x->f->imports[i].alias, cls))
			return x->f->imports[i].path;
	key = xasprintf("watched:%s", cls);
	own = symtab_get(&x->f->syms, key);
	free(key);
	return own ? own->s : NULL;
}

/*
 * super().__init__(address, ...) in a subclass of a server or client class
 * sockscan has a rule for (werkzeug's BaseWSGIServer(HTTPServer) computes
 * its address and binds later): that constructor's rule, unless the
 * address is the method's own parameter passed on (then the subclass's
 * instantiation is the site). NULL otherwise.
 */
static const struct rule *super_init_rule(struct xctx *x, TSNode fn, TSNode call)
{
	TSNode obj = ts_field(fn, "object");
	const char *dot, *base;
	const struct rule *r;
	char *fam;

	if (!x->cls_base || !x->in_func || !ts_is(fn, "attribute") ||
	    !ts_text_eq(ts_field(fn, "attribute"), x->src, "__init__") ||
	    !ts_is(obj, "call") || !ts_text_eq(ts_field(obj, "function"), x->src, "super") ||
	    passes_through_at(x, call, 0, 0))
		return NULL;
	/* none when not its base's kind: its own connect() (class_alias) */
	base = watched_base(x, x->cls);
	dot = base ? strrchr(base, '.') : NULL;
	if (!dot)
		return NULL;
	fam = xstrndup(base, dot - base);
	r = rule_func(py_rules, fam, dot + 1);
	free(fam);
	return r && r->dir != DIR_NONE && r->addr_arg == 0 ? r : NULL;
}

/*
 * functools.partial(loop.create_connection, factory, host, port): the
 * partial is the call that gives the address; the function, or a null
 * node when @n is no partial of one.
 */
static TSNode partial_function(struct xctx *x, TSNode n)
{
	TSNode none = { 0 };
	char *q = py_qualified(x, ts_field(n, "function"));
	int is_partial = q && !strcmp(q, "functools.partial");

	free(q);
	return is_partial ? py_arg_node(n, 0, NULL, x->src) : none;
}

/*
 * Is attribute @meth (sock.connect) named as some rule's method, handed
 * to @callee, a function of the tree (no import)?
 */
static int names_rule_method(struct xctx *x, TSNode callee, TSNode meth)
{
	char *q = py_qualified(x, callee), *name;
	int yes;

	if (q) {
		free(q);
		return 0;
	}
	name = ts_text(ts_field(meth, "attribute"), x->src);
	yes = rule_is_method_name(py_rules, name);
	free(name);
	return yes;
}

/*
 * with_deadline(sock.connect, addr): a watched object's method handed to
 * a helper of the tree with the arguments it calls it with. The helper's
 * call gives the address, as a partial does; the method, or a null node.
 * Library calls (loop.run_in_executor, Thread(target=...)) are not read
 * so: only a plain name that no import defines.
 */
static TSNode helper_method(struct xctx *x, TSNode n)
{
	TSNode none = { 0 }, fn = ts_field(n, "function"), meth;

	if (!ts_is(fn, "identifier"))
		return none;
	meth = py_arg_node(n, 0, NULL, x->src);
	if (!ts_is(meth, "attribute") || ts_node_is_null(py_arg_node(n, 1, NULL, x->src)))
		return none;
	return names_rule_method(x, fn, meth) ? meth : none;
}

/*
 * robust(self.session.get)(url): a watched object's method handed alone
 * to a wrapper of the tree (a retry loop) whose result is called with the
 * method's own arguments. The outer call gives the address; the method,
 * or a null node. A library's wrapper (an import) is not read so.
 */
static TSNode wrapped_method(struct xctx *x, TSNode n)
{
	TSNode none = { 0 }, inner = ts_field(n, "function"), wrapper, meth;

	if (!ts_is(inner, "call"))
		return none;
	wrapper = ts_field(inner, "function");
	meth = py_arg_node(inner, 0, NULL, x->src);
	if (!ts_is(meth, "attribute") || !ts_node_is_null(py_arg_node(inner, 1, NULL, x->src)))
		return none;
	if (!ts_is(wrapper, "identifier") && !ts_is(wrapper, "attribute"))
		return none;
	return names_rule_method(x, wrapper, meth) ? meth : none;
}

static int name_in(struct xctx *x, TSNode n, const char *const *names);
static const struct rule *rule_of_name(const char *q);

/*
 * clients.get(url, pymongo.MongoClient, url): a library's opener handed,
 * uncalled, to a function that is no import, with the arguments it is to
 * be called with after it (beaker's SyncDict.get(key, createfunc, *args),
 * executor.submit(fn, *args)). The call gives the address, as a partial
 * does: the opener's node, and in *@skip the positional arguments up to
 * and with it; else a null node. An opener given by keyword
 * (Thread(target=...)) or last, with nothing to call it with, is none.
 */
static TSNode passed_opener(struct xctx *x, TSNode n, int *skip)
{
	/* builtins that look at a class or call a function without its arguments */
	static const char *const builtins[] = {
		"hasattr", "getattr", "setattr", "delattr", "isinstance", "issubclass",
		"callable", "map", "filter", "sorted", "print", "repr", "id", "type",
		"vars", "dir", NULL
	};
	TSNode none = { 0 }, found = { 0 }, *args, fn = ts_field(n, "function");
	size_t count, i;
	int pos = 0;
	char *q = py_qualified(x, fn);

	free(q);
	if (q || (ts_is(fn, "identifier") && name_in(x, fn, builtins)))
		return none;
	count = ts_named_children(ts_field(n, "arguments"), &args);
	for (i = 0; i + 1 < count && ts_node_is_null(found); i++) {
		const struct rule *r;

		if (ts_is(args[i], "keyword_argument") || ts_is(args[i], "list_splat") ||
		    ts_is(args[i], "dictionary_splat"))
			break;
		pos++;
		if (!ts_is(args[i], "attribute") || !(q = py_qualified(x, args[i])))
			continue;
		r = rule_of_name(q);
		if (r && r->dir != DIR_NONE && !ts_is(args[i + 1], "keyword_argument")) {
			found = args[i];
			*skip = pos;
		}
		free(q);
	}
	free(args);
	return found;
}

/*
 * Does partial @n of rule @r's function give none of its address: no
 * argument after the function but keywords (ssl=...) and **options? It
 * is then called later with the address (aioftp's
 * self._open_connection = partial(open_connection, ssl=self.ssl), then
 * self._open_connection(host, port)), which is the site (py_alias_assign).
 */
static int partial_lacks_addr(struct xctx *x, TSNode n, const struct rule *r)
{
	TSNode *args;
	size_t count = ts_named_children(ts_field(n, "arguments"), &args), i;
	int lacks = r->addr_arg >= 0 || r->addr_kw;

	for (i = 1; i < count && lacks; i++) {
		TSNode kw = ts_field(args[i], "name");

		if (ts_is(args[i], "dictionary_splat"))
			continue;
		lacks = ts_is(args[i], "keyword_argument") &&
			!(r->addr_kw && ts_text_eq(kw, x->src, r->addr_kw)) &&
			!(r->port_kw && ts_text_eq(kw, x->src, r->port_kw));
	}
	free(args);
	return lacks;
}

/*
 * socketserver.UDPServer.__init__(self, address, ...) in a subclass of
 * socketserver.UDPServer: the base's constructor called by name, as
 * super().__init__(address) is (super_init_rule, the same conditions); the
 * rule of @q less its ".__init__", or NULL. Its address follows self.
 */
static const struct rule *explicit_init_rule(struct xctx *x, TSNode call, const char *q)
{
	const char *dot = strrchr(q, '.'), *base;
	const struct rule *r;
	char *cls, *fam;

	if (!x->cls_base || !x->in_func || !dot || strcmp(dot, ".__init__") ||
	    !ts_text_eq(py_arg_node(call, 0, NULL, x->src), x->src, "self") ||
	    ts_node_is_null(py_arg_node(call, 1, NULL, x->src)) ||
	    passes_through_at(x, call, 1, 0))
		return NULL;
	cls = xstrndup(q, dot - q);
	dot = strrchr(cls, '.');
	base = watched_base(x, x->cls);
	if (!dot || !base || strcmp(base, cls)) {
		free(cls);
		return NULL;
	}
	fam = xstrndup(cls, dot - cls);
	r = rule_func(py_rules, fam, dot + 1);
	free(fam);
	free(cls);
	return r && r->dir != DIR_NONE && r->addr_arg == 0 ? r : NULL;
}

/* Is identifier @n one of @names? */
static int name_in(struct xctx *x, TSNode n, const char *const *names)
{
	for (; *names; names++)
		if (ts_text_eq(n, x->src, *names))
			return 1;
	return 0;
}

/* Is identifier @n a name code gives its HTTP session (see py_param_named)? */
static int is_session_name(struct xctx *x, TSNode n)
{
	static const char *const names[] = { "session", "_session", "sess", "http_session", NULL };

	return name_in(x, n, names);
}

/* Is identifier @n a name asyncio code gives its event loop? */
static int is_loop_name(struct xctx *x, TSNode n)
{
	static const char *const names[] = { "loop", "_loop", "event_loop", "_event_loop", NULL };

	return name_in(x, n, names);
}

/* C's own leading parameters when C(...) is its watched base's constructor (class_alias). */
static int own_params_of(struct xctx *x, TSNode name)
{
	char *text = ts_text(name, x->src);
	int own = own_params_get(&x->f->syms, text);

	/* a class imported from a module of the tree (py_module_reexports) */
	if (!own)
		own = own_params_get(&x->f->reexports, text);
	free(text);
	return own;
}

/*
 * self.loop.create_connection(...) with the loop in an attribute whose
 * value is not followed (a property, another object's loop: self.xmpp.loop):
 * a loop method on an attribute named loop is asyncio's. A plain name is
 * left to what its assignment or its callers give (it may be no loop).
 */
static int names_loop(struct xctx *x, TSNode obj, const char *method)
{
	if (!ts_is(obj, "attribute") || !rule_method(py_rules, "asyncio.Loop", method))
		return 0;
	return is_loop_name(x, ts_field(obj, "attribute"));
}

/*
 * Is module @fam the file being read, a top-level module (memcache.py,
 * no __init__.py beside it) that imports itself for its own doctest
 * runner? Its names are the file's own definitions, followed through the
 * tree like any of its functions, not a library's. (In a package,
 * `import asyncio` in mpd/asyncio.py is the standard library's.)
 */
static int is_own_module(struct xctx *x, const char *fam)
{
	const char *full = x->f->fullpath, *slash;
	char *tail, *init;
	int own;

	if (strchr(fam, '.') || !full)
		return 0;
	tail = xasprintf("/%s.py", fam);
	own = str_has_suffix(full, tail) || !strcmp(x->f->path, tail + 1);
	free(tail);
	if (!own)
		return 0;
	slash = strrchr(full, '/');
	init = slash ? xasprintf("%.*s/__init__.py", (int)(slash - full), full) :
		       xstrdup("__init__.py");
	own = access(init, F_OK) != 0;
	free(init);
	return own;
}

/*
 * Is module @fam, which has a rule, part of the package the file being
 * read is in (asyncpg/cluster.py calling asyncpg.connect,
 * websocket/_wsdump.py websocket.create_connection)? The call is then the
 * package's own function, whose socket is found where its code opens it,
 * not a use of a library. Known only when the package's directory is
 * under the scanned root. (A name the package re-exports from a library,
 * supervisor.compat.xmlrpclib, has no rule of its own and is followed.)
 */
static int in_own_package(struct xctx *x, const char *fam)
{
	return py_family_holds(fam, x->f->path);
}

/*
 * self.create_socket(socket.AF_UNIX, socket.SOCK_STREAM) in an asyncore
 * dispatcher: the socket its self.bind() and self.connect() use, so the
 * class's transport. Only constants are kept; a family or type known at
 * run time leaves TCP, create_socket's default.
 */
static void py_create_socket(struct xctx *x, TSNode call, TSNode fn)
{
	struct expr *o, *net;

	if (!x->cls_type || strcmp(x->cls_type, "asyncore.dispatcher") || !x->in_func ||
	    !ts_is(fn, "attribute") || !ts_text_eq(ts_field(fn, "object"), x->src, "self") ||
	    !ts_text_eq(ts_field(fn, "attribute"), x->src, "create_socket"))
		return;
	o = py_socket_obj(x, call);
	net = expr_arg(o, 1);
	if (net && net->kind == EX_STR) {
		expr_free(x->cls_net);
		x->cls_net = expr_copy(net);
	}
	expr_free(o);
}

/*
 * app.config.setdefault("LDAP_SERVER", "localhost"): a Flask extension's
 * default for the key, which app.config["LDAP_SERVER"] (attr_item_key)
 * reads unless the application's configuration sets it; by the one-store
 * rule, a second store leaves it unknown.
 */
static void py_item_setdefault(struct xctx *x, TSNode call, TSNode fn)
{
	TSNode value = py_arg_node(call, 1, "default", x->src);
	char *k;

	if (ts_node_is_null(value))
		return;
	k = item_key(x, ts_field(fn, "object"), py_arg_node(call, 0, "key", x->src));
	if (k)
		set_item_value(x, k, expr_default(py_expr(x, value), RES_ENV_DEFAULT));
	free(k);
}

/* A call that goes through a rule's import, or may be a watched method. */
static void py_call_site(struct xctx *x, TSNode n)
{
	int passed_skip = 0;
	TSNode part = partial_function(x, n), helped = helper_method(x, n),
	       passed = passed_opener(x, n, &passed_skip), wrapped = wrapped_method(x, n);
	int partial = !ts_node_is_null(part) || !ts_node_is_null(helped) ||
		      !ts_node_is_null(passed) || !ts_node_is_null(wrapped);
	/* a partial's site is its function's line, where the address is given */
	TSNode fn = partial ? part : ts_field(n, "function"), at = partial ? part : n;
	const struct rule *r = NULL;
	char *q, *method = NULL, *qual = NULL;
	int getattr_obj = 0, skip = partial, own = 0;
	struct site *s;

	/* the helper's call is the site, the method its function */
	if (!ts_node_is_null(helped)) {
		fn = helped;
		at = n;
	}
	/* so is the call of a wrapper's result, with the method's own arguments */
	if (!ts_node_is_null(wrapped)) {
		fn = wrapped;
		at = n;
		skip = 0;
	}
	/* so is the call an opener is handed to, past the arguments before it */
	if (!ts_node_is_null(passed)) {
		fn = passed;
		at = n;
		skip = passed_skip;
	}
	/* getattr(requests, method)(url): one of the module's functions */
	if (is_getattr_call(x, fn))
		q = getattr_name(x, fn, 1);
	else if (!(q = reactor_by_name(x, fn)))
		q = py_qualified(x, fn);

	if (q && strrchr(q, '.')) {
		char *fam = xstrndup(q, strrchr(q, '.') - q);

		own = is_own_module(x, fam);
		if (!own)
			r = rule_func(py_rules, fam, strrchr(q, '.') + 1);
		if (r && in_own_package(x, fam)) {
			r = NULL;
			own = 1;
		}
		free(fam);
	}
	if (!ts_node_is_null(part) && r && partial_lacks_addr(x, n, r)) {
		free(q);
		return;
	}
	if (!r && !q && !partial)
		r = super_init_rule(x, fn, n);
	if (!r && q && !partial && (r = explicit_init_rule(x, n, q)))
		skip = 1;	/* self */
	else if (r && ts_is(fn, "identifier"))
		skip += own_params_of(x, fn);
	if (q && !r)
		py_oslo_option(x, n, q);
	if (!r && !partial && (ts_is(fn, "identifier") || ts_is(fn, "attribute")))
		py_section_option(x, n, fn);
	if (!partial && ts_is(fn, "attribute") &&
	    ts_text_eq(ts_field(fn, "attribute"), x->src, "setdefault"))
		py_item_setdefault(x, n, fn);
	/* argparse's add_argument, optparse's add_option, configargparse's add: the same default */
	if (!q && !partial && ts_is(fn, "attribute") &&
	    (ts_text_eq(ts_field(fn, "attribute"), x->src, "add_argument") ||
	     ts_text_eq(ts_field(fn, "attribute"), x->src, "add_option") ||
	     (ts_text_eq(ts_field(fn, "attribute"), x->src, "add") && names_option(x, n))))
		py_add_argument(x, n);
	/*
	 * ServerProxy(...) imported from a module of the tree that imports it
	 * from xmlrpc.client: resolved through that module's imports later.
	 */
	if (q && !r && !own && strrchr(q, '.') && rule_is_func_name(py_rules, strrchr(q, '.') + 1))
		qual = xstrdup(q);
	/* app.run() with app imported from another module: q is no rule */
	if (!r && !own && ts_is(fn, "attribute")) {
		method = ts_text(ts_field(fn, "attribute"), x->src);
		/*
		 * module.create_connection() with module a parameter: maybe
		 * socket's; or a name or self.x holding a module looked up
		 * at run time (module_by_name), which resolve_obj finds
		 */
		if (!rule_is_method_name(py_rules, method) &&
		    !(rule_is_func_name(py_rules, method) &&
		      (is_param_ident(x, ts_field(fn, "object")) || holds_module(x, ts_field(fn, "object"))))) {
			free(method);
			method = NULL;
		}
	}
	free(q);
	/* getattr(self.session, verb)(url): a method of the object, maybe any */
	if (!r && !method && !partial && is_getattr_call(x, fn)) {
		struct expr *attr = py_arg(x, fn, 1, NULL);

		method = xstrdup(attr && attr->kind == EX_STR ? attr->s : ANY_METHOD);
		expr_free(attr);
		if (!rule_is_method_name(py_rules, method) && strcmp(method, ANY_METHOD)) {
			free(method);
			method = NULL;
		}
		fn = py_arg_node(fn, 0, NULL, x->src);	/* the object, as for obj.method */
		getattr_obj = 1;
	}
	py_note_call_use(x, n);
	py_create_socket(x, n, fn);
	/*
	 * self.urlopen = opener.open: the held method is the call, even when
	 * its name is also some rule's method (urllib3's PoolManager.urlopen)
	 */
	if (!r && !qual && !partial && py_bound_call(x, n)) {
		free(method);
		return;
	}
	if (!(r && r->dir != DIR_NONE) && !method && !qual)
		return;
	s = site_new(x, at);
	s->rule = r;
	s->method = method;
	s->qual = qual;
	/* app.run(host, port, use_reloader=False): a keyword only werkzeug's run takes */
	if (method && !strcmp(method, "run") &&
	    !ts_node_is_null(py_arg_node(n, -1, "use_reloader", x->src)))
		s->recv_hint = "flask.Flask";
	if (getattr_obj) {
		s->recv = py_expr(x, fn);
	} else if (method && is_self_of_type(x, ts_field(fn, "object"), method)) {
		/* class C(requests.Session): self.get() in C is the session's */
		s->recv = expr_obj(x->cls_type, NULL, expr_copy(x->cls_net));
		s->recv_name = xstrdup("self");
		s->scope = x->scope;
	} else if (method && is_self_of_tree_base(x, ts_field(fn, "object"), method)) {
		/* class C(Acceptor), Acceptor(asyncore.dispatcher) in another module */
		s->recv = expr_new(EX_IDENT, NULL);
		s->recv->s = xasprintf(SELF_OF "%s", x->cls);
		s->recv_name = xstrdup("self");
		s->scope = x->scope;
	} else if (method && is_self_attr(x, ts_field(fn, "object"))) {
		char *held = self_attr_name(x, ts_field(fn, "object"));
		struct expr *here = xctx_local(x, held);

		/* if unix: self.l = socket(AF_UNIX) ... else: self.l = socket(): this branch's */
		if (here && here->kind == EX_OBJ) {
			s->recv = here;
		} else {
			expr_free(here);
			s->recv = expr_new(EX_IDENT, NULL);
			s->recv->s = xstrdup(held);
		}
		s->recv_name = held;
		s->scope = x->scope;
	} else if (method) {
		s->recv = py_expr(x, ts_field(fn, "object"));
		if (ts_is(ts_field(fn, "object"), "identifier")) {
			s->recv_name = ts_text(ts_field(fn, "object"), x->src);
			s->scope = x->scope;
		}
	}
	if (method && !getattr_obj && !(s->recv && s->recv->kind == EX_OBJ) &&
	    names_loop(x, ts_field(fn, "object"), method)) {
		expr_free(s->recv);
		s->recv = expr_obj("asyncio.Loop", NULL, NULL);
	}
	py_site_args(x, s, n, skip);
}

static void py_walk_children(struct xctx *x, TSNode n)
{
	xctx_walk_children(x, n, py_walk);
}

/* An object known by its name only (py_param_named): never over a made one. */
static int is_named_obj(const struct expr *e)
{
	return e->kind == EX_OBJ && str_has_prefix(e->s, "named.");
}

/* Values an attribute is followed through, at most, once branches store several. */
#define MAX_BRANCH_VALUES 16

/* A literal, a name or a choice of them: what a branch may store in self.x. */
static int is_plain_value(const struct expr *e)
{
	return e->kind == EX_STR || e->kind == EX_INT || e->kind == EX_IDENT ||
	       e->kind == EX_QUAL || (e->kind == EX_CHOICE && !e->s);
}

/*
 * if sandbox: self.cls = Dev else: self.cls = Prod: the attribute holds
 * either, so what they share (a port) is known and what differs is not.
 * Takes @e; @old stays the symbol table's. A repeated value adds nothing.
 */
static struct expr *branch_choice(const struct expr *old, struct expr *e)
{
	struct expr *choice;
	int i;

	/* a file that stores dozens of values there: none is worth following */
	if (old->nargs + (e->kind == EX_CHOICE ? e->nargs : 1) > MAX_BRANCH_VALUES) {
		expr_free(e);
		return expr_dyn("one of many values");
	}
	if (old->kind == EX_CHOICE) {
		for (i = 0; i < old->nargs; i++)
			if (expr_equal(old->a[i], e)) {
				expr_free(e);
				return expr_copy(old);
			}
		choice = expr_copy(old);
	} else if (expr_equal(old, e)) {
		return e;
	} else {
		choice = expr_new(EX_CHOICE, NULL);
		expr_add(choice, expr_copy(old));
	}
	if (e->kind == EX_CHOICE) {
		for (i = 0; i < e->nargs; i++)
			expr_add(choice, expr_copy(e->a[i]));
		expr_free(e);
	} else {
		expr_add(choice, e);
	}
	return choice;
}


/* Nodes looked up through from a value to its key loop, at most. */
#define MAX_KEY_LOOP_DEPTH 32

/*
 * Is @n a configuration's value read key by key, in a branch that tests
 * the loop's key against a literal: for k, v in conf.items(): if k ==
 * "host": self.host = v (vrfydmn), or for name in conf.options("root"):
 * value = conf.get("root", name); if name == "dbserver": server = value
 * (hipercontracer)? The value comes from the configuration only when
 * that key is there, so whatever was set before stands as its default.
 */
static int reads_config_loop(struct xctx *x, TSNode n)
{
	TSNode p = n, key, test = { 0 }, it, fn, a, b, *names = NULL;
	size_t count = 0;
	int depth, yes;
	char *text;

	if (!ts_is(n, "identifier"))
		return 0;
	for (depth = 0; depth < MAX_KEY_LOOP_DEPTH; depth++) {
		p = ts_parent(p);
		if (ts_node_is_null(p) || ts_is(p, "function_definition"))
			return 0;
		if ((ts_is(p, "if_statement") || ts_is(p, "elif_clause")) &&
		    ts_node_is_null(test))
			test = ts_field(p, "condition");
		if (ts_is(p, "for_statement"))
			break;
	}
	if (!ts_is(p, "for_statement") || !ts_is(test, "comparison_operator") ||
	    ts_node_named_child_count(test) != 2)
		return 0;
	/* for k, v in conf.items(): v is the value; for name in conf.options(s): any name */
	key = ts_field(p, "left");
	if (!ts_is(key, "identifier")) {
		it = ts_field(p, "right");
		fn = ts_field(it, "function");
		count = ts_named_children(key, &names);
		yes = count == 2 && ts_is(names[0], "identifier") && ts_is(names[1], "identifier") &&
		      ts_is(it, "call") && ts_is(fn, "attribute") &&
		      ts_text_eq(ts_field(fn, "attribute"), x->src, "items");
		if (yes) {
			text = ts_text(names[1], x->src);
			yes = ts_text_eq(n, x->src, text);
			free(text);
			key = names[0];
		}
		free(names);
		if (!yes)
			return 0;
	}
	a = ts_node_named_child(test, 0);
	b = ts_node_named_child(test, 1);
	text = ts_text(key, x->src);
	yes = (ts_text_eq(a, x->src, text) && ts_is(b, "string")) ||
	      (ts_text_eq(b, x->src, text) && ts_is(a, "string"));
	free(text);
	return yes;
}

/*
 * @e (taken), a configuration's value (reads_config_loop), over the
 * literal @old set before it: that literal as its default; else @e.
 */
static struct expr *literal_default(struct expr *e, const struct expr *old)
{
	if (!old || (old->kind != EX_STR && old->kind != EX_INT))
		return e;
	expr_free(e);
	return expr_default(expr_copy(old), RES_ENV_DEFAULT);
}
/*
 * self.sock = socket.socket(): an object of a watched type kept in an
 * attribute of self is kept as the module-level name "self.sock", shared
 * by the methods of the class, so that self.sock.connect() is found.
 */
static void set_self_sym(struct xctx *x, const char *name, struct expr *e)
{
	struct expr *old = symtab_get(&x->f->syms, name), *either;

	/*
	 * other values too (self.port = 8080), but never over an object, nor
	 * a parameter over a call of the tree that may make one (if pool is
	 * None: self.pool = make_pool() else: self.pool = pool)
	 */
	if (!e || (old && old->kind == EX_OBJ && (e->kind != EX_OBJ || is_named_obj(e))) ||
	    (old && old->kind == EX_CALL && !old->s2 && e->kind == EX_PARAM)) {
		expr_free(e);
		return;
	}
	/*
	 * self.url = self.default_url, then if url is not None: self.url =
	 * url: either, as the callers decide (a parameter no caller passes
	 * is None, which a choice passes over)
	 */
	/* if tcp: self.s = socket(AF_INET) else: self.s = socket(AF_UNIX) */
	if (old && x->cond_depth > 0 && (either = expr_socket_either(old, e))) {
		expr_free(e);
		e = either;
	} else if (old && e->kind == EX_PARAM && old->kind != EX_PARAM && old->kind != EX_CHOICE) {
		struct expr *choice = expr_new(EX_CHOICE, NULL);

		expr_add(choice, expr_copy(old));
		expr_add(choice, e);
		e = choice;
	} else if (old && x->cond_depth > 0 && is_plain_value(old) && is_plain_value(e)) {
		e = branch_choice(old, e);
	}
	symtab_set(&x->f->syms, name, e);
}

/*
 * self.config = {"ServerPort": 10051, ...}: each literal key as the item
 * attr_item_key reads (self.config["ServerPort"]), a second store of the
 * key leaving it unknown, as py_item_assign does.
 */
static void py_dict_items(struct xctx *x, TSNode left, TSNode dict, int as_default)
{
	char *attr = ts_text(ts_field(left, "attribute"), x->src);
	char *prefix = xasprintf("item:%s:", attr);

	note_entries(x, dict, prefix, as_default);
	free(prefix);
	free(attr);
}

/*
 * The dictionary of defaults that @right merges the caller's options over:
 * dict(DEFAULTS, **options) or {**DEFAULTS, **options}, DEFAULTS written
 * out (named_dict); a null node for anything else.
 */
static TSNode merged_defaults(struct xctx *x, TSNode right)
{
	TSNode none = { 0 }, *kids, first = { 0 };
	size_t count, i;
	int splats = 1;

	if (ts_is(right, "call") && ts_text_eq(ts_field(right, "function"), x->src, "dict"))
		count = ts_named_children(ts_field(right, "arguments"), &kids);
	else if (ts_is(right, "dictionary"))
		count = ts_named_children(right, &kids);
	else
		return none;
	for (i = 0; i < count; i++) {
		TSNode k = kids[i];

		if (ts_is(k, "comment"))
			continue;
		if (ts_node_is_null(first)) {
			first = ts_is(k, "dictionary_splat") ? ts_node_named_child(k, 0) :
				ts_is(right, "call") ? k : none;
			if (ts_node_is_null(first))
				splats = 0;
			continue;
		}
		splats &= ts_is(k, "dictionary_splat");
	}
	free(kids);
	if (!splats || ts_node_is_null(first))
		return none;
	return named_dict(x, right, first);
}

/*
 * self.config = dict(self.defaults, **config) (panoramisk's Manager):
 * each key of the defaults is the item self.config["host"] reads, as a
 * default the caller's options may override (as an option's default is).
 */
static void py_default_items(struct xctx *x, TSNode left, TSNode right)
{
	TSNode d = merged_defaults(x, right);

	if (ts_is(d, "dictionary") || ts_is(d, "argument_list"))
		py_dict_items(x, left, d, 1);
}

static void py_self_assign(struct xctx *x, TSNode left, TSNode right)
{
	struct expr *e = py_expr(x, right);
	TSNode d;
	char *name = ts_text(left, x->src), *scoped;

	if (ts_is(right, "dictionary") && ts_node_is_null(merged_defaults(x, right)))
		py_dict_items(x, left, right, 0);
	else if (ts_is(right, "identifier") && !ts_node_is_null(d = module_dict(x, right, right)))
		py_dict_items(x, left, d, 0);	/* self.URLS = URLS, written out above */
	else
		py_default_items(x, left, right);

	/*
	 * self.session = None, or a name the package's settings hand over
	 * (tmdbsimple's REQUESTS_SESSION): a session by its name, as a
	 * parameter is (py_param_named); a parameter or a call is followed
	 */
	if ((!e || e->kind == EX_DYN || e->kind == EX_IDENT || e->kind == EX_QUAL) &&
	    is_session_name(x, ts_field(left, "attribute"))) {
		expr_free(e);
		e = expr_obj("named.session", NULL, NULL);
	}
	if (x->cls) {
		scoped = self_attr_name(x, left);
		/* self.host = "localhost", then the configuration's value if it has one */
		if (x->cond_depth > 0 && reads_config_loop(x, right))
			e = literal_default(e, symtab_get(&x->f->syms, scoped));
		/* self.sock = ssl.wrap_socket(self.sock): the same object, not a cycle */
		if (e && e->kind == EX_IDENT && !strcmp(e->s, scoped)) {
			expr_free(e);
			e = NULL;
		}
		set_self_sym(x, scoped, e ? expr_copy(e) : NULL);
		/* the object this method put there, for its own calls (py_call_site) */
		if (x->in_func && e && e->kind == EX_OBJ)
			symtab_set(&x->locals, scoped, expr_copy(e));
		free(scoped);
	}
	set_self_sym(x, name, e);
	free(name);
}

/*
 * Is @q (a qualified name) a function or class sockscan has a rule for?
 * Then a name bound to it (fetch = urllib.request.urlopen, or a class
 * deriving from it) is called as it would be.
 */
static const struct rule *rule_of_name(const char *q)
{
	const char *dot = strrchr(q, '.');
	const struct rule *r;
	char *fam;

	if (!dot)
		return NULL;
	fam = xstrndup(q, dot - q);
	r = rule_func(py_rules, fam, dot + 1);
	free(fam);
	return r;
}

int is_rule_name(const char *q)
{
	return rule_of_name(q) != NULL;
}

/* Is @n a call getattr(obj, name, ...)? */
static int is_getattr_call(struct xctx *x, TSNode n)
{
	return ts_is(n, "call") && ts_text_eq(ts_field(n, "function"), x->src, "getattr") &&
	       !ts_node_is_null(py_arg_node(n, 1, NULL, x->src));
}

/*
 * getattr(module, "name"): "module.name" through the imports, or NULL.
 * With @any, a name known only at run time (getattr(requests, method))
 * names the module's first function that opens a socket, when that takes
 * a URL: an HTTP client's verbs all take it alike.
 */
static char *getattr_name(struct xctx *x, TSNode call, int any)
{
	struct expr *attr = py_arg(x, call, 1, NULL);
	char *mod = py_qualified(x, py_arg_node(call, 0, NULL, x->src)), *q = NULL;
	const struct rule *r;

	if (mod && attr && attr->kind == EX_STR)
		q = xasprintf("%s.%s", mod, attr->s);
	else if (mod && any && (r = rule_any_func(py_rules, mod)) && r->style == ADDR_URL)
		q = xasprintf("%s.%s", mod, r->name);
	free(mod);
	expr_free(attr);
	return q;
}

/*
 * redis = importlib.import_module("redis"), r = __import__("redis"): the
 * module a literal name imports at run time (__import__ returns the top
 * package of a dotted name); cls = import_string(path) (Django's,
 * werkzeug's): the class or function a dotted path names. The name may
 * be a setting's written-out default (options.get("POOL_CLASS",
 * "redis.connection.ConnectionPool")). NULL when none.
 */
static char *dynamic_import(struct xctx *x, TSNode call)
{
	TSNode f = ts_field(call, "function");
	char *fn = ts_text_eq(f, x->src, "__import__") ? xstrdup("__import__") : py_qualified(x, f);
	char *mod = NULL, *dot;
	struct expr *arg = NULL;
	const struct expr *name;

	if (!fn || (strcmp(fn, "importlib.import_module") && strcmp(fn, "__import__") &&
		    strcmp(fn, "django.utils.module_loading.import_string") &&
		    strcmp(fn, "werkzeug.utils.import_string")))
		goto out;
	arg = py_arg(x, call, 0, strstr(fn, "import_string") ? "dotted_path" : "name");
	name = arg && arg->kind == EX_DEFAULT ? expr_arg(arg, 0) : arg;
	if (!name || name->kind != EX_STR || !name->s[0] || name->s[0] == '.')
		goto out;
	mod = xstrdup(name->s);
	dot = strchr(mod, '.');
	if (dot && !strcmp(fn, "__import__"))
		*dot = '\0';
out:
	expr_free(arg);
	free(fn);
	return mod;
}

/*
 * name = urllib.request.urlopen, self._open = urlopen: an alias of the
 * function; cls = HTTPSServer if ssl else HTTPServer: of the first of the
 * two that is one; mod = importlib.import_module("redis"): of the module.
 */
static int py_alias_assign(struct xctx *x, TSNode left, TSNode right)
{
	char *q, *name;

	if (ts_is(right, "conditional_expression"))
		return py_alias_assign(x, left, ts_child(right, 0)) ||
		       py_alias_assign(x, left, ts_child(right, 2));
	/*
	 * getattr(asyncio, "get_running_loop", asyncio.get_event_loop); and
	 * verb = getattr(requests, name) with no default: one of the
	 * module's URL functions, as getattr(requests, name)(url) is
	 */
	if (is_getattr_call(x, right)) {
		q = getattr_name(x, right, ts_node_is_null(py_arg_node(right, 2, NULL, x->src)));
		if (q && is_rule_name(q)) {
			name = ts_text(left, x->src);
			add_import(x->f, name, q);
			free(name);
			free(q);
			return 1;
		}
		free(q);
		right = py_arg_node(right, 2, NULL, x->src);
		return !ts_node_is_null(right) && py_alias_assign(x, left, right);
	}
	/* factory = kwargs.pop("session_factory", DefaultSession): the default */
	if (ts_is(right, "call") && ts_is(ts_field(right, "function"), "attribute") &&
	    (ts_text_eq(ts_field(ts_field(right, "function"), "attribute"), x->src, "get") ||
	     ts_text_eq(ts_field(ts_field(right, "function"), "attribute"), x->src, "pop"))) {
		right = py_arg_node(right, 1, NULL, x->src);
		return !ts_node_is_null(right) && py_alias_assign(x, left, right);
	}
	if (ts_is(right, "call") && (q = dynamic_import(x, right))) {
		name = ts_text(left, x->src);
		add_import(x->f, name, q);
		free(name);
		free(q);
		return 1;
	}
	/* partial(open_connection, ssl=...): the function, addressed when called */
	if (ts_is(right, "call") && !ts_node_is_null(partial_function(x, right))) {
		const struct rule *r;
		int aliased;

		q = py_qualified(x, partial_function(x, right));
		r = q ? rule_of_name(q) : NULL;
		aliased = r && partial_lacks_addr(x, right, r);
		if (aliased) {
			name = ts_text(left, x->src);
			add_import(x->f, name, q);
			free(name);
		}
		free(q);
		return aliased;
	}
	if (!ts_is(right, "identifier") && !ts_is(right, "attribute"))
		return 0;
	q = py_qualified(x, right);
	/* or a module with rules: HTTPCLIENT = http.client (goldeneye) */
	if (!q || (!is_rule_name(q) && !rule_is_family(py_rules, q))) {
		free(q);
		return 0;
	}
	name = ts_text(left, x->src);
	add_import(x->f, name, q);
	free(name);
	free(q);
	return 1;
}

/*
 * class S(socketserver.ThreadingMixIn, socketserver.TCPServer): S(...)
 * opens what its first watched base opens, so S becomes an alias of that
 * base. Then the body, where names are class constants (see py_assignment).
 */
/* The names of the methods class body @body defines (a new table). */
/*
 * Does method body @body call its base's method @name (super().name(...),
 * super(C, self).name(...), Base.name(self, ...))? It then passes its
 * arguments through: what it opens is the base's.
 */
static int calls_base(struct xctx *x, TSNode body, const char *name)
{
	char *text = ts_text(body, x->src), *sup = xasprintf(".%s(", name),
	     *with_self = xasprintf(".%s(self,", name), *self_only = xasprintf(".%s(self)", name);
	int yes = (strstr(text, "super(") && strstr(text, sup)) || strstr(text, with_self) ||
		  strstr(text, self_only);

	free(text);
	free(sup);
	free(with_self);
	free(self_only);
	return yes;
}

/*
 * Is method body @body a plain pass-through to its base's @name: straight
 * line (no if, try, loop or with at its top level) calling it? An
 * override that decides (a proxy socket's bind that binds only for UDP)
 * is its own method.
 */
static int passes_to_base(struct xctx *x, TSNode body, const char *name)
{
	static const char *const decides[] = {
		"if_statement", "try_statement", "for_statement", "while_statement",
		"with_statement", "match_statement",
	};
	uint32_t i, n = ts_node_named_child_count(body);
	size_t k;

	for (i = 0; i < n; i++)
		for (k = 0; k < sizeof(decides) / sizeof(decides[0]); k++)
			if (ts_is(ts_node_named_child(body, i), decides[k]))
				return 0;
	return calls_base(x, body, name);
}

/*
 * The methods class body @body defines, by name; the value is "base" for
 * one that passes through to its base's (calls_base): self.connect(a) in
 * such a class is still the watched base's connect.
 */
static struct symtab *class_methods(struct xctx *x, TSNode body)
{
	struct symtab *t = xcalloc(1, sizeof(*t));
	TSNode *kids;
	size_t count = ts_named_children(body, &kids), i;

	for (i = 0; i < count; i++) {
		TSNode d = ts_is(kids[i], "decorated_definition") ?
			   ts_field(kids[i], "definition") : kids[i];
		char *name;

		if (!ts_is(d, "function_definition"))
			continue;
		name = ts_text(ts_field(d, "name"), x->src);
		symtab_set(t, name, passes_to_base(x, ts_field(d, "body"), name) ?
			   expr_str("base") : NULL);
		free(name);
	}
	free(kids);
	return t;
}

/* Does the class being walked define @method itself, not passing it through? */
static int overrides(struct xctx *x, const char *method)
{
	return x->cls_methods && symtab_find(x->cls_methods, method) &&
	       !symtab_get(x->cls_methods, method);
}

/*
 * The type key objects of class @n are, through a watched base that makes
 * one (class Client(requests.Session): self.get() is a session's), or NULL.
 */
static char *class_type(struct xctx *x, const char *q)
{
	const char *dot = strrchr(q, '.');
	const struct rule *r;
	char *fam;

	if (!dot)
		return NULL;
	fam = xstrndup(q, dot - q);
	r = rule_func(py_rules, fam, dot + 1);
	free(fam);
	return r && r->makes ? xstrdup(r->makes) : NULL;
}

/*
 * "bases:C" in the file's symbols: the bases of class C as names through
 * the imports (EX_STR "Base" for a class of this module, "pkg.mod.Base"
 * for an imported one), for the resolver to find an attribute a base's
 * methods set and a method a subclass overrides. Returns the first base's
 * name (x->cls_base), or NULL.
 */
static char *py_class_bases(struct xctx *x, const char *cls, TSNode *bases, size_t count)
{
	struct expr *list = expr_new(EX_CALL, NULL);
	char *first = NULL, *key;
	size_t i;

	for (i = 0; i < count; i++) {
		char *q;

		if (ts_is(bases[i], "keyword_argument"))
			continue;	/* metaclass=... */
		q = py_qualified(x, bases[i]);
		if (!q && (ts_is(bases[i], "identifier") || ts_is(bases[i], "attribute")))
			q = ts_text(bases[i], x->src);
		if (!q)
			continue;
		expr_add(list, expr_str(q));
		if (!first)
			first = q;
		else
			free(q);
	}
	key = xasprintf("bases:%s", cls);
	symtab_set(&x->f->syms, key, list);
	free(key);
	return first;
}

/*
 * Does class body @body define connect() without calling a base's
 * (super().connect(...), Base.connect(self, ...)) nor connecting to the
 * (self.host, self.port) its constructor was given? Its objects then
 * open their own transport (an HTTPConnection over SSH or a named pipe,
 * a socket.socket subclass whose connect() runs ssh): they are not the
 * watched base's, and what their connect() opens is found in it.
 */
static int replaces_connect(struct xctx *x, TSNode body)
{
	TSNode *kids;
	size_t count = ts_named_children(body, &kids), i;
	int yes = 0;

	for (i = 0; i < count; i++) {
		TSNode d = ts_is(kids[i], "decorated_definition") ?
			   ts_field(kids[i], "definition") : kids[i];
		char *text;

		if (!ts_is(d, "function_definition") ||
		    !ts_text_eq(ts_field(d, "name"), x->src, "connect"))
			continue;
		text = ts_text(ts_field(d, "body"), x->src);
		/* speedtest's connects (self.host, self.port): the address given */
		yes = !calls_base(x, ts_field(d, "body"), "connect") &&
		      !strstr(text, "(self.host, self.port)");
		free(text);
	}
	free(kids);
	return yes;
}

/*
 * The name node of parameter node @p (x, x=1, x: int, x: int = 1); a
 * typed_parameter keeps its name as its first child, not a field.
 */
static TSNode param_name(TSNode p)
{
	if (ts_is(p, "identifier"))
		return p;
	if (ts_is(p, "typed_parameter"))
		return ts_child(p, 0);
	return ts_field(p, "name");
}

/*
 * The address argument of call @call when it is the base's constructor,
 * super().__init__(a, ...) or Base.__init__(self, a, ...); a null node
 * otherwise or when it gives none.
 */
static TSNode base_init_address(struct xctx *x, TSNode call)
{
	TSNode none = { 0 }, fn = ts_field(call, "function"), obj;

	if (!ts_is(fn, "attribute") || !ts_text_eq(ts_field(fn, "attribute"), x->src, "__init__"))
		return none;
	obj = ts_field(fn, "object");
	if (ts_is(obj, "call") && ts_text_eq(ts_field(obj, "function"), x->src, "super"))
		return py_arg_node(call, 0, NULL, x->src);
	if (ts_text_eq(py_arg_node(call, 0, NULL, x->src), x->src, "self"))
		return py_arg_node(call, 1, NULL, x->src);
	return none;
}

/* Is @n a splat, or one of the names of parameter list @params? */
static int names_param(struct xctx *x, TSNode n, TSNode params)
{
	TSNode *kids;
	size_t count, i;
	char *text;
	int yes = 0;

	if (ts_is(n, "list_splat") || ts_is(n, "dictionary_splat"))
		return 1;
	if (!ts_is(n, "identifier"))
		return 0;
	text = ts_text(n, x->src);
	count = ts_named_children(params, &kids);
	for (i = 0; i < count && !yes; i++) {
		TSNode name = param_name(kids[i]);

		yes = ts_is(name, "identifier") && ts_text_eq(name, x->src, text);
	}
	free(kids);
	free(text);
	return yes;
}

/* Does a base constructor call under @n build its address (init_gives_address)? */
static int builds_base_address(struct xctx *x, TSNode n, TSNode params, int depth)
{
	TSNode addr, *kids;
	size_t count, i;
	int yes = 0;

	if (depth > 16 || ts_is(n, "function_definition") || ts_is(n, "class_definition"))
		return 0;
	if (ts_is(n, "call")) {
		addr = base_init_address(x, n);
		if (!ts_node_is_null(addr))
			return !names_param(x, addr, params);
	}
	count = ts_named_children(n, &kids);
	for (i = 0; i < count && !yes; i++)
		yes = builds_base_address(x, kids[i], params, depth + 1);
	free(kids);
	return yes;
}

/*
 * Does class body @body's __init__ give its watched base @q (a server or
 * client constructor taking the address first) an address it builds,
 * super().__init__((host, port), handler), rather than a parameter it was
 * given? That call is then the site (super_init_rule, explicit_init_rule),
 * and C(...), whose arguments are C's and not the base's, is not read as
 * the base's constructor.
 */
static int init_gives_address(struct xctx *x, TSNode body, const char *q)
{
	const struct rule *r = rule_of_name(q);
	TSNode *kids;
	size_t count, i;
	int yes = 0;

	if (!r || r->dir == DIR_NONE || r->addr_arg != 0)
		return 0;
	count = ts_named_children(body, &kids);
	for (i = 0; i < count; i++) {
		TSNode fn = ts_is(kids[i], "decorated_definition") ?
			    ts_field(kids[i], "definition") : kids[i];

		if (ts_is(fn, "function_definition") &&
		    ts_text_eq(ts_field(fn, "name"), x->src, "__init__")) {
			yes = builds_base_address(x, ts_field(fn, "body"),
						  ts_field(fn, "parameters"), 0);
			break;
		}
	}
	free(kids);
	return yes;
}

/* The address a base constructor call under @n is given, or a null node. */
static TSNode base_address_under(struct xctx *x, TSNode n, int depth)
{
	TSNode addr = { 0 }, *kids;
	size_t count, i;

	if (depth > 16 || ts_is(n, "function_definition") || ts_is(n, "class_definition"))
		return addr;
	if (ts_is(n, "call")) {
		addr = base_init_address(x, n);
		if (!ts_node_is_null(addr))
			return addr;
	}
	count = ts_named_children(n, &kids);
	for (i = 0; i < count && ts_node_is_null(addr); i++)
		addr = base_address_under(x, kids[i], depth + 1);
	free(kids);
	return addr;
}

/*
 * def __init__(self, pub, key, server_address, handler) handing
 * server_address on to its base's __init__ (servefile's
 * SecureThreadedHTTPServer): the index of that parameter in @params
 * (self is 0), or 0 when the base is given no parameter of its own.
 */
static size_t passed_address_param(struct xctx *x, TSNode fn, TSNode *params, size_t np)
{
	TSNode addr = base_address_under(x, ts_field(fn, "body"), 0), name;
	size_t j, found = 0;
	char *text;

	if (!ts_is(addr, "identifier"))
		return 0;
	text = ts_text(addr, x->src);
	for (j = 1; j < np && !found; j++) {
		name = param_name(params[j]);
		if (!ts_node_is_null(name) && ts_text_eq(name, x->src, text))
			found = j;
	}
	free(text);
	return found;
}

/*
 * class C(HTTPConnection): def __init__(self, path, *args, **kw) passing
 * *args on to the base's __init__: C(path, host, port) gives the base
 * host and port, so the named parameters before *args are not the base's
 * (their count, 0 when __init__ is not of that shape); likewise those
 * before the one it hands on as the base's address (passed_address_param).
 */
static long own_init_params(struct xctx *x, TSNode body)
{
	TSNode *kids, *params;
	size_t count = ts_named_children(body, &kids), i, np, j;
	long own = 0;

	for (i = 0; i < count; i++) {
		TSNode fn = kids[i];
		char *text, *star;

		if (!ts_is(fn, "function_definition") ||
		    !ts_text_eq(ts_field(fn, "name"), x->src, "__init__"))
			continue;
		np = ts_named_children(ts_field(fn, "parameters"), &params);
		for (j = 1; j < np && ts_is(params[j], "identifier"); j++)
			;
		if (j > 1 && j < np && ts_is(params[j], "list_splat_pattern") &&
		    calls_base(x, ts_field(fn, "body"), "__init__")) {
			text = ts_text(params[j], x->src);	/* "*args" */
			star = ts_text(ts_field(fn, "body"), x->src);
			if (strstr(star, text))
				own = (long)j - 1;
			free(text);
			free(star);
		} else if ((j = passed_address_param(x, fn, params, np)) > 1) {
			own = (long)j - 1;
		}
		free(params);
		break;
	}
	free(kids);
	return own;
}

/*
 * class C(<a watched class>) that does not open its own socket: C reads
 * as its base (an import alias), C(...) as the base's constructor, minus
 * C's own leading parameters ("argskip:C"). Returns the class's type key
 * (owned) or NULL.
 */
static char *class_alias(struct xctx *x, TSNode n)
{
	TSNode *bases;
	size_t count, i;
	char *type = NULL, *name, *key;
	int shadowed;

	/*
	 * A class made inside a function is that function's name: where the
	 * module also defines a function of that name, the module's other
	 * functions call that one (web.py's runbasic and WSGIServer).
	 */
	if (x->in_func) {
		name = ts_text(ts_field(n, "name"), x->src);
		key = xasprintf("moddef:%s", name);
		shadowed = symtab_find(&x->f->syms, key) != NULL;
		free(key);
		free(name);
		if (shadowed)
			return NULL;
	}
	count = ts_named_children(ts_field(n, "superclasses"), &bases);
	for (i = 0; i < count; i++) {
		char *q = py_qualified(x, bases[i]), *name, *key;
		long own;

		/* a base imported from a module of the tree may be one too (site->qual) */
		if (q && (is_rule_name(q) ||
			  (strrchr(q, '.') && rule_is_func_name(py_rules, strrchr(q, '.') + 1)))) {
			if (replaces_connect(x, ts_field(n, "body"))) {
				free(q);
				break;
			}
			name = ts_text(ts_field(n, "name"), x->src);
			if (init_gives_address(x, ts_field(n, "body"), q)) {
				/* its base's, for super_init_rule: no alias */
				key = xasprintf("watched:%s", name);
				symtab_set(&x->f->syms, key, expr_str(q));
				free(key);
			} else {
				add_import(x->f, name, q);
				own = own_init_params(x, ts_field(n, "body"));
				if (own > 0) {
					key = xasprintf(ARGSKIP "%s", name);
					symtab_set(&x->f->syms, key, expr_int(own));
					free(key);
				}
			}
			type = class_type(x, q);
			free(name);
			free(q);
			break;
		}
		free(q);
	}
	free(bases);
	return type;
}

/* The imports of module-level block @n, also under try/except and if/else. */
static void py_module_imports(struct xctx *x, TSNode n, int depth)
{
	TSNode *kids;
	size_t count = ts_named_children(n, &kids), i;

	for (i = 0; i < count; i++) {
		TSNode k = kids[i];

		if (ts_is(k, "import_statement") || ts_is(k, "import_from_statement")) {
			py_import(x, k);
		} else if (depth < 4 && ts_is(k, "except_clause")) {
			x->in_except++;
			py_module_imports(x, k, depth + 1);
			x->in_except--;
		} else if (depth < 4 && (ts_is(k, "try_statement") || ts_is(k, "if_statement") ||
				       ts_is(k, "block") || ts_is(k, "else_clause") ||
				       ts_is(k, "elif_clause") || ts_is(k, "finally_clause"))) {
			py_module_imports(x, k, depth + 1);
		}
	}
	free(kids);
}

/* A function the module defines at its top level: "moddef:NAME". */
static void module_def(struct xctx *x, TSNode n)
{
	char *name = ts_text(ts_field(n, "name"), x->src);
	char *key = xasprintf("moddef:%s", name);

	symtab_set(&x->f->syms, key, NULL);
	free(key);
	free(name);
}

/*
 * class Redis(Broker) in a module that imported redis.Redis: from then on
 * (and in every function, which runs later) the name is the module's own
 * class, not the client; calls of it are calls of the tree. Its imports
 * of that name are hidden (py_import_binding); a class that wraps the
 * import it is named after (class Flask(Flask)) keeps it.
 */
static void hide_imports_of(struct xctx *x, TSNode def)
{
	TSNode *bases = NULL;
	size_t count, i;
	char *name = ts_text(ts_field(def, "name"), x->src);
	int wraps = 0, k;

	count = ts_is(def, "class_definition") ?
		ts_named_children(ts_field(def, "superclasses"), &bases) : 0;
	for (i = 0; i < count; i++)
		wraps |= ts_text_eq(bases[i], x->src, name);
	free(bases);
	for (k = 0; k < x->f->nimports && !wraps; k++)
		if (!strcmp(x->f->imports[k].alias, name))
			x->f->imports[k].hidden = 1;
	free(name);
}

/*
 * The module's imports and own classes first: a function above a class's
 * definition may construct it (def factory(): return C(...); then
 * class C(HTTPSConnection)).
 */
static void py_module_classes(struct xctx *x, TSNode root)
{
	TSNode *kids;
	size_t count, i;

	py_module_imports(x, root, 0);
	count = ts_named_children(root, &kids);
	/* the import statements' own bindings, before class_alias adds its */
	for (i = 0; i < count; i++) {
		TSNode n = kids[i];

		if (ts_is(n, "decorated_definition"))
			n = ts_field(n, "definition");
		if (ts_is(n, "class_definition") || ts_is(n, "function_definition"))
			hide_imports_of(x, n);
	}
	for (i = 0; i < count; i++) {
		TSNode n = kids[i];

		if (ts_is(n, "decorated_definition"))
			n = ts_field(n, "definition");
		if (ts_is(n, "class_definition"))
			free(class_alias(x, n));
		else if (ts_is(n, "function_definition"))
			module_def(x, n);
	}
	free(kids);
}

/*
 * Is class @n one whose objects take their fields from the constructor's
 * arguments (a @dataclass, attrs' @define or @attr.s, a NamedTuple, a
 * pydantic model)? Its class-level values are only defaults then.
 */
static int is_fields_class(struct xctx *x, TSNode n, TSNode *bases, size_t count)
{
	static const char *const decos[] = { "dataclass", "define", "frozen", "mutable", "s",
					     "attrs" };
	static const char *const kinds[] = { "NamedTuple", "BaseModel", "BaseSettings" };
	TSNode parent = ts_parent(n), *kids;
	size_t nk = 0, i, k;
	int yes = 0;

	for (i = 0; i < count && !yes; i++)
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			yes |= ts_text_eq(bases[i], x->src, kinds[k]) ||
			       (ts_is(bases[i], "attribute") &&
				ts_text_eq(ts_field(bases[i], "attribute"), x->src, kinds[k]));
	if (ts_is(parent, "decorated_definition"))
		nk = ts_named_children(parent, &kids);
	for (i = 0; i < nk && !yes; i++) {
		TSNode d = ts_node_named_child(kids[i], 0);

		if (!ts_is(kids[i], "decorator"))
			continue;
		if (ts_is(d, "call"))
			d = ts_field(d, "function");
		if (ts_is(d, "attribute"))
			d = ts_field(d, "attribute");
		for (k = 0; k < sizeof(decos) / sizeof(decos[0]); k++)
			yes |= ts_text_eq(d, x->src, decos[k]);
	}
	if (nk)
		free(kids);
	return yes;
}

/*
 * Does a base make the class an enum.Enum or Flag, whose members are
 * not their values (IntEnum's and StrEnum's are)?
 */
static int is_plain_enum(struct xctx *x, TSNode *bases, size_t count)
{
	size_t i;
	int yes = 0;

	for (i = 0; i < count && !yes; i++) {
		TSNode b = ts_is(bases[i], "attribute") ? ts_field(bases[i], "attribute") : bases[i];

		yes = ts_text_eq(b, x->src, "Enum") || ts_text_eq(b, x->src, "Flag");
	}
	return yes;
}

static void py_class(struct xctx *x, TSNode n)
{
	TSNode *bases;
	size_t count = ts_named_children(ts_field(n, "superclasses"), &bases);
	char *cls, *cls_type, *cls_base, *type = class_alias(x, n);
	struct symtab *cls_methods;
	struct expr *cls_net;

	if (!x->in_class && !x->in_func)
		note_getattr_fallback(x, n);
	cls = x->cls;
	cls_type = x->cls_type;
	cls_methods = x->cls_methods;
	cls_base = x->cls_base;
	cls_net = x->cls_net;
	x->cls_net = NULL;
	x->cls = ts_text(ts_field(n, "name"), x->src);
	x->cls_base = py_class_bases(x, x->cls, bases, count);
	if (is_fields_class(x, n, bases, count)) {
		char *key = xasprintf("fields:%s", x->cls);

		symtab_set(&x->f->syms, key, NULL);
		free(key);
	}
	if (is_plain_enum(x, bases, count)) {
		char *key = xasprintf("enum:%s", x->cls);

		symtab_set(&x->f->syms, key, NULL);
		free(key);
	}
	free(bases);
	x->cls_type = type;
	x->cls_methods = class_methods(x, ts_field(n, "body"));
	x->in_class++;
	py_walk(x, ts_field(n, "body"));
	x->in_class--;
	free(x->cls);
	free(x->cls_type);
	free(x->cls_base);
	expr_free(x->cls_net);
	symtab_clear(x->cls_methods);
	free(x->cls_methods);
	x->cls_net = cls_net;
	x->cls = cls;
	x->cls_type = cls_type;
	x->cls_methods = cls_methods;
	x->cls_base = cls_base;
}

static int is_pattern(TSNode n)
{
	return ts_is(n, "pattern_list") || ts_is(n, "tuple_pattern") ||
	       ts_is(n, "list_pattern");
}

/*
 * a, b = x: each name gets item i of @value (owned) when that is known (a
 * getaddrinfo entry), else the matching element of @right when it is a
 * tuple of the same length (host, port = "::", 8080), else nothing known.
 */
/*
 * The separator of @right when it is X.split("sep") (or rsplit, with or
 * without a maxsplit of 1), as a new string; NULL for anything else.
 */
static char *split_sep(struct xctx *x, TSNode right)
{
	TSNode fn = ts_field(right, "function"), *args;
	size_t count;
	char *sep = NULL;
	struct expr *e;

	if (!ts_is(right, "call") || !ts_is(fn, "attribute") ||
	    !(ts_text_eq(ts_field(fn, "attribute"), x->src, "split") ||
	      ts_text_eq(ts_field(fn, "attribute"), x->src, "rsplit")))
		return NULL;
	count = ts_named_children(ts_field(right, "arguments"), &args);
	if ((count == 1 || (count == 2 && ts_text_eq(args[1], x->src, "1"))) &&
	    ts_is(args[0], "string")) {
		e = py_expr(x, args[0]);
		if (e && e->kind == EX_STR && *e->s)
			sep = xstrdup(e->s);
		expr_free(e);
	}
	free(args);
	return sep;
}

/*
 * left = right, left a name or self.attr: an alias of a module or class,
 * a bound method, or what this class's objects keep. 1 when one of them
 * took it.
 */
static int py_assign_held(struct xctx *x, TSNode left, TSNode right)
{
	if ((ts_is(left, "identifier") || is_self_attr(x, left)) && py_alias_assign(x, left, right))
		return 1;
	if (py_bound_assign(x, left, right))
		return 1;
	if (!is_self_attr(x, left))
		return 0;
	py_self_assign(x, left, right);
	return 1;
}

static void py_unpack(struct xctx *x, TSNode left, TSNode right, struct expr *value)
{
	TSNode *names, *vals = NULL;
	size_t count = ts_named_children(left, &names), nvals = 0, i;
	char *split;

	if (ts_is(right, "expression_list") || ts_is(right, "tuple"))
		nvals = ts_named_children(right, &vals);
	/*
	 * data, addr = sock.recvfrom(n): addr is the peer a reply goes to;
	 * data, self.peer = ...: the class's, for a reply in any method
	 */
	if (count == 2 && ts_is(right, "call") && ts_is(ts_field(right, "function"), "attribute") &&
	    ts_text_eq(ts_field(ts_field(right, "function"), "attribute"), x->src, "recvfrom")) {
		char *peer = NULL;

		if (ts_is(names[1], "identifier")) {
			peer = ts_text(names[1], x->src);
			py_note_use(x, peer, "peer", py_pos(x, right));
		} else if (is_self_attr(x, names[1])) {
			peer = self_attr_name(x, names[1]);
			py_note_use_in(x, -1, peer, "peer", py_pos(x, right));
		}
		free(peer);
	}
	split = count == 2 ? split_sep(x, right) : NULL;
	for (i = 0; i < count; i++) {
		struct expr *e = NULL;
		char *name;

		/* host, port = bind.split(":"): each part (EX_INDEX with the separator) */
		if (split && ts_is(names[i], "identifier")) {
			e = expr_new(EX_INDEX, split);
			e->n = i;
			expr_add(e, py_expr(x, ts_field(ts_field(right, "function"), "object")));
			name = ts_text(names[i], x->src);
			xctx_bind(x, name, e, 1);
			free(name);
			continue;
		}
		/* options, args = parser.parse_args() (optparse's pair) */
		if (!i && is_namespace(value) && is_self_attr(x, names[i])) {
			name = self_attr_name(x, names[i]);
			symtab_set(&x->f->syms, name, expr_copy(value));
			free(name);
			continue;
		}
		/* self._session, self._url = session, url: one assignment each */
		if (nvals == count && is_self_attr(x, names[i])) {
			py_assign_held(x, names[i], vals[i]);
			continue;
		}
		if (!ts_is(names[i], "identifier"))
			continue;
		if (!i && is_namespace(value))
			e = expr_copy(value);
		else if (value)
			e = addrinfo_item(expr_copy(value), i);
		if (!e && nvals == count)
			e = py_expr(x, vals[i]);
		name = ts_text(names[i], x->src);
		xctx_bind(x, name, e ? e : expr_dyn(name), 1);
		free(name);
	}
	expr_free(value);
	free(split);
	free(vals);
	free(names);
}

/*
 * for target in iterable: the target is an element of the iterable when
 * that is known (getaddrinfo's entries). Otherwise the target keeps what
 * it had: `for sock in socks:` after `sock = socket.socket(...)` most
 * often walks sockets made the same way.
 */
/* Is @n a "-x" string literal, or a tuple or list that starts with one? */
static int is_flag_literal(struct xctx *x, TSNode n)
{
	struct expr *e;
	int yes;

	if (ts_is(n, "tuple") || ts_is(n, "list"))
		n = ts_node_named_child(n, 0);
	if (!ts_is(n, "string"))
		return 0;
	e = py_expr(x, n);
	yes = e && e->kind == EX_STR && e->s[0] == '-';
	expr_free(e);
	return yes;
}

/* Does @n (under a loop's body) compare name @opt with a "-x" literal? */
static int tests_flag(struct xctx *x, TSNode n, const char *opt, int depth)
{
	TSNode *kids;
	size_t count, i;
	int yes = 0;

	if (depth > 12)
		return 0;
	count = ts_named_children(n, &kids);
	if (ts_is(n, "comparison_operator") && count == 2)
		yes = ts_text_eq(kids[0], x->src, opt) && is_flag_literal(x, kids[1]);
	for (i = 0; i < count && !yes; i++)
		yes = tests_flag(x, kids[i], opt, depth + 1);
	free(kids);
	return yes;
}

/*
 * for opt, val in opts: if opt == "-P": port = int(val) (getopt's
 * pairs, moosefs' mfscgiserv): val is an option's value, given at run
 * time; py_assignment keeps what the name held before as its default.
 */
static int getopt_loop(struct xctx *x, TSNode left, TSNode body)
{
	TSNode opt, val;
	char *name, *flag;

	if (!is_pattern(left))
		return 0;
	opt = ts_child(left, 0);
	val = ts_child(left, 1);
	if (!ts_is(opt, "identifier") || !ts_is(val, "identifier") ||
	    !ts_node_is_null(ts_child(left, 2)))
		return 0;
	name = ts_text(opt, x->src);
	if (!tests_flag(x, body, name, 0)) {
		free(name);
		return 0;
	}
	flag = ts_text(val, x->src);
	xctx_bind(x, flag, expr_new(EX_FLAG, GETOPT_VALUE), 1);
	free(flag);
	free(name);
	return 1;
}

/*
 * One of the elements of list or tuple @n written out, or of the one a
 * module-level name is bound to (TLE_URLS, CHECKSUMS_URLS): an EX_CHOICE
 * of them, which the resolver reads as what they agree on (a host all of
 * them name, their scheme's port). NULL for anything else.
 */
static struct expr *elements_choice(struct xctx *x, TSNode n)
{
	TSNode *kids;
	struct expr *e;
	size_t count, i;

	if (ts_is(n, "identifier")) {
		char *name = ts_text(n, x->src);
		int local = x->in_func && symtab_find(&x->locals, name);

		free(name);
		if (local)
			return NULL;
		n = module_binding(x, n, n);
	}
	if (!ts_is(n, "list") && !ts_is(n, "tuple"))
		return NULL;
	count = ts_named_children(n, &kids);
	if (!count || count > MAX_STRING_PARTS) {
		free(kids);
		return NULL;
	}
	e = expr_new(EX_CHOICE, NULL);
	for (i = 0; i < count; i++) {
		if (!ts_is(kids[i], "string") && !ts_is(kids[i], "integer") &&
		    !ts_is(kids[i], "identifier") && !ts_is(kids[i], "binary_operator")) {
			expr_free(e);
			e = NULL;
			break;
		}
		expr_add(e, py_expr(x, kids[i]));
	}
	free(kids);
	return e;
}

static void py_for(struct xctx *x, TSNode n)
{
	TSNode left = ts_field(n, "left"), right = ts_field(n, "right");
	struct expr *item;
	char *name;

	py_walk(x, right);
	if (getopt_loop(x, left, ts_field(n, "body"))) {
		py_walk(x, ts_field(n, "body"));
		py_walk(x, ts_field(n, "alternative"));
		return;
	}
	/* for i, entry in enumerate(entries): entry is the element */
	if (ts_is(right, "call") && ts_text_eq(ts_field(right, "function"), x->src, "enumerate") &&
	    is_pattern(left) && !ts_node_is_null(ts_child(left, 1)) &&
	    ts_node_is_null(ts_child(left, 2))) {
		right = py_arg_node(right, 0, "iterable", x->src);
		left = ts_child(left, 1);
	}
	item = addrinfo_item(py_expr(x, right), 0);
	/* for url in TLE_URLS: one of them */
	if (!item && ts_is(left, "identifier"))
		item = elements_choice(x, right);
	if (item && ts_is(left, "identifier")) {
		name = ts_text(left, x->src);
		xctx_bind(x, name, item, 1);
		free(name);
	} else if (item && is_pattern(left)) {
		py_unpack(x, left, (TSNode){ 0 }, item);
	} else {
		expr_free(item);
	}
	py_walk(x, ts_field(n, "body"));
	py_walk(x, ts_field(n, "alternative"));
}

/* Does local @name hold an object (or one the resolver will know)? */
static int holds_object(struct xctx *x, const char *name)
{
	struct expr *v = symtab_get(&x->locals, name);

	return v && (v->kind == EX_OBJ || v->kind == EX_MCALL);
}

/*
 * Is expression @n of no value sockscan can follow: unknown, or a call of
 * another module's function it has no rule for (socket.fromfd(...))?
 */
static int is_unknown(struct xctx *x, TSNode n)
{
	struct expr *e = py_expr(x, n);
	int yes = !e || e->kind == EX_DYN || (e->kind == EX_CALL && e->s2);

	expr_free(e);
	return yes;
}

/*
 * A function or class named by module and attribute that no rule knows
 * (compat.urlopen): what a Python-version or platform branch binds where
 * the other branch binds the API a rule knows.
 */
static int names_other_function(struct xctx *x, TSNode n)
{
	struct expr *e = py_expr(x, n);
	int yes = e && e->kind == EX_QUAL && !is_rule_name(e->s) &&
		  !rule_is_family(py_rules, e->s);

	expr_free(e);
	return yes;
}

/*
 * Objects given their address by attribute after they are made: a
 * hypercorn Config's bind list (config.bind = ["host:port"]), where
 * hypercorn's serve(app, config) listens.
 */
static const struct {
	const char *type;
	const char *attr;
} addr_attrs[] = {
	{ "hypercorn.Config", "bind" },
};

/* NAME.attr = value on a local NAME holding such an object: its new address. */
static int py_obj_attr_assign(struct xctx *x, TSNode left, TSNode right)
{
	TSNode obj = ts_field(left, "object");
	struct sym *held;
	char *name;
	size_t i;

	if (!x->in_func || !ts_is(left, "attribute") || !ts_is(obj, "identifier"))
		return 0;
	name = ts_text(obj, x->src);
	held = symtab_find(&x->locals, name);
	free(name);
	if (!held || !held->value || held->value->kind != EX_OBJ || held->value->nargs < 1)
		return 0;
	for (i = 0; i < sizeof(addr_attrs) / sizeof(addr_attrs[0]); i++) {
		if (!is_obj(held->value, addr_attrs[i].type) ||
		    !ts_text_eq(ts_field(left, "attribute"), x->src, addr_attrs[i].attr))
			continue;
		expr_free(held->value->a[0]);
		held->value->a[0] = py_expr(x, right);
		return 1;
	}
	return 0;
}

/*
 * What name @left = @right binds: the value, or, for an object known only
 * at run time held under a session's name (session = url_data.session),
 * a session by its name, as a parameter is (py_param_named).
 */
static struct expr *local_value(struct xctx *x, TSNode left, TSNode right)
{
	struct expr *e = py_expr(x, right);

	if (x->in_func && e && (e->kind == EX_DYN || e->kind == EX_ATTR) &&
	    is_session_name(x, left)) {
		expr_free(e);
		e = expr_obj("named.session", NULL, NULL);
	}
	return e;
}

/* Is @n configparser.get(...) (or getint) on a parser, reading the configuration? */
static int reads_parser(struct xctx *x, TSNode n)
{
	TSNode fn = ts_field(n, "function");

	while (ts_is(n, "call") && ts_is(fn, "identifier") &&
	       (ts_text_eq(fn, x->src, "int") || ts_text_eq(fn, x->src, "str"))) {
		n = py_arg_node(n, 0, NULL, x->src);
		fn = ts_field(n, "function");
	}
	return ts_is(n, "call") && ts_is(fn, "attribute") &&
	       (ts_text_eq(ts_field(fn, "attribute"), x->src, "get") ||
		ts_text_eq(ts_field(fn, "attribute"), x->src, "getint")) &&
	       is_config_parser(x, ts_field(fn, "object"));
}

/*
 * port = int(val) in a getopt loop (getopt_loop), port = 9425 before it:
 * the option's value over that default, as argparse's default= is. So
 * too a branch's configuration read that gives no value of its own
 * (mini-dinstall's if configp.has_option(...): mail_server =
 * configp.get(...), mail_server = 'localhost' before it).
 */
static int literal_over_run_time_value(struct xctx *x, const char *name, TSNode right)
{
	struct expr *v = py_expr(x, right), *old, *flag;
	struct symtab *t = x->in_func ? &x->locals : &x->f->syms;
	int yes, config;

	old = symtab_get(t, name);
	/* at module level a name reads as itself: what it holds */
	if (v && v->kind == EX_IDENT && v->s && !x->in_func) {
		struct expr *held = expr_copy(symtab_get(&x->f->syms, v->s));

		expr_free(v);
		v = held;
	}
	config = x->cond_depth > 0 && v &&
		 ((v->kind == EX_DYN && reads_parser(x, right)) || reads_config_loop(x, right));
	yes = v && ((v->kind == EX_FLAG && v->s && !strcmp(v->s, GETOPT_VALUE) && !v->nargs) ||
		    config) &&
	      old && (old->kind == EX_STR || old->kind == EX_INT);
	if (yes && config) {
		symtab_set(t, name, literal_default(NULL, old));
	} else if (yes) {
		flag = expr_new(EX_FLAG, name);
		expr_add(flag, expr_copy(old));
		symtab_set(t, name, flag);
	}
	expr_free(v);
	return yes;
}

/*
 * general = config[0], section = conf["server"] in a function: the local
 * @name holds part of a configuration, whose keys the user sets too
 * (names_config). Marked among the function's locals.
 */
static void note_conf_section(struct xctx *x, const char *name, TSNode right)
{
	TSNode of = ts_field(right, "value");
	char *key, *text;
	int yes;

	if (!x->in_func || !ts_is(right, "subscript") || !ts_is(of, "identifier"))
		return;
	text = ts_text(of, x->src);
	yes = is_conf_name(text);
	free(text);
	if (!yes)
		return;
	key = xasprintf(CONF_SECTION "%s", name);
	symtab_set(&x->locals, key, NULL);
	free(key);
}

static void py_assignment(struct xctx *x, TSNode n)
{
	TSNode left = ts_field(n, "left"), right = ts_field(n, "right");
	char *name;

	py_walk(x, right);
	/* a = b = value: the inner assignment was walked above */
	while (ts_is(right, "assignment"))
		right = ts_field(right, "right");
	if (ts_node_is_null(right))
		return;
	py_opt_parameters(x, left, right);
	note_parser_defaults(x, left, right);
	if (is_pattern(left)) {
		py_unpack(x, left, right, ts_is(right, "expression_list") ? NULL : py_expr(x, right));
		return;
	}
	if (py_assign_held(x, left, right))
		return;
	if (ts_is(left, "subscript"))
		py_item_assign(x, left, right);
	if (py_obj_attr_assign(x, left, right))
		return;
	if (!ts_is(left, "identifier"))
		return;
	name = ts_text(left, x->src);
	note_conf_section(x, name, right);
	/*
	 * sock = None on an error path keeps the socket the name held; so does
	 * an unknown value in an if/else branch (sock = socket.fromfd(...) in
	 * the else of sock = socket.socket(...)): the name may hold either.
	 */
	if (x->in_func && holds_object(x, name) &&
	    (ts_is(right, "none") || (x->cond_depth > 0 && is_unknown(x, right)))) {
		free(name);
		return;
	}
	/*
	 * cls = CacheopsRedis (an alias of redis.StrictRedis), then if a
	 * setting names another: cls = import_string(setting): the name may
	 * hold either, and the class sockscan knows is the default one
	 */
	if (x->in_func && x->cond_depth > 0 && !symtab_find(&x->locals, name) &&
	    py_import_binding(x->f->imports, x->f->nimports, name, strlen(name)) >= 0 &&
	    (is_unknown(x, right) || names_other_function(x, right))) {
		free(name);
		return;
	}
	/* PORT = 9404 in a class body: also self.PORT for its methods */
	if (x->in_class && !x->in_func) {
		char *attr = xasprintf("self.%s", name), *scoped = self_name(x, name);

		symtab_set(&x->f->syms, attr, py_expr(x, right));
		if (strcmp(attr, scoped))
			symtab_set(&x->f->syms, scoped, py_expr(x, right));
		free(attr);
		free(scoped);
	}
	py_note_kwargs_dict(x, name, right);
	if (!x->in_func && !x->in_class)
		py_settings_proxy(x, name, right);
	if (literal_over_run_time_value(x, name, right)) {
		free(name);
		return;
	}
	x->rebinding = name;
	xctx_bind(x, name, ts_is(right, "none") ? expr_none() : local_value(x, left, right), 1);
	x->rebinding = NULL;
	free(name);
}

/* with socket.socket() as s: binds s to the socket. */
/* with closing(sock): sock is closed at the end of the block. */
static void py_note_closing(struct xctx *x, TSNode value, TSNode item)
{
	TSNode fn = ts_field(value, "function"), arg;
	char *text, *name;
	int yes;

	if (!ts_is(value, "call"))
		return;
	text = ts_text(fn, x->src);
	yes = !strcmp(text, "closing") || str_has_suffix(text, ".closing");
	free(text);
	arg = py_arg_node(value, 0, NULL, x->src);
	if (!yes || !ts_is(arg, "identifier"))
		return;
	name = ts_text(arg, x->src);
	py_note_use(x, name, "close", py_pos(x, item));
	free(name);
}

static void py_with_item(struct xctx *x, TSNode n)
{
	TSNode value = ts_field(n, "value"), target;
	struct expr *v;
	char *name;

	py_walk_children(x, n);
	py_note_closing(x, ts_is(value, "as_pattern") ? ts_child(value, 0) : value, n);
	if (!ts_is(value, "as_pattern"))
		return;
	target = ts_field(value, "alias");
	if (ts_is(target, "as_pattern_target"))
		target = ts_child(target, 0);
	if (!ts_is(target, "identifier"))
		return;
	name = ts_text(target, x->src);
	v = py_expr(x, ts_child(value, 0));
	/*
	 * with self.session() as session: a session, by its name
	 * (py_param_named); with self.session as session: what the class
	 * keeps there, which the resolver follows (python-cs)
	 */
	if (!(v && (v->kind == EX_OBJ || (v->kind == EX_IDENT && is_self_attr(x, ts_child(value, 0))))) &&
	    is_session_name(x, target)) {
		expr_free(v);
		v = expr_obj("named.session", NULL, NULL);
	}
	xctx_bind(x, name, v, 1);
	py_note_use(x, name, "close", py_pos(x, n));
	free(name);
}

static int py_params(struct xctx *x, TSNode fn, char ***out)
{
	TSNode *kids;
	size_t count = ts_named_children(ts_field(fn, "parameters"), &kids), i;
	char **names = NULL;
	size_t n = 0, cap = 0;

	for (i = 0; i < count; i++) {
		TSNode p = kids[i];

		if (!ts_is(p, "identifier")) {
			TSNode name = ts_field(p, "name");

			p = ts_node_is_null(name) ? ts_child(p, 0) : name;
		}
		if (!ts_is(p, "identifier"))
			continue;
		grow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = ts_text(p, x->src);
	}
	free(kids);
	*out = names;
	return n;
}

/*
 * The class X of annotation Type[X] (typing.Type, type[X]) of parameter
 * @param, or a null node.
 */
static TSNode type_of_class(struct xctx *x, TSNode param)
{
	TSNode none = { 0 }, t = ts_field(param, "type"), head;

	if (ts_is(t, "type"))
		t = ts_child(t, 0);
	if (ts_is(t, "subscript")) {
		head = ts_field(t, "value");
		t = ts_field(t, "subscript");
	} else if (ts_is(t, "generic_type")) {
		head = ts_child(t, 0);
		t = ts_child(ts_child(t, 1), 0);
		if (ts_is(t, "type"))
			t = ts_child(t, 0);
	} else {
		return none;
	}
	/* typing.Type[X] */
	if (ts_is(head, "attribute"))
		head = ts_field(head, "attribute");
	if (!ts_text_eq(head, x->src, "Type") && !ts_text_eq(head, x->src, "type"))
		return none;
	return ts_is(t, "identifier") || ts_is(t, "attribute") ? t : none;
}

/*
 * Parameter @param whose default is a class sockscan has a rule for
 * (server_class=BaseHTTPServer.HTTPServer), or one of the tree that may be
 * one (resolved later, site->qual), or whose annotation is Type[such a
 * class]: the parameter called is that class, unless the function
 * rebinds it (x->param_cls, py_qualified).
 */
static void py_param_class(struct xctx *x, TSNode param)
{
	TSNode cls = ts_field(param, "value");
	const char *dot;
	char *q, *pname;

	/* def serve(ServerClass: Type[socketserver.TCPServer]): the same */
	if (!ts_is(cls, "identifier") && !ts_is(cls, "attribute"))
		cls = type_of_class(x, param);
	q = ts_node_is_null(cls) ? NULL : py_qualified(x, cls);
	dot = q ? strrchr(q, '.') : NULL;
	if (dot && (is_rule_name(q) || rule_is_func_name(py_rules, dot + 1))) {
		pname = ts_text(param_name(param), x->src);
		symtab_set(&x->param_cls, pname, expr_str(q));
		free(pname);
	}
	free(q);
}

/*
 * A parameter whose name (loop) or annotation (asyncio.AbstractEventLoop)
 * says it is an asyncio event loop: with no caller of the tree handing
 * one down (asyncpg passes its loop through *args), it is one. Likewise
 * a requests session, by annotation, or by its name (pywws' services'
 * upload_data(self, session), handed a session their base class got
 * from a context manager): then only its calls with an http(s) URL are
 * sites (rule needs_url).
 */
static struct expr *py_param_named(struct xctx *x, TSNode param, TSNode name)
{
	TSNode type = ts_field(param, "type");
	char *q = py_qualified(x, ts_child(type, 0));
	const char *made = NULL;

	if (is_loop_name(x, name) || (q && str_has_prefix(q, "asyncio.") && strstr(q, "EventLoop")))
		made = "asyncio.Loop";
	else if (q && (!strcmp(q, "requests.Session") || !strcmp(q, "requests.sessions.Session")))
		made = "requests.Session";
	else if (q && !strcmp(q, "aiohttp.ClientSession"))
		made = "aiohttp.ClientSession";
	if (!made && is_session_name(x, name))
		made = "named.session";
	free(q);
	return made ? expr_obj(made, NULL, NULL) : NULL;
}

/*
 * A parameter's default: None too, which stands for nothing a caller
 * passes (if host is None: host = "localhost" then gives the address).
 * Python evaluates it where the function is defined, not among its
 * parameters: session=session names the module's session.
 */
static struct expr *py_default_value(struct xctx *x, TSNode value)
{
	int in_func = x->in_func;
	struct expr *e;

	if (ts_is(value, "none"))
		return expr_none();
	x->in_func = 0;
	e = py_expr(x, value);
	x->in_func = in_func;
	return e;
}

/*
 * "default:F:P" in the file's symbols: the default of parameter P of
 * function F, an object (socket_module=socket) or a value (port=8080),
 * which the parameter stands for when no caller passes one (resolve.c).
 */
static void py_param_defaults(struct xctx *x, TSNode fn, const char *func)
{
	TSNode *kids;
	size_t count = ts_named_children(ts_field(fn, "parameters"), &kids), i;

	for (i = 0; i < count; i++) {
		TSNode name = param_name(kids[i]);
		struct expr *v;
		char *pname, *key;

		if (!ts_is(name, "identifier"))
			continue;
		v = NULL;
		if (ts_is(kids[i], "default_parameter") || ts_is(kids[i], "typed_default_parameter")) {
			py_param_class(x, kids[i]);
			v = py_default_value(x, ts_field(kids[i], "value"));
		} else if (ts_is(kids[i], "typed_parameter")) {
			py_param_class(x, kids[i]);
		}
		/* session=None: a session by its name (py_param_named), else None */
		if (!v || v->kind == EX_DYN) {
			struct expr *named = py_param_named(x, kids[i], name);

			if (named || !v || v->n != 1) {
				expr_free(v);
				v = named;
			}
		}
		if (!v)
			continue;
		pname = ts_text(name, x->src);
		key = xasprintf("default:%s:%s", func, pname);
		symtab_set(&x->f->syms, key, v);
		free(key);
		free(pname);
	}
	free(kids);
}

/*
 * "static:C.m" in the file's symbols: C.m is a static method, whose
 * parameters count from 1 as if self came first (py_func); a call
 * through the class, C.m(a), passes its first argument as parameter 1.
 */
static void py_static_method(struct xctx *x, const char *name)
{
	char *key = xasprintf("static:%s", name);

	symtab_set(&x->f->syms, key, NULL);
	free(key);
}

/* Is function @fn decorated with @text (written so: "@staticmethod")? */
static int decorated_with(struct xctx *x, TSNode fn, const char *text)
{
	TSNode parent = ts_parent(fn);
	TSNode *kids;
	size_t count, i;
	int yes = 0;

	if (!ts_is(parent, "decorated_definition"))
		return 0;
	count = ts_named_children(parent, &kids);
	for (i = 0; i < count; i++)
		if (ts_is(kids[i], "decorator") && ts_text_eq(kids[i], x->src, text))
			yes = 1;
	free(kids);
	return yes;
}

/* Is function definition @fn decorated @staticmethod? */
static int is_static(struct xctx *x, TSNode fn)
{
	return decorated_with(x, fn, "@staticmethod");
}

/*
 * @property def server_port(self): return self.config["ServerPort"]: the
 * class's objects read it as an attribute, "C.self.server_port", what
 * the getter returns (its summary), unless the class sets one itself.
 */
static void py_property(struct xctx *x, TSNode fn, const char *method)
{
	const struct expr *sum = symtab_get(&x->f->funcs, method);
	char *attr, *scoped;

	if (!sum || !x->cls || !decorated_with(x, fn, "@property"))
		return;
	attr = ts_text(ts_field(fn, "name"), x->src);
	scoped = self_name(x, attr);
	if (!symtab_find(&x->f->syms, scoped))
		symtab_set(&x->f->syms, scoped, expr_copy(sum));
	free(scoped);
	free(attr);
}

/*
 * @click.option("--port", "-p", default=5000) on def run(host, port): click
 * passes the option's default when the command line gives none, as
 * argparse does (py_add_argument); the parameter stands for that flag.
 * Likewise @click.argument("port", required=False, default=8000).
 * The name is the option's own (a string without dashes), else its first
 * long option, else its first, with dashes made underscores.
 */
static void py_click_option(struct xctx *x, TSNode call)
{
	TSNode *args, opt = { 0 }, def = py_arg_node(call, -1, "default", x->src);
	size_t count = ts_named_children(ts_field(call, "arguments"), &args), i;
	struct expr *name, *local, *e;
	char *pname, *p;

	for (i = 0; i < count && ts_is(args[i], "string"); i++) {
		name = py_expr(x, args[i]);
		if (name && name->kind == EX_STR &&
		    (ts_node_is_null(opt) || name->s[0] != '-' || str_has_prefix(name->s, "--")))
			opt = args[i];
		if (name && name->kind == EX_STR && name->s[0] != '-')
			i = count;	/* its own name: taken */
		expr_free(name);
	}
	free(args);
	name = ts_node_is_null(opt) || ts_node_is_null(def) ? NULL : py_expr(x, opt);
	if (!name || name->kind != EX_STR) {
		expr_free(name);
		return;
	}
	for (p = name->s; *p == '-'; p++)
		;
	pname = xstrdup(p);
	for (p = pname; *p; p++)
		if (*p == '-')
			*p = '_';
	local = symtab_get(&x->locals, pname);
	if (local && local->kind == EX_PARAM) {
		e = expr_new(EX_FLAG, NULL);
		e->s = xstrdup(name->s);
		expr_add(e, py_expr(x, def));
		symtab_set(&x->locals, pname, e);
	}
	free(pname);
	expr_free(name);
}

/* The click options decorating function definition @fn (py_click_option). */
static void py_click_options(struct xctx *x, TSNode fn)
{
	TSNode parent = ts_parent(fn), *kids;
	size_t count, i;

	if (!ts_is(parent, "decorated_definition"))
		return;
	count = ts_named_children(parent, &kids);
	for (i = 0; i < count; i++) {
		TSNode call = ts_node_named_child(kids[i], 0);
		char *q;

		if (!ts_is(kids[i], "decorator") || !ts_is(call, "call"))
			continue;
		q = py_qualified(x, ts_field(call, "function"));
		/* an argument with a default (required=False) takes it the same way */
		if (q && (!strcmp(q, "click.option") || !strcmp(q, "click.argument")))
			py_click_option(x, call);
		free(q);
	}
	free(kids);
}

/*
 * "methdef:m" -> the classes of this module that define method m, a list
 * (an EX_CALL with no name) of their names: for the calls on objects of
 * unknown class (any_class_method_key).
 */
static void note_method_def(struct xctx *x, TSNode fn)
{
	char *m = ts_text(ts_field(fn, "name"), x->src), *key = xasprintf(METHDEF "%s", m);
	struct expr *list = symtab_get(&x->f->syms, key);
	int i;

	if (!list) {
		symtab_set(&x->f->syms, key, expr_new(EX_CALL, NULL));
		list = symtab_get(&x->f->syms, key);
	}
	for (i = 0; i < list->nargs && strcmp(list->a[i]->s, x->cls); i++)
		;
	if (i == list->nargs && list->nargs < MAX_CALLS_PER_NAME)
		expr_add(list, expr_str(x->cls));
	free(key);
	free(m);
}

static void py_function(struct xctx *x, TSNode fn, int summarise)
{
	char **params, *name = NULL;
	int n, i, shift;

	/* a nested function shares its parent's scope, but not its returns */
	if (x->in_func) {
		x->in_nested++;
		py_walk(x, ts_field(fn, "body"));
		x->in_nested--;
		return;
	}
	n = py_params(x, fn, &params);
	xctx_enter_func(x, params, n);
	x->kwsplat = kwsplat_param(x, fn);
	if (summarise) {
		name = ts_text(ts_field(fn, "name"), x->src);
	} else if (x->cls) {
		/* a method: "C.m", called as self.m() (py_call_expr) */
		char *m = ts_text(ts_field(fn, "name"), x->src);

		name = xasprintf("%s.%s", x->cls, m);
		free(m);
	}
	/*
	 * Each parameter knows its function, for binding to callers'
	 * arguments. A static method is called as self.m(a) like the others
	 * (py_call_expr puts self first): its parameters count from 1.
	 */
	shift = x->cls && is_static(x, fn);
	for (i = 0; name && i < n; i++) {
		struct expr *p = symtab_get(&x->locals, params[i]);

		if (p && p->kind == EX_PARAM && !p->s) {
			p->s = xstrdup(name);
			p->s2 = xstrdup(params[i]);
			p->n += shift;
		}
	}
	if (name && !summarise)
		note_method_def(x, fn);
	if (name && shift)
		py_static_method(x, name);
	if (name)
		py_param_defaults(x, fn, name);
	py_click_options(x, fn);
	py_walk(x, ts_field(fn, "body"));
	symtab_clear(&x->param_cls);
	free(x->kwsplat);
	x->kwsplat = NULL;
	xctx_leave_func(x, name, n + shift);
	if (name && !summarise)
		py_property(x, fn, name);
	free(name);
	for (i = 0; i < n; i++)
		free(params[i]);
	free(params);
}

/*
 * Is block @n run only on some paths: a branch of an if, or the body of a
 * try (an exception may leave its assignments undone: try: path =
 * config.get(...) except: pass keeps the path set before) or of one of
 * its handlers?
 */
static int is_if_block(TSNode n)
{
	TSNode p = ts_parent(n);

	return ts_is(n, "block") && (ts_is(p, "if_statement") ||
				     ts_is(p, "elif_clause") || ts_is(p, "else_clause") ||
				     ts_is(p, "try_statement") || ts_is(p, "except_clause"));
}

/* name += value: the name now holds its old value followed by (or plus) value. */
static void py_augmented_assignment(struct xctx *x, TSNode n)
{
	TSNode left = ts_field(n, "left"), right = ts_field(n, "right");
	struct expr *old;
	char *name;

	py_walk_children(x, n);
	if (!ts_is(left, "identifier") || !ts_text_eq(ts_field(n, "operator"), x->src, "+="))
		return;
	name = ts_text(left, x->src);
	/* at module level a name is not copied where used: copy its value here */
	old = x->in_func ? py_ident(x, left) : expr_copy(symtab_get(&x->f->syms, name));
	if (old && !holds_object(x, name))
		xctx_bind(x, name, expr_pair(EX_CONCAT, old, py_expr(x, right)), 1);
	else
		expr_free(old);
	free(name);
}

/*
 * "conf:PATH" holds literal @v, or a module constant (PORT, read in this
 * module: resolve.c conf_default), unless the module gives PATH another
 * value.
 */
static void set_conf(struct xctx *x, const char *path, TSNode v)
{
	char *name = xasprintf("conf:%s", path);
	struct expr *e = py_expr(x, v), *old = symtab_get(&x->f->syms, name);

	if ((old && !expr_equal(old, e)) || !e ||
	    (e->kind != EX_STR && e->kind != EX_INT && e->kind != EX_IDENT)) {
		expr_free(e);
		e = expr_dyn("several values");
	}
	symtab_set(&x->f->syms, name, e);
	free(name);
}

/*
 * {"server": {"port": "8080", "host": "0.0.0.0"}}: each literal value of a
 * dictionary written out, by its path of string keys ("conf:server.port"),
 * as the default of a configuration that conf.server.port reads
 * (conf_path; resolve.c's conf_default).
 */
static void py_conf_dict(struct xctx *x, TSNode d, const char *prefix, int depth)
{
	TSNode *kids, v;
	size_t count = ts_named_children(d, &kids), i;
	char *key, *path;

	for (i = 0; i < count; i++) {
		if (!ts_is(kids[i], "pair") || !(key = entry_key(x, kids[i])))
			continue;
		v = ts_field(kids[i], "value");
		path = prefix ? xasprintf("%s.%s", prefix, key) : xstrdup(key);
		if (strchr(key, '.') || !*key) {
			/* not a path of keys */
		} else if (ts_is(v, "dictionary")) {
			if (depth + 1 < MAX_CONF_DEPTH)
				py_conf_dict(x, v, path, depth + 1);
		} else if (ts_is(v, "string") || ts_is(v, "integer") || ts_is(v, "identifier")) {
			set_conf(x, path, v);
		}
		free(path);
		free(key);
	}
	free(kids);
}

/*
 * optParameters = [["port", "p", "tcp:8080", "..."], ...] in a class body:
 * twisted.python.usage.Options, a mapping whose defaults these are, read
 * as config["port"]: each literal default is "conf:port" (py_conf_dict).
 */
static void py_opt_parameters(struct xctx *x, TSNode left, TSNode right)
{
	TSNode *opts, name, value;
	size_t count, i;
	struct expr *e;

	if (!x->in_class || x->in_func || !ts_text_eq(left, x->src, "optParameters") ||
	    (!ts_is(right, "list") && !ts_is(right, "tuple")))
		return;
	count = ts_named_children(right, &opts);
	for (i = 0; i < count; i++) {
		if (!ts_is(opts[i], "list") && !ts_is(opts[i], "tuple"))
			continue;
		name = ts_child(opts[i], 0);
		value = ts_child(opts[i], 2);
		e = ts_is(name, "string") ? py_expr(x, name) : NULL;
		if (e && e->kind == EX_STR && *e->s && !strchr(e->s, '.') &&
		    (ts_is(value, "string") || ts_is(value, "integer")))
			set_conf(x, e->s, value);
		expr_free(e);
	}
	free(opts);
}

static void py_walk(struct xctx *x, TSNode n)
{
	const char *t = ts_type(n);

	if (ts_node_is_null(n))
		return;
	if (!strcmp(t, "augmented_assignment")) {
		py_augmented_assignment(x, n);
		return;
	}
	if (!strcmp(t, "import_statement") || !strcmp(t, "import_from_statement")) {
		py_import(x, n);
		return;
	}
	if (!strcmp(t, "assignment")) {
		py_assignment(x, n);
		return;
	}
	if (!strcmp(t, "with_item")) {
		py_with_item(x, n);
		return;
	}
	if (!strcmp(t, "for_statement")) {
		py_for(x, n);
		return;
	}
	if (!strcmp(t, "function_definition")) {
		TSNode def = ts_is(ts_parent(n), "decorated_definition") ? ts_parent(n) : n;

		/* a method, decorated or not, is "C.m" (py_function) */
		py_function(x, n, !ts_is(ts_parent(ts_parent(def)), "class_definition"));
		return;
	}
	/*
	 * also a class made in a function (class Session(base_class) in a
	 * factory whose parameter defaults to ftplib.FTP): its methods share
	 * the function's scope, as nested functions do (py_function)
	 */
	if (!strcmp(t, "class_definition")) {
		py_class(x, n);
		return;
	}
	if (!strcmp(t, "return_statement")) {
		TSNode v = ts_child(n, 0);

		py_walk_children(x, n);
		/* a factory's app, not what a route it decorates returns */
		if (!ts_node_is_null(v) && !x->in_nested)
			xctx_return(x, py_expr(x, v));
		/* return sock: its bind may be a client's source (is_ephemeral_source) */
		if (ts_is(v, "identifier") && x->in_func) {
			char *name = ts_text(v, x->src);

			py_note_use(x, name, "return", py_pos(x, n));
			free(name);
		}
		return;
	}
	if (!strcmp(t, "call")) {
		py_note_callee(x, n);
		note_thread_target(x, n);
		py_call_site(x, n);
		if (!x->in_func && !x->in_class)
			py_settings_update(x, n);
	}
	if (!strcmp(t, "dictionary") && !ts_is(ts_parent(n), "pair"))
		py_conf_dict(x, n, NULL, 0);
	if (x->in_func && !strcmp(t, "if_statement")) {
		py_if(x, n, py_walk);
		return;
	}
	if (is_if_block(n)) {
		x->cond_depth++;
		py_walk_children(x, n);
		x->cond_depth--;
		return;
	}
	py_walk_children(x, n);
}

/*
 * Module-level statements looked back over for a name's binding, at most:
 * each lookup costs no more than this, so a file of a million statements
 * is still read in linear time.
 */
#define MAX_BINDING_LOOKBACK 1024

/*
 * The value a module-level name was last bound to above the statement
 * being walked (x->tops[x->top], which holds @at), as its node (null if
 * none).
 */
static TSNode module_binding(struct xctx *x, TSNode at, TSNode name)
{
	TSNode found = { 0 };
	size_t i, stop;
	char *text;

	if (!x->tops || ts_node_start_byte(at) < ts_node_start_byte(x->tops[x->top]) ||
	    ts_node_end_byte(at) > ts_node_end_byte(x->tops[x->top]))
		return found;
	text = ts_text(name, x->src);
	if (!symtab_find(&x->f->syms, text)) {	/* no module-level name: nothing to look for */
		free(text);
		return found;
	}
	stop = x->top > MAX_BINDING_LOOKBACK ? x->top - MAX_BINDING_LOOKBACK : 0;
	for (i = x->top; i > stop && ts_node_is_null(found); i--) {
		TSNode s = x->tops[i - 1], a = ts_child(s, 0);

		if (ts_is(s, "expression_statement") && ts_is(a, "assignment") &&
		    ts_text_eq(ts_field(a, "left"), x->src, text))
			found = ts_field(a, "right");
	}
	free(text);
	return found;
}

/*
 * The dictionary a module-level name was last bound to before @at,
 * {"K": v} or dict(K=v), as its node (null if none).
 */
static TSNode module_dict(struct xctx *x, TSNode at, TSNode name)
{
	TSNode bound = module_binding(x, at, name);

	return ts_node_is_null(bound) ? bound : dict_entries(x, bound);
}

/*
 * The last getattr(MODULE, @param) under @n, MODULE a name imported from
 * another module, as MODULE's qualified name (NULL if none). A method's
 * statements, a few levels deep: no deeper (generated code nests far).
 */
static char *getattr_module(struct xctx *x, TSNode n, const char *param, int depth)
{
	TSNode *kids, obj;
	char *q = NULL, *later;
	size_t count, i;

	if (depth > 16)
		return NULL;
	if (ts_is(n, "call") && ts_text_eq(ts_field(n, "function"), x->src, "getattr") &&
	    ts_text_eq(py_arg_node(n, 1, NULL, x->src), x->src, param)) {
		obj = py_arg_node(n, 0, NULL, x->src);
		if (ts_is(obj, "identifier"))
			q = py_qualified(x, obj);
	}
	count = ts_named_children(n, &kids);
	for (i = 0; i < count; i++) {
		later = getattr_module(x, kids[i], param, depth + 1);
		if (later) {
			free(q);
			q = later;
		}
	}
	free(kids);
	return q;
}

/*
 * The module whose attributes class @cls passes on, through a method
 * def __getattr__(self, name): ... return getattr(defaults, name), as its
 * qualified name (NULL if none).
 */
static char *getattr_fallback(struct xctx *x, TSNode cls)
{
	TSNode *kids, *params, def;
	char *q = NULL, *param;
	size_t count, nparams, i;

	count = ts_named_children(ts_field(cls, "body"), &kids);
	for (i = 0; i < count && !q; i++) {
		def = kids[i];
		if (ts_is(def, "decorated_definition"))
			def = ts_field(def, "definition");
		if (!ts_is(def, "function_definition") ||
		    !ts_text_eq(ts_field(def, "name"), x->src, "__getattr__"))
			continue;
		nparams = ts_named_children(ts_field(def, "parameters"), &params);
		if (nparams == 2 && ts_is(params[1], "identifier")) {
			param = ts_text(params[1], x->src);
			q = getattr_module(x, ts_field(def, "body"), param, 0);
			free(param);
		}
		free(params);
	}
	free(kids);
	return q;
}

/*
 * A module-level class whose __getattr__ falls back to another module's
 * names (getattr_fallback): kept as "getattr_fallback:C", MODULE.*, for
 * py_settings_proxy.
 */
static void note_getattr_fallback(struct xctx *x, TSNode cls)
{
	struct expr *e;
	char *q = getattr_fallback(x, cls), *key, *name;

	if (!q)
		return;
	e = expr_new(EX_QUAL, NULL);
	e->s = q;
	e->s2 = xstrdup("*");
	name = ts_text(ts_field(cls, "name"), x->src);
	key = xasprintf("getattr_fallback:%s", name);
	symtab_set(&x->f->syms, key, e);
	free(key);
	free(name);
}

/*
 * settings = Settings() at module level, where Settings is a class of the
 * module whose __getattr__ falls back to another module's names (a Django
 * app's settings proxy: the user's settings first, then the app's
 * defaults module): settings.KEY reads that module's KEY as a default the
 * user's configuration may override. Kept as the module's "settings.*",
 * MODULE.* (resolve.c, eval_name).
 */
static void py_settings_proxy(struct xctx *x, const char *name, TSNode right)
{
	const struct expr *to;
	TSNode *args;
	char *key, *class_name;
	size_t nargs;

	if (!ts_is(right, "call") || !ts_is(ts_field(right, "function"), "identifier"))
		return;
	nargs = ts_named_children(ts_field(right, "arguments"), &args);
	free(args);
	if (nargs)
		return;
	class_name = ts_text(ts_field(right, "function"), x->src);
	key = xasprintf("getattr_fallback:%s", class_name);
	to = symtab_get(&x->f->syms, key);
	free(key);
	free(class_name);
	if (!to)
		return;
	key = xasprintf("%s.*", name);
	symtab_set(&x->f->syms, key, expr_copy(to));
	free(key);
}

/* "OBJ.KEY" holds @value as a configuration default (py_settings_update). */
static void set_setting(struct xctx *x, const char *obj, const char *key, TSNode value)
{
	char *name = xasprintf("%s.%s", obj, key);

	symtab_set(&x->f->syms, name, expr_default(py_expr(x, value), RES_ENV_DEFAULT));
	free(name);
}

/*
 * settings.update(defaults) at module level, defaults a dictionary of
 * string keys (or dict(K=v)): settings.K reads K's default, which the
 * user's configuration may override later, as a config.get("K", default)
 * does (graphite-carbon's Settings, a dict whose __getattr__ is
 * __getitem__). Kept as the module's "settings.K".
 */
static void py_settings_update(struct xctx *x, TSNode call)
{
	TSNode fn = ts_field(call, "function"), d, *kids;
	char *obj, *key;
	size_t count, i;

	if (!ts_is(fn, "attribute") || !ts_text_eq(ts_field(fn, "attribute"), x->src, "update") ||
	    !ts_is(ts_field(fn, "object"), "identifier"))
		return;
	d = py_arg_node(call, 0, NULL, x->src);
	d = ts_is(d, "identifier") ? module_dict(x, call, d) : dict_entries(x, d);
	if (ts_node_is_null(d))
		return;
	obj = ts_text(ts_field(fn, "object"), x->src);
	count = ts_named_children(d, &kids);
	for (i = 0; i < count; i++) {
		key = entry_key(x, kids[i]);
		if (key)
			set_setting(x, obj, key, ts_field(kids[i], "value"));
		free(key);
	}
	free(kids);
	free(obj);
}

/* "scope name method": the key of a method call in py_prune_sites. */
static char *call_key(int scope, const struct site *s, const char *method)
{
	return xasprintf("%d %s %s", scope, s->recv_name, method);
}

static int site_is(const struct site *s, const char *method)
{
	return s->method && s->recv_name && !strcmp(s->method, method);
}

/* Remember the first call of @method on @s's receiver in @scope. */
static void note_call(struct symtab *calls, int scope, const struct site *s, const char *method)
{
	char *key = call_key(scope, s, method);

	if (!symtab_find(calls, key))
		symtab_set(calls, key, expr_int(site_pos(s->line, s->col)));
	free(key);
}

/* Position of the first such call (see note_call), or 0 when none. */
static long called_at(const struct symtab *calls, int scope, const struct site *s,
		      const char *method)
{
	char *key = call_key(scope, s, method);
	struct expr *e = symtab_get(calls, key);

	free(key);
	return e ? e->n : 0;
}

static int called(const struct symtab *calls, int scope, const struct site *s, const char *method)
{
	return called_at(calls, scope, s, method) != 0;
}

static int is_self_name(const struct site *s)
{
	return str_has_prefix(s->recv_name, "self.") || strstr(s->recv_name, ".self.");
}

/*
 * sendto() on a name bound earlier in the same function: a server
 * replying when the name received in between (bind, recvfrom, sendto),
 * else a client that chose its source address (bind, sendto, recvfrom).
 */
static int is_reply(const struct srcfile *f, const struct site *s, long bound)
{
	long recv = called_at(&f->uses, s->scope, s, "recv");

	return recv && bound < recv && recv < site_pos(s->line, s->col);
}

/* Is @e the address (host, 0)? */
static int is_port_zero(const struct expr *e)
{
	const struct expr *port = e && e->kind == EX_JOIN ? expr_arg(e, 1) : NULL;

	return port && port->kind == EX_INT && port->n == 0;
}

/* Is @e an address (host, N) with N a literal other than 0? */
static int is_port_fixed(const struct expr *e)
{
	const struct expr *port = e && e->kind == EX_JOIN ? expr_arg(e, 1) : NULL;

	return port && port->kind == EX_INT && port->n != 0;
}

/*
 * bind((host, 0)) on a local socket that the same function closes (or
 * holds in a with block) without listening or receiving on it: a probe
 * (is IPv6 there? is this address local?), not a listener.
 */
static int is_probe(const struct srcfile *f, const struct site *s)
{
	return s->nargs > 0 && is_port_zero(s->args[0]) && !is_self_name(s) &&
	       called(&f->uses, s->scope, s, "close") &&
	       !called(&f->uses, s->scope, s, "serve") &&
	       !called(&f->uses, s->scope, s, "recv");
}

/*
 * bind(addr) on a local socket that the same function asks its port
 * (getsockname), then closes, never accepting, receiving on, connecting
 * or returning it: a search for a free port (portpicker's bind(port),
 * which listens to check a TCP port), not a listener.
 */
static int is_port_probe(const struct srcfile *f, const struct site *s)
{
	return !is_self_name(s) && called(&f->uses, s->scope, s, "sockname") &&
	       called(&f->uses, s->scope, s, "close") &&
	       !called(&f->uses, s->scope, s, "accept") &&
	       !called(&f->uses, s->scope, s, "recv") &&
	       !called(&f->uses, s->scope, s, "connect") &&
	       !called(&f->uses, s->scope, s, "return");
}

/*
 * bind((host, 0)) on a local socket the function returns without
 * listening or receiving on it: the kernel picks the port of a client's
 * socket made by a helper (pyghmi's _assignsocket), whose callers send.
 */
static int is_ephemeral_source(const struct srcfile *f, const struct site *s)
{
	return s->nargs > 0 && is_port_zero(s->args[0]) && !is_self_name(s) &&
	       called(&f->uses, s->scope, s, "return") &&
	       !called(&f->uses, s->scope, s, "serve") &&
	       !called(&f->uses, s->scope, s, "recv");
}

static const struct expr *expr_arg_of(const struct site *s, int i)
{
	return i < s->nargs ? s->args[i] : NULL;
}

static int is_sender(const struct site *s)
{
	return site_is(s, "sendto") || site_is(s, "connect") || site_is(s, "connect_ex");
}

/*
 * self.sock.bind((addr, 0)) in one method, self.sock.sendto() or
 * connect() in another of the class, and no listen() after the bind: the
 * bind chose a source address (icmplib's ICMPSocket), the socket is the
 * sender's. (A DCC listener binds port 0 and listens: it stays.) So is
 * a bind to a port the code does not fix when the class sends to an
 * address it keeps (sends_to_own_addr), not to a peer it received from:
 * solo's UDP transport binding its local end, pyrad's client its source
 * address. (A bind to a literal port is a listener's, whatever it sends.)
 */
static int is_source_bind(const struct srcfile *f, const struct symtab *calls,
			  const struct site *s)
{
	if (!is_self_name(s) || called(&f->uses, -1, s, "serve"))
		return 0;
	return (is_port_zero(expr_arg_of(s, 0)) && called(calls, -1, s, "send")) ||
	       (called(calls, -1, s, "send_own") && !is_port_fixed(expr_arg_of(s, 0)));
}

/* Is the name that ends at @end (after @t) one a source address is given? */
static int is_source_name(const char *t, const char *end)
{
	static const char *const names[] = {
		"source", "source_address", "source_addr", "src", "src_addr", "src_ip",
		"source_ip", "source_host", "source_port", "src_port",
	};
	const char *start;
	size_t i, len;

	while (end > t && end[-1] == ' ')
		end--;
	for (start = end; start > t && (isalnum((unsigned char)start[-1]) || start[-1] == '_'); start--)
		;
	len = end - start;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == strlen(names[i]) && !strncmp(start, names[i], len))
			return 1;
	return 0;
}

/*
 * bind(source), bind(self.source_address), bind((src_ip, 0)),
 * bind(("", source_port)): the address is named a source, which only a
 * client chooses (dnspython's _make_socket(af, type, source), whose
 * callers connect; pydns' getSource() binding a random source port). The
 * last name of the argument, or of the first or second element when it
 * is a tuple, decides.
 */
static int names_source(const struct site *s)
{
	const char *t = s->nargs > 0 && s->text ? s->text[0] : NULL, *end;

	if (!t)
		return 0;
	if (*t != '(')
		return is_source_name(t, t + strcspn(t, ",)"));
	t++;
	end = t + strcspn(t, ",)");
	if (is_source_name(t, end))
		return 1;
	if (*end != ',')
		return 0;
	t = end + 1;
	return is_source_name(t, t + strcspn(t, ",)"));
}

/*
 * self.sock.sendto(data, addr) with addr the method's parameter, in a
 * class that receives on self.sock elsewhere: a server replying to the
 * peer its receive gave (rpyc's UDP registry server's _send).
 */
static int is_self_reply(const struct srcfile *f, const struct site *s)
{
	const struct expr *a = expr_arg_of(s, 1);

	return is_self_name(s) && a && a->kind == EX_PARAM &&
	       called(&f->uses, -1, s, "recv");
}

/* Source text of @s's last argument (sendto's address), or NULL. */
static const char *last_arg_text(const struct site *s)
{
	return s->nargs > 0 && s->text ? s->text[s->nargs - 1] : NULL;
}

/*
 * sendto(data[, flags], addr) with addr the peer a recvfrom() of the same
 * function returned before it: a reply to that peer, wherever the socket
 * was bound (Pyro4's broadcast server, bound by a helper of another module).
 */
static int sends_to_peer(const struct srcfile *f, const struct site *s)
{
	const char *t = last_arg_text(s), *cls;
	struct expr *at;
	char *key;

	if (!t || !*t)
		return 0;
	/* sendto(data, self.peer), the class's receive kept it: in any method */
	if (str_has_prefix(t, "self.") && s->recv_name && (cls = strstr(s->recv_name, ".self."))) {
		key = xasprintf("-1 %.*s.%s peer", (int)(cls - s->recv_name), s->recv_name, t);
		at = symtab_get(&f->uses, key);
		free(key);
		return at != NULL;
	}
	if (t[strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")])
		return 0;
	key = xasprintf("%d %s peer", s->scope, t);
	at = symtab_get(&f->uses, key);
	free(key);
	return at && at->n < site_pos(s->line, s->col);
}

/*
 * sendto(data, self.remote) or sendto(data, (self.server, port)): the
 * address is one the object keeps, as a client keeps its server's; a
 * server's reply goes to the peer its receive just gave.
 */
static int sends_to_own_addr(const struct site *s)
{
	const char *t = last_arg_text(s);

	if (!t)
		return 0;
	if (*t == '(')
		t += 1 + strspn(t + 1, " ");
	return str_has_prefix(t, "self.");
}

/*
 * Calls that look like new sockets but are not: a client's bind() to a
 * source address before connect() (unless the function listens on it:
 * a helper that binds and listens or connects, by its arguments), or
 * before sendto() with no receive in between, in the same function; a probe's bind() (is_probe); self.attr's
 * bind to port 0 when the class sends on it (is_source_bind), a bind to an
 * address named a source (names_source), a returned socket's bind to port
 * 0 (is_ephemeral_source); and sendto()
 * on a socket that was bound and has received (a server replying to its
 * peer) in the same function, or, for self.attr, bound anywhere in the
 * file to a port other than 0 (unless it sends to an address the object
 * keeps: sends_to_own_addr), or received on by the class and sending to
 * an address its method was given (is_self_reply), or sending to the peer
 * a recvfrom() of the function returned (sends_to_peer). Checked once every site
 * of the file is known; receivers are matched by name.
 */
void py_prune_sites(struct srcfile *f)
{
	struct symtab calls = { 0 };
	struct site **pp, *s;
	long bound;

	for (s = f->sites; s; s = s->next) {
		if (site_is(s, "connect") || site_is(s, "connect_ex"))
			note_call(&calls, s->scope, s, "connect");
		if (site_is(s, "bind")) {
			note_call(&calls, s->scope, s, "bind");
			if (is_self_name(s))
				note_call(&calls, -1, s, is_port_zero(expr_arg_of(s, 0)) ? "bind0" : "bind");
		}
		if (is_sender(s) && is_self_name(s))
			note_call(&calls, -1, s, "send");
		if (site_is(s, "sendto") && is_self_name(s) && sends_to_own_addr(s) &&
		    !sends_to_peer(f, s))
			note_call(&calls, -1, s, "send_own");
	}
	/* a client's sendto after its bind: that bind chose a source address */
	for (s = f->sites; s; s = s->next) {
		bound = site_is(s, "sendto") ? called_at(&calls, s->scope, s, "bind") : 0;
		if (bound && bound < site_pos(s->line, s->col) && !is_reply(f, s, bound))
			note_call(&calls, s->scope, s, "client");
	}
	for (pp = &f->sites; (s = *pp);) {
		int drop;

		if (site_is(s, "bind")) {
			/*
			 * beside a connect on the same name: kept until the
			 * receiver's type is known (finding.c), as only a
			 * ZeroMQ socket binds an endpoint of its own there
			 */
			s->beside_connect = (called(&calls, s->scope, s, "connect") ||
					     called(&f->uses, s->scope, s, "connect")) &&
					    !called(&f->uses, s->scope, s, "serve");
			drop = called(&calls, s->scope, s, "client") || is_probe(f, s) ||
			       is_port_probe(f, s) ||
			       is_source_bind(f, &calls, s) || names_source(s) ||
			       is_ephemeral_source(f, s);
		} else if (site_is(s, "sendto")) {
			bound = called_at(&calls, s->scope, s, "bind");
			drop = bound ? is_reply(f, s, bound) || bound > site_pos(s->line, s->col) :
				       (is_self_name(s) && called(&calls, -1, s, "bind") &&
					!sends_to_own_addr(s)) ||
				       is_self_reply(f, s);
			drop = drop || sends_to_peer(f, s);
		} else {
			drop = 0;
		}
		if (!drop) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		site_free(s);
	}
	symtab_clear(&calls);
	f->sites_tail = NULL;
}

void py_extract(struct srcfile *f, const char *src, TSNode root)
{
	struct xctx x = { .f = f, .src = src };
	TSNode *kids;
	size_t count, i;

	py_module_classes(&x, root);
	/* a statement at a time, so that module_binding knows where the walk is */
	x.depth++;
	count = ts_named_children(root, &kids);
	x.tops = kids;
	for (i = 0; i < count; i++) {
		x.top = i;
		py_walk(&x, kids[i]);
	}
	x.tops = NULL;
	free(kids);
	free(x.rets);
}

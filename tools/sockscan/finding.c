// SPDX-License-Identifier: GPL-2.0
/*
 * From sites to findings: match method calls to their rule now that
 * receivers can be resolved, evaluate the address, network and driver,
 * and split the address into the reported fields.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "finding.h"
#include "pkgs.h"
#include "resolve.h"
#include "rules.h"
#include "service.h"
#include "util.h"

/* Why a C client library's socket has no address to report */
#define LOCAL_SOCKET "the client library's own unix socket"

/* An expression and the package it is evaluated in. */
struct place {
	const struct expr *e;
	struct pkg *ctx;
};

/* Everything the rule's arguments say about one site. */
struct call_facts {
	struct place addr, port, net;	/* port: FROM_HOST_PORT only */
	struct place objnet;		/* network or driver an object carries */
	struct place objfam;		/* a socket's family, when not known where it was made */
	int objunix;			/* or a unix socket another branch made (expr_socket_either) */
	struct place base;		/* the base URL a client was made with (httpx base_url=) */
	int has_addr, has_port;		/* the argument was given (not None) */
	int splat;			/* a **mapping not known here may give either */
	char *text;
	struct expr *obj;		/* the argument's object, freed at the end */
};

static int arg_index(const struct site *s, int pos, const char *kw)
{
	int i, p = 0;

	for (i = 0; kw && i < s->nargs; i++)
		if (s->kw[i] && !strcmp(s->kw[i], kw))
			return i;
	for (i = 0; pos >= 0 && i < s->nargs; i++) {
		if (s->kw[i])
			continue;
		if (p++ == pos)
			return i;
	}
	return -1;
}

/* The last positional argument when it comes after @pos, or -1. */
static int last_positional(const struct site *s, int pos)
{
	int i, p = 0, last = -1;

	for (i = 0; i < s->nargs; i++)
		if (!s->kw[i] && p++ >= pos)
			last = i;
	return last;
}

/* The argument at @idx, through the object it is when it is one. */
static void take_arg(struct scan *sc, struct pkg *ctx, const struct site *s, int idx,
		     struct call_facts *cf)
{
	struct pkg *octx = ctx;
	struct expr *obj;

	cf->text = xstrdup(s->text[idx]);
	if (!s->args[idx])
		return;
	cf->has_addr = 1;
	obj = resolve_obj(sc, ctx, s->args[idx], &octx);
	if (!obj) {
		cf->addr = (struct place){ s->args[idx], ctx };
		return;
	}
	cf->obj = obj;
	cf->addr = (struct place){ expr_arg(obj, 0), octx };
	cf->has_addr = expr_arg(obj, 0) != NULL;
	cf->objnet = (struct place){ expr_arg(obj, 1), octx };
	cf->objfam = (struct place){ expr_arg(obj, 2), octx };
	cf->objunix = expr_arg(obj, 3) != NULL;
}

/*
 * Is the site's **mapping (s->splat_map) a name of a module or class of
 * the tree that holds an empty dictionary where the user sets nothing
 * (py_extract.c setting_dict: REDIS = getattr(settings, "REDIS", {}))?
 * The call then passes no keyword, and the API's defaults stand.
 */
static int splat_known_empty(struct scan *sc, struct pkg *ctx, const struct site *s)
{
	const struct expr *list;
	const char *rest, *last;
	struct pkg *m;
	char *key;

	if (!s->splat_map || !(m = pkg_py_module_of(sc, ctx, s->splat_map, &rest)))
		return 0;
	last = strrchr(rest, '.') ? strrchr(rest, '.') + 1 : rest;
	pkg_load(sc, m);
	key = xasprintf("**%s", last);
	list = symtab_get(&m->syms, key);
	free(key);
	return list && list->kind == EX_CALL && !list->s && list->nargs == 0;
}

static void gather(struct scan *sc, struct pkg *ctx, const struct site *s,
		   const struct rule *r, struct expr *recv, struct pkg *rctx,
		   struct call_facts *cf)
{
	int i;

	switch (r->from) {
	case FROM_ARG:
		i = r->addr_last ? last_positional(s, r->addr_arg) : -1;
		if (i < 0)
			i = arg_index(s, r->addr_arg, r->addr_kw);
		if (i >= 0)
			take_arg(sc, ctx, s, i, cf);
		if (r->style == ADDR_URL && recv && expr_arg(recv, 0))
			cf->base = (struct place){ expr_arg(recv, 0), rctx };
		break;
	case FROM_RECV:
		cf->addr = (struct place){ expr_arg(recv, 0), rctx };
		cf->has_addr = cf->addr.e != NULL;
		break;
	case FROM_ANY_ARG:
		for (i = 0; i < s->nargs && !cf->has_addr; i++) {
			free(cf->text);
			expr_free(cf->obj);
			cf->obj = NULL;
			take_arg(sc, ctx, s, i, cf);
			if (!cf->obj)
				cf->has_addr = 0;
		}
		break;
	case FROM_HOST_PORT:
		/* Redis(**settings.REDIS), the setting's fallback {}: no argument */
		if (s->nargs == 1 && splat_known_empty(sc, ctx, s))
			break;
		for (i = 0; i < s->nargs; i++)
			cf->splat |= !s->kw[i] && s->text[i] && !strncmp(s->text[i], "**", 2);
		i = arg_index(s, r->addr_arg, r->addr_kw);
		if (i >= 0 && s->args[i]) {
			cf->addr = (struct place){ s->args[i], ctx };
			cf->has_addr = 1;
			cf->text = xstrdup(s->text[i]);
		}
		i = arg_index(s, r->port_arg, r->port_kw);
		if (i >= 0 && s->args[i]) {
			char *text = cf->text ? xasprintf("%s, %s", cf->text, s->text[i]) :
						xstrdup(s->text[i]);

			cf->port = (struct place){ s->args[i], ctx };
			cf->has_port = 1;
			free(cf->text);
			cf->text = text;
		}
		break;
	}
	/* a socket object's methods: the object knows its transport */
	if (!cf->objnet.e && recv) {
		cf->objnet = (struct place){ expr_arg(recv, 1), rctx };
		cf->objfam = (struct place){ expr_arg(recv, 2), rctx };
		cf->objunix = expr_arg(recv, 3) != NULL;
	}
	i = r->net_arg >= 0 ? arg_index(s, r->net_arg, NULL) : -1;
	if (i >= 0)
		cf->net = (struct place){ s->args[i], ctx };
}

static const char *transport(const char *net)
{
	if (str_has_prefix(net, "tcp"))
		return "tcp";
	if (str_has_prefix(net, "udp"))
		return "udp";
	if (str_has_prefix(net, "unix"))
		return "unix";
	if (str_has_prefix(net, "ip"))
		return "ip";
	return NULL;
}

/* Evaluate @p into @v; an absent or empty value takes @def, if any. */
static void eval_or_default(struct scan *sc, struct place p, int given,
			    const char *def, enum resolution def_how,
			    struct value *v)
{
	if (given)
		resolve_eval(sc, p.ctx, p.e, v);
	else
		memset(v, 0, sizeof(*v));
	/* "", or None handed down (host=args.host, default None): the call's default */
	if (def && (!given || (v->s && !*v->s) || v->none)) {
		value_free(v);
		v->s = xstrdup(def);
		v->how = def_how;
	}
	if (!given && !def) {
		v->how = RES_DYNAMIC;
		v->dyn = xstrdup("no address argument");
	}
}

/*
 * Does the call leave a client of a C library (rule local_unix) its
 * local unix socket: no host given, or None, "" (or "localhost" for
 * libmysqlclient)? Not when a positional argument (from the rule's
 * unix_arg on) or **options may name one (psycopg2.connect(dsn),
 * MySQLdb.connect(**cfg)).
 */
static int is_local_unix(struct scan *sc, const struct rule *r, const struct site *s,
			 struct call_facts *cf)
{
	struct value h;
	int i, yes;

	for (i = 0; i < s->nargs; i++)
		if (!s->kw[i] && (r->addr_arg < 0 || i != r->addr_arg) &&
		    (!r->unix_arg || i >= r->unix_arg))
			return 0;
	if (!cf->has_addr)
		return 1;
	resolve_eval(sc, cf->addr.ctx, cf->addr.e, &h);
	yes = h.none || (h.s && (!*h.s || (r->local_unix > 1 && !strcmp(h.s, "localhost"))));
	value_free(&h);
	return yes;
}

/* The address as one string ("host:port" for FROM_HOST_PORT). */
static void address_value(struct scan *sc, const struct rule *r,
			  struct call_facts *cf, struct value *v)
{
	struct value h, p;

	if (r->from != FROM_HOST_PORT) {
		eval_or_default(sc, cf->addr, cf->has_addr, r->default_addr,
				r->default_how, v);
		return;
	}
	/* connect(**params), params not known here: it may give host and port */
	eval_or_default(sc, cf->addr, cf->has_addr,
			cf->splat && !cf->has_addr ? NULL : r->default_addr, r->default_how, &h);
	if (cf->splat && !cf->has_addr) {
		free(h.dyn);
		h.dyn = xstrdup("the keywords of a ** mapping");
	}
	/* no port argument, and the host names one ("h:8081", a URL): it speaks */
	if (!cf->has_port && h.s && addr_host_has_port(h.s)) {
		*v = h;
		return;
	}
	/* a host that is a path (mpd's connect("/run/mpd/socket")): no port */
	if (r->path_is_unix && h.s && (h.s[0] == '/' || h.s[0] == '@')) {
		*v = h;
		return;
	}
	eval_or_default(sc, cf->port, cf->has_port,
			cf->splat && !cf->has_port ? NULL : r->default_port, r->default_how, &p);
	memset(v, 0, sizeof(*v));
	if (!h.s || !p.s) {
		v->how = RES_DYNAMIC;
		v->dyn = xstrdup(h.s ? p.dyn : h.dyn);
		/* the protocol's port stands beside an unknown host that has none */
		if (p.s && (cf->has_port || (r->default_port && !r->host_may_hold_port)))
			v->port = xstrdup(p.s);
		if (h.s && cf->has_addr)
			v->host = xstrdup(h.s);
	} else {
		v->s = xasprintf(strchr(h.s, ':') ? "[%s]:%s" : "%s:%s", h.s, p.s);
		v->how = h.how > p.how ? h.how : p.how;
	}
	value_free(&h);
	value_free(&p);
}

/* Text of @p's value, or NULL when unknown or absent. */
static char *eval_text(struct scan *sc, struct place p)
{
	struct value v;
	char *s;

	if (!p.e)
		return NULL;
	resolve_eval(sc, p.ctx, p.e, &v);
	s = v.s;
	v.s = NULL;
	value_free(&v);
	return s;
}

static struct finding *add_finding(struct scan *sc)
{
	struct finding *fd;

	grow((void **)&sc->findings, &sc->capfindings, sc->nfindings + 1,
	     sizeof(*sc->findings));
	fd = &sc->findings[sc->nfindings++];
	memset(fd, 0, sizeof(*fd));
	return fd;
}

/* @s as a port number, or -1. */
static int port_number(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	return end != s && !*end && n >= 0 && n <= 65535 ? n : -1;
}

/* Does @s start an http(s) URL? */
static int is_http_url(const char *s)
{
	return s && (str_has_prefix(s, "http://") || str_has_prefix(s, "https://"));
}

/*
 * Does source text @text begin with a name that says it holds a URL
 * (api_base_url + "/api/v1/apps", self._uri, f"{baseurl}/x"): the last
 * part of a dotted name, whose last word (split at '_') is url or uri or
 * ends so? For a session known by its name only, that is as good as the
 * URL itself; an ORM session's get(User, 1), get(security_key) or
 * get(url_count) begins with no such name.
 */
static int names_url(const char *text)
{
	const char *end, *word;

	if (!text)
		return 0;
	if (*text == 'f' && (text[1] == '"' || text[1] == '\''))
		text += 2;
	if (*text == '{')
		text++;
	end = text + strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
	for (word = end; word > text && word[-1] != '.' && word[-1] != '_'; word--)
		;
	return end - word >= 3 && (!strncasecmp(end - 3, "url", 3) || !strncasecmp(end - 3, "uri", 3));
}

/*
 * The host of a URL known up to its port ("http://127.0.0.1:" + port +
 * path, onionshare's shutdown request; "http://h:80" + more digits, maybe),
 * as a new string, or NULL. The host is split as any host:port is.
 */
static char *url_host_before_port(const char *prefix)
{
	const char *auth = prefix ? strstr(prefix, "://") : NULL, *end;
	struct addr a;
	char *host;

	if (!auth || strpbrk(auth + 3, "/?#@"))
		return NULL;
	auth += 3;
	/* the known text ends in the port: a colon, then digits or none */
	end = auth + strlen(auth);
	while (end > auth && end[-1] >= '0' && end[-1] <= '9')
		end--;
	if (end - auth < 2 || end[-1] != ':')
		return NULL;
	host = xstrndup(auth, end - 1 - auth);
	addr_hostport(host, &a);
	free(host);
	host = a.host && *a.host ? xstrdup(a.host) : NULL;
	addr_free(&a);
	return host;
}

/*
 * The protocol, and the host and port where known, of a twisted
 * endpoint whose description is known only as far as @prefix
 * ("unix:path=", then a name known at run time); 0 for a plugin's.
 */
static int twisted_known(const struct rule *r, const char *prefix, struct finding *fd)
{
	struct addr a;

	if (!addr_twisted(prefix, r->dir == DIR_INGRESS, 1, &a))
		return 0;
	if (!a.bad || a.is_unix)
		fd->protocol = a.is_unix ? "unix" : "tcp";
	if (!a.is_unix && a.host && *a.host) {
		fd->host = a.host;
		a.host = NULL;
	}
	fd->port = a.port;
	addr_free(&a);
	return 1;
}

/*
 * A libpq connection string that names no host ("dbname=app",
 * "postgresql:///app", ""): libpq connects to its own unix socket, as
 * psycopg2.connect(database="app") does (is_local_unix). Go's lib/pq
 * would use localhost, so only a rule of a C client library asks.
 */
static int dsn_local_socket(struct addr *a, struct finding *fd)
{
	if (a->is_unix || (a->host && *a->host) || a->bad)
		return 0;
	addr_free(a);
	fd->protocol = "unix";
	fd->port = -1;
	fd->how = RES_DYNAMIC;
	fd->dynamic = xstrdup(LOCAL_SOCKET);
	return 1;
}

/*
 * Could @s be "host:port" written without a scheme (MongoClient's
 * "db:27017", a comma-separated list of them)? Not a query or a path
 * ("?state=0&format=json" after an empty base URL).
 */
static int is_hostport_text(const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789.-_:[],";

	return *s && s[strspn(s, ok)] == '\0';
}

/* Is @prefix the start of a DSN written as a URL ("postgresql://h/" + db)? */
static int is_dsn_url(const struct rule *r, const char *prefix)
{
	return r->style == ADDR_DSN && prefix && strstr(prefix, "://");
}

/* Fill host, port and binding of @fd from the evaluated address (@text: its source). */
static int place_address(const struct rule *r, const char *driver, const char *text,
			 struct value *v, struct finding *fd)
{
	struct addr a;
	const char *proto;
	char *port;

	if (r->needs_url && !is_http_url(v->s ? v->s : v->prefix) && !names_url(text))
		return 0;	/* a session by its name only, and no URL: not one */
	/* "sqlite:///" + path: a file, whatever the path */
	if (!v->s && r->style == ADDR_DSN && v->prefix && !addr_dsn_is_network(driver, v->prefix))
		return 0;
	if (!v->s && (r->style == ADDR_URL || is_dsn_url(r, v->prefix)) &&
	    addr_url_authority_known(v->prefix)) {
		/* only the path is unknown: the host and port are not */
		v->s = v->prefix;
		v->how = v->prefix_how;
		v->prefix = NULL;
	}
	/* an empty URL is no address: a sentinel (self.url = '' ends a loop) */
	if (v->s && !*v->s && r->style == ADDR_URL) {
		free(v->s);
		v->s = NULL;
		free(v->dyn);
		v->dyn = xstrdup("an empty URL");
	}
	if (!v->s) {
		fd->port = -1;
		/* what of a twisted description is known: nothing to report for a plugin's */
		if (r->style == ADDR_TWISTED && v->prefix && !twisted_known(r, v->prefix, fd))
			return 0;
		/* "inproc://%s" % name: no socket */
		proto = r->style == ADDR_ZMQ ? addr_zmq_transport(v->prefix) : NULL;
		if (proto && !strcmp(proto, "inproc"))
			return 0;
		fd->how = RES_DYNAMIC;
		fd->dynamic = xstrdup(v->dyn ? v->dyn : "unknown");
		/* "unix:%s" % path: a unix socket whose path is known at run time */
		if (r->style == ADDR_GRPC && v->prefix && addr_grpc_is_unix(v->prefix)) {
			fd->protocol = "unix";
			return 1;
		}
		/* "ipc://%s" % path, "tcp://127.0.0.1:%i" % port */
		if (proto) {
			fd->protocol = proto;
			if (!strcmp(proto, "tcp"))
				fd->host = url_host_before_port(v->prefix);
			return 1;
		}
		if (v->port) {
			fd->port = port_number(v->port);
		} else if (r->style == ADDR_URL && (port = resolve_gap_port(v))) {
			fd->port = port_number(port);
			free(port);
		}
		if (v->host && *v->host && r->style == ADDR_HOSTPORT)
			fd->host = xstrdup(v->host);
		if (r->style == ADDR_URL)
			fd->host = url_host_before_port(v->prefix);
		return 1;
	}
	fd->how = v->how;
	if (fd->protocol && !strcmp(fd->protocol, "unix")) {
		memset(&a, 0, sizeof(a));
		a.host = xstrdup(v->s);
		a.port = -1;
		a.is_unix = 1;
	} else if (r->style == ADDR_URL || (r->style == ADDR_HOSTPORT && strstr(v->s, "://"))) {
		addr_url(v->s, &a);
		/* MongoClient("host:port"): a URL argument written without scheme (not a path) */
		if (a.bad && !strstr(v->s, "://") && is_hostport_text(v->s)) {
			addr_hostport(v->s, &a);
			if (a.port < 0 && fd->app && (a.port = app_default_port(fd->app)) >= 0)
				a.port_defaulted = 1;
		}
	} else if (r->style == ADDR_DSN) {
		if (!addr_dsn(driver, v->s, &a))
			return 0;
		if (r->local_unix && dsn_local_socket(&a, fd))
			return 1;
	} else if (r->style == ADDR_GRPC) {
		addr_grpc(v->s, &a);
	} else if (r->style == ADDR_ZMQ) {
		if (!addr_zmq(v->s, &a, &proto))
			return 0;
		fd->protocol = proto;
	} else if (r->style == ADDR_TWISTED) {
		if (!addr_twisted(v->s, r->dir == DIR_INGRESS, 0, &a))
			return 0;
		fd->protocol = a.is_unix ? "unix" : "tcp";
	} else {
		addr_hostport(v->s, &a);
	}
	if (a.is_unix)
		fd->protocol = "unix";
	if (!fd->app)
		fd->app = a.app;
	if (a.port_defaulted && fd->how < RES_PROTOCOL_DEFAULT)
		fd->how = RES_PROTOCOL_DEFAULT;
	if (a.bad) {
		fd->how = RES_DYNAMIC;
		fd->dynamic = xstrdup(a.bad);
	}
	fd->host = a.host && *a.host ? a.host : NULL;
	if (!fd->host)
		free(a.host);
	fd->port = a.port;
	return 1;
}

/*
 * A connection to port 0 reaches nothing: a 0 the code falls back to when
 * no port is given (moosefs' chart.cgi, which then does not connect) is
 * not the destination, which the run gives. One written in the call is
 * the code's own (a UDP connect to ('localhost', 0) that only asks for a
 * route), and a listener's 0 is a port the kernel picks: both stand.
 */
static void no_port_zero(struct finding *fd)
{
	if (fd->dir != DIR_EGRESS || fd->port != 0 || fd->how == RES_LITERAL || !fd->protocol ||
	    (strcmp(fd->protocol, "tcp") && strcmp(fd->protocol, "udp")))
		return;
	fd->port = -1;
	fd->how = RES_DYNAMIC;
	free(fd->dynamic);
	fd->dynamic = xstrdup("port 0: no destination");
}

static const char *binding_of(const struct finding *fd)
{
	if (fd->dir != DIR_INGRESS)
		return NULL;
	if (fd->protocol && !strcmp(fd->protocol, "unix"))
		return "unix";
	if (fd->how == RES_DYNAMIC)
		return "dynamic";
	return addr_all_interfaces(fd->host) ? "all" : "specific";
}

/* Does a socket's family, known only now (socket_family = AF_UNIX), make it unix? */
static int is_unix_family(struct scan *sc, struct place fam)
{
	char *t = fam.e ? eval_text(sc, fam) : NULL;
	int unix_ = t && !strcmp(t, "unix");

	free(t);
	return unix_;
}

/*
 * client.get("/v1/items") on httpx.Client(base_url=...): a URL without a
 * scheme (known so far) is a path under the client's base URL, which
 * then names the host and port, in @v's place.
 */
static void relative_to_base(struct scan *sc, struct call_facts *cf, struct value *v)
{
	const char *known = v->s ? v->s : v->prefix;

	if (!cf->base.e || !known || strstr(known, "://") || (!v->s && known[0] != '/'))
		return;
	value_free(v);
	resolve_eval(sc, cf->base.ctx, cf->base.e, v);
}

static void emit(struct scan *sc, struct srcfile *f, const struct site *s,
		 const struct rule *r, struct call_facts *cf)
{
	struct finding proto = { 0 }, *fd;
	char *net = NULL, *driver = NULL;
	const char **services;
	struct value v = { 0 };
	size_t i, n;

	proto.file = f;
	proto.line = s->line;
	proto.col = s->col;
	proto.dir = r->dir;
	proto.api = r->api;
	proto.app = r->app;
	if (r->style == ADDR_DSN) {
		driver = eval_text(sc, cf->net.e ? cf->net : cf->objnet);
		if (!driver && r->app)
			driver = xstrdup(r->app);
		proto.protocol = r->proto;
		if (driver && !proto.app)
			proto.app = driver_protocol(driver);
	} else {
		net = eval_text(sc, cf->net.e ? cf->net : cf->objnet);
		if (net && !strcmp(net, NON_IP))
			goto out;	/* netlink, a packet socket...: none sockwatch sees */
		proto.protocol = r->proto ? r->proto : net ? transport(net) : NULL;
		if (!r->proto && !cf->net.e && is_unix_family(sc, cf->objfam))
			proto.protocol = "unix";
		/*
		 * if tcp: self.s = socket() elif unix: self.s = socket(AF_UNIX),
		 * then self.s.connect((host, port)): a (host, port) pair is no
		 * unix path, so this is the other branch's stream socket
		 */
		if (!r->proto && proto.protocol && !strcmp(proto.protocol, "unix") &&
		    cf->addr.e && cf->addr.e->kind == EX_JOIN)
			proto.protocol = "tcp";
		/* and the other way round: a socket of either family given
		 * something other than a pair has the unix branch's path */
		if (!r->proto && cf->objunix && cf->addr.e && cf->addr.e->kind != EX_JOIN)
			proto.protocol = "unix";
		if (!proto.protocol && !cf->net.e && !cf->objnet.e)
			proto.protocol = "tcp";
	}
	if (r->local_unix && r->style != ADDR_DSN && is_local_unix(sc, r, s, cf)) {
		proto.protocol = "unix";
		memset(&v, 0, sizeof(v));
		v.dyn = xstrdup(LOCAL_SOCKET);
	} else {
		address_value(sc, r, cf, &v);
		relative_to_base(sc, cf, &v);
		if (r->path_is_unix && v.s && (v.s[0] == '/' || v.s[0] == '@'))
			proto.protocol = "unix";
		else if (r->path_is_unix && !v.s && !v.port && !v.host)
			proto.protocol = NULL;	/* a pair or a path: not known */
	}
	if (!place_address(r, driver, cf->text, &v, &proto))
		goto out;	/* sqlite: a file, no socket */
	no_port_zero(&proto);
	proto.binding = binding_of(&proto);
	proto.expr = cf->text ? xstrdup(cf->text) : NULL;
	proto.module = f->pkg->mod ? f->pkg->mod->path : NULL;
	n = services_of(sc, f->pkg, &services);
	for (i = 0; i < n; i++) {
		fd = add_finding(sc);
		*fd = proto;
		fd->host = proto.host ? xstrdup(proto.host) : NULL;
		fd->expr = proto.expr ? xstrdup(proto.expr) : NULL;
		fd->dynamic = proto.dynamic ? xstrdup(proto.dynamic) : NULL;
		fd->service = xstrdup(services[i]);
	}
	free(proto.host);
	free(proto.expr);
	free(proto.dynamic);
out:
	value_free(&v);
	free(net);
	free(driver);
}

/* Longest re-export chain followed (a module importing from one that imports...). */
#define MAX_REEXPORTS 8

/*
 * The rule a qualified name of the tree stands for: "glances.compat.
 * ServerProxy", where glances/compat.py has `from xmlrpc.client import
 * ServerProxy`, is xmlrpc.client.ServerProxy. The longest module prefix of
 * @q that is a module of the tree is looked in for an import (or a
 * subclass, see py_class) of the next name; then again from there.
 */
static const struct rule *rule_through_imports(struct scan *sc, struct pkg *ctx,
					       const char *q, int depth)
{
	const char *dot = strrchr(q, '.'), *cut;
	const struct rule *r;
	char *mod;

	if (!dot || depth > MAX_REEXPORTS)
		return NULL;
	mod = xstrndup(q, dot - q);
	r = rule_func(py_rules, mod, dot + 1);
	free(mod);
	if (r)
		return r;
	for (cut = dot; cut > q; cut--) {
		const char *name = cut + 1, *tail;
		struct pkg *p;
		size_t i, nlen;
		int k;

		if (*cut != '.')
			continue;
		mod = xstrndup(q, cut - q);
		p = pkg_lookup(sc, ctx, mod);
		free(mod);
		if (!p || p->lang != LANG_PY)
			continue;
		tail = strchr(name, '.');
		nlen = tail ? (size_t)(tail - name) : strlen(name);
		for (i = 0; i < p->nfiles; i++) {
			const struct srcfile *f = p->files[i];

			/* first one first: the try branch of try/except imports */
			for (k = 0; k < f->nimports; k++) {
				const struct import *im = &f->imports[k];
				char *next;

				if (im->hidden || strlen(im->alias) != nlen ||
				    strncmp(im->alias, name, nlen))
					continue;
				/* try/except imports: any of them may be the one */
				next = xasprintf("%s%s", im->path, tail ? tail : "");
				r = rule_through_imports(sc, p, next, depth + 1);
				free(next);
				if (r)
					return r;
			}
		}
		return NULL;
	}
	return NULL;
}

/* The next rule after @r that matches the site too, or NULL. */
static const struct rule *next_rule(const struct rule *r, const struct site *s,
				    const struct expr *recv)
{
	if (recv && !strcmp(s->method, ANY_METHOD))
		return NULL;	/* one finding for a method chosen at run time */
	return !recv ? rule_func(r + 1, r->family, r->name) :
		       rule_method(r + 1, recv->s, s->method);
}

/*
 * @r made to read its whole address from argument @pos or keyword @kw
 * (into @tmp): no host and port arguments, and no defaults, apply.
 */
static struct rule *from_arg_variant(const struct rule *r, struct rule *tmp, int pos,
				     const char *kw)
{
	*tmp = *r;
	tmp->from = FROM_ARG;
	tmp->addr_arg = pos;
	tmp->addr_kw = kw;
	tmp->port_arg = -1;
	tmp->port_kw = NULL;
	tmp->default_addr = NULL;
	tmp->default_port = NULL;
	return tmp;
}

/*
 * redis.Redis(unix_socket_path=p): the client's unix-socket keyword is
 * given, so the call connects to that path, not to a host and port. @r
 * itself when it has no such keyword, or the call does not give it, or
 * gives what is None (a settings module's UNIX_SOCKET_PATH = None).
 */
static const struct rule *unix_variant(struct scan *sc, struct pkg *ctx,
				       const struct rule *r, const struct site *s,
				       struct rule *tmp)
{
	int i = r->unix_kw ? arg_index(s, -1, r->unix_kw) : -1;
	struct value v;
	int none;

	if (i < 0 || !s->args[i])
		return r;
	resolve_eval(sc, ctx, s->args[i], &v);
	none = v.none && !v.s;
	value_free(&v);
	if (none)
		return r;
	from_arg_variant(r, tmp, -1, r->unix_kw)->proto = "unix";
	return tmp;
}

/*
 * psycopg2.connect("host=db port=5433"), asyncpg.connect(dsn=url): the
 * client's connection string is given, so the address is in it (a libpq
 * conninfo or a URL), not in host and port. @r itself when it takes none
 * or the call does not give it.
 */
static const struct rule *dsn_variant(const struct rule *r, const struct site *s,
				      struct rule *tmp)
{
	int i = r->dsn_kw ? arg_index(s, r->dsn_arg, r->dsn_kw) : -1;

	/* connect(**config): a mapping of keywords, not the string */
	if (i < 0 || !s->args[i] || (s->text[i] && s->text[i][0] == '*'))
		return r;
	from_arg_variant(r, tmp, r->dsn_arg, r->dsn_kw);
	tmp->style = ADDR_DSN;	/* keeps local_unix: dsn_local_socket */
	return tmp;
}

/*
 * redis.Redis(connection_pool=pool): the pool holds the address, and its
 * construction is the site (PY_REDIS_POOL); the client opens none of its
 * own.
 */
static int pool_given(const struct rule *r, const struct site *s)
{
	int i = r->pool_kw ? arg_index(s, -1, r->pool_kw) : -1;

	return i >= 0 && s->args[i];
}

static void site_findings(struct scan *sc, struct srcfile *f, struct site *s)
{
	const struct rule *table = f->lang == LANG_GO ? go_rules : py_rules;
	const struct rule *r = s->rule;
	struct expr *recv = NULL;
	struct pkg *rctx = f->pkg;

	if (!r && s->qual)
		r = rule_through_imports(sc, f->pkg, s->qual, 0);
	if (!r && !s->method)
		return;
	if (!r) {
		recv = resolve_obj(sc, f->pkg, s->recv, &rctx);
		if (!recv && s->recv_hint)
			recv = expr_obj(s->recv_hint, NULL, NULL);
		if (!recv)
			return;
		r = !strcmp(s->method, ANY_METHOD) ? rule_any_method(table, recv->s) :
						     rule_method(table, recv->s, s->method);
		/* paho/mqtt/publish.py's client.connect(): the library's own */
		if (r && f->lang == LANG_PY && py_family_holds(r->family, f->path))
			r = NULL;
		/* module.create_connection(), the socket module handed in: its function */
		if (!r && str_has_prefix(recv->s, "module:")) {
			r = rule_func(table, recv->s + 7, s->method);
			expr_free(recv);
			recv = NULL;
		}
	}
	for (; r; r = next_rule(r, s, recv)) {
		struct call_facts cf = { 0 };
		struct rule unix_rule, dsn_rule;
		const struct rule *u;

		if (r->dir == DIR_NONE || pool_given(r, s))
			continue;
		/* a client's source address, on any socket but ZeroMQ's */
		if (s->beside_connect && !(r->type && str_has_prefix(r->type, "zmq.")))
			continue;
		u = dsn_variant(unix_variant(sc, f->pkg, r, s, &unix_rule), s, &dsn_rule);
		gather(sc, f->pkg, s, u, recv, rctx, &cf);
		if (!u->needs_addr || cf.has_addr)
			emit(sc, f, s, u, &cf);
		free(cf.text);
		expr_free(cf.obj);
	}
	expr_free(recv);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(x->file->path, y->file->path);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line - y->line;
	if (x->col != y->col)
		return x->col - y->col;
	return strcmp(x->service, y->service);
}

void findings_build(struct scan *sc)
{
	size_t i;
	struct site *s;

	services_assign(sc);
	for (i = 0; i < sc->nfiles; i++)
		for (s = sc->files[i]->sites; s; s = s->next)
			site_findings(sc, sc->files[i], s);
	if (sc->nfindings)	/* qsort wants an array, even of nothing */
		qsort(sc->findings, sc->nfindings, sizeof(*sc->findings), cmp_finding);
}

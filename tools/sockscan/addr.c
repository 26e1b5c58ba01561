// SPDX-License-Identifier: GPL-2.0
/* Address string parsing (see addr.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "util.h"

/* Schemes (and database drivers) with their app protocol and port. */
static const struct scheme {
	const char *name;
	const char *app;
	int port;
} schemes[] = {
	{ "http", "http", 80 },
	{ "https", "https", 443 },
	{ "ws", "http", 80 },
	{ "wss", "https", 443 },
	{ "grpc", "grpc", 443 },
	{ "postgres", "postgres", 5432 },
	{ "postgresql", "postgres", 5432 },
	{ "pgx", "postgres", 5432 },
	{ "mysql", "mysql", 3306 },
	{ "sqlserver", "sqlserver", 1433 },
	{ "mssql", "sqlserver", 1433 },
	{ "clickhouse", "clickhouse", 9000 },
	{ "redis", "redis", 6379 },
	{ "rediss", "redis", 6379 },
	{ "mongodb", "mongodb", 27017 },
	{ "amqp", "amqp", 5672 },
	{ "amqps", "amqp", 5671 },
	{ "nats", "nats", 4222 },
	{ "mqtt", "mqtt", 1883 },
	{ "mqtts", "mqtt", 8883 },
	{ "ftp", "ftp", 21 },
	{ "smtp", "smtp", 25 },
	{ "mssql", "sqlserver", 1433 },
	{ "mongodb+srv", "mongodb", 27017 },
	{ "ldap", "ldap", 389 },
	{ "ldaps", "ldap", 636 },
	{ NULL, NULL, 0 },
};

/* Service names Go's resolver accepts in place of a port. */
static const struct scheme services[] = {
	{ "http", NULL, 80 }, { "https", NULL, 443 }, { "ssh", NULL, 22 },
	{ "smtp", NULL, 25 }, { "domain", NULL, 53 }, { NULL, NULL, 0 },
};

static const struct scheme *find_scheme(const struct scheme *t, const char *name,
					size_t len)
{
	for (; t->name; t++)
		if (strlen(t->name) == len && !strncasecmp(t->name, name, len))
			return t;
	return NULL;
}

void addr_free(struct addr *a)
{
	free(a->host);
	memset(a, 0, sizeof(*a));
}

static void set_port(struct addr *a, const char *p, size_t len)
{
	const struct scheme *svc;
	char *end;
	long v;

	if (!len) {
		a->port = -1;
		return;
	}
	v = strtol(p, &end, 10);
	if (end == p + len && v >= 0 && v <= 65535) {
		a->port = v;
		return;
	}
	svc = find_scheme(services, p, len);
	a->port = svc ? svc->port : -1;
	if (!svc)
		a->bad = "port is not a number";
}

/* "host:port", "[v6]:port", ":port" or a bare host (port -1). */
static void split_hostport(const char *s, size_t len, struct addr *a)
{
	const char *colon;

	a->port = -1;
	if (len && s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (close) {
			a->host = xstrndup(s + 1, close - s - 1);
			if ((size_t)(close - s) + 1 < len && close[1] == ':')
				set_port(a, close + 2, len - (close - s) - 2);
			return;
		}
	}
	colon = memrchr(s, ':', len);
	/* more than one colon without brackets: a bare IPv6 address */
	if (!colon || memchr(s, ':', len) != colon) {
		a->host = xstrndup(s, len);
		return;
	}
	a->host = xstrndup(s, colon - s);
	set_port(a, colon + 1, len - (colon - s) - 1);
}

void addr_hostport(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	split_hostport(s, strlen(s), a);
}

/*
 * The scheme of URL @s, "postgresql+psycopg2" read as "postgresql" (the
 * SQLAlchemy dialect+driver form), or NULL.
 */
static const struct scheme *url_scheme(const char *s, const char *sep)
{
	const struct scheme *sch = find_scheme(schemes, s, sep - s);
	const char *plus = memchr(s, '+', sep - s);

	return sch || !plus ? sch : find_scheme(schemes, s, plus - s);
}

void addr_url(const char *s, struct addr *a)
{
	const char *sep = strstr(s, "://"), *auth, *end, *at;
	const struct scheme *sch;

	memset(a, 0, sizeof(*a));
	a->port = -1;
	if (!sep) {
		a->bad = "no URL scheme";
		return;
	}
	sch = url_scheme(s, sep);
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	/* user:password@ before the host */
	at = memrchr(auth, '@', end - auth);
	if (at)
		auth = at + 1;
	/* mongodb://a:1,b:2/ lists several hosts: the first one speaks for them */
	end = auth + strcspn(auth, "/?#,");
	split_hostport(auth, end - auth, a);
	/* host "*" (a ZeroMQ endpoint binding "*:5556"): every interface, no host */
	if (a->host && !strcmp(a->host, "*")) {
		free(a->host);
		a->host = NULL;
	}
	if (sch)
		a->app = sch->app;
	if (a->port < 0 && sch && !a->bad) {
		a->port = sch->port;
		a->port_defaulted = 1;
	}
}

const char *driver_protocol(const char *driver)
{
	const struct scheme *d;

	if (!strcmp(driver, "sqlite3") || !strcmp(driver, "sqlite"))
		return NULL;
	d = find_scheme(schemes, driver, strlen(driver));
	return d ? d->app : NULL;
}

int app_default_port(const char *app)
{
	const struct scheme *d = find_scheme(schemes, app, strlen(app));

	return d ? d->port : -1;
}

/* Value of key @key in a "k=v k=v" DSN, as a new string or NULL. */
static char *kv_get(const char *s, const char *key)
{
	size_t klen = strlen(key);
	const char *p = s;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return xstrndup(p + klen + 1, strcspn(p + klen + 1, " "));
		p += strcspn(p, " ");
	}
	return NULL;
}

/* user:pass@tcp(host:port)/db or user@unix(/path)/db */
static int mysql_dsn(const char *s, struct addr *a)
{
	const char *open = strchr(s, '('), *close;

	if (!open || !(close = strchr(open, ')')))
		return 0;
	if (open - s >= 4 && !strncmp(open - 4, "unix", 4)) {
		a->host = xstrndup(open + 1, close - open - 1);
		a->is_unix = 1;
		return 1;
	}
	split_hostport(open + 1, close - open - 1, a);
	return 1;
}

int addr_dsn_is_network(const char *driver, const char *s)
{
	if (driver && (!strcmp(driver, "sqlite3") || !strcmp(driver, "sqlite")))
		return 0;
	/* SQLAlchemy URLs: sqlite:///file, sqlite+pysqlite:// */
	return driver || !str_has_prefix(s, "sqlite") || !strchr(":+", s[6]);
}

int addr_dsn(const char *driver, const char *s, struct addr *a)
{
	const char *app = driver ? driver_protocol(driver) : NULL;
	char *host, *port;

	if (!addr_dsn_is_network(driver, s))
		return 0;
	memset(a, 0, sizeof(*a));
	a->port = -1;
	if (strstr(s, "://")) {
		addr_url(s, a);
	} else if (!(app && !strcmp(app, "mysql") && mysql_dsn(s, a))) {
		host = kv_get(s, "host");
		/* libpq: a numeric address without a name to check */
		if (!host)
			host = kv_get(s, "hostaddr");
		port = kv_get(s, "port");
		a->host = host;
		if (port)
			set_port(a, port, strlen(port));
		free(port);
	}
	if (app)
		a->app = app;
	if (a->host && a->host[0] == '/')
		a->is_unix = 1;
	if (a->port < 0 && a->app && !a->is_unix && !a->bad) {
		a->port = app_default_port(a->app);
		a->port_defaulted = a->port >= 0;
	}
	return 1;
}

const char *addr_zmq_transport(const char *prefix)
{
	static const struct {
		const char *scheme, *proto;
	} kinds[] = {
		{ "tcp://", "tcp" }, { "ipc://", "unix" }, { "udp://", "udp" },
		{ "pgm://", "udp" }, { "epgm://", "udp" }, { "ws://", "tcp" },
		{ "wss://", "tcp" }, { "inproc://", "inproc" },
	};
	size_t i;

	for (i = 0; prefix && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (str_has_prefix(prefix, kinds[i].scheme))
			return kinds[i].proto;
	return NULL;
}

int addr_zmq(const char *s, struct addr *a, const char **proto)
{
	const char *p = strstr(s, "://");

	memset(a, 0, sizeof(*a));
	a->port = -1;
	*proto = addr_zmq_transport(s);
	if (*proto && !strcmp(*proto, "inproc"))
		return 0;
	if (!p) {
		a->bad = "not a ZeroMQ endpoint";
		*proto = "tcp";
		return 1;
	}
	p += 3;
	if (*proto && !strcmp(*proto, "unix")) {
		a->host = xstrdup(p);
		a->is_unix = 1;
		return 1;
	}
	if (!*proto)
		*proto = "tcp";
	/* "epgm://eth0;239.192.1.1:5555": the interface, then the group */
	if (strchr(p, ';') && !strcmp(*proto, "udp"))
		p = strchr(p, ';') + 1;
	split_hostport(p, strlen(p), a);
	if (a->host && !strcmp(a->host, "*")) {
		free(a->host);
		a->host = NULL;
	}
	/* a port of "*" is one the kernel picks: no port, not a bad one */
	if (a->bad && str_has_suffix(p, ":*"))
		a->bad = NULL;
	return 1;
}

int addr_grpc_is_unix(const char *s)
{
	return !strncmp(s, "unix:", 5) || !strncmp(s, "unix-abstract:", 14);
}

void addr_grpc(const char *s, struct addr *a)
{
	const char *p = s;

	memset(a, 0, sizeof(*a));
	if (addr_grpc_is_unix(p)) {
		p = strchr(p, ':') + 1;
		if (!strncmp(p, "//", 2))
			p += 2;
		a->host = xstrdup(p);
		a->port = -1;
		a->is_unix = 1;
		return;
	}
	/* scheme://authority/endpoint: the endpoint is the address */
	if (strstr(p, "://")) {
		p = strstr(p, "://") + 3;
		p = strchr(p, '/') ? strchr(p, '/') + 1 : p;
	}
	split_hostport(p, strlen(p), a);
	if (a->port < 0 && !a->bad) {
		a->port = 443;		/* gRPC's default port */
		a->port_defaulted = 1;
	}
}

/*
 * Field @i of twisted endpoint description @s (fields split at ':' not
 * escaped by a backslash; escapes kept), or NULL; *@done is whether a ':'
 * ends it, that is whether all of it is known when @s is only the known
 * start of the description.
 */
static char *twisted_field(const char *s, int i, int *done)
{
	const char *start = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			continue;
		}
		if (*s != ':')
			continue;
		if (i-- == 0) {
			*done = 1;
			return xstrndup(start, s - start);
		}
		start = s + 1;
	}
	*done = 0;
	return i == 0 ? xstrdup(start) : NULL;
}

/* @s with its backslash escapes undone, in place ("\\:\\:" is "::"). */
static char *twisted_unescape(char *s)
{
	char *r, *w = s;

	for (r = s; *r; r++, w++) {
		if (*r == '\\' && r[1])
			r++;
		*w = *r;
	}
	*w = '\0';
	return s;
}

/* Value of keyword @key= among the fields of @s, else positional @pos (-1: none). */
static char *twisted_arg(const char *s, const char *key, int pos, int partial)
{
	size_t klen = strlen(key);
	char *f, *found = NULL;
	int i, n = 0, done;

	for (i = 1; !found && (f = twisted_field(s, i, &done)); i++) {
		int is_kw = strchr(f, '=') != NULL;

		if (partial && !done) {
			free(f);
			break;
		}
		if (is_kw && !strncmp(f, key, klen) && f[klen] == '=')
			found = xstrdup(f + klen + 1);
		else if (!is_kw && n++ == pos)
			found = xstrdup(f);
		free(f);
	}
	return found ? twisted_unescape(found) : NULL;
}

int addr_twisted(const char *s, int listener, int partial, struct addr *a)
{
	static const char *const inet[] = { "tcp", "tcp6", "ssl", "tls", NULL };
	int done, i;
	char *type = twisted_field(s, 0, &done), *host, *port;

	memset(a, 0, sizeof(*a));
	a->port = -1;
	if (!type || (partial && !done)) {
		free(type);
		a->bad = "the endpoint's type is not known";
		return 1;
	}
	if (!strcmp(type, "unix")) {
		a->is_unix = 1;
		a->host = twisted_arg(s, listener ? "address" : "path", 0, partial);
		free(type);
		return 1;
	}
	for (i = 0; inet[i] && strcmp(type, inet[i]); i++)
		;
	free(type);
	if (!inet[i])
		return 0;
	if (listener) {
		host = twisted_arg(s, "interface", -1, partial);
		port = twisted_arg(s, "port", 0, partial);
	} else {
		host = twisted_arg(s, "host", 0, partial);
		port = twisted_arg(s, "port", 1, partial);
	}
	a->host = host;
	if (port)
		set_port(a, port, strlen(port));
	else if (!partial)
		a->bad = "the endpoint names no port";
	free(port);
	return 1;
}

int addr_url_authority_known(const char *s)
{
	const char *sep = s ? strstr(s, "://") : NULL;

	return sep && strpbrk(sep + 3, "/?#") != NULL;
}

int addr_all_interfaces(const char *host)
{
	return !host || !*host || !strcmp(host, "0.0.0.0") || !strcmp(host, "::") ||
	       !strcmp(host, "*");
}

int addr_host_has_port(const char *host)
{
	const char *colon = strrchr(host, ':');

	if (strstr(host, "://"))
		return 1;
	if (!colon || !colon[1])
		return 0;
	return host[0] == '[' ? colon[-1] == ']' : strchr(host, ':') == colon;
}

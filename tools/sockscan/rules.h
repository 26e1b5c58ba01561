/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket-opening APIs sockscan knows, as data. Adding a library is
 * adding rows here (go_rules.c, py_rules.c); the extractors and the
 * resolver read only these tables.
 */
#ifndef SOCKSCAN_RULES_H
#define SOCKSCAN_RULES_H

#include "sockscan.h"

/* How the address argument is written. */
enum addr_style {
	ADDR_HOSTPORT,	/* "host:port", ":port", or a path when the network is unix */
	ADDR_URL,	/* URL: the scheme gives the app protocol and default port */
	ADDR_DSN,	/* database DSN: the driver gives the app protocol */
	ADDR_GRPC,	/* gRPC target: "host:port", "dns:///host:port", "unix:path" */
	ADDR_TWISTED,	/* twisted endpoint description: "tcp:8080", "unix:path=/run/s" */
	ADDR_ZMQ,	/* ZeroMQ endpoint: "tcp://host:port", "ipc://path", "inproc://name" */
};

/* Where the address comes from. */
enum addr_from {
	FROM_ARG,	/* argument addr_arg; an object there lends its address */
	FROM_RECV,	/* the receiver object (http.Server's Addr) */
	FROM_ANY_ARG,	/* the first argument that is an object with an address */
	FROM_HOST_PORT,	/* host in addr_arg/addr_kw, port in port_arg/port_kw */
};

/*
 * One API. A rule matches a call of package function @name of import
 * @family (Go: see go_family(); Python: the dotted module), or, when @type
 * is set, a call of method @name on a value of that type key
 * ("<family>.<Type>"). Argument positions are 0-based, -1 for none.
 */
struct rule {
	const char *family;
	const char *type;
	const char *name;
	const char *api;		/* name reported */
	enum direction dir;
	enum addr_style style;
	enum addr_from from;
	int addr_arg;
	const char *addr_kw;		/* Python keyword for addr_arg */
	int port_arg;			/* FROM_HOST_PORT only */
	const char *port_kw;
	int net_arg;			/* network ("tcp") or driver ("postgres") */
	const char *proto;		/* fixed transport when no net_arg */
	const char *app;		/* fixed app protocol, or NULL */
	const char *default_addr;	/* address (or host) when none is given */
	const char *default_port;	/* FROM_HOST_PORT: port when none is given */
	enum resolution default_how;
	const char *makes;		/* type key of the value returned, or NULL */
	/*
	 * No socket unless the address argument is given: smtplib.SMTP()
	 * connects only when told a host; create_datagram_endpoint has one
	 * row for local_addr (ingress) and one for remote_addr (egress).
	 */
	int needs_addr;
	/*
	 * The host argument may be a URL or a list of servers naming their
	 * own ports (MongoClient): without a port argument, the default port
	 * is reported only when the host is known. Otherwise the protocol's
	 * port stands even beside a host known only at run time.
	 */
	int host_may_hold_port;
	/*
	 * Python keyword that, when given, makes the client connect to a unix
	 * socket at its value instead (redis unix_socket_path=, pymysql
	 * unix_socket=).
	 */
	const char *unix_kw;
	/*
	 * Python keyword of the connection string that, when given (by that
	 * keyword or as argument 0), holds the whole address as a libpq
	 * conninfo or a URL, in place of host and port (psycopg2's dsn=).
	 */
	const char *dsn_kw;
	int dsn_arg;			/* its position: 0, or 2 after a pool's sizes */
	/*
	 * Python keyword of a connection pool that, when given, holds the
	 * address in place of host and port (redis' connection_pool=): the
	 * pool's construction is the site, and the call none of its own.
	 */
	const char *pool_kw;
	/* The address is the last positional argument: sendto(data[, flags], address). */
	int addr_last;
	/*
	 * A receiver known only by its name (a `session` parameter nobody
	 * hands a session to): a call is a site only when its address is an
	 * http(s) URL, known at least that far (an ORM session's get(Model,
	 * id) is none).
	 */
	int needs_url;
	/*
	 * A client of a C library that takes no host, None or "" for its
	 * local unix socket (libpq: 1), "localhost" too (libmysqlclient: 2),
	 * where the library was built to find it.
	 */
	int local_unix;
	/*
	 * With local_unix, the position of the argument that names the unix
	 * socket (libmysqlclient's host, user, passwd, db, port, unix_socket:
	 * 5); positional arguments before it name none. 0: any may.
	 */
	int unix_arg;
	/*
	 * The address is a (host, port) pair for TCP or a path for a unix
	 * socket, the type of the value choosing (multiprocessing's
	 * Listener and Client).
	 */
	int path_is_unix;
};

/* Go import families: a watched import path and the name it is used by. */
struct family {
	const char *path;	/* import path without its /vN elements */
	const char *id;		/* family id used by rules */
	const char *name;	/* package name in source */
	int watched;		/* a file importing it may open sockets */
};

/* Go composite literals that build an object or an address. */
struct composite {
	const char *family;
	const char *type;
	const char *makes;		/* object type key, or NULL: an address */
	const char *addr_field;		/* address (or IP for JOIN) */
	const char *port_field;		/* set: address is addr_field:port_field */
};

extern const struct rule go_rules[];
extern const struct rule py_rules[];
extern const struct composite go_composites[];

const struct family *go_family(const char *import_path);
/*
 * Function rule of @family named @name, or NULL. Several rows may match
 * one call: rule_func(r + 1, ...) gives the next (likewise rule_method).
 */
const struct rule *rule_func(const struct rule *table, const char *family,
			     const char *name);
/* Method rule of type key @type named @name, or NULL. */
const struct rule *rule_method(const struct rule *table, const char *type,
			       const char *name);
/* Is @name a function (or class) of any family? */
int rule_is_func_name(const struct rule *table, const char *name);
/* Is @name a method of any watched type (worth keeping as a site)? */
int rule_is_method_name(const struct rule *table, const char *name);
/*
 * The method name of getattr(obj, name)(...) when name is not a literal:
 * any method of obj's type that opens a socket (rule_any_method).
 */
#define ANY_METHOD "*"
/* The first method rule of type key @type that opens a socket, or NULL. */
const struct rule *rule_any_method(const struct rule *table, const char *type);
/*
 * Is file @path (as reported, from the scanned root) in the Python
 * package whose module @family is (paho/mqtt/publish.py for
 * "paho.mqtt.client")? Its calls of that API are the package's own code,
 * not a use of the library (py_rules.c).
 */
int py_family_holds(const char *family, const char *path);
/*
 * The first function rule of @family that opens a socket, or NULL: what
 * getattr(requests, verb)(url) calls, one of requests' verbs.
 */
const struct rule *rule_any_func(const struct rule *table, const char *family);
/* Has @family (a Python module: "socket") a function rule? */
int rule_is_family(const struct rule *table, const char *family);
const struct composite *go_composite(const char *family, const char *type);

#endif

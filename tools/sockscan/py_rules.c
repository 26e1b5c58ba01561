// SPDX-License-Identifier: GPL-2.0
/*
 * The Python APIs sockscan recognises. A rule's family is the dotted
 * module that defines the function or class, as an import resolves it
 * ("http.server", "aiohttp.web"); methods are keyed by the type key of the
 * object a constructor row makes ("socket.socket", "flask.Flask").
 */
#include <stddef.h>

#include "rules.h"

#define IN DIR_INGRESS
#define OUT DIR_EGRESS
#define NONE DIR_NONE

/* A listener taking a (host, port) tuple or a unix path as argument 0. */
#define PY_SERVER(fam, cls, transport, app_proto) \
	{ fam, NULL, cls, fam "." cls, IN, ADDR_HOSTPORT, FROM_ARG, 0, "server_address", .net_arg = -1, .proto = transport, .app = app_proto }

/*
 * An HTTP client call taking the URL as argument @pos (or url=); @prefix
 * is what the reported api name starts with.
 */
#define PY_HTTP(fam, type_key, prefix, fn, pos) \
	{ fam, type_key, fn, prefix "." fn, OUT, ADDR_URL, FROM_ARG, pos, "url", .net_arg = -1, .proto = "tcp" }

#define PY_HTTP_VERBS(fam, type_key, prefix) \
	PY_HTTP(fam, type_key, prefix, "get", 0), PY_HTTP(fam, type_key, prefix, "post", 0), \
	PY_HTTP(fam, type_key, prefix, "put", 0), PY_HTTP(fam, type_key, prefix, "patch", 0), \
	PY_HTTP(fam, type_key, prefix, "delete", 0), PY_HTTP(fam, type_key, prefix, "head", 0), \
	PY_HTTP(fam, type_key, prefix, "options", 0), PY_HTTP(fam, type_key, prefix, "request", 1)

const struct rule py_rules[] = {
	/* socket: the object's family and type give the transport */
	{ "socket", NULL, "socket", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "socket.socket" },
	{ "socket", "socket.socket", "bind", "socket.socket.bind", IN, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1 },
	{ "socket", "socket.socket", "connect", "socket.socket.connect", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1 },
	{ "socket", "socket.socket", "connect_ex", "socket.socket.connect_ex", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1 },
	{ "socket", "socket.socket", "sendto", "socket.socket.sendto", OUT, ADDR_HOSTPORT, FROM_ARG, 1, "address", .net_arg = -1 },
	{ "socket", NULL, "create_connection", "socket.create_connection", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp" },
	{ "socket", NULL, "create_server", "socket.create_server", IN, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp" },

	PY_SERVER("socketserver", "TCPServer", "tcp", NULL),
	PY_SERVER("socketserver", "ThreadingTCPServer", "tcp", NULL),
	PY_SERVER("socketserver", "ForkingTCPServer", "tcp", NULL),
	PY_SERVER("socketserver", "UDPServer", "udp", NULL),
	PY_SERVER("socketserver", "ThreadingUDPServer", "udp", NULL),
	PY_SERVER("socketserver", "ForkingUDPServer", "udp", NULL),
	PY_SERVER("socketserver", "UnixStreamServer", "unix", NULL),
	PY_SERVER("socketserver", "ThreadingUnixStreamServer", "unix", NULL),
	PY_SERVER("socketserver", "UnixDatagramServer", "unix", NULL),
	PY_SERVER("http.server", "HTTPServer", "tcp", "http"),
	PY_SERVER("http.server", "ThreadingHTTPServer", "tcp", "http"),

	/* asyncio: host None means every interface */
	{ "asyncio", NULL, "start_server", "asyncio.start_server", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 2, "port", .net_arg = -1, .proto = "tcp", .default_addr = "", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "asyncio", NULL, "open_connection", "asyncio.open_connection", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp" },
	{ "asyncio", NULL, "start_unix_server", "asyncio.start_unix_server", IN, ADDR_HOSTPORT, FROM_ARG, 1, "path", .net_arg = -1, .proto = "unix" },
	{ "asyncio", NULL, "open_unix_connection", "asyncio.open_unix_connection", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "path", .net_arg = -1, .proto = "unix" },

	/* servers with documented defaults */
	{ "uvicorn", NULL, "run", "uvicorn.run", IN, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "127.0.0.1", .default_port = "8000", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "flask", NULL, "Flask", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "flask.Flask" },
	{ "flask", "flask.Flask", "run", "flask.Flask.run", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "127.0.0.1", .default_port = "5000", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "aiohttp.web", NULL, "run_app", "aiohttp.web.run_app", IN, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "", .default_port = "8080", .default_how = RES_FRAMEWORK_DEFAULT },

	/* HTTP clients */
	PY_HTTP_VERBS("requests", NULL, "requests"),
	{ "requests", NULL, "Session", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "requests.Session" },
	PY_HTTP_VERBS("requests", "requests.Session", "requests.Session"),
	PY_HTTP_VERBS("httpx", NULL, "httpx"),
	{ "httpx", NULL, "Client", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "httpx.Client" },
	{ "httpx", NULL, "AsyncClient", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "httpx.Client" },
	PY_HTTP_VERBS("httpx", "httpx.Client", "httpx.Client"),
	{ "aiohttp", NULL, "ClientSession", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "aiohttp.ClientSession" },
	PY_HTTP_VERBS("aiohttp", "aiohttp.ClientSession", "aiohttp.ClientSession"),

	/* database and cache clients configured by keyword, with their defaults */
	{ "psycopg2", NULL, "connect", "psycopg2.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT },
	{ "redis", NULL, "Redis", "redis.Redis", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "redis", .default_addr = "localhost", .default_port = "6379", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "redis", NULL, "StrictRedis", "redis.StrictRedis", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "redis", .default_addr = "localhost", .default_port = "6379", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "redis", NULL, "from_url", "redis.from_url", OUT, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },
	{ "pymongo", NULL, "MongoClient", "pymongo.MongoClient", OUT, ADDR_URL, FROM_ARG, 0, "host", .net_arg = -1, .proto = "tcp", .app = "mongodb", .default_addr = "mongodb://localhost:27017", .default_how = RES_FRAMEWORK_DEFAULT },

	{ "urllib.request", NULL, "Request", NULL, NONE, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .makes = "urllib.request.Request" },
	PY_HTTP("urllib.request", NULL, "urllib.request", "urlopen", 0),
	{ NULL },
};

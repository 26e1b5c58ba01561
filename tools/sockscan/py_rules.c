// SPDX-License-Identifier: GPL-2.0
/*
 * The Python APIs sockscan recognises. A rule's family is the dotted
 * module that defines the function or class, as an import resolves it
 * ("http.server", "aiohttp.web"); methods are keyed by the type key of the
 * object a constructor row makes ("socket.socket", "flask.Flask").
 */
#include <stddef.h>
#include <string.h>

#include "rules.h"

#define IN DIR_INGRESS
#define OUT DIR_EGRESS
#define NONE DIR_NONE

/* A listener taking a (host, port) tuple or a unix path as argument 0. */
#define PY_SERVER(fam, cls, transport, app_proto) \
	{ fam, NULL, cls, fam "." cls, IN, ADDR_HOSTPORT, FROM_ARG, 0, "server_address", .net_arg = -1, .proto = transport, .app = app_proto }

/*
 * An HTTP client call taking the URL as argument @pos (or url=); @prefix
 * is what the reported api name starts with; @url: a site only with an
 * http(s) URL (rule needs_url).
 */
#define PY_HTTP_U(fam, type_key, prefix, fn, pos, url) \
	{ fam, type_key, fn, prefix "." fn, OUT, ADDR_URL, FROM_ARG, pos, "url", .net_arg = -1, .proto = "tcp", .needs_url = url }
#define PY_HTTP(fam, type_key, prefix, fn, pos) PY_HTTP_U(fam, type_key, prefix, fn, pos, 0)

/*
 * A client given host and port (positions @hpos and @ppos), with the
 * protocol's port when none is given; no socket without a host
 * (smtplib.SMTP() connects only when told where). A host written with
 * its own port ("mail:2525", smtplib and http.client) gives that port;
 * beside a host known only at run time the protocol's port stands, as a
 * bare host name is what such a host usually is.
 */
#define PY_CLIENT(fam, cls, hpos, ppos, port, app_proto) \
	{ fam, NULL, cls, fam "." cls, OUT, ADDR_HOSTPORT, FROM_HOST_PORT, hpos, "host", ppos, "port", .net_arg = -1, .proto = "tcp", .app = app_proto, .default_port = port, .default_how = RES_PROTOCOL_DEFAULT, .needs_addr = 1, .makes = fam "." cls }

/*
 * The same client made without a host, connected later by its method
 * @fn(host, port): smtplib.SMTP().connect(host, port), FTP().connect().
 */
#define PY_CLIENT_CONNECT(fam, cls, fn, port, app_proto) \
	{ fam, fam "." cls, fn, fam "." cls "." fn, OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = app_proto, .default_port = port, .default_how = RES_PROTOCOL_DEFAULT, .needs_addr = 1 }

/* smtplib's connect(), whose host defaults to localhost (connect() alone connects there). */
#define PY_SMTP_CONNECT(cls, port) \
	{ "smtplib", "smtplib." cls, "connect", "smtplib." cls ".connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "smtp", .default_addr = "localhost", .default_port = port, .default_how = RES_FRAMEWORK_DEFAULT }

/* A database client configured by keyword, with its default address. */
#define PY_DB(fam, fn, hpos, ppos, port, app_proto, unix) \
	{ fam, NULL, fn, fam "." fn, OUT, ADDR_HOSTPORT, FROM_HOST_PORT, hpos, "host", ppos, "port", .net_arg = -1, .proto = "tcp", .app = app_proto, .default_addr = "localhost", .default_port = port, .default_how = RES_PROTOCOL_DEFAULT, .unix_kw = unix }

/* gRPC: a server's ports, and channels to a target. */
#define PY_GRPC_CHANNEL(fam, fn) \
	{ fam, NULL, fn, fam "." fn, OUT, ADDR_GRPC, FROM_ARG, 0, "target", .net_arg = -1, .proto = "tcp", .app = "grpc" }
#define PY_GRPC_PORT(fn) \
	{ "grpc", "grpc.Server", fn, "grpc.Server." fn, IN, ADDR_GRPC, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp", .app = "grpc" }

/* werkzeug.serving's server classes and make_server, all (host, port, app, ...) */
#define PY_WERKZEUG_SERVER(fn) \
	{ "werkzeug.serving", NULL, fn, "werkzeug.serving." fn, IN, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "http" }

/* prometheus_client's exporter threads: (port, addr="0.0.0.0") */
#define PY_PROMETHEUS_SERVER(fam, fn) \
	{ fam, NULL, fn, "prometheus_client." fn, IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "addr", 0, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "0.0.0.0", .default_how = RES_FRAMEWORK_DEFAULT }

/* An asyncio event loop's method taking (factory, host, port). */
#define PY_LOOP_HOST_PORT(fn, d, def_host) \
	{ "asyncio", "asyncio.Loop", fn, "asyncio.loop." fn, d, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 2, "port", .net_arg = -1, .proto = "tcp", .default_addr = def_host, .default_how = RES_FRAMEWORK_DEFAULT }
#define PY_LOOP_ADDR(fn, d, pos, kw, transport) \
	{ "asyncio", "asyncio.Loop", fn, "asyncio.loop." fn, d, ADDR_HOSTPORT, FROM_ARG, pos, kw, .net_arg = -1, .proto = transport, .needs_addr = 1 }

/*
 * A TCP stream opener or listener of an async framework (trio, anyio,
 * curio): host and port by position or keyword; @def_host when no host
 * is given ("" for a listener on every interface).
 */
#define PY_STREAM(fam, fn, d, hpos, hkw, ppos, pkw, def_host) \
	{ fam, NULL, fn, fam "." fn, d, ADDR_HOSTPORT, FROM_HOST_PORT, hpos, hkw, ppos, pkw, .net_arg = -1, .proto = "tcp", .default_addr = def_host, .default_how = RES_FRAMEWORK_DEFAULT }

/*
 * MQTT: paho's Client() names no broker; its connect methods do, at 1883
 * unless told; its publish and subscribe helpers connect on their own
 * (hostname= "localhost" unless told).
 */
#define PY_MQTT_CONNECT(fn) \
	{ "paho.mqtt.client", "paho.mqtt.client.Client", fn, "paho.mqtt.client.Client." fn, OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "mqtt", .default_port = "1883", .default_how = RES_PROTOCOL_DEFAULT, .needs_addr = 1 }
#define PY_MQTT_HELPER(fam, fn, hpos, ppos) \
	{ fam, NULL, fn, fam "." fn, OUT, ADDR_HOSTPORT, FROM_HOST_PORT, hpos, "hostname", ppos, "port", .net_arg = -1, .proto = "tcp", .app = "mqtt", .default_addr = "localhost", .default_port = "1883", .default_how = RES_FRAMEWORK_DEFAULT }
/* asyncio-mqtt (aiomqtt since 1.0): Client(hostname, port=1883) connects in its async with */
#define PY_MQTT_ASYNC(fam) \
	{ fam, NULL, "Client", fam ".Client", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "hostname", 1, "port", .net_arg = -1, .proto = "tcp", .app = "mqtt", .default_port = "1883", .default_how = RES_PROTOCOL_DEFAULT, .needs_addr = 1 }

/* A client given a URL as argument 0 or keyword @kw (from_url, kombu, aio_pika). */
#define PY_URL_CLIENT(fam, fn, kw) \
	{ fam, NULL, fn, fam "." fn, OUT, ADDR_URL, FROM_ARG, 0, kw, .net_arg = -1, .proto = "tcp" }

/*
 * A Kafka client: the brokers only by keyword (argument 0 of a consumer is
 * a topic), localhost:9092 when none is given.
 */
#define PY_KAFKA(fam, cls) \
	{ fam, NULL, cls, "kafka." cls, OUT, ADDR_HOSTPORT, FROM_ARG, -1, "bootstrap_servers", .net_arg = -1, .proto = "tcp", .app = "kafka", .default_addr = "localhost:9092", .default_how = RES_FRAMEWORK_DEFAULT }

/* A non-blocking framework's listener method taking (port, address). */
#define PY_PORT_ADDR(fam, type_key, fn, app_proto) \
	{ fam, type_key, fn, type_key "." fn, IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "address", 0, "port", .net_arg = -1, .proto = "tcp", .app = app_proto, .default_addr = "", .default_how = RES_FRAMEWORK_DEFAULT }

/*
 * twisted: a listener or connector taking the port at @ppos (keyword
 * @pkw) and the host or interface at @hpos (@hkw), over @transport;
 * @def_host when no interface is given ("" for every one). @prefix is
 * the reported name's start: the module, or the type of the receiver.
 */
#define PY_TWISTED(fam, type_key, prefix, fn, d, hpos, hkw, ppos, pkw, def_host, transport) \
	{ fam, type_key, fn, prefix "." fn, d, ADDR_HOSTPORT, FROM_HOST_PORT, hpos, hkw, ppos, pkw, .net_arg = -1, .proto = transport, .default_addr = def_host, .default_how = RES_FRAMEWORK_DEFAULT }
/* twisted: a unix socket's path at @pos (keyword @kw) */
#define PY_TWISTED_UNIX(fam, type_key, prefix, fn, d, pos, kw) \
	{ fam, type_key, fn, prefix "." fn, d, ADDR_HOSTPORT, FROM_ARG, pos, kw, .net_arg = -1, .proto = "unix" }
/* twisted: an endpoint description string at @pos (keyword @kw) */
#define PY_TWISTED_STRING(fam, fn, d, pos, kw) \
	{ fam, NULL, fn, fam "." fn, d, ADDR_TWISTED, FROM_ARG, pos, kw, .net_arg = -1 }
/* a twisted listener's port and interface, where listenTCP has them */
#define PY_TWISTED_LISTEN(fam, type_key, prefix, fn, hpos, transport) \
	PY_TWISTED(fam, type_key, prefix, fn, IN, hpos, "interface", 0, "port", "", transport)
/* a twisted connector's host and port, where connectTCP has them */
#define PY_TWISTED_CONNECT(fam, type_key, prefix, fn) \
	PY_TWISTED(fam, type_key, prefix, fn, OUT, 0, "host", 1, "port", NULL, "tcp")

/*
 * MySQLdb's connection of module @fam: libmysqlclient, whose "localhost"
 * is its unix socket (local_unix 2), named by its sixth argument
 * (host, user, passwd, db, port, unix_socket); reported as
 * MySQLdb.connect.
 */
#define PY_MYSQLDB(fam, fn) \
	{ fam, NULL, fn, "MySQLdb.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "mysql", .default_addr = "localhost", .default_port = "3306", .default_how = RES_PROTOCOL_DEFAULT, .unix_kw = "unix_socket", .local_unix = 2, .unix_arg = 5 }

/*
 * A redis connection pool of module @fam, by its constructor (host=,
 * port=, or a unix path=) or its from_url(url): told the address its
 * clients connect to, it is the site, and a client handed it
 * (Redis(connection_pool=pool), pool_kw) is none of its own.
 */
#define PY_REDIS_POOL(fam, cls) \
	{ fam, NULL, cls, "redis." cls, OUT, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "redis", .default_addr = "localhost", .default_port = "6379", .default_how = RES_FRAMEWORK_DEFAULT, .unix_kw = "path" }, \
	{ fam "." cls, NULL, "from_url", "redis." cls ".from_url", OUT, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp", .app = "redis" }

/* psycopg2.pool's class @cls: connect()'s arguments after the pool's sizes */
#define PY_PSYCOPG2_POOL(cls) \
	{ "psycopg2.pool", NULL, cls, "psycopg2.pool." cls, OUT, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT, .local_unix = 1, .dsn_kw = "dsn", .dsn_arg = 2 }

/* redis' Sentinel client of module @fam, and the clients it makes */
#define PY_SENTINEL(fam) \
	{ fam, NULL, "Sentinel", "redis.sentinel.Sentinel", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "sentinels", .net_arg = -1, .proto = "tcp", .app = "redis", .makes = "redis.sentinel.Sentinel" }
#define PY_SENTINEL_POOL(fam) \
	{ fam, NULL, "SentinelConnectionPool", "redis.sentinel.SentinelConnectionPool", OUT, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .proto = "tcp", .app = "redis" }
/* a client of the server a Sentinel names at run time */
#define PY_SENTINEL_CLIENT(fn) \
	{ "redis.sentinel", "redis.sentinel.Sentinel", fn, "redis.sentinel.Sentinel." fn, OUT, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .proto = "tcp", .app = "redis" }

/* an aioredis 1.x connection or pool to an address (host, port) */
#define PY_AIOREDIS(fn) \
	{ "aioredis", NULL, fn, "aioredis." fn, OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp", .app = "redis" }

/*
 * a Redis Cluster client of module @fam: host and port of one node, or
 * startup_nodes, a list of them; it connects to the nodes they name
 */
#define PY_REDIS_CLUSTER(fam) \
	{ fam, NULL, "RedisCluster", fam ".RedisCluster", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "redis" }

/* a memcached client of module @fam given a list of "host:port" servers */
#define PY_MEMCACHE_LIST(fam) \
	{ fam, NULL, "Client", fam ".Client", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "servers", .net_arg = -1, .proto = "tcp", .app = "memcache" }

#define PY_HTTP_VERBS_U(fam, type_key, prefix, url) \
	PY_HTTP_U(fam, type_key, prefix, "get", 0, url), PY_HTTP_U(fam, type_key, prefix, "post", 0, url), \
	PY_HTTP_U(fam, type_key, prefix, "put", 0, url), PY_HTTP_U(fam, type_key, prefix, "patch", 0, url), \
	PY_HTTP_U(fam, type_key, prefix, "delete", 0, url), PY_HTTP_U(fam, type_key, prefix, "head", 0, url), \
	PY_HTTP_U(fam, type_key, prefix, "options", 0, url), PY_HTTP_U(fam, type_key, prefix, "request", 1, url)
#define PY_HTTP_VERBS(fam, type_key, prefix) PY_HTTP_VERBS_U(fam, type_key, prefix, 0)

const struct rule py_rules[] = {
	/* socket: the object's family and type give the transport */
	{ "socket", NULL, "socket", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "socket.socket" },
	{ "socket", "socket.socket", "bind", "socket.socket.bind", IN, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1 },
	{ "socket", "socket.socket", "connect", "socket.socket.connect", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1 },
	{ "socket", "socket.socket", "connect_ex", "socket.socket.connect_ex", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1 },
	{ "socket", "socket.socket", "sendto", "socket.socket.sendto", OUT, ADDR_HOSTPORT, FROM_ARG, 1, "address", .net_arg = -1, .addr_last = 1 },
	{ "socket", NULL, "create_connection", "socket.create_connection", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp" },
	{ "socket", NULL, "create_server", "socket.create_server", IN, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp" },

	/*
	 * asyncore/asynchat: a dispatcher subclass opens its socket with
	 * self.create_socket() and gives the address to self.bind() or
	 * self.connect(); the transport is what self.create_socket(family,
	 * type) chose in the class (py_extract.c), TCP by default
	 */
	{ "asyncore", NULL, "dispatcher", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncore.dispatcher" },
	{ "asyncore", NULL, "dispatcher_with_send", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncore.dispatcher" },
	{ "asynchat", NULL, "async_chat", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncore.dispatcher" },
	{ "asyncore", "asyncore.dispatcher", "bind", "asyncore.dispatcher.bind", IN, ADDR_HOSTPORT, FROM_ARG, 0, "addr", .net_arg = -1 },
	{ "asyncore", "asyncore.dispatcher", "connect", "asyncore.dispatcher.connect", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1 },

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
	/* test(HandlerClass, ServerClass, protocol, port=8000, bind=None): python -m http.server */
	{ "http.server", NULL, "test", "http.server.test", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 4, "bind", 3, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "", .default_port = "8000", .default_how = RES_FRAMEWORK_DEFAULT },
	PY_SERVER("xmlrpc.server", "SimpleXMLRPCServer", "tcp", "http"),
	PY_SERVER("xmlrpc.server", "DocXMLRPCServer", "tcp", "http"),
	PY_SERVER("wsgiref.simple_server", "WSGIServer", "tcp", "http"),
	{ "wsgiref.simple_server", NULL, "make_server", "wsgiref.simple_server.make_server", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "http" },
	/* smtpd (to 3.11): SMTPServer(localaddr, remoteaddr) listens on localaddr */
	{ "smtpd", NULL, "SMTPServer", "smtpd.SMTPServer", IN, ADDR_HOSTPORT, FROM_ARG, 0, "localaddr", .net_arg = -1, .proto = "tcp", .app = "smtp" },
	{ "smtpd", NULL, "DebuggingServer", "smtpd.DebuggingServer", IN, ADDR_HOSTPORT, FROM_ARG, 0, "localaddr", .net_arg = -1, .proto = "tcp", .app = "smtp" },
	{ "smtpd", NULL, "PureProxy", "smtpd.PureProxy", IN, ADDR_HOSTPORT, FROM_ARG, 0, "localaddr", .net_arg = -1, .proto = "tcp", .app = "smtp" },

	/* stdlib clients: host, port, the protocol's port by default */
	PY_CLIENT("smtplib", "SMTP", 0, 1, "25", "smtp"),
	PY_CLIENT("smtplib", "SMTP_SSL", 0, 1, "465", "smtp"),
	PY_CLIENT("smtplib", "LMTP", 0, 1, "2003", "smtp"),
	PY_CLIENT("poplib", "POP3", 0, 1, "110", "pop3"),
	PY_CLIENT("poplib", "POP3_SSL", 0, 1, "995", "pop3"),
	PY_CLIENT("imaplib", "IMAP4", 0, 1, "143", "imap"),
	PY_CLIENT("imaplib", "IMAP4_SSL", 0, 1, "993", "imap"),
	PY_CLIENT("ftplib", "FTP", 0, -1, "21", "ftp"),
	PY_CLIENT("ftplib", "FTP_TLS", 0, -1, "21", "ftp"),
	PY_CLIENT("telnetlib", "Telnet", 0, 1, "23", "telnet"),
	PY_CLIENT("nntplib", "NNTP", 0, 1, "119", "nntp"),
	PY_CLIENT("http.client", "HTTPConnection", 0, 1, "80", "http"),
	PY_CLIENT("http.client", "HTTPSConnection", 0, 1, "443", "https"),
	PY_CLIENT("httplib", "HTTPConnection", 0, 1, "80", "http"),
	PY_CLIENT("httplib", "HTTPSConnection", 0, 1, "443", "https"),
	PY_SMTP_CONNECT("SMTP", "25"),
	PY_SMTP_CONNECT("SMTP_SSL", "465"),
	PY_SMTP_CONNECT("LMTP", "2003"),
	PY_CLIENT_CONNECT("ftplib", "FTP", "connect", "21", "ftp"),
	/*
	 * MPD clients, made without an address: python-mpd2's connect(host,
	 * port=6600), a host that is a path being the server's unix socket,
	 * and musicpd's connect(host=None, port=None). musicpd's connect()
	 * with no address (localhost:6600 unless $MPD_HOST says otherwise) is
	 * not reported: that is how the users of a subclass that overrides
	 * connect() call it (mpd-sima's MPD), and the subclass's own call of
	 * its base's connect(host, port) is the site.
	 */
	{ "mpd", NULL, "MPDClient", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "mpd.MPDClient" },
	{ "mpd", "mpd.MPDClient", "connect", "mpd.MPDClient.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "mpd", .default_port = "6600", .default_how = RES_PROTOCOL_DEFAULT, .needs_addr = 1, .path_is_unix = 1 },
	{ "mpd.asyncio", NULL, "MPDClient", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "mpd.asyncio.MPDClient" },
	{ "mpd.asyncio", "mpd.asyncio.MPDClient", "connect", "mpd.asyncio.MPDClient.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "mpd", .default_port = "6600", .default_how = RES_PROTOCOL_DEFAULT, .needs_addr = 1, .path_is_unix = 1 },
	{ "musicpd", NULL, "MPDClient", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "musicpd.MPDClient" },
	{ "musicpd", "musicpd.MPDClient", "connect", "musicpd.MPDClient.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "mpd", .default_port = "6600", .default_how = RES_PROTOCOL_DEFAULT, .needs_addr = 1, .path_is_unix = 1 },
	PY_CLIENT_CONNECT("ftplib", "FTP_TLS", "connect", "21", "ftp"),
	PY_CLIENT_CONNECT("telnetlib", "Telnet", "open", "23", "telnet"),
	{ "xmlrpc.client", NULL, "ServerProxy", "xmlrpc.client.ServerProxy", OUT, ADDR_URL, FROM_ARG, 0, "uri", .net_arg = -1, .proto = "tcp" },
	{ "xmlrpclib", NULL, "ServerProxy", "xmlrpclib.ServerProxy", OUT, ADDR_URL, FROM_ARG, 0, "uri", .net_arg = -1, .proto = "tcp" },
	/*
	 * multiprocessing's message connections: a (host, port) pair is TCP, a
	 * path a unix socket; a Listener without an address takes a free
	 * port on localhost.
	 */
	{ "multiprocessing.connection", NULL, "Listener", "multiprocessing.connection.Listener", IN, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp", .default_addr = "localhost:0", .default_how = RES_FRAMEWORK_DEFAULT, .path_is_unix = 1 },
	{ "multiprocessing.connection", NULL, "Client", "multiprocessing.connection.Client", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp", .needs_addr = 1, .path_is_unix = 1 },

	/* gRPC */
	{ "grpc", NULL, "server", NULL, NONE, ADDR_GRPC, FROM_ARG, -1, .net_arg = -1, .makes = "grpc.Server" },
	{ "grpc.aio", NULL, "server", NULL, NONE, ADDR_GRPC, FROM_ARG, -1, .net_arg = -1, .makes = "grpc.Server" },
	PY_GRPC_PORT("add_insecure_port"),
	PY_GRPC_PORT("add_secure_port"),
	PY_GRPC_CHANNEL("grpc", "insecure_channel"),
	PY_GRPC_CHANNEL("grpc", "secure_channel"),
	PY_GRPC_CHANNEL("grpc.aio", "insecure_channel"),
	PY_GRPC_CHANNEL("grpc.aio", "secure_channel"),

	/* asyncio: host None means every interface */
	{ "asyncio", NULL, "start_server", "asyncio.start_server", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 2, "port", .net_arg = -1, .proto = "tcp", .default_addr = "", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "asyncio", NULL, "open_connection", "asyncio.open_connection", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp" },
	{ "asyncio", NULL, "start_unix_server", "asyncio.start_unix_server", IN, ADDR_HOSTPORT, FROM_ARG, 1, "path", .net_arg = -1, .proto = "unix" },
	{ "asyncio", NULL, "open_unix_connection", "asyncio.open_unix_connection", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "path", .net_arg = -1, .proto = "unix" },
	{ "asyncio", NULL, "get_event_loop", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncio.Loop" },
	{ "asyncio", NULL, "get_running_loop", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncio.Loop" },
	{ "asyncio", NULL, "new_event_loop", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncio.Loop" },
	/* the same functions through the module that defines them */
	{ "asyncio.events", NULL, "get_event_loop", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncio.Loop" },
	{ "asyncio.events", NULL, "get_running_loop", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncio.Loop" },
	{ "asyncio.events", NULL, "new_event_loop", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "asyncio.Loop" },
	PY_LOOP_HOST_PORT("create_server", IN, ""),
	PY_LOOP_HOST_PORT("create_connection", OUT, NULL),
	/* one call, two sockets maybe: local_addr binds, remote_addr connects */
	PY_LOOP_ADDR("create_datagram_endpoint", IN, 1, "local_addr", "udp"),
	PY_LOOP_ADDR("create_datagram_endpoint", OUT, 2, "remote_addr", "udp"),
	PY_LOOP_ADDR("create_unix_server", IN, 1, "path", "unix"),
	PY_LOOP_ADDR("create_unix_connection", OUT, 1, "path", "unix"),
	/* loop.sock_connect(sock, address): the transport is the socket's, TCP unless known */
	PY_LOOP_ADDR("sock_connect", OUT, 1, "address", NULL),

	/*
	 * The other async frameworks' openers, asyncio's open_connection and
	 * start_server under their names (host None: every interface)
	 */
	PY_STREAM("trio", "open_tcp_stream", OUT, 0, "host", 1, "port", NULL),
	PY_STREAM("trio", "open_ssl_over_tcp_stream", OUT, 0, "host", 1, "port", NULL),
	PY_STREAM("trio", "open_tcp_listeners", IN, -1, "host", 0, "port", ""),
	PY_STREAM("trio", "serve_tcp", IN, -1, "host", 1, "port", ""),
	PY_STREAM("trio", "open_ssl_over_tcp_listeners", IN, -1, "host", 0, "port", ""),
	PY_STREAM("trio", "serve_ssl_over_tcp", IN, -1, "host", 1, "port", ""),
	PY_STREAM("anyio", "connect_tcp", OUT, 0, "remote_host", 1, "remote_port", NULL),
	PY_STREAM("anyio", "create_tcp_listener", IN, -1, "local_host", -1, "local_port", ""),
	PY_STREAM("curio", "open_connection", OUT, 0, "host", 1, "port", NULL),
	PY_STREAM("curio", "tcp_server", IN, 0, "host", 1, "port", ""),
	{ "trio", NULL, "open_unix_socket", "trio.open_unix_socket", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "filename", .net_arg = -1, .proto = "unix" },
	{ "anyio", NULL, "connect_unix", "anyio.connect_unix", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "path", .net_arg = -1, .proto = "unix" },
	{ "curio", NULL, "open_unix_connection", "curio.open_unix_connection", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "path", .net_arg = -1, .proto = "unix" },

	/* servers with documented defaults */
	{ "uvicorn", NULL, "run", "uvicorn.run", IN, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "127.0.0.1", .default_port = "8000", .default_how = RES_FRAMEWORK_DEFAULT },
	/* waitress.serve(app, host=, port=): every interface, 8080, by default */
	{ "waitress", NULL, "serve", "waitress.serve", IN, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "0.0.0.0", .default_port = "8080", .default_how = RES_FRAMEWORK_DEFAULT },
	/* bottle.run(app, server, host, port): 127.0.0.1:8080 by default */
	{ "bottle", NULL, "run", "bottle.run", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 2, "host", 3, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "127.0.0.1", .default_port = "8080", .default_how = RES_FRAMEWORK_DEFAULT },
	/* hypercorn's serve(app, config): config.bind, ["127.0.0.1:8000"] by default */
	{ "hypercorn.config", NULL, "Config", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "hypercorn.Config" },
	{ "hypercorn.asyncio", NULL, "serve", "hypercorn.asyncio.serve", IN, ADDR_HOSTPORT, FROM_ARG, 1, "config", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "127.0.0.1:8000", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "hypercorn.trio", NULL, "serve", "hypercorn.trio.serve", IN, ADDR_HOSTPORT, FROM_ARG, 1, "config", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "127.0.0.1:8000", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "flask", NULL, "Flask", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "flask.Flask" },
	/* flask-socketio serves the app itself: run(app, host=None, port=None) */
	{ "flask_socketio", NULL, "SocketIO", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "flask_socketio.SocketIO" },
	{ "flask_socketio", "flask_socketio.SocketIO", "run", "flask_socketio.SocketIO.run", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 2, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "127.0.0.1", .default_port = "5000", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "flask", "flask.Flask", "run", "flask.Flask.run", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "127.0.0.1", .default_port = "5000", .default_how = RES_FRAMEWORK_DEFAULT },
	/* werkzeug's development server, as Flask's `run` command starts it */
	{ "werkzeug.serving", NULL, "run_simple", "werkzeug.serving.run_simple", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "hostname", 1, "port", .net_arg = -1, .proto = "tcp", .app = "http" },
	{ "werkzeug", NULL, "run_simple", "werkzeug.serving.run_simple", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "hostname", 1, "port", .net_arg = -1, .proto = "tcp", .app = "http" },
	/* the servers run_simple makes, and make_server(host, port, app) */
	PY_WERKZEUG_SERVER("make_server"),
	PY_WERKZEUG_SERVER("BaseWSGIServer"),
	PY_WERKZEUG_SERVER("ThreadedWSGIServer"),
	PY_WERKZEUG_SERVER("ForkingWSGIServer"),
	/* prometheus_client's exporter: start_http_server(port, addr="0.0.0.0") */
	PY_PROMETHEUS_SERVER("prometheus_client", "start_http_server"),
	PY_PROMETHEUS_SERVER("prometheus_client", "start_wsgi_server"),
	PY_PROMETHEUS_SERVER("prometheus_client.exposition", "start_http_server"),
	PY_PROMETHEUS_SERVER("prometheus_client.exposition", "start_wsgi_server"),
	/* aiohttp's runner sites: TCPSite(runner, host, port), UnixSite(runner, path) */
	{ "aiohttp.web", NULL, "TCPSite", "aiohttp.web.TCPSite", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 2, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "", .default_port = "8080", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "aiohttp.web", NULL, "UnixSite", "aiohttp.web.UnixSite", IN, ADDR_HOSTPORT, FROM_ARG, 1, "path", .net_arg = -1, .proto = "unix", .app = "http" },
	{ "aiohttp.web", NULL, "run_app", "aiohttp.web.run_app", IN, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "", .default_port = "8080", .default_how = RES_FRAMEWORK_DEFAULT },

	/*
	 * tornado: an Application, HTTPServer or TCPServer listens (or binds,
	 * then start()s) on listen(port, address=""), "" being every
	 * interface; bind_sockets(port, address) makes the sockets for one;
	 * a TCPClient connects with connect(host, port)
	 */
	{ "tornado.web", NULL, "Application", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "tornado.web.Application" },
	{ "tornado.httpserver", NULL, "HTTPServer", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "tornado.httpserver.HTTPServer" },
	{ "tornado.tcpserver", NULL, "TCPServer", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "tornado.tcpserver.TCPServer" },
	{ "tornado.tcpclient", NULL, "TCPClient", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "tornado.tcpclient.TCPClient" },
	PY_PORT_ADDR("tornado.web", "tornado.web.Application", "listen", "http"),
	PY_PORT_ADDR("tornado.httpserver", "tornado.httpserver.HTTPServer", "listen", "http"),
	PY_PORT_ADDR("tornado.httpserver", "tornado.httpserver.HTTPServer", "bind", "http"),
	PY_PORT_ADDR("tornado.tcpserver", "tornado.tcpserver.TCPServer", "listen", NULL),
	PY_PORT_ADDR("tornado.tcpserver", "tornado.tcpserver.TCPServer", "bind", NULL),
	{ "tornado.netutil", NULL, "bind_sockets", "tornado.netutil.bind_sockets", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "address", 0, "port", .net_arg = -1, .proto = "tcp", .default_addr = "", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "tornado.netutil", NULL, "bind_unix_socket", "tornado.netutil.bind_unix_socket", IN, ADDR_HOSTPORT, FROM_ARG, 0, "file", .net_arg = -1, .proto = "unix" },
	{ "tornado.tcpclient", "tornado.tcpclient.TCPClient", "connect", "tornado.tcpclient.TCPClient.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp" },
	/* IOStream(socket.socket()).connect((host, port)) */
	{ "tornado.iostream", NULL, "IOStream", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "tornado.iostream.IOStream" },
	{ "tornado.iostream", NULL, "SSLIOStream", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "tornado.iostream.IOStream" },
	{ "tornado.iostream", "tornado.iostream.IOStream", "connect", "tornado.iostream.IOStream.connect", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "address", .net_arg = -1, .proto = "tcp" },

	/*
	 * twisted: the reactor's listenTCP(port, factory, backlog,
	 * interface=""), listenSSL (interface fifth), listenUDP and
	 * listenMulticast (third), connectTCP/connectSSL(host, port, ...),
	 * and the unix ones, stream and datagram, whose first argument is
	 * the path; the services of twisted.application.internet, which hand
	 * their arguments to those calls; ClientCreator(reactor,
	 * ...).connectTCP(host, port); and the endpoints, whose first
	 * argument is the reactor (the site is the endpoint, which fixes the
	 * address: listen() and connect() take a factory). serverFromString
	 * and clientFromString, and the strports services, take a
	 * description ("tcp:8080:interface=127.0.0.1", "unix:path=/run/s")
	 * that gives the protocol as well.
	 */
	PY_TWISTED_LISTEN("twisted.internet.reactor", NULL, "twisted.internet.reactor", "listenTCP", 3, "tcp"),
	PY_TWISTED_LISTEN("twisted.internet.reactor", NULL, "twisted.internet.reactor", "listenSSL", 4, "tcp"),
	PY_TWISTED_LISTEN("twisted.internet.reactor", NULL, "twisted.internet.reactor", "listenUDP", 2, "udp"),
	PY_TWISTED_UNIX("twisted.internet.reactor", NULL, "twisted.internet.reactor", "listenUNIX", IN, 0, "address"),
	PY_TWISTED_UNIX("twisted.internet.reactor", NULL, "twisted.internet.reactor", "listenUNIXDatagram", IN, 0, "address"),
	PY_TWISTED_LISTEN("twisted.internet.reactor", NULL, "twisted.internet.reactor", "listenMulticast", 2, "udp"),
	PY_TWISTED_CONNECT("twisted.internet.reactor", NULL, "twisted.internet.reactor", "connectTCP"),
	PY_TWISTED_CONNECT("twisted.internet.reactor", NULL, "twisted.internet.reactor", "connectSSL"),
	PY_TWISTED_UNIX("twisted.internet.reactor", NULL, "twisted.internet.reactor", "connectUNIX", OUT, 0, "address"),
	PY_TWISTED_UNIX("twisted.internet.reactor", NULL, "twisted.internet.reactor", "connectUNIXDatagram", OUT, 0, "address"),
	PY_TWISTED_LISTEN("twisted.application.internet", NULL, "twisted.application.internet", "TCPServer", 3, "tcp"),
	PY_TWISTED_LISTEN("twisted.application.internet", NULL, "twisted.application.internet", "SSLServer", 4, "tcp"),
	PY_TWISTED_LISTEN("twisted.application.internet", NULL, "twisted.application.internet", "UDPServer", 2, "udp"),
	PY_TWISTED_UNIX("twisted.application.internet", NULL, "twisted.application.internet", "UNIXServer", IN, 0, "address"),
	PY_TWISTED_CONNECT("twisted.application.internet", NULL, "twisted.application.internet", "TCPClient"),
	PY_TWISTED_CONNECT("twisted.application.internet", NULL, "twisted.application.internet", "SSLClient"),
	PY_TWISTED_UNIX("twisted.application.internet", NULL, "twisted.application.internet", "UNIXClient", OUT, 0, "address"),
	{ "twisted.internet.protocol", NULL, "ClientCreator", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "twisted.internet.protocol.ClientCreator" },
	PY_TWISTED_CONNECT("twisted.internet.protocol", "twisted.internet.protocol.ClientCreator", "twisted.internet.protocol.ClientCreator", "connectTCP"),
	PY_TWISTED_CONNECT("twisted.internet.protocol", "twisted.internet.protocol.ClientCreator", "twisted.internet.protocol.ClientCreator", "connectSSL"),
	PY_TWISTED_UNIX("twisted.internet.protocol", "twisted.internet.protocol.ClientCreator", "twisted.internet.protocol.ClientCreator", "connectUNIX", OUT, 0, "address"),
	/* SRVConnector(reactor, service, domain, factory): to the host and port a DNS SRV record names */
	{ "twisted.names.srvconnect", NULL, "SRVConnector", "twisted.names.srvconnect.SRVConnector", OUT, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .proto = "tcp" },
	PY_TWISTED("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "TCP4ServerEndpoint", IN, 3, "interface", 1, "port", "", "tcp"),
	PY_TWISTED("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "TCP6ServerEndpoint", IN, 3, "interface", 1, "port", "::", "tcp"),
	PY_TWISTED("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "SSL4ServerEndpoint", IN, 4, "interface", 1, "port", "", "tcp"),
	PY_TWISTED("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "TCP4ClientEndpoint", OUT, 1, "host", 2, "port", NULL, "tcp"),
	PY_TWISTED("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "TCP6ClientEndpoint", OUT, 1, "host", 2, "port", NULL, "tcp"),
	PY_TWISTED("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "SSL4ClientEndpoint", OUT, 1, "host", 2, "port", NULL, "tcp"),
	PY_TWISTED("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "HostnameEndpoint", OUT, 1, "host", 2, "port", NULL, "tcp"),
	PY_TWISTED_UNIX("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "UNIXServerEndpoint", IN, 1, "address"),
	PY_TWISTED_UNIX("twisted.internet.endpoints", NULL, "twisted.internet.endpoints", "UNIXClientEndpoint", OUT, 1, "path"),
	PY_TWISTED_STRING("twisted.internet.endpoints", "serverFromString", IN, 1, "description"),
	PY_TWISTED_STRING("twisted.internet.endpoints", "clientFromString", OUT, 1, "description"),
	PY_TWISTED_STRING("twisted.application.strports", "service", IN, 0, "description"),
	PY_TWISTED_STRING("twisted.application.strports", "listen", IN, 0, "description"),

	/* HTTP clients */
	PY_HTTP_VERBS("requests", NULL, "requests"),
	{ "requests", NULL, "Session", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "requests.Session" },
	{ "requests", NULL, "session", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "requests.Session" },
	/* the same through the submodules that define them */
	PY_HTTP_VERBS("requests.api", NULL, "requests"),
	{ "requests.sessions", NULL, "Session", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "requests.Session" },
	/* requests-futures' session: requests' own, run on an executor */
	{ "requests_futures.sessions", NULL, "FuturesSession", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "requests.Session" },
	{ "requests.sessions", NULL, "session", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "requests.Session" },
	/* requests-oauthlib's sessions: requests.Session subclasses that sign each request */
	{ "requests_oauthlib", NULL, "OAuth2Session", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "requests.Session" },
	{ "requests_oauthlib", NULL, "OAuth1Session", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "requests.Session" },
	PY_HTTP_VERBS("requests", "requests.Session", "requests.Session"),
	/* the same verbs on a session known by its name only (py_param_named) */
	PY_HTTP_VERBS_U("requests", "named.session", "requests.Session", 1),
	/* session.send(session.prepare_request(req)): the URL is in the request */
	PY_HTTP("requests", "requests.Session", "requests.Session", "send", 0),
	/* requests.Request(method, url): a request to send, prepared, later */
	{ "requests", NULL, "Request", NULL, NONE, ADDR_URL, FROM_ARG, 1, "url", .net_arg = -1, .makes = "requests.Request" },
	PY_HTTP_VERBS("httpx", NULL, "httpx"),
	/* a client's base_url, under which its calls' paths are (relative_to_base) */
	{ "httpx", NULL, "Client", NULL, NONE, ADDR_URL, FROM_ARG, -1, "base_url", .net_arg = -1, .makes = "httpx.Client" },
	{ "httpx", NULL, "AsyncClient", NULL, NONE, ADDR_URL, FROM_ARG, -1, "base_url", .net_arg = -1, .makes = "httpx.Client" },
	PY_HTTP_VERBS("httpx", "httpx.Client", "httpx.Client"),
	{ "aiohttp", NULL, "ClientSession", NULL, NONE, ADDR_URL, FROM_ARG, 0, "base_url", .net_arg = -1, .makes = "aiohttp.ClientSession" },
	{ "aiohttp.client", NULL, "ClientSession", NULL, NONE, ADDR_URL, FROM_ARG, 0, "base_url", .net_arg = -1, .makes = "aiohttp.ClientSession" },
	PY_HTTP_VERBS("aiohttp", "aiohttp.ClientSession", "aiohttp.ClientSession"),
	/* a websocket: ws:// and wss:// are HTTP's ports */
	PY_HTTP("aiohttp", "aiohttp.ClientSession", "aiohttp.ClientSession", "ws_connect", 0),
	/* aiohttp.request(method, url): a session of its own for one request */
	PY_HTTP("aiohttp", NULL, "aiohttp", "request", 1),

	/* database and cache clients configured by keyword, with their defaults */
	{ "psycopg2", NULL, "connect", "psycopg2.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT, .local_unix = 1, .dsn_kw = "dsn" },
	/* psycopg2's pools: (minconn, maxconn, dsn or connect()'s keywords), connected at once */
	PY_PSYCOPG2_POOL("SimpleConnectionPool"),
	PY_PSYCOPG2_POOL("ThreadedConnectionPool"),
	PY_PSYCOPG2_POOL("PersistentConnectionPool"),
	{ "redis", NULL, "Redis", "redis.Redis", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "redis", .default_addr = "localhost", .default_port = "6379", .default_how = RES_FRAMEWORK_DEFAULT, .unix_kw = "unix_socket_path", .pool_kw = "connection_pool" },
	{ "redis", NULL, "StrictRedis", "redis.StrictRedis", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "redis", .default_addr = "localhost", .default_port = "6379", .default_how = RES_FRAMEWORK_DEFAULT, .unix_kw = "unix_socket_path", .pool_kw = "connection_pool" },
	{ "redis", NULL, "from_url", "redis.from_url", OUT, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },
	/* the pools that hold the address their clients connect to (pool_kw) */
	PY_REDIS_CLUSTER("redis"),
	PY_REDIS_CLUSTER("redis.cluster"),
	PY_REDIS_CLUSTER("redis.asyncio"),
	PY_REDIS_CLUSTER("redis.asyncio.cluster"),
	PY_REDIS_CLUSTER("rediscluster"),
	PY_REDIS_POOL("redis", "ConnectionPool"),
	PY_REDIS_POOL("redis", "BlockingConnectionPool"),
	PY_REDIS_POOL("redis.connection", "ConnectionPool"),
	PY_REDIS_POOL("redis.connection", "BlockingConnectionPool"),
	PY_REDIS_POOL("redis.asyncio", "ConnectionPool"),
	PY_REDIS_POOL("redis.asyncio", "BlockingConnectionPool"),
	PY_REDIS_POOL("redis.asyncio.connection", "ConnectionPool"),
	PY_REDIS_POOL("redis.asyncio.connection", "BlockingConnectionPool"),
	/* aioredis 1.x: an address (host, port) or a unix path; 2.x is redis' API */
	PY_AIOREDIS("create_redis"),
	PY_AIOREDIS("create_redis_pool"),
	PY_AIOREDIS("create_connection"),
	PY_AIOREDIS("create_pool"),
	{ "aioredis", NULL, "Redis", "aioredis.Redis", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "redis", .default_addr = "localhost", .default_port = "6379", .default_how = RES_FRAMEWORK_DEFAULT, .unix_kw = "unix_socket_path" },
	{ "aioredis", NULL, "from_url", "aioredis.from_url", OUT, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },
	/* the classmethod Redis.from_url(url), also of redis.asyncio and aioredis 2 */
	PY_URL_CLIENT("redis.Redis", "from_url", "url"),
	PY_URL_CLIENT("redis.StrictRedis", "from_url", "url"),
	PY_URL_CLIENT("redis.asyncio", "from_url", "url"),
	PY_URL_CLIENT("redis.asyncio.Redis", "from_url", "url"),
	PY_URL_CLIENT("redis.asyncio.StrictRedis", "from_url", "url"),
	PY_URL_CLIENT("aioredis", "from_url", "url"),
	PY_URL_CLIENT("aioredis.Redis", "from_url", "url"),
	PY_URL_CLIENT("aioredis.StrictRedis", "from_url", "url"),
	/*
	 * redis Sentinel([(host, port), ...]): the sentinels it asks (a
	 * one-entry list is its address); master_for()/slave_for() make a
	 * client of the server they name at run time
	 */
	PY_SENTINEL("redis.sentinel"),
	PY_SENTINEL("redis"),
	PY_SENTINEL("redis.asyncio.sentinel"),
	PY_SENTINEL("redis.asyncio"),
	PY_SENTINEL_CLIENT("master_for"),
	PY_SENTINEL_CLIENT("slave_for"),
	/* the pool of the master a Sentinel (its argument 1) names at run time */
	PY_SENTINEL_POOL("redis.sentinel"),
	PY_SENTINEL_POOL("redis.asyncio.sentinel"),
	/* host may be a URL, "host:port" or a name with the port beside it */
	{ "pymongo", NULL, "MongoClient", "pymongo.MongoClient", OUT, ADDR_URL, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "mongodb", .default_addr = "localhost", .default_port = "27017", .default_how = RES_FRAMEWORK_DEFAULT, .host_may_hold_port = 1 },
	{ "pymongo.mongo_client", NULL, "MongoClient", "pymongo.MongoClient", OUT, ADDR_URL, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "mongodb", .default_addr = "localhost", .default_port = "27017", .default_how = RES_FRAMEWORK_DEFAULT, .host_may_hold_port = 1 },
	{ "motor.motor_asyncio", NULL, "AsyncIOMotorClient", "motor.motor_asyncio.AsyncIOMotorClient", OUT, ADDR_URL, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .proto = "tcp", .app = "mongodb", .default_addr = "localhost", .default_port = "27017", .default_how = RES_FRAMEWORK_DEFAULT, .host_may_hold_port = 1 },
	/* create_engine(URL): the dialect gives the protocol; sqlite opens no socket */
	{ "sqlalchemy", NULL, "create_engine", "sqlalchemy.create_engine", OUT, ADDR_DSN, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },
	{ "sqlalchemy.engine", NULL, "create_engine", "sqlalchemy.create_engine", OUT, ADDR_DSN, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },
	{ "sqlalchemy.ext.asyncio", NULL, "create_async_engine", "sqlalchemy.ext.asyncio.create_async_engine", OUT, ADDR_DSN, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },
	PY_DB("mysql.connector", "connect", -1, -1, "3306", "mysql", "unix_socket"),
	PY_DB("pymysql", "connect", 0, -1, "3306", "mysql", "unix_socket"),
	/* pymysql.Connect and Connection: the same constructor as connect */
	PY_DB("pymysql", "Connect", 0, -1, "3306", "mysql", "unix_socket"),
	PY_DB("pymysql", "Connection", 0, -1, "3306", "mysql", "unix_socket"),
	/* MySQLdb's connect, its aliases and the C module's own */
	PY_MYSQLDB("MySQLdb", "connect"),
	PY_MYSQLDB("MySQLdb", "Connect"),
	PY_MYSQLDB("MySQLdb", "Connection"),
	PY_MYSQLDB("MySQLdb.connections", "Connection"),
	PY_MYSQLDB("MySQLdb._mysql", "connect"),
	PY_DB("pymssql", "connect", 0, -1, "1433", "sqlserver", NULL),
	{ "asyncpg", NULL, "connect", "asyncpg.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT, .dsn_kw = "dsn" },
	{ "asyncpg", NULL, "create_pool", "asyncpg.create_pool", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT, .dsn_kw = "dsn" },
	/* pg8000, PostgreSQL in pure Python: connect(user, host, database, port, ...) */
	{ "pg8000", NULL, "connect", "pg8000.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 3, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT, .unix_kw = "unix_sock" },
	{ "pg8000.dbapi", NULL, "connect", "pg8000.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 3, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT, .unix_kw = "unix_sock" },
	{ "pg8000.native", NULL, "Connection", "pg8000.native.Connection", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 3, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT, .unix_kw = "unix_sock" },
	{ "psycopg", NULL, "connect", "psycopg.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, -1, "host", -1, "port", .net_arg = -1, .proto = "tcp", .app = "postgres", .default_addr = "localhost", .default_port = "5432", .default_how = RES_PROTOCOL_DEFAULT, .local_unix = 1, .dsn_kw = "conninfo" },
	/*
	 * memcached clients: python-memcached's Client(["host:port", ...])
	 * (a one-server list is its server), pylibmc's and libmc's the same
	 * list, pymemcache's Client((host, port))
	 */
	PY_MEMCACHE_LIST("memcache"),
	PY_MEMCACHE_LIST("pylibmc"),
	PY_MEMCACHE_LIST("libmc"),
	PY_MEMCACHE_LIST("bmemcached"),
	/* pymemcache's HashClient spreads keys over a list of servers */
	{ "pymemcache.client.hash", NULL, "HashClient", "pymemcache.HashClient", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "servers", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	{ "pymemcache", NULL, "HashClient", "pymemcache.HashClient", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "servers", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	{ "pymemcache", NULL, "Client", "pymemcache.Client", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "server", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	{ "pymemcache.client.base", NULL, "Client", "pymemcache.Client", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "server", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	/* the same, and its connection pool, as pymemcache.client exports them */
	{ "pymemcache.client", NULL, "Client", "pymemcache.Client", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "server", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	{ "pymemcache.client", NULL, "PooledClient", "pymemcache.PooledClient", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "server", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	{ "pymemcache.client", NULL, "HashClient", "pymemcache.HashClient", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "servers", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	{ "pymemcache", NULL, "PooledClient", "pymemcache.PooledClient", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "server", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	{ "pymemcache.client.base", NULL, "PooledClient", "pymemcache.PooledClient", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "server", .net_arg = -1, .proto = "tcp", .app = "memcache" },
	/* pika: the parameters object carries the address */
	{ "pika", NULL, "ConnectionParameters", NULL, NONE, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .default_addr = "localhost", .default_port = "5672", .default_how = RES_PROTOCOL_DEFAULT, .makes = "pika.Parameters" },
	{ "pika", NULL, "URLParameters", NULL, NONE, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .makes = "pika.Parameters" },
	{ "pika", NULL, "BlockingConnection", "pika.BlockingConnection", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "parameters", .net_arg = -1, .proto = "tcp", .app = "amqp", .default_addr = "localhost:5672", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "pika", NULL, "SelectConnection", "pika.SelectConnection", OUT, ADDR_HOSTPORT, FROM_ARG, 0, "parameters", .net_arg = -1, .proto = "tcp", .app = "amqp", .default_addr = "localhost:5672", .default_how = RES_FRAMEWORK_DEFAULT },
	/*
	 * ldap3: the Server names the directory ("ldap://host:port", or a
	 * host and port=), the Connection given it (or that string) opens
	 * the socket
	 */
	{ "ldap3", NULL, "Server", NULL, NONE, ADDR_URL, FROM_HOST_PORT, 0, "host", 1, "port", .net_arg = -1, .default_port = "389", .default_how = RES_PROTOCOL_DEFAULT, .host_may_hold_port = 1, .makes = "ldap3.Server" },
	{ "ldap3", NULL, "Connection", "ldap3.Connection", OUT, ADDR_URL, FROM_ARG, 0, "server", .net_arg = -1, .proto = "tcp", .app = "ldap" },
	/* oslo.service's eventlet WSGI server: Server(conf, name, app, host, port) */
	{ "oslo_service.wsgi", NULL, "Server", "oslo_service.wsgi.Server", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 3, "host", 4, "port", .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = "0.0.0.0", .default_port = "0", .default_how = RES_FRAMEWORK_DEFAULT },
	/* paramiko: an SSH client's connect(hostname, port=22) */
	{ "paramiko", NULL, "SSHClient", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "paramiko.SSHClient" },
	{ "paramiko.client", NULL, "SSHClient", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "paramiko.SSHClient" },
	{ "paramiko", "paramiko.SSHClient", "connect", "paramiko.SSHClient.connect", OUT, ADDR_HOSTPORT, FROM_HOST_PORT, 0, "hostname", 1, "port", .net_arg = -1, .proto = "tcp", .app = "ssh", .default_port = "22", .default_how = RES_PROTOCOL_DEFAULT },
	/* message brokers: kombu and aio_pika take a URL, Kafka its brokers */
	PY_URL_CLIENT("kombu", "Connection", "hostname"),
	PY_URL_CLIENT("kombu", "BrokerConnection", "hostname"),
	PY_URL_CLIENT("kombu.connection", "Connection", "hostname"),
	PY_URL_CLIENT("aio_pika", "connect", "url"),
	PY_URL_CLIENT("aio_pika", "connect_robust", "url"),
	PY_KAFKA("kafka", "KafkaProducer"),
	PY_KAFKA("kafka", "KafkaConsumer"),
	PY_KAFKA("kafka", "KafkaAdminClient"),
	{ "paho.mqtt.client", NULL, "Client", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "paho.mqtt.client.Client" },
	PY_MQTT_CONNECT("connect"),
	PY_MQTT_CONNECT("connect_async"),
	PY_MQTT_HELPER("paho.mqtt.publish", "single", 4, 5),
	PY_MQTT_HELPER("paho.mqtt.publish", "multiple", 1, 2),
	PY_MQTT_HELPER("paho.mqtt.subscribe", "simple", 4, 5),
	PY_MQTT_HELPER("paho.mqtt.subscribe", "callback", 4, 5),
	PY_MQTT_ASYNC("asyncio_mqtt"),
	PY_MQTT_ASYNC("aiomqtt"),
	/*
	 * ZeroMQ: zmq.Context().socket(kind) makes the socket (py_extract.c),
	 * connect/bind take an endpoint ("tcp://host:port", "ipc://path";
	 * "inproc://" opens none), bind_to_random_port a "tcp://host" to
	 * which the kernel adds a port
	 */
	{ "zmq", NULL, "Context", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "zmq.Context" },
	{ "zmq.Context", NULL, "instance", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "zmq.Context" },
	{ "zmq.asyncio", NULL, "Context", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "zmq.Context" },
	/* the socket's own constructor, zmq.Socket(context, kind) */
	{ "zmq", NULL, "Socket", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "zmq.Socket" },
	{ "zmq.asyncio", NULL, "Socket", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "zmq.Socket" },
	{ "zmq", "zmq.Socket", "connect", "zmq.Socket.connect", OUT, ADDR_ZMQ, FROM_ARG, 0, "addr", .net_arg = -1, .proto = "tcp" },
	{ "zmq", "zmq.Socket", "bind", "zmq.Socket.bind", IN, ADDR_ZMQ, FROM_ARG, 0, "addr", .net_arg = -1, .proto = "tcp" },
	{ "zmq", "zmq.Socket", "bind_to_random_port", "zmq.Socket.bind_to_random_port", IN, ADDR_ZMQ, FROM_ARG, 0, "addr", .net_arg = -1, .proto = "tcp" },
	/* websockets */
	{ "websockets", NULL, "serve", "websockets.serve", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 2, "port", .net_arg = -1, .proto = "tcp", .app = "http" },
	{ "websockets.server", NULL, "serve", "websockets.server.serve", IN, ADDR_HOSTPORT, FROM_HOST_PORT, 1, "host", 2, "port", .net_arg = -1, .proto = "tcp", .app = "http" },
	{ "websockets", NULL, "connect", "websockets.connect", OUT, ADDR_URL, FROM_ARG, 0, "uri", .net_arg = -1, .proto = "tcp" },
	{ "websockets.client", NULL, "connect", "websockets.client.connect", OUT, ADDR_URL, FROM_ARG, 0, "uri", .net_arg = -1, .proto = "tcp" },
	/* websocket-client: the call given the URL (WebSocketApp opens it in run_forever) */
	{ "websocket", NULL, "create_connection", "websocket.create_connection", OUT, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },
	{ "websocket", NULL, "WebSocket", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "websocket.WebSocket" },
	{ "websocket", "websocket.WebSocket", "connect", "websocket.WebSocket.connect", OUT, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },
	{ "websocket", NULL, "WebSocketApp", "websocket.WebSocketApp", OUT, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .proto = "tcp" },

	{ "urllib.request", NULL, "Request", NULL, NONE, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .makes = "urllib.request.Request" },
	PY_HTTP("urllib.request", NULL, "urllib.request", "urlopen", 0),
	/* urlretrieve(url, filename): urlopen's request, the body saved to a file */
	PY_HTTP("urllib.request", NULL, "urllib.request", "urlretrieve", 0),
	{ "urllib.request", NULL, "build_opener", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib.request.OpenerDirector" },
	{ "urllib.request", NULL, "OpenerDirector", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib.request.OpenerDirector" },
	{ "urllib.request", "urllib.request.OpenerDirector", "open", "urllib.request.OpenerDirector.open", OUT, ADDR_URL, FROM_ARG, 0, "fullurl", .net_arg = -1, .proto = "tcp" },
	PY_HTTP("urllib2", NULL, "urllib2", "urlopen", 0),
	/*
	 * Python 2's urllib opened URLs itself; Python 3's has no such
	 * function, so a call of it is Python 2 code or urllib2 bound to the
	 * name urllib, which a Python-version branch does beside Python 3's
	 * import (weather-util): a request either way.
	 */
	PY_HTTP("urllib", NULL, "urllib", "urlopen", 0),
	PY_HTTP("urllib", NULL, "urllib", "urlretrieve", 0),
	/* Python 2's urllib.request: its openers are the same objects */
	{ "urllib2", NULL, "Request", NULL, NONE, ADDR_URL, FROM_ARG, 0, "url", .net_arg = -1, .makes = "urllib.request.Request" },
	{ "urllib2", NULL, "build_opener", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib.request.OpenerDirector" },
	{ "urllib2", NULL, "OpenerDirector", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib.request.OpenerDirector" },

	/* urllib3: a pool manager's calls take (method, url) */
	{ "urllib3", NULL, "PoolManager", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib3.PoolManager" },
	{ "urllib3.poolmanager", NULL, "PoolManager", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib3.PoolManager" },
	/* a ProxyManager sends the same requests through its proxy: the URL's host is reported */
	{ "urllib3", NULL, "ProxyManager", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib3.PoolManager" },
	{ "urllib3.poolmanager", NULL, "ProxyManager", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib3.PoolManager" },
	/* so does a SOCKSProxyManager, a ProxyManager subclass (selenium's socks5:// proxies) */
	{ "urllib3.contrib.socks", NULL, "SOCKSProxyManager", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "urllib3.PoolManager" },
	PY_HTTP("urllib3", "urllib3.PoolManager", "urllib3.PoolManager", "request", 1),
	PY_HTTP("urllib3", "urllib3.PoolManager", "urllib3.PoolManager", "urlopen", 1),
	PY_HTTP("urllib3", "urllib3.PoolManager", "urllib3.PoolManager", "request_encode_body", 1),
	PY_HTTP("urllib3", "urllib3.PoolManager", "urllib3.PoolManager", "request_encode_url", 1),

	/* httplib2: an Http object's request(uri, method="GET", ...) */
	{ "httplib2", NULL, "Http", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "httplib2.Http" },
	{ "httplib2", "httplib2.Http", "request", "httplib2.Http.request", OUT, ADDR_URL, FROM_ARG, 0, "uri", .net_arg = -1, .proto = "tcp" },
	{ NULL },
};

int py_family_holds(const char *family, const char *path)
{
	size_t len = strcspn(family, ".");

	return !strncmp(path, family, len) && path[len] == '/';
}

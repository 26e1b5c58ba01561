/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Splitting resolved address strings: "host:port", URLs, database DSNs,
 * gRPC targets and twisted endpoint descriptions, into host, port and the
 * protocol they imply.
 */
#ifndef SOCKSCAN_ADDR_H
#define SOCKSCAN_ADDR_H

/* A parsed address. */
struct addr {
	char *host;		/* NULL or "" when none is given */
	int port;		/* -1 when none is given or not a number */
	int port_defaulted;	/* the port comes from the scheme or driver */
	int is_unix;		/* host is a socket path */
	const char *app;	/* application protocol implied, or NULL */
	const char *bad;	/* why the port could not be read, or NULL */
};

void addr_hostport(const char *s, struct addr *a);
/* URL: the scheme gives the app protocol and the default port. */
void addr_url(const char *s, struct addr *a);
/*
 * DSN of database driver @driver (sql.Open's first argument). Returns 0
 * when the driver opens no socket (sqlite): no finding then.
 */
int addr_dsn(const char *driver, const char *s, struct addr *a);
/*
 * Does a DSN (or the text it starts with) of @driver name a server? Not
 * sqlite's: a file.
 */
int addr_dsn_is_network(const char *driver, const char *s);
/* A gRPC target or listening address: "host:port", "unix:PATH", "dns:///h:p". */
void addr_grpc(const char *s, struct addr *a);
/* Does gRPC address @s (or its known start) name a unix socket? */
int addr_grpc_is_unix(const char *s);
/*
 * ZeroMQ endpoint @s: "tcp://host:port" ("*" every interface, a port of
 * "*" or none the kernel's), "ipc://path" (a unix socket), "udp://",
 * "pgm://" and "epgm://" (UDP: *@proto "udp", else "tcp" or "unix").
 * Returns 0 for "inproc://", which opens no socket.
 */
int addr_zmq(const char *s, struct addr *a, const char **proto);
/* The transport of a ZeroMQ endpoint known to start with @prefix, or NULL. */
const char *addr_zmq_transport(const char *prefix);
/*
 * A twisted endpoint description ("tcp:8080:interface=127.0.0.1",
 * "tcp:host=h:port=p", "unix:path=/run/s"), of a listener or a client;
 * @partial: @s is only the known start of it (fields it ends are known).
 * Returns 0 for a type that is no socket twisted opens itself: a plugin's
 * ("onion:80", txtorcon's) or an inherited one ("systemd:...").
 */
int addr_twisted(const char *s, int listener, int partial, struct addr *a);
void addr_free(struct addr *a);
/* The port an app protocol ("mongodb") uses by default, or -1. */
int app_default_port(const char *app);
/* The app protocol a database driver speaks, or NULL if unknown. */
const char *driver_protocol(const char *driver);

/* Does @s, the known start of a URL, hold all of its scheme, host and port? */
int addr_url_authority_known(const char *s);

/* Does a listener's @host ("", "0.0.0.0", "::", "*"; NULL) name every interface? */
int addr_all_interfaces(const char *host);
/* Does @host carry its own port: "h:1", "[v6]:1" or a URL? */
int addr_host_has_port(const char *host);

#endif

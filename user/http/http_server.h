/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The HTTP server of `sockwatch agent`: a read-only JSON API and the
 * Prometheus endpoint, on libmicrohttpd.
 *
 * The server runs in one thread of its own (MHD's internal epoll thread),
 * so that a stalled or hostile client never blocks the event loop that
 * feeds the socket table. Handlers run in that thread: they take the
 * agent's lock around their reads and must keep their work bounded.
 *
 * Security model (see deploy/README.md):
 *  - loopback by default; a non-loopback address needs a token file or
 *    TLS (an exporter-toolkit web config, http/web_config.h). With a
 *    token, every request (but routes registered SW_HTTP_PUBLIC) must
 *    carry "Authorization: Bearer <token>", compared in constant time;
 *    with basic_auth_users, "Authorization: Basic" with a user's password
 *    (bcrypt); with both, either. TLS is GnuTLS inside libmicrohttpd,
 *    client certificates required and verified as client_auth_type says;
 *  - GET and HEAD only; request bodies are never read; headers and URL
 *    are bounded by the per-connection memory limit;
 *  - a connection limit and a per-address limit, enforced by eviction
 *    rather than refusal: when a limit is reached, the newest connection
 *    gets in and the oldest connection that has not yet sent a complete
 *    request (an idle keep-alive, a slowloris, a flood of empty
 *    connections) is shut down. A scraper sends its request as soon as it
 *    connects, so idle floods cannot keep it out: never from another
 *    address (the flood has only its own address's quota), and from the
 *    flood's own address almost never (it can be evicted in the
 *    microseconds between its connect and its request, when that quota
 *    churns). Inactive connections time out after timeout_seconds.
 */
#ifndef SW_HTTP_SERVER_H
#define SW_HTTP_SERVER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "lib/json_writer.h"

#define SW_HTTP_DEFAULT_LISTEN		"127.0.0.1:9178"
#define SW_HTTP_DEFAULT_MAX_CONN	64	/* as [http] in config.h */
#define SW_HTTP_DEFAULT_PER_IP		16
#define SW_HTTP_DEFAULT_TIMEOUT		10	/* seconds of inactivity */
#define SW_HTTP_DEFAULT_MEMORY		(32 * 1024)	/* per connection */
#define SW_HTTP_MAX_ROUTES		32

struct sw_http;
struct MHD_Connection;

/* One request as handlers see it. Valid during the handler call only. */
struct sw_http_req {
	const char *method;		/* "GET" or "HEAD" */
	const char *path;		/* URL path, without the query */
	const struct sockaddr *peer;	/* client address */
	struct MHD_Connection *conn;	/* for sw_http_query*() */
	/* In-process requests (conn NULL, e.g. sockwatch top): the query,
	 * "k=v&k=v" without percent-encoding; NULL for none. */
	const char *query;
};

/*
 * The response a handler fills in. The server sets status 200, the JSON
 * content type and an empty json writer before the call. A handler
 * writes its body with resp->json (the usual case), or hands over a
 * malloc'ed body of another type with sw_http_resp_take().
 */
struct sw_http_resp {
	unsigned int status;
	const char  *content_type;	/* static string */
	struct sw_json json;		/* the body, unless body is set */
	char        *body;		/* owned; see sw_http_resp_take() */
	size_t       body_len;
};

/*
 * A handler. Returns 0 when resp is the answer (any status), or -1 for
 * an internal error, answered 500 {"error": "internal error"}.
 */
typedef int (*sw_http_handler)(const struct sw_http_req *req,
			       struct sw_http_resp *resp, void *ctx);

/* Route flags */
#define SW_HTTP_PUBLIC	0x1	/* served without a token (health probes) */

struct sw_http_route {
	const char     *path;	/* exact match, e.g. "/metrics" */
	sw_http_handler fn;
	void           *ctx;
	unsigned int    flags;	/* SW_HTTP_* */
};

/* Start options; zero values take the defaults above. */
struct sw_http_opts {
	const char  *listen;		/* "ADDR:PORT", "[ADDR6]:PORT" */
	const char  *token_file;	/* NULL: no auth (loopback only) */
	const char  *web_config;	/* exporter-toolkit file: TLS, basic auth */
	unsigned int max_connections;
	unsigned int per_ip_connections;
	unsigned int timeout_seconds;
	size_t       memory_limit;	/* bytes per connection */
	const struct sw_http_route *routes;	/* optional, {NULL} ends */
};

/* Counters of the server, for the agent's metrics and status. */
struct sw_http_stats {
	uint64_t requests;		/* requests answered */
	uint64_t unauthorized;		/* of those, 401 */
	uint64_t client_errors;		/* of those, other 4xx */
	uint64_t server_errors;		/* of those, 5xx */
	uint64_t accepted;		/* connections accepted */
	uint64_t evicted;		/* idle connections shut to make room */
	uint64_t refused;		/* connections refused: all busy */
	uint64_t open;			/* connections open now */
};

/*
 * Start serving. Returns NULL with a one-line reason in err when the
 * address does not parse, is not loopback and no token file is given,
 * the token file is unusable, or the socket cannot be bound.
 */
struct sw_http *sw_http_start(const struct sw_http_opts *o, char *err,
			      size_t errlen);
/* Stop serving: close every connection, join the thread. NULL is fine. */
void sw_http_stop(struct sw_http *h);

/* Add or replace a route; safe while serving. 0, or -1 when full. */
int sw_http_route(struct sw_http *h, const char *path, sw_http_handler fn,
		  void *ctx, unsigned int flags);

/* The port bound (useful after listening on port 0). */
unsigned int sw_http_port(const struct sw_http *h);
/* Read the token file again (SIGHUP); on error the old token stays. */
int sw_http_reload_token(struct sw_http *h, char *err, size_t errlen);
/*
 * Read the web config again (SIGHUP). New users take effect at once; new
 * TLS material restarts the server on the same listening socket (open
 * connections are closed). On error the old configuration stays.
 */
int sw_http_reload_web(struct sw_http *h, char *err, size_t errlen);
/* Whether the server speaks TLS. */
bool sw_http_tls(const struct sw_http *h);
void sw_http_get_stats(struct sw_http *h, struct sw_http_stats *s);
struct sw_prom;
/* The stats as sockwatch_http_* metric families, for the /metrics handler. */
void sw_http_write_metrics(struct sw_http *h, struct sw_prom *p);

/* A query parameter (URL-decoded), NULL if absent; "" for "?key". */
const char *sw_http_query(const struct sw_http_req *req, const char *key);
/*
 * Call fn for every query parameter, in order; stops at and returns the
 * first non-zero value fn returns. value is NULL for "?key".
 */
int sw_http_query_each(const struct sw_http_req *req,
		       int (*fn)(void *ctx, const char *key, const char *value),
		       void *ctx);

/* Hand a malloc'ed body over to the response (it frees it). */
void sw_http_resp_take(struct sw_http_resp *resp, char *body, size_t len,
		       const char *content_type);
/* Answer status with {"error": "<message>"}; returns 0 for handlers. */
int sw_http_resp_error(struct sw_http_resp *resp, unsigned int status,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Parse "ADDR:PORT" or "[ADDR6]:PORT" (literal addresses only) into ss.
 * Returns 0, or -1 with a reason in err.
 */
/* The port of an AF_INET or AF_INET6 address, host order. */
uint16_t sw_sockaddr_port(const struct sockaddr_storage *ss);
int sw_http_parse_listen(const char *s, struct sockaddr_storage *ss,
			 socklen_t *len, char *err, size_t errlen);
/* 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
bool sw_http_is_loopback(const struct sockaddr *sa);

#endif /* SW_HTTP_SERVER_H */

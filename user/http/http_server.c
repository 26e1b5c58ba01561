// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * HTTP server on libmicrohttpd: routing, token auth, connection policy.
 * See http_server.h for the model.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include "http/auth.h"
#include "http/http_server.h"
#include "http/web_config.h"
#include "lib/portrange.h"
#include "lib/prom.h"
#include "lib/quote.h"
#include "table/decode.h"

/*
 * How far MHD's own limits sit above ours. Our accept policy evicts by
 * shutdown(2), and MHD closes the evicted connection only on its next
 * loop iteration, while it accepts a short series of new connections per
 * iteration; the slack keeps MHD from refusing a newcomer meanwhile.
 */
#define SW_HTTP_SLACK	64

#define SW_JSON_TYPE	"application/json"

/*
 * One open connection, MHD's socket context. Every connection is on one
 * list, oldest state change first; a connection moves to the tail when it
 * starts or finishes a request, so the first idle one met from the head
 * is the one that has been idle longest: the eviction victim.
 */
struct sw_conn {
	struct sw_conn *prev, *next;
	struct sockaddr_storage peer;
	int  fd;
	bool busy;	/* a request is being answered */
	bool evicted;	/* shut down by us; MHD will close it soon */
};

/* The server. lock guards routes, token, web, conns and stats. */
struct sw_http {
	struct MHD_Daemon *mhd;
	int listen_fd;		/* the daemon's; a restart takes a dup */
	int family;
	unsigned int timeout;
	size_t memory;
	unsigned int port;
	unsigned int max_conn;
	unsigned int per_ip;
	pthread_mutex_t lock;

	struct sw_http_route routes[SW_HTTP_MAX_ROUTES];
	char *route_paths[SW_HTTP_MAX_ROUTES];	/* owned copies */
	size_t nroutes;

	char *token_file;	/* NULL: no auth */
	char *token;

	char *web_file;		/* NULL: no web config */
	struct sw_web_config *web;	/* the one in force (PEMs used by mhd) */

	struct sw_conn *head, *tail;
	unsigned int live;	/* connections not evicted */
	struct sw_http_stats stats;
};

/* ---- addresses ------------------------------------------------------ */

bool sw_http_is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in6 *s6;
	const struct sockaddr_in *s4;

	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)sa;
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family != AF_INET6)
		return false;
	s6 = (const struct sockaddr_in6 *)sa;
	if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
		return true;
	return sw_addr_is_loopback(AF_INET6, s6->sin6_addr.s6_addr);
}

uint16_t sw_sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

int sw_http_parse_listen(const char *s, struct sockaddr_storage *ss,
			 socklen_t *len, char *err, size_t errlen)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN + 2], q[SW_QUOTE_LEN], why[SW_PORT_WHY_LEN];
	const char *colon, *hs = s;
	size_t hlen;
	__u16 port;

	memset(ss, 0, sizeof(*ss));
	colon = strrchr(s, ':');
	if (!colon)
		goto bad;
	hlen = colon - s;
	if (*s == '[') {
		/* [v6]:port */
		if (hlen < 2 || s[hlen - 1] != ']')
			goto bad;
		hs = s + 1;
		hlen -= 2;
	}
	/* port 0: the kernel picks one (tests listen so) */
	if (hlen == 0 || hlen >= sizeof(host) ||
	    sw_port_parse(colon + 1, true, &port, why))
		goto bad;
	memcpy(host, hs, hlen);
	host[hlen] = '\0';
	if (hs == s && inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 0;
	}
	if (hs != s && inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 0;
	}
bad:
	snprintf(err, errlen,
		 "invalid listen address %s: want IPv4:PORT or [IPv6]:PORT with a literal address",
		 sw_quote(q, sizeof(q), s));
	return -1;
}

/* Same client? Ports differ between connections, so compare hosts only. */
static bool same_host(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)b)->sin6_addr,
			      16) == 0;
	return false;
}

/* ---- connection policy (all in MHD's thread, under h->lock) --------- */

static void conn_unlink(struct sw_http *h, struct sw_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		h->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		h->tail = c->prev;
	c->prev = c->next = NULL;
}

static void conn_append(struct sw_http *h, struct sw_conn *c)
{
	c->prev = h->tail;
	c->next = NULL;
	if (h->tail)
		h->tail->next = c;
	else
		h->head = c;
	h->tail = c;
}

/*
 * Shut the connection down; MHD sees EOF and closes it on its next
 * iteration. shutdown(2), not close(2): the descriptor stays MHD's, so
 * there is no race with its reuse. Only ever called in MHD's thread, on
 * a connection MHD has not reported closed, so the fd is still that one.
 */
static void conn_evict(struct sw_http *h, struct sw_conn *c)
{
	shutdown(c->fd, SHUT_RDWR);
	c->evicted = true;
	h->live--;
	h->stats.evicted++;
}

/*
 * Whether a complete request head is waiting, unread, in the socket. A
 * scraper sends its request as it connects, but MHD reads it only on a
 * later loop iteration, after it may have accepted (and made room for) a
 * burst of newer connections; such a connection is about to become busy
 * and must not be taken for an idle one. 2 KiB covers a scraper's request;
 * a slowloris or an empty flood connection never has "\r\n\r\n".
 */
static bool request_pending(int fd)
{
	char buf[2048];
	ssize_t n;

	n = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
	return n > 0 && memmem(buf, n, "\r\n\r\n", 4);
}

/*
 * The connection to shut down to make room: the oldest idle one of host
 * (of anyone if host is NULL) with no request pending; failing that, if
 * own_quota, the oldest busy one of host. NULL if there is none.
 */
static struct sw_conn *victim(struct sw_http *h,
			      const struct sockaddr_storage *host,
			      bool own_quota)
{
	struct sw_conn *c, *busy = NULL;

	for (c = h->head; c; c = c->next) {
		if (c->evicted || (host && !same_host(&c->peer, host)))
			continue;
		if (c->busy) {
			if (!busy)
				busy = c;
			continue;
		}
		if (!request_pending(c->fd))
			return c;
	}
	return own_quota ? busy : NULL;
}

static unsigned int host_count(struct sw_http *h,
			       const struct sockaddr_storage *host)
{
	unsigned int n = 0;
	struct sw_conn *c;

	for (c = h->head; c; c = c->next)
		if (!c->evicted && same_host(&c->peer, host))
			n++;
	return n;
}

/*
 * MHD's accept policy: make room for the newcomer. A host at its limit
 * loses its own oldest idle connection, or its oldest busy one if none is
 * idle (its quota, its choice). A full server loses the oldest idle
 * connection of anyone. When there is nothing to shut down, the newcomer
 * is refused. The list is at most max_conn + slack long, so the linear
 * walks are cheap next to an accept(2).
 */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr,
				 socklen_t addrlen)
{
	struct sockaddr_storage peer = { 0 };
	struct sw_http *h = cls;
	enum MHD_Result ok = MHD_YES;
	struct sw_conn *v;

	memcpy(&peer, addr, addrlen < sizeof(peer) ? addrlen : sizeof(peer));
	pthread_mutex_lock(&h->lock);
	if (host_count(h, &peer) >= h->per_ip) {
		v = victim(h, &peer, true);
		if (v)
			conn_evict(h, v);
		else
			ok = MHD_NO;
	}
	if (ok == MHD_YES && h->live >= h->max_conn) {
		v = victim(h, NULL, false);
		if (v)
			conn_evict(h, v);
		else
			ok = MHD_NO;
	}
	if (ok == MHD_NO)
		h->stats.refused++;
	pthread_mutex_unlock(&h->lock);
	return ok;
}

/*
 * client_auth_type on a new TLS session, before its handshake: GnuTLS
 * then refuses the handshake itself when a required certificate is
 * missing or does not verify against client_ca_file. Under h->lock.
 * (The session exists before the handshake: MHD creates it on accept.)
 */
static void tls_client_policy(struct sw_http *h, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	gnutls_session_t s;

	if (!h->web || !h->web->tls || h->web->client_auth == SW_CLIENT_NONE)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return;
	s = ci->tls_session;
	switch (h->web->client_auth) {
	case SW_CLIENT_REQUEST:
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
		break;
	case SW_CLIENT_REQUIRE_ANY:
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
		break;
	case SW_CLIENT_VERIFY_IF_GIVEN:
		/* GnuTLS's own check fails a session without a certificate:
		 * a given one is verified per request (cert_refused) */
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
		break;
	default:
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
		gnutls_session_set_verify_cert(s, NULL, 0);
		break;
	}
}

static void on_connection(void *cls, struct MHD_Connection *conn,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo *ci;
	struct sw_http *h = cls;
	struct sw_conn *c = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (!c)
			return;
		pthread_mutex_lock(&h->lock);
		conn_unlink(h, c);
		if (!c->evicted)
			h->live--;
		h->stats.open--;
		pthread_mutex_unlock(&h->lock);
		free(c);
		*socket_context = NULL;
		return;
	}
	/* untracked when out of memory: never evicted, still limited by MHD */
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	c->fd = ci ? ci->connect_fd : -1;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr)
		memcpy(&c->peer, ci->client_addr,
		       ci->client_addr->sa_family == AF_INET6 ?
		       sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	if (c->fd < 0) {
		free(c);
		return;
	}
	pthread_mutex_lock(&h->lock);
	tls_client_policy(h, conn);
	conn_append(h, c);
	h->live++;
	h->stats.open++;
	h->stats.accepted++;
	pthread_mutex_unlock(&h->lock);
	*socket_context = c;
}

static struct sw_conn *conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Busy connections are not evicted for room; idle ones move to the tail. */
static void conn_set_busy(struct sw_http *h, struct MHD_Connection *conn,
			  bool busy)
{
	struct sw_conn *c = conn_of(conn);

	if (!c)
		return;
	pthread_mutex_lock(&h->lock);
	c->busy = busy;
	conn_unlink(h, c);
	conn_append(h, c);
	pthread_mutex_unlock(&h->lock);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **req_cls, enum MHD_RequestTerminationCode toe)
{
	conn_set_busy(cls, conn, false);
	*req_cls = NULL;
}

/* ---- requests and responses ----------------------------------------- */

const char *sw_http_query(const struct sw_http_req *req, const char *key)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   key);
}

/* Adapter from MHD's iterator to ours: MHD stops on MHD_NO. */
struct each_ctx {
	int (*fn)(void *ctx, const char *key, const char *value);
	void *ctx;
	int ret;
};

static enum MHD_Result each_one(void *cls, enum MHD_ValueKind kind,
				const char *key, const char *value)
{
	struct each_ctx *e = cls;

	e->ret = e->fn(e->ctx, key, value);
	return e->ret ? MHD_NO : MHD_YES;
}

/* An in-process request's query string, split in place on a copy. */
static int each_local(const char *query,
		      int (*fn)(void *ctx, const char *key, const char *value),
		      void *ctx)
{
	char *buf, *save = NULL, *kv, *eq;
	int ret = 0;

	if (!query)
		return 0;
	buf = strdup(query);
	if (!buf)
		return fn(ctx, "", NULL);	/* refused as a bad parameter */
	for (kv = strtok_r(buf, "&", &save); kv && !ret; kv = strtok_r(NULL, "&", &save)) {
		eq = strchr(kv, '=');
		if (eq)
			*eq++ = '\0';
		ret = fn(ctx, kv, eq);
	}
	free(buf);
	return ret;
}

int sw_http_query_each(const struct sw_http_req *req,
		       int (*fn)(void *ctx, const char *key, const char *value),
		       void *ctx)
{
	struct each_ctx e = { .fn = fn, .ctx = ctx, .ret = 0 };

	if (!req->conn)
		return each_local(req->query, fn, ctx);

	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, each_one,
				  &e);
	return e.ret;
}

void sw_http_resp_take(struct sw_http_resp *resp, char *body, size_t len,
		       const char *content_type)
{
	free(resp->body);
	resp->body = body;
	resp->body_len = len;
	resp->content_type = content_type;
}

int sw_http_resp_error(struct sw_http_resp *resp, unsigned int status,
		       const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	free(resp->body);
	resp->body = NULL;
	resp->body_len = 0;
	resp->status = status;
	resp->content_type = SW_JSON_TYPE;
	sw_json_reset(&resp->json);
	sw_json_obj_begin(&resp->json);
	sw_json_kstr(&resp->json, "error", msg);
	sw_json_obj_end(&resp->json);
	return 0;
}

static void resp_init(struct sw_http_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
	resp->content_type = SW_JSON_TYPE;
	sw_json_init(&resp->json);
}

/* Find path; copies the route so that the lock is not held meanwhile. */
static bool route_find(struct sw_http *h, const char *path,
		       struct sw_http_route *out)
{
	bool found = false;
	size_t i;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->nroutes; i++) {
		if (strcmp(h->routes[i].path, path) == 0) {
			*out = h->routes[i];
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&h->lock);
	return found;
}

/* VerifyClientCertIfGiven: a certificate given that does not verify. */
static bool cert_refused(struct sw_http *h, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	unsigned int status = 0;
	bool check;

	pthread_mutex_lock(&h->lock);
	check = h->web && h->web->tls && h->web->client_auth == SW_CLIENT_VERIFY_IF_GIVEN;
	pthread_mutex_unlock(&h->lock);
	if (!check)
		return false;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session ||
	    !gnutls_certificate_get_peers(ci->tls_session, &(unsigned int){ 0 }))
		return false;
	return gnutls_certificate_verify_peers2(ci->tls_session, &status) || status;
}

static bool authorized(struct sw_http *h, struct MHD_Connection *conn)
{
	const char *hdr;
	bool ok;

	hdr = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					  MHD_HTTP_HEADER_AUTHORIZATION);
	/* a bcrypt under the lock: MHD serves from one thread anyway */
	pthread_mutex_lock(&h->lock);
	if (!h->token && !(h->web && h->web->nusers))
		ok = true;
	else
		ok = (h->token && sw_auth_check_header(hdr, h->token)) ||
		     (h->web && sw_web_check_basic(h->web, hdr));
	pthread_mutex_unlock(&h->lock);
	return ok;
}

static void count_status(struct sw_http *h, unsigned int status)
{
	pthread_mutex_lock(&h->lock);
	h->stats.requests++;
	if (status == 401)
		h->stats.unauthorized++;
	else if (status >= 400 && status < 500)
		h->stats.client_errors++;
	else if (status >= 500)
		h->stats.server_errors++;
	pthread_mutex_unlock(&h->lock);
}

static enum MHD_Result send_resp(struct sw_http *h,
				 struct MHD_Connection *conn,
				 struct sw_http_resp *r)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;
	char *body = r->body;
	size_t len = r->body_len;

	if (!body) {
		if (r->json.out.oom)
			sw_http_resp_error(r, 500, "out of memory");
		/* steal the writer's buffer: no copy of a large body */
		body = sw_strbuf_steal(&r->json.out, &len);
		sw_json_free(&r->json);
	}
	r->body = NULL;
	if (body)
		mr = MHD_create_response_from_buffer(len, body,
						     MHD_RESPMEM_MUST_FREE);
	else
		mr = MHD_create_response_from_buffer(0, "",
						     MHD_RESPMEM_PERSISTENT);
	if (!mr) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->content_type);
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	if (r->status == 401 && h->token)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"sockwatch\"");
	if (r->status == 401 && h->web && h->web->nusers)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Basic realm=\"sockwatch\"");
	if (r->status == 405)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, r->status, mr);
	MHD_destroy_response(mr);
	count_status(h, r->status);
	return ret;
}

/* Auth, routing and method checks, then the handler. */
static void dispatch(struct sw_http *h, struct sw_http_req *req,
		     struct sw_http_resp *resp)
{
	struct sw_http_route rt;
	bool found = route_find(h, req->path, &rt);

	if (cert_refused(h, req->conn)) {
		sw_http_resp_error(resp, 403, "client certificate not trusted");
		return;
	}
	/* auth first: without a token, nothing about the server leaks */
	if (!(found && (rt.flags & SW_HTTP_PUBLIC)) &&
	    !authorized(h, req->conn)) {
		sw_http_resp_error(resp, 401, "missing or invalid %s",
				   h->web && h->web->nusers ?
				   (h->token ? "bearer token or basic auth credentials" :
				    "basic auth credentials") : "bearer token");
		return;
	}
	if (!found) {
		sw_http_resp_error(resp, 404, "no such endpoint");
		return;
	}
	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		sw_http_resp_error(resp, 405, "method %s not allowed: use GET",
				   req->method);
		return;
	}
	if (rt.fn(req, resp, rt.ctx) < 0)
		sw_http_resp_error(resp, 500, "internal error");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	const union MHD_ConnectionInfo *ci;
	struct sw_http_resp resp;
	struct sw_http_req req;
	struct sw_http *h = cls;
	enum MHD_Result ret;

	/* a body after our answer was queued: never read, just dropped */
	if (*req_cls) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	*req_cls = h;
	conn_set_busy(h, conn, true);
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	req.method = method;
	req.path = url;
	req.peer = ci ? ci->client_addr : NULL;
	req.conn = conn;
	resp_init(&resp);
	dispatch(h, &req, &resp);
	ret = send_resp(h, conn, &resp);
	free(resp.body);
	sw_json_free(&resp.json);
	return ret;
}

/* ---- start, stop, routes -------------------------------------------- */

int sw_http_route(struct sw_http *h, const char *path, sw_http_handler fn,
		  void *ctx, unsigned int flags)
{
	char *copy;
	size_t i;
	int ret = -1;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->nroutes; i++)
		if (strcmp(h->routes[i].path, path) == 0)
			break;
	if (i == SW_HTTP_MAX_ROUTES)
		goto out;
	if (i == h->nroutes) {
		copy = strdup(path);
		if (!copy)
			goto out;
		h->route_paths[i] = copy;
		h->routes[i].path = copy;
		h->nroutes++;
	}
	h->routes[i].fn = fn;
	h->routes[i].ctx = ctx;
	h->routes[i].flags = flags;
	ret = 0;
out:
	pthread_mutex_unlock(&h->lock);
	return ret;
}

unsigned int sw_http_port(const struct sw_http *h)
{
	return h->port;
}

int sw_http_reload_token(struct sw_http *h, char *err, size_t errlen)
{
	char *tok, *old;

	if (!h->token_file)
		return 0;
	if (sw_auth_load_token(h->token_file, &tok, err, errlen))
		return -1;
	pthread_mutex_lock(&h->lock);
	old = h->token;
	h->token = tok;
	pthread_mutex_unlock(&h->lock);
	explicit_bzero(old, strlen(old));
	free(old);
	return 0;
}

void sw_http_get_stats(struct sw_http *h, struct sw_http_stats *s)
{
	pthread_mutex_lock(&h->lock);
	*s = h->stats;
	pthread_mutex_unlock(&h->lock);
}

void sw_http_write_metrics(struct sw_http *h, struct sw_prom *p)
{
	struct sw_http_stats s;

	sw_http_get_stats(h, &s);
	sw_prom_family(p, "sockwatch_http_requests_total", SW_PROM_COUNTER,
		       "HTTP requests answered, by outcome.");
	sw_prom_u64(p, SW_PROM_LABELS({ "outcome", "ok" }), s.requests -
		    s.unauthorized - s.client_errors - s.server_errors);
	sw_prom_u64(p, SW_PROM_LABELS({ "outcome", "unauthorized" }),
		    s.unauthorized);
	sw_prom_u64(p, SW_PROM_LABELS({ "outcome", "client_error" }),
		    s.client_errors);
	sw_prom_u64(p, SW_PROM_LABELS({ "outcome", "server_error" }),
		    s.server_errors);
	sw_prom_family(p, "sockwatch_http_connections_total", SW_PROM_COUNTER,
		       "HTTP connections: accepted, evicted to make room, refused.");
	sw_prom_u64(p, SW_PROM_LABELS({ "event", "accepted" }), s.accepted);
	sw_prom_u64(p, SW_PROM_LABELS({ "event", "evicted" }), s.evicted);
	sw_prom_u64(p, SW_PROM_LABELS({ "event", "refused" }), s.refused);
	sw_prom_family(p, "sockwatch_http_connections", SW_PROM_GAUGE,
		       "HTTP connections open now.");
	sw_prom_u64(p, NULL, 0, s.open);
}

static int listen_socket(const struct sockaddr_storage *ss, socklen_t len,
			 const char *text, char *err, size_t errlen)
{
	int one = 1, fd;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		snprintf(err, errlen, "listen %s: socket: %s", text,
			 strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* [::] means both families; anything else exactly that address */
	if (ss->ss_family == AF_INET6) {
		int v6only = !IN6_IS_ADDR_UNSPECIFIED(
			&((const struct sockaddr_in6 *)ss)->sin6_addr);

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
			   sizeof(v6only));
	}
	if (bind(fd, (const struct sockaddr *)ss, len) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		snprintf(err, errlen, "listen %s: %s", text, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void web_free(struct sw_web_config *w)
{
	if (!w)
		return;
	sw_web_config_free(w);
	explicit_bzero(w, sizeof(*w));
	free(w);
}

static struct sw_web_config *web_read(const char *file, char *err, size_t errlen)
{
	struct sw_web_config *w = calloc(1, sizeof(*w));

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (sw_web_config_load(file, w, err, errlen)) {
		free(w);
		return NULL;
	}
	return w;
}

static int load_web(struct sw_http *h, const char *file, char *err, size_t errlen)
{
	h->web_file = strdup(file);
	if (!h->web_file) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->web = web_read(file, err, errlen);
	if (h->web && h->web->tls && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
		snprintf(err, errlen, "%s: TLS asked for, but this libmicrohttpd is built without it", file);
		return -1;
	}
	return h->web ? 0 : -1;
}

static int setup(struct sw_http *h, const struct sw_http_opts *o,
		 struct sockaddr_storage *ss, socklen_t *sslen, char *err,
		 size_t errlen)
{
	const char *listen = o->listen ? o->listen : SW_HTTP_DEFAULT_LISTEN;
	const struct sw_http_route *r;

	if (sw_http_parse_listen(listen, ss, sslen, err, errlen))
		return -1;
	if (o->web_config && load_web(h, o->web_config, err, errlen))
		return -1;
	if (!o->token_file && !(h->web && h->web->tls) &&
	    !sw_http_is_loopback((struct sockaddr *)ss)) {
		snprintf(err, errlen,
			 "refusing to listen on non-loopback address %s without TLS or a token file (set [http] web_config or token_file, or --web-config or --token-file)",
			 listen);
		return -1;
	}
	if (o->token_file) {
		h->token_file = strdup(o->token_file);
		if (!h->token_file) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (sw_auth_load_token(h->token_file, &h->token, err, errlen))
			return -1;
	}
	for (r = o->routes; r && r->path; r++) {
		if (sw_http_route(h, r->path, r->fn, r->ctx, r->flags)) {
			snprintf(err, errlen, "too many routes");
			return -1;
		}
	}
	return 0;
}

/*
 * One MHD daemon on the listening socket fd, plain or TLS as web says.
 * The PEM buffers must outlive the daemon.
 */
static struct MHD_Daemon *start_mhd(struct sw_http *h, int fd,
				    const struct sw_web_config *web)
{
	/* ITC, not shutdown(2), to wake the thread: the listening socket
	 * may be shared with the daemon that replaces this one */
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			     MHD_USE_ITC;
	bool tls = web && web->tls;
	struct MHD_OptionItem t[] = {
		{ tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, tls ? web->cert_pem : NULL },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, tls ? web->key_pem : NULL },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0, tls ? (void *)web->priorities : NULL },
		{ tls && web->ca_pem ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0,
		  tls ? web->ca_pem : NULL },
		{ MHD_OPTION_END, 0, NULL },
	};

	if (h->family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (tls)
		flags |= MHD_USE_TLS;
	return MHD_start_daemon(flags, 0, on_accept, h, on_request, h,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, h->max_conn + SW_HTTP_SLACK,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, h->per_ip + SW_HTTP_SLACK,
		MHD_OPTION_CONNECTION_TIMEOUT, h->timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, h->memory,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
		MHD_OPTION_ARRAY, t,
		MHD_OPTION_END);
}

static bool same_pem(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_tls(const struct sw_web_config *a, const struct sw_web_config *b)
{
	bool ta = a && a->tls, tb = b && b->tls;

	if (!ta || !tb)
		return ta == tb;
	return same_pem(a->cert_pem, b->cert_pem) && same_pem(a->key_pem, b->key_pem) &&
	       same_pem(a->ca_pem, b->ca_pem) && a->client_auth == b->client_auth &&
	       !strcmp(a->priorities, b->priorities);
}

int sw_http_reload_web(struct sw_http *h, char *err, size_t errlen)
{
	struct sw_web_config *nw, *old;
	struct MHD_Daemon *nd = NULL, *od = NULL;
	int fd = -1;

	if (!h || !h->web_file)
		return 0;
	nw = web_read(h->web_file, err, errlen);
	if (!nw)
		return -1;
	if (!nw->tls && !h->token_file && h->web->tls) {
		snprintf(err, errlen, "%s: TLS cannot be turned off while serving without a token", h->web_file);
		web_free(nw);
		return -1;
	}
	if (!same_tls(h->web, nw)) {
		/* a second daemon on a dup of the socket, then the old one goes */
		fd = fcntl(h->listen_fd, F_DUPFD_CLOEXEC, 0);
		nd = fd >= 0 ? start_mhd(h, fd, nw) : NULL;
		if (!nd) {
			snprintf(err, errlen, "%s: cannot restart the HTTP server with the new TLS settings", h->web_file);
			if (fd >= 0)
				close(fd);
			web_free(nw);
			return -1;
		}
	}
	pthread_mutex_lock(&h->lock);
	old = h->web;
	h->web = nw;
	if (nd) {
		od = h->mhd;
		h->mhd = nd;
		h->listen_fd = fd;
	}
	pthread_mutex_unlock(&h->lock);
	if (od) {
		/* quiesced: stops accepting and leaves the socket alone */
		fd = MHD_quiesce_daemon(od);
		MHD_stop_daemon(od);
		if (fd >= 0)
			close(fd);
	}
	web_free(old);
	return 0;
}

bool sw_http_tls(const struct sw_http *h)
{
	return h && h->web && h->web->tls;
}

struct sw_http *sw_http_start(const struct sw_http_opts *o, char *err,
			      size_t errlen)
{
	const union MHD_DaemonInfo *di;
	const char *listen = o->listen ? o->listen : SW_HTTP_DEFAULT_LISTEN;
	struct sockaddr_storage ss;
	unsigned int timeout;
	struct sw_http *h;
	socklen_t sslen;
	size_t mem;
	int fd;

	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	h->max_conn = o->max_connections ? o->max_connections :
			SW_HTTP_DEFAULT_MAX_CONN;
	h->per_ip = o->per_ip_connections ? o->per_ip_connections :
		      SW_HTTP_DEFAULT_PER_IP;
	timeout = o->timeout_seconds ? o->timeout_seconds :
		  SW_HTTP_DEFAULT_TIMEOUT;
	mem = o->memory_limit ? o->memory_limit : SW_HTTP_DEFAULT_MEMORY;
	if (setup(h, o, &ss, &sslen, err, errlen))
		goto fail;
	fd = listen_socket(&ss, sslen, listen, err, errlen);
	if (fd < 0)
		goto fail;

	h->family = ss.ss_family;
	h->timeout = timeout;
	h->memory = mem;
	h->listen_fd = fd;
	h->mhd = start_mhd(h, fd, h->web);
	if (!h->mhd) {
		snprintf(err, errlen, "listen %s: cannot start the HTTP server",
			 listen);
		close(fd);
		goto fail;
	}
	di = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	h->port = di ? di->port : 0;
	if (!h->port) {
		struct sockaddr_storage b;
		socklen_t bl = sizeof(b);

		if (getsockname(fd, (struct sockaddr *)&b, &bl) == 0)
			h->port = ntohs(((struct sockaddr_in *)&b)->sin_port);
	}
	return h;
fail:
	sw_http_stop(h);
	return NULL;
}

void sw_http_stop(struct sw_http *h)
{
	size_t i;

	if (!h)
		return;
	/* closes the listen socket and every connection, joins the thread */
	if (h->mhd)
		MHD_stop_daemon(h->mhd);
	for (i = 0; i < h->nroutes; i++)
		free(h->route_paths[i]);
	if (h->token) {
		explicit_bzero(h->token, strlen(h->token));
		free(h->token);
	}
	free(h->token_file);
	web_free(h->web);
	free(h->web_file);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * HTTP server: routing, error bodies, query filters, token auth, start-up
 * refusals, request size limits, and a scrape that must get through a
 * flood of idle connections and a slowloris. Real sockets on loopback;
 * the client is a few lines of plain socket code (test code only).
 *
 * `test_http --serve PORT` runs the same minimal server until SIGTERM,
 * for tests/e2e/test_http_abuse.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "http/auth.h"
#include "http/http_query.h"
#include "http/http_server.h"
#include "lib/prom.h"

/* ---- a minimal client ------------------------------------------------ */

/* One parsed reply. */
struct reply {
	int status;		/* 0: no reply (connection closed, timeout) */
	char head[4096];	/* status line and headers */
	char *body;
	size_t body_len;
	double seconds;		/* connect to last byte */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Connect to 127.0.0.1:port from source address src (NULL: any). */
static int dial(const char *src, unsigned int port, bool nonblock)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);

	if (fd < 0)
		return -1;
	if (src) {
		inet_pton(AF_INET, src, &a.sin_addr);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			goto fail;
	}
	a.sin_port = htons(port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 &&
	    errno != EINPROGRESS)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static void reply_free(struct reply *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* Send raw (whole request), read to EOF, parse. Times out after 5 s. */
static int exchange_from(const char *src, unsigned int port, const char *raw,
			 size_t rawlen, struct reply *r)
{
	struct timeval tv = { .tv_sec = 5 };
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1), *sep;
	double t0 = now_s();
	ssize_t n;
	int fd;

	memset(r, 0, sizeof(*r));
	fd = dial(src, port, false);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/* a server may answer and close before all of a big request is sent */
	send(fd, raw, rawlen, MSG_NOSIGNAL);
	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	r->seconds = now_s() - t0;
	if (sscanf(buf, "HTTP/1.%*d %d", &r->status) != 1)
		r->status = 0;
	sep = strstr(buf, "\r\n\r\n");
	if (sep) {
		size_t hl = sep - buf;

		if (hl >= sizeof(r->head))
			hl = sizeof(r->head) - 1;
		memcpy(r->head, buf, hl);
		r->body_len = len - (sep + 4 - buf);
		r->body = malloc(r->body_len + 1);
		memcpy(r->body, sep + 4, r->body_len);
		r->body[r->body_len] = '\0';
	}
	free(buf);
	return r->status ? 0 : -1;
}

/* method path with optional extra header lines ("Name: v\r\n"). */
static int request_from(const char *src, unsigned int port,
			const char *method, const char *path,
			const char *extra, struct reply *r)
{
	char *raw;
	int n, ret;

	n = asprintf(&raw,
		     "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s\r\n",
		     method, path, extra ? extra : "");
	assert_true(n > 0);
	ret = exchange_from(src, port, raw, n, r);
	free(raw);
	return ret;
}

static int request(unsigned int port, const char *method, const char *path,
		   const char *extra, struct reply *r)
{
	return request_from(NULL, port, method, path, extra, r);
}

/* A header's value in the reply (case-insensitive name), or NULL. */
static const char *header_of(const struct reply *r, const char *name,
			     char *out, size_t outlen)
{
	const char *p = r->head;
	size_t n = strlen(name);

	while ((p = strstr(p, "\r\n"))) {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e;

			while (*v == ' ')
				v++;
			e = strstr(v, "\r\n");
			if (!e)
				e = v + strlen(v);
			snprintf(out, outlen, "%.*s", (int)(e - v), v);
			return out;
		}
	}
	return NULL;
}

/* The "error" string of a JSON error body (checked to be one). */
static void assert_json_error(const struct reply *r, const char *needle)
{
	json_error_t je;
	json_t *root = json_loadb(r->body, r->body_len, 0, &je);
	const char *msg;

	assert_non_null(root);
	assert_true(json_is_object(root));
	msg = json_string_value(json_object_get(root, "error"));
	assert_non_null(msg);
	if (needle && !strstr(msg, needle))
		fail_msg("error '%s' does not contain '%s'", msg, needle);
	json_decref(root);
}

/* GET path with an optional bearer token; the status must be want. */
static void expect_status(unsigned int port, const char *path,
			  const char *token, int want)
{
	char auth[256] = "";
	struct reply r;

	if (token)
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n",
			 token);
	assert_int_equal(request(port, "GET", path, auth, &r), 0);
	if (r.status != want)
		fail_msg("GET %s (token %s): status %d, want %d", path,
			 token ? token : "none", r.status, want);
	reply_free(&r);
}

/* ---- the server under test ------------------------------------------- */

static int h_metrics(const struct sw_http_req *req, struct sw_http_resp *resp,
		     void *ctx)
{
	struct sw_prom p;
	size_t len;
	char *body;

	sw_prom_init(&p);
	sw_prom_family(&p, "sockwatch_test_up", SW_PROM_GAUGE, "Test.");
	sw_prom_u64(&p, NULL, 0, 1);
	if (ctx)
		sw_http_write_metrics(ctx, &p);
	if (sw_prom_error(&p))
		fail_msg("metrics: %s", sw_prom_error(&p));
	body = sw_prom_steal(&p, &len);
	if (!body)
		return -1;
	sw_http_resp_take(resp, body, len, SW_PROM_CONTENT_TYPE);
	return 0;
}

/* Echo the parsed filter back, so that tests can see what was parsed. */
static int h_sockets(const struct sw_http_req *req, struct sw_http_resp *resp,
		     void *ctx)
{
	struct sw_query q;
	char err[256];

	if (sw_query_parse(req, SW_Q_ALL, &q, err, sizeof(err)))
		return sw_http_resp_error(resp, 400, "%s", err);
	sw_json_obj_begin(&resp->json);
	sw_json_kuint(&resp->json, "has", q.has);
	sw_json_kuint(&resp->json, "pid", q.pid);
	sw_json_kstr(&resp->json, "comm", q.comm);
	sw_json_kuint(&resp->json, "port", q.port);
	sw_json_kuint(&resp->json, "state", q.state);
	sw_json_kuint(&resp->json, "proto", q.proto);
	sw_json_kstr(&resp->json, "protection", q.protection);
	sw_json_kuint(&resp->json, "limit", q.limit);
	sw_json_obj_end(&resp->json);
	return 0;
}

static int h_health(const struct sw_http_req *req, struct sw_http_resp *resp,
		    void *ctx)
{
	sw_json_obj_begin(&resp->json);
	sw_json_kstr(&resp->json, "status", "ok");
	sw_json_obj_end(&resp->json);
	return 0;
}

static int h_fail(const struct sw_http_req *req, struct sw_http_resp *resp,
		  void *ctx)
{
	sw_json_str(&resp->json, "half-written");
	return -1;
}

static const struct sw_http_route routes[] = {
	{ "/metrics", h_metrics, NULL, 0 },
	{ "/api/v1/sockets", h_sockets, NULL, 0 },
	{ "/healthz", h_health, NULL, SW_HTTP_PUBLIC },
	{ "/api/v1/fail", h_fail, NULL, 0 },
	{ NULL },
};

static struct sw_http *start(const char *token_file, unsigned int timeout)
{
	struct sw_http_opts o = {
		.listen = "127.0.0.1:0",
		.token_file = token_file,
		.timeout_seconds = timeout,
		.routes = routes,
	};
	char err[256] = "";
	struct sw_http *h = sw_http_start(&o, err, sizeof(err));

	if (!h)
		fail_msg("start: %s", err);
	assert_true(sw_http_port(h) > 0);
	return h;
}

static int setup(void **state)
{
	struct sw_http *h = start(NULL, 0);

	/* /metrics again, now with the server's own counters */
	assert_int_equal(sw_http_route(h, "/metrics", h_metrics, h, 0), 0);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	sw_http_stop(*state);
	return 0;
}

/* ---- tests ----------------------------------------------------------- */

static void test_metrics_route(void **state)
{
	unsigned int port = sw_http_port(*state);
	struct reply r;
	char v[256];

	assert_int_equal(request(port, "GET", "/metrics", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(header_of(&r, "Content-Type", v, sizeof(v)),
			    "text/plain; version=0.0.4; charset=utf-8");
	assert_non_null(strstr(r.body, "sockwatch_test_up 1\n"));
	assert_non_null(strstr(r.body, "sockwatch_http_connections_total{event=\"accepted\"} "));
	assert_non_null(strstr(r.body, "sockwatch_http_connections 1\n"));
	reply_free(&r);

	/* HEAD: same headers, no body */
	assert_int_equal(request(port, "HEAD", "/metrics", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
	reply_free(&r);
}

static void test_404_405_500(void **state)
{
	unsigned int port = sw_http_port(*state);
	struct reply r;
	char v[64];

	assert_int_equal(request(port, "GET", "/nope", NULL, &r), 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(header_of(&r, "Content-Type", v, sizeof(v)),
			    "application/json");
	assert_json_error(&r, NULL);
	reply_free(&r);

	assert_int_equal(request(port, "POST", "/metrics",
				 "Content-Length: 5\r\n", &r), 0);
	assert_int_equal(r.status, 405);
	assert_string_equal(header_of(&r, "Allow", v, sizeof(v)), "GET, HEAD");
	assert_json_error(&r, "POST");
	reply_free(&r);

	assert_int_equal(request(port, "DELETE", "/api/v1/sockets", NULL, &r), 0);
	assert_int_equal(r.status, 405);
	reply_free(&r);

	assert_int_equal(request(port, "GET", "/api/v1/fail", NULL, &r), 0);
	assert_int_equal(r.status, 500);
	assert_json_error(&r, "internal");
	reply_free(&r);
}

static void expect_400(unsigned int port, const char *path, const char *needle)
{
	struct reply r;

	assert_int_equal(request(port, "GET", path, NULL, &r), 0);
	if (r.status != 400)
		fail_msg("%s: status %d, want 400", path, r.status);
	assert_json_error(&r, needle);
	reply_free(&r);
}

static void test_query_filters(void **state)
{
	unsigned int port = sw_http_port(*state);
	json_error_t je;
	struct reply r;
	json_t *root;

	expect_400(port, "/api/v1/sockets?bogus=1", "unknown query parameter");
	expect_400(port, "/api/v1/sockets?pid=abc", "pid");
	expect_400(port, "/api/v1/sockets?pid=-1", "pid");
	expect_400(port, "/api/v1/sockets?pid=", "pid");
	expect_400(port, "/api/v1/sockets?pid", "pid");
	expect_400(port, "/api/v1/sockets?pid=99999999999999999999999", "pid");
	expect_400(port, "/api/v1/sockets?port=65536", "port");
	expect_400(port, "/api/v1/sockets?port=1x", "port");
	expect_400(port, "/api/v1/sockets?state=BOGUS", "state");
	expect_400(port, "/api/v1/sockets?state=NONE", "state");
	expect_400(port, "/api/v1/sockets?proto=sctp", "proto");
	expect_400(port, "/api/v1/sockets?limit=0", "limit");
	expect_400(port, "/api/v1/sockets?limit=-5", "limit");
	expect_400(port, "/api/v1/sockets?comm=0123456789abcdefg", "comm");
	expect_400(port, "/api/v1/sockets?protection=Bad%20One", "protection");
	expect_400(port, "/api/v1/sockets?pid=1&pid=2", "twice");
	expect_400(port, "/api/v1/sockets?unit=a%0Ab", "unit");
	expect_400(port, "/api/v1/sockets?container=", "container");
	expect_400(port, "/api/v1/sockets?pod_uid=../x", "pod_uid");

	assert_int_equal(request(port, "GET",
		"/api/v1/sockets?pid=42&comm=nginx&port=65535&state=established&proto=udp&protection=none&limit=10"
		"&unit=nginx.service&container=0123456789ab&pod_uid=8f3c2a1e-5b6d-4c7e-9f80-1a2b3c4d5e6f",
		NULL, &r), 0);
	assert_int_equal(r.status, 200);
	root = json_loadb(r.body, r.body_len, 0, &je);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "has")), SW_Q_ALL);
	assert_int_equal(json_integer_value(json_object_get(root, "pid")), 42);
	assert_string_equal(json_string_value(json_object_get(root, "comm")), "nginx");
	assert_int_equal(json_integer_value(json_object_get(root, "port")), 65535);
	assert_int_equal(json_integer_value(json_object_get(root, "state")),
			 SW_TCP_ESTABLISHED);
	assert_int_equal(json_integer_value(json_object_get(root, "proto")), 17);
	assert_string_equal(json_string_value(json_object_get(root, "protection")), "none");
	assert_int_equal(json_integer_value(json_object_get(root, "limit")), 10);
	json_decref(root);
	reply_free(&r);
}

static void test_query_allowed_mask(void **state)
{
	struct sw_query q = { 0 };
	char err[128];

	assert_int_equal(sw_query_set(&q, SW_Q_LIMIT, "limit", "5", err,
				      sizeof(err)), 0);
	assert_int_equal(q.limit, 5);
	/* known, but not accepted by this endpoint */
	assert_int_equal(sw_query_set(&q, SW_Q_LIMIT, "pid", "5", err,
				      sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown query parameter 'pid'"));
	assert_int_equal(sw_query_set(&q, SW_Q_ALL, "port", "0", err,
				      sizeof(err)), 0);
	assert_int_equal(sw_query_set(&q, SW_Q_ALL, "state", "LISTEN", err,
				      sizeof(err)), 0);
	assert_int_equal(q.state, SW_TCP_LISTEN);
}

static void test_oversized_request(void **state)
{
	unsigned int port = sw_http_port(*state);
	size_t n = 64 * 1024;
	char *path = malloc(n + 1), *hdr = malloc(n + 32);
	struct reply r;

	/* a URL larger than the per-connection memory */
	path[0] = '/';
	memset(path + 1, 'a', n - 1);
	path[n] = '\0';
	request(port, "GET", path, NULL, &r);
	if (r.status != 413 && r.status != 414 && r.status != 431)
		fail_msg("64 KiB URL: status %d", r.status);
	reply_free(&r);

	/* the same in a header */
	snprintf(hdr, n + 32, "X-Big: %s\r\n", path + 1);
	request(port, "GET", "/metrics", hdr, &r);
	if (r.status != 413 && r.status != 414 && r.status != 431)
		fail_msg("64 KiB header: status %d", r.status);
	reply_free(&r);
	free(path);
	free(hdr);

	/* and the server still answers */
	expect_status(port, "/healthz", NULL, 200);
}

/* ---- auth ------------------------------------------------------------ */

static void test_constant_time_equal(void **state)
{
	assert_true(sw_auth_equal("secret", 6, "secret"));
	assert_false(sw_auth_equal("secreT", 6, "secret"));
	assert_false(sw_auth_equal("secret", 5, "secret"));
	assert_false(sw_auth_equal("secretx", 7, "secret"));
	assert_false(sw_auth_equal("", 0, "secret"));
	assert_false(sw_auth_equal("", 0, ""));	/* empty never matches */
	/* n bounds the read: "secretXYZ" with n = 6 is "secret" */
	assert_true(sw_auth_equal("secretXYZ", 6, "secret"));

	assert_true(sw_auth_check_header("Bearer secret", "secret"));
	assert_true(sw_auth_check_header("bearer   secret  ", "secret"));
	assert_false(sw_auth_check_header("Bearersecret", "secret"));
	assert_false(sw_auth_check_header("Basic secret", "secret"));
	assert_false(sw_auth_check_header("Bearer wrong", "secret"));
	assert_false(sw_auth_check_header(NULL, "secret"));
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_token_file_policy(void **state)
{
	char dir[] = "/tmp/sw-token-XXXXXX", path[64], err[256];
	char *tok;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/token", dir);

	write_file(path, "  s3cr3t-token \nsecond line\n", 0600);
	assert_int_equal(sw_auth_load_token(path, &tok, err, sizeof(err)), 0);
	assert_string_equal(tok, "s3cr3t-token");
	free(tok);

	write_file(path, "s3cr3t\n", 0644);
	assert_int_equal(sw_auth_load_token(path, &tok, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "other users"));

	write_file(path, "s3cr3t\n", 0640);	/* group may read */
	assert_int_equal(sw_auth_load_token(path, &tok, err, sizeof(err)), 0);
	free(tok);

	write_file(path, "   \nsecond\n", 0600);
	assert_int_equal(sw_auth_load_token(path, &tok, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));

	write_file(path, "with space\n", 0600);
	assert_int_equal(sw_auth_load_token(path, &tok, err, sizeof(err)), -1);

	unlink(path);
	assert_int_equal(sw_auth_load_token(path, &tok, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	rmdir(dir);
}

static void test_token_auth(void **state)
{
	char dir[] = "/tmp/sw-token-XXXXXX", path[64], v[128], err[256];
	struct sw_http *h;
	unsigned int port;
	struct reply r;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/token", dir);
	write_file(path, "good-token\n", 0600);
	h = start(path, 0);
	port = sw_http_port(h);

	assert_int_equal(request(port, "GET", "/metrics", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	assert_non_null(header_of(&r, "WWW-Authenticate", v, sizeof(v)));
	assert_non_null(strstr(v, "Bearer"));
	assert_json_error(&r, "token");
	reply_free(&r);

	expect_status(port, "/metrics", "bad-token", 401);
	/* unknown paths are 401 too: nothing is revealed without the token */
	expect_status(port, "/secret-path", NULL, 401);
	expect_status(port, "/metrics", "good-token", 200);
	/* public routes (health probes) need none */
	expect_status(port, "/healthz", NULL, 200);

	/* reload (SIGHUP): the new token replaces the old one */
	write_file(path, "new-token\n", 0600);
	assert_int_equal(sw_http_reload_token(h, err, sizeof(err)), 0);
	expect_status(port, "/metrics", "good-token", 401);
	expect_status(port, "/metrics", "new-token", 200);
	/* a broken file on reload keeps the working token */
	write_file(path, "new-token\n", 0644);
	assert_int_equal(sw_http_reload_token(h, err, sizeof(err)), -1);
	expect_status(port, "/metrics", "new-token", 200);

	sw_http_stop(h);
	unlink(path);
	rmdir(dir);
}

/* ---- start-up -------------------------------------------------------- */

static void expect_refused(const char *listen, const char *token_file,
			   const char *needle)
{
	struct sw_http_opts o = { .listen = listen, .token_file = token_file };
	char err[256] = "";
	struct sw_http *h = sw_http_start(&o, err, sizeof(err));

	if (h) {
		sw_http_stop(h);
		fail_msg("%s: started, want refusal", listen);
	}
	if (!strstr(err, needle))
		fail_msg("%s: error '%s' lacks '%s'", listen, err, needle);
	assert_null(strchr(err, '\n'));		/* one line */
}

static void test_start_refusals(void **state)
{
	expect_refused("0.0.0.0:0", NULL, "token file");
	expect_refused("[::]:0", NULL, "token file");
	expect_refused("192.0.2.1:9178", NULL, "non-loopback");
	expect_refused("localhost:9178", NULL, "literal");
	expect_refused("127.0.0.1", NULL, "invalid listen address");
	expect_refused("127.0.0.1:65536", NULL, "invalid listen address");
	expect_refused("[::1:9178", NULL, "invalid listen address");
	expect_refused("127.0.0.1:0", "/nonexistent/token", "/nonexistent/token");
}

static void test_listen_parse(void **state)
{
	struct sockaddr_storage ss;
	char err[256];
	socklen_t len;

	assert_int_equal(sw_http_parse_listen("127.0.0.2:9178", &ss, &len, err,
					      sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_true(sw_http_is_loopback((struct sockaddr *)&ss));
	assert_int_equal(sw_http_parse_listen("[::1]:9178", &ss, &len, err,
					      sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 9178);
	assert_true(sw_http_is_loopback((struct sockaddr *)&ss));
	assert_int_equal(sw_http_parse_listen("[::ffff:127.0.0.1]:1", &ss, &len,
					      err, sizeof(err)), 0);
	assert_true(sw_http_is_loopback((struct sockaddr *)&ss));
	assert_int_equal(sw_http_parse_listen("10.0.0.1:1", &ss, &len, err,
					      sizeof(err)), 0);
	assert_false(sw_http_is_loopback((struct sockaddr *)&ss));
	assert_int_equal(sw_http_parse_listen("::1:9178", &ss, &len, err,
					      sizeof(err)), -1);
}

static void test_ipv6_loopback(void **state)
{
	struct sw_http_opts o = { .listen = "[::1]:0", .routes = routes };
	char err[256] = "";
	struct sw_http *h = sw_http_start(&o, err, sizeof(err));
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	char buf[512] = "";
	int fd;

	if (!h && strstr(err, "Cannot assign")) {
		skip();		/* no IPv6 on this machine */
		return;
	}
	if (!h)
		fail_msg("[::1]:0: %s", err);
	a.sin6_port = htons(sw_http_port(h));
	a.sin6_addr = in6addr_loopback;
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	dprintf(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
	assert_non_null(strstr(buf, " 200 "));
	close(fd);
	sw_http_stop(h);
}

/* ---- abuse ------------------------------------------------------------ */

#define FLOOD_CONNS	2000
#define SLOWLORIS	100
#define ABUSE_SECONDS	6

/*
 * The attacker: FLOOD_CONNS idle connections plus SLOWLORIS connections
 * that send a header byte every 200 ms and never finish, all from
 * 127.0.0.1 and each reopened as soon as the server drops it, for
 * ABUSE_SECONDS. One thread, one poll set: bounded in count and time.
 */
/* What a slowloris client trickles: a request that never ends. */
static const char slow_head[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ";

struct abuse {
	unsigned int port;
	volatile bool stop;
	unsigned long reconnects;
	unsigned long connect_failures;
};

static void *abuse_main(void *arg)
{
	struct abuse *a = arg;
	const int n = FLOOD_CONNS + SLOWLORIS;
	struct pollfd *pf = calloc(n, sizeof(*pf));
	size_t *sent = calloc(n, sizeof(*sent));	/* slowloris progress */
	double next_trickle = 0, end = now_s() + ABUSE_SECONDS;
	char buf[4096];
	int i;

	for (i = 0; i < n; i++) {
		pf[i].fd = dial(NULL, a->port, true);
		pf[i].events = POLLIN;
		if (pf[i].fd < 0)
			a->connect_failures++;
	}
	while (!a->stop && now_s() < end) {
		poll(pf, n, 50);
		for (i = 0; i < n; i++) {
			if (pf[i].fd >= 0 && !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			/* dropped by the server (or never connected): reopen */
			if (pf[i].fd >= 0 && recv(pf[i].fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				continue;
			if (pf[i].fd >= 0)
				close(pf[i].fd);
			pf[i].fd = dial(NULL, a->port, true);
			pf[i].revents = 0;
			sent[i] = 0;
			a->reconnects++;
		}
		if (now_s() < next_trickle)
			continue;
		next_trickle = now_s() + 0.2;
		for (i = FLOOD_CONNS; i < n; i++) {
			if (pf[i].fd < 0)
				continue;
			/* the request line and a header, one byte at a time */
			if (send(pf[i].fd, sent[i] < sizeof(slow_head) - 1 ?
				 slow_head + sent[i] : "a", 1,
				 MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
				sent[i]++;
		}
	}
	for (i = 0; i < n; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	free(pf);
	free(sent);
	return NULL;
}

static void raise_nofile(rlim_t want)
{
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

static void test_scrape_under_abuse(void **state)
{
	struct sw_http *h = start(NULL, 0);
	struct abuse a = { .port = sw_http_port(h) };
	const char *srcs[] = { NULL, "127.0.0.2" };
	double worst = 0, t_end;
	struct sw_http_stats st;
	int ok = 0, tries = 0, own_ok = 0, own_tries = 0, other_ok = 0;
	pthread_t th;

	raise_nofile(8192);
	assert_int_equal(pthread_create(&th, NULL, abuse_main, &a), 0);
	usleep(1000 * 1000);	/* let the flood fill the server */
	t_end = now_s() + ABUSE_SECONDS - 2;
	/* at least 40 scrapes, however slow the machine (a sanitized build on
	 * a loaded one managed 6 in the time), so that the one scrape in about
	 * 60 that is evicted between its connect and its request cannot decide
	 * the 90 % alone: the deadline is a minute on */
	while (now_s() < t_end || (tries < 40 && now_s() < t_end + 60)) {
		struct reply r;

		/* the scraper shares 127.0.0.1 with the attacker, then not */
		const char *src = srcs[tries % 2];

		request_from(src, a.port, "GET", "/metrics", NULL, &r);
		tries++;
		own_tries += !src;
		if (r.status == 200 && strstr(r.body, "sockwatch_test_up 1")) {
			ok++;
			own_ok += !src;
			other_ok += !!src;
		} else
			print_message("scrape %d from %s: status %d after %.3f s\n",
				      tries, src ? src : "127.0.0.1",
				      r.status, r.seconds);
		if (r.seconds > worst)
			worst = r.seconds;
		reply_free(&r);
		usleep(100 * 1000);
	}
	a.stop = true;
	pthread_join(th, NULL);
	sw_http_get_stats(h, &st);
	print_message("abuse: %d/%d scrapes ok, slowest %.3f s; %lu reconnects; server: %lu accepted, %lu evicted, %lu refused\n",
		      ok, tries, worst, a.reconnects, (unsigned long)st.accepted,
		      (unsigned long)st.evicted, (unsigned long)st.refused);
	assert_true(tries >= 10);
	/*
	 * From another address every scrape gets in: the flood has only its
	 * own address's quota. From the flood's address, a scrape can rarely
	 * be evicted between its connect and its request while that quota
	 * churns tens of thousands of times a second (see http_server.h).
	 */
	assert_int_equal(other_ok, tries - own_tries);
	assert_true(own_ok * 10 >= own_tries * 9);
	assert_true(worst < 2.0);
	/* the flood did reach the server and was cut down */
	assert_true(st.accepted > FLOOD_CONNS / 2);
	assert_true(st.evicted > 0);
	sw_http_stop(h);
}

/* ---- --serve mode ---------------------------------------------------- */

static volatile sig_atomic_t quit;

static void on_term(int sig)
{
	quit = 1;
}

static int serve(const char *listen, const char *token_file)
{
	struct sw_http_opts o = {
		.listen = listen,
		.token_file = token_file,
		.routes = routes,
	};
	struct sw_http_stats st;
	char err[256];
	struct sw_http *h;

	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	raise_nofile(8192);
	h = sw_http_start(&o, err, sizeof(err));
	if (!h) {
		fprintf(stderr, "test_http: %s\n", err);
		return 1;
	}
	sw_http_route(h, "/metrics", h_metrics, h, 0);
	printf("listening on port %u\n", sw_http_port(h));
	fflush(stdout);
	while (!quit)
		pause();
	sw_http_get_stats(h, &st);
	printf("accepted %lu evicted %lu refused %lu requests %lu\n",
	       (unsigned long)st.accepted, (unsigned long)st.evicted,
	       (unsigned long)st.refused, (unsigned long)st.requests);
	sw_http_stop(h);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_metrics_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_404_405_500, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_filters, setup, teardown),
		cmocka_unit_test(test_query_allowed_mask),
		cmocka_unit_test_setup_teardown(test_oversized_request, setup, teardown),
		cmocka_unit_test(test_constant_time_equal),
		cmocka_unit_test(test_token_file_policy),
		cmocka_unit_test(test_token_auth),
		cmocka_unit_test(test_start_refusals),
		cmocka_unit_test(test_listen_parse),
		cmocka_unit_test(test_ipv6_loopback),
		cmocka_unit_test(test_scrape_under_abuse),
	};

	if (argc >= 3 && strcmp(argv[1], "--serve") == 0)
		return serve(argv[2], argc >= 4 ? argv[3] : NULL);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

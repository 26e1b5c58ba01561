// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch top: the API documents, in-process or over HTTP. See
 * top_source.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>
#include "agent/agent.h"
#include "http/auth.h"
#include "lib/quote.h"
#include "lib/strbuf.h"
#include "top/top_source.h"

#define STEP_MS		100	/* standalone: the agent's own poll interval */
#define HTTP_TIMEOUT_S	10L
#define TOP_RING_KB	4096	/* unless the config file says otherwise */
#define TOP_RECONCILE_IDLE_NS	(60ULL * 1000000000ULL)

struct top_source {
	struct sw_agent *agent;		/* standalone; NULL when remote */
	CURL *curl;			/* remote: one handle, kept alive */
	struct curl_slist *headers;	/* remote: the Authorization header */
	char *url;			/* remote: without a trailing '/' */
	struct sw_strbuf body;
};

struct top_source *top_source_local(const char *config, bool verbose,
				    char *err, size_t errlen)
{
	struct top_source *s = calloc(1, sizeof(*s));
	struct sw_agent_opts o = {
		.config_path = config,
		/* the screen shows suspects; alert lines would only scribble */
		.alerts_path = "/dev/null",
		.no_http = true,
		.verbose = verbose,
		/* a view for minutes, not a daemon: room for bursts, as trace */
		.ring_buffer_kb = TOP_RING_KB,
		/*
		 * The engine's cost is top's (issue 16: at most 5 % of a
		 * core with 100,000 sockets): the table is only wrong after
		 * dropped records, so without drops it is compared with the
		 * kernel once a minute; the header's health status
		 * leaves out the checks that read every process's fds and
		 * DNS (`sockwatch health` and the agent run them); and only
		 * process keys are tracked, the only detectors the screen
		 * shows (their alerts would go to /dev/null anyway).
		 */
		.reconcile_idle_ns = TOP_RECONCILE_IDLE_NS,
		.cheap_health = true,
		.detector_kinds = 1u << SW_KEY_PROCESS,
	};

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->agent = sw_agent_open(&o);
	if (!s->agent) {
		/* sw_agent_open said why on stderr */
		snprintf(err, errlen, "could not start the in-process agent");
		free(s);
		return NULL;
	}
	return s;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct sw_strbuf *b = ctx;

	sw_strbuf_put(b, data, size * n);
	return b->oom ? 0 : size * n;
}

/* The first line of a secret file as a curl option (token, password). */
static int secret_opt(CURL *c, CURLoption opt, const char *fmt,
		      const char *path, struct curl_slist **hdrs,
		      char *err, size_t errlen)
{
	char *secret = NULL, *line = NULL;
	int rc = -1;

	if (sw_auth_load_token(path, &secret, err, errlen))
		return -1;
	if (asprintf(&line, fmt, secret) < 0) {
		line = NULL;
		snprintf(err, errlen, "out of memory");
	} else if (hdrs) {
		*hdrs = curl_slist_append(NULL, line);
		rc = *hdrs ? 0 : -1;
	} else {
		rc = curl_easy_setopt(c, opt, line) == CURLE_OK ? 0 : -1;
	}
	if (rc && line)
		snprintf(err, errlen, "out of memory");
	if (line)
		explicit_bzero(line, strlen(line));
	explicit_bzero(secret, strlen(secret));
	free(line);
	free(secret);
	return rc;
}

struct top_source *top_source_remote(const struct top_remote *r,
				     char *err, size_t errlen)
{
	struct top_source *s = calloc(1, sizeof(*s));
	size_t len;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (strncmp(r->url, "http://", 7) && strncmp(r->url, "https://", 8)) {
		snprintf(err, errlen, "--agent: expected http://HOST:PORT or https://HOST:PORT, got '%.64s'",
			 r->url);
		goto fail;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	s->url = strdup(r->url);
	s->curl = curl_easy_init();
	if (!s->url || !s->curl) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	len = strlen(s->url);
	while (len && s->url[len - 1] == '/')
		s->url[--len] = '\0';
	if (r->token_file &&
	    secret_opt(s->curl, 0, "Authorization: Bearer %s", r->token_file,
		       &s->headers, err, errlen))
		goto fail;
	if (r->basic_auth_file &&
	    secret_opt(s->curl, CURLOPT_USERPWD, "%s", r->basic_auth_file, NULL,
		       err, errlen))
		goto fail;
	curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, &s->body);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT, HTTP_TIMEOUT_S);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (s->headers)
		curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, s->headers);
	if (r->cacert)
		curl_easy_setopt(s->curl, CURLOPT_CAINFO, r->cacert);
	if (r->cert)
		curl_easy_setopt(s->curl, CURLOPT_SSLCERT, r->cert);
	if (r->key)
		curl_easy_setopt(s->curl, CURLOPT_SSLKEY, r->key);
	return s;
fail:
	top_source_free(s);
	return NULL;
}

void top_source_free(struct top_source *s)
{
	if (!s)
		return;
	sw_agent_close(s->agent);
	if (s->curl)
		curl_easy_cleanup(s->curl);
	curl_slist_free_all(s->headers);
	free(s->url);
	sw_strbuf_free(&s->body);
	free(s);
}

/* The agent's {"error": "..."} if the body has one. */
static const char *error_of(json_t *doc)
{
	return json_string_value(json_object_get(doc, "error"));
}

static json_t *parse(const char *text, size_t len, long status,
		     const char *path, char *err, size_t errlen)
{
	json_error_t je;
	char quoted[256];
	json_t *doc = json_loadb(text ? text : "", len, 0, &je);

	if (status == 200 && doc)
		return doc;
	if (status != 200)
		snprintf(err, errlen, "%s: the agent answered %ld%s%s", path, status,
			 error_of(doc) ? ": " : "", error_of(doc) ?: "");
	else
		snprintf(err, errlen, "%s: not JSON: %s", path,
			 sw_quote(quoted, sizeof(quoted), je.text));
	json_decref(doc);
	return NULL;
}

static json_t *get_local(struct top_source *s, const char *path,
			 const char *query, char *err, size_t errlen)
{
	struct sw_json j;
	unsigned int status;
	json_t *doc;

	sw_json_init(&j);
	status = sw_agent_api_get(s->agent, path, query, &j);
	doc = parse(j.out.buf, j.out.len, status, path, err, errlen);
	sw_json_free(&j);
	return doc;
}

static json_t *get_remote(struct top_source *s, const char *path,
			  const char *query, char *err, size_t errlen)
{
	char *url = NULL;
	long status = 0;
	CURLcode rc;

	if (asprintf(&url, "%s%s%s%s", s->url, path, query ? "?" : "",
		     query ?: "") < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sw_strbuf_clear(&s->body);
	curl_easy_setopt(s->curl, CURLOPT_URL, url);
	rc = curl_easy_perform(s->curl);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(rc));
		free(url);
		return NULL;
	}
	free(url);
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
	return parse(s->body.buf, s->body.len, status, path, err, errlen);
}

json_t *top_source_get(struct top_source *s, const char *path,
		       const char *query, char *err, size_t errlen)
{
	return s->agent ? get_local(s, path, query, err, errlen) :
			  get_remote(s, path, query, err, errlen);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* 1 when fd (-1: none) is readable now or within timeout_ms, 0 if not
 * (a signal included), -1 on another error. */
static int fd_ready(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, fd >= 0, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -1;
	return n > 0;
}

int top_source_wait(struct top_source *s, int timeout_ms, int fd,
		    char *err, size_t errlen)
{
	long long until = mono_ms() + timeout_ms;
	long long left;

	if (!s->agent) {
		if (fd_ready(fd, timeout_ms) >= 0)
			return 0;
		snprintf(err, errlen, "waiting: %s", strerror(errno));
		return -1;
	}
	/* the engine drains its ring buffer at least every STEP_MS */
	while ((left = until - mono_ms()) > 0) {
		if (sw_agent_step(s->agent, left < STEP_MS ? (int)left : STEP_MS)) {
			snprintf(err, errlen, "the in-process agent stopped");
			return -1;
		}
		if (fd_ready(fd, 0))
			return 0;
	}
	return 0;
}

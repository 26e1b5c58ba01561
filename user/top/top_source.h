/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sockwatch top: where the API documents come from. Either the agent's
 * engine in-process (its own programs, owned-only mode, no HTTP server:
 * the handlers are called directly), or a running agent over HTTP
 * (libcurl, with its bearer token). Both answer the same paths with the
 * same JSON, parsed with jansson.
 */
#ifndef SW_TOP_SOURCE_H
#define SW_TOP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

struct top_source;

/* Standalone: load and attach the programs, read existing sockets.
 * config may be NULL (defaults). NULL with a reason in err. */
struct top_source *top_source_local(const char *config, bool verbose,
				    char *err, size_t errlen);
/*
 * How to reach a running agent: its URL ("http://127.0.0.1:9178", or
 * https:// when it serves TLS from a --web-config file) and the
 * credentials that file may ask for. Any but url may be NULL.
 */
struct top_remote {
	const char *url;
	const char *token_file;		/* bearer token ([http] token_file) */
	const char *basic_auth_file;	/* "user:password" (basic_auth_users) */
	const char *cacert;		/* CA of the agent's certificate */
	const char *cert, *key;		/* client certificate (client_auth_type) */
};

/* Nothing is fetched yet; files are read now (one line in err if not). */
struct top_source *top_source_remote(const struct top_remote *r,
				     char *err, size_t errlen);
void top_source_free(struct top_source *s);

/* GET path?query (query may be NULL): the parsed document, or NULL with a
 * one-line reason in err (HTTP status and the agent's error message). */
json_t *top_source_get(struct top_source *s, const char *path,
		       const char *query, char *err, size_t errlen);

/*
 * Let time pass: up to timeout_ms, returning early when fd (-1: none)
 * becomes readable or a signal arrives. Standalone, the engine drains
 * its ring buffer meanwhile. 0, or -1 with a reason in err.
 */
int top_source_wait(struct top_source *s, int timeout_ms, int fd,
		    char *err, size_t errlen);

#endif /* SW_TOP_SOURCE_H */

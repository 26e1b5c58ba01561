// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Query filter parsing for the JSON API. See http_query.h.
 */
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "table/decode.h"
#include "http/http_query.h"
#include "http/http_server.h"
#include "lib/quote.h"

#define SW_PID_MAX	(1u << 22)	/* the kernel's PID_MAX_LIMIT */

/* A decimal number in [min, max]: digits only, no sign, no blanks. */
static int parse_uint(const char *s, uint64_t min, uint64_t max,
		      uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s || strlen(s) > 20)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int set_pid(struct sw_query *f, const char *v, char *err, size_t n)
{
	uint64_t x;

	if (parse_uint(v, 1, SW_PID_MAX, &x)) {
		snprintf(err, n, "pid must be a process id (1..%u)", SW_PID_MAX);
		return -1;
	}
	f->pid = x;
	return 0;
}

static int set_port(struct sw_query *f, const char *v, char *err, size_t n)
{
	uint64_t x;

	if (parse_uint(v, 0, 65535, &x)) {
		snprintf(err, n, "port must be a number from 0 to 65535");
		return -1;
	}
	f->port = x;
	return 0;
}

static int set_limit(struct sw_query *f, const char *v, char *err, size_t n)
{
	uint64_t x;

	if (parse_uint(v, 1, SW_Q_LIMIT_MAX, &x)) {
		snprintf(err, n, "limit must be a number from 1 to %d",
			 SW_Q_LIMIT_MAX);
		return -1;
	}
	f->limit = x;
	return 0;
}

static int set_comm(struct sw_query *f, const char *v, char *err, size_t n)
{
	if (!v || !*v || strlen(v) >= sizeof(f->comm)) {
		snprintf(err, n, "comm must be 1 to %zu bytes",
			 sizeof(f->comm) - 1);
		return -1;
	}
	strcpy(f->comm, v);
	return 0;
}

/* TCP state by name, in any case: "established" or "ESTABLISHED". */
static int set_state(struct sw_query *f, const char *v, char *err, size_t n)
{
	char up[32];
	size_t i;
	int st = -1;

	if (v && strlen(v) < sizeof(up)) {
		for (i = 0; v[i]; i++)
			up[i] = toupper((unsigned char)v[i]);
		up[i] = '\0';
		st = sw_tcp_state_parse(up);
	}
	if (st <= SW_TCP_NONE || st >= SW_TCP_MAX_STATES) {
		snprintf(err, n, "unknown TCP state %s",
			 sw_quote(up, sizeof(up), v));
		return -1;
	}
	f->state = st;
	return 0;
}

static int set_proto(struct sw_query *f, const char *v, char *err, size_t n)
{
	if (v && strcmp(v, "tcp") == 0) {
		f->proto = IPPROTO_TCP;
		return 0;
	}
	if (v && strcmp(v, "udp") == 0) {
		f->proto = IPPROTO_UDP;
		return 0;
	}
	snprintf(err, n, "proto must be tcp or udp");
	return -1;
}

/*
 * The protection vocabulary belongs to the protection module; here only
 * the shape is checked, so that nothing odd reaches it or a log line.
 */
static int set_protection(struct sw_query *f, const char *v, char *err,
			  size_t n)
{
	size_t i, len = v ? strlen(v) : 0;

	for (i = 0; i < len; i++) {
		if (!islower((unsigned char)v[i]) && !isdigit((unsigned char)v[i]) &&
		    v[i] != '-' && v[i] != '_')
			break;
	}
	if (len == 0 || len >= sizeof(f->protection) || i < len) {
		snprintf(err, n,
			 "protection must be 1 to %zu characters of [a-z0-9_-]",
			 sizeof(f->protection) - 1);
		return -1;
	}
	memcpy(f->protection, v, len + 1);
	return 0;
}

static int set_unit(struct sw_query *f, const char *v, char *err, size_t n)
{
	return sw_workload_filter_set(&f->wf, "unit", v, err, n);
}

static int set_container(struct sw_query *f, const char *v, char *err, size_t n)
{
	return sw_workload_filter_set(&f->wf, "container", v, err, n);
}

static int set_pod_uid(struct sw_query *f, const char *v, char *err, size_t n)
{
	return sw_workload_filter_set(&f->wf, "pod_uid", v, err, n);
}

/* The parameters, their bits and parsers. */
static const struct {
	const char *name;
	unsigned int bit;
	int (*set)(struct sw_query *f, const char *v, char *err, size_t n);
} params[] = {
	{ "pid",	SW_Q_PID,	 set_pid },
	{ "comm",	SW_Q_COMM,	 set_comm },
	{ "port",	SW_Q_PORT,	 set_port },
	{ "state",	SW_Q_STATE,	 set_state },
	{ "proto",	SW_Q_PROTO,	 set_proto },
	{ "protection",	SW_Q_PROTECTION, set_protection },
	{ "limit",	SW_Q_LIMIT,	 set_limit },
	{ "unit",	SW_Q_UNIT,	 set_unit },
	{ "container",	SW_Q_CONTAINER,	 set_container },
	{ "pod_uid",	SW_Q_POD_UID,	 set_pod_uid },
};

int sw_query_set(struct sw_query *f, unsigned int allowed, const char *key,
		  const char *value, char *err, size_t errlen)
{
	char q[SW_QUOTE_LEN];
	size_t i;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if (strcmp(key, params[i].name) != 0)
			continue;
		if (!(allowed & params[i].bit))
			break;
		if (f->has & params[i].bit) {
			snprintf(err, errlen, "parameter '%s' given twice",
				 params[i].name);
			return -1;
		}
		if (params[i].set(f, value, err, errlen))
			return -1;
		f->has |= params[i].bit;
		return 0;
	}
	/* the key is the client's: quoted, cut short */
	snprintf(err, errlen, "unknown query parameter %s",
		 sw_quote(q, sizeof(q), key));
	return -1;
}

struct parse_ctx {
	struct sw_query *f;
	unsigned int allowed;
	char *err;
	size_t errlen;
};

static int one_param(void *cls, const char *key, const char *value)
{
	struct parse_ctx *c = cls;

	return sw_query_set(c->f, c->allowed, key, value, c->err, c->errlen);
}

int sw_query_parse(const struct sw_http_req *req, unsigned int allowed,
		    struct sw_query *f, char *err, size_t errlen)
{
	struct parse_ctx c = { f, allowed, err, errlen };

	memset(f, 0, sizeof(*f));
	return sw_http_query_each(req, one_param, &c) ? -1 : 0;
}

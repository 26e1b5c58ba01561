/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The query filters of the JSON API (/api/v1/sockets and friends),
 * parsed and validated in one place so that every endpoint answers a bad
 * query with the same 400 message.
 */
#ifndef SW_HTTP_QUERY_H
#define SW_HTTP_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sockwatch_abi.h"
#include "table/workload.h"

struct sw_http_req;

/* Which parameters an endpoint accepts (bit set); others are a 400. */
#define SW_Q_PID	0x01
#define SW_Q_COMM	0x02
#define SW_Q_PORT	0x04
#define SW_Q_STATE	0x08
#define SW_Q_PROTO	0x10
#define SW_Q_PROTECTION	0x20
#define SW_Q_LIMIT	0x40
#define SW_Q_UNIT	0x80	/* workload filters: struct sw_query.wf */
#define SW_Q_CONTAINER	0x100
#define SW_Q_POD_UID	0x200
#define SW_Q_WORKLOAD	(SW_Q_UNIT | SW_Q_CONTAINER | SW_Q_POD_UID)
#define SW_Q_ALL	0x3ff

#define SW_Q_LIMIT_MAX		100000	/* larger limits are a 400 */
#define SW_Q_PROTECTION_LEN	32

/*
 * A parsed API query (not the kernel-side struct sw_filter of the ABI). has is the set of SW_Q_* given; a field is meaningful
 * only when its bit is set. limit is 0 when not given: the endpoint
 * applies its own default.
 */
struct sw_query {
	unsigned int has;
	uint32_t pid;				/* 1 .. 2^22 (pid_max) */
	char     comm[SW_COMM_LEN];		/* exact, at most 15 bytes */
	uint16_t port;				/* local or remote port */
	uint8_t  state;				/* enum sw_tcp_state */
	uint8_t  proto;				/* IPPROTO_TCP / IPPROTO_UDP */
	char     protection[SW_Q_PROTECTION_LEN];	/* [a-z0-9_-]+ */
	uint32_t limit;				/* 1 .. SW_Q_LIMIT_MAX */
	struct sw_workload_filter wf;		/* unit, container, pod_uid */
};

/*
 * Parse the request's query into f, accepting only the parameters in
 * allowed. Returns 0, or -1 with a message for a 400 in err (unknown or
 * repeated parameter, bad value).
 */
int sw_query_parse(const struct sw_http_req *req, unsigned int allowed,
		    struct sw_query *f, char *err, size_t errlen);

/*
 * The same on one key/value pair; for callers with their own source of
 * parameters, and for tests. value may be NULL ("?pid").
 */
int sw_query_set(struct sw_query *f, unsigned int allowed, const char *key,
		  const char *value, char *err, size_t errlen);

#endif /* SW_HTTP_QUERY_H */

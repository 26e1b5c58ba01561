// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The JSON API's query parser and the Authorization header check on any
 * bytes. The input is a query string, "key=value&key2=value2", split as
 * libmicrohttpd hands it over (a key without '=' has a NULL value); the
 * first line, when there is one, is also tried as an Authorization header.
 * A refused query must give a message without control characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "http/auth.h"
#include "http/http_query.h"

static void check_message(const char *err)
{
	const unsigned char *p;

	for (p = (const unsigned char *)err; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *pair, *save = NULL, *eq, *nl;
	struct sw_query q;
	char err[256];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		sw_auth_check_header(s, "secret-token");
		memmove(s, nl + 1, strlen(nl + 1) + 1);
	}
	memset(&q, 0, sizeof(q));
	for (pair = strtok_r(s, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		eq = strchr(pair, '=');
		if (eq)
			*eq++ = '\0';
		err[0] = '\0';
		if (sw_query_set(&q, SW_Q_ALL, pair, eq, err, sizeof(err))) {
			check_message(err);
			break;
		}
	}
	free(s);
	return 0;
}

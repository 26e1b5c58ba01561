// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV report: one row per finding, the JSON field names as header,
 * quoted as RFC 4180 says (fields with a comma, quote or line break are
 * quoted, quotes doubled). Absent values are empty.
 */
#include <stdio.h>
#include <string.h>

#include "output.h"

static void csv_field(FILE *out, const char *s, int last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else if (s) {
		fputs(s, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

int output_csv(struct scan *sc, FILE *out)
{
	static const char *const header[] = {
		"file", "line", "column", "language", "service", "module",
		"direction", "api", "protocol", "app_protocol", "host", "port",
		"binding", "resolution", "expr", "dynamic",
	};
	const size_t ncols = sizeof(header) / sizeof(header[0]);
	size_t i, k;

	for (k = 0; k < ncols; k++)
		csv_field(out, header[k], k + 1 == ncols);
	for (i = 0; i < sc->nfindings; i++) {
		json_t *o = finding_json(&sc->findings[i]);

		/* the JSON object is the one source of each field's text */
		for (k = 0; k < ncols; k++) {
			json_t *v = json_object_get(o, header[k]);
			char num[32];
			const char *s = NULL;

			if (json_is_string(v)) {
				s = json_string_value(v);
			} else if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
				s = num;
			}
			csv_field(out, s, k + 1 == ncols);
		}
		json_decref(o);
	}
	return ferror(out) ? -1 : 0;
}

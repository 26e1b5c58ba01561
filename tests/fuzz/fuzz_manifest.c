// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The manifest loader (sockscan's JSON, parsed with jansson) on any bytes,
 * then the matching on what loaded, so that entries with odd fields are
 * used as the agent uses them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "detect/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), err[256];
	struct manifest m;
	size_t i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!manifest_load_string(s, "fuzz.json", &m, err, sizeof(err))) {
		for (i = 0; i < m.n; i++) {
			const struct manifest_entry *e = &m.entries[i];

			manifest_service_of(&m, e->service, NULL);
			manifest_match(&m, e->service, e->dir, e->port, e->host, NULL);
			manifest_match(&m, e->service, e->dir, 80, "localhost", NULL);
		}
		manifest_free(&m);
	} else if (strchr(err, '\n')) {
		abort();
	}
	free(s);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The exporter-toolkit web config loader (libyaml) on any bytes. Files it
 * names resolve below a directory that does not exist, so the YAML walk
 * and the checks are what is fuzzed. A load either succeeds or gives one
 * line "fuzz.yml...: reason" without a newline; anything else (and any
 * sanitizer report) is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "http/web_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_web_config c;
	char err[512];

	err[0] = '\0';
	if (sw_web_config_load_string("fuzz.yml", "/nonexistent-sw-fuzz", (const char *)data,
				      size, &c, err, sizeof(err))) {
		if (strncmp(err, "fuzz.yml", 8) || strchr(err, '\n') || strchr(err, '\r'))
			abort();
		return 0;
	}
	/* a config without TLS can still carry users: check one */
	if (c.nusers)
		sw_web_check_basic(&c, "Basic dXNlcjpwYXNz");
	sw_web_config_free(&c);
	return 0;
}

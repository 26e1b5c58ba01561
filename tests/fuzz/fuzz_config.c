// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The agent's config loader (libinih behind a bounded reader) on any bytes.
 * A load either succeeds or gives one line "NAME:LINE: reason" without a
 * newline; anything else is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "agent/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sw_config cfg;
	char err[256];

	err[0] = '\0';
	if (sw_config_load_mem("fuzz.ini", data, size, &cfg, err, sizeof(err))) {
		if (strncmp(err, "fuzz.ini", 8) || strchr(err, '\n') ||
		    strchr(err, '\r'))
			abort();
	}
	return 0;
}

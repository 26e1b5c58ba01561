// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The ring-buffer record decoder on any bytes, and what trace does with a
 * record it accepted: print it as text and as JSON. The decoder is where
 * records are validated; no consumer may read past what it hands over.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "table/decode.h"
#include "cmd/trace_output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_event_printer p;
	struct sw_event e;
	const char *why;
	void *copy;
	FILE *out;

	/* a heap copy of exactly size bytes: ASan sees any over-read */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (sw_decode(copy, size, &e, &why)) {
		free(copy);
		return 0;
	}
	free(copy);
	out = fopen("/dev/null", "w");
	if (!out)
		return 0;
	sw_event_printer_init(&p, out, false);
	sw_event_print(&p, &e);
	sw_event_printer_free(&p);
	sw_event_printer_init(&p, out, true);
	sw_event_print(&p, &e);
	sw_event_printer_free(&p);
	fclose(out);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>
#include "kernel/event_buffer.h"

static const char *const names[] = {
	[SW_BUF_RING] = "ring",
	[SW_BUF_SHARED_RING] = "shared-ring",
	[SW_BUF_PERF] = "perf",
};

int sw_event_buffer_parse(const char *name, enum sw_event_buffer *b)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*b = i;
			return 0;
		}
	}
	return -1;
}

const char *sw_event_buffer_name(enum sw_event_buffer b)
{
	return names[b];
}

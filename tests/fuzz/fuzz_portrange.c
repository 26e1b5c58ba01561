// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Port, port-range and port-list parsers on any text: the shared ones in
 * lib/portrange.c and [protection] critical_ports. A parsed range is
 * ordered; a refusal gives one line without control characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "detect/protection.h"
#include "lib/portrange.h"

static void check_message(const char *err)
{
	const unsigned char *p;

	for (p = (const unsigned char *)err; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sw_portset set;
	static struct sw_protect_cfg pc;
	char *s = malloc(size + 1), why[SW_PORT_WHY_LEN], err[256];
	struct sw_portrange r;
	__u16 port;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	why[0] = '\0';
	if (sw_port_parse(s, size & 1, &port, why))
		check_message(why);
	if (sw_portrange_parse(s, &r, why))
		check_message(why);
	else if (r.lo > r.hi || !sw_portrange_len(&r))
		abort();
	if (sw_portset_parse(s, &set, why))
		check_message(why);
	sw_protect_defaults(&pc);
	if (sw_protect_set_ports(&pc, s, err, sizeof(err)))
		check_message(err);
	free(s);
	return 0;
}

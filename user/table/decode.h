/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Decoding of ring-buffer records and the names sockwatch prints for them.
 *
 * Everything that turns a number from the kernel into text lives here, so
 * that trace, the agent, the HTTP API and health print the same names.
 */
#ifndef SW_DECODE_H
#define SW_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sockwatch_abi.h"

/* Longest text sw_fmt_addr writes, with the NUL (INET6_ADDRSTRLEN). */
#define SW_ADDR_STRLEN 46
/* RFC 3339 UTC with nanoseconds: 2026-11-22T15:35:09.123456789Z */
#define SW_TIME_STRLEN 32

/*
 * Check one raw record and copy it to *out. Returns 0, or -1 with a reason
 * when it is too short, of another ABI version, or carries impossible
 * values (kind, flag bits, family, protocol, states out of range); *out is
 * then untouched. The copy's comm is always NUL-terminated: consumers may
 * print it with %s.
 */
int sw_decode(const void *data, size_t size, struct sw_event *out,
	      const char **why);

const char *sw_event_kind_name(unsigned int kind);	/* "connect" ... */
int sw_event_kind_parse(const char *name);		/* -1 if unknown */
const char *sw_tcp_state_name(unsigned int state);	/* "ESTABLISHED" ... */
int sw_tcp_state_parse(const char *name);		/* -1 if unknown */
const char *sw_family_name(unsigned int family);	/* "inet" / "inet6" */
const char *sw_proto_name(unsigned int proto);		/* "tcp" / "udp" */

/* Longest text sw_fmt_endpoint writes, with the NUL: "[addr]:port". */
#define SW_ENDPOINT_STRLEN (SW_ADDR_STRLEN + 8)

/* Address in the family's usual text form; "" for AF_UNSPEC. */
void sw_fmt_addr(char *buf, unsigned int family, const __u8 addr[16]);
/* addr:port, [addr]:port for IPv6. */
void sw_fmt_endpoint(char *buf, size_t len, unsigned int family,
		     const __u8 addr[16], __u16 port);
/* No address and no port: an endpoint the kernel did not know yet. */
static inline bool sw_endpoint_empty(const __u8 addr[16], __u16 port)
{
	static const __u8 zero[16];

	return !port && !__builtin_memcmp(addr, zero, 16);
}
/* An IPv4 address in IPv6 form (::ffff:a.b.c.d); the IPv4 part is addr + 12. */
static inline bool sw_addr_is_v4mapped(const __u8 addr[16])
{
	static const __u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return !__builtin_memcmp(addr, prefix, 12);
}
bool sw_addr_is_any(unsigned int family, const __u8 addr[16]);
bool sw_addr_is_loopback(unsigned int family, const __u8 addr[16]);

/* Clock conversion: monotonic ns (bpf_ktime_get_ns) to wall-clock ns. */
void sw_clock_init(void);
__u64 sw_mono_now(void);
__u64 sw_mono_to_wall(__u64 mono_ns);
void sw_fmt_time(char *buf, __u64 wall_ns);		/* RFC 3339 UTC */

#endif /* SW_DECODE_H */

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include "table/decode.h"

static const char *const kind_names[SW_EV_MAX] = {
	[SW_EV_SNAPSHOT] = "snapshot",
	[SW_EV_CREATE]	 = "create",
	[SW_EV_BIND]	 = "bind",
	[SW_EV_LISTEN]	 = "listen",
	[SW_EV_CONNECT]	 = "connect",
	[SW_EV_ACCEPT]	 = "accept",
	[SW_EV_STATE]	 = "state",
	[SW_EV_CLOSE]	 = "close",
};

static const char *const state_names[SW_TCP_MAX_STATES] = {
	[SW_TCP_NONE]		= "NONE",
	[SW_TCP_ESTABLISHED]	= "ESTABLISHED",
	[SW_TCP_SYN_SENT]	= "SYN_SENT",
	[SW_TCP_SYN_RECV]	= "SYN_RECV",
	[SW_TCP_FIN_WAIT1]	= "FIN_WAIT1",
	[SW_TCP_FIN_WAIT2]	= "FIN_WAIT2",
	[SW_TCP_TIME_WAIT]	= "TIME_WAIT",
	[SW_TCP_CLOSE]		= "CLOSE",
	[SW_TCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[SW_TCP_LAST_ACK]	= "LAST_ACK",
	[SW_TCP_LISTEN]		= "LISTEN",
	[SW_TCP_CLOSING]	= "CLOSING",
	[SW_TCP_NEW_SYN_RECV]	= "NEW_SYN_RECV",
};

int sw_decode(const void *data, size_t size, struct sw_event *out,
	      const char **why)
{
	struct sw_event e;

	if (size < sizeof(e)) {
		*why = "record shorter than struct sw_event";
		return -1;
	}
	/*
	 * A copy first: a perf buffer's records sit 4 bytes past an 8-byte
	 * boundary, and the one string field is terminated here (the kernel
	 * always terminates comm, a damaged record must not make a consumer
	 * read past it).
	 */
	memcpy(&e, data, sizeof(e));
	e.comm[SW_COMM_LEN - 1] = '\0';
	if (e.version != SW_ABI_VERSION) {
		*why = "record of another ABI version";
		return -1;
	}
	if (e.kind == SW_EV_SNAPSHOT || e.kind >= SW_EV_MAX) {
		*why = "unknown event kind";
		return -1;
	}
	if (e.flags & ~SW_F_ALL) {
		*why = "unknown flag bits";
		return -1;
	}
	if (e.family != AF_INET && e.family != AF_INET6) {
		*why = "unknown address family";
		return -1;
	}
	if (e.proto != IPPROTO_TCP && e.proto != IPPROTO_UDP) {
		*why = "unknown protocol";
		return -1;
	}
	if (e.old_state >= SW_TCP_MAX_STATES || e.new_state >= SW_TCP_MAX_STATES) {
		*why = "unknown TCP state";
		return -1;
	}
	*out = e;
	return 0;
}

const char *sw_event_kind_name(unsigned int kind)
{
	return kind < SW_EV_MAX ? kind_names[kind] : "unknown";
}

static int lookup(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcasecmp(names[i], name))
			return i;
	return -1;
}

int sw_event_kind_parse(const char *name)
{
	return lookup(kind_names, SW_EV_MAX, name);
}

const char *sw_tcp_state_name(unsigned int state)
{
	return state < SW_TCP_MAX_STATES ? state_names[state] : "UNKNOWN";
}

int sw_tcp_state_parse(const char *name)
{
	return lookup(state_names, SW_TCP_MAX_STATES, name);
}

const char *sw_family_name(unsigned int family)
{
	switch (family) {
	case AF_INET:	return "inet";
	case AF_INET6:	return "inet6";
	default:	return "unknown";
	}
}

const char *sw_proto_name(unsigned int proto)
{
	switch (proto) {
	case 6:		return "tcp";
	case 17:	return "udp";
	default:	return "unknown";
	}
}

/* Up to three digits of v, then c; returns the end. */
static char *put_octet(char *p, unsigned int v, char c)
{
	if (v >= 100)
		*p++ = '0' + v / 100;
	if (v >= 10)
		*p++ = '0' + v / 10 % 10;
	*p++ = '0' + v % 10;
	*p++ = c;
	return p;
}

void sw_fmt_addr(char *buf, unsigned int family, const __u8 addr[16])
{
	buf[0] = '\0';
	/* IPv4 by hand: glibc's inet_ntop formats it with sprintf */
	if (family == AF_INET) {
		char *p = buf;

		p = put_octet(p, addr[0], '.');
		p = put_octet(p, addr[1], '.');
		p = put_octet(p, addr[2], '.');
		put_octet(p, addr[3], '\0');
		return;
	}
	if (family == AF_INET6)
		inet_ntop(family, addr, buf, SW_ADDR_STRLEN);
}

void sw_fmt_endpoint(char *buf, size_t len, unsigned int family,
		     const __u8 addr[16], __u16 port)
{
	char a[SW_ADDR_STRLEN];

	sw_fmt_addr(a, family, addr);
	snprintf(buf, len, family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

bool sw_addr_is_any(unsigned int family, const __u8 addr[16])
{
	static const __u8 zero[16];

	return !memcmp(addr, zero, family == AF_INET ? 4 : 16);
}

bool sw_addr_is_loopback(unsigned int family, const __u8 addr[16])
{
	static const __u8 v6_lo[16] = { [15] = 1 };

	if (family == AF_INET)
		return addr[0] == 127;
	if (!memcmp(addr, v6_lo, 16))
		return true;
	return sw_addr_is_v4mapped(addr) && addr[12] == 127;
}

/* Wall time minus monotonic time, taken once: events carry monotonic
 * stamps, and a settimeofday during a run must not reorder them. */
static __s64 wall_offset_ns;

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void sw_clock_init(void)
{
	wall_offset_ns = (__s64)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
}

__u64 sw_mono_now(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

__u64 sw_mono_to_wall(__u64 mono_ns)
{
	if (!wall_offset_ns)
		sw_clock_init();
	return mono_ns + wall_offset_ns;
}

/*
 * The date and time of the last second formatted, per thread: a busy
 * trace formats thousands of records per second, and gmtime_r takes a
 * lock and strftime parses its format each time.
 */
static __thread struct {
	time_t sec;
	size_t len;
	char   text[SW_TIME_STRLEN];
} last_second = { .sec = -1 };

void sw_fmt_time(char *buf, __u64 wall_ns)
{
	time_t sec = wall_ns / 1000000000ULL;
	__u32 ns = wall_ns % 1000000000ULL;
	struct tm tm;
	char *p;
	int i;

	if (sec != last_second.sec) {
		gmtime_r(&sec, &tm);
		last_second.len = strftime(last_second.text, SW_TIME_STRLEN,
					   "%Y-%m-%dT%H:%M:%S", &tm);
		last_second.sec = sec;
	}
	memcpy(buf, last_second.text, last_second.len);
	p = buf + last_second.len;
	*p++ = '.';
	for (i = 8; i >= 0; i--) {
		p[i] = '0' + ns % 10;
		ns /= 10;
	}
	memcpy(p + 9, "Z", 2);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The event decoder: record validation with its reasons, the names of
 * kinds, states, families and protocols, address and time formatting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "table/decode.h"
#include "event_builders.h"

static struct sw_event valid_event(void)
{
	return with_states(event(SW_EV_STATE, TCP, 42, 1000 * MS),
			   SW_TCP_SYN_SENT, SW_TCP_ESTABLISHED);
}

/* sw_decode must fail with exactly this reason, leaving out untouched. */
static void assert_rejected(const void *rec, size_t size, const char *reason)
{
	struct sw_event out, before;
	const char *why = NULL;

	memset(&out, 0xab, sizeof(out));
	before = out;
	assert_int_equal(sw_decode(rec, size, &out, &why), -1);
	assert_memory_equal(&out, &before, sizeof(out));
	assert_non_null(why);
	assert_string_equal(why, reason);
}

/* ---- sw_decode -------------------------------------------------------- */

static void test_decode_valid(void **state)
{
	struct sw_event e = valid_event(), out;
	const char *why = NULL;

	assert_int_equal(sw_decode(&e, sizeof(e), &out, &why), 0);
	assert_memory_equal(&out, &e, sizeof(e));
	assert_null(why);

	/* the highest values that are real */
	e.new_state = SW_TCP_NEW_SYN_RECV;
	e.kind = SW_EV_MAX - 1;
	e.flags = SW_F_ALL;
	assert_int_equal(sw_decode(&e, sizeof(e), &out, &why), 0);

	/* a longer record (ring buffer padding) is fine, IPv6 and UDP too */
	e.family = AF_INET6;
	e.proto = UDP;
	e.old_state = e.new_state = SW_TCP_NONE;
	e.kind = SW_EV_CLOSE;
	{
		char big[sizeof(e) + 8] = { 0 };

		memcpy(big, &e, sizeof(e));
		assert_int_equal(sw_decode(big, sizeof(big), &out, &why), 0);
		assert_memory_equal(&out, &e, sizeof(e));
	}

	/* as a perf buffer lays it out: 4 bytes past an 8-byte boundary
	 * (UBSan, in make test-san, fails a misaligned read) */
	{
		_Alignas(8) char raw[4 + sizeof(e) + 4] = { 0 };

		memcpy(raw + 4, &e, sizeof(e));
		assert_int_equal(sw_decode(raw + 4, sizeof(e) + 4, &out, &why), 0);
		assert_memory_equal(&out, &e, sizeof(e));
	}
}

/*
 * A comm without its NUL (found by fuzzing: trace then read past the
 * record) comes out terminated, so that every consumer may use %s.
 */
static void test_decode_terminates_comm(void **state)
{
	struct sw_event e = valid_event(), out;
	const char *why;

	memset(e.comm, 'x', sizeof(e.comm));
	assert_int_equal(sw_decode(&e, sizeof(e), &out, &why), 0);
	assert_int_equal(strlen(out.comm), SW_COMM_LEN - 1);
	assert_memory_equal(out.comm, e.comm, SW_COMM_LEN - 1);
}

static void test_decode_short(void **state)
{
	struct sw_event e = valid_event();

	assert_rejected(&e, sizeof(e) - 1, "record shorter than struct sw_event");
	assert_rejected(&e, 0, "record shorter than struct sw_event");
}

static void test_decode_version(void **state)
{
	struct sw_event e = valid_event();

	e.version = SW_ABI_VERSION + 1;
	assert_rejected(&e, sizeof(e), "record of another ABI version");
	e.version = 0;
	assert_rejected(&e, sizeof(e), "record of another ABI version");
}

/* One-byte fields set to impossible values, and the reason given. */
#define AT(field) offsetof(struct sw_event, field)
static const struct {
	size_t off;
	__u8 value;
	const char *why;
} bad_bytes[] = {
	{ AT(kind), SW_EV_MAX, "unknown event kind" },
	{ AT(kind), 0xff, "unknown event kind" },
	/* snapshots are made in userspace, never by the kernel */
	{ AT(kind), SW_EV_SNAPSHOT, "unknown event kind" },
	{ AT(family), AF_UNSPEC, "unknown address family" },
	{ AT(family), AF_UNIX, "unknown address family" },
	{ AT(family), AF_INET6 + 1, "unknown address family" },
	{ AT(old_state), SW_TCP_MAX_STATES, "unknown TCP state" },
	{ AT(new_state), SW_TCP_MAX_STATES, "unknown TCP state" },
	{ AT(new_state), 0xff, "unknown TCP state" },
	{ AT(flags), SW_F_ALL + 1, "unknown flag bits" },
	{ AT(flags), 0x80, "unknown flag bits" },
};

static void test_decode_bad_fields(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_bytes) / sizeof(bad_bytes[0]); i++) {
		struct sw_event e = valid_event();

		((__u8 *)&e)[bad_bytes[i].off] = bad_bytes[i].value;
		assert_rejected(&e, sizeof(e), bad_bytes[i].why);
	}
}

/* ---- names ------------------------------------------------------------ */

static void test_kind_names(void **state)
{
	unsigned int k;

	for (k = 0; k < SW_EV_MAX; k++) {
		const char *n = sw_event_kind_name(k);

		assert_string_not_equal(n, "unknown");
		assert_int_equal(sw_event_kind_parse(n), k);
	}
	assert_string_equal(sw_event_kind_name(SW_EV_CONNECT), "connect");
	assert_string_equal(sw_event_kind_name(SW_EV_SNAPSHOT), "snapshot");
	assert_string_equal(sw_event_kind_name(SW_EV_MAX), "unknown");
	assert_string_equal(sw_event_kind_name(1000), "unknown");
	assert_int_equal(sw_event_kind_parse("CLOSE"), SW_EV_CLOSE);
	assert_int_equal(sw_event_kind_parse("nosuch"), -1);
	assert_int_equal(sw_event_kind_parse(""), -1);
}

static void test_state_names(void **state)
{
	unsigned int s;

	for (s = 0; s < SW_TCP_MAX_STATES; s++)
		assert_int_equal(sw_tcp_state_parse(sw_tcp_state_name(s)), s);
	assert_string_equal(sw_tcp_state_name(SW_TCP_CLOSE_WAIT), "CLOSE_WAIT");
	assert_string_equal(sw_tcp_state_name(SW_TCP_MAX_STATES), "UNKNOWN");
	assert_int_equal(sw_tcp_state_parse("established"), SW_TCP_ESTABLISHED);
	assert_int_equal(sw_tcp_state_parse("Close_Wait"), SW_TCP_CLOSE_WAIT);
	assert_int_equal(sw_tcp_state_parse("time_wait"), SW_TCP_TIME_WAIT);
	assert_int_equal(sw_tcp_state_parse("NOPE"), -1);
	assert_int_equal(sw_tcp_state_parse("ESTABLISHED "), -1);
	assert_int_equal(sw_tcp_state_parse(""), -1);
}

static void test_family_proto_names(void **state)
{
	assert_string_equal(sw_family_name(AF_INET), "inet");
	assert_string_equal(sw_family_name(AF_INET6), "inet6");
	assert_string_equal(sw_family_name(AF_UNIX), "unknown");
	assert_string_equal(sw_proto_name(6), "tcp");
	assert_string_equal(sw_proto_name(17), "udp");
	assert_string_equal(sw_proto_name(1), "unknown");
}

/* ---- addresses -------------------------------------------------------- */

/* addr from text, in the layout of sw_event (IPv4 in the first 4 bytes) */
static void addr_of(__u8 addr[16], int family, const char *text)
{
	memset(addr, 0xee, 16);	/* garbage past an IPv4 address */
	if (family == AF_INET6)
		memset(addr, 0, 16);
	assert_int_equal(inet_pton(family, text, addr), 1);
}

static void assert_fmt(int family, const char *text, const char *want)
{
	char buf[SW_ADDR_STRLEN];
	__u8 a[16];

	addr_of(a, family, text);
	sw_fmt_addr(buf, family, a);
	assert_string_equal(buf, want);
}

static void test_fmt_addr(void **state)
{
	char buf[SW_ADDR_STRLEN] = "x";
	__u8 a[16] = { 0 };

	assert_fmt(AF_INET, "192.168.1.20", "192.168.1.20");
	assert_fmt(AF_INET, "0.0.0.0", "0.0.0.0");
	assert_fmt(AF_INET, "255.255.255.255", "255.255.255.255");
	assert_fmt(AF_INET, "10.0.100.7", "10.0.100.7");
	assert_fmt(AF_INET, "1.20.109.200", "1.20.109.200");
	assert_fmt(AF_INET6, "2001:db8::1", "2001:db8::1");
	assert_fmt(AF_INET6, "::", "::");
	assert_fmt(AF_INET6, "::ffff:10.0.0.7", "::ffff:10.0.0.7");
	assert_fmt(AF_INET6, "fe80:0:0:0:0:0:0:abcd", "fe80::abcd");
	assert_fmt(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		   "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	sw_fmt_addr(buf, AF_UNSPEC, a);
	assert_string_equal(buf, "");
}

static bool is_any(int family, const char *text)
{
	__u8 a[16];

	addr_of(a, family, text);
	return sw_addr_is_any(family, a);
}

static bool is_lo(int family, const char *text)
{
	__u8 a[16];

	addr_of(a, family, text);
	return sw_addr_is_loopback(family, a);
}

static void test_addr_any(void **state)
{
	/* IPv4 looks at its own four bytes only */
	assert_true(is_any(AF_INET, "0.0.0.0"));
	assert_false(is_any(AF_INET, "0.0.0.1"));
	assert_false(is_any(AF_INET, "10.0.0.0"));
	assert_true(is_any(AF_INET6, "::"));
	assert_false(is_any(AF_INET6, "::1"));
	assert_false(is_any(AF_INET6, "8000::"));
}

static void test_addr_loopback(void **state)
{
	assert_true(is_lo(AF_INET, "127.0.0.1"));
	assert_true(is_lo(AF_INET, "127.255.3.9"));
	assert_false(is_lo(AF_INET, "128.0.0.1"));
	assert_false(is_lo(AF_INET, "0.0.0.0"));
	assert_true(is_lo(AF_INET6, "::1"));
	assert_true(is_lo(AF_INET6, "::ffff:127.0.0.1"));
	assert_true(is_lo(AF_INET6, "::ffff:127.1.2.3"));
	assert_false(is_lo(AF_INET6, "::ffff:10.0.0.1"));
	assert_false(is_lo(AF_INET6, "::"));
	assert_false(is_lo(AF_INET6, "::2"));
	assert_false(is_lo(AF_INET6, "1::1"));
	/* 127.0.0.1 written as an IPv4-compatible (not mapped) address */
	assert_false(is_lo(AF_INET6, "::127.0.0.1"));
}

/* ---- time ------------------------------------------------------------- */

static void assert_time(__u64 wall_ns, const char *want)
{
	char buf[SW_TIME_STRLEN];

	memset(buf, 'x', sizeof(buf));
	sw_fmt_time(buf, wall_ns);
	assert_string_equal(buf, want);
	assert_true(strlen(buf) < SW_TIME_STRLEN);
}

static void test_fmt_time(void **state)
{
	assert_time(0, "1970-01-01T00:00:00.000000000Z");
	assert_time(1, "1970-01-01T00:00:00.000000001Z");
	assert_time(999999999, "1970-01-01T00:00:00.999999999Z");
	assert_time(1790000000123456789ULL, "2026-09-21T14:13:20.123456789Z");
	/* a leap day, and the last nanosecond of a year */
	assert_time(951782400000000000ULL, "2000-02-29T00:00:00.000000000Z");
	assert_time(1767225599999999999ULL, "2025-12-31T23:59:59.999999999Z");
	/* the same second again (cached), then the next and back */
	assert_time(1767225599000000007ULL, "2025-12-31T23:59:59.000000007Z");
	assert_time(1767225600000000000ULL, "2026-01-01T00:00:00.000000000Z");
	assert_time(1767225599500000000ULL, "2025-12-31T23:59:59.500000000Z");
}

static void test_clock(void **state)
{
	__u64 a, b;

	sw_clock_init();
	a = sw_mono_now();
	b = sw_mono_now();
	assert_true(b >= a);
	/* the offset moves monotonic stamps into this century */
	assert_true(sw_mono_to_wall(a) > 1577836800ULL * 1000000000ULL);
	assert_int_equal(sw_mono_to_wall(b) - sw_mono_to_wall(a), b - a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_terminates_comm),
		cmocka_unit_test(test_decode_short),
		cmocka_unit_test(test_decode_version),
		cmocka_unit_test(test_decode_bad_fields),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_family_proto_names),
		cmocka_unit_test(test_fmt_addr),
		cmocka_unit_test(test_addr_any),
		cmocka_unit_test(test_addr_loopback),
		cmocka_unit_test(test_fmt_time),
		cmocka_unit_test(test_clock),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}

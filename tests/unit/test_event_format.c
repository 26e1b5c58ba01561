// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * How events are filtered and printed: sw_event_match, the JSON object of
 * each kind of event (parsed back with jansson: stable field names, null
 * where a field does not apply), the text columns, and sw_event_complete
 * filling what the kernel could not say from a table entry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <cmocka.h>
#include "table/decode.h"
#include "cmd/trace_output.h"
#include "table/sock_table.h"
#include "event_builders.h"

#define T0	(5000000 * MS)

/* ---- events ------------------------------------------------------------ */

/* An event of socket 4242 at T0. */
static struct sw_event ev(__u8 kind, __u8 proto)
{
	return event(kind, proto, 4242, T0);
}

/* An established client socket of pid 100, 2.5 s old, as a state event. */
static struct sw_event tcp_event(void)
{
	struct sw_event e = owned(ev(SW_EV_STATE, TCP), 100, "curl");

	e = with_ends(e, "10.0.0.1", 40000, "10.0.0.2", 443);
	e = with_states(e, SW_TCP_SYN_SENT, SW_TCP_ESTABLISHED);
	e.flags |= SW_F_BIRTH_KNOWN;
	e.birth_ns = T0 - 2500 * MS;
	return with_bytes(e, 1234, 56);
}

/* ---- sw_event_match ---------------------------------------------------- */

static struct sw_event_filter any(void)
{
	struct sw_event_filter f = { .state = -1 };

	return f;
}

/* Numbers are written without printf: the extremes and zero. */
static void test_json_numbers(void **state)
{
	struct sw_json j;

	sw_json_init(&j);
	sw_json_arr_begin(&j);
	sw_json_int(&j, 0);
	sw_json_int(&j, -7);
	sw_json_int(&j, INT64_MIN);
	sw_json_int(&j, INT64_MAX);
	sw_json_uint(&j, UINT64_MAX);
	sw_json_uint(&j, 10);
	sw_json_arr_end(&j);
	assert_string_equal(sw_json_cstr(&j),
			    "[0,-7,-9223372036854775808,9223372036854775807,"
			    "18446744073709551615,10]");
	sw_json_free(&j);
}

static void test_match_none(void **state)
{
	struct sw_event_filter f = any();
	struct sw_event e = tcp_event();

	assert_true(sw_event_match(&f, &e));
	e = ev(SW_EV_CREATE, UDP);	/* no owner, no endpoint */
	assert_true(sw_event_match(&f, &e));
}

static void test_match_pid(void **state)
{
	struct sw_event_filter f = any();
	struct sw_event e = tcp_event();

	f.pid = 100;
	assert_true(sw_event_match(&f, &e));
	f.pid = 101;	/* the tid is not the pid */
	assert_false(sw_event_match(&f, &e));
}

static void test_match_comm(void **state)
{
	struct sw_event_filter f = any();
	struct sw_event e = tcp_event();

	strcpy(f.comm, "curl");
	assert_true(sw_event_match(&f, &e));
	strcpy(f.comm, "cur");
	assert_false(sw_event_match(&f, &e));
	strcpy(f.comm, "curl2");
	assert_false(sw_event_match(&f, &e));
	/* a full 15-character name */
	e = owned(e, 100, "systemd-resolve");
	strcpy(f.comm, "systemd-resolve");
	assert_true(sw_event_match(&f, &e));
	/* an event without owner matches no comm */
	e = ev(SW_EV_CREATE, TCP);
	assert_false(sw_event_match(&f, &e));
}

static void test_match_port(void **state)
{
	struct sw_event_filter f = any();
	struct sw_event e = tcp_event();

	f.port = 40000;		/* local */
	assert_true(sw_event_match(&f, &e));
	f.port = 443;		/* remote */
	assert_true(sw_event_match(&f, &e));
	f.port = 80;
	assert_false(sw_event_match(&f, &e));
}

static void test_match_state(void **state)
{
	struct sw_event_filter f = any();
	struct sw_event e = tcp_event();

	f.state = SW_TCP_ESTABLISHED;
	assert_true(sw_event_match(&f, &e));
	f.state = SW_TCP_SYN_SENT;	/* the state it left */
	assert_false(sw_event_match(&f, &e));
	f.state = SW_TCP_CLOSE_WAIT;
	assert_false(sw_event_match(&f, &e));
}

static void test_match_all_filters(void **state)
{
	struct sw_event_filter f = any();
	struct sw_event e = tcp_event();

	f.pid = 100;
	strcpy(f.comm, "curl");
	f.port = 443;
	f.state = SW_TCP_ESTABLISHED;
	assert_true(sw_event_match(&f, &e));
	e.rport = 8443;		/* one filter failing is enough */
	assert_false(sw_event_match(&f, &e));
}

/* ---- JSON -------------------------------------------------------------- */

static const char *const fields[] = {
	"time", "event", "pid", "tid", "comm", "cgroup_id", "netns", "sock",
	"family", "proto", "laddr", "lport", "raddr", "rport", "old_state",
	"new_state", "age_ms", "rx_bytes", "tx_bytes",
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* The event's JSON, parsed back: every stable field, nothing else. */
static json_t *to_json(const struct sw_event *e)
{
	struct sw_json j;
	json_error_t err;
	json_t *o;
	size_t i, extra;

	sw_json_init(&j);
	sw_event_json(&j, e);
	o = json_loads(sw_json_cstr(&j), JSON_REJECT_DUPLICATES, &err);
	if (!o)
		fail_msg("invalid JSON (%s): %s", err.text, sw_json_cstr(&j));
	sw_json_free(&j);
	assert_true(json_is_object(o));
	for (i = 0; i < NFIELDS; i++)
		if (!json_object_get(o, fields[i]))
			fail_msg("field %s missing", fields[i]);
	extra = json_object_get(o, "preexisting") ? 1 : 0;
	assert_int_equal(json_object_size(o), NFIELDS + extra);
	return o;
}

static void assert_null_fields(json_t *o, const char *const *keys)
{
	for (; *keys; keys++)
		if (!json_is_null(json_object_get(o, *keys)))
			fail_msg("%s is not null", *keys);
}

static void assert_str(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("%s is not a string", key);
	assert_string_equal(json_string_value(v), want);
}

static void assert_uint(json_t *o, const char *key, json_int_t want)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	assert_int_equal(json_integer_value(v), want);
}

/* RFC 3339 UTC with nanoseconds: 2026-11-22T15:35:09.123456789Z */
static void assert_rfc3339(const char *t)
{
	const char *shape = "dddd-dd-ddTdd:dd:dd.dddddddddZ";
	size_t i;

	assert_int_equal(strlen(t), strlen(shape));
	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'd')
			assert_true(isdigit((unsigned char)t[i]));
		else
			assert_int_equal(t[i], shape[i]);
	}
}

static void test_json_tcp_state(void **state)
{
	struct sw_event e = tcp_event();
	json_t *o = to_json(&e);

	assert_rfc3339(json_string_value(json_object_get(o, "time")));
	assert_str(o, "event", "state");
	assert_uint(o, "pid", 100);
	assert_uint(o, "tid", 101);
	assert_str(o, "comm", "curl");
	assert_uint(o, "cgroup_id", 9876);
	assert_uint(o, "netns", NETNS);
	assert_uint(o, "sock", 4242);
	assert_str(o, "family", "inet");
	assert_str(o, "proto", "tcp");
	assert_str(o, "laddr", "10.0.0.1");
	assert_uint(o, "lport", 40000);
	assert_str(o, "raddr", "10.0.0.2");
	assert_uint(o, "rport", 443);
	assert_str(o, "old_state", "SYN_SENT");
	assert_str(o, "new_state", "ESTABLISHED");
	assert_uint(o, "age_ms", 2500);
	assert_uint(o, "rx_bytes", 1234);
	assert_uint(o, "tx_bytes", 56);
	assert_null(json_object_get(o, "preexisting"));
	json_decref(o);
}

static void test_json_time_follows_ts(void **state)
{
	struct sw_event e = tcp_event();
	char want[SW_TIME_STRLEN];
	json_t *o;

	sw_clock_init();
	e.ts_ns = sw_mono_now();
	sw_fmt_time(want, sw_mono_to_wall(e.ts_ns));
	o = to_json(&e);
	assert_str(o, "time", want);
	json_decref(o);
}

static void test_json_create(void **state)
{
	/* the kernel has not filled the endpoints yet; garbage is ignored */
	struct sw_event e = with_ends(owned(ev(SW_EV_CREATE, TCP), 7, "app"),
				      "1.2.3.4", 5, "6.7.8.9", 10);
	static const char *const nulls[] = {
		"laddr", "lport", "raddr", "rport", "old_state", "age_ms",
		"rx_bytes", "tx_bytes", NULL,
	};
	json_t *o;

	e.new_state = SW_TCP_CLOSE;
	o = to_json(&e);
	assert_str(o, "event", "create");
	assert_uint(o, "pid", 7);
	assert_str(o, "new_state", "CLOSE");
	assert_null_fields(o, nulls);
	json_decref(o);
}

static void test_json_udp(void **state)
{
	struct sw_event e = with_ends(owned(ev(SW_EV_CLOSE, UDP), 8, "dig"),
				      "0.0.0.0", 5353, "10.0.0.53", 53);
	static const char *const nulls[] = {
		"old_state", "new_state", "age_ms", "rx_bytes", "tx_bytes", NULL,
	};
	json_t *o;

	o = to_json(&e);
	assert_str(o, "proto", "udp");
	assert_str(o, "laddr", "0.0.0.0");	/* bound to any: known */
	assert_uint(o, "lport", 5353);
	assert_str(o, "raddr", "10.0.0.53");
	assert_uint(o, "rport", 53);
	assert_null_fields(o, nulls);
	json_decref(o);
}

static void test_json_no_owner(void **state)
{
	struct sw_event e = tcp_event();
	static const char *const nulls[] = {
		"pid", "tid", "comm", "cgroup_id", "netns", NULL,
	};
	json_t *o;

	e.flags &= ~SW_F_OWNER_KNOWN;
	e.netns = 0;
	o = to_json(&e);
	assert_null_fields(o, nulls);
	assert_uint(o, "sock", 4242);
	json_decref(o);
}

static void test_json_connect_ipv6(void **state)
{
	struct sw_event e = owned(ev(SW_EV_CONNECT, TCP), 9, "ssh");
	json_t *o;

	/* connect comes before the kernel picks the local port */
	e.family = AF_INET6;
	e = with_remote(e, "2001:db8::22", 22);
	o = to_json(&e);
	assert_str(o, "family", "inet6");
	assert_null_fields(o, (const char *const[]){ "laddr", "lport", NULL });
	assert_str(o, "raddr", "2001:db8::22");
	assert_uint(o, "rport", 22);
	json_decref(o);
}

static void test_json_listen(void **state)
{
	struct sw_event e = owned(ev(SW_EV_LISTEN, TCP), 10, "nginx");
	json_t *o;

	e.family = AF_INET6;
	e = with_ends(e, "::", 80, "::1", 1);	/* remote is not one yet */
	e = with_states(e, SW_TCP_CLOSE, SW_TCP_LISTEN);
	o = to_json(&e);
	assert_str(o, "laddr", "::");
	assert_uint(o, "lport", 80);
	assert_null_fields(o, (const char *const[]){ "raddr", "rport", NULL });
	assert_str(o, "old_state", "CLOSE");
	assert_str(o, "new_state", "LISTEN");
	json_decref(o);
}

static void test_json_age(void **state)
{
	struct sw_event e = tcp_event();
	json_t *o;

	e.birth_ns = e.ts_ns;
	o = to_json(&e);
	assert_uint(o, "age_ms", 0);
	json_decref(o);

	e.birth_ns = e.ts_ns + 1;	/* clock skew: no negative ages */
	o = to_json(&e);
	assert_true(json_is_null(json_object_get(o, "age_ms")));
	json_decref(o);

	e.flags &= ~SW_F_BIRTH_KNOWN;
	e.birth_ns = 0;
	o = to_json(&e);
	assert_true(json_is_null(json_object_get(o, "age_ms")));
	json_decref(o);
}

static void test_json_escapes_comm(void **state)
{
	struct sw_event e = owned(tcp_event(), 100, "a\"b\\c\td\x01");
	json_t *o = to_json(&e);

	assert_str(o, "comm", "a\"b\\c\td\x01");
	json_decref(o);
}

static void test_json_snapshot(void **state)
{
	struct sw_sock s = {
		.cookie = 77,
		.pid = 300,
		.tid = 300,
		.family = AF_INET,
		.proto = TCP,
		.state = SW_TCP_LISTEN,
		.lport = 8080,
		.birth_ns = T0 - 1000 * MS,
		.flags = SW_F_PREEXISTING,
		.comm = "srv",
	};
	struct sw_event e;
	json_t *o;

	sw_event_from_sock(&e, &s, SW_EV_SNAPSHOT, T0);
	o = to_json(&e);
	assert_str(o, "event", "snapshot");
	assert_uint(o, "pid", 300);
	assert_str(o, "comm", "srv");
	assert_str(o, "laddr", "0.0.0.0");
	assert_uint(o, "lport", 8080);
	assert_str(o, "new_state", "LISTEN");
	assert_uint(o, "age_ms", 1000);
	assert_uint(o, "rx_bytes", 0);
	assert_true(json_is_true(json_object_get(o, "preexisting")));
	json_decref(o);
}

/* ---- text -------------------------------------------------------------- */

static char *print_text(const struct sw_event *e)
{
	struct sw_event_printer p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	sw_event_printer_init(&p, f, false);
	sw_event_print(&p, e);
	sw_event_printer_free(&p);
	fclose(f);
	return buf;
}

/* The columns after the time, split on runs of blanks. */
static void assert_columns(const char *line, const char *const *want)
{
	char *copy = strdup(line), *save, *tok;

	tok = strtok_r(copy, " \n", &save);	/* the time */
	for (; *want; want++) {
		tok = strtok_r(NULL, " \n", &save);
		assert_non_null(tok);
		assert_string_equal(tok, *want);
	}
	assert_null(strtok_r(NULL, " \n", &save));
	free(copy);
}

static void test_text(void **state)
{
	struct sw_event e = tcp_event();
	char *line;

	line = print_text(&e);
	assert_columns(line, (const char *const[]){ "state", "100", "curl",
		"tcp", "10.0.0.1:40000", "10.0.0.2:443",
		"SYN_SENT->ESTABLISHED", "2500ms", NULL });
	free(line);

	e = owned(ev(SW_EV_CONNECT, TCP), 9, "ssh");
	e.family = AF_INET6;
	e = with_remote(e, "::1", 22);
	e.flags &= ~SW_F_OWNER_KNOWN;
	line = print_text(&e);
	assert_columns(line, (const char *const[]){ "connect", "-", "-",
		"tcp", "-", "[::1]:22", "-", "-", NULL });
	free(line);
}

/* ---- sw_event_complete ------------------------------------------------- */

/* What the table knows of socket 4242: owner 500, endpoints, birth. */
static struct sw_sock table_entry(void)
{
	struct sw_sock s = {
		.cookie = 4242,
		.pid = 500,
		.tid = 501,
		.cgroup_id = 55,
		.netns = 4026532000U,
		.family = AF_INET,
		.proto = UDP,
		.lport = 5353,
		.rport = 53,
		.birth_ns = T0 - 7000 * MS,
		.comm = "resolver",
	};

	set_addr(s.laddr, AF_INET, "10.1.1.1");
	set_addr(s.raddr, AF_INET, "10.9.9.9");
	return s;
}

static void test_complete_nothing_missing(void **state)
{
	struct sw_sock s = table_entry();
	struct sw_event e = tcp_event(), copy;

	memset(&copy, 0xaa, sizeof(copy));
	assert_ptr_equal(sw_event_complete(&copy, &e, &s), &e);
	assert_ptr_equal(sw_event_complete(&copy, &e, NULL), &e);
	/* nothing in the table either */
	e = ev(SW_EV_CLOSE, UDP);
	memset(&s, 0, sizeof(s));
	assert_ptr_equal(sw_event_complete(&copy, &e, &s), &e);
	assert_int_equal(((__u8 *)&copy)[0], 0xaa);
}

static void test_complete_owner(void **state)
{
	struct sw_sock s = table_entry();
	struct sw_event e = ev(SW_EV_STATE, TCP);
	const struct sw_event *c;
	struct sw_event copy;

	/* a socket that predates sockwatch: the kernel knows no owner */
	e = with_ends(e, "10.0.0.1", 22, "10.0.0.7", 50000);
	c = sw_event_complete(&copy, &e, &s);
	assert_ptr_equal(c, &copy);
	assert_true(c->flags & SW_F_OWNER_KNOWN);
	assert_int_equal(c->pid, 500);
	assert_int_equal(c->tid, 501);
	assert_int_equal(c->cgroup_id, 55);
	assert_string_equal(c->comm, "resolver");
	assert_true(c->flags & SW_F_BIRTH_KNOWN);
	assert_int_equal(c->birth_ns, T0 - 7000 * MS);
	/* what the event knew stays */
	assert_int_equal(c->lport, 22);
	assert_int_equal(c->rport, 50000);
	assert_int_equal(c->netns, NETNS);
	assert_int_equal(c->sock, e.sock);
	assert_int_equal(c->ts_ns, e.ts_ns);
	/* the original is untouched */
	assert_false(e.flags & SW_F_OWNER_KNOWN);
}

static void test_complete_birth_only(void **state)
{
	struct sw_sock s = table_entry();
	struct sw_event e = owned(ev(SW_EV_ACCEPT, TCP), 42, "srv");
	const struct sw_event *c;
	struct sw_event copy;

	e = with_ends(e, "10.0.0.1", 80, "10.0.0.7", 50000);
	c = sw_event_complete(&copy, &e, &s);
	assert_ptr_equal(c, &copy);
	assert_int_equal(c->pid, 42);		/* the kernel's owner wins */
	assert_string_equal(c->comm, "srv");
	assert_true(c->flags & SW_F_BIRTH_KNOWN);
	assert_int_equal(c->birth_ns, T0 - 7000 * MS);

	/* an event that knows its birth keeps it */
	e.flags |= SW_F_BIRTH_KNOWN;
	e.birth_ns = T0 - 1;
	assert_ptr_equal(sw_event_complete(&copy, &e, &s), &e);
}

static void test_complete_endpoints(void **state)
{
	struct sw_sock s = table_entry();
	struct sw_event e = owned(ev(SW_EV_CLOSE, UDP), 500, "resolver");
	const struct sw_event *c;
	struct sw_event copy;
	char a[SW_ADDR_STRLEN];

	/* a UDP close: the hook cannot read the endpoints */
	e.flags |= SW_F_BIRTH_KNOWN;
	e.birth_ns = T0 - 1;
	e.netns = 0;
	c = sw_event_complete(&copy, &e, &s);
	assert_ptr_equal(c, &copy);
	assert_int_equal(c->lport, 5353);
	sw_fmt_addr(a, AF_INET, c->laddr);
	assert_string_equal(a, "10.1.1.1");
	assert_int_equal(c->rport, 53);
	sw_fmt_addr(a, AF_INET, c->raddr);
	assert_string_equal(a, "10.9.9.9");
	assert_int_equal(c->netns, 4026532000U);
	assert_int_equal(c->birth_ns, T0 - 1);

	/* one side known: only the other is filled */
	e = with_local(e, "0.0.0.0", 6000);
	c = sw_event_complete(&copy, &e, &s);
	assert_int_equal(c->lport, 6000);
	sw_fmt_addr(a, AF_INET, c->laddr);
	assert_string_equal(a, "0.0.0.0");
	assert_int_equal(c->rport, 53);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_none),
		cmocka_unit_test(test_match_pid),
		cmocka_unit_test(test_match_comm),
		cmocka_unit_test(test_match_port),
		cmocka_unit_test(test_match_state),
		cmocka_unit_test(test_match_all_filters),
		cmocka_unit_test(test_json_tcp_state),
		cmocka_unit_test(test_json_time_follows_ts),
		cmocka_unit_test(test_json_create),
		cmocka_unit_test(test_json_udp),
		cmocka_unit_test(test_json_no_owner),
		cmocka_unit_test(test_json_connect_ipv6),
		cmocka_unit_test(test_json_listen),
		cmocka_unit_test(test_json_age),
		cmocka_unit_test(test_json_escapes_comm),
		cmocka_unit_test(test_json_snapshot),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_complete_nothing_missing),
		cmocka_unit_test(test_complete_owner),
		cmocka_unit_test(test_complete_birth_only),
		cmocka_unit_test(test_complete_endpoints),
	};

	return cmocka_run_group_tests_name("event_format", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Prometheus text writer: escaping, HELP/TYPE once, histograms, number
 * formatting, and promtool's verdict on a representative exposition.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "lib/prom.h"

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

static void test_label_escaping(void **state)
{
	struct sw_prom p;

	sw_prom_init(&p);
	sw_prom_family(&p, "sw_test_info", SW_PROM_GAUGE, "Help with \\ and\nnewline \"q\".");
	sw_prom_u64(&p, SW_PROM_LABELS({ "comm", "a\\b\"c\nd" }), 1);
	assert_null(sw_prom_error(&p));
	assert_string_equal(p.out.buf,
		"# HELP sw_test_info Help with \\\\ and\\nnewline \"q\".\n"
		"# TYPE sw_test_info gauge\n"
		"sw_test_info{comm=\"a\\\\b\\\"c\\nd\"} 1\n");
	sw_prom_free(&p);
}

static void test_help_type_once(void **state)
{
	struct sw_prom p;

	sw_prom_init(&p);
	sw_prom_family(&p, "sw_sockets", SW_PROM_GAUGE, "Sockets.");
	sw_prom_u64(&p, SW_PROM_LABELS({ "proto", "tcp" }), 3);
	/* reopening the current family goes on without a second header */
	sw_prom_family(&p, "sw_sockets", SW_PROM_GAUGE, "Sockets.");
	sw_prom_u64(&p, SW_PROM_LABELS({ "proto", "udp" }), 4);
	sw_prom_family(&p, "sw_events_total", SW_PROM_COUNTER, "Events.");
	sw_prom_u64(&p, NULL, 0, 18446744073709551615ull);
	assert_null(sw_prom_error(&p));
	assert_int_equal(count_of(p.out.buf, "# HELP sw_sockets "), 1);
	assert_int_equal(count_of(p.out.buf, "# TYPE sw_sockets gauge"), 1);
	assert_non_null(strstr(p.out.buf, "sw_events_total 18446744073709551615\n"));

	/* a family split in two is refused: its samples are dropped */
	sw_prom_family(&p, "sw_sockets", SW_PROM_GAUGE, "Sockets.");
	sw_prom_u64(&p, SW_PROM_LABELS({ "proto", "raw" }), 5);
	assert_non_null(sw_prom_error(&p));
	assert_null(strstr(p.out.buf, "raw"));
	sw_prom_free(&p);
}

static void test_empty_family_writes_nothing(void **state)
{
	struct sw_prom p;
	char *out;
	size_t len;

	sw_prom_init(&p);
	sw_prom_family(&p, "sw_nothing", SW_PROM_GAUGE, "No samples.");
	out = sw_prom_steal(&p, &len);
	assert_int_equal(len, 0);
	assert_string_equal(out, "");
	free(out);
}

static void test_bad_names(void **state)
{
	struct sw_prom p;

	assert_true(sw_prom_metric_name_ok("sockwatch_a:b_1"));
	assert_false(sw_prom_metric_name_ok("1abc"));
	assert_false(sw_prom_metric_name_ok("a-b"));
	assert_false(sw_prom_metric_name_ok(""));
	assert_true(sw_prom_label_name_ok("state"));
	assert_false(sw_prom_label_name_ok("__name__"));
	assert_false(sw_prom_label_name_ok("a:b"));

	sw_prom_init(&p);
	sw_prom_family(&p, "bad-name", SW_PROM_GAUGE, "x");
	sw_prom_u64(&p, NULL, 0, 1);
	assert_non_null(sw_prom_error(&p));
	assert_int_equal(p.out.len, 0);
	sw_prom_free(&p);

	sw_prom_init(&p);
	sw_prom_family(&p, "sw_ok", SW_PROM_GAUGE, "x");
	sw_prom_u64(&p, SW_PROM_LABELS({ "bad label", "v" }), 1);
	assert_non_null(sw_prom_error(&p));
	assert_int_equal(p.out.len, 0);
	sw_prom_free(&p);

	/* counters without _total are written but reported */
	sw_prom_init(&p);
	sw_prom_family(&p, "sw_events", SW_PROM_COUNTER, "x");
	sw_prom_u64(&p, NULL, 0, 1);
	assert_non_null(sw_prom_error(&p));
	sw_prom_free(&p);
}

static void test_histogram_cumulative(void **state)
{
	static const double bounds[] = { 0.001, 0.01, 0.1, 1, 10 };
	static const uint64_t counts[] = { 1, 2, 0, 3, 4, 5 };
	struct sw_prom p;

	sw_prom_init(&p);
	sw_prom_family(&p, "sw_lifetime_seconds", SW_PROM_HISTOGRAM,
		       "Socket lifetimes.");
	sw_prom_histogram(&p, SW_PROM_LABELS({ "proto", "tcp" }), bounds, 5,
			  counts, 123.5);
	assert_null(sw_prom_error(&p));
	assert_string_equal(p.out.buf,
		"# HELP sw_lifetime_seconds Socket lifetimes.\n"
		"# TYPE sw_lifetime_seconds histogram\n"
		"sw_lifetime_seconds_bucket{proto=\"tcp\",le=\"0.001\"} 1\n"
		"sw_lifetime_seconds_bucket{proto=\"tcp\",le=\"0.01\"} 3\n"
		"sw_lifetime_seconds_bucket{proto=\"tcp\",le=\"0.1\"} 3\n"
		"sw_lifetime_seconds_bucket{proto=\"tcp\",le=\"1\"} 6\n"
		"sw_lifetime_seconds_bucket{proto=\"tcp\",le=\"10\"} 10\n"
		"sw_lifetime_seconds_bucket{proto=\"tcp\",le=\"+Inf\"} 15\n"
		"sw_lifetime_seconds_sum{proto=\"tcp\"} 123.5\n"
		"sw_lifetime_seconds_count{proto=\"tcp\"} 15\n");

	/* le is the histogram's own label */
	sw_prom_histogram(&p, SW_PROM_LABELS({ "le", "1" }), bounds, 5,
			  counts, 0);
	assert_non_null(sw_prom_error(&p));
	sw_prom_free(&p);
}

static void test_histogram_bad_bounds(void **state)
{
	static const double bounds[] = { 1, 1 };
	static const uint64_t counts[] = { 0, 0, 0 };
	struct sw_prom p;

	sw_prom_init(&p);
	sw_prom_family(&p, "sw_h", SW_PROM_HISTOGRAM, "x");
	sw_prom_histogram(&p, NULL, 0, bounds, 2, counts, 0);
	assert_non_null(sw_prom_error(&p));
	assert_int_equal(p.out.len, 0);
	/* a gauge sample in a histogram family is a caller bug too */
	sw_prom_free(&p);
	sw_prom_init(&p);
	sw_prom_family(&p, "sw_h", SW_PROM_HISTOGRAM, "x");
	sw_prom_double(&p, NULL, 0, 1);
	assert_non_null(sw_prom_error(&p));
	sw_prom_free(&p);
}

static void test_number_format(void **state)
{
	char b[64];

	sw_prom_fmt_double(b, sizeof(b), NAN);
	assert_string_equal(b, "NaN");
	sw_prom_fmt_double(b, sizeof(b), INFINITY);
	assert_string_equal(b, "+Inf");
	sw_prom_fmt_double(b, sizeof(b), -INFINITY);
	assert_string_equal(b, "-Inf");
	sw_prom_fmt_double(b, sizeof(b), 0.0);
	assert_string_equal(b, "0");
	sw_prom_fmt_double(b, sizeof(b), -0.0);
	assert_string_equal(b, "0");
	sw_prom_fmt_double(b, sizeof(b), 42);
	assert_string_equal(b, "42");
	sw_prom_fmt_double(b, sizeof(b), 1e15);
	assert_string_equal(b, "1000000000000000");
	sw_prom_fmt_double(b, sizeof(b), 0.1);
	assert_string_equal(b, "0.1");
	sw_prom_fmt_double(b, sizeof(b), -2.5);
	assert_string_equal(b, "-2.5");
	sw_prom_fmt_double(b, sizeof(b), 1e300);
	assert_string_equal(b, "1e+300");
	sw_prom_fmt_double(b, sizeof(b), 1.0 / 3);
	assert_true(strtod(b, NULL) == 1.0 / 3);	/* round trip */
	sw_prom_fmt_double(b, sizeof(b), 5e-324);	/* denormal */
	assert_true(strtod(b, NULL) == 5e-324);
}

/* A representative exposition, the shapes the agent writes. */
static char *sample_exposition(size_t *len)
{
	static const double lb[] = { 0.001, 0.01, 0.1, 1, 10, 60, 600, 3600 };
	static const uint64_t lc[] = { 5, 10, 20, 7, 3, 1, 0, 0, 2 };
	struct sw_prom p;
	char *out;

	sw_prom_init(&p);
	sw_prom_family(&p, "sockwatch_build_info", SW_PROM_GAUGE,
		       "Build of the running agent.");
	sw_prom_u64(&p, SW_PROM_LABELS({ "version", "0.1.0" },
				       { "gitrev", "abc\"def" }), 1);
	sw_prom_family(&p, "sockwatch_sockets", SW_PROM_GAUGE,
		       "Sockets open now, by protocol and TCP state.");
	sw_prom_u64(&p, SW_PROM_LABELS({ "proto", "tcp" },
				       { "state", "ESTABLISHED" }), 12);
	sw_prom_u64(&p, SW_PROM_LABELS({ "proto", "tcp" },
				       { "state", "LISTEN" }), 4);
	sw_prom_u64(&p, SW_PROM_LABELS({ "proto", "udp" },
				       { "state", "NONE" }), 2);
	sw_prom_family(&p, "sockwatch_events_total", SW_PROM_COUNTER,
		       "Events decoded from the ring buffer.");
	sw_prom_u64(&p, SW_PROM_LABELS({ "kind", "connect" }), 1000);
	sw_prom_u64(&p, SW_PROM_LABELS({ "kind", "close" }), 998);
	sw_prom_family(&p, "sockwatch_leak_score", SW_PROM_GAUGE,
		       "EWMA leak score of the top processes.");
	sw_prom_double(&p, SW_PROM_LABELS({ "comm", "weird\\name\n" }), 0.25);
	sw_prom_double(&p, SW_PROM_LABELS({ "comm", "nan" }), NAN);
	sw_prom_double(&p, SW_PROM_LABELS({ "comm", "inf" }), INFINITY);
	sw_prom_family(&p, "sockwatch_socket_lifetime_seconds",
		       SW_PROM_HISTOGRAM, "Lifetime of closed sockets.");
	sw_prom_histogram(&p, SW_PROM_LABELS({ "proto", "tcp" }), lb, 8, lc,
			  1234.5678);
	sw_prom_histogram(&p, SW_PROM_LABELS({ "proto", "udp" }), lb, 8, lc,
			  0.001);
	sw_prom_family(&p, "sockwatch_ring_drops_total", SW_PROM_COUNTER,
		       "Ring buffer reservations that failed.");
	sw_prom_u64(&p, NULL, 0, 0);
	sw_prom_family(&p, "sockwatch_uptime_seconds", SW_PROM_GAUGE,
		       "Seconds since the agent started.");
	sw_prom_double(&p, NULL, 0, 3.75);
	assert_null(sw_prom_error(&p));
	out = sw_prom_steal(&p, len);
	return out;
}

/* promtool check metrics must print nothing and exit 0. */
static void test_promtool_accepts(void **state)
{
	char cmd[256], tmpl[] = "/tmp/sw-prom-XXXXXX", line[512];
	size_t len, printed = 0;
	char *out = sample_exposition(&len);
	FILE *f, *pt;
	int fd, st;

	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fwrite(out, 1, len, f);
	fclose(f);
	free(out);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1", tmpl);
	pt = popen(cmd, "r");
	assert_non_null(pt);
	while (fgets(line, sizeof(line), pt)) {
		fprintf(stderr, "promtool: %s", line);
		printed++;
	}
	st = pclose(pt);
	unlink(tmpl);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(printed, 0);
}

/* And promtool does complain about what the writer reports, a control. */
static void test_promtool_control(void **state)
{
	FILE *pt = popen("printf '# HELP x_total h\\n# TYPE x_total gauge\\nx_total 1\\n' | promtool check metrics >/dev/null 2>&1", "r");
	int st;

	assert_non_null(pt);
	st = pclose(pt);
	assert_true(WIFEXITED(st));
	assert_int_not_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_help_type_once),
		cmocka_unit_test(test_empty_family_writes_nothing),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_histogram_cumulative),
		cmocka_unit_test(test_histogram_bad_bounds),
		cmocka_unit_test(test_number_format),
		cmocka_unit_test(test_promtool_accepts),
		cmocka_unit_test(test_promtool_control),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

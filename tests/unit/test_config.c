// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The config file: every key, every kind of error, with its line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "agent/config.h"

#define SEC 1000000000ULL

static struct sw_config cfg;

static int load(const char *text, char *err, size_t len)
{
	return sw_config_load_string("t.ini", text, &cfg, err, len);
}

static void test_defaults(void **state)
{
	struct sw_config c;

	sw_config_defaults(&c);
	assert_int_equal(c.ewma.min_ports, 100);
	assert_int_equal(c.ewma.max_ports, 65536);
	assert_int_equal(c.ewma.breach_ns, 25 * SEC);
	assert_int_equal(c.allow.n, 0);
	assert_int_equal(c.leaks.close_wait_ns, 60 * SEC);
	assert_int_equal(c.leaks.idle_ns, 300 * SEC);
	assert_true(c.leaks.fd_headroom_percent == 80);
	assert_true(sw_protect_port_is_critical(&c.protection, 443));
	assert_int_equal(c.protection.active_bytes, 1024);
	assert_int_equal(c.on_breach.kind, SW_ACTION_NONE);
	assert_int_equal(c.agent.max_keys, 4096);
	assert_int_equal(c.agent.key_idle_ns, 300 * SEC);
	assert_int_equal(c.agent.reconcile_ns, 10 * SEC);
	assert_int_equal(c.agent.ring_buffer_kb, 1024);
	assert_false(c.agent.self_stats);
	assert_int_equal(c.agent.event_buffer, SW_BUF_RING);
	assert_string_equal(c.http.listen, "127.0.0.1:9178");
	assert_string_equal(c.http.token_file, "");
	assert_int_equal(c.http.top_k, 20);
	assert_int_equal(c.http.max_connections, 64);
	assert_int_equal(c.http.per_ip_connections, 16);
	assert_int_equal(c.http.timeout_ns, 10 * SEC);
	assert_int_equal(c.health.interval_ns, 30 * SEC);
	assert_true(c.health.ephemeral_warning_percent == 60);
	assert_true(c.health.ephemeral_critical_percent == 80);
	assert_int_equal(c.health.time_wait_warning, 10);
	assert_int_equal(c.health.connections_warning, 10000);
	assert_int_equal(c.health.nofile_warning, 1024);
	assert_true(c.flood.connections_per_second == 100);
	assert_int_equal(c.flood.window_ns, 5 * SEC);
	assert_string_equal(c.manifest.path, "");
}

static const char full[] =
	"; every key\n"
	"[ewma]\n"
	"min_ports = 50\n"
	"max_ports = 500\n"
	"max_difference = 0.35\n"
	"short_samples = 5\n"
	"long_samples = 30\n"
	"interval_seconds = 0.5\n"
	"breach_seconds = 12.25\n"
	"allow_addresses = 127.0.0.1, ::1\n"
	"[leaks]\n"
	"  close_wait_seconds = 1.5\n"		/* indented: still a key */
	"idle_seconds = 600\n"
	"fd_headroom_percent = 90.5\n"
	"[protection]\n"
	"critical_ports = 22,8000-8002\n"
	"infrastructure_patterns = nginx, envoy\n"
	"active_bytes = 4096\n"
	"min_age_seconds = 30\n"
	"[actions]\n"
	"on_breach = signal:TERM\n"
	"[agent]\n"
	"max_keys = 100\n"
	"key_idle_seconds = 60\n"
	"reconcile_seconds = 2\n"
	"ring_buffer_kb = 256\n"
	"self_stats = true\n"
	"event_buffer = perf\n"
	"[http]\n"
	"listen = [::1]:9999\n"
	"token_file = /etc/sockwatch/token\n"
	"top_k = 5\n"
	"max_connections = 10\n"
	"per_ip_connections = 2\n"
	"timeout_seconds = 3\n"
	"[health]\n"
	"interval_seconds = 15\n"
	"ephemeral_warning_percent = 50\n"
	"ephemeral_critical_percent = 70.5\n"
	"time_wait_warning = 20\n"
	"connections_warning = 500\n"
	"nofile_warning = 2048\n"
	"[flood]\n"
	"connections_per_second = 12.5\n"
	"window_seconds = 2\n"
	"[manifest]\n"
	"path = /etc/sockwatch/manifest.json\n";

static void test_every_key(void **state)
{
	char err[256] = "";
	__u8 lo[16] = { 127, 0, 0, 1 };

	assert_int_equal(load(full, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(cfg.ewma.min_ports, 50);
	assert_int_equal(cfg.ewma.max_ports, 500);
	assert_true(cfg.ewma.max_difference == 0.35);
	assert_int_equal(cfg.ewma.short_samples, 5);
	assert_int_equal(cfg.ewma.long_samples, 30);
	assert_int_equal(cfg.ewma.interval_ns, SEC / 2);
	assert_int_equal(cfg.ewma.breach_ns, 12250000000ULL);
	assert_int_equal(cfg.allow.n, 2);
	assert_true(sw_addr_list_contains(&cfg.allow, AF_INET, lo));
	assert_int_equal(cfg.allow.addr[1].family, AF_INET6);
	assert_int_equal(cfg.leaks.close_wait_ns, 1500000000ULL);
	assert_int_equal(cfg.leaks.idle_ns, 600 * SEC);
	assert_true(cfg.leaks.fd_headroom_percent == 90.5);
	assert_true(sw_protect_port_is_critical(&cfg.protection, 8002));
	assert_false(sw_protect_port_is_critical(&cfg.protection, 443));
	assert_int_equal(cfg.protection.npatterns, 2);
	assert_string_equal(cfg.protection.patterns[1], "envoy");
	assert_int_equal(cfg.protection.active_bytes, 4096);
	assert_int_equal(cfg.protection.min_age_ns, 30 * SEC);
	assert_int_equal(cfg.on_breach.kind, SW_ACTION_SIGNAL);
	assert_int_equal(cfg.on_breach.signo, 15);
	assert_int_equal(cfg.agent.max_keys, 100);
	assert_int_equal(cfg.agent.key_idle_ns, 60 * SEC);
	assert_int_equal(cfg.agent.reconcile_ns, 2 * SEC);
	assert_int_equal(cfg.agent.ring_buffer_kb, 256);
	assert_true(cfg.agent.self_stats);
	assert_int_equal(cfg.agent.event_buffer, SW_BUF_PERF);
	assert_string_equal(cfg.http.listen, "[::1]:9999");
	assert_string_equal(cfg.http.token_file, "/etc/sockwatch/token");
	assert_int_equal(cfg.http.top_k, 5);
	assert_int_equal(cfg.http.max_connections, 10);
	assert_int_equal(cfg.http.per_ip_connections, 2);
	assert_int_equal(cfg.http.timeout_ns, 3 * SEC);
	assert_int_equal(cfg.health.interval_ns, 15 * SEC);
	assert_true(cfg.health.ephemeral_warning_percent == 50);
	assert_true(cfg.health.ephemeral_critical_percent == 70.5);
	assert_int_equal(cfg.health.time_wait_warning, 20);
	assert_int_equal(cfg.health.connections_warning, 500);
	assert_int_equal(cfg.health.nofile_warning, 2048);
	assert_true(cfg.flood.connections_per_second == 12.5);
	assert_int_equal(cfg.flood.window_ns, 2 * SEC);
	assert_string_equal(cfg.manifest.path, "/etc/sockwatch/manifest.json");
	assert_string_equal(cfg.source, "t.ini");
}

/* Each bad file: the exact "FILE:LINE: reason" line. */
static const struct {
	const char *text;
	const char *want;
} bad[] = {
	{ "[ewma]\n[nosuch]\n", "t.ini:2: unknown section 'nosuch'" },
	{ "[ewma]\n[ nosuch\x1b[2J ]\n", "t.ini:2: unknown section 'nosuch\\x1b[2J'" },
	{ "[ewma] x\n", "t.ini:1: text after ']': 'x'" },
	{ "[ewma]]\n", "t.ini:1: text after ']': ']'" },
	{ "[ewma] ; comment\nmin_p\rorts = 3\n", "t.ini:2: unknown key 'min_p\\rorts' in [ewma]" },
	{ "[ewma]\nmin_ports = \xff\n", "t.ini:2: invalid UTF-8" },
	{ "[ewma]\nmin_ports = \xc0\xaf\n", "t.ini:2: invalid UTF-8" },
	{ "[ewma]\nmin_ports = \xed\xa0\x80\n", "t.ini:2: invalid UTF-8" },
	{ "[ewma]\nmin_ports = 1\x7f\n", "t.ini:2: [ewma] min_ports: bad number '1\\x7f' (want a whole number)" },
	{ "[ewma]\nmin_portz = 3\n", "t.ini:2: unknown key 'min_portz' in [ewma]" },
	{ "min_ports = 3\n", "t.ini:1: key 'min_ports' outside of any section" },
	{ "[ewma]\n\nmin_ports = abc\n",
	  "t.ini:3: [ewma] min_ports: bad number 'abc' (want a whole number)" },
	{ "[ewma]\nmin_ports = -5\n",
	  "t.ini:2: [ewma] min_ports: bad number '-5' (want a whole number)" },
	{ "[ewma]\nmin_ports = 12x\n",
	  "t.ini:2: [ewma] min_ports: bad number '12x' (want a whole number)" },
	{ "[ewma]\nmin_ports =\n",
	  "t.ini:2: [ewma] min_ports: bad number '' (want a whole number)" },
	{ "[ewma]\nmin_ports = 0\n",
	  "t.ini:2: [ewma] min_ports: 0 is out of range (1 to 4294967295)" },
	{ "[ewma]\nmin_ports = 300\nmax_ports = 200\n",
	  "t.ini:3: [ewma] max_ports (200) must be greater than min_ports (300)" },
	{ "[ewma]\nmax_ports = 200\n\nmin_ports = 200\n",
	  "t.ini:4: [ewma] max_ports (200) must be greater than min_ports (200)" },
	{ "[ewma]\nmin_ports = 70000\n",
	  "t.ini:2: [ewma] max_ports (65536) must be greater than min_ports (70000)" },
	{ "[ewma]\nshort_samples = 50\n",
	  "t.ini:2: [ewma] short_samples (50) must be less than long_samples (50)" },
	{ "[ewma]\nlong_samples = 2\n",
	  "t.ini:2: [ewma] long_samples must be greater than 2 (is 2)" },
	{ "[ewma]\nmax_difference = 0\n",
	  "t.ini:2: [ewma] max_difference: must be greater than 0" },
	{ "[ewma]\nmax_difference = nan\n",
	  "t.ini:2: [ewma] max_difference: bad number 'nan'" },
	{ "[ewma]\ninterval_seconds = 0\n",
	  "t.ini:2: [ewma] interval_seconds: must be greater than 0" },
	{ "[ewma]\nbreach_seconds = 1.5s\n",
	  "t.ini:2: [ewma] breach_seconds: bad number '1.5s'" },
	{ "[ewma]\nallow_addresses = 127.0.0.1, localhost\n",
	  "t.ini:2: [ewma] allow_addresses: bad IP address 'localhost'" },
	{ "[leaks]\nfd_headroom_percent = 101\n",
	  "t.ini:2: [leaks] fd_headroom_percent: 101 is out of range (0 to 100)" },
	{ "[protection]\ncritical_ports = 22,70000\n",
	  "t.ini:2: [protection] critical_ports: bad port or range '70000' (want 1-65535 or LOW-HIGH)" },
	{ "[protection]\ninfrastructure_patterns = a,,b\n",
	  "t.ini:2: [protection] infrastructure_patterns: empty pattern" },
	{ "[actions]\non_breach = reboot\n",
	  "t.ini:2: [actions] on_breach: bad action 'reboot' (want exec:PATH, signal:NAME or none)" },
	{ "[actions]\non_breach = exec:run.sh\n",
	  "t.ini:2: [actions] on_breach: exec: needs an absolute path, not 'run.sh'" },
	{ "[actions]\non_breach = signal:NOPE\n",
	  "t.ini:2: [actions] on_breach: unknown signal 'NOPE'" },
	{ "[agent]\nring_buffer_kb = 1000\n",
	  NULL /* checked by prefix below: page size in the text */ },
	{ "[agent]\nself_stats = maybe\n",
	  "t.ini:2: [agent] self_stats: 'maybe' is not a boolean (true or false)" },
	{ "[agent]\nevent_buffer = perf\x01\n",
	  "t.ini:2: [agent] event_buffer: 'perf\\x01' is not an event buffer (ring, shared-ring or perf)" },
	{ "[agent]\nmax_keys = 0\n",
	  "t.ini:2: [agent] max_keys: 0 is out of range (1 to 1048576)" },
	{ "[http]\nlisten = localhost:80\n",
	  "t.ini:2: [http] listen: bad listen address 'localhost:80' (want ADDR:PORT or [ADDR6]:PORT)" },
	{ "[http]\nlisten = 127.0.0.1\n",
	  "t.ini:2: [http] listen: bad listen address '127.0.0.1' (want ADDR:PORT or [ADDR6]:PORT)" },
	{ "[http]\nmax_connections = 4\nper_ip_connections = 8\n",
	  "t.ini:3: [http] per_ip_connections (8) must not exceed max_connections (4)" },
	{ "[health]\nephemeral_warning_percent = 90\n",
	  "t.ini:2: [health] ephemeral_warning_percent (90) must be less than ephemeral_critical_percent (80)" },
	{ "[flood]\nwindow_seconds = 0\n",
	  "t.ini:2: [flood] window_seconds: must be greater than 0" },
	{ "[ewma]\nthis is not a key\n",
	  "t.ini:2: syntax error (want [section] or key = value)" },
	{ "[ewma\n", "t.ini:1: syntax error (want [section] or key = value)" },
};

static void test_errors(void **state)
{
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&cfg, 0xab, sizeof(cfg));
		err[0] = '\0';
		assert_int_equal(load(bad[i].text, err, sizeof(err)), -1);
		if (bad[i].want)
			assert_string_equal(err, bad[i].want);
		else
			assert_non_null(strstr(err, "t.ini:2: [agent] ring_buffer_kb: "
						    "1000 KiB is not a power of 2"));
		assert_null(strchr(err, '\n'));
		/* out untouched on failure */
		assert_int_equal(((unsigned char *)&cfg)[0], 0xab);
	}
}

static void test_long_line(void **state)
{
	char text[512], err[256];

	memset(text, 'x', sizeof(text));
	memcpy(text, "[manifest]\npath = /", 19);
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(load(text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "t.ini:2: line too long"));
}

/*
 * Bytes that are not a text file: a NUL anywhere (it used to hide the rest
 * of its line), binary garbage, and files that never end.
 */
static void test_binary(void **state)
{
	static const char nul_mid[] = "[ewma]\nmin_ports = 1\0garbage\nmax_ports = 2\n";
	static const char nul_only[64];
	char err[256], *big;
	struct sw_config c;
	size_t n = 2 << 20;

	assert_int_equal(sw_config_load_mem("t.ini", nul_mid, sizeof(nul_mid) - 1,
					    &c, err, sizeof(err)), -1);
	assert_string_equal(err, "t.ini:2: NUL byte (not a text file?)");
	assert_int_equal(sw_config_load_mem("t.ini", nul_only, sizeof(nul_only),
					    &c, err, sizeof(err)), -1);
	assert_string_equal(err, "t.ini:1: NUL byte (not a text file?)");
	/* /dev/zero: refused at its first byte, not read until memory runs out */
	assert_int_equal(sw_config_load("/dev/zero", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "/dev/zero:1: NUL byte (not a text file?)");
	assert_int_equal(sw_config_load("/tmp", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "/tmp: is a directory, not a config file");
	/* endless blank lines: bounded by size */
	big = malloc(n);
	assert_non_null(big);
	memset(big, '\n', n);
	assert_int_equal(sw_config_load_mem("t.ini", big, n, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ": file larger than 1048576 bytes"));
	free(big);
	/* empty is fine: defaults */
	assert_int_equal(sw_config_load_mem("t.ini", "", 0, &c, err, sizeof(err)), 0);
}

static void test_comments_and_ring_sizes(void **state)
{
	char err[256];
	long page = sysconf(_SC_PAGESIZE);
	char text[128];

	assert_int_equal(load("# comment\n; another\n[ewma]\n"
			      "min_ports = 10 ; inline\n", err, sizeof(err)), 0);
	assert_int_equal(cfg.ewma.min_ports, 10);
	snprintf(text, sizeof(text), "[agent]\nring_buffer_kb = %ld\n", page / 1024);
	assert_int_equal(load(text, err, sizeof(err)), 0);
	snprintf(text, sizeof(text), "[agent]\nring_buffer_kb = %ld\n", page / 2048);
	if (page >= 2048)
		assert_int_equal(load(text, err, sizeof(err)), -1);
}

static void test_file(void **state)
{
	char path[] = "/tmp/sw-config-XXXXXX", err[256];
	struct sw_config c;
	FILE *f;
	int fd;

	assert_int_equal(sw_config_load("/nonexistent/x.ini", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/x.ini: cannot open: No such file or directory");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("[leaks]\nclose_wait_seconds = 2\n[ewma]\nshort_samples = 60\n", f);
	fclose(f);
	assert_int_equal(sw_config_load(path, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":4: [ewma] short_samples (60) must be less than"));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	f = fopen(path, "w");
	fputs("[leaks]\nclose_wait_seconds = 2\n", f);
	fclose(f);
	assert_int_equal(sw_config_load(path, &c, err, sizeof(err)), 0);
	assert_int_equal(c.leaks.close_wait_ns, 2 * SEC);
	unlink(path);
}

static void test_value_parsers(void **state)
{
	char err[128];
	__u64 ns, u;
	double d;

	assert_int_equal(sw_parse_seconds("0.000000001", &ns, err, sizeof(err)), 0);
	assert_int_equal(ns, 1);
	assert_int_equal(sw_parse_seconds(".5", &ns, err, sizeof(err)), 0);
	assert_int_equal(ns, SEC / 2);
	assert_int_equal(sw_parse_seconds("-1", &ns, err, sizeof(err)), -1);
	assert_int_equal(sw_parse_seconds("inf", &ns, err, sizeof(err)), -1);
	assert_int_equal(sw_parse_seconds("1e99", &ns, err, sizeof(err)), -1);
	assert_int_equal(sw_parse_u64("18446744073709551616", 0, UINT64_MAX, &u,
				      err, sizeof(err)), -1);
	assert_int_equal(sw_parse_double("0x10", 0, 100, &d, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_comments_and_ring_sizes),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_value_parsers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

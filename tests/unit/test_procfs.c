// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Parsers of /proc text, fed from buffers; and the readers on this process. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "table/procfs.h"

static void test_cmdline_nul_to_space(void **state)
{
	char buf[64];

	memcpy(buf, "python3\0-m\0http.server\0", 23);
	sw_cmdline_from_buf(buf, 23);
	assert_string_equal(buf, "python3 -m http.server");
}

static void test_cmdline_empty_and_trailing(void **state)
{
	char buf[16] = "";

	sw_cmdline_from_buf(buf, 0);
	assert_string_equal(buf, "");
	memcpy(buf, "a\0\0\0", 4);
	sw_cmdline_from_buf(buf, 4);
	assert_string_equal(buf, "a");
	/* setproctitle-style: one argument holding spaces and a newline */
	memcpy(buf, "nginx: w\nx", 10);
	sw_cmdline_from_buf(buf, 10);
	assert_string_equal(buf, "nginx: w x");
}

static void test_stat_simple(void **state)
{
	struct sw_proc_stat st;
	const char *line = "1234 (sshd) S 1 1234 1234 0 -1 4194560 1 2 3 4 5 6 7 8 "
			   "20 0 1 0 98765 1000 200 18446744073709551615\n";

	assert_int_equal(sw_parse_stat(line, &st), 0);
	assert_string_equal(st.comm, "sshd");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.start_ticks, 98765);
}

static void test_stat_hostile_comm(void **state)
{
	struct sw_proc_stat st;
	/* comm may hold spaces and ")": the last ")" ends it */
	const char *line = "77 (a) b (c)) R 5 77 77 0 -1 0 0 0 0 0 0 0 0 0 "
			   "20 0 1 0 42 0 0\n";

	assert_int_equal(sw_parse_stat(line, &st), 0);
	assert_string_equal(st.comm, "a) b (c)");
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 5);
	assert_int_equal(st.start_ticks, 42);
}

static void test_stat_garbage(void **state)
{
	struct sw_proc_stat st;

	assert_int_not_equal(sw_parse_stat("", &st), 0);
	assert_int_not_equal(sw_parse_stat("12 (x", &st), 0);
	assert_int_not_equal(sw_parse_stat("12 (x) S 1 2", &st), 0);
}

static void test_btime(void **state)
{
	assert_int_equal(sw_parse_btime("cpu  1 2 3\nintr 5\nbtime 1700000000\n"),
			 1700000000);
	assert_int_equal(sw_parse_btime("cpu 1\n"), 0);
}

static void test_self_readers(void **state)
{
	char buf[256];
	__u64 soft, hard;
	time_t since;

	assert_int_equal(sw_proc_comm(getpid(), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "test_procfs");
	assert_int_equal(sw_proc_cmdline(getpid(), buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, "test_procfs"));
	assert_int_equal(sw_proc_start_time(getpid(), &since), 0);
	assert_true(since <= time(NULL) && since > time(NULL) - 600);
	assert_true(sw_proc_fd_count(getpid()) >= 3);
	assert_int_equal(sw_proc_nofile(getpid(), &soft, &hard), 0);
	assert_true(soft > 0 && soft <= hard);
	assert_true(sw_proc_comm(0x7ffffff0, buf, sizeof(buf)) < 0);
}

/*
 * The fd count, whichever way the kernel gives it, is exact: 40 more
 * descriptors count 40 more; the fd table's size bounds it from above.
 */
static void test_fd_count_exact(void **state)
{
	int fds[40], before, i;

	before = sw_proc_fd_count(getpid());
	assert_true(before >= 3);
	for (i = 0; i < 40; i++)
		assert_true((fds[i] = dup(0)) >= 0);
	assert_int_equal(sw_proc_fd_count(getpid()), before + 40);
	assert_true(sw_proc_fd_table_size(getpid()) >= before + 40);
	for (i = 0; i < 40; i++)
		close(fds[i]);
	assert_int_equal(sw_proc_fd_count(getpid()), before);
	assert_true(sw_proc_fd_count(0x7ffffff0) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_count_exact),
		cmocka_unit_test(test_cmdline_nul_to_space),
		cmocka_unit_test(test_cmdline_empty_and_trailing),
		cmocka_unit_test(test_stat_simple),
		cmocka_unit_test(test_stat_hostile_comm),
		cmocka_unit_test(test_stat_garbage),
		cmocka_unit_test(test_btime),
		cmocka_unit_test(test_self_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

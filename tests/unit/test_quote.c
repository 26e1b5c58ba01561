// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sw_quote: user input in one-line messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "lib/quote.h"

static void test_plain_and_escapes(void **state)
{
	char b[SW_QUOTE_LEN];

	assert_string_equal(sw_quote(b, sizeof(b), "abc"), "'abc'");
	assert_string_equal(sw_quote(b, sizeof(b), ""), "''");
	assert_string_equal(sw_quote(b, sizeof(b), NULL), "''");
	assert_string_equal(sw_quote(b, sizeof(b), "a\r\nb\tc"), "'a\\r\\nb\\tc'");
	assert_string_equal(sw_quote(b, sizeof(b), "\x1b[2J"), "'\\x1b[2J'");
	assert_string_equal(sw_quote(b, sizeof(b), "it's \\"), "'it\\'s \\\\'");
	assert_string_equal(sw_quote(b, sizeof(b), "\x7f\xff"), "'\\x7f\\xff'");
	assert_string_equal(sw_quote_mem(b, sizeof(b), "a\0b", 3), "'a\\x00b'");
}

/* Long input is cut with "..." and the result always fits, NUL included. */
static void test_truncation(void **state)
{
	char b[16], in[200];
	size_t size;

	memset(in, 'x', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	sw_quote(b, sizeof(b), in);
	assert_string_equal(b, "'xxxxxxxxxx...'");
	for (size = 6; size <= sizeof(b); size++) {
		char o[16];

		memset(o, 'Z', sizeof(o));
		sw_quote(o, size, in);
		assert_true(strlen(o) < size);
		assert_int_equal(o[0], '\'');
		assert_int_equal(o[strlen(o) - 1], '\'');
		memset(in, '\n', 20);
		sw_quote(o, size, in);
		assert_true(strlen(o) < size);
		memset(in, 'x', 20);
	}
	/* exactly fitting input is not cut */
	assert_string_equal(sw_quote(b, sizeof(b), "0123456789abc"), "'0123456789abc'");
	/* too small for anything: empty, never overflowed */
	assert_string_equal(sw_quote(b, 5, "abc"), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_escapes),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

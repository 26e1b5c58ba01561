// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The EWMA detector against the worked examples of section 1 of the
 * detection semantics (figures to 4 decimal places), its validation and
 * its state machine.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "detect/ewma.h"

#define SEC 1000000000ULL

static const __u64 R[] = {
	100, 120, 130, 140, 150, 160, 170, 180, 190, 200,
	200, 200, 210, 220, 230, 230, 230, 230, 230,
};
#define NR (sizeof(R) / sizeof(R[0]))

/* Feed n samples one interval apart; index of the first failure, or -1. */
static int first_fail(struct sw_ewma *e, const struct sw_ewma_params *p,
		      const __u64 *xs, size_t n, double *max_rd)
{
	int first = -1;
	size_t i;

	sw_ewma_init(e, p);
	if (max_rd)
		*max_rd = -INFINITY;
	for (i = 0; i < n; i++) {
		sw_ewma_sample(e, p, xs[i], i * p->interval_ns);
		if (max_rd && e->rd > *max_rd)
			*max_rd = e->rd;
		if (e->fail && first < 0)
			first = i;
	}
	return first;
}

static void test_defaults(void **state)
{
	struct sw_ewma_params p;

	sw_ewma_params_default(&p);
	assert_int_equal(p.min_ports, 100);
	assert_int_equal(p.max_ports, 65536);
	assert_true(p.max_difference == 0.20);
	assert_int_equal(p.short_samples, 10);
	assert_int_equal(p.long_samples, 50);
	assert_int_equal(p.interval_ns, 1 * SEC);
	assert_int_equal(p.breach_ns, 25 * SEC);
	assert_int_equal(sw_ewma_params_check(&p, NULL, NULL, NULL, 0), 0);
}

static void test_seeded_at_min_ports(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;

	sw_ewma_params_default(&p);
	sw_ewma_init(&e, &p);
	assert_true(e.short_avg == 100.0 && e.long_avg == 100.0);
	/* below min_ports and never breached: nothing changes */
	sw_ewma_sample(&e, &p, 5, 0);
	assert_true(e.short_avg == 100.0 && e.long_avg == 100.0);
	assert_true(e.rd == 0.0);
	assert_false(e.fail);
	assert_true(sw_ewma_pristine(&e, &p));
}

static void test_below_min_never_fails(void **state)
{
	const __u64 xs[] = { 10, 20, 30, 40, 50, 60, 70, 80, 70, 70 };
	struct sw_ewma_params p;
	struct sw_ewma e;

	sw_ewma_params_default(&p);
	assert_int_equal(first_fail(&e, &p, xs, 10, NULL), -1);
	assert_int_equal(e.state, SW_EWMA_IDLE);
}

static void test_R_long40_fails_at_190(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;
	int i;

	sw_ewma_params_default(&p);
	p.long_samples = 40;
	i = first_fail(&e, &p, R, 9, NULL);	/* up to and with 190 */
	assert_int_equal(i, 8);
	assert_int_equal(R[i], 190);
	assert_float_equal(e.short_avg, 152.0286, 0.00005);
	assert_float_equal(e.long_avg, 118.9989, 0.00005);
	assert_float_equal(e.rd, 0.21726, 0.000005);
}

static void test_R_long25_never_fails(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;
	double max_rd;

	sw_ewma_params_default(&p);
	p.long_samples = 25;
	assert_int_equal(first_fail(&e, &p, R, NR, &max_rd), -1);
	assert_float_equal(max_rd, 0.18143, 0.000005);
}

static void test_R_max_ports_200(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;
	int i;

	sw_ewma_params_default(&p);
	p.max_ports = 200;
	i = first_fail(&e, &p, R, NR, NULL);
	assert_int_equal(R[i], 180);	/* rd crosses 0.20 before the count */
	first_fail(&e, &p, R, i + 1, NULL);
	assert_float_equal(e.rd, 0.21581, 0.000005);
	assert_true(e.count < p.max_ports);
}

/* 100, 101, ..., 1099 with max_ports 200: armed once, confirmed once. */
static void test_ramp_armed_and_confirmed_once(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;
	int armed = 0, confirmed = 0, other = 0, first = -1;
	enum sw_ewma_transition t;
	__u64 c;

	sw_ewma_params_default(&p);
	p.max_ports = 200;
	sw_ewma_init(&e, &p);
	for (c = 100; c <= 1099; c++) {
		t = sw_ewma_sample(&e, &p, c, (c - 100) * SEC);
		if (e.fail && first < 0)
			first = c;
		armed += t == SW_EWMA_T_ARMED;
		confirmed += t == SW_EWMA_T_CONFIRMED;
		other += t == SW_EWMA_T_CANCELLED || t == SW_EWMA_T_RECOVERED;
		if (t == SW_EWMA_T_CONFIRMED)	/* 25 samples after arming */
			assert_int_equal(c, 225);
	}
	assert_int_equal(first, 200);
	assert_int_equal(armed, 1);
	assert_int_equal(confirmed, 1);
	assert_int_equal(other, 0);
	assert_int_equal(e.state, SW_EWMA_CONFIRMED);
}

static void test_reset_below_min(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;

	sw_ewma_params_default(&p);
	sw_ewma_init(&e, &p);
	sw_ewma_sample(&e, &p, 150, 0);
	assert_true(e.breached);
	assert_true(e.short_avg > 100.0);
	sw_ewma_sample(&e, &p, 40, SEC);
	assert_false(e.breached);
	assert_true(e.short_avg == 40.0 && e.long_avg == 40.0);
	/* not breached any more: a second low sample changes nothing */
	sw_ewma_sample(&e, &p, 7, 2 * SEC);
	assert_true(e.short_avg == 40.0 && e.long_avg == 40.0);
}

static void test_zero_over_zero_never_fails(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;

	sw_ewma_params_default(&p);
	sw_ewma_init(&e, &p);
	sw_ewma_sample(&e, &p, 150, 0);
	sw_ewma_sample(&e, &p, 0, SEC);		/* reset to 0: 0/0 */
	assert_true(isnan(e.rd));
	assert_false(e.fail);
	assert_int_equal(e.state, SW_EWMA_IDLE);
}

static void test_inclusive_thresholds(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;

	sw_ewma_params_default(&p);
	p.max_ports = 150;
	sw_ewma_init(&e, &p);
	sw_ewma_sample(&e, &p, 149, 0);
	assert_false(e.fail);
	sw_ewma_sample(&e, &p, 150, SEC);	/* count == max_ports fails */
	assert_true(e.fail);

	/* rd == max_difference fails: take the rd of a sample as the limit */
	sw_ewma_params_default(&p);
	sw_ewma_init(&e, &p);
	sw_ewma_sample(&e, &p, 400, 0);
	p.max_difference = e.rd;
	sw_ewma_init(&e, &p);
	sw_ewma_sample(&e, &p, 400, 0);
	assert_true(e.fail);
}

/* Drive a detector with explicit fail/no-fail samples (min 1, max 10). */
static enum sw_ewma_transition step(struct sw_ewma *e,
				    const struct sw_ewma_params *p,
				    bool fail, __u64 t)
{
	return sw_ewma_sample(e, p, fail ? 10 : 1, t * SEC);
}

static void test_state_machine(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;

	sw_ewma_params_default(&p);
	p.min_ports = 5;	/* 1 stays below min: rd 0, no failure */
	p.max_ports = 10;
	p.max_difference = 1000;
	p.breach_ns = 5 * SEC;
	sw_ewma_init(&e, &p);

	assert_int_equal(step(&e, &p, false, 0), SW_EWMA_T_NONE);
	assert_int_equal(step(&e, &p, true, 1), SW_EWMA_T_ARMED);
	assert_int_equal(e.deadline_ns, 6 * SEC);
	/* failing again keeps the first deadline */
	assert_int_equal(step(&e, &p, true, 2), SW_EWMA_T_NONE);
	assert_int_equal(e.deadline_ns, 6 * SEC);
	/* recovery cancels */
	assert_int_equal(step(&e, &p, false, 3), SW_EWMA_T_CANCELLED);
	assert_int_equal(e.state, SW_EWMA_IDLE);
	/* re-armed with a new deadline */
	assert_int_equal(step(&e, &p, true, 4), SW_EWMA_T_ARMED);
	assert_int_equal(e.deadline_ns, 9 * SEC);
	assert_int_equal(step(&e, &p, true, 8), SW_EWMA_T_NONE);
	/* fires at the deadline, even if this very sample recovers */
	assert_int_equal(step(&e, &p, false, 9), SW_EWMA_T_CONFIRMED);
	assert_int_equal(e.state, SW_EWMA_CONFIRMED);
	assert_int_equal(step(&e, &p, false, 10), SW_EWMA_T_RECOVERED);
	assert_int_equal(e.state, SW_EWMA_IDLE);
}

static void test_confirmed_latches(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;
	int t;

	sw_ewma_params_default(&p);
	p.min_ports = 5;
	p.max_ports = 10;
	p.breach_ns = 2 * SEC;
	sw_ewma_init(&e, &p);
	assert_int_equal(step(&e, &p, true, 0), SW_EWMA_T_ARMED);
	assert_int_equal(step(&e, &p, true, 2), SW_EWMA_T_CONFIRMED);
	for (t = 3; t < 100; t++)
		assert_int_equal(step(&e, &p, true, t), SW_EWMA_T_NONE);
}

static void test_poll_between_samples(void **state)
{
	struct sw_ewma_params p;
	struct sw_ewma e;

	sw_ewma_params_default(&p);
	p.min_ports = 5;
	p.max_ports = 10;
	p.breach_ns = 3 * SEC;
	sw_ewma_init(&e, &p);
	step(&e, &p, true, 0);
	assert_int_equal(sw_ewma_poll(&e, 3 * SEC - 1), SW_EWMA_T_NONE);
	assert_int_equal(sw_ewma_poll(&e, 3 * SEC), SW_EWMA_T_CONFIRMED);
	assert_int_equal(sw_ewma_poll(&e, 4 * SEC), SW_EWMA_T_NONE);
}

static void expect_invalid(struct sw_ewma_params *p, enum sw_ewma_field want,
			   const char *needle)
{
	enum sw_ewma_field f;
	char err[128];

	assert_int_equal(sw_ewma_params_check(p, NULL, &f, err, sizeof(err)), -1);
	assert_int_equal(f, want);
	assert_non_null(strstr(err, needle));
	sw_ewma_params_default(p);
}

static void test_validation(void **state)
{
	static const char *const flags[SW_EWMA_NFIELDS] = {
		"--min-ports", "--max-ports", "--max-difference", "--short",
		"--long", "--interval", "--breach-duration",
	};
	struct sw_ewma_params p;
	char err[128];

	sw_ewma_params_default(&p);
	p.min_ports = 0;
	expect_invalid(&p, SW_EWMA_F_MIN_PORTS, "min_ports");
	p.max_ports = 100;			/* == min_ports */
	expect_invalid(&p, SW_EWMA_F_MAX_PORTS, "max_ports (100) must be greater");
	p.max_ports = 101;
	assert_int_equal(sw_ewma_params_check(&p, NULL, NULL, NULL, 0), 0);
	p.max_difference = 0;
	expect_invalid(&p, SW_EWMA_F_MAX_DIFFERENCE, "max_difference");
	p.max_difference = -0.5;
	expect_invalid(&p, SW_EWMA_F_MAX_DIFFERENCE, "max_difference");
	p.max_difference = NAN;
	expect_invalid(&p, SW_EWMA_F_MAX_DIFFERENCE, "max_difference");
	p.long_samples = 2;
	p.short_samples = 1;
	expect_invalid(&p, SW_EWMA_F_LONG_SAMPLES, "long_samples");
	p.long_samples = 3;
	p.short_samples = 2;
	assert_int_equal(sw_ewma_params_check(&p, NULL, NULL, NULL, 0), 0);
	p.short_samples = 50;			/* == long */
	expect_invalid(&p, SW_EWMA_F_SHORT_SAMPLES, "less than long_samples");
	p.short_samples = 0;
	expect_invalid(&p, SW_EWMA_F_SHORT_SAMPLES, "short_samples");
	p.interval_ns = 0;
	expect_invalid(&p, SW_EWMA_F_INTERVAL, "interval_seconds");

	/* messages name what the caller names: here, flags */
	p.min_ports = 300;
	p.max_ports = 200;
	assert_int_equal(sw_ewma_params_check(&p, flags, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "--max-ports (200) must be greater than "
				 "--min-ports (300)");
}

static void test_names(void **state)
{
	assert_string_equal(sw_ewma_transition_name(SW_EWMA_T_ARMED), "armed");
	assert_string_equal(sw_ewma_transition_name(SW_EWMA_T_CANCELLED), "cancelled");
	assert_string_equal(sw_ewma_transition_name(SW_EWMA_T_CONFIRMED), "confirmed");
	assert_string_equal(sw_ewma_transition_name(SW_EWMA_T_RECOVERED), "recovered");
	assert_string_equal(sw_ewma_state_name(SW_EWMA_ARMED), "armed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_seeded_at_min_ports),
		cmocka_unit_test(test_below_min_never_fails),
		cmocka_unit_test(test_R_long40_fails_at_190),
		cmocka_unit_test(test_R_long25_never_fails),
		cmocka_unit_test(test_R_max_ports_200),
		cmocka_unit_test(test_ramp_armed_and_confirmed_once),
		cmocka_unit_test(test_reset_below_min),
		cmocka_unit_test(test_zero_over_zero_never_fails),
		cmocka_unit_test(test_inclusive_thresholds),
		cmocka_unit_test(test_state_machine),
		cmocka_unit_test(test_confirmed_latches),
		cmocka_unit_test(test_poll_between_samples),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

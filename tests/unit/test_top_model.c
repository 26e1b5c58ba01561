// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch top's model, fed with API documents as the agent writes them:
 * rows and header, rates from two updates, the TIME_WAIT window, sorting,
 * filters, grouping, cells, and the column layout on small terminals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "top/top_model.h"
#include "top/top_view.h"

/* A process as /api/v1/processes writes it. */
static json_t *proc(unsigned pid, const char *comm, unsigned open, unsigned estab,
		    unsigned cw, unsigned listen, unsigned created,
		    unsigned closed, unsigned active)
{
	json_t *tcp = json_object();

	if (estab)
		json_object_set_new(tcp, "ESTABLISHED", json_integer(estab));
	if (cw)
		json_object_set_new(tcp, "CLOSE_WAIT", json_integer(cw));
	if (listen)
		json_object_set_new(tcp, "LISTEN", json_integer(listen));
	return json_pack("{s:i, s:s, s:i, s:o, s:i, s:i, s:i, s:i, s:n, s:b, s:n}",
			 "pid", pid, "comm", comm, "open", open, "tcp", tcp,
			 "udp", 0, "created_total", created,
			 "closed_total", closed, "active_closes_total", active,
			 "oldest_close_wait_seconds", "suspect", 0, "detector");
}

static json_t *status(unsigned creates, unsigned closes)
{
	return json_pack("{s:i, s:{s:i, s:i}, s:{s:i, s:i, s:i}, s:i, s:i, s:i}",
			 "sockets", 12,
			 "tcp", "ESTABLISHED", 4, "CLOSE_WAIT", 3,
			 "events", "create", creates, "accept", 0, "close", closes,
			 "udp", 1, "events_total", 99, "events_dropped", 2);
}

static json_t *procs(json_t *a, json_t *b, json_t *c)
{
	json_t *arr = json_array();

	json_array_append_new(arr, a);
	if (b)
		json_array_append_new(arr, b);
	if (c)
		json_array_append_new(arr, c);
	return json_pack("{s:o}", "processes", arr);
}

/* One update; the documents are released. */
static void update(struct top_model *m, double now, json_t *st, json_t *ps,
		   const __u32 *pids, size_t npids)
{
	json_t *leaks = json_pack("{s:[{s:i}]}", "suspects", "pid", 1);
	json_t *health = json_pack("{s:s, s:[{s:[{s:s, s:s, s:i, s:i, s:f}]}]}",
				   "status", "warning", "checks", "tuples",
				   "source", "10.0.0.1", "destination", "10.0.0.2",
				   "destination_port", 443, "used", 100, "percent", 0.35);
	char err[128];

	assert_int_equal(top_model_update(m, now, st, ps, leaks, health, pids,
					  npids, err, sizeof(err)), 0);
	json_decref(st);
	json_decref(ps);
	json_decref(leaks);
	json_decref(health);
}

static const struct top_row *row_of(const struct top_model *m, __u32 pid)
{
	size_t i;

	for (i = 0; i < m->nrows; i++)
		if (m->rows[i].pid == pid)
			return &m->rows[i];
	return NULL;
}

static void test_rows_and_header(void **state)
{
	struct top_model m;

	top_model_init(&m);
	update(&m, 100, status(10, 5),
	       procs(proc(1, "leaky", 6, 0, 5, 1, 6, 0, 0),
		     proc(2, "polite", 3, 2, 0, 1, 40, 37, 0), NULL), NULL, 0);
	assert_int_equal(m.nrows, 2);
	assert_int_equal(row_of(&m, 1)->close_wait, 5);
	assert_int_equal(row_of(&m, 1)->listen, 1);
	assert_int_equal(row_of(&m, 2)->estab, 2);
	/* first update: no rates yet */
	assert_true(row_of(&m, 1)->opened_rate < 0);
	assert_true(m.hdr.opened_rate < 0);
	assert_int_equal(m.hdr.sockets, 12);
	assert_int_equal(m.hdr.tcp[SW_TCP_CLOSE_WAIT], 3);
	assert_int_equal(m.hdr.udp, 1);
	assert_int_equal(m.hdr.drops, 2);
	assert_int_equal(m.hdr.suspects, 1);
	assert_string_equal(m.hdr.health, "warning");
	assert_string_equal(m.hdr.tuple, "10.0.0.1->10.0.0.2:443");
	assert_int_equal(m.hdr.tuple_used, 100);
	/* default sort: most sockets first */
	assert_int_equal(m.rows[0].pid, 1);
	top_model_free(&m);
}

static void test_rates(void **state)
{
	struct top_model m;

	top_model_init(&m);
	update(&m, 100, status(10, 5),
	       procs(proc(2, "polite", 3, 2, 0, 1, 40, 37, 0), NULL, NULL), NULL, 0);
	update(&m, 102, status(50, 25),
	       procs(proc(2, "polite", 3, 2, 0, 1, 60, 47, 0),
		     proc(3, "newbie", 1, 1, 0, 0, 4, 3, 0), NULL), NULL, 0);
	assert_float_equal(row_of(&m, 2)->opened_rate, 10.0, 1e-9);
	assert_float_equal(row_of(&m, 2)->closed_rate, 5.0, 1e-9);
	/* new since the last update: its counters started at 0 */
	assert_float_equal(row_of(&m, 3)->opened_rate, 2.0, 1e-9);
	assert_float_equal(m.hdr.opened_rate, 20.0, 1e-9);
	assert_float_equal(m.hdr.closed_rate, 10.0, 1e-9);
	/* a counter that went down restarted (the entry expired meanwhile) */
	update(&m, 103, status(50, 25),
	       procs(proc(2, "polite", 3, 2, 0, 1, 3, 2, 0), NULL, NULL), NULL, 0);
	assert_float_equal(row_of(&m, 2)->opened_rate, 3.0, 1e-9);
	top_model_free(&m);
}

/* TIME_WAIT caused: active closes of the last 60 s only. */
static void test_time_wait_window(void **state)
{
	struct top_model m;
	double t;
	unsigned active = 0;

	top_model_init(&m);
	/* 10 active closes per second for 100 s, one update a second */
	for (t = 0; t <= 100; t++, active += 10)
		update(&m, t, status(0, 0),
		       procs(proc(7, "client", 1, 1, 0, 0, active, active, active),
			     NULL, NULL), NULL, 0);
	assert_in_range(row_of(&m, 7)->time_wait, 590, 610);
	/* a process that owns nothing shows while it churns (7), not once
	 * its counters stand still (8) */
	update(&m, 101, status(0, 0),
	       procs(proc(7, "client", 0, 0, 0, 0, active, active, active),
		     proc(8, "idle", 0, 0, 0, 0, 5, 5, 0), NULL), NULL, 0);
	assert_non_null(row_of(&m, 8));
	active += 10;
	update(&m, 102, status(0, 0),
	       procs(proc(7, "client", 0, 0, 0, 0, active, active, active),
		     proc(8, "idle", 0, 0, 0, 0, 5, 5, 0), NULL), NULL, 0);
	assert_non_null(row_of(&m, 7));
	assert_null(row_of(&m, 8));
	top_model_free(&m);
}

static void three(struct top_model *m)
{
	update(m, 1, status(0, 0),
	       procs(proc(10, "bravo", 5, 5, 0, 0, 0, 0, 0),
		     proc(11, "alpha", 9, 1, 2, 1, 0, 0, 0),
		     proc(12, "charlie", 5, 0, 5, 0, 0, 0, 0)), NULL, 0);
}

static void test_sort(void **state)
{
	struct top_model m;

	top_model_init(&m);
	m.sort = TOP_COL_CLOSE_WAIT;
	three(&m);
	assert_int_equal(m.rows[0].pid, 12);
	assert_int_equal(m.rows[1].pid, 11);
	assert_int_equal(m.rows[2].pid, 10);
	m.reverse = true;
	top_model_sort(&m);
	assert_int_equal(m.rows[0].pid, 10);
	/* text ascends by nature */
	m.sort = TOP_COL_COMM;
	m.reverse = false;
	top_model_sort(&m);
	assert_string_equal(m.rows[0].comm, "alpha");
	assert_string_equal(m.rows[2].comm, "charlie");
	/* ties: most sockets, then pid */
	m.sort = TOP_COL_LISTEN;
	top_model_sort(&m);
	assert_int_equal(m.rows[0].pid, 11);
	assert_int_equal(m.rows[1].pid, 10);
	assert_int_equal(m.rows[2].pid, 12);
	top_model_free(&m);
}

static void test_filters(void **state)
{
	static const __u32 on_port[] = { 10, 12 };
	struct top_model m;

	top_model_init(&m);
	m.filter.pid = 11;
	three(&m);
	assert_int_equal(m.nrows, 1);
	assert_int_equal(m.rows[0].pid, 11);

	memset(&m.filter, 0, sizeof(m.filter));
	strcpy(m.filter.comm, "bravo");
	three(&m);
	assert_int_equal(m.nrows, 1);
	assert_int_equal(m.rows[0].pid, 10);

	memset(&m.filter, 0, sizeof(m.filter));
	m.filter.state = SW_TCP_CLOSE_WAIT + 1;
	three(&m);
	assert_int_equal(m.nrows, 2);
	assert_null(row_of(&m, 10));

	memset(&m.filter, 0, sizeof(m.filter));
	m.filter.port = 8080;
	update(&m, 2, status(0, 0),
	       procs(proc(10, "bravo", 5, 5, 0, 0, 0, 0, 0),
		     proc(11, "alpha", 9, 1, 2, 1, 0, 0, 0),
		     proc(12, "charlie", 5, 0, 5, 0, 0, 0, 0)), on_port, 2);
	assert_int_equal(m.nrows, 2);
	assert_null(row_of(&m, 11));
	top_model_free(&m);
}

static const char *by_parity(const struct top_row *r, void *ctx)
{
	return r->pid % 2 ? "odd" : "even";
}

static void test_group(void **state)
{
	struct top_model m;

	top_model_init(&m);
	m.sort = TOP_COL_CLOSE_WAIT;
	three(&m);
	assert_int_equal(top_model_group(&m, by_parity, NULL), 0);
	assert_int_equal(m.nrows, 2);
	/* even: 10 and 12 */
	assert_string_equal(m.rows[0].key, "even");
	assert_int_equal(m.rows[0].pid, 0);
	assert_int_equal(m.rows[0].nproc, 2);
	assert_int_equal(m.rows[0].sockets, 10);
	assert_int_equal(m.rows[0].close_wait, 5);
	assert_string_equal(m.rows[1].key, "odd");
	assert_int_equal(m.rows[1].close_wait, 2);
	top_model_free(&m);
}

static void test_columns_and_cells(void **state)
{
	struct top_row r = { .pid = 42, .rd = NAN, .breach = TOP_BREACH_NONE,
			     .cw_age = 125, .opened_rate = -1, .leak = true };
	char buf[64];
	int c;

	for (c = 0; c < TOP_NCOLS; c++) {
		assert_int_equal(top_col_parse(top_col_name(c)), c);
		assert_int_equal(top_col_by_key(top_col_key(c)), c);
	}
	assert_int_equal(top_col_parse("nosuch"), -1);
	top_cell(&r, TOP_COL_CW_AGE, buf, sizeof(buf));
	assert_string_equal(buf, "2m05s");
	top_cell(&r, TOP_COL_RD, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	top_cell(&r, TOP_COL_OPENED, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	top_cell(&r, TOP_COL_LEAK, buf, sizeof(buf));
	assert_string_equal(buf, "LEAK");
	top_fmt_age(3 * 86400 + 4 * 3600 + 5, buf, sizeof(buf));
	assert_string_equal(buf, "3d04h");
	top_sanitize(buf, sizeof(buf), "a\tb\xc3\xa9");
	assert_string_equal(buf, "a?b??");
}

static int layout_width(int n, const int *widths)
{
	int i, w = 0;

	for (i = 0; i < n; i++)
		w += widths[i] + (i > 0);
	return w;
}

static bool has_col(int n, const enum top_col *cols, enum top_col c)
{
	int i;

	for (i = 0; i < n; i++)
		if (cols[i] == c)
			return true;
	return false;
}

static void test_layout_small_terminals(void **state)
{
	enum top_col cols[TOP_NCOLS];
	int widths[TOP_NCOLS], n, w;

	n = top_layout(200, cols, widths);
	assert_int_equal(n, TOP_NCOLS);
	for (w = 200; w >= 30; w--) {
		n = top_layout(w, cols, widths);
		assert_true(layout_width(n, widths) <= w);
		assert_int_equal(cols[0], TOP_COL_PID);
		assert_int_equal(cols[1], TOP_COL_COMM);
	}
	/* 60 columns: the incident's figures stay */
	n = top_layout(60, cols, widths);
	assert_true(has_col(n, cols, TOP_COL_SOCKETS));
	assert_true(has_col(n, cols, TOP_COL_CLOSE_WAIT));
	assert_true(has_col(n, cols, TOP_COL_LEAK));
	assert_false(has_col(n, cols, TOP_COL_PROT));
	/* narrower than PID and COMM's minimum: COMM shrinks, no further */
	n = top_layout(10, cols, widths);
	assert_int_equal(n, 2);
	assert_int_equal(widths[1], 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_header),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_time_wait_window),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_columns_and_cells),
		cmocka_unit_test(test_layout_small_terminals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sockwatch top: the model. One screen's rows and header, computed from
 * the agent's API documents (/api/v1/status, /processes, /leaks, /health)
 * whatever their source (the agent in-process, or a running agent over
 * HTTP), so that both sources give the same figures. No I/O, no clock:
 * the caller passes the time; the renderers (top_text.c, top_curses.c)
 * only format what is here.
 *
 * Rates (opened/s, closed/s) are differences of the agent's lifetime
 * counters between two updates; "TIME_WAIT caused" is the active closes
 * of the last TOP_TW_WINDOW seconds (the kernel keeps a TIME_WAIT socket
 * that long), from a short history of those counters.
 */
#ifndef SW_TOP_MODEL_H
#define SW_TOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <jansson.h>
#include "sockwatch_abi.h"

#define TOP_TW_WINDOW	60.0	/* seconds: Linux's TIME_WAIT length */
#define TOP_HISTORY	64	/* counter samples kept for that window */
#define TOP_KEY_LEN	64

/* Columns of the process table, in screen order. */
enum top_col {
	TOP_COL_PID,
	TOP_COL_COMM,
	TOP_COL_SOCKETS,
	TOP_COL_ESTAB,
	TOP_COL_CLOSE_WAIT,
	TOP_COL_TIME_WAIT,
	TOP_COL_LISTEN,
	TOP_COL_OPENED,
	TOP_COL_CLOSED,
	TOP_COL_RD,
	TOP_COL_BREACH,
	TOP_COL_CW_AGE,
	TOP_COL_PROT,
	TOP_COL_LEAK,
	TOP_NCOLS
};

/* Detector state of a row's key; TOP_BREACH_NONE: no detector tracks it. */
enum top_breach { TOP_BREACH_NONE = -1, TOP_BREACH_IDLE, TOP_BREACH_ARMED,
		  TOP_BREACH_CONFIRMED };

/*
 * One row: a process, or a workload when grouped (pid 0, key set, sums;
 * rd and breach the worst of its processes). Rates and cw_age are < 0
 * when unknown (first update; no CLOSE_WAIT socket).
 */
struct top_row {
	__u32  pid;
	char   comm[SW_COMM_LEN];
	char   key[TOP_KEY_LEN];	/* group key; the pid as text otherwise */
	__u32  nproc;			/* processes in the row */
	__u64  sockets, estab, close_wait, listen;
	__u64  time_wait;		/* active closes in the last window */
	double opened_rate, closed_rate;	/* per second */
	double rd;			/* NaN: no detector */
	int    breach;			/* enum top_breach */
	double cw_age;			/* seconds, oldest CLOSE_WAIT */
	__u64  prot, unprot;		/* detector's protection breakdown */
	bool   leak;			/* a leak rule or a confirmed breach */
	/* the agent's lifetime counters this row was computed from */
	__u64  created, closed, active_closes;
	/* workload identity, "" when unknown: unit (or user unit), container
	 * (name, else short id), pod (namespace/name, else uid) */
	char   unit[TOP_KEY_LEN], container[TOP_KEY_LEN], pod[TOP_KEY_LEN];
};

/* The header: whole-node figures. */
struct top_header {
	__u64  tcp[SW_TCP_MAX_STATES];	/* sockets by TCP state */
	__u64  udp;
	__u64  sockets;
	double opened_rate, closed_rate;	/* < 0 unknown */
	__u64  events, drops;
	char   tuple[TOP_KEY_LEN];	/* fullest ephemeral-port tuple, "" none */
	double tuple_percent;
	__u64  tuple_used;
	char   health[16];		/* "healthy", ..., "unknown" */
	__u32  suspects;
};

/* Filters (-p, -c, --port, --state); a zero field filters nothing. */
struct top_filter {
	__u32 pid;
	char  comm[SW_COMM_LEN];
	__u16 port;		/* pids given by the caller (top_model_update) */
	int   state;		/* enum sw_tcp_state + 1; 0: any */
};

/* Counter sample for rates and the TIME_WAIT window, sorted by pid. */
struct top_sample {
	double t;
	size_t n;
	struct { __u32 pid; __u64 created, closed, active; } *v;
	__u64 created, closed;	/* node-wide: create+accept and close events */
};

struct top_model {
	struct top_header hdr;
	struct top_row *rows;	/* rows[0..nrows), filtered and sorted */
	size_t nrows, cap;
	enum top_col sort;
	bool reverse;		/* against the column's natural order */
	struct top_filter filter;
	bool has_workload;	/* the documents carry workload identity */
	struct top_sample hist[TOP_HISTORY];	/* ring, oldest first from head */
	size_t hhead, hcount;
};

void top_model_init(struct top_model *m);
void top_model_free(struct top_model *m);

/*
 * Rebuild the rows and header from the documents at time now (seconds,
 * monotonic). leaks and health may be NULL. port_pids (sorted, may be
 * NULL) restricts rows to those pids when filter.port is set. Returns 0,
 * or -1 with a reason in err when a document is not what the API gives.
 */
int top_model_update(struct top_model *m, double now, json_t *status,
		     json_t *processes, json_t *leaks, json_t *health,
		     const __u32 *port_pids, size_t nport_pids,
		     char *err, size_t errlen);

/* Sort the rows again (after the sort column or direction changed). */
void top_model_sort(struct top_model *m);

/*
 * Group the rows by key(row) (a workload: unit, container, pod): one row
 * per distinct key with the sums, then sorted. key returns NULL for rows
 * it cannot place; they go under "-".
 */
typedef const char *(*top_key_fn)(const struct top_row *r, void *ctx);
int top_model_group(struct top_model *m, top_key_fn key, void *ctx);
/* The key of --by: ctx is "unit", "container" or "pod". */
const char *top_workload_key(const struct top_row *r, void *ctx);

/* Columns: names for --sort and JSON, titles, interactive keys. */
const char *top_col_name(enum top_col c);	/* "close_wait" */
const char *top_col_title(enum top_col c);	/* "CL_WAIT" */
char top_col_key(enum top_col c);		/* 'W' */
bool top_col_left(enum top_col c);		/* text: left-aligned */
int top_col_parse(const char *name);		/* -1 if unknown */
int top_col_by_key(int ch);			/* -1 if none */

/* One cell as text ("-" when unknown); the row's pid is the key when
 * grouped. */
void top_cell(const struct top_row *r, enum top_col c, char *buf, size_t len);
/* Seconds as "45s", "3m04s", "2h05m", "3d04h". */
void top_fmt_age(double s, char *buf, size_t len);

/*
 * The columns that fit in width: picks them in importance order and
 * shrinks COMM down to its minimum. cols[] gets the visible columns in
 * screen order, widths[] their widths; returns how many (PID and COMM
 * always).
 */
int top_layout(int width, enum top_col cols[TOP_NCOLS], int widths[TOP_NCOLS]);

#endif /* SW_TOP_MODEL_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sockwatch top: what is on the screen (the model, the drill-down, the
 * mode) and the text of its lines, shared by the ncurses screen
 * (top_curses.c) and batch output (top_batch.c) so that both print the
 * same thing. Every string from the agent goes through top_sanitize:
 * printable ASCII only, whatever the locale.
 */
#ifndef SW_TOP_VIEW_H
#define SW_TOP_VIEW_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "top/top_model.h"

#define TOP_LINE	512	/* longest line formatted */

enum top_mode { TOP_MODE_TABLE, TOP_MODE_DRILL, TOP_MODE_HELP };

struct top_view {
	struct top_model model;
	enum top_mode mode;
	const char *source;	/* "standalone" or the agent's URL */
	double interval;	/* seconds */
	bool paused;
	size_t selected;	/* row under the cursor */
	__u32 drill_pid;	/* TOP_MODE_DRILL: whose sockets */
	char drill_comm[SW_COMM_LEN];
	json_t *drill;		/* TOP_MODE_DRILL: sorted array of sockets */
	size_t drill_matched;	/* sockets the agent has for that pid */
	const char *by;		/* --by KEY, or NULL */
	char message[TOP_LINE];	/* status line: an error, "paused", ... */
};

/* Printable ASCII copy of s into buf: other bytes become '?'. */
void top_sanitize(char *buf, size_t len, const char *s);

/* The header's lines (at most TOP_HEADER_LINES). */
#define TOP_HEADER_LINES 4
int top_header_lines(const struct top_view *v, double wall,
		     char lines[TOP_HEADER_LINES][TOP_LINE]);

/* The table's title and a row, for the columns of a layout. The sort
 * column's title is marked with '>' ('<' reversed) when mark is set. */
void top_title_line(const struct top_view *v, const enum top_col *cols,
		    const int *widths, int n, bool mark, char *buf, size_t len);
void top_row_line(const struct top_row *r, const enum top_col *cols,
		  const int *widths, int n, char *buf, size_t len);

/* The drill-down: keep the sockets of the agent's answer, oldest first. */
void top_drill_set(struct top_view *v, json_t *sockets_doc);
void top_drill_title(char *buf, size_t len);
void top_drill_line(json_t *sock, char *buf, size_t len);

/* The help screen's lines, NULL-terminated. */
extern const char *const top_help_lines[];

/* Batch: one plain-text screen, or one JSON document on one line. */
void top_print_text(const struct top_view *v, double wall, FILE *f);
void top_print_json(const struct top_view *v, double wall, FILE *f);

#endif /* SW_TOP_VIEW_H */

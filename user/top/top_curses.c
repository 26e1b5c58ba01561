// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch top: the full-screen view on ncurses.
 *
 * Each refresh erases the virtual screen and draws it whole; ncurses then
 * sends only what changed, so nothing flickers. Only printable ASCII is
 * drawn (top_sanitize), which every locale and terminal shows the same.
 * Colours when the terminal has them and NO_COLOR is unset or empty
 * (no-color.org); attributes (bold, reverse) otherwise.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "top/top_curses.h"

#define MIN_COLS	30
#define MIN_LINES	6

enum { PAIR_TITLE = 1, PAIR_LEAK, PAIR_WARN, PAIR_OK };

static bool colour;

int top_curses_start(void)
{
	const char *no = getenv("NO_COLOR");

	if (!initscr())
		return -1;
	cbreak();		/* Ctrl-C stays a signal */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	colour = has_colors() && !(no && no[0]);
	if (colour) {
		start_color();
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_LEAK, COLOR_RED, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
	}
	return 0;
}

void top_curses_stop(void)
{
	if (!isendwin())
		endwin();
}

int top_curses_key(void)
{
	return getch();
}

static attr_t attr_of(int pair, attr_t mono)
{
	return colour ? COLOR_PAIR(pair) : mono;
}

static void line(int y, const char *text, attr_t a)
{
	if (y >= LINES)
		return;
	attron(a);
	mvaddnstr(y, 0, text, COLS);
	attroff(a);
}

/* A full-width bar: the title of a table. */
static void bar(int y, const char *text)
{
	attr_t a = attr_of(PAIR_TITLE, A_REVERSE);

	if (y >= LINES)
		return;
	attron(a);
	mvhline(y, 0, ' ', COLS);
	mvaddnstr(y, 0, text, COLS);
	attroff(a);
}

/* First row shown so that sel is visible in a window of h rows. */
static size_t scroll_top(size_t sel, size_t n, int h)
{
	size_t top = sel >= (size_t)h ? sel - h + 1 : 0;

	if (h <= 0 || n <= (size_t)h)
		return 0;
	return top;
}

static attr_t health_attr(const char *h)
{
	if (!strcmp(h, "healthy"))
		return attr_of(PAIR_OK, A_NORMAL);
	if (!strcmp(h, "critical"))
		return attr_of(PAIR_LEAK, A_BOLD);
	return attr_of(PAIR_WARN, A_BOLD);
}

static int draw_header(const struct top_view *v, double wall)
{
	char lines[TOP_HEADER_LINES][TOP_LINE];
	int i, n = top_header_lines(v, wall, lines);

	for (i = 0; i < n; i++)
		line(i, lines[i], i == 0 ? A_BOLD : A_NORMAL);
	/* the health word and the suspects, coloured, on the last line */
	if (strstr(lines[n - 1], "health ")) {
		const char *p = strstr(lines[n - 1], "health ") + 7;

		if (p - lines[n - 1] < COLS) {
			attron(health_attr(v->model.hdr.health));
			mvaddnstr(n - 1, p - lines[n - 1], v->model.hdr.health,
				  COLS - (p - lines[n - 1]));
			attroff(health_attr(v->model.hdr.health));
		}
	}
	line(n, v->message[0] ? v->message :
	     "h help  q quit  enter sockets  < > sort  space pause",
	     v->message[0] ? attr_of(PAIR_WARN, A_BOLD) : A_DIM);
	return n + 1;
}

static void draw_table(struct top_view *v, int y)
{
	enum top_col cols[TOP_NCOLS];
	int widths[TOP_NCOLS], n, h;
	char buf[TOP_LINE];
	size_t r, first;

	n = top_layout(COLS, cols, widths);
	top_title_line(v, cols, widths, n, true, buf, sizeof(buf));
	bar(y++, buf);
	h = LINES - y;
	if (v->selected >= v->model.nrows)
		v->selected = v->model.nrows ? v->model.nrows - 1 : 0;
	first = scroll_top(v->selected, v->model.nrows, h);
	for (r = first; r < v->model.nrows && y < LINES; r++, y++) {
		const struct top_row *row = &v->model.rows[r];
		attr_t a = row->leak ? attr_of(PAIR_LEAK, A_BOLD) : A_NORMAL;

		if (r == v->selected)
			a |= A_REVERSE;
		top_row_line(row, cols, widths, n, buf, sizeof(buf));
		attron(a);
		mvhline(y, 0, ' ', COLS);
		mvaddnstr(y, 0, buf, COLS);
		attroff(a);
	}
}

static void draw_drill(struct top_view *v, int y, size_t *sel)
{
	size_t n = json_array_size(v->drill), i, first;
	char buf[TOP_LINE], comm[SW_COMM_LEN];
	int h;

	top_sanitize(comm, sizeof(comm), v->drill_comm);
	snprintf(buf, sizeof(buf), "Sockets of %u %s: %zu%s (escape returns)",
		 v->drill_pid, comm, n,
		 v->drill_matched > n ? " shown, oldest first" : ", oldest first");
	line(y++, buf, A_BOLD);
	top_drill_title(buf, sizeof(buf));
	bar(y++, buf);
	h = LINES - y;
	if (*sel >= n)
		*sel = n ? n - 1 : 0;
	first = scroll_top(*sel, n, h);
	for (i = first; i < n && y < LINES; i++, y++) {
		json_t *s = json_array_get(v->drill, i);
		const char *st = json_string_value(json_object_get(s, "state"));
		attr_t a = st && !strcmp(st, "CLOSE_WAIT") ?
			attr_of(PAIR_LEAK, A_BOLD) : A_NORMAL;

		if (i == *sel)
			a |= A_REVERSE;
		top_drill_line(s, buf, sizeof(buf));
		attron(a);
		mvaddnstr(y, 0, buf, COLS);
		attroff(a);
	}
}

void top_curses_draw(struct top_view *v, double wall, size_t *drill_sel)
{
	int y, i;

	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		mvaddnstr(0, 0, "sockwatch top: terminal too small", COLS);
		refresh();
		return;
	}
	y = draw_header(v, wall);
	switch (v->mode) {
	case TOP_MODE_HELP:
		for (i = 0; top_help_lines[i] && y < LINES; i++, y++)
			line(y, top_help_lines[i], i ? A_NORMAL : A_BOLD);
		break;
	case TOP_MODE_DRILL:
		draw_drill(v, y, drill_sel);
		break;
	default:
		draw_table(v, y);
		break;
	}
	refresh();
}

int top_curses_page(void)
{
	return LINES > 8 ? LINES - 7 : 1;
}

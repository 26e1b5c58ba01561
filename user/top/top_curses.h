/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* sockwatch top: the ncurses screen (top_curses.c). */
#ifndef SW_TOP_CURSES_H
#define SW_TOP_CURSES_H

#include <stddef.h>
#include "top/top_view.h"

/* Take the terminal (cbreak, no echo, keypad, non-blocking keys). */
int top_curses_start(void);
/* Give it back as it was; safe to call twice. */
void top_curses_stop(void);
/* A key, or ERR (-1) when none is waiting; KEY_RESIZE after a resize. */
int top_curses_key(void);
/* Draw the whole screen; drill_sel is the drill-down's cursor. */
void top_curses_draw(struct top_view *v, double wall, size_t *drill_sel);
/* Rows a page key moves. */
int top_curses_page(void);

#endif /* SW_TOP_CURSES_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What the subcommands' argp parsers share. */
#ifndef SW_CLI_H
#define SW_CLI_H

#include <argp.h>

/*
 * A bad value or argument: one line naming it ("sockwatch trace: invalid
 * pid: ..."), then exit with argp's usage status (64). Unlike argp_error,
 * no "Try --help" hint follows: the line says what to fix.
 */
void sw_arg_fail(const struct argp_state *state, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

#endif /* SW_CLI_H */

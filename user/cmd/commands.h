/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Subcommands of the sockwatch binary. Each takes the arguments after the
 * subcommand name (argv[0] is "sockwatch NAME") and returns the exit code.
 */
#ifndef SW_COMMANDS_H
#define SW_COMMANDS_H

int cmd_trace(int argc, char **argv);		/* user/cmd/cmd_trace.c */
int cmd_status(int argc, char **argv);		/* user/cmd/cmd_status.c */
int cmd_health(int argc, char **argv);		/* user/cmd/cmd_health.c */
int cmd_ports(int argc, char **argv);		/* user/cmd/cmd_ports.c */
int cmd_agent(int argc, char **argv);		/* user/cmd/cmd_agent.c */
int cmd_check_manifest(int argc, char **argv);	/* user/cmd/cmd_check_manifest.c */
int cmd_replay(int argc, char **argv);		/* user/cmd/cmd_replay.c */
int cmd_top(int argc, char **argv);		/* user/cmd/cmd_top.c */

#endif /* SW_COMMANDS_H */

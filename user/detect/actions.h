/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * On-breach actions: what the agent does when an EWMA breach is confirmed.
 * Both are opt-in (the default is none):
 *
 *   exec:PATH     run PATH (no arguments, no shell) with the alert JSON on
 *                 stdin and SOCKWATCH_ALERT, SOCKWATCH_PID, SOCKWATCH_KEY in
 *                 its environment, in a session of its own. The agent never
 *                 waits for it: children are reaped by sw_actions_reap and
 *                 killed when they outlive SW_ACTION_TIMEOUT_NS.
 *   signal:NAME   send signal NAME (TERM, SIGTERM, KILL, HUP, USR1, 15, ...)
 *                 to the offending process: the alert's pid. Never to pid 0
 *                 or 1, nor to the agent itself.
 */
#ifndef SW_ACTIONS_H
#define SW_ACTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

enum sw_action_kind {
	SW_ACTION_NONE,
	SW_ACTION_EXEC,
	SW_ACTION_SIGNAL,
};

/* A parsed on_breach setting. Plain data, part of struct sw_config. */
struct sw_action {
	__u8 kind;		/* enum sw_action_kind */
	int  signo;		/* SW_ACTION_SIGNAL */
	char path[PATH_MAX];	/* SW_ACTION_EXEC: absolute path */
};

/*
 * Parse "exec:PATH", "signal:NAME" or "" / "none". PATH must be absolute
 * (the agent's working directory is not the operator's). -1 and a reason
 * in err on error. Whether PATH exists is checked when it runs, so that a
 * config can name a script that is deployed later.
 */
int sw_action_parse(const char *spec, struct sw_action *out, char *err,
		    size_t errlen);
/* Back to text: "exec:/path", "signal:TERM", "none". */
void sw_action_format(const struct sw_action *a, char *buf, size_t len);

#define SW_ACTION_MAX_CHILDREN	8
#define SW_ACTION_TIMEOUT_NS	(60ULL * 1000000000ULL)

/* Children started by exec actions and not yet reaped. */
struct sw_actions {
	pid_t pid[SW_ACTION_MAX_CHILDREN];
	__u64 started_ns[SW_ACTION_MAX_CHILDREN];
	unsigned int running;
	__u64 started;		/* counters, for the HTTP API */
	__u64 failed;		/* could not start, or refused */
	__u64 killed;		/* outlived the timeout */
	__u64 skipped;		/* too many children already running */
};

void sw_actions_init(struct sw_actions *as);

/*
 * Run action a for an alert whose JSON text is json, about process pid,
 * at monotonic time now_ns. Returns 0 when started/sent, -1 with a reason
 * in err. Never blocks on the child.
 */
int sw_action_run(struct sw_actions *as, const struct sw_action *a,
		  const char *json, const char *alert_name, const char *key,
		  __u32 pid, __u64 now_ns, char *err, size_t errlen);

/* Reap finished children and kill overdue ones; call from the main loop
 * (on SIGCHLD or each tick). Returns how many were reaped. */
int sw_actions_reap(struct sw_actions *as, __u64 now_ns);

/* At exit: kill and reap every child still running. */
void sw_actions_stop(struct sw_actions *as);

#endif /* SW_ACTIONS_H */

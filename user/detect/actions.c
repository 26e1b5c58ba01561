// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "detect/actions.h"
#include "lib/quote.h"

extern char **environ;

/* "TERM", "SIGTERM", "term" or "15": the signal number, or -1. */
static int parse_signal(const char *name)
{
	const char *abbrev;
	char *end;
	long v;
	int i;

	if (isdigit((unsigned char)*name)) {
		v = strtol(name, &end, 10);
		return (!*end && v > 0 && v < NSIG) ? (int)v : -1;
	}
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (i = 1; i < NSIG; i++) {
		abbrev = sigabbrev_np(i);
		if (abbrev && !strcasecmp(abbrev, name))
			return i;
	}
	return -1;
}

int sw_action_parse(const char *spec, struct sw_action *out, char *err,
		    size_t errlen)
{
	struct sw_action a = { .kind = SW_ACTION_NONE };
	char q[SW_QUOTE_LEN];

	if (!spec || !*spec || !strcmp(spec, "none"))
		goto done;
	if (!strncmp(spec, "exec:", 5)) {
		spec += 5;
		if (spec[0] != '/') {
			snprintf(err, errlen, "exec: needs an absolute path, "
				 "not %s", sw_quote(q, sizeof(q), spec));
			return -1;
		}
		if (strlen(spec) >= sizeof(a.path)) {
			snprintf(err, errlen, "exec: path too long");
			return -1;
		}
		a.kind = SW_ACTION_EXEC;
		strcpy(a.path, spec);
		goto done;
	}
	if (!strncmp(spec, "signal:", 7)) {
		a.signo = parse_signal(spec + 7);
		if (a.signo < 0) {
			snprintf(err, errlen, "unknown signal %s",
				 sw_quote(q, sizeof(q), spec + 7));
			return -1;
		}
		a.kind = SW_ACTION_SIGNAL;
		goto done;
	}
	snprintf(err, errlen, "bad action %s (want exec:PATH, signal:NAME "
		 "or none)", sw_quote(q, sizeof(q), spec));
	return -1;
done:
	*out = a;
	return 0;
}

void sw_action_format(const struct sw_action *a, char *buf, size_t len)
{
	switch (a->kind) {
	case SW_ACTION_EXEC:
		snprintf(buf, len, "exec:%s", a->path);
		break;
	case SW_ACTION_SIGNAL:
		snprintf(buf, len, "signal:%s", sigabbrev_np(a->signo) ?: "?");
		break;
	default:
		snprintf(buf, len, "none");
	}
}

void sw_actions_init(struct sw_actions *as)
{
	memset(as, 0, sizeof(*as));
}

/* The alert on stdin, as a file: no pipe to fill, no SIGPIPE to catch. */
static int alert_memfd(const char *json)
{
	size_t len = strlen(json), off = 0;
	ssize_t n;
	int fd;

	fd = memfd_create("sockwatch-alert", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	while (off < len) {
		n = write(fd, json + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += n;
	}
	if (write(fd, "\n", 1) != 1 || lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* environ plus the three SOCKWATCH_* variables; free the result with free(). */
static char **child_env(char vars[3][256], const char *alert_name,
			const char *key, __u32 pid)
{
	size_t n = 0, i;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 4, sizeof(*env));
	if (!env)
		return NULL;
	snprintf(vars[0], 256, "SOCKWATCH_ALERT=%s", alert_name ?: "");
	snprintf(vars[1], 256, "SOCKWATCH_KEY=%s", key ?: "");
	snprintf(vars[2], 256, "SOCKWATCH_PID=%u", pid);
	for (i = 0; i < 3; i++)
		env[i] = vars[i];
	/* ours first: a variable inherited under the same name is shadowed */
	memcpy(env + 3, environ, n * sizeof(*env));
	return env;
}

static int spawn_child(const struct sw_action *a, int in_fd, char **env,
		       pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	char *argv[] = { (char *)a->path, NULL };
	int r;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	/* stdin: the alert; stdout: our stderr, never the alert stream */
	posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	/* its own session, a clean signal mask and default dispositions */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	r = posix_spawn(pid, a->path, &fa, &at, argv, env);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return r;
}

static int run_exec(struct sw_actions *as, const struct sw_action *a,
		    const char *json, const char *alert_name, const char *key,
		    __u32 pid, __u64 now_ns, char *err, size_t errlen)
{
	char vars[3][256];
	char **env = NULL;
	pid_t child;
	int fd, r;

	if (as->running == SW_ACTION_MAX_CHILDREN) {
		as->skipped++;
		snprintf(err, errlen, "%u actions still running, not starting "
			 "another", as->running);
		return -1;
	}
	fd = alert_memfd(json);
	if (fd < 0) {
		snprintf(err, errlen, "memfd: %s", strerror(errno));
		goto fail;
	}
	env = child_env(vars, alert_name, key, pid);
	r = env ? spawn_child(a, fd, env, &child) : ENOMEM;
	free(env);
	close(fd);
	if (r) {
		snprintf(err, errlen, "exec %s: %s", a->path, strerror(r));
		goto fail;
	}
	as->pid[as->running] = child;
	as->started_ns[as->running] = now_ns;
	as->running++;
	as->started++;
	return 0;
fail:
	as->failed++;
	return -1;
}

static int run_signal(struct sw_actions *as, const struct sw_action *a,
		      __u32 pid, char *err, size_t errlen)
{
	if (pid <= 1 || (pid_t)pid == getpid()) {
		snprintf(err, errlen, "not sending signal %s to pid %u",
			 sigabbrev_np(a->signo) ?: "?", pid);
		goto fail;
	}
	if (kill((pid_t)pid, a->signo)) {
		snprintf(err, errlen, "kill %u: %s", pid, strerror(errno));
		goto fail;
	}
	as->started++;
	return 0;
fail:
	as->failed++;
	return -1;
}

int sw_action_run(struct sw_actions *as, const struct sw_action *a,
		  const char *json, const char *alert_name, const char *key,
		  __u32 pid, __u64 now_ns, char *err, size_t errlen)
{
	switch (a->kind) {
	case SW_ACTION_EXEC:
		return run_exec(as, a, json, alert_name, key, pid, now_ns,
				err, errlen);
	case SW_ACTION_SIGNAL:
		return run_signal(as, a, pid, err, errlen);
	default:
		return 0;
	}
}

static void forget(struct sw_actions *as, unsigned int i)
{
	as->running--;
	as->pid[i] = as->pid[as->running];
	as->started_ns[i] = as->started_ns[as->running];
}

int sw_actions_reap(struct sw_actions *as, __u64 now_ns)
{
	unsigned int i = 0;
	int reaped = 0, status;
	pid_t r;

	while (i < as->running) {
		r = waitpid(as->pid[i], &status, WNOHANG);
		if (r == as->pid[i] || (r < 0 && errno == ECHILD)) {
			forget(as, i);
			reaped++;
			continue;
		}
		if (now_ns - as->started_ns[i] > SW_ACTION_TIMEOUT_NS &&
		    !kill(as->pid[i], SIGKILL)) {
			as->killed++;
			/* count it once: the next reap collects the corpse */
			as->started_ns[i] = now_ns;
		}
		i++;
	}
	return reaped;
}

void sw_actions_stop(struct sw_actions *as)
{
	unsigned int i;

	for (i = 0; i < as->running; i++) {
		kill(as->pid[i], SIGKILL);
		waitpid(as->pid[i], NULL, 0);
	}
	as->running = 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch top: the live view during an incident. Command line, the
 * refresh loop and the keys; the model is user/top/top_model.c, the
 * screen user/top/top_curses.c, batch output user/top/top_view.c.
 */
#include <argp.h>
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "table/decode.h"
#include "top/top_curses.h"
#include "top/top_source.h"
#include "top/top_view.h"

#define DRILL_LIMIT	"1000"
#define KEY_POLL_MS	100	/* keys and resizes are seen this often */

struct top_opts {
	double interval;
	bool batch, json, reverse, verbose;
	long iterations;		/* 0: until stopped */
	int sort;			/* enum top_col */
	struct top_filter filter;
	const char *by;
	struct top_remote remote;	/* --agent and its credentials */
	const char *config;
};

enum {
	OPT_JSON = 1000, OPT_SORT, OPT_PORT, OPT_STATE, OPT_BY, OPT_AGENT,
	OPT_TOKEN, OPT_BASIC, OPT_CACERT, OPT_CERT, OPT_KEY,
};

static const struct argp_option options[] = {
	{ "interval", 'i', "SECONDS", 0, "Refresh every SECONDS (default 1; fractions allowed)", 0 },
	{ "batch", 'b', NULL, 0, "Batch mode: plain text screens on stdout, no keys", 0 },
	{ "iterations", 'n', "COUNT", 0, "Stop after COUNT refreshes (batch mode; default: until stopped)", 0 },
	{ "json", OPT_JSON, NULL, 0, "Batch mode, one JSON document per refresh", 0 },
	{ "sort", OPT_SORT, "COLUMN", 0, "Sort by COLUMN: pid, comm, sockets (default), established, close_wait, time_wait, listen, opened, closed, rd, breach, cw_age, protection, leak", 0 },
	{ "reverse", 'r', NULL, 0, "Reverse the sort order", 0 },
	{ "pid", 'p', "PID", 0, "Only this process", 0 },
	{ "comm", 'c', "COMM", 0, "Only processes with this command name", 0 },
	{ "port", OPT_PORT, "PORT", 0, "Only processes with a socket on this local or remote port", 0 },
	{ "state", OPT_STATE, "STATE", 0, "Only processes with a socket in this TCP state (ESTABLISHED, CLOSE_WAIT, ...; UDP for UDP)", 0 },
	{ "by", OPT_BY, "KEY", 0, "One row per workload: unit, container or pod", 0 },
	{ "agent", OPT_AGENT, "URL", 0, "Read a running agent's API (http://HOST:PORT) instead of loading programs", 0 },
	{ "token-file", OPT_TOKEN, "FILE", 0, "With --agent: the agent's bearer token", 0 },
	{ "basic-auth-file", OPT_BASIC, "FILE", 0, "With --agent: USER:PASSWORD on its first line (web config basic_auth_users)", 0 },
	{ "cacert", OPT_CACERT, "FILE", 0, "With an https:// agent: the CA of its certificate", 0 },
	{ "cert", OPT_CERT, "FILE", 0, "With an https:// agent: a client certificate (PEM)", 0 },
	{ "key", OPT_KEY, "FILE", 0, "With --cert: its private key (PEM)", 0 },
	{ "config", 'C', "FILE", 0, "Standalone: the agent's INI configuration (thresholds)", 0 },
	{ "verbose", 'v', NULL, 0, "Print libbpf's messages", 0 },
	{ 0 },
};

static void col_list(char *buf, size_t len)
{
	size_t at = 0;
	int c;

	buf[0] = '\0';
	for (c = 0; c < TOP_NCOLS && at < len; c++)
		at += snprintf(buf + at, len - at, "%s%s", c ? ", " : "", top_col_name(c));
}

static unsigned long parse_ulong(struct argp_state *st, const char *what,
				 const char *arg, unsigned long max)
{
	char *end, clean[64];
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v > max) {
		top_sanitize(clean, sizeof(clean), arg);
		sw_arg_fail(st, "invalid %s '%s': expected an integer from 1 to %lu",
			    what, clean, max);
	}
	return v;
}

static int parse_state(const char *arg)
{
	int st;

	if (!strcasecmp(arg, "UDP"))
		return SW_TCP_NONE + 1;
	for (st = 1; st < SW_TCP_MAX_STATES; st++)
		if (!strcasecmp(sw_tcp_state_name(st), arg))
			return st + 1;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct top_opts *o = state->input;
	char clean[64], cols[256];
	char *end;

	switch (key) {
	case 'i':
		errno = 0;
		o->interval = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(o->interval) ||
		    o->interval <= 0 || o->interval > 86400) {
			top_sanitize(clean, sizeof(clean), arg);
			sw_arg_fail(state, "invalid interval '%s': expected seconds above 0 (at most 86400)", clean);
		}
		break;
	case 'b':
		o->batch = true;
		break;
	case 'n':
		o->iterations = parse_ulong(state, "iteration count", arg, 1000000000UL);
		if (!o->iterations)
			sw_arg_fail(state, "invalid iteration count '0': expected an integer from 1 to 1000000000");
		break;
	case OPT_JSON:
		o->json = o->batch = true;
		break;
	case OPT_SORT:
		o->sort = top_col_parse(arg);
		if (o->sort < 0) {
			top_sanitize(clean, sizeof(clean), arg);
			col_list(cols, sizeof(cols));
			sw_arg_fail(state, "unknown sort column '%s' (columns: %s)", clean, cols);
		}
		break;
	case 'r':
		o->reverse = true;
		break;
	case 'p':
		o->filter.pid = parse_ulong(state, "pid", arg, 4194304);
		if (!o->filter.pid)
			sw_arg_fail(state, "invalid pid '0': expected an integer from 1 to 4194304");
		break;
	case 'c':
		if (!arg[0] || strlen(arg) >= SW_COMM_LEN) {
			top_sanitize(clean, sizeof(clean), arg);
			sw_arg_fail(state, "invalid command name '%s': 1 to %d bytes", clean, SW_COMM_LEN - 1);
		}
		snprintf(o->filter.comm, sizeof(o->filter.comm), "%s", arg);
		break;
	case OPT_PORT:
		o->filter.port = parse_ulong(state, "port", arg, 65535);
		if (!o->filter.port)
			sw_arg_fail(state, "invalid port '0': expected an integer from 1 to 65535");
		break;
	case OPT_STATE:
		o->filter.state = parse_state(arg);
		if (!o->filter.state) {
			top_sanitize(clean, sizeof(clean), arg);
			sw_arg_fail(state, "unknown state '%s' (a TCP state such as ESTABLISHED or CLOSE_WAIT, or UDP)", clean);
		}
		break;
	case OPT_BY:
		if (strcmp(arg, "unit") && strcmp(arg, "container") && strcmp(arg, "pod")) {
			top_sanitize(clean, sizeof(clean), arg);
			sw_arg_fail(state, "invalid --by '%s': expected unit, container or pod", clean);
		}
		o->by = arg;
		break;
	case OPT_AGENT:
		o->remote.url = arg;
		break;
	case OPT_TOKEN:
		o->remote.token_file = arg;
		break;
	case OPT_BASIC:
		o->remote.basic_auth_file = arg;
		break;
	case OPT_CACERT:
		o->remote.cacert = arg;
		break;
	case OPT_CERT:
		o->remote.cert = arg;
		break;
	case OPT_KEY:
		o->remote.key = arg;
		break;
	case 'C':
		o->config = arg;
		break;
	case 'v':
		o->verbose = true;
		break;
	case ARGP_KEY_ARG:
		top_sanitize(clean, sizeof(clean), arg);
		sw_arg_fail(state, "unexpected argument '%s'", clean);
		break;
	case ARGP_KEY_END:
		if (!o->remote.url && (o->remote.token_file || o->remote.basic_auth_file ||
				       o->remote.cacert || o->remote.cert || o->remote.key))
			sw_arg_fail(state, "--token-file, --basic-auth-file, --cacert, --cert and --key need --agent URL");
		if (!o->remote.cert != !o->remote.key)
			sw_arg_fail(state, "--cert and --key go together");
		if (o->config && o->remote.url)
			sw_arg_fail(state, "--config applies to the standalone mode, not to --agent");
		if (o->iterations && !o->batch)
			sw_arg_fail(state, "-n applies to batch mode (-b or --json)");
		if (!o->batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
			sw_arg_fail(state, "not a terminal: use -b (text) or --json for batch output");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Live view of sockets per process: who piles up sockets, which ones, "
	"since when, and whether it is getting worse.\v"
	"Standalone (default), top loads its own programs in the agent's "
	"owned-only mode; with --agent URL it reads a running agent's API "
	"instead. Keys: h for help, q to quit, enter for a process's sockets.",
};

/* ---- the loop ---- */

static volatile sig_atomic_t got_stop;

static void on_stop(int sig)
{
	got_stop = 1;
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int pid_cmp(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* --port: the owners of the sockets on that port, sorted. */
static __u32 *port_pids(struct top_source *src, __u16 port, size_t *n,
			char *err, size_t errlen)
{
	char q[64];
	json_t *doc, *s;
	__u32 *pids;
	size_t i;

	snprintf(q, sizeof(q), "port=%u&limit=100000", port);
	doc = top_source_get(src, "/api/v1/sockets", q, err, errlen);
	if (!doc)
		return NULL;
	pids = calloc(json_array_size(json_object_get(doc, "sockets")) + 1, sizeof(*pids));
	*n = 0;
	json_array_foreach(json_object_get(doc, "sockets"), i, s)
		if (pids)
			pids[(*n)++] = json_integer_value(json_object_get(s, "pid"));
	json_decref(doc);
	if (pids)
		qsort(pids, *n, sizeof(*pids), pid_cmp);
	return pids;
}

static int fetch_drill(struct top_view *v, struct top_source *src,
		       char *err, size_t errlen)
{
	char q[64];
	json_t *doc;

	snprintf(q, sizeof(q), "pid=%u&limit=" DRILL_LIMIT, v->drill_pid);
	doc = top_source_get(src, "/api/v1/sockets", q, err, errlen);
	if (!doc)
		return -1;
	top_drill_set(v, doc);
	json_decref(doc);
	return 0;
}

/* One refresh: the documents, the model, the drill-down. */
static int fetch(struct top_view *v, struct top_source *src, char *err,
		 size_t errlen)
{
	json_t *status, *procs = NULL, *leaks = NULL, *health;
	__u32 *pids = NULL;
	size_t npids = 0;
	char ignored[256];
	int rc = -1;

	status = top_source_get(src, "/api/v1/status", NULL, err, errlen);
	if (status)
		procs = top_source_get(src, "/api/v1/processes", NULL, err, errlen);
	if (procs)
		leaks = top_source_get(src, "/api/v1/leaks", NULL, err, errlen);
	/* 503 until the first health check ends: shown as unknown */
	health = leaks ? top_source_get(src, "/api/v1/health", NULL, ignored,
				       sizeof(ignored)) : NULL;
	if (leaks && v->model.filter.port)
		pids = port_pids(src, v->model.filter.port, &npids, err, errlen);
	if (leaks && (!v->model.filter.port || pids) &&
	    !top_model_update(&v->model, now_mono(), status, procs, leaks, health,
			      pids, npids, err, errlen))
		rc = 0;
	/* --by: only from documents that carry workload identity; rather
	 * no screen than every process under "-" */
	if (!rc && v->by && !v->model.has_workload) {
		snprintf(err, errlen, "--by %s: workload identity is not available from %s",
			 v->by, v->source);
		rc = -1;
	} else if (!rc && v->by && top_model_group(&v->model, top_workload_key,
						    (void *)v->by)) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	if (!rc && v->mode == TOP_MODE_DRILL)
		rc = fetch_drill(v, src, err, errlen);
	free(pids);
	json_decref(status);
	json_decref(procs);
	json_decref(leaks);
	json_decref(health);
	return rc;
}

/* Move a cursor by d within [0, n). */
static void move_cursor(size_t *sel, long d, size_t n)
{
	long s = (long)*sel + d;

	if (s >= (long)n)
		s = (long)n - 1;
	*sel = s < 0 ? 0 : s;
}

static void set_sort(struct top_view *v, int col)
{
	if (col == (int)v->model.sort)
		v->model.reverse = !v->model.reverse;
	else
		v->model.sort = col;
	top_model_sort(&v->model);
}

/* A key: false when it quits. */
static bool on_key(struct top_view *v, struct top_source *src, int ch,
		   size_t *dsel)
{
	size_t *sel = v->mode == TOP_MODE_DRILL ? dsel : &v->selected;
	size_t n = v->mode == TOP_MODE_DRILL ? json_array_size(v->drill) :
		v->model.nrows;
	char err[TOP_LINE - 16];
	int col;

	if (v->mode == TOP_MODE_HELP && ch != KEY_RESIZE) {
		v->mode = TOP_MODE_TABLE;
		return ch != 'q';
	}
	v->message[0] = '\0';
	switch (ch) {
	case 'q':
		return false;
	case 'h':
	case '?':
		v->mode = TOP_MODE_HELP;
		break;
	case ' ':
		v->paused = !v->paused;
		break;
	case KEY_UP: case 'k':		move_cursor(sel, -1, n); break;
	case KEY_DOWN: case 'j':	move_cursor(sel, 1, n); break;
	case KEY_PPAGE:			move_cursor(sel, -top_curses_page(), n); break;
	case KEY_NPAGE:			move_cursor(sel, top_curses_page(), n); break;
	case KEY_HOME:			*sel = 0; break;
	case KEY_END:			move_cursor(sel, (long)n, n); break;
	case '\r': case '\n': case KEY_ENTER:
		if (v->mode != TOP_MODE_TABLE || v->selected >= v->model.nrows)
			break;
		if (!v->model.rows[v->selected].pid) {
			snprintf(v->message, sizeof(v->message), "a workload row has no single process to open");
			break;
		}
		v->drill_pid = v->model.rows[v->selected].pid;
		memcpy(v->drill_comm, v->model.rows[v->selected].comm, SW_COMM_LEN);
		v->mode = TOP_MODE_DRILL;
		*dsel = 0;
		if (fetch_drill(v, src, err, sizeof(err)))
			snprintf(v->message, sizeof(v->message), "%s", err);
		break;
	case 27: case KEY_BACKSPACE: case 127: case 8:
		v->mode = TOP_MODE_TABLE;
		break;
	case '<':
		set_sort(v, (v->model.sort + TOP_NCOLS - 1) % TOP_NCOLS);
		break;
	case '>':
		set_sort(v, (v->model.sort + 1) % TOP_NCOLS);
		break;
	case 'r':
		v->model.reverse = !v->model.reverse;
		top_model_sort(&v->model);
		break;
	default:
		col = top_col_by_key(ch);
		if (col >= 0)
			set_sort(v, col);
		break;
	}
	return true;
}

/* The full-screen loop. stderr goes to /dev/null meanwhile: a log line
 * from the in-process agent would scribble over the screen. */
static int run_screen(struct top_view *v, struct top_source *src)
{
	int saved = dup(STDERR_FILENO), devnull = open("/dev/null", O_WRONLY);
	double next = now_mono() + v->interval;
	char err[TOP_LINE - 16];
	size_t dsel = 0;
	bool go = true, dirty = false;
	int ch, rc = 0;

	if (top_curses_start()) {
		fprintf(stderr, "sockwatch top: cannot initialise the terminal\n");
		return 1;
	}
	if (devnull >= 0)
		dup2(devnull, STDERR_FILENO);
	top_curses_draw(v, now_wall(), &dsel);
	while (go && !got_stop) {
		double left = next - now_mono();

		/* at most KEY_POLL_MS: a resize arrives as a key (KEY_RESIZE)
		 * that ncurses queues itself, not on stdin */
		if (left > KEY_POLL_MS / 1e3)
			left = KEY_POLL_MS / 1e3;
		if (left > 0 && top_source_wait(src, (int)(left * 1000) + 1,
						STDIN_FILENO, err, sizeof(err))) {
			rc = 1;
			break;
		}
		while (go && (ch = top_curses_key()) != ERR) {
			go = on_key(v, src, ch, &dsel);
			dirty = true;
		}
		if (now_mono() >= next) {
			next += v->interval;
			if (next < now_mono())
				next = now_mono() + v->interval;
			if (!v->paused && fetch(v, src, err, sizeof(err)))
				snprintf(v->message, sizeof(v->message), "%s", err);
			dirty = true;
		}
		if (dirty)
			top_curses_draw(v, now_wall(), &dsel);
		dirty = false;
	}
	top_curses_stop();
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (devnull >= 0)
		close(devnull);
	if (rc)
		fprintf(stderr, "sockwatch top: %s\n", err);
	return rc;
}

static int run_batch(struct top_view *v, struct top_source *src, long count,
		     bool json)
{
	char err[TOP_LINE];
	double next;
	long i;

	for (i = 0; !got_stop && (!count || i < count); i++) {
		/* the first screen is already fetched; a later failure (an
		 * agent too busy to answer in time) skips one screen */
		if (i && fetch(v, src, err, sizeof(err)))
			fprintf(stderr, "sockwatch top: %s\n", err);
		else if (json)
			top_print_json(v, now_wall(), stdout);
		else
			top_print_text(v, now_wall(), stdout);
		if (count && i + 1 == count)
			break;
		next = now_mono() + v->interval;
		while (!got_stop && now_mono() < next)
			if (top_source_wait(src, (int)((next - now_mono()) * 1000) + 1,
					    -1, err, sizeof(err))) {
				fprintf(stderr, "sockwatch top: %s\n", err);
				return 1;
			}
	}
	return 0;
}

int cmd_top(int argc, char **argv)
{
	struct top_opts o = { .interval = 1, .sort = TOP_COL_SOCKETS };
	struct sigaction sa = { .sa_handler = on_stop };
	struct top_source *src;
	struct top_view v = { 0 };
	char err[TOP_LINE];
	int rc;

	if (argp_parse(&argp, argc, argv, 0, NULL, &o))
		return 64;
	/* no SA_RESTART: a wait returns on the signal */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sw_clock_init();
	src = o.remote.url ? top_source_remote(&o.remote, err, sizeof(err)) :
		top_source_local(o.config, o.verbose, err, sizeof(err));
	if (!src) {
		fprintf(stderr, "sockwatch top: %s\n", err);
		return 1;
	}
	top_model_init(&v.model);
	v.model.sort = o.sort;
	v.model.reverse = o.reverse;
	v.model.filter = o.filter;
	v.source = o.remote.url ?: "standalone";
	v.interval = o.interval;
	v.by = o.by;
	/* the first refresh before the screen: a wrong token or an agent
	 * that is not there is one line on a terminal left as it was */
	if (fetch(&v, src, err, sizeof(err))) {
		fprintf(stderr, "sockwatch top: %s\n", err);
		rc = 1;
	} else if (o.batch) {
		rc = run_batch(&v, src, o.iterations, o.json);
	} else {
		rc = run_screen(&v, src);
	}
	json_decref(v.drill);
	top_model_free(&v.model);
	top_source_free(src);
	return rc;
}

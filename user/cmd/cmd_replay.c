// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch replay: feed a recorded series of counts through one EWMA
 * detector and print what it computes, one line per sample:
 *
 *   count short long rd fail [transition]
 *
 * The breach timer runs in sample time: sample i is at i * --interval, so
 * a replay shows exactly when a live agent would have armed, cancelled and
 * confirmed. Input: one whole number per line (blank lines are skipped),
 * from FILE or stdin.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/commands.h"
#include "agent/config.h"
#include "detect/ewma.h"
#include "lib/json_writer.h"
#include "lib/quote.h"

#define PROG "sockwatch replay"

enum {
	OPT_MIN_PORTS = 0x100,
	OPT_MAX_PORTS,
	OPT_MAX_DIFFERENCE,
	OPT_SHORT,
	OPT_LONG,
	OPT_INTERVAL,
	OPT_BREACH,
	OPT_CONFIG,
	OPT_JSON,
};

/* The flag of each parameter, index by enum sw_ewma_field. */
static const char *const flag_names[SW_EWMA_NFIELDS] = {
	[SW_EWMA_F_MIN_PORTS]		= "--min-ports",
	[SW_EWMA_F_MAX_PORTS]		= "--max-ports",
	[SW_EWMA_F_MAX_DIFFERENCE]	= "--max-difference",
	[SW_EWMA_F_SHORT_SAMPLES]	= "--short",
	[SW_EWMA_F_LONG_SAMPLES]	= "--long",
	[SW_EWMA_F_INTERVAL]		= "--interval",
	[SW_EWMA_F_BREACH]		= "--breach-duration",
};

static const struct argp_option options[] = {
	{ "min-ports", OPT_MIN_PORTS, "N", 0, "below N ports a key is not breached (100)" },
	{ "max-ports", OPT_MAX_PORTS, "N", 0, "a count >= N fails outright (65536)" },
	{ "max-difference", OPT_MAX_DIFFERENCE, "X", 0, "rd >= X fails (0.20)" },
	{ "short", OPT_SHORT, "N", 0, "samples of the short average (10)" },
	{ "long", OPT_LONG, "N", 0, "samples of the long average (50)" },
	{ "breach-duration", OPT_BREACH, "SECONDS", 0, "how long a failure may last (25)" },
	{ "interval", OPT_INTERVAL, "SECONDS", 0, "time between samples (1)" },
	{ "config", OPT_CONFIG, "FILE", 0, "take [ewma] from FILE; flags override it" },
	{ "json", OPT_JSON, NULL, 0, "one JSON object per sample" },
	{ 0 }
};

/*
 * What the command line asked for. Flag values are kept parsed but apart
 * from the parameters, because --config (wherever it stands) must be
 * applied first and the flags on top of it.
 */
struct replay_args {
	struct sw_ewma_params flags;
	bool  set[SW_EWMA_NFIELDS];
	const char *config;
	const char *input;
	bool  json;
};

static int flag_error(const char *flag, const char *why)
{
	fprintf(stderr, PROG ": %s: %s\n", flag, why);
	return EINVAL;
}

static int parse_flag(struct replay_args *ra, int key, const char *arg)
{
	struct sw_ewma_params *p = &ra->flags;
	enum sw_ewma_field f = key - OPT_MIN_PORTS;
	char err[160];
	__u64 v;
	int r;

	switch (f) {
	case SW_EWMA_F_MIN_PORTS:
		r = sw_parse_u64(arg, 0, UINT32_MAX, &p->min_ports, err, sizeof(err));
		break;
	case SW_EWMA_F_MAX_PORTS:
		r = sw_parse_u64(arg, 0, UINT32_MAX, &p->max_ports, err, sizeof(err));
		break;
	case SW_EWMA_F_MAX_DIFFERENCE:
		r = sw_parse_double(arg, 0, 1e6, &p->max_difference, err, sizeof(err));
		break;
	case SW_EWMA_F_SHORT_SAMPLES:
	case SW_EWMA_F_LONG_SAMPLES:
		r = sw_parse_u64(arg, 0, 1000000, &v, err, sizeof(err));
		*(f == SW_EWMA_F_SHORT_SAMPLES ? &p->short_samples :
					      &p->long_samples) = v;
		break;
	case SW_EWMA_F_INTERVAL:
		r = sw_parse_seconds(arg, &p->interval_ns, err, sizeof(err));
		break;
	default:
		r = sw_parse_seconds(arg, &p->breach_ns, err, sizeof(err));
		break;
	}
	if (r)
		return flag_error(flag_names[f], err);
	ra->set[f] = true;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct replay_args *ra = state->input;

	switch (key) {
	case OPT_MIN_PORTS ... OPT_BREACH:
		return parse_flag(ra, key, arg);
	case OPT_CONFIG:
		ra->config = arg;
		return 0;
	case OPT_JSON:
		ra->json = true;
		return 0;
	case ARGP_KEY_ARG:
		if (ra->input)
			return flag_error(arg, "only one input file");
		ra->input = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, "[FILE]",
	"Feed a recorded series of counts (one whole number per line, from "
	"FILE or stdin) through one EWMA detector; print count short long rd "
	"fail and the transitions (armed, cancelled, confirmed, recovered) of "
	"each sample."
};

_Static_assert(OPT_BREACH - OPT_MIN_PORTS == SW_EWMA_F_BREACH,
	       "replay flags follow enum sw_ewma_field");

/* Defaults, then [ewma] of --config, then the flags; validated. */
static int build_params(const struct replay_args *ra, struct sw_ewma_params *p)
{
	const char *names[SW_EWMA_NFIELDS];
	struct sw_config *cfg;
	char err[512];
	int f;

	sw_ewma_params_default(p);
	if (ra->config) {
		cfg = malloc(sizeof(*cfg));
		if (!cfg || sw_config_load(ra->config, cfg, err, sizeof(err))) {
			fprintf(stderr, PROG ": %s\n", cfg ? err : "out of memory");
			free(cfg);
			return -1;
		}
		*p = cfg->ewma;
		free(cfg);
	}
	for (f = 0; f < SW_EWMA_NFIELDS; f++) {
		names[f] = ra->set[f] ? flag_names[f] : sw_ewma_key_names[f];
		if (!ra->set[f])
			continue;
		switch (f) {
		case SW_EWMA_F_MIN_PORTS: p->min_ports = ra->flags.min_ports; break;
		case SW_EWMA_F_MAX_PORTS: p->max_ports = ra->flags.max_ports; break;
		case SW_EWMA_F_MAX_DIFFERENCE: p->max_difference = ra->flags.max_difference; break;
		case SW_EWMA_F_SHORT_SAMPLES: p->short_samples = ra->flags.short_samples; break;
		case SW_EWMA_F_LONG_SAMPLES: p->long_samples = ra->flags.long_samples; break;
		case SW_EWMA_F_INTERVAL: p->interval_ns = ra->flags.interval_ns; break;
		case SW_EWMA_F_BREACH: p->breach_ns = ra->flags.breach_ns; break;
		}
	}
	if (sw_ewma_params_check(p, names, NULL, err, sizeof(err))) {
		fprintf(stderr, PROG ": invalid parameters: %s\n", err);
		return -1;
	}
	return 0;
}

/* One input line: 1 and the count, 0 for a blank line, -1 on error. */
static int parse_line(char *line, const char *name, size_t lineno, __u64 *count)
{
	char q[SW_QUOTE_LEN];
	char err[160], *s = line, *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == '\n' || end[-1] == '\r' ||
			   end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (!*s)
		return 0;
	if (*s == '-') {
		fprintf(stderr, PROG ": %s:%zu: negative count %s\n", name,
			lineno, sw_quote(q, sizeof(q), s));
		return -1;
	}
	if (sw_parse_u64(s, 0, UINT64_MAX, count, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s:%zu: %s\n", name, lineno, err);
		return -1;
	}
	return 1;
}

static void print_text(const struct sw_ewma *e, enum sw_ewma_transition t)
{
	printf("%llu %.4f %.4f %.5f %d%s%s\n", (unsigned long long)e->count,
	       e->short_avg, e->long_avg, e->rd, e->fail,
	       t ? " " : "", sw_ewma_transition_name(t));
}

static void print_json(struct sw_json *j, const struct sw_ewma *e,
		       enum sw_ewma_transition t)
{
	sw_json_reset(j);
	sw_json_obj_begin(j);
	sw_json_kuint(j, "count", e->count);
	sw_json_kdouble(j, "short", e->short_avg);
	sw_json_kdouble(j, "long", e->long_avg);
	sw_json_kdouble(j, "rd", e->rd);
	sw_json_kbool(j, "fail", e->fail);
	if (t)
		sw_json_kstr(j, "transition", sw_ewma_transition_name(t));
	sw_json_obj_end(j);
	puts(sw_json_cstr(j));
}

static int replay(FILE *in, const char *name, const struct sw_ewma_params *p,
		  bool json)
{
	enum sw_ewma_transition t;
	struct sw_json j;
	struct sw_ewma e;
	char *line = NULL;
	size_t cap = 0, lineno = 0, i = 0;
	__u64 count;
	int r, ret = 0;

	sw_json_init(&j);
	sw_ewma_init(&e, p);
	if (!json)
		printf("# count short long rd fail [transition]\n");
	while (getline(&line, &cap, in) >= 0) {
		r = parse_line(line, name, ++lineno, &count);
		if (r < 0) {
			ret = 1;
			break;
		}
		if (!r)
			continue;
		t = sw_ewma_sample(&e, p, count, i++ * p->interval_ns);
		if (json)
			print_json(&j, &e, t);
		else
			print_text(&e, t);
	}
	if (!ret && ferror(in)) {
		fprintf(stderr, PROG ": %s: read error\n", name);
		ret = 1;
	}
	free(line);
	sw_json_free(&j);
	return ret;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_args ra = { .json = false };
	struct sw_ewma_params p;
	FILE *in = stdin;
	int r;

	if (argp_parse(&argp, argc, argv, 0, NULL, &ra))
		return 2;
	if (build_params(&ra, &p))
		return 2;
	if (ra.input && strcmp(ra.input, "-")) {
		in = fopen(ra.input, "re");
		if (!in) {
			fprintf(stderr, PROG ": %s: %s\n", ra.input, strerror(errno));
			return 1;
		}
	}
	r = replay(in, ra.input && strcmp(ra.input, "-") ? ra.input : "<stdin>",
		   &p, ra.json);
	if (in != stdin)
		fclose(in);
	return r;
}

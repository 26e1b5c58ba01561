// SPDX-License-Identifier: GPL-2.0
/*
 * sockscan: list the sockets a Go or Python code base opens.
 *
 * The run: walk the paths; read every file, parsing a Go file in full
 * only when its imports can open a socket (all cores); load the symbols
 * of the packages that have sites (all cores); resolve every site into
 * findings (one core: it follows names across packages); write the report.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "finding.h"
#include "output.h"
#include "parse.h"
#include "pkgs.h"
#include "pool.h"
#include "scan.h"
#include "util.h"
#include "walk.h"

const char *argp_program_version = "sockscan " SOCKSCAN_VERSION;

enum {
	OPT_INCLUDE_VENDOR = 0x100,
	OPT_INCLUDE_TESTS,
	OPT_INCLUDE_HIDDEN,
	OPT_FULL_PARSE,
};

static const struct argp_option options[] = {
	{ "format", 'f', "FORMAT", 0, "json (default), csv or sarif", 0 },
	{ "output", 'o', "FILE", 0, "write the report to FILE instead of stdout", 0 },
	{ "jobs", 'j', "N", 0, "parse on N threads (default: the number of cores)", 0 },
	{ "include-vendor", OPT_INCLUDE_VENDOR, NULL, 0, "also scan vendor/ directories", 0 },
	{ "include-tests", OPT_INCLUDE_TESTS, NULL, 0, "also scan *_test.go files and testdata/", 0 },
	{ "include-hidden", OPT_INCLUDE_HIDDEN, NULL, 0, "also scan hidden directories", 0 },
	{ "full-parse", OPT_FULL_PARSE, NULL, 0,
	  "parse every Go file in full, not only those whose imports can open sockets "
	  "(reports syntax errors everywhere; slower)", 0 },
	{ 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct options *o = state->input;
	char *end;
	long n;

	switch (key) {
	case 'f':
		if (!strcmp(arg, "json"))
			o->format = FORMAT_JSON;
		else if (!strcmp(arg, "csv"))
			o->format = FORMAT_CSV;
		else if (!strcmp(arg, "sarif"))
			o->format = FORMAT_SARIF;
		else
			argp_failure(state, 2, 0, "unknown format '%s' (json, csv or sarif)", arg);
		break;
	case 'o':
		o->output = arg;
		break;
	case 'j':
		n = strtol(arg, &end, 10);
		if (*end || n < 1 || n > 256)
			argp_failure(state, 2, 0, "--jobs wants a number from 1 to 256, not '%s'", arg);
		o->jobs = n;
		break;
	case OPT_INCLUDE_VENDOR:
		o->include_vendor = 1;
		break;
	case OPT_INCLUDE_TESTS:
		o->include_tests = 1;
		break;
	case OPT_INCLUDE_HIDDEN:
		o->include_hidden = 1;
		break;
	case OPT_FULL_PARSE:
		o->full_parse = 1;
		break;
	case ARGP_KEY_ARGS:
		o->paths = state->argv + state->next;
		o->npaths = state->argc - state->next;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_failure(state, 2, 0, "no path to scan (see --help)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, "PATH...",
	"List the sockets a Go or Python code base opens: listeners (ingress) and "
	"outbound connections (egress), with address, protocol, service and how "
	"each value was resolved.",
	NULL, NULL, NULL,
};

static void first_pass(size_t i, void *arg)
{
	struct scan *sc = arg;

	parse_first(sc, sc->files[i]);
}

static char *base_name(const char *path)
{
	char *real = realpath(path, NULL), *slash, *name;

	if (!real)
		return xstrdup(path);
	slash = strrchr(real, '/');
	name = xstrdup(slash && slash[1] ? slash + 1 : real);
	free(real);
	return name;
}

/* Tell, on stderr, about every file that was not read or parsed in full. */
static void warn_unparsed(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nfiles; i++) {
		const struct srcfile *f = sc->files[i];
		char *name;

		if (!f->error)
			continue;
		name = str_escape(f->unreadable ? f->fullpath : f->path, 1);
		if (f->unreadable) {
			fprintf(stderr, "sockscan: %s: %s\n", name, f->error);
			sc->read_errors++;
		} else if (f->binary) {
			fprintf(stderr, "sockscan: warning: %s: %s\n", name, f->error);
		} else {
			fprintf(stderr, "sockscan: warning: %s:%d: %s (findings kept from the valid parts)\n",
				name, f->error_line, f->error);
		}
		free(name);
	}
}

/* Open the report's destination first: a bad --output fails before the work. */
static FILE *open_output(const char *path)
{
	FILE *out;

	if (!path)
		return stdout;
	out = fopen(path, "w");
	if (!out)
		fprintf(stderr, "sockscan: %s: cannot write: %s\n", path, strerror(errno));
	return out;
}

static int write_report(struct scan *sc, FILE *out)
{
	int rc;

	if (sc->opt.format == FORMAT_CSV)
		rc = output_csv(sc, out);
	else if (sc->opt.format == FORMAT_SARIF)
		rc = output_sarif(sc, out);
	else
		rc = output_json(sc, out);
	if (fflush(out) || ferror(out))
		rc = -1;
	if (out != stdout && fclose(out))
		rc = -1;
	if (rc)
		fprintf(stderr, "sockscan: %s: write failed\n",
			sc->opt.output ? sc->opt.output : "stdout");
	return rc;
}

int main(int argc, char **argv)
{
	struct scan sc = { 0 };
	struct timespec t0, t1;
	FILE *out;
	size_t i;
	int rc;

	sc.opt.jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	argp_parse(&argp, argc, argv, 0, NULL, &sc.opt);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	out = open_output(sc.opt.output);
	if (!out)
		return 2;
	if (walk_paths(&sc)) {
		if (sc.opt.output) {
			fclose(out);
			unlink(sc.opt.output);
		}
		return 2;
	}
	sc.root_name = base_name(sc.opt.paths[0]);
	pool_run(sc.opt.jobs, sc.nfiles, first_pass, &sc);
	pkgs_build(&sc);
	pkgs_preload(&sc);
	findings_build(&sc);
	for (i = 0; i < sc.nfiles; i++)
		sc.files_parsed += sc.files[i]->parsed;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sc.seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	warn_unparsed(&sc);
	/* the report is complete for what could be read; say that some was not */
	rc = write_report(&sc, out) ? 2 : sc.read_errors ? 1 : 0;
	scan_free(&sc);
	return rc;
}

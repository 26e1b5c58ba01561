// SPDX-License-Identifier: GPL-2.0
/*
 * sockscan's libFuzzer harnesses (fuzz_go.c, fuzz_py.c) over extraction
 * and resolution: the input is the text of one source file, taken through
 * the path a scan takes after reading it: parse and extract
 * (parse_buffer, in parts if large), packages and symbols, findings,
 * then the JSON report. Any crash, sanitizer report, leak or timeout is
 * a finding (tests/fuzz/README.md).
 */
#ifndef SOCKSCAN_FUZZ_ONE_H
#define SOCKSCAN_FUZZ_ONE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../finding.h"
#include "../output.h"
#include "../parse.h"
#include "../pkgs.h"
#include "../scan.h"
#include "../util.h"

static FILE *sink;

/* One scan of a tree holding one file of language @lang, text @data. */
static int sockscan_fuzz_one(enum lang lang, const uint8_t *data, size_t size)
{
	struct scan sc = { .opt.jobs = 1 };
	struct srcfile *f = xcalloc(1, sizeof(*f));
	char *src = xmalloc(size + 1);

	if (!sink)
		sink = fopen("/dev/null", "w");
	memcpy(src, data, size);
	src[size] = '\0';
	f->lang = lang;
	f->path = xstrdup(lang == LANG_GO ? "cmd/fuzz/main.go" : "app/fuzz.py");
	f->fullpath = xstrdup(f->path);
	f->size = size;
	sc.files = xcalloc(1, sizeof(*sc.files));
	sc.files[0] = f;
	sc.nfiles = sc.capfiles = 1;
	sc.root_name = xstrdup("fuzz");

	parse_buffer(f, src, size);
	free(src);
	pkgs_build(&sc);
	pkgs_preload(&sc);
	findings_build(&sc);
	output_json(&sc, sink);
	scan_free(&sc);
	return 0;
}

#endif

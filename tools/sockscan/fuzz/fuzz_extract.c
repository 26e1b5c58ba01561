// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over sockscan's extraction and resolution: the input
 * is the text of one source file (Go or Python, chosen at build time by
 * FUZZ_LANG), taken through the path a scan takes after reading it:
 * parse and extract (parse_buffer, in parts if large), packages and
 * symbols, findings, then the JSON report. Built with
 * -fsanitize=fuzzer,address,undefined by fuzz.mk; any crash, sanitizer
 * report, leak or timeout is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "output.h"
#include "parse.h"
#include "pkgs.h"
#include "scan.h"
#include "util.h"

#ifndef FUZZ_LANG
#define FUZZ_LANG LANG_PY
#endif

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan sc = { .opt.jobs = 1 };
	struct srcfile *f = xcalloc(1, sizeof(*f));
	char *src = xmalloc(size + 1);

	if (!sink)
		sink = fopen("/dev/null", "w");
	memcpy(src, data, size);
	src[size] = '\0';
	f->lang = FUZZ_LANG;
	f->path = xstrdup(FUZZ_LANG == LANG_GO ? "cmd/fuzz/main.go" : "app/fuzz.py");
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

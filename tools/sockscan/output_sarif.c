// SPDX-License-Identifier: GPL-2.0
/*
 * The SARIF 2.1.0 report: one result per finding (rule socket-ingress or
 * socket-egress, level note, the finding's fields in properties) and one
 * per file that could not be parsed (rule parse-error, level warning).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static json_t *rule(const char *id, const char *text)
{
	return json_pack("{s:s, s:{s:s}}", "id", id, "shortDescription", "text", text);
}

static json_t *location(const char *uri, int line, int col)
{
	json_t *region = json_pack("{s:i}", "startLine", line > 0 ? line : 1);

	if (col > 0)
		json_object_set_new(region, "startColumn", json_integer(col));
	return json_pack("[{s:{s:{s:o}, s:o}}]", "physicalLocation",
			 "artifactLocation", "uri", json_text(uri), "region", region);
}

static json_t *finding_result(const struct finding *fd)
{
	char port[16] = "?";
	char *msg;
	json_t *r;

	if (fd->port >= 0)
		snprintf(port, sizeof(port), "%d", fd->port);
	if (asprintf(&msg, "%s %s %s%s%s via %s (%s)",
		     fd->dir == DIR_INGRESS ? "listens on" : "connects to",
		     fd->protocol ? fd->protocol : "?",
		     fd->host ? fd->host : (fd->dir == DIR_INGRESS ? "*" : "?"),
		     fd->protocol && !strcmp(fd->protocol, "unix") ? "" : ":",
		     fd->protocol && !strcmp(fd->protocol, "unix") ? "" : port,
		     fd->api, resolution_name(fd->how)) < 0)
		return NULL;
	r = json_pack("{s:s, s:s, s:{s:o}, s:o, s:o}",
		      "ruleId", fd->dir == DIR_INGRESS ? "socket-ingress" : "socket-egress",
		      "level", "note", "message", "text", json_text(msg),
		      "locations", location(fd->file->path, fd->line, fd->col),
		      "properties", finding_json(fd));
	free(msg);
	return r;
}

int output_sarif(struct scan *sc, FILE *out)
{
	json_t *results = json_array(), *doc;
	size_t i;
	int rc;

	for (i = 0; i < sc->nfindings; i++)
		json_array_append_new(results, finding_result(&sc->findings[i]));
	for (i = 0; i < sc->nfiles; i++) {
		const struct srcfile *f = sc->files[i];

		if (!f->error)
			continue;
		json_array_append_new(results, json_pack("{s:s, s:s, s:{s:s}, s:o}",
			"ruleId", "parse-error", "level", "warning",
			"message", "text", f->error,
			"locations", location(f->path, f->error_line, 0)));
	}
	doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:[o,o,o]}}, s:o}]}",
		"$schema", "https://json.schemastore.org/sarif-2.1.0.json",
		"version", "2.1.0",
		"runs", "tool", "driver",
		"name", "sockscan", "version", SOCKSCAN_VERSION,
		"rules",
		rule("socket-ingress", "A socket that accepts connections or datagrams"),
		rule("socket-egress", "A socket that connects out"),
		rule("parse-error", "A source file that could not be parsed in full"),
		"results", results);
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(doc);
	return rc;
}

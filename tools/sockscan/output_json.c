// SPDX-License-Identifier: GPL-2.0
/* The JSON report (default format; also the manifest sockwatch loads). */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util.h"

const char *resolution_name(enum resolution r)
{
	static const char *const names[] = {
		[RES_LITERAL] = "literal",
		[RES_CONSTANT] = "constant",
		[RES_PROTOCOL_DEFAULT] = "protocol-default",
		[RES_FRAMEWORK_DEFAULT] = "framework-default",
		[RES_FLAG_DEFAULT] = "flag-default",
		[RES_ENV_DEFAULT] = "env-default",
		[RES_DYNAMIC] = "dynamic",
	};

	return names[r];
}

const char *direction_name(enum direction d)
{
	return d == DIR_INGRESS ? "ingress" : "egress";
}

const char *lang_name(enum lang l)
{
	return l == LANG_GO ? "go" : "python";
}

json_t *json_text(const char *s)
{
	json_t *j;
	char *esc;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	/* not UTF-8: the same text with the bad bytes escaped */
	esc = str_escape(s, 0);
	j = json_string(esc);
	free(esc);
	return j;
}

json_t *finding_json(const struct finding *fd)
{
	json_t *o = json_object();

	json_object_set_new(o, "file", json_text(fd->file->path));
	json_object_set_new(o, "line", json_integer(fd->line));
	json_object_set_new(o, "column", json_integer(fd->col));
	json_object_set_new(o, "language", json_string(lang_name(fd->file->lang)));
	json_object_set_new(o, "service", json_text(fd->service));
	json_object_set_new(o, "module", json_text(fd->module));
	json_object_set_new(o, "direction", json_string(direction_name(fd->dir)));
	json_object_set_new(o, "api", json_text(fd->api));
	json_object_set_new(o, "protocol", json_text(fd->protocol));
	json_object_set_new(o, "app_protocol", json_text(fd->app));
	json_object_set_new(o, "host", json_text(fd->host));
	json_object_set_new(o, "port", fd->port >= 0 ? json_integer(fd->port) : json_null());
	json_object_set_new(o, "binding", json_text(fd->binding));
	json_object_set_new(o, "resolution", json_string(resolution_name(fd->how)));
	json_object_set_new(o, "expr", json_text(fd->expr));
	json_object_set_new(o, "dynamic", json_text(fd->dynamic));
	return o;
}

/*
 * One entry per distinct (service, language), in finding order. A run has
 * few services and may have many findings: look back over the services
 * listed, not over the findings.
 */
static json_t *services_json(struct scan *sc)
{
	const struct finding **seen = NULL;
	json_t *arr = json_array();
	size_t i, k, n = 0, cap = 0;

	for (i = 0; i < sc->nfindings; i++) {
		const struct finding *fd = &sc->findings[i];

		for (k = 0; k < n; k++)
			if (!strcmp(seen[k]->service, fd->service) &&
			    seen[k]->file->lang == fd->file->lang)
				break;
		if (k < n)
			continue;
		grow((void **)&seen, &cap, n + 1, sizeof(*seen));
		seen[n++] = fd;
		json_array_append_new(arr, json_pack("{s:o, s:o, s:s}",
			"name", json_text(fd->service), "module", json_text(fd->module),
			"language", lang_name(fd->file->lang)));
	}
	free(seen);
	return arr;
}

static json_t *unparsed_json(struct scan *sc)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < sc->nfiles; i++) {
		const struct srcfile *f = sc->files[i];

		if (!f->error)
			continue;
		json_array_append_new(arr, json_pack("{s:o, s:o, s:s, s:b}",
			"file", json_text(f->path),
			"line", f->error_line ? json_integer(f->error_line) : json_null(),
			"reason", f->error,
			"findings_kept", !f->unreadable && !f->binary));
	}
	return arr;
}

int output_json(struct scan *sc, FILE *out)
{
	json_t *doc = json_object(), *findings = json_array();
	size_t i;
	int rc;

	for (i = 0; i < sc->nfindings; i++)
		json_array_append_new(findings, finding_json(&sc->findings[i]));
	json_object_set_new(doc, "tool", json_string("sockscan"));
	json_object_set_new(doc, "version", json_string(SOCKSCAN_VERSION));
	json_object_set_new(doc, "services", services_json(sc));
	json_object_set_new(doc, "findings", findings);
	json_object_set_new(doc, "unparsed", unparsed_json(sc));
	json_object_set_new(doc, "stats", json_pack("{s:I, s:I, s:I, s:f}",
		"files", (json_int_t)sc->nfiles,
		"files_parsed", (json_int_t)sc->files_parsed,
		"bytes", (json_int_t)sc->bytes,
		"seconds", sc->seconds));
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(doc);
	return rc;
}

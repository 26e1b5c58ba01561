// SPDX-License-Identifier: GPL-2.0
/* The socket manifest: loading sockscan's JSON and matching (see manifest.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "detect/manifest.h"
#include "lib/quote.h"

/* The kernel's comm holds 15 bytes and a NUL. */
#define COMM_LEN 15

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void manifest_free(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->entries[i].service);
		free(m->entries[i].host);
		free(m->entries[i].api);
		free(m->entries[i].file);
	}
	free(m->entries);
	m->entries = NULL;
	m->n = 0;
}

static char *dup_or_null(json_t *v)
{
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

/* Fill @e from finding object @f; NULL on success, else what is wrong. */
static const char *read_entry(json_t *f, struct manifest_entry *e)
{
	json_t *service = json_object_get(f, "service");
	json_t *dir = json_object_get(f, "direction");
	json_t *port = json_object_get(f, "port");
	json_t *host = json_object_get(f, "host");
	json_t *res = json_object_get(f, "resolution");
	json_t *binding = json_object_get(f, "binding");

	if (!json_is_object(f))
		return "is not an object";
	if (!json_is_string(service) || !*json_string_value(service))
		return "'service' must be a non-empty string";
	if (!json_is_string(dir))
		return "'direction' must be \"ingress\" or \"egress\"";
	if (!strcmp(json_string_value(dir), "ingress"))
		e->dir = MANIFEST_INGRESS;
	else if (!strcmp(json_string_value(dir), "egress"))
		e->dir = MANIFEST_EGRESS;
	else
		return "'direction' must be \"ingress\" or \"egress\"";
	if (port && !json_is_null(port) &&
	    (!json_is_integer(port) || json_integer_value(port) < 0 ||
	     json_integer_value(port) > 65535))
		return "'port' must be an integer from 0 to 65535 or null";
	if (host && !json_is_null(host) && !json_is_string(host))
		return "'host' must be a string or null";
	if (!json_is_string(res))
		return "'resolution' must be a string";
	e->port = json_is_integer(port) ? (int)json_integer_value(port) : -1;
	e->dynamic = !strcmp(json_string_value(res), "dynamic");
	e->all_interfaces = json_is_string(binding) &&
			    !strcmp(json_string_value(binding), "all");
	e->service = strdup(json_string_value(service));
	e->host = dup_or_null(host);
	e->api = dup_or_null(json_object_get(f, "api"));
	e->file = dup_or_null(json_object_get(f, "file"));
	e->line = json_is_integer(json_object_get(f, "line")) ?
		  (int)json_integer_value(json_object_get(f, "line")) : 0;
	return e->service ? NULL : "out of memory";
}

/* Append the findings of one sockscan report (@doc, the @idx-th one). */
static int read_report(json_t *doc, size_t idx, const char *name, struct manifest *m,
		       char *err, size_t errlen)
{
	json_t *findings = json_object_get(doc, "findings"), *f;
	struct manifest_entry *grown;
	size_t i;

	if (!json_is_object(doc)) {
		set_err(err, errlen, "manifest %s: report %zu is not an object", name, idx);
		return -1;
	}
	if (!json_is_array(findings)) {
		set_err(err, errlen, "manifest %s: no \"findings\" array (is it sockscan's JSON output?)",
			name);
		return -1;
	}
	grown = realloc(m->entries, (m->n + json_array_size(findings) + 1) * sizeof(*grown));
	if (!grown) {
		set_err(err, errlen, "manifest %s: out of memory", name);
		return -1;
	}
	m->entries = grown;
	json_array_foreach(findings, i, f) {
		struct manifest_entry *e = &m->entries[m->n];
		const char *bad;

		memset(e, 0, sizeof(*e));
		bad = read_entry(f, e);
		if (bad) {
			free(e->service);
			free(e->host);
			free(e->api);
			free(e->file);
			set_err(err, errlen, "manifest %s: findings[%zu]: %s", name, i, bad);
			return -1;
		}
		m->n++;
	}
	return 0;
}

static int load_doc(json_t *root, const char *name, struct manifest *m,
		    char *err, size_t errlen)
{
	json_t *doc;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (json_is_object(root))
		return read_report(root, 0, name, m, err, errlen);
	if (!json_is_array(root)) {
		set_err(err, errlen, "manifest %s: top level must be a sockscan report or an array of them",
			name);
		return -1;
	}
	json_array_foreach(root, i, doc)
		if (read_report(doc, i, name, m, err, errlen))
			return -1;
	return 0;
}

static int finish_load(json_t *root, json_error_t *jerr, const char *name,
		       struct manifest *m, char *err, size_t errlen)
{
	int rc;

	char text[256];

	memset(m, 0, sizeof(*m));
	if (!root) {
		/* jansson's text quotes the input near the error, control
		 * characters and all */
		set_err(err, errlen, "manifest %s: line %d: %s", name, jerr->line,
			sw_quote(text, sizeof(text), jerr->text));
		return -1;
	}
	rc = load_doc(root, name, m, err, errlen);
	json_decref(root);
	if (rc)
		manifest_free(m);
	return rc;
}

int manifest_load(const char *path, struct manifest *m, char *err, size_t errlen)
{
	json_error_t jerr;
	struct stat st;
	json_t *root;
	FILE *f;

	/* opened here: jansson reports a missing file as "line -1" and reads
	 * a directory as an empty document */
	memset(m, 0, sizeof(*m));
	f = fopen(path, "r");
	if (!f) {
		set_err(err, errlen, "manifest %s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		set_err(err, errlen, "manifest %s: cannot read: %s", path, strerror(EISDIR));
		fclose(f);
		return -1;
	}
	root = json_loadf(f, JSON_DECODE_ANY, &jerr);
	if (!root && ferror(f)) {
		set_err(err, errlen, "manifest %s: cannot read: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return finish_load(root, &jerr, path, m, err, errlen);
}

int manifest_load_string(const char *json, const char *name, struct manifest *m,
			 char *err, size_t errlen)
{
	json_error_t jerr;

	return finish_load(json_loads(json, JSON_DECODE_ANY, &jerr), &jerr, name, m, err, errlen);
}

int manifest_has_service(const struct manifest *m, const char *service)
{
	size_t i;

	for (i = 0; service && i < m->n; i++)
		if (!strcmp(m->entries[i].service, service))
			return 1;
	return 0;
}

/* @comm names @service: equal, or its first 15 bytes when comm was cut. */
static int comm_names(const char *comm, const char *service)
{
	if (!strcmp(comm, service))
		return 1;
	return strlen(comm) == COMM_LEN && strlen(service) > COMM_LEN &&
	       !strncmp(comm, service, COMM_LEN);
}

const char *manifest_service_of(const struct manifest *m, const char *comm,
				const char *exe_base)
{
	size_t i;

	for (i = 0; comm && i < m->n; i++)
		if (comm_names(comm, m->entries[i].service))
			return m->entries[i].service;
	for (i = 0; exe_base && i < m->n; i++)
		if (!strcmp(exe_base, m->entries[i].service))
			return m->entries[i].service;
	return NULL;
}

static int entry_matches(const struct manifest_entry *e, enum manifest_dir dir,
			 int port, const char *host)
{
	if (e->dir != dir)
		return 0;
	if (e->dynamic)
		return 1;
	if (e->port < 0 || e->port != port)
		return 0;
	if (host && e->host && !e->all_interfaces && strcasecmp(host, e->host))
		return 0;
	return 1;
}

/* First entry of @name, dynamic or resolved as @dynamic says, that matches. */
static const struct manifest_entry *find_entry(const struct manifest *m, const char *name,
					       int dynamic, enum manifest_dir dir,
					       int port, const char *host)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct manifest_entry *e = &m->entries[i];

		if (e->dynamic == dynamic && !strcmp(e->service, name) &&
		    entry_matches(e, dir, port, host))
			return e;
	}
	return NULL;
}

enum manifest_verdict manifest_match(const struct manifest *m, const char *service,
				     enum manifest_dir dir, int port, const char *host,
				     const struct manifest_entry **matched)
{
	const char *name = manifest_service_of(m, service, service);
	const struct manifest_entry *e;

	if (matched)
		*matched = NULL;
	if (!name)
		return MANIFEST_UNKNOWN_SERVICE;
	/* resolved entries first, so that a match names the exact line */
	e = find_entry(m, name, 0, dir, port, host);
	if (!e)
		e = find_entry(m, name, 1, dir, port, host);
	if (matched)
		*matched = e;
	return e ? MANIFEST_LISTED : MANIFEST_UNLISTED;
}

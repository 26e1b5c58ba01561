/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket manifest: what sockscan (tools/sockscan) says each service
 * opens, loaded from its JSON report, and the matching the agent uses to
 * tell a socket the manifest lists from drift.
 *
 * Input: the JSON sockscan writes (tools/sockscan/README.md), one object
 * with a "findings" array, or an array of such objects (several scans,
 * e.g. one per repository). Of a finding, the manifest reads: service,
 * direction, port, host, resolution, and for messages api, file, line.
 *
 * Process -> service mapping (manifest_service_of): a running process
 * belongs to the manifest service whose name equals
 *   1. its comm (the kernel's task name), or, since comm is cut to 15
 *      bytes, the first 15 bytes of the service name when comm is 15 long;
 *   2. else the base name of its executable (/proc/PID/exe).
 * sockscan names a Go service after its main package's directory, which
 * is what `go build` names the binary, so both usually agree. A Python
 * service is named after the script's directory: its comm is "python3",
 * so the agent must pass the script's directory name as @exe_base for it
 * to be found. A process that maps to no service is not judged at all
 * (MANIFEST_UNKNOWN_SERVICE): the manifest says nothing about it.
 *
 * Matching (manifest_match): an entry whose address sockscan resolved
 * matches on service, direction and port exactly; when both the query and
 * the entry name a host, and the entry is not a listener on every
 * interface, the hosts must be equal too (case-insensitive; no DNS). An
 * entry sockscan could not resolve (resolution "dynamic") matches any
 * port and host of the same service and direction: the code opens a
 * socket there, where to is known only at run time.
 *
 * Everything here is pure (no I/O but manifest_load's one read) and
 * thread-safe on a loaded manifest, which is never modified.
 */
#ifndef SOCKWATCH_MANIFEST_H
#define SOCKWATCH_MANIFEST_H

#include <stddef.h>

enum manifest_dir { MANIFEST_INGRESS, MANIFEST_EGRESS };

/* One socket the manifest lists. */
struct manifest_entry {
	char *service;
	enum manifest_dir dir;
	int port;		/* -1: unknown or none (unix socket) */
	char *host;		/* NULL: none given (listen on all, or dynamic) */
	int dynamic;		/* resolution "dynamic": matches by service and direction */
	int all_interfaces;	/* listener with binding "all" */
	char *api;		/* for messages: "net.Listen" */
	char *file;
	int line;
};

struct manifest {
	struct manifest_entry *entries;
	size_t n;
};

enum manifest_verdict {
	MANIFEST_LISTED,		/* an entry matches */
	MANIFEST_UNLISTED,		/* the service is known, this socket is not: drift */
	MANIFEST_UNKNOWN_SERVICE,	/* the manifest has no such service */
};

/*
 * Load the sockscan JSON at @path into @m. On failure returns -1, leaves
 * @m empty and writes one line to @err: the file and what is wrong.
 */
int manifest_load(const char *path, struct manifest *m, char *err, size_t errlen);
/* The same from a string; @name stands for the file in messages. */
int manifest_load_string(const char *json, const char *name, struct manifest *m,
			 char *err, size_t errlen);
void manifest_free(struct manifest *m);

/* Does the manifest name service @service? */
int manifest_has_service(const struct manifest *m, const char *service);
/*
 * The manifest service a process belongs to (see above), or NULL.
 * @comm and @exe_base may be NULL.
 */
const char *manifest_service_of(const struct manifest *m, const char *comm,
				const char *exe_base);
/*
 * Is a socket of @service (a service name, or a comm / executable name:
 * it goes through manifest_service_of) in direction @dir on @port
 * (for egress the remote port, for ingress the local one), optionally to
 * or on @host (NULL: any), listed? If @matched is not NULL it receives
 * the entry that matched.
 */
enum manifest_verdict manifest_match(const struct manifest *m, const char *service,
				     enum manifest_dir dir, int port, const char *host,
				     const struct manifest_entry **matched);

#endif

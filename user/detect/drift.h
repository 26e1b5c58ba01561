/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Runtime drift: comparing what processes really listen on and connect to
 * with the manifest sockscan wrote (manifest.h). The agent checks every
 * listen and connect as it happens and emits the records this module
 * returns; `sockwatch check-manifest` checks the sockets that exist now,
 * once, through sw_manifest_service.
 */
#ifndef SW_DRIFT_H
#define SW_DRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "detect/alerts.h"
#include "sockwatch_abi.h"

struct manifest;
struct sw_drift;

/* The manifest at path, loaded; NULL and one line in err on failure. */
struct sw_drift *sw_drift_new(const char *path, char *err, size_t errlen);
/* The same from JSON text (tests); name stands for the file in messages. */
struct sw_drift *sw_drift_new_string(const char *json, const char *name,
				     char *err, size_t errlen);
void sw_drift_free(struct sw_drift *d);

/*
 * A listen, or a TCP connect, that the manifest does not list for its
 * process's service: true and the manifest_drift alert record in *out,
 * once per (process, direction, port). Other records, processes of no
 * manifest service and listed sockets give false.
 */
bool sw_drift_check(struct sw_drift *d, const struct sw_event *e,
		    struct sw_alert *out);

/* The manifest service of a process, or NULL (see manifest.h): by comm,
 * by /proc/PID/exe's base name, or by the directory of the .py script in
 * its command line (how sockscan names Python services). */
const char *sw_manifest_service(const struct manifest *m, __u32 pid,
				const char *comm);

#endif /* SW_DRIFT_H */

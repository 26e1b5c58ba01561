/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The port allocation registry: ports handed out to services, with a
 * record of who holds them (the port manager of the seed, race-free).
 *
 * State is one JSON file (default SW_REGISTRY_DEFAULT):
 *   {"version":1,"leases":[{"port":18001,"service":"api","purpose":"...",
 *     "pid":1234,"pid_start":1789999990,"since":1790000000,"user":"root"}, ...]}
 * Every change goes: take the lock (flock on FILE.lock, a separate file
 * because the state file itself is replaced), read the file, change the
 * leases in memory, write FILE.tmp.PID, fsync it, rename it over FILE,
 * fsync the directory, release the lock. A crash at any step leaves the
 * previous state (or the new one) whole; never half of either. A state
 * file that cannot be read or parsed is an error and is never
 * overwritten: the caller reports it and stops.
 *
 * Parsing is jansson; writing is the project's JSON writer.
 */
#ifndef SW_PORT_REGISTRY_H
#define SW_PORT_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "lib/portrange.h"

#define SW_REGISTRY_DEFAULT	"/run/sockwatch/ports.json"
#define SW_LEASE_SERVICE_LEN	64
#define SW_LEASE_PURPOSE_LEN	128
#define SW_LEASE_USER_LEN	32

/* One lease: port held for a service by a process since a time. */
struct sw_lease {
	__u16 port;
	__u32 pid;
	__s64 pid_start;			/* the pid's start, unix seconds;
						 * 0: unknown. A pid alive with
						 * another start was reused: gone */
	__s64 since;				/* unix seconds */
	char  service[SW_LEASE_SERVICE_LEN];
	char  purpose[SW_LEASE_PURPOSE_LEN];
	char  user[SW_LEASE_USER_LEN];
};

/* The leases of a state file, in file order (sorted by port on save). */
struct sw_lease_set {
	struct sw_lease *v;
	size_t n, cap;
};

void sw_lease_set_free(struct sw_lease_set *s);
/* Append a copy of l. 0 or -ENOMEM. */
int sw_lease_set_add(struct sw_lease_set *s, const struct sw_lease *l);
/* The lease of port, or NULL. */
struct sw_lease *sw_lease_find(const struct sw_lease_set *s, __u16 port);
/* Remove the lease at index i (order of the rest is kept). */
void sw_lease_remove(struct sw_lease_set *s, size_t i);

/*
 * Parse a state file's text (len bytes). 0, or -1 with one line in err
 * (what is wrong and where) and *out empty.
 */
int sw_registry_parse(const char *text, size_t len, struct sw_lease_set *out,
		      char *err, size_t errlen);
/* The state as JSON text (malloc'ed, NUL-terminated), or NULL. */
char *sw_registry_format(const struct sw_lease_set *s);

/*
 * Take the registry's lock, for a change: flock(LOCK_EX) on PATH.lock,
 * created (with the directory of path, mode 0755) when missing. Returns
 * the lock fd (close it to release) or -1 with one line in err. Readers
 * take no lock: a writer replaces the file whole, by rename.
 */
int sw_registry_lock(const char *path, char *err, size_t errlen);
/*
 * Read the state file: a missing file is an empty registry. 0, or -1
 * with one line in err (unreadable, not JSON, not a registry).
 */
int sw_registry_load(const char *path, struct sw_lease_set *out, char *err,
		     size_t errlen);
/* Replace the state file atomically (see above). 0 or -1 with err. */
int sw_registry_save(const char *path, const struct sw_lease_set *s, char *err,
		     size_t errlen);

/*
 * The port to hand out: prefer when it is in r and neither used nor
 * leased, else the lowest port of r that is neither and that usable()
 * accepts (a test bind; NULL: any). 0 and *port, or -ENOENT.
 */
int sw_registry_pick(const struct sw_portrange *r, __u16 prefer,
		     const struct sw_portset *used,
		     const struct sw_lease_set *leases,
		     bool (*usable)(__u16 port, void *ctx), void *ctx,
		     __u16 *port);

/*
 * Every local port that some socket of some visible network namespace
 * has (listening, bound, connected; TIME_WAIT is left to the test bind),
 * into used (cleared first). 0 or -errno.
 */
int sw_registry_used_ports(struct sw_portset *used);

/* A lease as things are now: is its port bound, by whom, is its pid alive. */
struct sw_lease_status {
	bool  bound;		/* some socket (TIME_WAIT aside) has the port */
	bool  pid_alive;	/* and still the process that took the lease */
	bool  pid_reused;	/* the pid lives, but started after the lease's */
	bool  held_by_other;	/* bound, and by a known pid other than the lease's */
	__u32 holder_pid;	/* 0: unknown (or not bound) */
	char  holder_comm[16];
};

/*
 * The status of every lease of s (st has s->n entries), from one socket
 * dump of every visible namespace; with owners, the holders too (a walk
 * of every process's fds: slow on a host with many sockets). 0 or -errno.
 */
int sw_registry_status(const struct sw_lease_set *s, struct sw_lease_status *st,
		       bool owners);

/* Whether a lease may be released by the watchdog: pid gone, port free. */
static inline bool sw_lease_expired(const struct sw_lease_status *st)
{
	return !st->pid_alive && !st->bound;
}

/* A lease with its status as one JSON object (ports --allocations --json,
 * /api/v1/ports/allocations). */
struct sw_json;
void sw_lease_json(struct sw_json *j, const struct sw_lease *l,
		   const struct sw_lease_status *st);

/*
 * The watchdog's pass: under the exclusive lock, release every expired
 * lease, calling on_expired for each (after the new state is saved).
 * A missing state file is an empty registry: nothing happens and no file
 * is created. Returns the number released, or -1 with one line in err.
 */
int sw_registry_expire(const char *path,
		       void (*on_expired)(const struct sw_lease *l,
					  const struct sw_lease_status *st, void *ctx),
		       void *ctx, char *err, size_t errlen);

/*
 * The per-port health of range r (the seed's port health check), as
 * {"range":"A-B","ports":[{"port":N,"owners":[...],"bind":{"ok":..},
 *  "time_wait":N,"lease":{...}|null}, ...]}: who holds each port in any
 * visible namespace, whether a test bind with SO_REUSEADDR passes, its
 * TIME_WAIT sockets (either end), and its lease in the state file at
 * state (NULL: none). 0, or -1 with one line in err.
 */
#define SW_PORTS_REPORT_MAX	1024	/* ports per report */
int sw_ports_report_json(const struct sw_portrange *r, const char *state,
			 struct sw_json *j, char *err, size_t errlen);

#endif /* SW_PORT_REGISTRY_H */

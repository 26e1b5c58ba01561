// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The port allocation registry. See port_registry.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <jansson.h>
#include "health/port_registry.h"
#include "lib/json_writer.h"
#include "lib/quote.h"
#include "health/ports.h"
#include "table/decode.h"
#include "table/procfs.h"
#include "table/sockdiag.h"

#define REGISTRY_VERSION	1
#define STATE_MAX_BYTES		(16 * 1024 * 1024)

void sw_lease_set_free(struct sw_lease_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int sw_lease_set_add(struct sw_lease_set *s, const struct sw_lease *l)
{
	struct sw_lease *v;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *l;
	return 0;
}

struct sw_lease *sw_lease_find(const struct sw_lease_set *s, __u16 port)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].port == port)
			return &s->v[i];
	return NULL;
}

void sw_lease_remove(struct sw_lease_set *s, size_t i)
{
	if (i >= s->n)
		return;
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
}

/* ---- parsing -------------------------------------------------------------- */

static int lease_str(json_t *o, const char *key, char *dst, size_t len,
		     bool required, size_t idx, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);

	dst[0] = '\0';
	if (!v && !required)
		return 0;
	if (!json_is_string(v) || json_string_length(v) >= len) {
		snprintf(err, errlen, "leases[%zu]: \"%s\" must be a string of at most %zu bytes",
			 idx, key, len - 1);
		return -1;
	}
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int lease_int(json_t *o, const char *key, json_int_t lo, json_int_t hi,
		     json_int_t *out, size_t idx, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		snprintf(err, errlen, "leases[%zu]: \"%s\" must be an integer in %lld-%lld",
			 idx, key, (long long)lo, (long long)hi);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int parse_lease(json_t *o, size_t idx, struct sw_lease *l, char *err,
		       size_t errlen)
{
	json_int_t port, pid, since, start = 0;

	memset(l, 0, sizeof(*l));
	if (!json_is_object(o)) {
		snprintf(err, errlen, "leases[%zu] is not an object", idx);
		return -1;
	}
	if (lease_int(o, "port", 1, 65535, &port, idx, err, errlen) ||
	    lease_int(o, "pid", 0, INT_MAX, &pid, idx, err, errlen) ||
	    lease_int(o, "since", 0, INT64_MAX, &since, idx, err, errlen) ||
	    (json_object_get(o, "pid_start") &&
	     lease_int(o, "pid_start", 0, INT64_MAX, &start, idx, err, errlen)) ||
	    lease_str(o, "service", l->service, sizeof(l->service), true, idx, err, errlen) ||
	    lease_str(o, "purpose", l->purpose, sizeof(l->purpose), false, idx, err, errlen) ||
	    lease_str(o, "user", l->user, sizeof(l->user), false, idx, err, errlen))
		return -1;
	l->port = (__u16)port;
	l->pid = (__u32)pid;
	l->since = since;
	l->pid_start = start;
	return 0;
}

int sw_registry_parse(const char *text, size_t len, struct sw_lease_set *out,
		      char *err, size_t errlen)
{
	json_error_t je;
	char quoted[256];
	json_t *root, *leases, *ver;
	struct sw_lease l;
	size_t i;

	memset(out, 0, sizeof(*out));
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errlen, "not valid JSON at line %d column %d: %s",
			 je.line, je.column, sw_quote(quoted, sizeof(quoted), je.text));
		return -1;
	}
	ver = json_object_get(root, "version");
	leases = json_object_get(root, "leases");
	if (!json_is_object(root) || !json_is_integer(ver) ||
	    json_integer_value(ver) != REGISTRY_VERSION || !json_is_array(leases)) {
		snprintf(err, errlen, "not a sockwatch port registry (want {\"version\":%d,\"leases\":[...]})",
			 REGISTRY_VERSION);
		goto fail;
	}
	json_array_foreach(leases, i, ver) {
		if (parse_lease(ver, i, &l, err, errlen))
			goto fail;
		if (sw_lease_find(out, l.port)) {
			snprintf(err, errlen, "leases[%zu]: port %u is leased twice", i, l.port);
			goto fail;
		}
		if (sw_lease_set_add(out, &l)) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	sw_lease_set_free(out);
	return -1;
}

static int lease_cmp(const void *a, const void *b)
{
	return (int)((const struct sw_lease *)a)->port -
	       (int)((const struct sw_lease *)b)->port;
}

char *sw_registry_format(const struct sw_lease_set *s)
{
	struct sw_lease *v = NULL;
	struct sw_json j;
	char *text;
	size_t i;

	if (s->n) {
		v = malloc(s->n * sizeof(*v));
		if (!v)
			return NULL;
		memcpy(v, s->v, s->n * sizeof(*v));
		qsort(v, s->n, sizeof(*v), lease_cmp);
	}
	sw_json_init(&j);
	sw_json_obj_begin(&j);
	sw_json_kint(&j, "version", REGISTRY_VERSION);
	sw_json_key(&j, "leases");
	sw_json_arr_begin(&j);
	for (i = 0; i < s->n; i++) {
		sw_json_obj_begin(&j);
		sw_json_kuint(&j, "port", v[i].port);
		sw_json_kstr(&j, "service", v[i].service);
		sw_json_kstr(&j, "purpose", v[i].purpose);
		sw_json_kuint(&j, "pid", v[i].pid);
		sw_json_kint(&j, "pid_start", v[i].pid_start);
		sw_json_kint(&j, "since", v[i].since);
		sw_json_kstr(&j, "user", v[i].user);
		sw_json_obj_end(&j);
	}
	sw_json_arr_end(&j);
	sw_json_obj_end(&j);
	text = strdup(sw_json_cstr(&j));
	sw_json_free(&j);
	free(v);
	return text;
}

/* ---- the file ------------------------------------------------------------- */

/* mkdir -p of path's directory (the last component is the file). */
static int make_parent(const char *path)
{
	char dir[PATH_MAX], *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int sw_registry_lock(const char *path, char *err, size_t errlen)
{
	char lock[PATH_MAX];
	int fd, ret;

	if (snprintf(lock, sizeof(lock), "%s.lock", path) >= (int)sizeof(lock)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	ret = make_parent(path);
	if (ret) {
		snprintf(err, errlen, "%s: cannot create its directory: %s", path, strerror(-ret));
		return -1;
	}
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", lock, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		snprintf(err, errlen, "%s: flock: %s", lock, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int sw_registry_load(const char *path, struct sw_lease_set *out, char *err,
		     size_t errlen)
{
	char why[256];
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > STATE_MAX_BYTES) {
		snprintf(err, errlen, "%s: not a regular file of at most %d bytes",
			 path, STATE_MAX_BYTES);
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	while (got < (size_t)st.st_size &&
	       ((n = read(fd, buf + got, (size_t)st.st_size - got)) > 0 ||
		(n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	close(fd);
	/* an empty file is what a crash of a writer without fsync leaves: corrupt */
	ret = sw_registry_parse(buf, got, out, why, sizeof(why));
	free(buf);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, why);
	return ret;
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Make the rename itself durable. */
static void sync_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

int sw_registry_save(const char *path, const struct sw_lease_set *s, char *err,
		     size_t errlen)
{
	char tmp[PATH_MAX], *text;
	int fd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	text = sw_registry_format(s);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ret = fd < 0 ? -errno : write_all(fd, text, strlen(text));
	if (!ret)
		ret = write_all(fd, "\n", 1);
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (fd >= 0 && close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	free(text);
	if (ret) {
		if (fd >= 0)
			unlink(tmp);
		snprintf(err, errlen, "%s: cannot write the new state: %s", path, strerror(-ret));
		return -1;
	}
	sync_dir(path);
	return 0;
}

/* ---- picking a port ------------------------------------------------------- */

static bool taken(__u16 p, const struct sw_portset *used,
		  const struct sw_lease_set *leases)
{
	return sw_portset_has(used, p) || sw_lease_find(leases, p);
}

int sw_registry_pick(const struct sw_portrange *r, __u16 prefer,
		     const struct sw_portset *used,
		     const struct sw_lease_set *leases,
		     bool (*usable)(__u16 port, void *ctx), void *ctx,
		     __u16 *port)
{
	unsigned int p;

	if (prefer >= r->lo && prefer <= r->hi && !taken(prefer, used, leases) &&
	    (!usable || usable(prefer, ctx))) {
		*port = prefer;
		return 0;
	}
	for (p = r->lo; p <= r->hi; p++) {
		if (p == prefer || taken((__u16)p, used, leases) ||
		    (usable && !usable((__u16)p, ctx)))
			continue;
		*port = (__u16)p;
		return 0;
	}
	return -ENOENT;
}

/* TIME_WAIT does not hold a port for a server that sets SO_REUSEADDR, and
 * on a busy host it is most of the dump: the test bind sees it instead. */
#define HELD_STATES	(SW_DIAG_ALL_STATES & ~(SW_DIAG_STATE(SW_TCP_TIME_WAIT) | \
					SW_DIAG_STATE(SW_TCP_NEW_SYN_RECV)))

int sw_registry_used_ports(struct sw_portset *used)
{
	struct sw_diag_req req = { .states = HELD_STATES };

	memset(used, 0, sizeof(*used));
	return sw_diag_dump_all(&req, sw_port_mark_used, used);
}

/* ---- status and expiry ---------------------------------------------------- */

/* Alive, and the same process: a reused pid has another start time. */
static void pid_status(const struct sw_lease *l, struct sw_lease_status *st)
{
	time_t t;

	st->pid_alive = l->pid && (!kill((pid_t)l->pid, 0) || errno == EPERM);
	if (!st->pid_alive || !l->pid_start || sw_proc_start_time((pid_t)l->pid, &t))
		return;
	/* clock-tick precision, rounded: allow a second */
	st->pid_reused = llabs((long long)t - (long long)l->pid_start) > 1;
	st->pid_alive = !st->pid_reused;
}

/* One sw_registry_status() dump: the leases, their status, the owners. */
struct status_ctx {
	const struct sw_lease_set *s;
	struct sw_lease_status *st;
	struct sw_owner_map map;
};

static int status_cb(const struct sw_diag_sock *k, void *arg)
{
	struct status_ctx *c = arg;
	const struct sw_owner *o;
	size_t i;

	if (!sw_port_is_held(k, true))
		return 0;
	for (i = 0; i < c->s->n; i++) {
		struct sw_lease_status *st = &c->st[i];

		if (c->s->v[i].port != k->lport)
			continue;
		st->bound = true;
		o = sw_owner_lookup(&c->map, k->inode);
		/* the lease's own process, once seen, is the holder to show */
		if (!o || st->holder_pid == c->s->v[i].pid)
			continue;
		st->holder_pid = o->pid;
		snprintf(st->holder_comm, sizeof(st->holder_comm), "%s", o->comm);
		st->held_by_other = o->pid != c->s->v[i].pid;
	}
	return 0;
}

int sw_registry_status(const struct sw_lease_set *s, struct sw_lease_status *st,
		       bool owners)
{
	struct sw_diag_req req = { .states = HELD_STATES };
	struct status_ctx c = { .s = s, .st = st };
	size_t i;
	int ret;

	memset(st, 0, s->n * sizeof(*st));
	for (i = 0; i < s->n; i++)
		pid_status(&s->v[i], &st[i]);
	if (!s->n)
		return 0;
	ret = owners ? sw_owner_map_build(&c.map) : 0;
	if (ret < 0)
		return ret;
	ret = sw_diag_dump_all(&req, status_cb, &c);
	sw_owner_map_free(&c.map);
	return ret < 0 ? ret : 0;
}

int sw_registry_expire(const char *path,
		       void (*on_expired)(const struct sw_lease *l,
					  const struct sw_lease_status *st, void *ctx),
		       void *ctx, char *err, size_t errlen)
{
	struct sw_lease_set s, gone = { 0 };
	struct sw_lease_status *st = NULL, *gone_st = NULL;
	struct stat sb;
	size_t i;
	int lock, ret = -1;

	if (stat(path, &sb) < 0 && errno == ENOENT)
		return 0;
	lock = sw_registry_lock(path, err, errlen);
	if (lock < 0)
		return -1;
	if (sw_registry_load(path, &s, err, errlen))
		goto out_unlock;
	st = calloc(s.n ? s.n : 1, sizeof(*st));
	/* owners are not needed to expire: /proc's fds are the slow part */
	if (!st || sw_registry_status(&s, st, false)) {
		snprintf(err, errlen, "%s: cannot list sockets", path);
		goto out;
	}
	gone_st = calloc(s.n ? s.n : 1, sizeof(*gone_st));
	if (!gone_st)
		goto out;
	for (i = s.n; i-- > 0;) {
		if (!sw_lease_expired(&st[i]))
			continue;
		gone_st[gone.n] = st[i];
		if (sw_lease_set_add(&gone, &s.v[i]))
			goto out;
		sw_lease_remove(&s, i);
	}
	if (gone.n && sw_registry_save(path, &s, err, errlen))
		goto out;
	for (i = 0; i < gone.n && on_expired; i++)
		on_expired(&gone.v[i], &gone_st[i], ctx);
	ret = (int)gone.n;
out:
	free(st);
	free(gone_st);
	sw_lease_set_free(&s);
	sw_lease_set_free(&gone);
out_unlock:
	close(lock);
	return ret;
}

void sw_lease_json(struct sw_json *j, const struct sw_lease *l,
		       const struct sw_lease_status *st)
{
	sw_json_obj_begin(j);
	sw_json_kuint(j, "port", l->port);
	sw_json_kstr(j, "service", l->service);
	sw_json_kstr(j, "purpose", l->purpose);
	sw_json_kuint(j, "pid", l->pid);
	sw_json_kint(j, "pid_start", l->pid_start);
	sw_json_kint(j, "since", l->since);
	sw_json_kstr(j, "user", l->user);
	sw_json_kbool(j, "pid_alive", st->pid_alive);
	sw_json_kbool(j, "pid_reused", st->pid_reused);
	sw_json_kbool(j, "bound", st->bound);
	if (st->holder_pid) {
		sw_json_kuint(j, "holder_pid", st->holder_pid);
		sw_json_kstr(j, "holder_comm", st->holder_comm);
	} else {
		sw_json_knull(j, "holder_pid");
	}
	sw_json_kbool(j, "held_by_other", st->held_by_other);
	sw_json_obj_end(j);
}

/* ---- per-port report ------------------------------------------------------ */

/* One dump for sw_ports_report_json(): holders and TIME_WAIT counts. */
struct report_ctx {
	const struct sw_portrange *r;
	struct sw_owner_map map;
	struct sw_port_list held;
	__u32 *time_wait;		/* per port of r */
};

static bool in_range(const struct sw_portrange *r, __u16 p)
{
	return p && p >= r->lo && p <= r->hi;
}

static int report_cb(const struct sw_diag_sock *s, void *arg)
{
	struct report_ctx *c = arg;

	if (s->proto == IPPROTO_TCP && s->state == SW_TCP_TIME_WAIT) {
		if (in_range(c->r, s->lport))
			c->time_wait[s->lport - c->r->lo]++;
		else if (in_range(c->r, s->rport))
			c->time_wait[s->rport - c->r->lo]++;
		return 0;
	}
	if (!in_range(c->r, s->lport) || !sw_port_is_held(s, false))
		return 0;
	return sw_port_list_add(&c->held, s, &c->map);
}

static void owner_json(struct sw_json *j, const struct sw_port_ent *e)
{
	char addr[SW_ADDR_STRLEN];

	sw_fmt_addr(addr, e->family, e->addr);
	sw_json_obj_begin(j);
	if (e->pid) {
		sw_json_kuint(j, "pid", e->pid);
		sw_json_kstr(j, "comm", e->comm);
	} else {
		sw_json_knull(j, "pid");
	}
	sw_json_kstr(j, "proto", sw_proto_name(e->proto));
	sw_json_kstr(j, "state", e->proto == IPPROTO_UDP ? "UNCONN" : sw_tcp_state_name(e->state));
	sw_json_kstr(j, "address", addr);
	sw_json_kuint(j, "netns", e->netns);
	sw_json_kuint(j, "sockets", e->nsock);
	sw_json_obj_end(j);
}

static void port_json(struct sw_json *j, __u16 port, const struct report_ctx *c,
		      size_t *k, const struct sw_lease_set *leases)
{
	const struct sw_lease *l = sw_lease_find(leases, port);
	int err = sw_port_bind_test(port, true);

	sw_json_obj_begin(j);
	sw_json_kuint(j, "port", port);
	sw_json_key(j, "owners");
	sw_json_arr_begin(j);
	for (; *k < c->held.n && c->held.v[*k].port == port; (*k)++)
		owner_json(j, &c->held.v[*k]);
	sw_json_arr_end(j);
	sw_json_key(j, "bind");
	sw_json_obj_begin(j);
	sw_json_kbool(j, "ok", !err);
	if (err)
		sw_json_kstr(j, "error", strerror(-err));
	sw_json_obj_end(j);
	sw_json_kuint(j, "time_wait", c->time_wait[port - c->r->lo]);
	if (l) {
		sw_json_key(j, "lease");
		sw_json_obj_begin(j);
		sw_json_kstr(j, "service", l->service);
		sw_json_kuint(j, "pid", l->pid);
		sw_json_kint(j, "since", l->since);
		sw_json_obj_end(j);
	} else {
		sw_json_knull(j, "lease");
	}
	sw_json_obj_end(j);
}

int sw_ports_report_json(const struct sw_portrange *r, const char *state,
			 struct sw_json *j, char *err, size_t errlen)
{
	struct report_ctx c = { .r = r };
	struct sw_diag_req req = { 0 };
	struct sw_lease_set leases = { 0 };
	char range[16];
	unsigned int p;
	size_t k = 0;
	int ret = -1;

	if (sw_portrange_len(r) > SW_PORTS_REPORT_MAX) {
		snprintf(err, errlen, "range %u-%u has %u ports (at most %d)", r->lo, r->hi,
			 sw_portrange_len(r), SW_PORTS_REPORT_MAX);
		return -1;
	}
	if (state && sw_registry_load(state, &leases, err, errlen))
		return -1;
	c.time_wait = calloc(sw_portrange_len(r), sizeof(*c.time_wait));
	if (!c.time_wait || sw_owner_map_build(&c.map) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = sw_diag_dump_all(&req, report_cb, &c);
	sw_owner_map_free(&c.map);
	if (ret < 0) {
		snprintf(err, errlen, "listing sockets: %s", strerror(-ret));
		goto out;
	}
	sw_port_list_finish(&c.held);
	snprintf(range, sizeof(range), "%u-%u", r->lo, r->hi);
	sw_json_obj_begin(j);
	sw_json_kstr(j, "range", range);
	sw_json_key(j, "ports");
	sw_json_arr_begin(j);
	for (p = r->lo; p <= r->hi; p++)
		port_json(j, (__u16)p, &c, &k, &leases);
	sw_json_arr_end(j);
	sw_json_obj_end(j);
	ret = 0;
out:
	free(c.time_wait);
	sw_port_list_free(&c.held);
	sw_lease_set_free(&leases);
	return ret;
}

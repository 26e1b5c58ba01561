// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include "detect/alerts.h"
#include "table/decode.h"

const char *const sw_alert_names[] = {
	SW_ALERT_EWMA_STARTED, SW_ALERT_EWMA_BACK_DOWN, SW_ALERT_EWMA_CONFIRMED,
	SW_ALERT_MAX_PORTS, SW_ALERT_CLOSE_WAIT, SW_ALERT_IDLE,
	SW_ALERT_FD_HEADROOM, SW_ALERT_CONNECTION_FLOOD,
	SW_ALERT_MANIFEST_DRIFT, SW_ALERT_HEALTH_CHANGED,
	SW_ALERT_PORT_LEASE_EXPIRED, NULL
};

/* ---- the record ---------------------------------------------------------- */

void sw_alert_init(struct sw_alert *a, const char *alert, const char *key_kind,
		   __u64 mono_ns)
{
	memset(a, 0, sizeof(*a));
	a->alert = alert;
	a->key_kind = key_kind;
	a->mono_ns = mono_ns;
}

void sw_alert_set_key(struct sw_alert *a, const char *key)
{
	snprintf(a->key, sizeof(a->key), "%s", key);
}

void sw_alert_set_owner(struct sw_alert *a, __u32 pid, const char *comm)
{
	a->pid = pid;
	snprintf(a->comm, sizeof(a->comm), "%.*s", SW_COMM_LEN, comm ?: "");
}

static struct sw_alert_field *add(struct sw_alert *a, const char *name,
				  enum sw_alert_vtype type)
{
	struct sw_alert_field *f;

	if (a->nfields == SW_ALERT_MAX_FIELDS)
		return NULL;
	f = &a->field[a->nfields++];
	f->name = name;
	f->type = type;
	return f;
}

/* The typed setters differ only in the union member they fill. */
#define DEFINE_SETTER(fn, ctype, vtype, member)				\
void fn(struct sw_alert *a, const char *name, ctype v)			\
{									\
	struct sw_alert_field *f = add(a, name, vtype);			\
									\
	if (f)								\
		f->member = v;						\
}

DEFINE_SETTER(sw_alert_uint, __u64, SW_AV_UINT, u)
DEFINE_SETTER(sw_alert_int, __s64, SW_AV_INT, i)
DEFINE_SETTER(sw_alert_double, double, SW_AV_DOUBLE, d)
DEFINE_SETTER(sw_alert_bool, bool, SW_AV_BOOL, b)

void sw_alert_seconds(struct sw_alert *a, const char *name, __u64 ns)
{
	sw_alert_double(a, name, (double)ns / 1e9);
}

void sw_alert_str(struct sw_alert *a, const char *name, const char *v)
{
	size_t n = strlen(v) + 1;
	struct sw_alert_field *f;

	if (a->strlen + n > sizeof(a->strbuf))
		return;
	f = add(a, name, SW_AV_STR);
	if (!f)
		return;
	f->str = a->strlen;
	memcpy(a->strbuf + a->strlen, v, n);
	a->strlen += n;
}

void sw_alert_set_decision(struct sw_alert *a, const struct sw_prot_decision *d,
			   const char *pattern)
{
	a->prot_kind = SW_ALERT_PROT_DECISION;
	a->decision = *d;
	snprintf(a->pattern, sizeof(a->pattern), "%s", pattern ?: "");
}

void sw_alert_set_breakdown(struct sw_alert *a,
			    const __u32 counts[SW_PROT_NREASONS])
{
	a->prot_kind = SW_ALERT_PROT_BREAKDOWN;
	memcpy(a->breakdown, counts, sizeof(a->breakdown));
}

/* ---- JSON ------------------------------------------------------------------ */

static void field_json(struct sw_json *j, const struct sw_alert *a,
		       const struct sw_alert_field *f)
{
	switch (f->type) {
	case SW_AV_UINT:	sw_json_kuint(j, f->name, f->u); break;
	case SW_AV_INT:		sw_json_kint(j, f->name, f->i); break;
	case SW_AV_DOUBLE:	sw_json_kdouble(j, f->name, f->d); break;
	case SW_AV_BOOL:	sw_json_kbool(j, f->name, f->b); break;
	case SW_AV_STR:		sw_json_kstr(j, f->name, a->strbuf + f->str); break;
	}
}

void sw_prot_breakdown_json(struct sw_json *j,
			    const __u32 counts[SW_PROT_NREASONS])
{
	int r;

	sw_json_obj_begin(j);
	for (r = 0; r < SW_PROT_NREASONS; r++)
		sw_json_kuint(j, sw_prot_reason_name(r), counts[r]);
	sw_json_obj_end(j);
}

static void protection_json(struct sw_json *j, const struct sw_alert *a)
{
	const struct sw_prot_decision *d = &a->decision;

	sw_json_key(j, "protection");
	if (a->prot_kind == SW_ALERT_PROT_BREAKDOWN) {
		sw_prot_breakdown_json(j, a->breakdown);
		return;
	}
	sw_json_obj_begin(j);
	sw_json_kbool(j, "protected", sw_prot_is_protected(d));
	sw_json_kstr(j, "reason", sw_prot_reason_name(d->reason));
	if (d->reason == SW_PROT_CRITICAL_PORT)
		sw_json_kuint(j, "port", d->port);
	if (d->reason == SW_PROT_INFRASTRUCTURE)
		sw_json_kstr(j, "pattern", a->pattern);
	sw_json_obj_end(j);
}

void sw_alert_json(struct sw_json *j, const struct sw_alert *a)
{
	char when[SW_TIME_STRLEN];
	__u32 i;

	sw_fmt_time(when, a->wall_ns ?: sw_mono_to_wall(a->mono_ns));
	sw_json_obj_begin(j);
	sw_json_kstr(j, "time", when);
	sw_json_kstr(j, "alert", a->alert);
	if (a->key_kind)
		sw_json_kstr(j, "key_kind", a->key_kind);
	sw_json_kstr(j, "key", a->key);
	if (a->pid)
		sw_json_kuint(j, "pid", a->pid);
	else
		sw_json_knull(j, "pid");
	sw_json_kstr(j, "comm", a->comm);
	for (i = 0; i < a->nfields; i++)
		field_json(j, a, &a->field[i]);
	if (a->prot_kind != SW_ALERT_PROT_NONE)
		protection_json(j, a);
	sw_json_obj_end(j);
}

/* ---- the sink -------------------------------------------------------------- */

static int open_file(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

	if (fd < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return fd;
}

int sw_alert_sink_open(struct sw_alert_sink *s, const char *path, char *err,
		       size_t errlen)
{
	memset(s, 0, sizeof(*s));
	sw_json_init(&s->json);
	s->fd = STDOUT_FILENO;
	if (!path || !*path || !strcmp(path, "-"))
		return 0;
	if (strlen(path) >= sizeof(s->path)) {
		snprintf(err, errlen, "alerts file name too long");
		return -1;
	}
	s->fd = open_file(path, err, errlen);
	if (s->fd < 0)
		return -1;
	s->own = true;
	strcpy(s->path, path);
	return 0;
}

int sw_alert_sink_reopen(struct sw_alert_sink *s, char *err, size_t errlen)
{
	int fd;

	if (!s->own)
		return 0;
	fd = open_file(s->path, err, errlen);
	if (fd < 0)
		return -1;	/* keep writing to the old file */
	close(s->fd);
	s->fd = fd;
	return 0;
}

void sw_alert_sink_close(struct sw_alert_sink *s)
{
	if (s->own && s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->own = false;
	sw_json_free(&s->json);
}

/* One writev: with O_APPEND a line is never split by another writer. */
static int write_line(int fd, const char *text, size_t len)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)text, .iov_len = len },
		{ .iov_base = "\n", .iov_len = 1 },
	};
	ssize_t n;

	do
		n = writev(fd, iov, 2);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)(len + 1) ? 0 : -1;
}

const char *sw_alert_emit(struct sw_alert_sink *s, const struct sw_alert *a)
{
	struct sw_json *j = &s->json;
	const char *text;

	sw_json_reset(j);
	sw_alert_json(j, a);
	if (j->out.oom)
		return NULL;
	text = sw_json_cstr(j);
	if (write_line(s->fd, text, strlen(text)))
		s->errors++;
	else
		s->written++;
	return text;
}

/* ---- episodes ----------------------------------------------------------------- */

/* One condition that holds; gen is the last scan that saw it. */
struct sw_episode {
	struct {
		__u64 id;
		__u32 rule;
		__u32 zero;	/* padding, hashed: always 0 */
	} key;
	__u32 gen;
};

int sw_episodes_init(struct sw_episodes *e, size_t max)
{
	memset(e, 0, sizeof(*e));
	e->max = max ?: 1;
	return sw_map_init(&e->set, sizeof(struct sw_episode),
			   sizeof(((struct sw_episode *)0)->key), 0);
}

void sw_episodes_free(struct sw_episodes *e)
{
	sw_map_free(&e->set);
}

void sw_episodes_begin(struct sw_episodes *e)
{
	e->gen++;
}

int sw_episodes_hit(struct sw_episodes *e, __u32 rule, __u64 id)
{
	struct sw_episode k = { .key = { .id = id, .rule = rule } }, *ep;
	bool fresh;

	ep = sw_map_get(&e->set, &k.key);
	if (ep) {
		ep->gen = e->gen;
		return 0;
	}
	if (sw_map_count(&e->set) >= e->max) {
		e->suppressed++;
		return -1;
	}
	ep = sw_map_put(&e->set, &k.key, &fresh);
	if (!ep) {
		e->suppressed++;	/* out of memory: as if full */
		return -1;
	}
	ep->gen = e->gen;
	return 1;
}

size_t sw_episodes_end(struct sw_episodes *e)
{
	size_t i = 0, ended = 0;

	while (i < sw_map_count(&e->set)) {
		struct sw_episode *ep = sw_map_at(&e->set, i);

		if (ep->gen == e->gen) {
			i++;
			continue;
		}
		sw_map_del(&e->set, ep);	/* the last one comes to i */
		ended++;
	}
	return ended;
}

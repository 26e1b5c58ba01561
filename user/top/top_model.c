// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch top: rows and header from the API documents, rates from the
 * counter history, sorting, filtering and grouping. See top_model.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "top/top_model.h"
#include "table/decode.h"

void top_model_init(struct top_model *m)
{
	memset(m, 0, sizeof(*m));
	m->sort = TOP_COL_SOCKETS;
}

void top_model_free(struct top_model *m)
{
	size_t i;

	for (i = 0; i < TOP_HISTORY; i++)
		free(m->hist[i].v);
	free(m->rows);
	memset(m, 0, sizeof(*m));
}

/* ---- reading the documents ---- */

static __u64 juint(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) && json_integer_value(v) > 0 ?
		(__u64)json_integer_value(v) : 0;
}

static double jnum(json_t *o, const char *k, double dflt)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : dflt;
}

static int state_by_name(const char *name)
{
	int st;

	for (st = 0; st < SW_TCP_MAX_STATES; st++)
		if (!strcmp(sw_tcp_state_name(st), name))
			return st;
	return -1;
}

/* {"ESTABLISHED": 3, ...} into by[state] */
static void states_read(json_t *o, __u64 by[SW_TCP_MAX_STATES])
{
	const char *k;
	json_t *v;
	int st;

	json_object_foreach(o, k, v)
		if ((st = state_by_name(k)) >= 0 && json_is_integer(v))
			by[st] = json_integer_value(v);
}

static int breach_of(const char *s)
{
	if (!s)
		return TOP_BREACH_NONE;
	if (!strcmp(s, "armed"))
		return TOP_BREACH_ARMED;
	if (!strcmp(s, "confirmed"))
		return TOP_BREACH_CONFIRMED;
	return TOP_BREACH_IDLE;
}

static const char *jstr_or(json_t *o, const char *k, const char *dflt)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v && v[0] ? v : dflt;
}

/* The agent's workload members (null when unknown) as three keys. */
static void workload_read(struct top_row *r, json_t *p)
{
	const char *ns = jstr_or(p, "namespace", NULL);
	const char *pod = jstr_or(p, "pod_name", NULL);

	snprintf(r->unit, sizeof(r->unit), "%s",
		 jstr_or(p, "unit", jstr_or(p, "user_unit", "")));
	snprintf(r->container, sizeof(r->container), "%.12s",
		 jstr_or(p, "container_id", ""));
	if (jstr_or(p, "container_name", NULL))
		snprintf(r->container, sizeof(r->container), "%s",
			 jstr_or(p, "container_name", ""));
	if (pod)
		snprintf(r->pod, sizeof(r->pod), "%s%s%s", ns ?: "", ns ? "/" : "", pod);
	else
		snprintf(r->pod, sizeof(r->pod), "%s", jstr_or(p, "pod_uid", ""));
}

static void row_read(struct top_row *r, json_t *p)
{
	__u64 tcp[SW_TCP_MAX_STATES] = { 0 };
	json_t *det = json_object_get(p, "detector");
	json_t *prot = json_object_get(det, "protection");
	const char *k;
	json_t *v;

	memset(r, 0, sizeof(*r));
	r->pid = juint(p, "pid");
	snprintf(r->comm, sizeof(r->comm), "%s",
		 json_string_value(json_object_get(p, "comm")) ?: "");
	snprintf(r->key, sizeof(r->key), "%u", r->pid);
	r->nproc = 1;
	r->sockets = juint(p, "open");
	states_read(json_object_get(p, "tcp"), tcp);
	r->estab = tcp[SW_TCP_ESTABLISHED];
	r->close_wait = tcp[SW_TCP_CLOSE_WAIT];
	r->listen = tcp[SW_TCP_LISTEN];
	r->created = juint(p, "created_total");
	r->closed = juint(p, "closed_total");
	r->active_closes = juint(p, "active_closes_total");
	r->cw_age = jnum(p, "oldest_close_wait_seconds", -1);
	r->leak = json_is_true(json_object_get(p, "suspect"));
	r->rd = json_is_object(det) ? jnum(det, "rd", NAN) : NAN;
	r->breach = json_is_object(det) ?
		breach_of(json_string_value(json_object_get(det, "state"))) :
		TOP_BREACH_NONE;
	json_object_foreach(prot, k, v) {
		if (!json_is_integer(v))
			continue;
		if (!strcmp(k, "unprotected"))
			r->unprot += json_integer_value(v);
		else
			r->prot += json_integer_value(v);
	}
	r->opened_rate = r->closed_rate = -1;
	workload_read(r, p);
}

/* The fullest tuple of any check that lists tuples (the ephemeral one). */
static void tuple_read(struct top_header *h, json_t *health)
{
	json_t *c, *t;
	size_t i, j;

	json_array_foreach(json_object_get(health, "checks"), i, c)
		json_array_foreach(json_object_get(c, "tuples"), j, t) {
			double pct = jnum(t, "percent", 0);

			if (h->tuple[0] && pct <= h->tuple_percent)
				continue;
			h->tuple_percent = pct;
			h->tuple_used = juint(t, "used");
			snprintf(h->tuple, sizeof(h->tuple), "%s->%s:%llu",
				 json_string_value(json_object_get(t, "source")) ?: "?",
				 json_string_value(json_object_get(t, "destination")) ?: "?",
				 (unsigned long long)juint(t, "destination_port"));
		}
}

static void header_read(struct top_header *h, json_t *status, json_t *leaks,
			json_t *health)
{
	const char *hs = json_string_value(json_object_get(health, "status"));

	memset(h, 0, sizeof(*h));
	states_read(json_object_get(status, "tcp"), h->tcp);
	h->udp = juint(status, "udp");
	h->sockets = juint(status, "sockets");
	h->events = juint(status, "events_total");
	h->drops = juint(status, "events_dropped");
	h->suspects = json_array_size(json_object_get(leaks, "suspects"));
	snprintf(h->health, sizeof(h->health), "%s", hs ?: "unknown");
	tuple_read(h, health);
	h->opened_rate = h->closed_rate = -1;
}

/* ---- the counter history ---- */

static int sample_cmp(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

static struct top_sample *hist_at(struct top_model *m, size_t i)
{
	return &m->hist[(m->hhead + i) % TOP_HISTORY];
}

/* The sample's counters of pid, or NULL. */
static const void *sample_find(const struct top_sample *s, __u32 pid)
{
	return bsearch(&pid, s->v, s->n, sizeof(s->v[0]), sample_cmp);
}

/* Append a sample of the rows, dropping what falls out of the window. */
static int hist_push(struct top_model *m, double now, struct top_row *rows,
		     size_t n, __u64 created, __u64 closed)
{
	struct top_sample *s;
	size_t i;

	/* keep one sample at or before the window's start */
	while (m->hcount >= 2 && hist_at(m, 1)->t <= now - TOP_TW_WINDOW) {
		m->hhead = (m->hhead + 1) % TOP_HISTORY;
		m->hcount--;
	}
	if (m->hcount == TOP_HISTORY) {
		m->hhead = (m->hhead + 1) % TOP_HISTORY;
		m->hcount--;
	}
	s = hist_at(m, m->hcount);
	free(s->v);
	s->v = malloc((n + 1) * sizeof(s->v[0]));
	if (!s->v)
		return -1;
	for (i = 0; i < n; i++) {
		s->v[i].pid = rows[i].pid;
		s->v[i].created = rows[i].created;
		s->v[i].closed = rows[i].closed;
		s->v[i].active = rows[i].active_closes;
	}
	s->n = n;
	s->t = now;
	s->created = created;
	s->closed = closed;
	qsort(s->v, n, sizeof(s->v[0]), sample_cmp);
	m->hcount++;
	return 0;
}

/* Growth of a counter since then; a counter that went down restarted. */
static __u64 since(__u64 now, __u64 then)
{
	return now >= then ? now - then : now;
}

static double rate(__u64 now, __u64 then, double dt)
{
	return dt > 0 ? since(now, then) / dt : -1;
}

/* Rates against the previous sample, the window against the oldest. */
static void rows_rates(struct top_model *m, double now, struct top_row *rows,
		       size_t n)
{
	const struct top_sample *prev, *old;
	size_t i;

	if (!m->hcount)
		return;
	prev = hist_at(m, m->hcount - 1);
	old = hist_at(m, 0);
	for (i = 0; i < n; i++) {
		struct top_row *r = &rows[i];
		const typeof(prev->v[0]) *p = sample_find(prev, r->pid);
		const typeof(old->v[0]) *o = sample_find(old, r->pid);
		double dt = now - prev->t;

		/* a pid new since then started its counters at 0 */
		r->opened_rate = rate(r->created, p ? p->created : 0, dt);
		r->closed_rate = rate(r->closed, p ? p->closed : 0, dt);
		r->time_wait = since(r->active_closes, o ? o->active : 0);
	}
}

/* ---- filters, sorting ---- */

static bool row_wanted(const struct top_filter *f, const struct top_row *r,
		       const __u32 *port_pids, size_t nport)
{
	if (f->pid && r->pid != f->pid)
		return false;
	if (f->comm[0] && strncmp(r->comm, f->comm, SW_COMM_LEN))
		return false;
	if (f->port && !(port_pids &&
			 bsearch(&r->pid, port_pids, nport, sizeof(*port_pids), sample_cmp)))
		return false;
	/* a process that owns nothing shows only while it churns */
	if (!r->sockets && r->opened_rate <= 0 && r->closed_rate <= 0 &&
	    !r->time_wait)
		return false;
	return true;
}

/* --state: the row has sockets in that state (filters whole processes). */
static bool row_in_state(const struct top_filter *f, json_t *p)
{
	__u64 tcp[SW_TCP_MAX_STATES] = { 0 };

	if (!f->state)
		return true;
	if (f->state - 1 == SW_TCP_NONE)
		return juint(p, "udp") > 0;
	states_read(json_object_get(p, "tcp"), tcp);
	return tcp[f->state - 1] > 0;
}

static int grow(struct top_model *m, size_t n)
{
	struct top_row *r;

	if (n <= m->cap)
		return 0;
	r = realloc(m->rows, n * sizeof(*r));
	if (!r)
		return -1;
	m->rows = r;
	m->cap = n;
	return 0;
}

int top_model_update(struct top_model *m, double now, json_t *status,
		     json_t *processes, json_t *leaks, json_t *health,
		     const __u32 *port_pids, size_t nport_pids,
		     char *err, size_t errlen)
{
	json_t *arr = json_object_get(processes, "processes");
	json_t *ev = json_object_get(status, "events");
	struct top_row *all;
	__u64 created, closed;
	size_t i, n = 0;
	json_t *p;

	if (!json_is_array(arr) || !json_is_object(status)) {
		snprintf(err, errlen, "the agent's answer has no %s",
			 json_is_array(arr) ? "status" : "process list");
		return -1;
	}
	all = calloc(json_array_size(arr) + 1, sizeof(*all));
	if (!all || grow(m, json_array_size(arr) + 1)) {
		free(all);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->has_workload = false;
	json_array_foreach(arr, i, p) {
		row_read(&all[n++], p);
		/* present (null included) when the agent has the identity */
		m->has_workload |= json_object_get(p, "unit") != NULL;
	}

	header_read(&m->hdr, status, leaks, health);
	created = juint(ev, "create") + juint(ev, "accept");
	closed = juint(ev, "close");
	if (m->hcount) {
		const struct top_sample *prev = hist_at(m, m->hcount - 1);

		m->hdr.opened_rate = rate(created, prev->created, now - prev->t);
		m->hdr.closed_rate = rate(closed, prev->closed, now - prev->t);
	}
	rows_rates(m, now, all, n);
	m->nrows = 0;
	json_array_foreach(arr, i, p)
		if (row_wanted(&m->filter, &all[i], port_pids, nport_pids) &&
		    row_in_state(&m->filter, p))
			m->rows[m->nrows++] = all[i];
	/* every process goes in the history, filtered or not */
	if (hist_push(m, now, all, n, created, closed)) {
		free(all);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(all);
	top_model_sort(m);
	return 0;
}

/* ---- columns ---- */

/*
 * Each column: its --sort name, title, key, width (minimum for COMM;
 * one more than the title, for the sort mark),
 * importance (0 always shown; larger numbers go first on a narrow
 * terminal), and whether it sorts ascending by nature (text, pid).
 */
static const struct col_def {
	const char *name, *title;
	char key;
	int width, minw, prio;
	bool asc, left;
} cols[TOP_NCOLS] = {
	[TOP_COL_PID]        = { "pid", "PID", 'P', 7, 7, 0, true, false },
	[TOP_COL_COMM]       = { "comm", "COMM", 'N', 15, 6, 0, true, true },
	[TOP_COL_SOCKETS]    = { "sockets", "SOCKS", 'S', 6, 6, 1, false, false },
	[TOP_COL_ESTAB]      = { "established", "ESTAB", 'E', 6, 6, 3, false, false },
	[TOP_COL_CLOSE_WAIT] = { "close_wait", "CL_WAIT", 'W', 8, 8, 1, false, false },
	[TOP_COL_TIME_WAIT]  = { "time_wait", "TW/60s", 'T', 7, 7, 5, false, false },
	[TOP_COL_LISTEN]     = { "listen", "LISTEN", 'L', 7, 7, 6, false, false },
	[TOP_COL_OPENED]     = { "opened", "OPEN/s", 'O', 7, 7, 2, false, false },
	[TOP_COL_CLOSED]     = { "closed", "CLOSE/s", 'X', 8, 8, 4, false, false },
	[TOP_COL_RD]         = { "rd", "EWMA_RD", 'R', 8, 8, 3, false, false },
	[TOP_COL_BREACH]     = { "breach", "BREACH", 'B', 9, 9, 4, false, true },
	[TOP_COL_CW_AGE]     = { "cw_age", "OLDEST_CW", 'A', 10, 10, 2, false, false },
	[TOP_COL_PROT]       = { "protection", "PROT/UNP", 'F', 9, 9, 6, false, false },
	[TOP_COL_LEAK]       = { "leak", "LEAK", 'K', 5, 5, 1, false, true },
};

const char *top_col_name(enum top_col c)
{
	return c < TOP_NCOLS ? cols[c].name : "?";
}

const char *top_col_title(enum top_col c)
{
	return c < TOP_NCOLS ? cols[c].title : "?";
}

char top_col_key(enum top_col c)
{
	return c < TOP_NCOLS ? cols[c].key : '?';
}

int top_col_parse(const char *name)
{
	int c;

	for (c = 0; c < TOP_NCOLS; c++)
		if (!strcmp(cols[c].name, name))
			return c;
	return -1;
}

int top_col_by_key(int ch)
{
	int c;

	for (c = 0; c < TOP_NCOLS; c++)
		if (cols[c].key == ch)
			return c;
	return -1;
}

/* The value a column sorts by; unknown figures sort below any known. */
static double sort_value(const struct top_row *r, enum top_col c)
{
	switch (c) {
	case TOP_COL_PID:	return r->pid;
	case TOP_COL_SOCKETS:	return r->sockets;
	case TOP_COL_ESTAB:	return r->estab;
	case TOP_COL_CLOSE_WAIT: return r->close_wait;
	case TOP_COL_TIME_WAIT:	return r->time_wait;
	case TOP_COL_LISTEN:	return r->listen;
	case TOP_COL_OPENED:	return r->opened_rate;
	case TOP_COL_CLOSED:	return r->closed_rate;
	case TOP_COL_RD:	return isnan(r->rd) ? -INFINITY : r->rd;
	case TOP_COL_BREACH:	return r->breach;
	case TOP_COL_CW_AGE:	return r->cw_age;
	case TOP_COL_PROT:	return r->unprot;
	case TOP_COL_LEAK:	return r->leak;
	default:		return 0;
	}
}

static int cmp_col(const struct top_row *a, const struct top_row *b,
		   enum top_col c)
{
	double x, y;

	if (c == TOP_COL_COMM) {
		int d = strcmp(a->pid ? a->comm : a->key, b->pid ? b->comm : b->key);

		return d < 0 ? -1 : d > 0;
	}
	x = sort_value(a, c);
	y = sort_value(b, c);
	return x < y ? -1 : x > y;
}

static int row_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct top_model *m = ctx;
	const struct top_row *a = pa, *b = pb;
	enum top_col c = m->sort;
	int d = cmp_col(a, b, c);

	if (!cols[c].asc)
		d = -d;
	if (m->reverse)
		d = -d;
	/* ties: most sockets first, then pid or key: a stable screen */
	if (!d)
		d = -cmp_col(a, b, TOP_COL_SOCKETS);
	if (!d)
		d = a->pid != b->pid ? cmp_col(a, b, TOP_COL_PID) :
			strcmp(a->key, b->key);
	return d;
}

void top_model_sort(struct top_model *m)
{
	qsort_r(m->rows, m->nrows, sizeof(*m->rows), row_cmp, m);
}

/* ---- grouping ---- */

static void row_add(struct top_row *g, const struct top_row *r)
{
	g->nproc += r->nproc;
	g->sockets += r->sockets;
	g->estab += r->estab;
	g->close_wait += r->close_wait;
	g->listen += r->listen;
	g->time_wait += r->time_wait;
	g->opened_rate = (g->opened_rate < 0 ? 0 : g->opened_rate) +
			 (r->opened_rate < 0 ? 0 : r->opened_rate);
	g->closed_rate = (g->closed_rate < 0 ? 0 : g->closed_rate) +
			 (r->closed_rate < 0 ? 0 : r->closed_rate);
	if (!isnan(r->rd) && (isnan(g->rd) || r->rd > g->rd))
		g->rd = r->rd;
	if (r->breach > g->breach)
		g->breach = r->breach;
	if (r->cw_age > g->cw_age)
		g->cw_age = r->cw_age;
	g->prot += r->prot;
	g->unprot += r->unprot;
	g->leak |= r->leak;
	g->created += r->created;
	g->closed += r->closed;
	g->active_closes += r->active_closes;
}

int top_model_group(struct top_model *m, top_key_fn key, void *ctx)
{
	struct top_row *g = calloc(m->nrows + 1, sizeof(*g));
	size_t i, j, n = 0;

	if (!g)
		return -1;
	for (i = 0; i < m->nrows; i++) {
		const char *k = key(&m->rows[i], ctx) ?: "-";

		for (j = 0; j < n && strcmp(g[j].key, k); j++)
			;
		if (j == n) {
			n++;
			snprintf(g[j].key, sizeof(g[j].key), "%s", k);
			snprintf(g[j].comm, sizeof(g[j].comm), "%s", k);
			g[j].rd = NAN;
			g[j].breach = TOP_BREACH_NONE;
			g[j].cw_age = g[j].opened_rate = g[j].closed_rate = -1;
		}
		row_add(&g[j], &m->rows[i]);
	}
	free(m->rows);
	m->rows = g;
	m->cap = m->nrows + 1;
	m->nrows = n;
	top_model_sort(m);
	return 0;
}

const char *top_workload_key(const struct top_row *r, void *ctx)
{
	const char *by = ctx, *k;

	k = !strcmp(by, "unit") ? r->unit :
	    !strcmp(by, "container") ? r->container : r->pod;
	return k[0] ? k : NULL;
}

/* ---- cells and layout ---- */

void top_fmt_age(double s, char *buf, size_t len)
{
	unsigned long long v;

	if (s < 0) {
		snprintf(buf, len, "-");
		return;
	}
	v = (unsigned long long)s;
	if (v < 60)
		snprintf(buf, len, "%llus", v);
	else if (v < 3600)
		snprintf(buf, len, "%llum%02llus", v / 60, v % 60);
	else if (v < 86400)
		snprintf(buf, len, "%lluh%02llum", v / 3600, v / 60 % 60);
	else
		snprintf(buf, len, "%llud%02lluh", v / 86400, v / 3600 % 24);
}

static void fmt_rate(double v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, v >= 1000 ? "%.0f" : "%.1f", v);
}

void top_cell(const struct top_row *r, enum top_col c, char *buf, size_t len)
{
	static const char *const breach[] = { "idle", "armed", "CONFIRMED" };

	switch (c) {
	case TOP_COL_PID:
		if (r->pid)
			snprintf(buf, len, "%u", r->pid);
		else
			snprintf(buf, len, "%u pr", r->nproc);
		break;
	case TOP_COL_COMM:
		snprintf(buf, len, "%s", r->pid ? r->comm : r->key);
		break;
	case TOP_COL_SOCKETS:	snprintf(buf, len, "%llu", (unsigned long long)r->sockets); break;
	case TOP_COL_ESTAB:	snprintf(buf, len, "%llu", (unsigned long long)r->estab); break;
	case TOP_COL_CLOSE_WAIT: snprintf(buf, len, "%llu", (unsigned long long)r->close_wait); break;
	case TOP_COL_TIME_WAIT:	snprintf(buf, len, "%llu", (unsigned long long)r->time_wait); break;
	case TOP_COL_LISTEN:	snprintf(buf, len, "%llu", (unsigned long long)r->listen); break;
	case TOP_COL_OPENED:	fmt_rate(r->opened_rate, buf, len); break;
	case TOP_COL_CLOSED:	fmt_rate(r->closed_rate, buf, len); break;
	case TOP_COL_RD:
		if (isnan(r->rd))
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%.2f", r->rd);
		break;
	case TOP_COL_BREACH:
		snprintf(buf, len, "%s", r->breach < 0 ? "-" : breach[r->breach % 3]);
		break;
	case TOP_COL_CW_AGE:	top_fmt_age(r->cw_age, buf, len); break;
	case TOP_COL_PROT:
		snprintf(buf, len, "%llu/%llu", (unsigned long long)r->prot,
			 (unsigned long long)r->unprot);
		break;
	case TOP_COL_LEAK:	snprintf(buf, len, "%s", r->leak ? "LEAK" : ""); break;
	default:		snprintf(buf, len, "?"); break;
	}
}

int top_layout(int width, enum top_col out[TOP_NCOLS], int widths[TOP_NCOLS])
{
	bool on[TOP_NCOLS];
	int c, total = 0, n = 0, prio;

	for (c = 0; c < TOP_NCOLS; c++) {
		on[c] = true;
		total += cols[c].width + (c > 0);	/* one space between */
	}
	/* drop the least important columns, rightmost first */
	for (prio = 6; prio > 0 && total > width; prio--)
		for (c = TOP_NCOLS - 1; c >= 0 && total > width; c--)
			if (on[c] && cols[c].prio == prio) {
				on[c] = false;
				total -= cols[c].width + 1;
			}
	for (c = 0; c < TOP_NCOLS; c++) {
		if (!on[c])
			continue;
		widths[n] = cols[c].width;
		if (c == TOP_COL_COMM && total > width) {
			int cut = total - width;

			if (cut > cols[c].width - cols[c].minw)
				cut = cols[c].width - cols[c].minw;
			widths[n] -= cut;
			total -= cut;
		}
		out[n++] = c;
	}
	return n;
}

bool top_col_left(enum top_col c)
{
	return c < TOP_NCOLS && cols[c].left;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockwatch top: the text of the screen's lines, and batch output (plain
 * text screens, JSON documents). See top_view.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "table/decode.h"
#include "lib/json_writer.h"
#include "top/top_view.h"

void top_sanitize(char *buf, size_t len, const char *s)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; s && s[i] && i + 1 < len; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[i] = '\0';
}

/* ---- header ---- */

int top_header_lines(const struct top_view *v, double wall,
		     char lines[TOP_HEADER_LINES][TOP_LINE])
{
	const struct top_header *h = &v->model.hdr;
	char when[SW_TIME_STRLEN], src[128], tuple[TOP_KEY_LEN], opened[32], closed[32];
	__u64 tcp = 0, other;
	int st;

	for (st = 0; st < SW_TCP_MAX_STATES; st++)
		tcp += h->tcp[st];
	other = tcp - h->tcp[SW_TCP_ESTABLISHED] - h->tcp[SW_TCP_CLOSE_WAIT] -
		h->tcp[SW_TCP_TIME_WAIT] - h->tcp[SW_TCP_LISTEN];
	sw_fmt_time(when, (__u64)(wall * 1e9));
	top_sanitize(src, sizeof(src), v->source);
	snprintf(lines[0], TOP_LINE, "sockwatch top  %.19s  %s  every %gs%s%s%s",
		 when, src, v->interval, v->by ? "  by " : "", v->by ?: "",
		 v->paused ? "  [paused]" : "");
	snprintf(lines[1], TOP_LINE,
		 "Sockets %llu  TCP %llu: estab %llu, close_wait %llu, time_wait %llu, listen %llu, other %llu  UDP %llu",
		 (unsigned long long)h->sockets, (unsigned long long)tcp,
		 (unsigned long long)h->tcp[SW_TCP_ESTABLISHED],
		 (unsigned long long)h->tcp[SW_TCP_CLOSE_WAIT],
		 (unsigned long long)h->tcp[SW_TCP_TIME_WAIT],
		 (unsigned long long)h->tcp[SW_TCP_LISTEN],
		 (unsigned long long)other, (unsigned long long)h->udp);
	if (h->opened_rate < 0)
		snprintf(opened, sizeof(opened), "-");
	else
		snprintf(opened, sizeof(opened), "%.1f", h->opened_rate);
	if (h->closed_rate < 0)
		snprintf(closed, sizeof(closed), "-");
	else
		snprintf(closed, sizeof(closed), "%.1f", h->closed_rate);
	snprintf(lines[2], TOP_LINE, "Opened %s/s  closed %s/s  events %llu  dropped %llu",
		 opened, closed, (unsigned long long)h->events,
		 (unsigned long long)h->drops);
	top_sanitize(tuple, sizeof(tuple), h->tuple);
	if (h->tuple[0])
		snprintf(lines[3], TOP_LINE,
			 "Ephemeral %s %llu used (%.1f%%)  health %s  leak suspects %u",
			 tuple, (unsigned long long)h->tuple_used, h->tuple_percent,
			 h->health, h->suspects);
	else
		snprintf(lines[3], TOP_LINE,
			 "Ephemeral -  health %s  leak suspects %u",
			 h->health, h->suspects);
	return TOP_HEADER_LINES;
}

/* ---- table ---- */

/* Append cell text at width w, cut to fit; a space before all but the
 * first. */
static size_t put_cell(char *buf, size_t len, size_t at, const char *text,
		       int w, bool left, bool first)
{
	char clean[TOP_LINE];
	int n;

	if (at >= len)
		return at;
	top_sanitize(clean, sizeof(clean), text);
	if ((int)strlen(clean) > w)
		clean[w] = '\0';
	n = snprintf(buf + at, len - at, left ? "%s%-*s" : "%s%*s",
		     first ? "" : " ", w, clean);
	return n < 0 ? at : at + n;
}

void top_title_line(const struct top_view *v, const enum top_col *cols,
		    const int *widths, int n, bool mark, char *buf, size_t len)
{
	size_t at = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		char t[32];

		if (mark && cols[i] == v->model.sort)
			snprintf(t, sizeof(t), "%s%s", v->model.reverse ? "<" : ">",
				 top_col_title(cols[i]));
		else
			snprintf(t, sizeof(t), "%s", top_col_title(cols[i]));
		at = put_cell(buf, len, at, t, widths[i], top_col_left(cols[i]), !i);
	}
}

void top_row_line(const struct top_row *r, const enum top_col *cols,
		  const int *widths, int n, char *buf, size_t len)
{
	size_t at = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		char t[TOP_LINE];

		top_cell(r, cols[i], t, sizeof(t));
		at = put_cell(buf, len, at, t, widths[i], top_col_left(cols[i]), !i);
	}
}

/* ---- drill-down ---- */

static double sock_age(json_t *s)
{
	json_t *v = json_object_get(s, "age_seconds");

	return json_is_number(v) ? json_number_value(v) : 0;
}

static int by_age(const void *a, const void *b)
{
	double x = sock_age(*(json_t *const *)a), y = sock_age(*(json_t *const *)b);

	return x < y ? 1 : x > y ? -1 : 0;
}

void top_drill_set(struct top_view *v, json_t *doc)
{
	json_t *arr = json_object_get(doc, "sockets"), *sorted, **tmp;
	size_t i, n = json_array_size(arr);

	json_decref(v->drill);
	v->drill = NULL;
	v->drill_matched = json_integer_value(json_object_get(doc, "matched"));
	tmp = calloc(n + 1, sizeof(*tmp));
	sorted = json_array();
	if (!tmp || !sorted) {
		free(tmp);
		json_decref(sorted);
		return;
	}
	for (i = 0; i < n; i++)
		tmp[i] = json_array_get(arr, i);
	qsort(tmp, n, sizeof(*tmp), by_age);
	for (i = 0; i < n; i++)
		json_array_append(sorted, tmp[i]);
	free(tmp);
	v->drill = sorted;
}

void top_drill_title(char *buf, size_t len)
{
	snprintf(buf, len, "%-5s %-22s %-22s %-11s %8s %8s %9s %9s %s",
		 "PROTO", "LOCAL", "REMOTE", "STATE", "AGE", "IN_STATE",
		 "RX_BYTES", "TX_BYTES", "PROTECTION");
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)) ?: "-";
}

static double jdbl(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : -1;
}

static void endpoint(char *buf, size_t len, json_t *s, const char *ka,
		     const char *kp)
{
	char a[64];
	const char *addr = jstr(s, ka);
	long long port = json_integer_value(json_object_get(s, kp));

	top_sanitize(a, sizeof(a), addr);
	snprintf(buf, len, strchr(a, ':') ? "[%s]:%lld" : "%s:%lld", a, port);
}

void top_drill_line(json_t *s, char *buf, size_t len)
{
	char l[80], r[80], age[16], in[16], st[16], pr[32], proto[8];

	endpoint(l, sizeof(l), s, "laddr", "lport");
	endpoint(r, sizeof(r), s, "raddr", "rport");
	top_fmt_age(jdbl(s, "age_seconds"), age, sizeof(age));
	top_fmt_age(jdbl(s, "state_seconds"), in, sizeof(in));
	top_sanitize(st, sizeof(st), jstr(s, "state"));
	top_sanitize(pr, sizeof(pr), jstr(s, "protection"));
	top_sanitize(proto, sizeof(proto), jstr(s, "proto"));
	snprintf(buf, len, "%-5s %-22s %-22s %-11s %8s %8s %9lld %9lld %s",
		 proto, l, r, st, age, in,
		 (long long)json_integer_value(json_object_get(s, "rx_bytes")),
		 (long long)json_integer_value(json_object_get(s, "tx_bytes")), pr);
}

const char *const top_help_lines[] = {
	"sockwatch top: keys",
	"",
	"  q, Ctrl-C   quit",
	"  h, ?        this help (any key returns)",
	"  space       pause / resume the refresh",
	"  up, down    move the cursor (also k, j; PgUp, PgDn, Home, End)",
	"  enter       the process's sockets; escape or backspace returns",
	"  < >         sort by the column left / right of the current one",
	"  r           reverse the sort order",
	"  P N S E W   sort by PID, COMM, SOCKS, ESTAB, CL_WAIT",
	"  T L O X     sort by TW/60s, LISTEN, OPEN/s, CLOSE/s",
	"  R B A F K   sort by EWMA_RD, BREACH, OLDEST_CW, PROT/UNP, LEAK",
	"",
	"Columns: SOCKS sockets owned, CL_WAIT in CLOSE_WAIT, TW/60s TIME_WAITs",
	"it caused in the last 60 s (closes it started), OPEN/s CLOSE/s sockets",
	"created and released per second, EWMA_RD and BREACH its growth",
	"detector, OLDEST_CW age of its oldest CLOSE_WAIT, PROT/UNP protected",
	"and unprotected sockets, LEAK flagged by a leak rule or a breach.",
	NULL,
};

/* ---- batch ---- */

void top_print_text(const struct top_view *v, double wall, FILE *f)
{
	char lines[TOP_HEADER_LINES][TOP_LINE], buf[TOP_LINE];
	enum top_col cols[TOP_NCOLS];
	int widths[TOP_NCOLS], i, n;
	size_t r;

	n = top_header_lines(v, wall, lines);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	if (v->message[0])
		fprintf(f, "%s\n", v->message);
	fputc('\n', f);
	n = top_layout(TOP_LINE - 1, cols, widths);
	top_title_line(v, cols, widths, n, false, buf, sizeof(buf));
	fprintf(f, "%s\n", buf);
	for (r = 0; r < v->model.nrows; r++) {
		top_row_line(&v->model.rows[r], cols, widths, n, buf, sizeof(buf));
		fprintf(f, "%s\n", buf);
	}
	fputc('\n', f);
	fflush(f);
}

static void kdouble_or_null(struct sw_json *j, const char *k, double v, bool known)
{
	if (known)
		sw_json_kdouble(j, k, v);
	else
		sw_json_knull(j, k);
}

static void row_json(struct sw_json *j, const struct top_row *r, bool workload)
{
	static const char *const breach[] = { "idle", "armed", "confirmed" };

	sw_json_obj_begin(j);
	if (r->pid)
		sw_json_kuint(j, "pid", r->pid);
	else
		sw_json_knull(j, "pid");
	sw_json_kstr(j, "comm", r->comm);
	if (!r->pid) {
		sw_json_kstr(j, "key", r->key);
		sw_json_kuint(j, "processes", r->nproc);
	}
	sw_json_kuint(j, "sockets", r->sockets);
	sw_json_kuint(j, "established", r->estab);
	sw_json_kuint(j, "close_wait", r->close_wait);
	sw_json_kuint(j, "time_wait", r->time_wait);
	sw_json_kuint(j, "listen", r->listen);
	kdouble_or_null(j, "opened", r->opened_rate, r->opened_rate >= 0);
	kdouble_or_null(j, "closed", r->closed_rate, r->closed_rate >= 0);
	kdouble_or_null(j, "rd", r->rd, !isnan(r->rd));
	if (r->breach >= 0)
		sw_json_kstr(j, "breach", breach[r->breach % 3]);
	else
		sw_json_knull(j, "breach");
	kdouble_or_null(j, "cw_age", r->cw_age, r->cw_age >= 0);
	sw_json_key(j, "protection");
	sw_json_obj_begin(j);
	sw_json_kuint(j, "protected", r->prot);
	sw_json_kuint(j, "unprotected", r->unprot);
	sw_json_obj_end(j);
	sw_json_kbool(j, "leak", r->leak);
	if (workload && r->pid) {
		sw_json_kstr(j, "unit", r->unit);
		sw_json_kstr(j, "container", r->container);
		sw_json_kstr(j, "pod", r->pod);
	}
	sw_json_obj_end(j);
}

static void header_json(struct sw_json *j, const struct top_header *h)
{
	int st;

	sw_json_key(j, "header");
	sw_json_obj_begin(j);
	sw_json_kuint(j, "sockets", h->sockets);
	sw_json_key(j, "tcp");
	sw_json_obj_begin(j);
	for (st = 0; st < SW_TCP_MAX_STATES; st++)
		if (h->tcp[st])
			sw_json_kuint(j, sw_tcp_state_name(st), h->tcp[st]);
	sw_json_obj_end(j);
	sw_json_kuint(j, "udp", h->udp);
	kdouble_or_null(j, "opened", h->opened_rate, h->opened_rate >= 0);
	kdouble_or_null(j, "closed", h->closed_rate, h->closed_rate >= 0);
	sw_json_kuint(j, "events", h->events);
	sw_json_kuint(j, "dropped", h->drops);
	sw_json_key(j, "ephemeral");
	if (h->tuple[0]) {
		sw_json_obj_begin(j);
		sw_json_kstr(j, "tuple", h->tuple);
		sw_json_kuint(j, "used", h->tuple_used);
		sw_json_kdouble(j, "percent", h->tuple_percent);
		sw_json_obj_end(j);
	} else {
		sw_json_null(j);
	}
	sw_json_kstr(j, "health", h->health);
	sw_json_kuint(j, "suspects", h->suspects);
	sw_json_obj_end(j);
}

void top_print_json(const struct top_view *v, double wall, FILE *f)
{
	char when[SW_TIME_STRLEN];
	struct sw_json j;
	size_t r;

	sw_fmt_time(when, (__u64)(wall * 1e9));
	sw_json_init(&j);
	sw_json_obj_begin(&j);
	sw_json_kstr(&j, "time", when);
	sw_json_kstr(&j, "source", v->source);
	if (v->by)
		sw_json_kstr(&j, "by", v->by);
	sw_json_kstr(&j, "sort", top_col_name(v->model.sort));
	sw_json_kbool(&j, "reverse", v->model.reverse);
	header_json(&j, &v->model.hdr);
	sw_json_key(&j, "processes");
	sw_json_arr_begin(&j);
	for (r = 0; r < v->model.nrows; r++)
		row_json(&j, &v->model.rows[r], v->model.has_workload);
	sw_json_arr_end(&j);
	sw_json_obj_end(&j);
	fprintf(f, "%s\n", sw_json_cstr(&j));
	fflush(f);
	sw_json_free(&j);
}

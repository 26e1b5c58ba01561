// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Prometheus text exposition format 0.0.4 writer. See prom.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/prom.h"

void sw_prom_init(struct sw_prom *p)
{
	memset(p, 0, sizeof(*p));
}

static void forget_family(struct sw_prom *p)
{
	free(p->family);
	free(p->help);
	p->family = NULL;
	p->help = NULL;
	p->header_done = false;
	p->rejected = false;
}

void sw_prom_free(struct sw_prom *p)
{
	size_t i;

	forget_family(p);
	for (i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	free(p->seen);
	sw_strbuf_free(&p->out);
	free(p->err);
	sw_prom_init(p);
}

char *sw_prom_steal(struct sw_prom *p, size_t *len)
{
	char *buf = sw_strbuf_steal(&p->out, len);

	if (!buf)
		buf = calloc(1, 1);	/* an empty exposition is valid */
	sw_prom_free(p);
	return buf;
}

const char *sw_prom_error(const struct sw_prom *p)
{
	if (p->err)
		return p->err;
	return p->out.oom ? "out of memory" : NULL;
}

/* Keep the first error only: later ones are usually its consequences. */
static void __attribute__((format(printf, 2, 3)))
set_err(struct sw_prom *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err)
		return;
	va_start(ap, fmt);
	if (vasprintf(&p->err, fmt, ap) < 0)
		p->err = NULL;
	va_end(ap);
}

static void put(struct sw_prom *p, const char *s, size_t n)
{
	sw_strbuf_put(&p->out, s, n);
}

static void puts_(struct sw_prom *p, const char *s)
{
	put(p, s, strlen(s));
}

/*
 * Escaped text. Label values escape backslash, double quote and newline;
 * HELP text only backslash and newline (the format says so).
 */
static void put_escaped(struct sw_prom *p, const char *s, bool quote)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = NULL;

		if (*s == '\\')
			esc = "\\\\";
		else if (*s == '\n')
			esc = "\\n";
		else if (*s == '"' && quote)
			esc = "\\\"";
		if (!esc)
			continue;
		put(p, run, s - run);
		puts_(p, esc);
		run = s + 1;
	}
	put(p, run, s - run);
}

bool sw_prom_metric_name_ok(const char *name)
{
	const char *s;

	if (!name || !*name || (*name >= '0' && *name <= '9'))
		return false;
	for (s = name; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == ':'))
			return false;
	}
	return true;
}

bool sw_prom_label_name_ok(const char *name)
{
	if (!sw_prom_metric_name_ok(name) || strchr(name, ':'))
		return false;
	/* names starting with __ are reserved for Prometheus itself */
	return strncmp(name, "__", 2) != 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

void sw_prom_fmt_double(char *buf, size_t size, double v)
{
	if (isnan(v)) {
		snprintf(buf, size, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, size, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	sw_fmt_double(buf, size, v);
}

static const char *type_name(enum sw_prom_type t)
{
	switch (t) {
	case SW_PROM_COUNTER:
		return "counter";
	case SW_PROM_GAUGE:
		return "gauge";
	case SW_PROM_HISTOGRAM:
		return "histogram";
	default:
		return "untyped";
	}
}

static bool seen_before(const struct sw_prom *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nseen; i++)
		if (strcmp(p->seen[i], name) == 0)
			return true;
	return false;
}

static void remember(struct sw_prom *p, const char *name)
{
	char **ns;

	if (p->nseen == p->seen_cap) {
		size_t cap = p->seen_cap ? p->seen_cap * 2 : 32;

		ns = realloc(p->seen, cap * sizeof(*ns));
		if (!ns) {
			p->out.oom = true;
			return;
		}
		p->seen = ns;
		p->seen_cap = cap;
	}
	p->seen[p->nseen] = strdup(name);
	if (!p->seen[p->nseen]) {
		p->out.oom = true;
		return;
	}
	p->nseen++;
}

void sw_prom_family(struct sw_prom *p, const char *name,
		    enum sw_prom_type type, const char *help)
{
	/* the same family again, straight after itself, just goes on */
	if (p->family && strcmp(p->family, name) == 0 && p->type == type)
		return;
	forget_family(p);
	p->family = strdup(name ? name : "");
	p->help = strdup(help ? help : "");
	p->type = type;
	if (!p->family || !p->help) {
		p->out.oom = true;
		p->rejected = true;
		return;
	}
	if (!sw_prom_metric_name_ok(name)) {
		set_err(p, "invalid metric name '%s'", name ? name : "(null)");
		p->rejected = true;
		return;
	}
	if (seen_before(p, name)) {
		set_err(p, "metric family '%s' written twice", name);
		p->rejected = true;
		return;
	}
	remember(p, name);
	/* a lint problem, not a parse error: write it, but say so */
	if (type == SW_PROM_COUNTER && !ends_with(name, "_total"))
		set_err(p, "counter '%s' does not end in _total", name);
	if (type != SW_PROM_COUNTER && ends_with(name, "_total"))
		set_err(p, "non-counter '%s' ends in _total", name);
}

static void write_header(struct sw_prom *p)
{
	if (p->header_done)
		return;
	puts_(p, "# HELP ");
	puts_(p, p->family);
	puts_(p, " ");
	put_escaped(p, p->help, false);
	puts_(p, "\n# TYPE ");
	puts_(p, p->family);
	puts_(p, " ");
	puts_(p, type_name(p->type));
	puts_(p, "\n");
	p->header_done = true;
}

/* May samples of kind `hist` be written now, with these labels? */
static bool sample_ok(struct sw_prom *p, const struct sw_prom_label *l,
		      size_t nl, bool hist)
{
	size_t i;

	if (!p->family) {
		set_err(p, "sample written before any sw_prom_family()");
		return false;
	}
	if (p->rejected)
		return false;
	if (hist != (p->type == SW_PROM_HISTOGRAM)) {
		set_err(p, "wrong sample kind for family '%s'", p->family);
		return false;
	}
	for (i = 0; i < nl; i++) {
		if (!sw_prom_label_name_ok(l[i].name) || !l[i].value) {
			set_err(p, "invalid label '%s' in '%s'",
				l[i].name ? l[i].name : "(null)", p->family);
			return false;
		}
		if (hist && strcmp(l[i].name, "le") == 0) {
			set_err(p, "label 'le' is reserved in '%s'", p->family);
			return false;
		}
	}
	return true;
}

/*
 * name{l1="v1",...,extra="xv"} — extra is the histogram's le label, or
 * NULL. Writes no braces at all when there is no label.
 */
static void write_series(struct sw_prom *p, const char *suffix,
			 const struct sw_prom_label *l, size_t nl,
			 const char *extra_name, const char *extra_val)
{
	size_t i;

	puts_(p, p->family);
	puts_(p, suffix);
	if (!nl && !extra_name)
		return;
	puts_(p, "{");
	for (i = 0; i < nl; i++) {
		if (i)
			puts_(p, ",");
		puts_(p, l[i].name);
		puts_(p, "=\"");
		put_escaped(p, l[i].value, true);
		puts_(p, "\"");
	}
	if (extra_name) {
		if (nl)
			puts_(p, ",");
		puts_(p, extra_name);
		puts_(p, "=\"");
		put_escaped(p, extra_val, true);
		puts_(p, "\"");
	}
	puts_(p, "}");
}

static void write_value(struct sw_prom *p, const char *text)
{
	puts_(p, " ");
	puts_(p, text);
	puts_(p, "\n");
}

/* One counter, gauge or untyped sample whose value is already text. */
static void write_sample(struct sw_prom *p, const struct sw_prom_label *l,
			 size_t nl, const char *num)
{
	if (!sample_ok(p, l, nl, false))
		return;
	write_header(p);
	write_series(p, "", l, nl, NULL, NULL);
	write_value(p, num);
}

void sw_prom_double(struct sw_prom *p, const struct sw_prom_label *l,
		    size_t nl, double v)
{
	char num[64];

	sw_prom_fmt_double(num, sizeof(num), v);
	write_sample(p, l, nl, num);
}

/* Integers are printed exactly: a double would round counters above 2^53. */
void sw_prom_u64(struct sw_prom *p, const struct sw_prom_label *l,
		 size_t nl, uint64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	write_sample(p, l, nl, num);
}

static bool bounds_ok(const double *bounds, size_t nb)
{
	size_t i;

	for (i = 0; i < nb; i++) {
		if (isnan(bounds[i]) || isinf(bounds[i]))
			return false;
		if (i && bounds[i] <= bounds[i - 1])
			return false;
	}
	return true;
}

void sw_prom_histogram(struct sw_prom *p, const struct sw_prom_label *l,
		       size_t nl, const double *bounds, size_t nb,
		       const uint64_t *counts, double sum)
{
	char num[64], le[64];
	uint64_t cum = 0;
	size_t i;

	if (!sample_ok(p, l, nl, true))
		return;
	if (!bounds_ok(bounds, nb)) {
		set_err(p, "histogram '%s': bounds not finite and increasing",
			p->family);
		return;
	}
	write_header(p);
	for (i = 0; i <= nb; i++) {
		cum += counts[i];
		if (i < nb)
			sw_prom_fmt_double(le, sizeof(le), bounds[i]);
		else
			snprintf(le, sizeof(le), "+Inf");
		write_series(p, "_bucket", l, nl, "le", le);
		snprintf(num, sizeof(num), "%" PRIu64, cum);
		write_value(p, num);
	}
	write_series(p, "_sum", l, nl, NULL, NULL);
	sw_prom_fmt_double(num, sizeof(num), sum);
	write_value(p, num);
	write_series(p, "_count", l, nl, NULL, NULL);
	snprintf(num, sizeof(num), "%" PRIu64, cum);
	write_value(p, num);
}

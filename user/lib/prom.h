/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Prometheus text exposition format 0.0.4, written into a growable buffer.
 *
 * The writer is streaming: the caller opens a metric family with
 * sw_prom_family() and writes its samples, then the next family. HELP and
 * TYPE are written once per family, just before its first sample, so a
 * family without samples leaves no trace. Samples of one family must be
 * contiguous (the format requires it); opening a family a second time after
 * another one is a caller bug, recorded (sw_prom_error) and its samples
 * dropped, because a split family makes Prometheus reject the whole scrape.
 *
 * Names are checked: an invalid metric or label name would also fail the
 * whole scrape, so such samples are dropped and the first problem is kept
 * for sw_prom_error(). Unit tests should assert that it stays NULL.
 *
 * Example:
 *	struct sw_prom p;
 *
 *	sw_prom_init(&p);
 *	sw_prom_family(&p, "sockwatch_sockets", SW_PROM_GAUGE,
 *		       "Sockets open now.");
 *	sw_prom_u64(&p, SW_PROM_LABELS({ "proto", "tcp" },
 *				       { "state", "ESTABLISHED" }), 12);
 *	...
 *	body = sw_prom_steal(&p, &len);
 */
#ifndef SW_PROM_H
#define SW_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/strbuf.h"

#define SW_PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

enum sw_prom_type {
	SW_PROM_COUNTER,	/* name must end in _total */
	SW_PROM_GAUGE,
	SW_PROM_HISTOGRAM,	/* samples via sw_prom_histogram() only */
	SW_PROM_UNTYPED,
};

/* One label of a sample. The value is escaped by the writer. */
struct sw_prom_label {
	const char *name;
	const char *value;
};

/*
 * SW_PROM_LABELS({ "a", "x" }, { "b", "y" }) expands to the two arguments
 * (array, count) that the sample functions take. Use NULL, 0 for none.
 */
#define SW_PROM_LABELS(...)						\
	((const struct sw_prom_label[]){ __VA_ARGS__ }),		\
	(sizeof((const struct sw_prom_label[]){ __VA_ARGS__ }) /	\
	 sizeof(struct sw_prom_label))

/*
 * Writer state. buf/len/cap is the output (NUL-terminated while not
 * oom); the rest tracks the family being written and every family name
 * used so far, so that HELP/TYPE appear exactly once per exposition.
 */
struct sw_prom {
	struct sw_strbuf out;		/* the exposition written so far */
	char  *err;			/* first caller error, or NULL */

	char  *family;			/* current family name, or NULL */
	char  *help;			/* its help text, until written */
	enum sw_prom_type type;
	bool   header_done;		/* HELP/TYPE of the current one written */
	bool   rejected;		/* current family is invalid: drop samples */

	char **seen;			/* names of the families opened so far */
	size_t nseen;
	size_t seen_cap;
};

void sw_prom_init(struct sw_prom *p);
void sw_prom_free(struct sw_prom *p);
/* Take the output (malloc'ed, NUL-terminated) and reset the writer. */
char *sw_prom_steal(struct sw_prom *p, size_t *len);
/* First error (bad name, split family, ...), or NULL when all is well. */
const char *sw_prom_error(const struct sw_prom *p);

/* Open a family; samples written next belong to it. */
void sw_prom_family(struct sw_prom *p, const char *name,
		    enum sw_prom_type type, const char *help);

/* One sample of the current counter, gauge or untyped family. */
void sw_prom_double(struct sw_prom *p, const struct sw_prom_label *l,
		    size_t nl, double v);
void sw_prom_u64(struct sw_prom *p, const struct sw_prom_label *l,
		 size_t nl, uint64_t v);

/*
 * One histogram series of the current histogram family. bounds[0..nb-1]
 * are the upper bounds, strictly increasing, +Inf excluded. counts has
 * nb + 1 entries and is NOT cumulative: counts[i] is the number of
 * observations in (bounds[i-1], bounds[i]], counts[nb] those above the
 * last bound. The writer makes the _bucket series cumulative and adds
 * le="+Inf", _sum and _count.
 */
void sw_prom_histogram(struct sw_prom *p, const struct sw_prom_label *l,
		       size_t nl, const double *bounds, size_t nb,
		       const uint64_t *counts, double sum);

/*
 * Format v the way the exposition format wants it ("NaN", "+Inf", "-Inf",
 * or the shortest decimal that reads back as v) into buf (>= 32 bytes).
 */
void sw_prom_fmt_double(char *buf, size_t size, double v);

/* Validity of names (exported for tests and for callers' own checks). */
bool sw_prom_metric_name_ok(const char *name);
bool sw_prom_label_name_ok(const char *name);

#endif /* SW_PROM_H */

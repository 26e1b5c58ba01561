/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evaluation of extracted expressions against the symbols of the scanned
 * tree: constants and variables across files and packages, helper
 * functions, formatting, environment fallbacks and flag defaults.
 */
#ifndef SOCKSCAN_RESOLVE_H
#define SOCKSCAN_RESOLVE_H

#include "sockscan.h"

/* The result of evaluating an expression. */
struct value {
	char *s;		/* the value as text; NULL when unknown */
	int is_int;		/* came from an integer (so + adds) */
	enum resolution how;	/* least certain source that went into it */
	char *dyn;		/* when unknown: what could not be resolved */
	char *prefix;		/* when unknown: the known text it starts with */
	enum resolution prefix_how;
	char *port;		/* when unknown: a port known beside an unknown host */
	char *host;		/* when unknown: a host known beside an unknown port */
	int none;		/* Python's None: a call's default address stands */
	int flag_truth;		/* an option's default False (1) or True (2); 0 other (eval_test) */
	/*
	 * when unknown: known text, or another unknown piece, follows the
	 * unknown piece after prefix (0: prefix, then one piece ending it)
	 */
	int gap_inside;
};

void resolve_eval(struct scan *sc, struct pkg *ctx, const struct expr *e,
		  struct value *v);
void value_free(struct value *v);
char *resolve_gap_port(const struct value *v);
/*
 * The object (EX_OBJ) @e stands for, following names and helper calls,
 * as a copy the caller frees; *octx is the package its sub-expressions
 * are to be evaluated in. NULL when @e is not known to be an object.
 */
struct expr *resolve_obj(struct scan *sc, struct pkg *ctx, const struct expr *e,
			 struct pkg **octx);

#endif

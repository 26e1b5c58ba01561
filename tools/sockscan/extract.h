/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State and steps shared by the Go and Python extractors: the scope of
 * the function being walked, recording sites, and summarising what a
 * function returns so that calls of small helpers (getEnv(k, def)) can be
 * resolved later.
 */
#ifndef SOCKSCAN_EXTRACT_H
#define SOCKSCAN_EXTRACT_H

#include "sockscan.h"
#include "tsutil.h"

/* The walk's position in one file. */
struct xctx {
	struct srcfile *f;
	const char *src;
	struct symtab locals;	/* variables of the current function */
	int in_func;		/* walking a function body (else top level) */
	int in_nested;		/* Python: a function defined in it: its returns are not the function's */
	int cond_depth;		/* inside an if block: an assignment there is a fallback */
	int depth;		/* nesting of the walk and of expressions (see XCTX_MAX_DEPTH) */
	struct expr **rets;	/* what the current function returns */
	size_t nrets, caprets;
	int in_class;		/* walking a class body (Python) */
	char *cls;		/* Python: name of the class walked, or NULL */
	char *cls_type;		/* Python: type key a watched base makes it (requests.Session), or NULL */
	struct symtab *cls_methods;	/* Python: the methods that class defines (keys only) */
	char *cls_base;		/* Python: that class's first base as written through the imports, or NULL */
	/* Python: transport of the class's self.create_socket(family, type) (asyncore), or NULL */
	struct expr *cls_net;
	size_t ncalls;		/* Python: calls recorded for parameter binding (py_note_callee) */
	int scope;		/* number of the function being walked, 0 at top level */
	/* Python: parameters of the function walked whose default is a watched class, by name */
	struct symtab param_cls;
	char *kwsplat;		/* Python: the function's **kwargs parameter, or NULL */
	int in_except;		/* Python: reading the imports of an except clause */
	const TSNode *tops;	/* Python: the module's statements, while they are walked */
	size_t top;		/* the index in tops of the one being walked */
	/* Python: the top-level name whose assignment's value is being read, or NULL */
	const char *rebinding;
};

/*
 * Generated code nests expressions thousands deep (long concatenations);
 * the walk does not follow deeper than this, so that it cannot exhaust
 * the stack. No hand-written socket call sits that deep.
 */
#define XCTX_MAX_DEPTH 400

/*
 * A variable's value is copied wherever the variable is used, so a value
 * built from itself (s = s + t, b = append(b, c) in a loop body) would
 * grow without end. Addresses are small: a larger value is not one.
 */
#define XCTX_MAX_VALUE_NODES 64

/* New site for call node @call, appended to the file's list. */
struct site *site_new(struct xctx *x, TSNode call);
/* Append argument @e (may be NULL: None/absent), its keyword and text. */
void site_add_arg(struct site *s, struct expr *e, const char *kw, char *text);
void site_free(struct site *s);
/* A site's place in its file as one number: later places are larger. */
static inline long site_pos(int line, int col)
{
	return (long)line * 65536 + (col < 65536 ? col : 65535);
}

/* Copy of the value of local @name, or NULL when it is not a local. */
struct expr *xctx_local(struct xctx *x, const char *name);
/*
 * Give @name the value @value (owned). @declare: a new local in a function
 * (Go :=, var; any Python assignment); otherwise an existing local or, if
 * there is none, the package-level variable. Inside an if block, a
 * variable that holds an environment variable with no fallback gets
 * @value as its fallback instead: `if port == "" { port = "8080" }`.
 */
void xctx_bind(struct xctx *x, const char *name, struct expr *value, int declare);
void xctx_return(struct xctx *x, struct expr *value);
/*
 * @reduce(@x, @n), unless @n is null or nested deeper than XCTX_MAX_DEPTH
 * (then an unknown value): the entry to each language's expression reducer.
 */
struct expr *xctx_expr(struct xctx *x, TSNode n,
		       struct expr *(*reduce)(struct xctx *, TSNode));
/* An integer literal node of either language (C-style prefixes: 0x, 0o). */
struct expr *xctx_int_literal(struct xctx *x, TSNode n);
/* Call @walk on every named child of @n, in order. */
void xctx_walk_children(struct xctx *x, TSNode n, void (*walk)(struct xctx *, TSNode));
/* Start a function: fresh locals, parameters bound to EX_PARAM. */
void xctx_enter_func(struct xctx *x, char **params, int nparams);
/*
 * End the function: store its summary as @name in the file's functions
 * (when one can be made) and restore the top-level state.
 */
void xctx_leave_func(struct xctx *x, const char *name, int nparams);

#endif

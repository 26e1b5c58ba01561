// SPDX-License-Identifier: GPL-2.0
/*
 * Python if statements in a function (see py_branches.h): which names the
 * branches bind, what each branch leaves in them, and what they hold once
 * the statement is done.
 */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "extract.h"
#include "py_branches.h"
#include "py_extract.h"
#include "rules.h"
#include "symtab.h"
#include "tsutil.h"
#include "util.h"

/* Does block @b end in return, raise, continue or break (never fall through)? */
static int block_ends(TSNode b)
{
	uint32_t i = ts_node_named_child_count(b);
	TSNode k;

	while (i > 0) {
		k = ts_node_named_child(b, --i);
		if (ts_is(k, "comment"))
			continue;
		return ts_is(k, "return_statement") || ts_is(k, "raise_statement") ||
		       ts_is(k, "continue_statement") || ts_is(k, "break_statement");
	}
	return 0;
}

/* Conditions are read this deep, no deeper (a generated one may nest thousands). */
#define MAX_COND_DEPTH 32

/* Is @n identifier @name? */
static int is_name(struct xctx *x, TSNode n, const char *name)
{
	return ts_is(n, "identifier") && ts_text_eq(n, x->src, name);
}

/*
 * Is the operator between operands @a and @b of a comparison negated
 * (is not, not in, !=)? tree-sitter keeps operators as anonymous tokens:
 * they are what lies between the operands.
 */
static int op_negated(struct xctx *x, TSNode a, TSNode b)
{
	const char *op = x->src + ts_node_end_byte(a);
	size_t len = ts_node_start_byte(b) - ts_node_end_byte(a);

	return memmem(op, len, "not", 3) || memmem(op, len, "!=", 2);
}

/* Is @n None or an empty string literal? */
static int is_missing_value(struct xctx *x, TSNode n)
{
	return ts_is(n, "none") || ts_text_eq(n, x->src, "''") ||
	       ts_text_eq(n, x->src, "\"\"");
}

/*
 * Does condition @c test whether @name is missing: `name is None`,
 * `name == ''`, `not name`, or one of those joined to others by and/or?
 * `name is not None` and `name != ''` test that it is there.
 */
static int tests_missing(struct xctx *x, TSNode c, const char *name, int depth)
{
	TSNode *kids;
	size_t count;
	int yes;

	if (ts_node_is_null(c) || depth > MAX_COND_DEPTH)
		return 0;
	if (ts_is(c, "parenthesized_expression"))
		return tests_missing(x, ts_child(c, 0), name, depth + 1);
	if (ts_is(c, "boolean_operator"))
		return tests_missing(x, ts_field(c, "left"), name, depth + 1) ||
		       tests_missing(x, ts_field(c, "right"), name, depth + 1);
	if (ts_is(c, "not_operator"))
		return is_name(x, ts_field(c, "argument"), name);
	if (!ts_is(c, "comparison_operator"))
		return 0;
	count = ts_named_children(c, &kids);
	yes = count == 2 && is_name(x, kids[0], name) && is_missing_value(x, kids[1]) &&
	      !op_negated(x, kids[0], kids[1]);
	free(kids);
	return yes;
}

/*
 * Is branch @b of if statement @stmt (the block of a clause) taken when
 * @name is missing (if url is None: url = DEFAULT)?
 */
static int guards_missing(struct xctx *x, TSNode stmt, TSNode b, const char *name)
{
	TSNode clause = ts_parent(b);

	if (ts_is(clause, "else_clause"))
		return 0;
	return tests_missing(x, ts_field(clause, "condition"), name, 0);
}

static int mentions_at(struct xctx *x, TSNode n, const char *name, int depth)
{
	uint32_t i, count;

	if (ts_node_is_null(n) || depth > MAX_COND_DEPTH)
		return 0;
	if (ts_is(n, "identifier"))
		return ts_text_eq(n, x->src, name);
	count = ts_node_named_child_count(n);
	for (i = 0; i < count; i++)
		if (mentions_at(x, ts_node_named_child(n, i), name, depth + 1))
			return 1;
	return 0;
}

/* Is identifier @name used in condition @n? */
static int mentions(struct xctx *x, TSNode n, const char *name)
{
	return mentions_at(x, n, name, 0);
}

/*
 * Is the branch of block @b taken only when the environment says so
 * (if os.environ.get("AWS_STS_REGIONAL_ENDPOINTS") == "regional")? What
 * it sets is not the default, which is what the code does when the
 * variable is unset.
 */
static int guards_env(struct xctx *x, TSNode b)
{
	TSNode clause = ts_parent(b), c = ts_field(clause, "condition");

	return !ts_is(clause, "else_clause") &&
	       (mentions(x, c, "environ") || mentions(x, c, "getenv"));
}

/* Does @e hold @part as one of its subexpressions? */
static int expr_contains(const struct expr *e, const struct expr *part)
{
	int i;

	if (!e)
		return 0;
	if (expr_equal(e, part))
		return 1;
	for (i = 0; i < e->nargs; i++)
		if (expr_contains(e->a[i], part))
			return 1;
	return 0;
}

/* The text @e stands for when nothing overrides it: a literal, a flag's or variable's default. */
static const char *default_text(const struct expr *e)
{
	if (!e)
		return NULL;
	switch (e->kind) {
	case EX_STR:
		return e->s;
	case EX_FLAG:
	case EX_DEFAULT:
		return default_text(expr_arg(e, 0));
	case EX_ENV:
		return default_text(expr_arg(e, 1));
	default:
		return NULL;
	}
}

/* The text of string literal @n when it is plain ('x', "x": no escapes, no f-string), or NULL. */
static char *plain_string(struct xctx *x, TSNode n)
{
	TSNode *kids;
	size_t count;
	char *start, *s = NULL;

	if (!ts_is(n, "string"))
		return NULL;
	count = ts_named_children(n, &kids);
	if (count == 3 && ts_is(kids[0], "string_start") && ts_is(kids[1], "string_content") &&
	    ts_is(kids[2], "string_end") && !ts_node_named_child_count(kids[1])) {
		start = ts_text(kids[0], x->src);
		if (!strpbrk(start, "fFbB"))
			s = ts_text(kids[1], x->src);
		free(start);
	}
	free(kids);
	return s;
}

/*
 * Condition @c on the platform the scan stands for, Linux with CPython 3:
 * 1 true, 0 false, -1 not known. Known are hasattr(socket, "AF_UNIX"),
 * comparisons of sys.platform or os.name with a string literal,
 * sys.platform.startswith("..."), and `not` of them. A branch that cannot
 * run there (portpicker's AF_INET fallback where AF_UNIX is missing, a
 * Windows pipe) gives no value to the names after the if statement.
 */
static int on_linux(struct xctx *x, TSNode c, int depth)
{
	TSNode *kids;
	size_t count;
	char *lit = NULL, *what = NULL;
	int v = -1;

	if (ts_node_is_null(c) || depth > MAX_COND_DEPTH)
		return -1;
	if (ts_is(c, "parenthesized_expression"))
		return on_linux(x, ts_child(c, 0), depth + 1);
	if (ts_is(c, "not_operator")) {
		v = on_linux(x, ts_field(c, "argument"), depth + 1);
		return v < 0 ? v : !v;
	}
	if (ts_is(c, "call")) {
		what = ts_text(ts_field(c, "function"), x->src);
		count = ts_named_children(ts_field(c, "arguments"), &kids);
		if (!strcmp(what, "hasattr") && count == 2 && is_name(x, kids[0], "socket") &&
		    (lit = plain_string(x, kids[1])))
			v = !strcmp(lit, "AF_UNIX") || !strcmp(lit, "AF_INET6") ? 1 : -1;
		else if (!strcmp(what, "sys.platform.startswith") && count == 1 &&
			 (lit = plain_string(x, kids[0])))
			v = str_has_prefix("linux", lit);
		free(kids);
		free(what);
		free(lit);
		return v;
	}
	if (!ts_is(c, "comparison_operator"))
		return -1;
	count = ts_named_children(c, &kids);
	if (count == 2 && (lit = plain_string(x, kids[1]))) {
		what = ts_text(kids[0], x->src);
		if (!strcmp(what, "sys.platform"))
			v = !strcmp(lit, "linux");
		else if (!strcmp(what, "os.name"))
			v = !strcmp(lit, "posix");
		if (v >= 0 && op_negated(x, kids[0], kids[1]))
			v = !v;
		/* == and != only: "in", "<" and the like stay unknown */
		if (!memmem(x->src + ts_node_end_byte(kids[0]),
			    ts_node_start_byte(kids[1]) - ts_node_end_byte(kids[0]), "=", 1))
			v = -1;
	}
	free(kids);
	free(what);
	free(lit);
	return v;
}

/*
 * Condition @c for @name holding its default text @text: 1 true, 0 false,
 * -1 not known. Known are `'x' in name`, `'x' not in name`, the tests of
 * a missing value (`name is None`, `name == ''`, `not name`, and their
 * negations), and and/or of them: if ':' not in host: host += ':11211' is
 * not taken when the default already has a port, and if host is None:
 * host = 'x' is not taken when the variable has a default.
 */
static int test_default(struct xctx *x, TSNode c, const char *name, const char *text,
			int depth)
{
	TSNode *kids;
	char *needle = NULL;
	size_t count;
	int l, r, yes = -1;

	if (depth > MAX_COND_DEPTH)
		return -1;
	if (ts_is(c, "parenthesized_expression"))
		return test_default(x, ts_child(c, 0), name, text, depth + 1);
	if (ts_is(c, "boolean_operator")) {
		l = test_default(x, ts_field(c, "left"), name, text, depth + 1);
		r = test_default(x, ts_field(c, "right"), name, text, depth + 1);
		if (ts_text_eq(ts_field(c, "operator"), x->src, "and"))
			return !l || !r ? 0 : l == 1 && r == 1 ? 1 : -1;
		return l == 1 || r == 1 ? 1 : !l && !r ? 0 : -1;
	}
	if (!text)
		return -1;
	/* a default is never None; only the empty one is falsy */
	if (ts_is(c, "not_operator"))
		return is_name(x, ts_field(c, "argument"), name) ? !*text : -1;
	if (!ts_is(c, "comparison_operator"))
		return -1;
	count = ts_named_children(c, &kids);
	if (count == 2 && is_name(x, kids[1], name))
		needle = plain_string(x, kids[0]);
	if (needle)
		yes = strstr(text, needle) != NULL;
	else if (count == 2 && is_name(x, kids[0], name) && is_missing_value(x, kids[1]))
		yes = !ts_is(kids[1], "none") && !*text;
	if (yes >= 0 && op_negated(x, kids[0], kids[1]))
		yes = !yes;
	free(needle);
	free(kids);
	return yes;
}

/*
 * The locals an if statement's branches bind, found by reading the
 * statement before it is walked (py_if): at most MAX_IF_NAMES, within
 * MAX_IF_SCAN nodes; past either, the statement is walked straight
 * through (the last assignment wins). Plain `name = value` and
 * `name += value` count; the bodies of functions, classes and lambdas
 * inside it do not (they have locals of their own).
 */
#define MAX_IF_NAMES 32
#define MAX_IF_SCAN 4096

struct if_names {
	char *name[MAX_IF_NAMES];
	int n;
	int budget;		/* nodes still to read */
	int over;		/* a limit was passed */
};

static void add_bound(struct xctx *x, TSNode t, struct if_names *in)
{
	TSNode *kids;
	size_t count, i;
	char *name;
	int k;

	if (ts_is(t, "pattern_list") || ts_is(t, "tuple_pattern") || ts_is(t, "list_pattern")) {
		count = ts_named_children(t, &kids);
		for (i = 0; i < count; i++)
			add_bound(x, kids[i], in);
		free(kids);
		return;
	}
	if (!ts_is(t, "identifier"))
		return;
	name = ts_text(t, x->src);
	for (k = 0; k < in->n && strcmp(in->name[k], name); k++)
		;
	if (k < in->n) {
		free(name);
		return;
	}
	if (in->n == MAX_IF_NAMES) {
		in->over = 1;
		free(name);
		return;
	}
	in->name[in->n++] = name;
}

static void collect_bound(struct xctx *x, TSNode n, struct if_names *in)
{
	uint32_t i, count;

	if (in->over || ts_node_is_null(n))
		return;
	if (--in->budget < 0) {
		in->over = 1;
		return;
	}
	if (ts_is(n, "function_definition") || ts_is(n, "class_definition") || ts_is(n, "lambda"))
		return;
	if (ts_is(n, "assignment") || ts_is(n, "augmented_assignment"))
		add_bound(x, ts_field(n, "left"), in);
	count = ts_node_named_child_count(n);
	for (i = 0; i < count && !in->over; i++)
		collect_bound(x, ts_node_named_child(n, i), in);
}

/* What one branch of an if statement left in the names it binds (py_if). */
struct branch {
	struct expr **vals;	/* per if_names entry: its value, or NULL when unbound */
	TSNode body;		/* its block; null for the path through no branch */
	int env;		/* taken only when the environment says so (guards_env) */
};

/* Can @e be one of a choice's values (not an object, nor an instance of the tree)? */
static int is_plain_value(const struct expr *e)
{
	return e->kind != EX_OBJ && e->kind != EX_CALL && e->kind != EX_MCALL;
}

/*
 * A branch that gives @name a default when it is missing (if url is None:
 * url = DEFAULT) or rewrites it from its own value (if ':' not in host:
 * host += ':11211') sets the value the code means, unless its test is
 * known to be false of the default (a variable's default is never None).
 * Not for a parameter, whose callers give its value.
 */
static const struct expr *guarded_value(struct xctx *x, TSNode stmt, const struct branch *out,
					size_t n, int k, const struct expr *before,
					const char *name)
{
	const struct expr *e, *found = NULL;
	size_t i;
	int missing;

	if (!before || before->kind == EX_PARAM)
		return NULL;
	for (i = 0; i < n; i++) {
		e = out[i].vals[k];
		if (!e || ts_node_is_null(out[i].body) || expr_equal(e, before))
			continue;
		missing = guards_missing(x, stmt, out[i].body, name);
		if (!missing && !expr_contains(e, before))
			continue;
		switch (test_default(x, ts_field(ts_parent(out[i].body), "condition"),
				     name, default_text(before), 0)) {
		case 1:
			found = e;
			break;
		case 0:
			found = before;
			break;
		default:
			if (missing)
				found = e;
		}
	}
	return found;
}

/*
 * if py2: urlopen = compat.urlopen, else: urlopen = urllib.request.urlopen
 * (an import alias, no local): after it, name k is the API. A branch that
 * leaves a name unbound that was unbound before leaves it to the module's
 * import of that name, and an API a rule knows stands over the other
 * branches' functions no rule knows, as it does in the other order
 * (py_assignment). Then the name stays unbound here.
 */
static int leaves_api_import(struct xctx *x, const struct branch *out, size_t n, int k,
			     const struct expr *before, const char *name)
{
	const struct expr *e;
	int unbound = 0, imp;
	size_t i;

	if (before)
		return 0;
	for (i = 0; i < n; i++) {
		e = out[i].vals[k];
		if (!e)
			unbound = 1;
		else if (e->kind != EX_QUAL || !e->s || !e->s2 ||
			 rule_func(py_rules, e->s, e->s2))
			return 0;
	}
	if (!unbound)
		return 0;
	imp = py_import_binding(x->f->imports, x->f->nimports, name, strlen(name));
	return imp >= 0 && is_rule_name(x->f->imports[imp].path);
}

/* The operator between operands @a and @b, its words one space apart ("not in"). */
static char *op_between(struct xctx *x, TSNode a, TSNode b)
{
	const char *p = x->src + ts_node_end_byte(a), *end = x->src + ts_node_start_byte(b);
	char *out = xmalloc(end - p + 1), *o = out;
	int space = 0;

	for (; p < end; p++) {
		if (strchr(" \t\r\n\\", *p)) {
			space = o > out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* Can @n be tested as a value: a name or an attribute (opts.local)? */
static int is_testable(TSNode n)
{
	return ts_is(n, "identifier") || ts_is(n, "attribute");
}

/*
 * The test of if statement @stmt (without elif) as an EX_TEST the
 * resolver may decide: X, not X, "lit" in X, "lit" not in X, X is None,
 * X is not None; NULL for any other. Read before the branches are
 * walked, from the values the names hold then.
 */
static struct expr *branch_test(struct xctx *x, TSNode stmt)
{
	TSNode *kids, arg, c = ts_field(stmt, "condition");
	struct expr *t = NULL;
	const char *form = NULL;
	char *op, *lit = NULL;
	size_t count, i;

	for (i = 0; i < ts_node_named_child_count(stmt); i++)
		if (ts_is(ts_node_named_child(stmt, i), "elif_clause"))
			return NULL;
	if (ts_is(c, "parenthesized_expression"))
		c = ts_child(c, 0);
	if (is_testable(c) || (ts_is(c, "not_operator") && is_testable(ts_field(c, "argument")))) {
		arg = is_testable(c) ? c : ts_field(c, "argument");
		t = expr_new(EX_TEST, is_testable(c) ? "truth" : "not");
		expr_add(t, py_expr(x, arg));
		return t;
	}
	if (!ts_is(c, "comparison_operator"))
		return NULL;
	count = ts_named_children(c, &kids);
	if (count != 2) {
		free(kids);
		return NULL;
	}
	op = op_between(x, kids[0], kids[1]);
	if ((!strcmp(op, "in") || !strcmp(op, "not in")) && is_testable(kids[1]) &&
	    (lit = plain_string(x, kids[0])))
		form = op;
	else if (!strcmp(op, "is") && ts_is(kids[1], "none") && is_testable(kids[0]))
		form = "is none";
	else if (!strcmp(op, "is not") && ts_is(kids[1], "none") && is_testable(kids[0]))
		form = "is not none";
	if (form) {
		t = expr_new(EX_TEST, form);
		expr_add(t, py_expr(x, lit ? kids[1] : kids[0]));
		if (lit)
			expr_add(t, expr_str(lit));
	}
	free(lit);
	free(op);
	free(kids);
	return t;
}

/*
 * if opts.local: url = LOCAL else: url = REMOTE (no elif): name k holds
 * one or the other as the test decides, which the resolver may know
 * (the option's default) where this walk does not (IF_CHOICE); NULL when
 * the statement or its test is not of that form.
 */
static struct expr *tested_choice(TSNode stmt, const struct expr *test,
				  const struct branch *out, size_t n, int k)
{
	TSNode then = ts_field(stmt, "consequence");
	const struct expr *yes = NULL, *no = NULL;
	struct expr *choice;
	size_t i;

	if (n != 2 || !test)
		return NULL;
	for (i = 0; i < n; i++) {
		if (out[i].env || !out[i].vals[k])
			return NULL;
		if (!ts_node_is_null(out[i].body) && ts_node_eq(out[i].body, then))
			yes = out[i].vals[k];
		else
			no = out[i].vals[k];
	}
	if (!yes || !no)
		return NULL;
	choice = expr_new(EX_CHOICE, IF_CHOICE);
	expr_add(choice, expr_copy(test));
	expr_add(choice, expr_copy(yes));
	expr_add(choice, expr_copy(no));
	return choice;
}

/*
 * Name k of if statement @stmt after it, from what the branches that fall
 * through left (@out): a default it guards (guarded_value), else the value
 * they agree on, else the choice of their values. A branch the
 * environment selects (guards_env) counts only when no other one sets the
 * name. An object (a socket) or an instance of a class of the tree in any
 * branch wins instead, as the last assignment did before branches were
 * merged: sock = None on an error path keeps the socket; so does a call
 * that may make one over a parameter (if pool is None: self.pool =
 * make_pool(), else: self.pool = pool), which its callers may not name.
 * A branch that leaves the name unbound adds nothing. NULL: unbound on
 * every path.
 */
static struct expr *merged_local(struct xctx *x, TSNode stmt, const struct expr *test,
				 const struct branch *out, size_t n, int k,
				 const struct expr *before, const char *name)
{
	const struct expr *e, *last = NULL, *obj = NULL, *made = NULL, *guard;
	struct expr *choice, *either;
	int same = 1, plain = 1, other = 0;
	size_t i;

	if (leaves_api_import(x, out, n, k, before, name))
		return NULL;
	for (i = 0; i < n; i++)
		other += out[i].vals[k] && !out[i].env;
	for (i = 0; i < n; i++) {
		e = out[i].vals[k];
		if (!e || (out[i].env && other))
			continue;
		if (last && !expr_equal(last, e))
			same = 0;
		if (!is_plain_value(e))
			plain = 0;
		if (e->kind == EX_OBJ)
			obj = e;
		if (e->kind != EX_PARAM)
			made = e;
		last = e;
	}
	if (same)
		return expr_copy(last);
	/* if tcp: s = socket(AF_INET) else: s = socket(AF_UNIX) */
	if (n == 2 && out[0].vals[k] && out[1].vals[k] &&
	    (either = expr_socket_either(out[0].vals[k], out[1].vals[k])))
		return either;
	if (!plain)
		return expr_copy(obj ? obj : made ? made : last);
	guard = guarded_value(x, stmt, out, n, k, before, name);
	if (guard)
		return expr_copy(guard);
	choice = tested_choice(stmt, test, out, n, k);
	if (choice)
		return choice;
	choice = expr_new(EX_CHOICE, NULL);
	for (last = NULL, i = 0; i < n; i++) {
		e = out[i].vals[k];
		if (!e || (out[i].env && other) || (last && expr_equal(e, last)))
			continue;
		expr_add(choice, expr_copy(e));
		last = e;
	}
	if (expr_size(choice, XCTX_MAX_VALUE_NODES) > XCTX_MAX_VALUE_NODES) {
		expr_free(choice);
		return expr_dyn(name);
	}
	return choice;
}

/* Set the locals @in names to @vals (NULL: unbound). */
static void set_bound(struct xctx *x, const struct if_names *in, struct expr *const *vals)
{
	int k;

	for (k = 0; k < in->n; k++)
		if (vals[k])
			symtab_set(&x->locals, in->name[k], expr_copy(vals[k]));
		else
			symtab_del(&x->locals, in->name[k]);
}

/* Copies of the values the locals @in names hold now (NULL: unbound). */
static struct expr **get_bound(struct xctx *x, const struct if_names *in)
{
	struct expr **vals = xcalloc(in->n ? in->n : 1, sizeof(*vals));
	int k;

	for (k = 0; k < in->n; k++)
		vals[k] = expr_copy(symtab_get(&x->locals, in->name[k]));
	return vals;
}

static void free_bound(struct expr **vals, int n)
{
	int k;

	for (k = 0; vals && k < n; k++)
		expr_free(vals[k]);
	free(vals);
}

/* Keep what the branch of block @body (null: no branch) left as out[(*n)++]. */
static void keep_branch(struct xctx *x, const struct if_names *in, struct branch **out,
			size_t *n, size_t *cap, TSNode body)
{
	grow((void **)out, cap, *n + 1, sizeof(**out));
	(*out)[*n].vals = get_bound(x, in);
	(*out)[*n].body = body;
	(*out)[*n].env = !ts_node_is_null(body) && guards_env(x, body);
	(*n)++;
}

/*
 * if endpoint.startswith("https://"): url = endpoint (twython): in the
 * branch, a local @name whose text starts with a literal is that literal
 * and then something unknown, so what the branch makes of it keeps the
 * scheme (and its port). Returns the name narrowed (the caller puts back
 * its value with narrow_end), or NULL when @cond is no such test.
 */
static char *narrow_start(struct xctx *x, TSNode cond, struct expr **saved)
{
	TSNode fn = ts_field(cond, "function"), obj = ts_field(fn, "object");
	TSNode *args;
	size_t nargs;
	char *lit = NULL, *name;
	struct expr *e;

	*saved = NULL;
	if (!ts_is(cond, "call") || !ts_is(fn, "attribute") || !ts_is(obj, "identifier") ||
	    !ts_text_eq(ts_field(fn, "attribute"), x->src, "startswith"))
		return NULL;
	nargs = ts_named_children(ts_field(cond, "arguments"), &args);
	if (nargs == 1)
		lit = plain_string(x, args[0]);
	free(args);
	if (!lit)
		return NULL;
	name = ts_text(obj, x->src);
	if (!symtab_find(&x->locals, name)) {
		free(lit);
		free(name);
		return NULL;
	}
	*saved = expr_copy(symtab_get(&x->locals, name));
	e = expr_pair(EX_CONCAT, expr_str(lit), expr_dyn(name));
	symtab_set(&x->locals, name, e);
	free(lit);
	return name;
}

/* After the branch: @name's value back, unless the branch bound another. */
static void narrow_end(struct xctx *x, char *name, struct expr *saved)
{
	const struct expr *now;

	if (!name)
		return;
	now = symtab_get(&x->locals, name);
	if (now && now->kind == EX_CONCAT && expr_arg(now, 1) &&
	    expr_arg(now, 1)->kind == EX_DYN)
		symtab_set(&x->locals, name, saved);
	else
		expr_free(saved);
	free(name);
}

/*
 * The blocks of if statement @n that binds no name, each narrowed by its
 * own test (narrow_start): if url.startswith("https://"): requests.get(url).
 */
static void walk_narrowed(struct xctx *x, TSNode n, void (*walk)(struct xctx *, TSNode))
{
	TSNode *kids, test = ts_field(n, "condition");
	struct expr *saved;
	size_t count, i;
	char *narrowed;

	if (x->depth >= XCTX_MAX_DEPTH)
		return;
	x->depth++;
	count = ts_named_children(n, &kids);
	for (i = 0; i < count; i++) {
		if (ts_is(kids[i], "elif_clause")) {
			test = ts_field(kids[i], "condition");
			walk(x, test);
			narrowed = narrow_start(x, test, &saved);
			walk(x, ts_field(kids[i], "consequence"));
			narrow_end(x, narrowed, saved);
		} else if (ts_is(kids[i], "block") && !ts_node_is_null(test)) {
			narrowed = narrow_start(x, test, &saved);
			walk(x, kids[i]);
			narrow_end(x, narrowed, saved);
		} else {
			walk(x, kids[i]);
		}
	}
	free(kids);
	x->depth--;
}

/*
 * An if statement in a function: each branch starts from the locals as
 * they were before it, and after it each name a branch binds holds what
 * the branches that fall through (and the path through no branch, without
 * an else) left there (merged_local): url = 'https://' + upload_host +
 * path in one branch and 'https://' + host + path in the other give port
 * 443 beside an unknown host, where straight-line reassignment kept the
 * last.
 */
void py_if(struct xctx *x, TSNode n, void (*walk)(struct xctx *, TSNode))
{
	struct if_names in = { .budget = MAX_IF_SCAN };
	struct branch *out = NULL;
	struct expr **before, *v, *saved, *tested;
	size_t count, nout = 0, cap = 0, i;
	TSNode *kids, body, none = { 0 }, test;
	int k, cond, taken = 0;
	char *narrowed;

	collect_bound(x, n, &in);
	if (in.over || !in.n) {
		for (k = 0; k < in.n; k++)
			free(in.name[k]);
		walk_narrowed(x, n, walk);
		return;
	}
	before = get_bound(x, &in);
	tested = branch_test(x, n);
	count = ts_named_children(n, &kids);
	/* the if's own condition, on Linux (on_linux): a false one's block is dead */
	cond = on_linux(x, ts_field(n, "condition"), 0);
	for (i = 0; i < count; i++) {
		body = kids[i];
		test = ts_field(n, "condition");
		if (ts_is(kids[i], "elif_clause") || ts_is(kids[i], "else_clause")) {
			/* each clause starts from the locals before the statement */
			set_bound(x, &in, before);
			test = ts_field(kids[i], "condition");
			walk(x, test);
			body = ts_field(kids[i], ts_is(kids[i], "else_clause") ? "body" : "consequence");
			taken |= cond == 1;
			cond = ts_is(kids[i], "else_clause") ? 1 : on_linux(x, test, 0);
		} else if (!ts_is(kids[i], "block")) {
			walk(x, kids[i]);	/* the condition, comments */
			continue;
		}
		narrowed = ts_node_is_null(test) ? NULL : narrow_start(x, test, &saved);
		walk(x, body);
		if (!block_ends(body) && !taken && cond != 0)
			keep_branch(x, &in, &out, &nout, &cap, body);
		narrow_end(x, narrowed, saved);
	}
	taken |= cond == 1;
	if ((!count || !ts_is(kids[count - 1], "else_clause")) && !taken) {
		set_bound(x, &in, before);
		keep_branch(x, &in, &out, &nout, &cap, none);
	}
	free(kids);
	/* every branch returns: what follows is dead code, walked as before */
	for (k = 0; k < in.n; k++) {
		v = nout ? merged_local(x, n, tested, out, nout, k, before[k], in.name[k]) :
			   expr_copy(before[k]);
		if (v)
			symtab_set(&x->locals, in.name[k], v);
		else
			symtab_del(&x->locals, in.name[k]);
	}
	for (i = 0; i < nout; i++)
		free_bound(out[i].vals, in.n);
	free(out);
	free_bound(before, in.n);
	expr_free(tested);
	for (k = 0; k < in.n; k++)
		free(in.name[k]);
}

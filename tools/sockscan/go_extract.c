// SPDX-License-Identifier: GPL-2.0
/*
 * Go extraction: from a file's syntax tree, its package name and imports,
 * its package-level constants, variables and function summaries, and the
 * calls that may open a socket.
 *
 * A call is recognised through the import it goes through, never through
 * its name alone: `stdnet.Listen` is net.Listen when the file imports
 * `stdnet "net"`, and a user type's Listen method is nothing unless its
 * receiver is known to be a value of a watched type.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "go_extract.h"
#include "rules.h"
#include "util.h"

static struct expr *go_expr(struct xctx *x, TSNode n);
static void go_walk(struct xctx *x, TSNode n);

/*
 * Decode a Go interpreted or raw string literal. The literal may hold NUL
 * bytes (`"\0"` is a syntax error, a raw NUL byte is not): the buffer is
 * sized by the literal, and the value ends at its first NUL as any C
 * string does.
 */
static struct expr *go_string(TSNode n, const char *src)
{
	struct expr *e;
	uint32_t a, b, i;
	char *o;

	ts_span(n, &a, &b);
	/* a MISSING or cut literal may lack its quotes */
	if (b - a < 2)
		return expr_str("");
	a++;
	b--;
	if (ts_is(n, "raw_string_literal"))
		return expr_strn(src + a, b - a);
	e = expr_new(EX_STR, NULL);
	e->s = xmalloc(b - a + 1);
	/* Only the escapes an address may hold; the rest keep their letter. */
	for (o = e->s, i = a; i < b; i++) {
		if (src[i] == '\\' && i + 1 < b) {
			i++;
			*o++ = src[i] == 'n' ? '\n' : src[i] == 't' ? '\t' : src[i];
			continue;
		}
		*o++ = src[i];
	}
	*o = '\0';
	return e;
}

static struct expr *dyn_of(struct xctx *x, TSNode n)
{
	char *t = ts_text_short(n, x->src, 80);
	struct expr *e = expr_dyn(t);

	free(t);
	return e;
}

/* The import a bare identifier names, unless a local variable hides it. */
static const struct import *go_import_of(struct xctx *x, TSNode ident)
{
	int i;

	if (!ts_is(ident, "identifier") && !ts_is(ident, "package_identifier"))
		return NULL;
	for (i = 0; i < x->f->nimports; i++) {
		const struct import *im = &x->f->imports[i];

		if (!ts_text_eq(ident, x->src, im->alias))
			continue;
		if (x->in_func) {
			char *name = ts_text(ident, x->src);
			int shadowed = symtab_find(&x->locals, name) != NULL;

			free(name);
			if (shadowed)
				return NULL;
		}
		return im;
	}
	return NULL;
}

/* Arguments of a call, as expressions (NULL-terminated count in *n). */
static size_t go_args(struct xctx *x, TSNode call, TSNode **nodes)
{
	TSNode args = ts_field(call, "arguments");

	if (ts_node_is_null(args)) {
		*nodes = NULL;
		return 0;
	}
	return ts_named_children(args, nodes);
}

static struct expr *go_arg_expr(struct xctx *x, TSNode *args, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? go_expr(x, args[i]) : NULL;
}

/*
 * The value of a call of rule @r that builds something (DIR_NONE or
 * .makes): an object of type r->makes carrying its address and network
 * (or driver), or, without .makes, the address argument itself.
 */
static struct expr *go_rule_value(struct xctx *x, const struct rule *r,
				  TSNode *args, size_t n)
{
	struct expr *addr = go_arg_expr(x, args, n, r->addr_arg);
	struct expr *net;

	if (!r->makes)
		return addr ? addr : expr_dyn(r->name);
	if (r->net_arg >= 0)
		net = go_arg_expr(x, args, n, r->net_arg);
	else
		net = r->app ? expr_str(r->app) : NULL;
	return expr_obj(r->makes, addr, net);
}

/* Calls of the helper packages the resolver understands (fmt, os...). */
static struct expr *go_helper_call(struct xctx *x, const char *fam,
				   const char *fn, TSNode *args, size_t n)
{
	struct expr *e;
	size_t i;

	if (!strcmp(fam, "fmt") && !strcmp(fn, "Sprintf")) {
		e = expr_new(EX_FORMAT, NULL);
		for (i = 0; i < n; i++)
			expr_add(e, go_expr(x, args[i]));
		return e;
	}
	if (!strcmp(fam, "net") && !strcmp(fn, "JoinHostPort") && n == 2) {
		return expr_pair(EX_JOIN, go_expr(x, args[0]), go_expr(x, args[1]));
	}
	if (!strcmp(fam, "os") && (!strcmp(fn, "Getenv") || !strcmp(fn, "LookupEnv")) && n == 1) {
		e = expr_new(EX_ENV, NULL);
		expr_add(e, go_expr(x, args[0]));
		return e;
	}
	if ((!strcmp(fam, "strconv") && (!strcmp(fn, "Itoa") || !strcmp(fn, "FormatInt")) && n >= 1) ||
	    (!strcmp(fam, "fmt") && !strcmp(fn, "Sprint") && n == 1)) {
		e = expr_new(EX_TOSTR, NULL);
		expr_add(e, go_expr(x, args[0]));
		return e;
	}
	if (!strcmp(fam, "flag") && n >= 2 && !str_has_suffix(fn, "Var")) {
		/* flag.String(name, default, usage) */
		e = expr_new(EX_FLAG, NULL);
		expr_add(e, go_expr(x, args[1]));
		return e;
	}
	return NULL;
}

/* flag.StringVar(&v, name, default, usage): v takes the flag's value. */
static void go_flag_var(struct xctx *x, TSNode *args, size_t n)
{
	TSNode target;
	struct expr *e;
	char *name;

	if (n < 3 || !ts_is(args[0], "unary_expression"))
		return;
	target = ts_field(args[0], "operand");
	if (!ts_is(target, "identifier"))
		return;
	e = expr_new(EX_FLAG, NULL);
	expr_add(e, go_expr(x, args[2]));
	name = ts_text(target, x->src);
	xctx_bind(x, name, e, 0);
	free(name);
}

/* A call through an import: pkg.Fn(args). */
static struct expr *go_pkg_call(struct xctx *x, const struct import *im,
				const char *fn, TSNode *args, size_t n)
{
	const struct rule *r;
	struct expr *e;
	size_t i;

	if (im->family) {
		e = go_helper_call(x, im->family, fn, args, n);
		if (e)
			return e;
		r = rule_func(go_rules, im->family, fn);
		if (r && (r->makes || r->dir == DIR_NONE))
			return go_rule_value(x, r, args, n);
		return NULL;
	}
	/* a package of the scanned module: its function may be a helper */
	e = expr_new(EX_CALL, fn);
	e->s2 = xstrdup(im->path);
	for (i = 0; i < n; i++)
		expr_add(e, go_expr(x, args[i]));
	return e;
}

/* recv.Method(args) in value position: only constructor methods matter. */
static struct expr *go_method_value(struct xctx *x, TSNode operand,
				    const char *fn, TSNode *args, size_t n)
{
	struct expr *recv = go_expr(x, operand);
	const struct rule *r = NULL;
	struct expr *e = NULL;

	if (recv->kind == EX_OBJ)
		r = rule_method(go_rules, recv->s, fn);
	if (r && r->makes)
		e = go_rule_value(x, r, args, n);
	expr_free(recv);
	return e;
}

static struct expr *go_call_expr(struct xctx *x, TSNode n)
{
	TSNode fn = ts_field(n, "function"), *args;
	size_t nargs = go_args(x, n, &args);
	struct expr *e = NULL;
	char *name = NULL;
	size_t i;

	if (ts_is(fn, "selector_expression")) {
		TSNode operand = ts_field(fn, "operand");
		const struct import *im = go_import_of(x, operand);

		name = ts_text(ts_field(fn, "field"), x->src);
		if (im)
			e = go_pkg_call(x, im, name, args, nargs);
		else
			e = go_method_value(x, operand, name, args, nargs);
	} else if (ts_is(fn, "identifier")) {
		struct expr *local;

		name = ts_text(fn, x->src);
		local = xctx_local(x, name);
		if (!local) {
			/* a function of this package: maybe a helper */
			e = expr_new(EX_CALL, name);
			for (i = 0; i < nargs; i++)
				expr_add(e, go_expr(x, args[i]));
		}
		expr_free(local);
	}
	free(name);
	free(args);
	return e ? e : dyn_of(x, n);
}

/* The composite rule for a qualified type node (pkg.Type), or NULL. */
static const struct composite *go_composite_type(struct xctx *x, TSNode type)
{
	const struct composite *c;
	const struct import *im;
	char *tname;

	if (!ts_is(type, "qualified_type"))
		return NULL;
	im = go_import_of(x, ts_field(type, "package"));
	if (!im || !im->family)
		return NULL;
	tname = ts_text(ts_field(type, "name"), x->src);
	c = go_composite(im->family, tname);
	free(tname);
	return c;
}

/* Key and value of a keyed element (Field: value) of a composite literal. */
static int keyed_pair(TSNode elem, TSNode *key, TSNode *val)
{
	if (!ts_is(elem, "keyed_element"))
		return 0;
	*key = ts_child(elem, 0);
	*val = ts_child(elem, 1);
	if (ts_is(*key, "literal_element"))
		*key = ts_child(*key, 0);
	if (ts_is(*val, "literal_element"))
		*val = ts_child(*val, 0);
	return 1;
}

/*
 * A value of composite type @c: an object with its address field, or an
 * address built from the fields. @body is the literal's field list (a null
 * node for a zero value: var lc net.ListenConfig).
 */
static struct expr *go_composite_value(struct xctx *x, const struct composite *c,
				       TSNode body)
{
	struct expr *addr = NULL, *port = NULL;
	TSNode *elems = NULL;
	size_t i, count = 0;

	if (!ts_node_is_null(body))
		count = ts_named_children(body, &elems);
	for (i = 0; i < count; i++) {
		TSNode key, val;

		if (!keyed_pair(elems[i], &key, &val))
			continue;
		/* a field given twice (a half-edited literal): the last one */
		if (c->addr_field && ts_text_eq(key, x->src, c->addr_field)) {
			expr_free(addr);
			addr = go_expr(x, val);
		} else if (c->port_field && ts_text_eq(key, x->src, c->port_field)) {
			expr_free(port);
			port = go_expr(x, val);
		}
	}
	free(elems);
	if (c->makes) {
		expr_free(port);
		return expr_obj(c->makes, addr, NULL);
	}
	if (!c->port_field)
		return addr ? addr : expr_str("");
	/* net.TCPAddr{IP, Port}: no IP means every interface */
	return expr_pair(EX_JOIN, addr ? addr : expr_str(""), port ? port : expr_int(0));
}

static void go_field_assign(struct xctx *x, TSNode field, TSNode value);

/* Type{field: value} of a type sockscan does not know: keep object fields. */
static void go_keyed_objects(struct xctx *x, TSNode body)
{
	TSNode *elems;
	size_t count = ts_named_children(body, &elems), i;

	for (i = 0; i < count; i++) {
		TSNode key, val;

		if (!keyed_pair(elems[i], &key, &val))
			continue;
		if (ts_is(key, "identifier") || ts_is(key, "field_identifier"))
			go_field_assign(x, key, val);
	}
	free(elems);
}

/* pkg.Type{Field: value} */
static struct expr *go_composite_expr(struct xctx *x, TSNode n)
{
	const struct composite *c = go_composite_type(x, ts_field(n, "type"));

	if (c)
		return go_composite_value(x, c, ts_field(n, "body"));
	go_keyed_objects(x, ts_field(n, "body"));
	return dyn_of(x, n);
}

static struct expr *go_selector_expr(struct xctx *x, TSNode n)
{
	const struct import *im = go_import_of(x, ts_field(n, "operand"));
	struct expr *e;
	char *field;

	if (!im)
		return dyn_of(x, n);
	field = ts_text(ts_field(n, "field"), x->src);
	if (im->family && !strcmp(im->family, "http") && !strcmp(field, "DefaultClient")) {
		free(field);
		return expr_obj("http.Client", NULL, NULL);
	}
	if (im->family) {
		free(field);
		return dyn_of(x, n);
	}
	e = expr_new(EX_QUAL, im->path);
	e->s2 = field;
	return e;
}

static struct expr *go_ident_expr(struct xctx *x, TSNode n)
{
	char *name = ts_text(n, x->src);
	struct expr *e = xctx_local(x, name);

	if (!e) {
		if (!strcmp(name, "nil") || !strcmp(name, "true") || !strcmp(name, "false"))
			e = expr_dyn(name);
		else
			e = expr_new(EX_IDENT, name);
	}
	free(name);
	return e;
}

static struct expr *go_binary_expr(struct xctx *x, TSNode n)
{
	if (!ts_text_eq(ts_field(n, "operator"), x->src, "+"))
		return dyn_of(x, n);
	return expr_pair(EX_CONCAT, go_expr(x, ts_field(n, "left")),
			 go_expr(x, ts_field(n, "right")));
}

static struct expr *go_expr_node(struct xctx *x, TSNode n);

/* Reduce an expression node to the expression language of expr.h. */
static struct expr *go_expr(struct xctx *x, TSNode n)
{
	return xctx_expr(x, n, go_expr_node);
}

static struct expr *go_expr_node(struct xctx *x, TSNode n)
{
	const char *t = ts_type(n);

	if (!strcmp(t, "interpreted_string_literal") || !strcmp(t, "raw_string_literal"))
		return go_string(n, x->src);
	if (!strcmp(t, "int_literal"))
		return xctx_int_literal(x, n);
	if (!strcmp(t, "identifier"))
		return go_ident_expr(x, n);
	if (!strcmp(t, "parenthesized_expression"))
		return go_expr(x, ts_child(n, 0));
	if (!strcmp(t, "unary_expression")) {
		TSNode op = ts_field(n, "operator");

		if (ts_text_eq(op, x->src, "&") || ts_text_eq(op, x->src, "*"))
			return go_expr(x, ts_field(n, "operand"));
		return dyn_of(x, n);
	}
	if (!strcmp(t, "binary_expression"))
		return go_binary_expr(x, n);
	if (!strcmp(t, "selector_expression"))
		return go_selector_expr(x, n);
	if (!strcmp(t, "call_expression"))
		return go_call_expr(x, n);
	if (!strcmp(t, "composite_literal"))
		return go_composite_expr(x, n);
	return dyn_of(x, n);
}

/* The receiver of a method call; x.field stands for ".field" (go_field_assign). */
static struct expr *go_receiver(struct xctx *x, TSNode operand)
{
	char *field, *name;
	struct expr *e;

	if (!ts_is(operand, "selector_expression") || go_import_of(x, ts_field(operand, "operand")))
		return go_expr(x, operand);
	field = ts_text(ts_field(operand, "field"), x->src);
	name = xasprintf(".%s", field);
	e = expr_new(EX_IDENT, name);
	free(field);
	free(name);
	return e;
}

/*
 * A call in statement or argument position: a site when it goes through
 * a rule's import, or a method call that may turn out to be one.
 */
static void go_call_site(struct xctx *x, TSNode n)
{
	TSNode fn = ts_field(n, "function"), operand, *args;
	const struct import *im;
	const struct rule *r = NULL;
	struct site *s;
	char *name;
	size_t nargs, i;

	if (!ts_is(fn, "selector_expression"))
		return;
	operand = ts_field(fn, "operand");
	im = go_import_of(x, operand);
	name = ts_text(ts_field(fn, "field"), x->src);
	nargs = go_args(x, n, &args);
	if (im && im->family && !strcmp(im->family, "flag") && str_has_suffix(name, "Var"))
		go_flag_var(x, args, nargs);
	if (im && im->family)
		r = rule_func(go_rules, im->family, name);
	if ((r && r->dir != DIR_NONE) || (!im && rule_is_method_name(go_rules, name))) {
		s = site_new(x, n);
		s->rule = r;
		if (!r) {
			s->method = name;
			name = NULL;
			s->recv = go_receiver(x, operand);
		}
		for (i = 0; i < nargs; i++)
			site_add_arg(s, go_expr(x, args[i]), NULL,
				     ts_text_short(args[i], x->src, 120));
	}
	free(name);
	free(args);
}

/*
 * x.field = value, or Type{field: value}, where value is an object of a
 * watched type (an *http.Server, a *grpc.Server...): the object is kept
 * as the package-level name ".field", whatever the struct, so that a
 * method called on any x.field finds its type. Field names, not struct
 * instances: precise enough for the servers and clients a service holds.
 */
static void go_field_assign(struct xctx *x, TSNode field, TSNode value)
{
	struct expr *e = go_expr(x, value);
	char *name;

	if (e->kind != EX_OBJ) {
		expr_free(e);
		return;
	}
	name = ts_text(field, x->src);
	name = xrealloc(name, strlen(name) + 2);
	memmove(name + 1, name, strlen(name) + 1);
	name[0] = '.';
	symtab_set(&x->f->syms, name, e);
	free(name);
}

/* Bind the identifiers of @left to the values of @right. */
static void go_assign(struct xctx *x, TSNode left, TSNode right, int declare)
{
	TSNode *l, *r;
	size_t nl = ts_named_children(left, &l), nr = ts_named_children(right, &r), i;

	for (i = 0; i < nl; i++) {
		char *name;

		if (ts_is(l[i], "selector_expression") && (i < nr || (i == 0 && nr == 1))) {
			go_field_assign(x, ts_field(l[i], "field"), r[nr == nl ? i : 0]);
			continue;
		}
		if (!ts_is(l[i], "identifier"))
			continue;
		/* v, err := f(): the first name takes the call's value */
		if (i >= nr && !(i == 0 && nr == 1))
			continue;
		name = ts_text(l[i], x->src);
		if (strcmp(name, "_"))
			xctx_bind(x, name, go_expr(x, r[nr == nl ? i : 0]), declare);
		free(name);
	}
	free(l);
	free(r);
}

/* var x T = v / const x = v, at top level or in a function. */
static void go_spec(struct xctx *x, TSNode spec)
{
	TSNode type = ts_field(spec, "type"), value = ts_field(spec, "value");
	TSNode *kids, *vals = NULL;
	size_t n = ts_named_children(spec, &kids), nv = 0, i, k = 0;

	if (!ts_node_is_null(value))
		nv = ts_named_children(value, &vals);
	for (i = 0; i < n; i++) {
		struct expr *e = NULL;
		char *name;

		if (!ts_is(kids[i], "identifier"))
			continue;
		if (k < nv)
			e = go_expr(x, vals[k]);
		else if (!nv && go_composite_type(x, type))	/* zero value */
			e = go_composite_value(x, go_composite_type(x, type), (TSNode){ 0 });
		k++;
		/* a local without a value is still a local: it hides package names */
		if (!e && !x->in_func)
			continue;
		name = ts_text(kids[i], x->src);
		xctx_bind(x, name, e ? e : expr_dyn(name), 1);
		free(name);
	}
	free(kids);
	free(vals);
}

static void go_walk_children(struct xctx *x, TSNode n)
{
	xctx_walk_children(x, n, go_walk);
}

static void go_return(struct xctx *x, TSNode n)
{
	TSNode list = ts_child(n, 0);

	go_walk_children(x, n);
	if (ts_is(list, "expression_list"))
		list = ts_child(list, 0);
	if (!ts_node_is_null(list))
		xctx_return(x, go_expr(x, list));
}

/* Walk statements and expressions in source order, keeping locals current. */
static void go_walk(struct xctx *x, TSNode n)
{
	const char *t = ts_type(n);

	if (ts_node_is_null(n))
		return;
	if (!strcmp(t, "short_var_declaration") || !strcmp(t, "assignment_statement")) {
		go_walk(x, ts_field(n, "right"));
		if (strcmp(t, "assignment_statement") ||
		    ts_text_eq(ts_field(n, "operator"), x->src, "="))
			go_assign(x, ts_field(n, "left"), ts_field(n, "right"),
				  t[0] == 's');
		return;
	}
	if (!strcmp(t, "var_spec") || !strcmp(t, "const_spec")) {
		go_walk_children(x, n);
		go_spec(x, n);
		return;
	}
	if (!strcmp(t, "return_statement")) {
		go_return(x, n);
		return;
	}
	if (!strcmp(t, "call_expression"))
		go_call_site(x, n);
	if (!strcmp(t, "block") && ts_is(ts_parent(n), "if_statement")) {
		x->cond_depth++;
		go_walk_children(x, n);
		x->cond_depth--;
		return;
	}
	go_walk_children(x, n);
}

static int go_params(struct xctx *x, TSNode fn, char ***out)
{
	TSNode params = ts_field(fn, "parameters"), *decls;
	size_t nd = ts_named_children(params, &decls), i;
	char **names = NULL;
	size_t n = 0, cap = 0;

	for (i = 0; i < nd; i++) {
		TSNode *kids;
		size_t nk = ts_named_children(decls[i], &kids), k;

		for (k = 0; k < nk; k++) {
			if (!ts_is(kids[k], "identifier"))
				continue;
			grow((void **)&names, &cap, n + 1, sizeof(*names));
			names[n++] = ts_text(kids[k], x->src);
		}
		free(kids);
	}
	free(decls);
	*out = names;
	return n;
}

static void go_function(struct xctx *x, TSNode fn, int summarise)
{
	char **params, *name = NULL;
	int n = go_params(x, fn, &params), i;
	TSNode body = ts_field(fn, "body");

	xctx_enter_func(x, params, n);
	/* a method's receiver is a variable of unknown value, like any other */
	if (!summarise) {
		TSNode recv = ts_field(fn, "receiver"), *decls;
		size_t nd = ts_named_children(recv, &decls);

		if (nd) {
			TSNode rn = ts_field(decls[0], "name");

			if (!ts_node_is_null(rn)) {
				char *rname = ts_text(rn, x->src);

				xctx_bind(x, rname, expr_dyn(rname), 1);
				free(rname);
			}
		}
		free(decls);
	}
	if (!ts_node_is_null(body))
		go_walk(x, body);
	if (summarise)
		name = ts_text(ts_field(fn, "name"), x->src);
	xctx_leave_func(x, name, n);
	free(name);
	for (i = 0; i < n; i++)
		free(params[i]);
	free(params);
}

/*
 * type T struct { srv *http.Server }: a field of a watched type holds a
 * zero object of that type until an assignment says more, so that
 * t.srv.ListenAndServe() is found (see go_field_assign).
 */
static void go_struct_fields(struct xctx *x, TSNode decl)
{
	TSNode *specs;
	size_t ns = ts_named_children(decl, &specs), i;

	for (i = 0; i < ns; i++) {
		TSNode list = ts_child(ts_field(specs[i], "type"), 0), *fields;
		size_t nf, k;

		if (!ts_is(ts_field(specs[i], "type"), "struct_type"))
			continue;
		nf = ts_named_children(list, &fields);
		for (k = 0; k < nf; k++) {
			TSNode type = ts_field(fields[k], "type");
			const struct composite *c;
			char *name, *key;

			if (ts_is(type, "pointer_type"))
				type = ts_child(type, 0);
			c = go_composite_type(x, type);
			if (!c || !c->makes || ts_node_is_null(ts_field(fields[k], "name")))
				continue;
			name = ts_text(ts_field(fields[k], "name"), x->src);
			key = xasprintf(".%s", name);
			/* an assignment seen earlier knows more than the type */
			if (!symtab_find(&x->f->syms, key))
				symtab_set(&x->f->syms, key, expr_obj(c->makes, NULL, NULL));
			free(key);
			free(name);
		}
		free(fields);
	}
	free(specs);
}

void go_extract(struct srcfile *f, const char *src, TSNode root)
{
	struct xctx x = { .f = f, .src = src };
	TSNode *decls;
	size_t n = ts_named_children(root, &decls), i;

	for (i = 0; i < n; i++) {
		const char *t = ts_type(decls[i]);

		if (!strcmp(t, "function_declaration"))
			go_function(&x, decls[i], 1);
		else if (!strcmp(t, "method_declaration"))
			go_function(&x, decls[i], 0);
		else if (!strcmp(t, "const_declaration") || !strcmp(t, "var_declaration"))
			go_walk(&x, decls[i]);
		else if (!strcmp(t, "type_declaration"))
			go_struct_fields(&x, decls[i]);
	}
	free(decls);
	free(x.rets);
}

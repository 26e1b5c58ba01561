// SPDX-License-Identifier: GPL-2.0
/* Extraction steps shared by Go and Python (see extract.h). */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "util.h"

struct site *site_new(struct xctx *x, TSNode call)
{
	struct site *s = xcalloc(1, sizeof(*s));
	TSPoint p = ts_node_start_point(call);

	struct srcfile *f = x->f;

	s->line = f->line_base + p.row + 1;
	s->col = p.column + 1;
	/* find the end once per file, then append in constant time */
	if (!f->sites_tail)
		for (f->sites_tail = &f->sites; *f->sites_tail;
		     f->sites_tail = &(*f->sites_tail)->next)
			;
	*f->sites_tail = s;
	f->sites_tail = &s->next;
	return s;
}

void site_add_arg(struct site *s, struct expr *e, const char *kw, char *text)
{
	size_t n = s->nargs + 1;

	s->args = xrealloc(s->args, n * sizeof(*s->args));
	s->kw = xrealloc(s->kw, n * sizeof(*s->kw));
	s->text = xrealloc(s->text, n * sizeof(*s->text));
	s->args[s->nargs] = e;
	s->kw[s->nargs] = kw ? xstrdup(kw) : NULL;
	s->text[s->nargs] = text;
	s->nargs++;
}

int own_params_get(const struct symtab *t, const char *name)
{
	char *key = xasprintf(ARGSKIP "%s", name);
	const struct expr *e = symtab_get(t, key);

	free(key);
	return e && e->kind == EX_INT ? (int)e->n : 0;
}

void site_free(struct site *s)
{
	int i;

	for (i = 0; i < s->nargs; i++) {
		expr_free(s->args[i]);
		free(s->kw[i]);
		free(s->text[i]);
	}
	free(s->args);
	free(s->kw);
	free(s->text);
	free(s->method);
	free(s->recv_name);
	free(s->qual);
	free(s->splat_map);
	expr_free(s->recv);
	free(s);
}

struct expr *xctx_local(struct xctx *x, const char *name)
{
	struct sym *s;

	if (!x->in_func)
		return NULL;
	s = symtab_find(&x->locals, name);
	return s ? expr_copy(s->value) : NULL;
}

static int is_env_without_fallback(const struct expr *e)
{
	return e && e->kind == EX_ENV && !expr_arg(e, 1);
}

void xctx_bind(struct xctx *x, const char *name, struct expr *value, int declare)
{
	struct symtab *t = &x->f->syms;
	struct expr *old;

	if (value && expr_size(value, XCTX_MAX_VALUE_NODES) > XCTX_MAX_VALUE_NODES) {
		expr_free(value);
		value = expr_dyn(name);
	}

	if (x->in_func && (declare || symtab_find(&x->locals, name)))
		t = &x->locals;
	old = symtab_get(t, name);
	if (x->cond_depth > 0 && is_env_without_fallback(old) && value &&
	    value->kind != EX_ENV) {
		if (old->nargs < 2)
			expr_add(old, value);
		else
			old->a[1] = value;
		return;
	}
	symtab_set(t, name, value ? value : expr_dyn(name));
}

void xctx_return(struct xctx *x, struct expr *value)
{
	/* `return` outside a function (a syntax error) summarises nothing */
	if (!x->in_func) {
		expr_free(value);
		return;
	}
	grow((void **)&x->rets, &x->caprets, x->nrets + 1, sizeof(*x->rets));
	x->rets[x->nrets++] = value ? value : expr_dyn("return");
}

struct expr *xctx_int_literal(struct xctx *x, TSNode n)
{
	char *s = ts_text(n, x->src);
	struct expr *e = expr_int(strtol(s, NULL, 0));

	free(s);
	return e;
}

struct expr *xctx_expr(struct xctx *x, TSNode n,
		       struct expr *(*reduce)(struct xctx *, TSNode))
{
	struct expr *e;

	if (ts_node_is_null(n))
		return expr_dyn("?");
	if (x->depth >= XCTX_MAX_DEPTH)
		return expr_dyn("expression nested too deep");
	x->depth++;
	e = reduce(x, n);
	x->depth--;
	return e;
}

void xctx_walk_children(struct xctx *x, TSNode n, void (*walk)(struct xctx *, TSNode))
{
	TSNode *kids;
	size_t count, i;

	if (x->depth >= XCTX_MAX_DEPTH)
		return;
	x->depth++;
	count = ts_named_children(n, &kids);
	for (i = 0; i < count; i++)
		walk(x, kids[i]);
	free(kids);
	x->depth--;
}

void xctx_enter_func(struct xctx *x, char **params, int nparams)
{
	int i;

	symtab_init(&x->locals);
	x->in_func = 1;
	x->scope = ++x->f->nscopes;
	x->cond_depth = 0;
	for (i = 0; i < nparams; i++) {
		struct expr *p = expr_new(EX_PARAM, NULL);

		p->n = i;
		symtab_set(&x->locals, params[i], p);
	}
}

/*
 * What a call of the function evaluates to: its one return value, or,
 * for the "environment variable or default" helper, the variable with the
 * other return as its fallback. Anything else is not summarised (a call
 * then stays dynamic).
 */
/*
 * Is return value @e one an object's attribute holds (return
 * self.urlopener), which a getter hands back in place of the object it
 * otherwise makes?
 */
static int is_held_attr(const struct expr *e)
{
	return e && e->kind == EX_IDENT && e->s &&
	       (!strncmp(e->s, "self.", 5) || strstr(e->s, ".self."));
}

/*
 * Python: every return an object of one type (return ctx.wrap_socket(s)
 * in one branch, return s in the other), or an attribute the object may
 * be cached in (return build_opener() if self.urlopener is None, else
 * return self.urlopener): the first object.
 */
static struct expr *same_object(struct xctx *x)
{
	const struct expr *obj = NULL;
	size_t i;

	for (i = 0; i < x->nrets; i++) {
		const struct expr *e = x->rets[i];

		if (is_held_attr(e))
			continue;
		if (!e || e->kind != EX_OBJ || !e->s || (obj && strcmp(e->s, obj->s)))
			return NULL;
		if (!obj)
			obj = e;
	}
	return obj ? expr_copy(obj) : NULL;
}

static struct expr *summarise(struct xctx *x)
{
	struct expr *env = NULL, *other = NULL;
	size_t i, nother = 0;

	if (x->nrets == 1)
		return expr_copy(x->rets[0]);
	for (i = 0; i < x->nrets; i++) {
		if (!env && is_env_without_fallback(x->rets[i])) {
			env = x->rets[i];
			continue;
		}
		other = x->rets[i];
		nother++;
	}
	if (env && nother == 1) {
		struct expr *e = expr_copy(env);

		expr_add(e, expr_copy(other));
		return e;
	}
	return x->f->lang == LANG_PY ? same_object(x) : NULL;
}

void xctx_leave_func(struct xctx *x, const char *name, int nparams)
{
	struct expr *sum = name ? summarise(x) : NULL;
	size_t i;

	if (sum && sum->kind != EX_DYN) {
		symtab_set(&x->f->funcs, name, sum);
		symtab_find(&x->f->funcs, name)->nparams = nparams;
	} else {
		expr_free(sum);
	}
	for (i = 0; i < x->nrets; i++)
		expr_free(x->rets[i]);
	x->nrets = 0;
	symtab_clear(&x->locals);
	x->in_func = 0;
	x->scope = 0;
	x->cond_depth = 0;
}

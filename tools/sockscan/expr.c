// SPDX-License-Identifier: GPL-2.0
/* Construction, copying and release of expression trees (see expr.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "util.h"

struct expr *expr_new(enum expr_kind kind, const char *s)
{
	struct expr *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	e->s = s ? xstrdup(s) : NULL;
	return e;
}

struct expr *expr_str(const char *s)
{
	return expr_new(EX_STR, s);
}

struct expr *expr_strn(const char *s, size_t len)
{
	struct expr *e = expr_new(EX_STR, NULL);

	e->s = xstrndup(s, len);
	return e;
}

struct expr *expr_int(long n)
{
	struct expr *e = expr_new(EX_INT, NULL);

	e->n = n;
	return e;
}

struct expr *expr_dyn(const char *text)
{
	return expr_new(EX_DYN, text);
}

struct expr *expr_none(void)
{
	struct expr *e = expr_new(EX_DYN, "None");

	e->n = 1;
	return e;
}

struct expr *expr_default(struct expr *value, int how)
{
	struct expr *e = expr_new(EX_DEFAULT, NULL);

	e->n = how;
	expr_add(e, value);
	return e;
}

struct expr *expr_obj(const char *type, struct expr *addr, struct expr *net)
{
	struct expr *e = expr_new(EX_OBJ, type);

	expr_add(e, addr);
	expr_add(e, net);
	return e;
}

struct expr *expr_socket(const struct expr *fam, const struct expr *type)
{
	struct expr *e;

	if (fam && fam->kind == EX_STR && (!strcmp(fam->s, "unix") || !strcmp(fam->s, NON_IP)))
		return expr_obj("socket.socket", NULL, expr_str(fam->s));
	e = expr_obj("socket.socket", NULL, type ? expr_copy(type) : expr_str("tcp"));
	if (fam && fam->kind != EX_STR)
		expr_add(e, expr_copy(fam));
	return e;
}

static int is_socket_of(const struct expr *e, int unix_)
{
	const struct expr *net = e ? expr_arg(e, 1) : NULL;

	if (!e || e->kind != EX_OBJ || !e->s || strcmp(e->s, "socket.socket") ||
	    !net || net->kind != EX_STR)
		return 0;
	return unix_ ? !strcmp(net->s, "unix") :
		       !strcmp(net->s, "tcp") || !strcmp(net->s, "udp");
}

struct expr *expr_socket_either(const struct expr *a, const struct expr *b)
{
	const struct expr *ip = is_socket_of(a, 0) ? a : is_socket_of(b, 0) ? b : NULL;
	struct expr *e;

	if (!ip || !is_socket_of(ip == a ? b : a, 1))
		return NULL;
	e = expr_copy(ip);
	if (e->nargs < 3)
		expr_add(e, NULL);
	if (e->nargs < 4)
		expr_add(e, expr_str("unix"));
	return e;
}

struct expr *expr_pair(enum expr_kind kind, struct expr *a, struct expr *b)
{
	struct expr *e = expr_new(kind, NULL);

	expr_add(e, a);
	expr_add(e, b);
	return e;
}

void expr_add(struct expr *e, struct expr *child)
{
	e->a = xrealloc(e->a, (e->nargs + 1) * sizeof(*e->a));
	e->a[e->nargs++] = child;
}

struct expr *expr_arg(const struct expr *e, int i)
{
	return e && i >= 0 && i < e->nargs ? e->a[i] : NULL;
}

static struct expr *copy_with(const struct expr *e, struct expr *const *args,
			      int nargs, int subst)
{
	struct expr *c;
	int i;

	if (!e)
		return NULL;
	if (subst && e->kind == EX_PARAM) {
		if (e->n >= 0 && e->n < nargs && args[e->n])
			return expr_copy(args[e->n]);
		return expr_dyn("<missing argument>");
	}
	c = expr_new(e->kind, e->s);
	c->s2 = e->s2 ? xstrdup(e->s2) : NULL;
	c->n = e->n;
	for (i = 0; i < e->nargs; i++)
		expr_add(c, copy_with(e->a[i], args, nargs, subst));
	return c;
}

struct expr *expr_copy(const struct expr *e)
{
	return copy_with(e, NULL, 0, 0);
}

static int str_equal(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

int expr_equal(const struct expr *a, const struct expr *b)
{
	int i;

	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->n != b->n || a->nargs != b->nargs ||
	    !str_equal(a->s, b->s) || !str_equal(a->s2, b->s2))
		return 0;
	for (i = 0; i < a->nargs; i++)
		if (!expr_equal(a->a[i], b->a[i]))
			return 0;
	return 1;
}

struct expr *expr_subst(const struct expr *e, struct expr *const *args, int nargs)
{
	return copy_with(e, args, nargs, 1);
}

void expr_free(struct expr *e)
{
	int i;

	if (!e)
		return;
	for (i = 0; i < e->nargs; i++)
		expr_free(e->a[i]);
	free(e->a);
	free(e->s);
	free(e->s2);
	free(e);
}

size_t expr_size(const struct expr *e, size_t limit)
{
	size_t n = 1;
	int i;

	if (!e)
		return 0;
	for (i = 0; i < e->nargs && n <= limit; i++)
		n += expr_size(e->a[i], limit);
	return n;
}

char *pyformat_printf(const char *fmt, char ***fields, int *nfields)
{
	char *out = NULL, *field;
	const char *p, *close;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	*fields = NULL;
	*nfields = 0;
	for (p = fmt; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			fputc(*p++, m);
			continue;
		}
		if (*p == '%') {
			fputs("%%", m);
			continue;
		}
		if (*p != '{') {
			fputc(*p, m);
			continue;
		}
		close = strchr(p, '}');
		if (!close)
			break;
		field = xstrndup(p + 1, close - p - 1);
		field[strcspn(field, "!:")] = '\0';
		*fields = xrealloc(*fields, (*nfields + 1) * sizeof(**fields));
		(*fields)[(*nfields)++] = field;
		fputs("%s", m);
		p = close;
	}
	fclose(m);
	if (*p) {
		pyformat_free(*fields, *nfields);
		*fields = NULL;
		*nfields = 0;
		free(out);
		return NULL;
	}
	return out;
}

void pyformat_free(char **fields, int nfields)
{
	while (nfields > 0)
		free(fields[--nfields]);
	free(fields);
}

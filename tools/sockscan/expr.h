/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The small expression language sockscan reduces source expressions to.
 *
 * Extraction (go_extract.c, py_extract.c) turns the syntax tree of an
 * address argument into an expression of this form while the tree is
 * alive; resolution (resolve.c) evaluates it later, once the symbols of
 * every file are known. The trees can then be freed as soon as a file is
 * extracted, and Go and Python share one evaluator.
 */
#ifndef SOCKSCAN_EXPR_H
#define SOCKSCAN_EXPR_H

#include <stddef.h>

enum expr_kind {
	EX_STR,		/* string literal: s */
	EX_INT,		/* integer literal: n */
	EX_IDENT,	/* package- or module-level name: s */
	EX_QUAL,	/* name in another package or module: s = its path, s2 = name */
	EX_CONCAT,	/* a[0] + a[1] */
	EX_FORMAT,	/* printf-style formatting: a[0] = format, a[1..] = arguments */
	EX_JOIN,	/* "host:port" from a[0] = host, a[1] = port; n = 1: a[1] is a
			   default that a host naming its own port (a URL, "h:1") overrides */
	EX_ENV,		/* environment variable: a[0] = name, a[1] = fallback or NULL */
	EX_FLAG,	/* command-line flag: s = flag name, a[0] = default */
	EX_CALL,	/* call of a user function: s = name (s2 = its package path), a[] = args;
			   Python: n = 1 when it passes keyword arguments too (not all in a[]) */
	EX_PARAM,	/* parameter n of a function; Python: s = its key ("f", "C.m"), s2 = its name;
			   n = -1: key s2 of its **kwargs, passed by keyword, a[0] = its default */
	EX_TOSTR,	/* number to string (strconv.Itoa, str()): a[0] */
	EX_OBJ,		/* value of a watched type: s = type key, a[0] = address, a[1] = network or socket type;
			   socket.socket: a[2] = a family not known where it was made (expr_socket),
			   a[3] = "unix" when another branch made it a unix socket (expr_socket_either) */
	EX_DEFAULT,	/* a[0], obtained as resolution n (a framework default...) */
	EX_DYN,		/* not knowable statically: s = what is unknown; n = 1: Python's None;
			   Python: s2 = a configuration key path whose written-out default
			   it takes (conf.server.port: "server.port"), as EX_IDENT's and EX_ATTR's s2 */
	EX_KWARG,	/* keyword argument of a recorded call: s = keyword, a[0] = value */
	EX_MCALL,	/* Python: function s of the module a[0] holds (a parameter), arguments a[1..] */
	EX_CHOICE,	/* one of a[0..], chosen at run time ({k: a, k2: b}[key]); s OR_DEFAULT:
			   a[0] when known, else the default a[1] (opt.port or 1982) */
	EX_ATTR,	/* Python: attribute s of a[0], a parameter or a call (client.session);
			   held as a bound method (py_bound_assign): n = the function's scope */
	EX_URLPART,	/* Python: urlsplit(a[0]) (s NULL), or its part s ("hostname", "port",
			   "netloc"); a port's a[1]: what stands when the URL gives none (p.port or 80) */
	EX_SLICE,	/* Python: a[0][n:], text from its n-th character (url[len("unix://"):]);
			   s "abspath": os.path.abspath(a[0]), known when a[0] is absolute;
			   s "strip", "lstrip", "rstrip": a[0].strip(a[1]), a[1] NULL: whitespace */
	EX_INDEX,	/* Python: a[0][n], n 0 or 1, of a (host, port) pair (bind[0], bind[1]);
			   with s, part n of a[0].split(s) into two (host, port = b.split(":")) */
	EX_TEST,	/* Python: an if statement's test of a[0]: s "truth", "not", "in" and
			   "not in" (a[1] the literal looked for), "is none", "is not none" */
};

/*
 * One node of an expression. Strings and children are owned by the node;
 * expr_free() releases the whole tree.
 */
struct expr {
	enum expr_kind kind;
	char *s;
	char *s2;
	long n;
	int nargs;
	struct expr **a;
};

struct expr *expr_new(enum expr_kind kind, const char *s);
struct expr *expr_str(const char *s);
struct expr *expr_strn(const char *s, size_t len);
struct expr *expr_int(long n);
struct expr *expr_dyn(const char *text);
/* Python's None held by a name (no address, but not an unknown one). */
struct expr *expr_none(void);
/* EX_DEFAULT: @value (taken), as certain as resolution @how (enum resolution). */
struct expr *expr_default(struct expr *value, int how);
struct expr *expr_obj(const char *type, struct expr *addr, struct expr *net);
/*
 * Python's socket.socket(family, type) (copies of both, NULL if absent):
 * AF_UNIX makes it a unix socket, AF_NETLINK and the like NON_IP, else its
 * type, else TCP. A family not
 * known here (a class attribute a subclass sets) is kept, for the finding.
 */
struct expr *expr_socket(const struct expr *fam, const struct expr *type);
/*
 * if tcp: s = socket(AF_INET) else: s = socket(AF_UNIX): what @a and @b,
 * made in two branches, leave in s when one is a unix socket and the other
 * an IP one (the IP one, marked; the address at each call tells them
 * apart), or NULL when they are not such a pair.
 */
struct expr *expr_socket_either(const struct expr *a, const struct expr *b);
/* A node of @kind with the two children @a and @b (CONCAT, JOIN). */
struct expr *expr_pair(enum expr_kind kind, struct expr *a, struct expr *b);
/* Append @child (may be NULL, kept as an absent argument). */
void expr_add(struct expr *e, struct expr *child);
struct expr *expr_copy(const struct expr *e);
/* Are @a and @b the same expression, node for node (NULL equals NULL)? */
int expr_equal(const struct expr *a, const struct expr *b);
/* Copy of @e with every EX_PARAM replaced by a copy of args[n]. */
struct expr *expr_subst(const struct expr *e, struct expr *const *args, int nargs);
void expr_free(struct expr *e);
/* Node count of @e, counting no further than just past @limit. */
size_t expr_size(const struct expr *e, size_t limit);
struct expr *expr_arg(const struct expr *e, int i);

/*
 * Python's str.format string @fmt as a printf-style format, one %s per
 * replacement field ("{{" and "}}" are braces, '%' is doubled), and the
 * fields' names in order in *@fields ("" the next positional argument,
 * "0", "host"; conversions and format specs dropped). NULL when a field
 * is not closed. pyformat_free() frees the names.
 */
char *pyformat_printf(const char *fmt, char ***fields, int *nfields);
void pyformat_free(char **fields, int nfields);
/* The printf-style format EX_FORMAT of a str.format on a format known later has as s. */
#define PYFORMAT "str.format"

/* The network of a socket of a family neither IP nor unix (AF_NETLINK): no finding. */
#define NON_IP "non-ip"

/* s of the EX_CHOICE of `option or default`. */
#define OR_DEFAULT "or"

/*
 * s of the EX_CHOICE an if/else leaves in a name: a[0] its test (EX_TEST),
 * a[1] the value of the if branch, a[2] of the other path; the test
 * decides where the resolver knows what it tests (an option's default).
 */
#define IF_CHOICE "if"

/*
 * Keyword of the EX_KWARG that stands for a *args or **kwargs argument.
 * When it passes on the calling function's own *args (def f(self, *args,
 * **kwargs): g(*args, **kwargs)), a[0] is that parameter (EX_PARAM) and n
 * the position in the call where the splat begins: what f's callers pass
 * from there is what g gets (resolve.c, forwarded_param).
 */
#define SPLAT_ARG "*"

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockscan's data model: the files it reads, the packages they form, the
 * calls that may open a socket (sites) and what each one resolves to
 * (findings). Every module includes this header.
 */
#ifndef SOCKSCAN_H
#define SOCKSCAN_H

#include <stddef.h>

#include "expr.h"
#include "symtab.h"

enum lang { LANG_GO, LANG_PY };
/* DIR_NONE: a rule that only builds a value (a constructor), no socket. */
enum direction { DIR_INGRESS, DIR_EGRESS, DIR_NONE };

/*
 * How a value was obtained, from the most to the least certain. A value
 * built from several parts takes the least certain of them, so the order
 * matters: resolve.c combines with max().
 */
enum resolution {
	RES_LITERAL,		/* written in the call */
	RES_CONSTANT,		/* through a constant, variable or helper */
	RES_PROTOCOL_DEFAULT,	/* port implied by a URL scheme or driver */
	RES_FRAMEWORK_DEFAULT,	/* address a framework uses when given none */
	RES_FLAG_DEFAULT,	/* default of a command-line flag */
	RES_ENV_DEFAULT,	/* fallback of an environment variable */
	RES_DYNAMIC,		/* not knowable statically */
};

const char *resolution_name(enum resolution r);
const char *direction_name(enum direction d);

/* One import of a source file: local name -> import path. */
struct import {
	char *alias;		/* name the file uses ("stdnet", "http") */
	char *path;		/* "net", "net/http", "github.com/gin-gonic/gin" */
	const char *family;	/* watched family (rules.h) or NULL */
	int fallback;		/* Python: bound in an except clause, a try's alternative */
	int hidden;		/* Python: the module defines a class or function of that name */
};

struct rule;

/*
 * A call that may open a socket, with its arguments reduced to expressions.
 * Package-function calls are matched to their rule at extraction; method
 * calls only once the receiver's type is known, after every file is
 * extracted, so they keep the method name and the receiver until then.
 */
struct site {
	int line, col;			/* 1-based */
	const struct rule *rule;	/* NULL: method call not matched yet */
	char *method;			/* method name of an unmatched call */
	struct expr *recv;		/* receiver of a method call */
	int nargs;
	struct expr **args;
	char **kw;			/* keyword of each argument (Python) or NULL */
	char **text;			/* source text of each argument */
	char *qual;			/* Python: a call through a module of the tree, matched later */
	char *recv_name;		/* Python: receiver's name ("s", "self.sock") or NULL */
	int scope;			/* Python: function it is in (0: module or self.*) */
	/*
	 * Python: a bind beside a connect on the same name in its function, a
	 * client's source address unless the receiver turns out to be a
	 * ZeroMQ socket (which binds and connects endpoints of its own)
	 */
	int beside_connect;
	/*
	 * Python: the qualified name of a **mapping argument held by a module
	 * or class of the tree (**settings.REDIS_CONNECTION), read later
	 * (finding.c splat_known_empty), or NULL
	 */
	char *splat_map;
	/*
	 * Python: the receiver's type that the call itself shows, for when
	 * the receiver resolves to nothing (app.run(use_reloader=False) is
	 * werkzeug's, whatever app is), or NULL; a static string
	 */
	const char *recv_hint;
	struct site *next;
};

/*
 * Python: class C(HTTPServer) whose __init__(self, path, *args) takes
 * parameters of its own before its base's is known by "argskip:C" ->
 * their count (py_extract.c class_alias): C(path, addr) gives the base
 * addr. own_params_get() reads it from @t, 0 when absent (extract.c).
 */
#define ARGSKIP "argskip:"

/*
 * Python: the callee key of a method called on an object whose class is
 * not known ("*._request"), and the record of which class of a module
 * defines a method ("methdef:_request" -> "C"); resolve.c joins them.
 */
#define ANY_CLASS "*."
#define METHDEF "methdef:"
int own_params_get(const struct symtab *t, const char *name);

struct pkg;

/* A source file found by the walk. */
struct srcfile {
	char *path;		/* as reported: relative to the scanned root */
	char *fullpath;		/* as opened */
	enum lang lang;
	size_t size;
	char *pkgname;		/* Go package clause */
	struct import *imports;
	int nimports;
	int watched;		/* imports a package sockscan has rules for */
	int parsed;		/* parsed in full and extracted */
	struct symtab syms;	/* constants and variables, until merged */
	struct symtab funcs;	/* function summaries, until merged */
	/* Python: "scope name use" -> where a name is first used so (recv, serve, close) */
	struct symtab uses;
	/*
	 * Python: import path -> what it names outside the tree, and ARGSKIP
	 * of an imported subclass (py_tree_imports.c)
	 */
	struct symtab reexports;
	struct site *sites;
	struct site **sites_tail;	/* &last->next, or NULL: not known yet */
	int line_base;		/* lines before the part being extracted (parse.c) */
	int nscopes;		/* functions extracted so far (site scopes) */
	char *error;		/* why it could not be read or parsed */
	int error_line;
	int unreadable;		/* error is a read failure, not syntax */
	int binary;		/* not text (NUL bytes...): skipped, error says so */
	struct pkg *pkg;
};

/* A Go module (go.mod) or, for Python, the scanned root. */
struct module {
	char *dir;		/* relative to the root, "" for the root */
	char *path;		/* module path from go.mod */
};

/*
 * A Go package (one directory) or a Python module (one file): the unit
 * whose top-level names a bare identifier refers to.
 */
struct pkg {
	char *dir;		/* directory, relative to the root */
	char *path;		/* Go import path or Python dotted module */
	enum lang lang;
	struct module *mod;
	struct srcfile **files;
	size_t nfiles, capfiles;
	int is_main;
	int has_sites;		/* one of its files has a site */
	int mark;		/* service.c: last walk that reached it */
	int loaded;		/* every file parsed and merged into syms/funcs */
	struct symtab syms;
	struct symtab funcs;
	char **services;	/* services whose main package reaches this one */
	size_t nservices;
};

/* What one site resolves to: one row of the report. */
struct finding {
	const struct srcfile *file;
	int line, col;
	enum direction dir;
	const char *api;
	const char *protocol;	/* tcp, udp, unix; NULL when dynamic */
	const char *app;	/* http, https, grpc, postgres...; NULL if unknown */
	char *host;		/* NULL when absent (listen on all) or dynamic */
	int port;		/* -1 when absent or dynamic */
	const char *binding;	/* listeners: all, specific, unix, dynamic */
	enum resolution how;
	char *expr;		/* source text of the address argument */
	char *dynamic;		/* the part that could not be resolved */
	char *service;
	const char *module;
};

struct options {
	int format;		/* FORMAT_* */
	int include_vendor;
	int include_tests;
	int include_hidden;
	int full_parse;		/* parse every file, not only watched ones */
	int jobs;
	const char *output;
	char **paths;
	int npaths;
};

enum { FORMAT_JSON, FORMAT_CSV, FORMAT_SARIF };

/*
 * One recorded call of a Python function, class or method of the tree
 * (py_extract.c "calls:"), indexed by its callee: the resolver binds a
 * parameter to what the callers pass (resolve.c). Sorted by key.
 */
struct caller {
	char *key;		/* "MODULE\tNAME": the callee's module path and name in it */
	struct pkg *ctx;	/* the caller's module */
	const struct expr *call;	/* EX_CALL: positional arguments, EX_KWARG */
};

/*
 * Receiver of self.m() in a method of class C whose bases are classes of
 * the tree (py_extract.c): "selfof:C", the object C's bases make, found
 * by the resolver.
 */
#define SELF_OF "selfof:"

/* Everything one run knows. */
struct scan {
	struct options opt;
	struct srcfile **files;
	size_t nfiles, capfiles;
	struct module **mods;
	size_t nmods, capmods;
	struct pkg **pkgs;
	size_t npkgs, cappkgs;
	struct finding *findings;
	size_t nfindings, capfindings;
	char *root_name;	/* basename of the first path scanned */
	/*
	 * Python import roots the tree holds ("usr.lib.python3.dist-packages"):
	 * each module path up to a site-packages or dist-packages directory,
	 * once, where a script outside them (usr/bin) finds what it imports.
	 */
	char **py_roots;
	size_t npy_roots, cappy_roots;
	int read_errors;	/* files or directories that could not be read */
	struct symtab seen;	/* "dev:inode" of every file and directory walked */
	size_t bytes;		/* total size of the files walked */
	size_t files_parsed;
	double seconds;
	struct caller *callers;	/* built on first need (resolve.c) */
	size_t ncallers;
	int callers_built;
	struct symtab subclasses; /* Python classes by the base they name (resolve.c) */
	int subclasses_built;
	struct symtab confs;	/* configuration defaults by their path's last key (resolve.c) */
	char **conf_files;	/* configuration files shipped in the tree (conf_files.c) */
	size_t nconf_files, capconf_files;
	int confs_built;
};

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of sockscan's extractors and resolver on small inputs
 * (issues 11 and 15): each test scans one or two in-memory files the way
 * a scan does after reading them (parse_buffer, packages, findings) and
 * checks the findings, or calls the resolver, address parser or string
 * helpers directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "addr.h"
#include "finding.h"
#include "parse.h"
#include "pkgs.h"
#include "resolve.h"
#include "scan.h"
#include "util.h"

/* A scan of in-memory files: add them with add(), then run(). */
static void add(struct scan *sc, enum lang lang, const char *path, const char *text, size_t len)
{
	struct srcfile *f = xcalloc(1, sizeof(*f));

	f->lang = lang;
	f->path = xstrdup(path);
	f->fullpath = xstrdup(path);
	f->size = len;
	grow((void **)&sc->files, &sc->capfiles, sc->nfiles + 1, sizeof(*sc->files));
	sc->files[sc->nfiles++] = f;
	parse_buffer(f, text, len);
}

static void run(struct scan *sc)
{
	sc->opt.jobs = 1;
	sc->root_name = xstrdup("unit");
	pkgs_build(sc);
	pkgs_preload(sc);
	findings_build(sc);
}

static struct scan *scan1(enum lang lang, const char *path, const char *text)
{
	struct scan *sc = xcalloc(1, sizeof(*sc));

	add(sc, lang, path, text, strlen(text));
	run(sc);
	return sc;
}

static void done(struct scan *sc)
{
	scan_free(sc);
	free(sc);
}

/* The finding at @line, or fail. */
static const struct finding *at(const struct scan *sc, int line)
{
	size_t i;

	for (i = 0; i < sc->nfindings; i++)
		if (sc->findings[i].line == line)
			return &sc->findings[i];
	fail_msg("no finding at line %d (%zu findings)", line, sc->nfindings);
	return NULL;
}

static void test_py_bare_annotation(void **state)
{
	struct scan *sc = scan1(LANG_PY, "a/a.py",
		"x: int\nimport socket\ns = socket.create_connection((\"example.com\", 80))\n");

	assert_int_equal(sc->nfindings, 1);
	assert_string_equal(at(sc, 3)->host, "example.com");
	assert_int_equal(at(sc, 3)->port, 80);
	done(sc);
}

/* Write @text to @dir/@path and add it to @sc as read from there. */
static void add_on_disk(struct scan *sc, const char *dir, const char *path, const char *text)
{
	char *full = xasprintf("%s/%s", dir, path), *slash = strrchr(full, '/');
	FILE *out;

	*slash = '\0';
	mkdir(full, 0700);
	*slash = '/';
	out = fopen(full, "w");
	assert_non_null(out);
	fputs(text, out);
	fclose(out);
	add(sc, LANG_PY, path, text, strlen(text));
	free(sc->files[sc->nfiles - 1]->fullpath);
	sc->files[sc->nfiles - 1]->fullpath = full;
}

/*
 * from .utils import *: socket comes from utils.py's own import, through
 * a star import of a star import; an in-memory file that cannot be read
 * again keeps its first extraction.
 */
static void test_py_star_import(void **state)
{
	char dir[] = "/tmp/sockscan-unit.XXXXXX";
	const char *mem = "from .utils import *\nx = 1\n";
	struct scan *sc = xcalloc(1, sizeof(*sc));
	char *cmd;

	assert_non_null(mkdtemp(dir));
	add_on_disk(sc, dir, "pkg/utils.py", "import socket\n");
	add_on_disk(sc, dir, "pkg/transport.py", "from .utils import *\n");
	add_on_disk(sc, dir, "pkg/mcast.py",
		"from .transport import *\n"
		"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"s.sendto(b\"x\", (\"224.1.1.1\", 5000))\n");
	add(sc, LANG_PY, "pkg/memory.py", mem, strlen(mem));
	run(sc);
	assert_int_equal(sc->nfindings, 1);
	assert_string_equal(at(sc, 3)->protocol, "udp");
	assert_string_equal(at(sc, 3)->host, "224.1.1.1");
	assert_int_equal(at(sc, 3)->port, 5000);
	done(sc);
	cmd = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/*
 * A host and port handed to a helper: what every caller passes when they
 * agree, the port they agree on beside hosts they do not, else unknown.
 */
static void test_py_values_across_calls(void **state)
{
	struct scan *sc = scan1(LANG_PY, "a/a.py",
		"import socket\n"
		"def one(host, port):\n"
		"    return socket.create_connection((host, port))\n"
		"def two(address):\n"
		"    return socket.create_connection(address)\n"
		"def three(port):\n"
		"    return socket.create_connection((\"h\", port))\n"
		"one(\"db.internal\", 5432)\n"
		"one(\"db.internal\", 5432)\n"
		"two((\"a.internal\", 80))\n"
		"two((\"b.internal\", 80))\n"
		"three(1)\n"
		"three(2)\n");

	assert_int_equal(sc->nfindings, 3);
	assert_string_equal(at(sc, 3)->host, "db.internal");
	assert_int_equal(at(sc, 3)->port, 5432);
	assert_null(at(sc, 5)->host);
	assert_int_equal(at(sc, 5)->port, 80);
	assert_int_equal(at(sc, 7)->port, -1);
	assert_int_equal(at(sc, 7)->how, RES_DYNAMIC);
	done(sc);
}

static void test_go_half_declaration(void **state)
{
	struct scan *sc = scan1(LANG_GO, "cmd/x/main.go",
		"package main\nimport \"net\"\ntype ( A int; B )\n"
		"func main() { net.Listen(\"tcp\", \":7002\") }\n");

	assert_non_null(sc->files[0]->error);	/* a syntax error, reported */
	assert_int_equal(at(sc, 4)->port, 7002);
	done(sc);
}

static void test_go_string_with_nul(void **state)
{
	/* the literal holds a NUL byte: the value ends there, no overflow */
	static const char src[] = "package main\nimport \"net\"\n"
		"func main() { net.Listen(\"tcp\", \":80\0xxxxxxxxxxxxxxxxxxxxxxxx\") }\n";
	struct scan *sc = xcalloc(1, sizeof(*sc));

	add(sc, LANG_GO, "cmd/x/main.go", src, sizeof(src) - 1);
	run(sc);
	assert_int_equal(at(sc, 3)->port, 80);
	done(sc);
}

static void test_py_return_outside_function(void **state)
{
	struct scan *sc = scan1(LANG_PY, "a/r.py",
		"import socket\nreturn \"leaked:1\"\n"
		"def addr():\n    return \"good.internal:7003\"\n"
		"socket.create_connection(addr())\n");

	/* the stray return must not join addr()'s summary (two returns: none) */
	assert_string_equal(at(sc, 5)->host, "good.internal");
	assert_int_equal(at(sc, 5)->port, 7003);
	done(sc);
}

static void test_py_port_beside_dynamic_host(void **state)
{
	struct scan *sc = scan1(LANG_PY, "a/p.py",
		"import socket\ndef f(host):\n    socket.create_connection((host, 9403))\n");
	const struct finding *fd = at(sc, 3);

	assert_int_equal(fd->how, RES_DYNAMIC);
	assert_null(fd->host);
	assert_int_equal(fd->port, 9403);
	done(sc);
}

static void test_py_argparse_and_argv(void **state)
{
	struct scan *sc = scan1(LANG_PY, "a/v.py",
		"import argparse, socket, sys\n"
		"p = argparse.ArgumentParser()\n"
		"p.add_argument('-p', '--listen-port', type=int, default=9400)\n"
		"args = p.parse_args()\n"
		"socket.create_server(('', args.listen_port))\n"
		"port = int(sys.argv[1]) if len(sys.argv) > 1 else 9402\n"
		"socket.create_server(('', port))\n");

	assert_int_equal(at(sc, 5)->port, 9400);
	assert_int_equal(at(sc, 5)->how, RES_FLAG_DEFAULT);
	assert_int_equal(at(sc, 7)->port, 9402);
	assert_int_equal(at(sc, 7)->how, RES_FLAG_DEFAULT);
	done(sc);
}

static void test_py_false_findings(void **state)
{
	struct scan *sc = scan1(LANG_PY, "a/f.py",
		"import socket\n"
		"def echo():\n"
		"    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"    s.bind(('', 9500))\n"
		"    data, peer = s.recvfrom(512)\n"
		"    s.sendto(data, ('peer', 1))\n"
		"def client(h):\n"
		"    c = socket.socket()\n"
		"    c.bind(('10.0.0.7', 0))\n"
		"    c.connect((h, 9501))\n");

	/* the listener and the connection; not the reply, not the source bind */
	assert_int_equal(sc->nfindings, 2);
	assert_int_equal(at(sc, 4)->dir, DIR_INGRESS);
	assert_int_equal(at(sc, 10)->dir, DIR_EGRESS);
	done(sc);
}

/*
 * A discovery client binds its source, sends, then receives: the sendto
 * is the socket (egress), the bind is not a listener. A bind to port 0
 * that is closed unused is a probe.
 */
static void test_py_client_bind_and_probe(void **state)
{
	struct scan *sc = scan1(LANG_PY, "a/f.py",
		"import socket\n"
		"def discover():\n"
		"    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"    s.bind(('', 0))\n"
		"    s.sendto(b'?', ('239.255.255.250', 1900))\n"
		"    return s.recvfrom(1024)\n"
		"def has_ipv6():\n"
		"    s = socket.socket(socket.AF_INET6)\n"
		"    try:\n"
		"        s.bind(('::1', 0))\n"
		"    finally:\n"
		"        s.close()\n");

	assert_int_equal(sc->nfindings, 1);
	assert_int_equal(at(sc, 5)->dir, DIR_EGRESS);
	assert_string_equal(at(sc, 5)->protocol, "udp");
	assert_int_equal(at(sc, 5)->port, 1900);
	done(sc);
}

static void test_py_reexport_and_subclass(void **state)
{
	struct scan *sc = xcalloc(1, sizeof(*sc));
	static const char compat[] = "try:\n    from xmlrpc.server import SimpleXMLRPCServer\n"
		"except ImportError:\n    from SimpleXMLRPCServer import SimpleXMLRPCServer\n";
	static const char use[] = "from pkg.compat import SimpleXMLRPCServer\n"
		"class S(SimpleXMLRPCServer):\n    pass\n"
		"S(('127.0.0.1', 9702))\n";

	add(sc, LANG_PY, "pkg/compat.py", compat, strlen(compat));
	add(sc, LANG_PY, "pkg/use.py", use, strlen(use));
	run(sc);
	assert_string_equal(at(sc, 4)->api, "xmlrpc.server.SimpleXMLRPCServer");
	assert_int_equal(at(sc, 4)->port, 9702);
	done(sc);
}

/* A file over 2 MiB is parsed in parts: lines and findings stay right. */
static void test_large_file_in_parts(void **state)
{
	const char *fn = "def f%d():\n    return %d\n\n";
	size_t cap = 3 << 20, len = 0;
	char *buf = xmalloc(cap + 200);
	struct scan *sc = xcalloc(1, sizeof(*sc));
	int i = 0, lines = 1;

	len += sprintf(buf, "import socket\n");
	while (len < cap) {
		len += sprintf(buf + len, fn, i, i);
		i++;
		lines += 3;
	}
	len += sprintf(buf + len, "def last():\n    socket.create_server(('', 9800))\n");
	add(sc, LANG_PY, "big/big.py", buf, len);
	run(sc);
	assert_null(sc->files[0]->error);
	assert_int_equal(sc->nfindings, 1);
	assert_int_equal(at(sc, lines + 2)->port, 9800);
	free(buf);
	done(sc);
}

/* Many sites in one file: each one kept, in order (appended in O(1)). */
static void test_many_sites(void **state)
{
	size_t cap = 20000 * 48, len = 0;
	char *buf = xmalloc(cap);
	struct scan *sc = xcalloc(1, sizeof(*sc));
	struct site *s;
	int i, n = 0;

	len += sprintf(buf, "import socket\n");
	for (i = 0; i < 20000; i++)
		len += sprintf(buf + len, "socket.create_server(('', %d))\n", 1000 + i % 60000);
	add(sc, LANG_PY, "m/m.py", buf, len);
	for (s = sc->files[0]->sites; s; s = s->next)
		assert_int_equal(s->line, 2 + n++);
	assert_int_equal(n, 20000);
	free(buf);
	run(sc);
	assert_int_equal(sc->nfindings, 20000);
	done(sc);
}

static void test_resolve_join_partial(void **state)
{
	struct scan sc = { 0 };
	struct expr *e = expr_pair(EX_JOIN, expr_str("db.internal"), expr_dyn("port"));
	struct value v;

	resolve_eval(&sc, NULL, e, &v);
	assert_null(v.s);
	assert_string_equal(v.host, "db.internal");
	value_free(&v);
	expr_free(e);

	e = expr_pair(EX_JOIN, expr_str("h"), expr_int(443));
	resolve_eval(&sc, NULL, e, &v);
	assert_string_equal(v.s, "h:443");
	assert_int_equal(v.how, RES_LITERAL);
	value_free(&v);
	expr_free(e);
}

static void test_resolve_flag(void **state)
{
	struct scan sc = { 0 };
	struct expr *e = expr_new(EX_FLAG, "sys.argv[1]");
	struct value v;

	resolve_eval(&sc, NULL, e, &v);
	assert_null(v.s);
	assert_string_equal(v.dyn, "sys.argv[1]");
	value_free(&v);
	expr_add(e, expr_int(8080));
	resolve_eval(&sc, NULL, e, &v);
	assert_string_equal(v.s, "8080");
	assert_int_equal(v.how, RES_FLAG_DEFAULT);
	value_free(&v);
	expr_free(e);
}

/* Found by fuzzing: a format ending in '%' made eval_format read past it. */
static void test_resolve_format_trailing_percent(void **state)
{
	struct scan sc = { 0 };
	struct expr *e = expr_new(EX_FORMAT, NULL);
	struct value v;

	expr_add(e, expr_str("%s:%"));
	expr_add(e, expr_str("h"));
	expr_add(e, expr_int(1));
	resolve_eval(&sc, NULL, e, &v);
	assert_null(v.s);
	assert_string_equal(v.dyn, "format");
	value_free(&v);
	expr_free(e);
}

static void test_addr_urls(void **state)
{
	struct addr a;

	addr_url("postgresql+psycopg2://u:p@pg.internal/orders", &a);
	assert_string_equal(a.host, "pg.internal");
	assert_int_equal(a.port, 5432);
	assert_string_equal(a.app, "postgres");
	addr_free(&a);
	assert_int_equal(addr_dsn(NULL, "sqlite:///local.db", &a), 0);
	assert_int_equal(addr_dsn(NULL, "mysql+pymysql://u@m:3307/d", &a), 1);
	assert_int_equal(a.port, 3307);
	addr_free(&a);
}

static void test_addr_twisted(void **state)
{
	struct addr a;

	assert_int_equal(addr_twisted("tcp:8080:interface=127.0.0.1", 1, 0, &a), 1);
	assert_string_equal(a.host, "127.0.0.1");
	assert_int_equal(a.port, 8080);
	addr_free(&a);
	assert_int_equal(addr_twisted("tcp:host=relay.internal:port=6697", 0, 0, &a), 1);
	assert_string_equal(a.host, "relay.internal");
	assert_int_equal(a.port, 6697);
	addr_free(&a);
	assert_int_equal(addr_twisted("unix:/run/a\\:b.sock", 0, 0, &a), 1);
	assert_true(a.is_unix);
	assert_string_equal(a.host, "/run/a:b.sock");
	addr_free(&a);
	/* an IPv6 interface, its colons escaped */
	assert_int_equal(addr_twisted("tcp:4000:interface=\\:\\:", 1, 0, &a), 1);
	assert_string_equal(a.host, "::");
	assert_int_equal(a.port, 4000);
	addr_free(&a);
	/* known start only: the host field is whole, the port's is not */
	assert_int_equal(addr_twisted("tcp:host=127.0.0.1:port=", 0, 1, &a), 1);
	assert_string_equal(a.host, "127.0.0.1");
	assert_int_equal(a.port, -1);
	assert_null(a.bad);
	addr_free(&a);
	assert_int_equal(addr_twisted("tc", 0, 1, &a), 1);
	assert_non_null(a.bad);
	addr_free(&a);
	/* a plugin's endpoint, and one twisted is handed by systemd */
	assert_int_equal(addr_twisted("onion:80", 1, 0, &a), 0);
	addr_free(&a);
	assert_int_equal(addr_twisted("systemd:domain=INET:index=0", 1, 0, &a), 0);
	addr_free(&a);
}

static void test_str_escape(void **state)
{
	char *s = str_escape("a\xff" "b\xe2\x82\xac\n", 0), *t = str_escape("a\n\x01", 1);

	assert_string_equal(s, "a\\xffb\xe2\x82\xac\n");
	assert_string_equal(t, "a\\x0a\\x01");
	assert_int_equal(utf8_bad_bytes("ok \xe2\x82\xac \xc0\xaf \xed\xa0\x80"), 5);
	free(s);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_py_bare_annotation),
		cmocka_unit_test(test_go_half_declaration),
		cmocka_unit_test(test_go_string_with_nul),
		cmocka_unit_test(test_py_return_outside_function),
		cmocka_unit_test(test_py_port_beside_dynamic_host),
		cmocka_unit_test(test_py_argparse_and_argv),
		cmocka_unit_test(test_py_false_findings),
		cmocka_unit_test(test_py_client_bind_and_probe),
		cmocka_unit_test(test_py_reexport_and_subclass),
		cmocka_unit_test(test_large_file_in_parts),
		cmocka_unit_test(test_many_sites),
		cmocka_unit_test(test_resolve_join_partial),
		cmocka_unit_test(test_resolve_flag),
		cmocka_unit_test(test_resolve_format_trailing_percent),
		cmocka_unit_test(test_addr_urls),
		cmocka_unit_test(test_addr_twisted),
		cmocka_unit_test(test_str_escape),
		cmocka_unit_test(test_py_star_import),
		cmocka_unit_test(test_py_values_across_calls),
	};

	return cmocka_run_group_tests_name("sockscan", tests, NULL, NULL);
}

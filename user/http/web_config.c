// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The exporter-toolkit web configuration: YAML with libyaml, certificates
 * checked with GnuTLS, passwords with libxcrypt's crypt_r (bcrypt).
 */
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <yaml.h>
#include "http/auth.h"
#include "http/web_config.h"
#include "lib/quote.h"

#define MAX_PEM		(1 << 20)	/* a certificate chain, generously */

/* Parsing state: the document, where files are, the first error. */
struct wc {
	yaml_document_t *doc;
	const char *name;
	const char *dir;
	struct sw_web_config *c;
	char *err;
	size_t errlen;
};

static int fail(struct wc *w, const yaml_node_t *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct wc *w, const yaml_node_t *at, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at)
		snprintf(w->err, w->errlen, "%s:%zu: %s", w->name,
			 at->start_mark.line + 1, msg);
	else
		snprintf(w->err, w->errlen, "%s: %s", w->name, msg);
	return -1;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* ---- files ---- */

static int read_file(struct wc *w, const yaml_node_t *at, const char *field,
		     const char *file, char **out)
{
	char path[4096], shown[256];
	struct stat st;
	size_t n;
	FILE *f;

	sw_quote(shown, sizeof(shown), file);
	if (!*file)
		return fail(w, at, "%s is empty", field ? field : "the file name");
	if (file[0] == '/' || !w->dir)
		snprintf(path, sizeof(path), "%s", file);
	else
		snprintf(path, sizeof(path), "%s/%s", w->dir, file);
	f = fopen(path, "re");
	if (!f && field)
		return fail(w, at, "%s %s: %s", field, shown, strerror(errno));
	if (!f)
		return fail(w, at, "%s", strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_PEM) {
		fclose(f);
		return fail(w, at, "%s%s%snot a regular file of at most 1 MiB",
			    field ? field : "", field ? " " : "", field ? ": " : "");
	}
	free(*out);
	*out = calloc(1, st.st_size + 1);
	if (!*out) {
		fclose(f);
		return fail(w, at, "out of memory");
	}
	n = fread(*out, 1, st.st_size, f);
	fclose(f);
	(*out)[n] = '\0';
	return 0;
}

/* ---- tls_server_config ---- */

static int parse_auth_type(struct wc *w, const yaml_node_t *v)
{
	const char *s = scalar(v);
	char shown[96];
	int i;

	for (i = SW_CLIENT_NONE; s && i <= SW_CLIENT_REQUIRE_VERIFY; i++)
		if (!strcmp(s, sw_client_auth_name(i))) {
			w->c->client_auth = i;
			return 0;
		}
	if (s)
		sw_quote(shown, sizeof(shown), s);
	else
		snprintf(shown, sizeof(shown), "(not a string)");
	return fail(w, v, "invalid client_auth_type %s: NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert", shown);
}

static int parse_version(struct wc *w, const yaml_node_t *v, const char *field,
			 int *out)
{
	static const char *const names[] = { "TLS10", "TLS11", "TLS12", "TLS13" };
	const char *s = scalar(v);
	char shown[96];
	int i;

	for (i = 0; s && i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	if (s)
		sw_quote(shown, sizeof(shown), s);
	else
		snprintf(shown, sizeof(shown), "(not a string)");
	return fail(w, v, "invalid %s %s: TLS10, TLS11, TLS12 or TLS13", field, shown);
}

/* min/max as a GnuTLS priority string: NORMAL without the others. */
static void priorities(struct sw_web_config *c, int min, int max)
{
	static const char *const vers[] = {
		"VERS-TLS1.0", "VERS-TLS1.1", "VERS-TLS1.2", "VERS-TLS1.3",
	};
	size_t n;
	int i;

	n = snprintf(c->priorities, sizeof(c->priorities), "NORMAL");
	for (i = 0; i < 4; i++)
		if (i < min || i > max)
			n += snprintf(c->priorities + n, sizeof(c->priorities) - n,
				      ":-%s", vers[i]);
}

/* The key is the certificate's, and the CA file holds certificates. */
static int check_pems(struct wc *w, const yaml_node_t *at)
{
	struct sw_web_config *c = w->c;
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t cert = { (unsigned char *)c->cert_pem, strlen(c->cert_pem) };
	gnutls_datum_t key = { (unsigned char *)c->key_pem, strlen(c->key_pem) };
	int rc;

	if (gnutls_certificate_allocate_credentials(&cred))
		return fail(w, at, "out of memory");
	rc = gnutls_certificate_set_x509_key_mem2(cred, &cert, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (rc < 0) {
		gnutls_certificate_free_credentials(cred);
		return fail(w, at, "cert_file and key_file: %s", gnutls_strerror(rc));
	}
	if (c->ca_pem) {
		gnutls_datum_t ca = { (unsigned char *)c->ca_pem, strlen(c->ca_pem) };

		rc = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
		if (rc <= 0) {
			gnutls_certificate_free_credentials(cred);
			return fail(w, at, "client_ca_file: %s",
				    rc < 0 ? gnutls_strerror(rc) : "no certificate in it");
		}
	}
	gnutls_certificate_free_credentials(cred);
	return 0;
}

static int parse_tls(struct wc *w, yaml_node_t *map)
{
	static const char *const unsupported[] = {
		"cipher_suites", "curve_preferences", "prefer_server_cipher_suites",
		"client_allowed_sans", "cert", "key", "client_ca",
	};
	struct sw_web_config *c = w->c;
	int min = 2, max = 3;
	yaml_node_pair_t *p;
	size_t i;

	if (map->type != YAML_MAPPING_NODE)
		return fail(w, map, "tls_server_config must be a mapping");
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(w->doc, p->value);
		const char *k = scalar(kn), *v = scalar(vn);
		char shown[96];
		int rc;

		if (!k)
			return fail(w, kn, "tls_server_config: keys must be strings");
		if (!strcmp(k, "cert_file") && v)
			rc = read_file(w, vn, k, v, &c->cert_pem);
		else if (!strcmp(k, "key_file") && v)
			rc = read_file(w, vn, k, v, &c->key_pem);
		else if (!strcmp(k, "client_ca_file") && v)
			rc = read_file(w, vn, k, v, &c->ca_pem);
		else if (!strcmp(k, "client_auth_type"))
			rc = parse_auth_type(w, vn);
		else if (!strcmp(k, "min_version"))
			rc = parse_version(w, vn, k, &min);
		else if (!strcmp(k, "max_version"))
			rc = parse_version(w, vn, k, &max);
		else if (!strcmp(k, "cert_file") || !strcmp(k, "key_file") ||
			 !strcmp(k, "client_ca_file"))
			rc = fail(w, vn, "%s must be a file name", k);
		else {
			sw_quote(shown, sizeof(shown), k);
			for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
				if (!strcmp(k, unsupported[i]))
					return fail(w, kn, "tls_server_config: %s is not supported by sockwatch", unsupported[i]);
			return fail(w, kn, "tls_server_config: unknown field %s", shown);
		}
		if (rc)
			return -1;
	}
	if (!c->cert_pem || !c->key_pem)
		return fail(w, map, "tls_server_config needs both cert_file and key_file");
	if (min > max)
		return fail(w, map, "min_version is above max_version");
	if ((c->client_auth == SW_CLIENT_VERIFY_IF_GIVEN ||
	     c->client_auth == SW_CLIENT_REQUIRE_VERIFY) && !c->ca_pem)
		return fail(w, map, "client_auth_type %s needs client_ca_file",
			    sw_client_auth_name(c->client_auth));
	if (c->ca_pem && c->client_auth == SW_CLIENT_NONE)
		return fail(w, map, "client_ca_file is set but client_auth_type is NoClientCert");
	priorities(c, min, max);
	c->tls = true;
	return check_pems(w, map);
}

/* ---- basic_auth_users ---- */

/* "$2a$", "$2b$" or "$2y$", two cost digits, "$", 53 characters. */
static int check_bcrypt(struct wc *w, const yaml_node_t *at, const char *user,
			const char *h)
{
	int cost;

	if (strlen(h) != 60 || h[0] != '$' || h[1] != '2' || !strchr("aby", h[2]) ||
	    h[3] != '$' || !isdigit((unsigned char)h[4]) ||
	    !isdigit((unsigned char)h[5]) || h[6] != '$')
		return fail(w, at, "basic_auth_users: %s: not a bcrypt hash ($2b$COST$ and 53 characters)", user);
	cost = (h[4] - '0') * 10 + (h[5] - '0');
	if (cost < SW_BCRYPT_MIN_COST)
		return fail(w, at, "basic_auth_users: %s: bcrypt cost %d is too weak (at least %d)",
			    user, cost, SW_BCRYPT_MIN_COST);
	if (cost > SW_BCRYPT_MAX_COST)
		return fail(w, at, "basic_auth_users: %s: bcrypt cost %d is too slow to check on each request (at most %d)",
			    user, cost, SW_BCRYPT_MAX_COST);
	return 0;
}

static int parse_users(struct wc *w, yaml_node_t *map)
{
	struct sw_web_config *c = w->c;
	yaml_node_pair_t *p;
	char shown[96];

	if (map->type != YAML_MAPPING_NODE)
		return fail(w, map, "basic_auth_users must be a mapping of user: bcrypt hash");
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(w->doc, p->value);
		const char *k = scalar(kn), *v = scalar(vn);
		struct sw_web_user *u;

		if (!k || !*k || strlen(k) >= SW_WEB_USER_LEN || strchr(k, ':'))
			return fail(w, kn, "basic_auth_users: a user name is 1 to %d characters without ':'",
				    SW_WEB_USER_LEN - 1);
		sw_quote(shown, sizeof(shown), k);
		if (!v)
			return fail(w, vn, "basic_auth_users: %s: the hash must be a string", shown);
		if (check_bcrypt(w, vn, shown, v))
			return -1;
		if (c->nusers == SW_WEB_MAX_USERS)
			return fail(w, kn, "basic_auth_users: more than %d users", SW_WEB_MAX_USERS);
		u = &c->users[c->nusers++];
		snprintf(u->name, sizeof(u->name), "%s", k);
		snprintf(u->hash, sizeof(u->hash), "%s", v);
	}
	return 0;
}

/* ---- the document ---- */

static int parse_root(struct wc *w)
{
	yaml_node_t *root = yaml_document_get_root_node(w->doc);
	yaml_node_pair_t *p;
	char shown[96];

	if (!root)		/* an empty file: plain HTTP, as the toolkit */
		return 0;
	if (root->type == YAML_SCALAR_NODE && !*scalar(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail(w, root, "the web config must be a mapping");
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(w->doc, p->value);
		const char *k = scalar(kn);
		int rc;

		if (!k)
			return fail(w, kn, "keys must be strings");
		if (!strcmp(k, "tls_server_config"))
			rc = parse_tls(w, vn);
		else if (!strcmp(k, "basic_auth_users"))
			rc = parse_users(w, vn);
		else if (!strcmp(k, "http_server_config"))
			rc = fail(w, kn, "http_server_config is not supported by sockwatch");
		else {
			sw_quote(shown, sizeof(shown), k);
			rc = fail(w, kn, "unknown field %s (want tls_server_config, basic_auth_users)", shown);
		}
		if (rc)
			return -1;
	}
	return 0;
}

int sw_web_config_load_string(const char *name, const char *dir,
			      const char *text, size_t len,
			      struct sw_web_config *c, char *err, size_t errlen)
{
	struct wc w = { .name = name, .dir = dir, .c = c, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu: %s", name, parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		return -1;
	}
	w.doc = &doc;
	rc = parse_root(&w);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc)
		sw_web_config_free(c);
	return rc;
}

int sw_web_config_load(const char *path, struct sw_web_config *c, char *err,
		       size_t errlen)
{
	char *text = NULL, *dir, *slash;
	struct wc w = { .name = path, .err = err, .errlen = errlen };
	int rc;

	memset(c, 0, sizeof(*c));
	if (read_file(&w, NULL, NULL, path, &text))
		return -1;
	dir = strdup(path);
	if (!dir) {
		free(text);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	rc = sw_web_config_load_string(path, slash ? (*dir ? dir : "/") : ".",
				       text, strlen(text), c, err, errlen);
	free(dir);
	free(text);
	return rc;
}

static void free_secret(char **p)
{
	if (!*p)
		return;
	explicit_bzero(*p, strlen(*p));
	free(*p);
	*p = NULL;
}

void sw_web_config_free(struct sw_web_config *c)
{
	free(c->cert_pem);
	c->cert_pem = NULL;
	free_secret(&c->key_pem);
	free(c->ca_pem);
	c->ca_pem = NULL;
}

const char *sw_client_auth_name(enum sw_client_auth a)
{
	static const char *const names[] = {
		"NoClientCert", "RequestClientCert", "RequireAnyClientCert",
		"VerifyClientCertIfGiven", "RequireAndVerifyClientCert",
	};

	return (unsigned)a < 5 ? names[a] : "?";
}

/* ---- basic auth ---- */

static bool password_ok(struct sw_web_user *u, const char *pass)
{
	struct crypt_data *cd;
	unsigned char digest[32];
	const char *out;
	bool ok = false;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, pass, strlen(pass), digest))
		return false;
	if (u->has_ok && !gnutls_memcmp(digest, u->ok_digest, sizeof(digest)))
		return true;
	cd = calloc(1, sizeof(*cd));	/* 32 KiB: not on the stack */
	if (!cd)
		return false;
	out = crypt_r(pass, u->hash, cd);
	if (out && out[0] != '*')
		ok = sw_auth_equal(out, strlen(out), u->hash);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	if (ok) {
		memcpy(u->ok_digest, digest, sizeof(digest));
		u->has_ok = true;
	}
	return ok;
}

bool sw_web_check_basic(struct sw_web_config *c, const char *header)
{
	gnutls_datum_t in, out = { NULL, 0 };
	char *colon, *user;
	bool ok = false;
	size_t i;

	if (!header || strncasecmp(header, "Basic ", 6) || !c->nusers)
		return false;
	in.data = (unsigned char *)header + 6;
	in.size = strlen(header + 6);
	if (in.size > 4096 || gnutls_base64_decode2(&in, &out) < 0)
		return false;
	user = malloc(out.size + 1);
	if (user) {
		memcpy(user, out.data, out.size);
		user[out.size] = '\0';
	}
	explicit_bzero(out.data, out.size);
	gnutls_free(out.data);
	if (!user)
		return false;
	colon = strchr(user, ':');
	if (colon && strlen(user) == out.size) {
		*colon = '\0';
		for (i = 0; i < c->nusers; i++)
			if (!strcmp(c->users[i].name, user)) {
				ok = password_ok(&c->users[i], colon + 1);
				break;
			}
	}
	explicit_bzero(user, out.size);
	free(user);
	return ok;
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The web configuration file of Prometheus exporters (exporter-toolkit's
 * --web.config.file format), read with libyaml:
 *
 *   tls_server_config:
 *     cert_file: server.crt          # relative to the file's directory
 *     key_file: server.key
 *     client_auth_type: RequireAndVerifyClientCert
 *     client_ca_file: ca.crt
 *     min_version: TLS12             # TLS10 .. TLS13; default TLS12
 *     max_version: TLS13
 *   basic_auth_users:
 *     prometheus: $2b$12$...         # bcrypt, checked with crypt_r
 *
 * Everything is checked at load: the files are read into memory, the key
 * must match the certificate (GnuTLS), the CA file must hold at least one
 * certificate, bcrypt hashes must be well formed with a cost of at least
 * SW_BCRYPT_MIN_COST. Unknown fields are errors, as in the toolkit's
 * strict parsing, and so are the toolkit's fields sockwatch does not
 * implement (cipher_suites, ...), rather than being silently ignored.
 */
#ifndef SW_WEB_CONFIG_H
#define SW_WEB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define SW_BCRYPT_MIN_COST	10
/*
 * Each request with basic auth runs one bcrypt check of 2^cost rounds on
 * the HTTP thread: cost 14 is about a second of CPU, 20 about a minute.
 * Above this, a scrape would hold the server, so the file is refused.
 */
#define SW_BCRYPT_MAX_COST	14
#define SW_WEB_MAX_USERS	64
#define SW_WEB_USER_LEN		64
#define SW_WEB_HASH_LEN		64	/* "$2b$12$" + 53 */

/* The toolkit's client_auth_type values, in its spelling. */
enum sw_client_auth {
	SW_CLIENT_NONE,			/* NoClientCert */
	SW_CLIENT_REQUEST,		/* RequestClientCert */
	SW_CLIENT_REQUIRE_ANY,		/* RequireAnyClientCert */
	SW_CLIENT_VERIFY_IF_GIVEN,	/* VerifyClientCertIfGiven */
	SW_CLIENT_REQUIRE_VERIFY,	/* RequireAndVerifyClientCert */
};

struct sw_web_user {
	char name[SW_WEB_USER_LEN];
	char hash[SW_WEB_HASH_LEN];
	/* SHA-256 of the last password that matched, so that a scrape every
	 * few seconds does not cost a bcrypt each; guarded by the owner */
	unsigned char ok_digest[32];
	bool has_ok;
};

/* A loaded file. Plain data but the PEM buffers (owned). */
struct sw_web_config {
	bool  tls;
	char *cert_pem, *key_pem, *ca_pem;	/* NULL when not set */
	enum sw_client_auth client_auth;
	char  priorities[96];			/* GnuTLS priority string */
	struct sw_web_user users[SW_WEB_MAX_USERS];
	size_t nusers;
};

/*
 * Load path into c (zeroed first). Returns 0, or -1 with one line in err,
 * "FILE:LINE: reason" where a line is known.
 */
int sw_web_config_load(const char *path, struct sw_web_config *c, char *err,
		       size_t errlen);
/* From a string; dir resolves relative file names (tests, fuzzing). */
int sw_web_config_load_string(const char *name, const char *dir,
			      const char *text, size_t len,
			      struct sw_web_config *c, char *err, size_t errlen);
void sw_web_config_free(struct sw_web_config *c);

const char *sw_client_auth_name(enum sw_client_auth a);

/*
 * Check an "Authorization: Basic ..." value against the users. NULL or
 * another scheme: false.
 */
bool sw_web_check_basic(struct sw_web_config *c, const char *header);

#endif /* SW_WEB_CONFIG_H */

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The tls_certificates check (the seed's "SSL/TLS readiness"), with
 * GnuTLS, which libmicrohttpd already links.
 *
 * For each file of [health] tls_certificates: a PEM certificate (the
 * leaf first, then any intermediates), and optionally its private key,
 * in the same file or beside it (cert.pem -> cert.key). Graded per file,
 * the worst first:
 *   critical  unreadable or not a certificate; expired; not yet valid;
 *             the key does not match the certificate
 *   warning   expires within tls_warn_days; the chain does not verify
 *             against tls_ca_file or, without it, the system store; the
 *             key cannot be read (encrypted, damaged)
 * Times are checked here, not by the verification (which is told to
 * ignore them), so that an expired certificate says "expired" and not
 * "does not verify". No file configured: ok, and the summary says so.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "detect/protection.h"
#include "health/health_impl.h"

#define DAY_SECONDS	86400.0

/* status and problem: keep the worst finding of a file. */
static void finding(struct sw_health_tls *t, enum sw_health_status st,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void finding(struct sw_health_tls *t, enum sw_health_status st,
		    const char *fmt, ...)
{
	va_list ap;

	if (st <= t->status && t->problem[0])
		return;
	t->status = st;
	va_start(ap, fmt);
	vsnprintf(t->problem, sizeof(t->problem), fmt, ap);
	va_end(ap);
}

/* The key beside the certificate: in the file itself, or NAME.key. */
static int find_key(struct sw_health_tls *t, const gnutls_datum_t *cert,
		    gnutls_datum_t *key)
{
	char *dot;

	_Static_assert(sizeof(t->key_path) == sizeof(t->path), "same size");
	memcpy(t->key_path, t->path, sizeof(t->key_path));
	if (memmem(cert->data, cert->size, "PRIVATE KEY-----", 16))
		return gnutls_load_file(t->path, key) < 0 ? -1 : 0;
	dot = strrchr(t->key_path, '.');
	if (!dot || strchr(dot, '/'))
		dot = t->key_path + strlen(t->key_path);
	snprintf(dot, sizeof(t->key_path) - (size_t)(dot - t->key_path), ".key");
	if (access(t->key_path, F_OK)) {
		t->key_path[0] = '\0';
		return 1;
	}
	return gnutls_load_file(t->key_path, key) < 0 ? -1 : 0;
}

static void check_key(struct sw_health_tls *t, const gnutls_datum_t *cert,
		      gnutls_x509_crt_t crt)
{
	unsigned char kid[64], cid[64];
	size_t klen = sizeof(kid), clen = sizeof(cid);
	gnutls_datum_t key = { NULL, 0 };
	gnutls_x509_privkey_t pk = NULL;
	int r = find_key(t, cert, &key);

	t->key_match = -1;
	if (r > 0)
		return;
	t->key_match = -2;
	if (r < 0 || gnutls_x509_privkey_init(&pk) < 0 ||
	    gnutls_x509_privkey_import2(pk, &key, GNUTLS_X509_FMT_PEM, NULL, 0) < 0 ||
	    gnutls_x509_privkey_get_key_id(pk, GNUTLS_KEYID_USE_SHA256, kid, &klen) < 0 ||
	    gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, cid, &clen) < 0) {
		finding(t, SW_HEALTH_WARNING, "key %s cannot be read (encrypted or damaged)",
			t->key_path);
		goto out;
	}
	t->key_match = klen == clen && !memcmp(kid, cid, klen);
	if (!t->key_match)
		finding(t, SW_HEALTH_CRITICAL, "key %s does not match the certificate",
			t->key_path);
out:
	gnutls_x509_privkey_deinit(pk);
	gnutls_free(key.data);
}

static void check_chain(struct sw_health_tls *t, const char *ca_file,
			gnutls_x509_crt_t *crts, unsigned int n)
{
	const unsigned int flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
				   GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS;
	gnutls_x509_trust_list_t tl;
	gnutls_datum_t why = { NULL, 0 };
	unsigned int status = 0;
	int r;

	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return;
	r = ca_file[0] ?
	    gnutls_x509_trust_list_add_trust_file(tl, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0) :
	    gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (r <= 0) {
		finding(t, SW_HEALTH_WARNING, "no CA certificate in %s",
			ca_file[0] ? ca_file : "the system store");
		goto out;
	}
	if (gnutls_x509_trust_list_verify_crt2(tl, crts, n, NULL, 0, flags, &status, NULL) < 0)
		status = GNUTLS_CERT_INVALID;
	t->chain_ok = !status;
	if (status) {
		gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &why, 0);
		finding(t, SW_HEALTH_WARNING, "chain does not verify against %s: %s",
			ca_file[0] ? ca_file : "the system store",
			why.data ? (const char *)why.data : "invalid");
		gnutls_free(why.data);
	}
out:
	gnutls_x509_trust_list_deinit(tl, 1);
}

static void check_dates(struct sw_health_tls *t, gnutls_x509_crt_t crt,
			unsigned int warn_days)
{
	time_t now = time(NULL);

	t->not_before = (__s64)gnutls_x509_crt_get_activation_time(crt);
	t->not_after = (__s64)gnutls_x509_crt_get_expiration_time(crt);
	t->days_left = ((double)t->not_after - (double)now) / DAY_SECONDS;
	if (t->not_after <= now)
		finding(t, SW_HEALTH_CRITICAL, "expired %.1f days ago", -t->days_left);
	else if (t->not_before > now)
		finding(t, SW_HEALTH_CRITICAL, "not valid for another %.1f days",
			((double)t->not_before - (double)now) / DAY_SECONDS);
	else if (t->days_left < warn_days)
		finding(t, SW_HEALTH_WARNING, "expires in %.1f days (warning within %u)",
			t->days_left, warn_days);
}

static void check_file(const struct sw_health_limits *lim, struct sw_health_tls *t)
{
	gnutls_datum_t data = { NULL, 0 };
	gnutls_x509_crt_t *crts = NULL;
	unsigned int n = 0, i;
	size_t len = sizeof(t->subject);

	t->key_match = -1;
	if (gnutls_load_file(t->path, &data) < 0) {
		finding(t, SW_HEALTH_CRITICAL, "cannot read %s", t->path);
		return;
	}
	if (gnutls_x509_crt_list_import2(&crts, &n, &data, GNUTLS_X509_FMT_PEM, 0) < 0 || !n) {
		finding(t, SW_HEALTH_CRITICAL, "%s holds no PEM certificate", t->path);
		goto out;
	}
	if (gnutls_x509_crt_get_dn(crts[0], t->subject, &len) < 0)
		t->subject[0] = '\0';
	check_dates(t, crts[0], lim->tls_warn_days);
	check_key(t, &data, crts[0]);
	check_chain(t, lim->tls_ca_file, crts, n);
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
out:
	gnutls_free(data.data);
}

void sw_health_tls(const struct sw_health_limits *lim, struct sw_health_report *r)
{
	struct sw_health_check *c = &r->check[SW_HC_TLS];
	const char *list = lim->tls_certificates;
	const struct sw_health_tls *worst = NULL;
	unsigned int i, n_bad = 0;
	double nearest = 0;
	char path[sizeof(r->tls[0].path)];

	while (r->n_tls < SW_HEALTH_MAX_TLS && sw_list_next(&list, path, sizeof(path)) > 0) {
		struct sw_health_tls *t = &r->tls[r->n_tls++];

		snprintf(t->path, sizeof(t->path), "%s", path);
		check_file(lim, t);
	}
	hc_fig_int(c, "certificates", r->n_tls);
	hc_fig_int(c, "warn_days", lim->tls_warn_days);
	if (!r->n_tls) {
		hc_result(c, SW_HEALTH_OK, "", "no certificate configured ([health] tls_certificates): TLS not needed");
		return;
	}
	for (i = 0; i < r->n_tls; i++) {
		n_bad += r->tls[i].status != SW_HEALTH_OK;
		if (!i || r->tls[i].days_left < nearest)
			nearest = r->tls[i].days_left;
		if (!worst || r->tls[i].status > worst->status)
			worst = &r->tls[i];
	}
	hc_fig_int(c, "not_ok", n_bad);
	if (!n_bad) {
		hc_result(c, SW_HEALTH_OK, "", "%u certificate(s) valid; the nearest expiry in %.0f days",
			  r->n_tls, nearest);
		return;
	}
	hc_result(c, worst->status,
		  worst->status == SW_HEALTH_CRITICAL ? "renew or replace the certificate (and its key) now" :
		  "renew the certificate soon, or add its CA (tls_ca_file)",
		  "%u of %u certificate(s) not ok; %s: %s", n_bad, r->n_tls,
		  worst->path, worst->problem);
}

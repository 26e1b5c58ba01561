/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Bearer tokens for the HTTP API: loading the token file and comparing a
 * presented token with it in constant time.
 *
 * Token file policy: the token is the first line of the file, with
 * surrounding white space removed. It must be non-empty, at most
 * SW_TOKEN_MAX bytes, and made of visible ASCII only (what an HTTP header
 * can carry unchanged). The file must be a regular file (symlinks are
 * followed, as Kubernetes Secret volumes use them) and must not be
 * readable or writable by "other": a token every local user can read
 * protects nothing, so sockwatch refuses to start rather than warn.
 */
#ifndef SW_AUTH_H
#define SW_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#define SW_TOKEN_MAX 1024

/*
 * Load the token of the file at path into a malloc'ed string (*token).
 * Returns 0, or -1 with a one-line reason in err.
 */
int sw_auth_load_token(const char *path, char **token, char *err,
		       size_t errlen);

/*
 * Whether the n bytes at given equal the NUL-terminated secret. The time
 * taken depends only on the secret's length and n, never on where the
 * two differ. (The length of the secret is not hidden; neither does Go's
 * subtle.ConstantTimeCompare hide it.)
 */
bool sw_auth_equal(const char *given, size_t n, const char *secret);

/*
 * Check an Authorization header value ("Bearer <token>", the scheme in
 * any case) against the secret. NULL header: false.
 */
bool sw_auth_check_header(const char *header, const char *secret);

#endif /* SW_AUTH_H */

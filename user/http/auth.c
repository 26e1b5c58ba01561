// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Bearer token loading and constant-time comparison. See auth.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http/auth.h"

bool sw_auth_equal(const char *given, size_t n, const char *secret)
{
	size_t slen = strlen(secret);
	/* volatile: keep the compiler from turning the loop into memcmp */
	volatile unsigned char d = 0;
	size_t i;

	for (i = 0; i < slen; i++) {
		unsigned char g = i < n ? (unsigned char)given[i] : 0;

		d |= g ^ (unsigned char)secret[i];
	}
	d |= (unsigned char)(n != slen);
	return d == 0 && slen > 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\v' || c == '\f';
}

bool sw_auth_check_header(const char *header, const char *secret)
{
	const char *tok;
	size_t n;

	if (!header || strncasecmp(header, "Bearer", 6) != 0)
		return false;
	tok = header + 6;
	if (*tok != ' ' && *tok != '\t')
		return false;
	while (*tok == ' ' || *tok == '\t')
		tok++;
	n = strlen(tok);
	while (n && is_space(tok[n - 1]))
		n--;
	return sw_auth_equal(tok, n, secret);
}

/* Visible ASCII, no space: survives an HTTP header unchanged. */
static bool token_chars_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* The first line of buf, trimmed, as [*start, *start + *len). */
static void first_line(const char *buf, size_t n, const char **start,
		       size_t *len)
{
	const char *end = memchr(buf, '\n', n);
	const char *s = buf;

	if (!end)
		end = buf + n;
	while (s < end && is_space(*s))
		s++;
	while (end > s && is_space(end[-1]))
		end--;
	*start = s;
	*len = end - s;
}

int sw_auth_load_token(const char *path, char **token, char *err,
		       size_t errlen)
{
	char buf[SW_TOKEN_MAX + 64];
	const char *tok;
	struct stat st;
	size_t n = 0, len;
	ssize_t r;
	int fd, ret = -1;

	*token = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "token file %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "token file %s: not a regular file",
			 path);
		goto out;
	}
	if (st.st_mode & (S_IROTH | S_IWOTH)) {
		snprintf(err, errlen,
			 "token file %s is accessible to other users (mode %04o); run chmod o-rw on it",
			 path, (unsigned int)(st.st_mode & 07777));
		goto out;
	}
	while (n < sizeof(buf)) {
		r = read(fd, buf + n, sizeof(buf) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "token file %s: %s", path,
				 strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += r;
	}
	first_line(buf, n, &tok, &len);
	if (len == 0) {
		snprintf(err, errlen, "token file %s: first line is empty",
			 path);
		goto out;
	}
	if (len > SW_TOKEN_MAX || (tok + len == buf + n && n == sizeof(buf))) {
		snprintf(err, errlen, "token file %s: token longer than %d bytes",
			 path, SW_TOKEN_MAX);
		goto out;
	}
	if (!token_chars_ok(tok, len)) {
		snprintf(err, errlen,
			 "token file %s: token must be visible ASCII without spaces",
			 path);
		goto out;
	}
	*token = strndup(tok, len);
	if (!*token) {
		snprintf(err, errlen, "token file %s: out of memory", path);
		goto out;
	}
	ret = 0;
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return ret;
}

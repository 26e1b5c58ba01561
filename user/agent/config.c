// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ini.h>
#include "agent/config.h"
#include "health/port_registry.h"
#include "http/http_server.h"
#include "lib/quote.h"

#define NSEC_PER_SEC	1000000000ULL
#define MAX_SECONDS	1e9	/* ~31 years: far below __u64 ns overflow */
#define ERRLEN		256

/* ---- value parsers, shared with command-line flags ---------------------- */

int sw_parse_u64(const char *s, __u64 min, __u64 max, __u64 *v, char *err,
		 size_t errlen)
{
	char q[SW_QUOTE_LEN];
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)*s)) {
		snprintf(err, errlen, "bad number %s (want a whole number)",
			 sw_quote(q, sizeof(q), s));
		return -1;
	}
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end) {
		snprintf(err, errlen, "bad number %s (want a whole number)",
			 sw_quote(q, sizeof(q), s));
		return -1;
	}
	if (x < min || x > max) {
		snprintf(err, errlen, "%llu is out of range (%llu to %llu)", x,
			 (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*v = x;
	return 0;
}

int sw_parse_double(const char *s, double min, double max, double *v,
		    char *err, size_t errlen)
{
	char q[SW_QUOTE_LEN];
	char *end;
	double x;

	/* plain decimals only: no "inf", "nan", hex, exponents or signs */
	if (!*s || s[strspn(s, "0123456789.")]) {
		snprintf(err, errlen, "bad number %s", sw_quote(q, sizeof(q), s));
		return -1;
	}
	errno = 0;
	x = strtod(s, &end);
	if (errno || *end || !isfinite(x)) {
		snprintf(err, errlen, "bad number %s", sw_quote(q, sizeof(q), s));
		return -1;
	}
	if (x < min || x > max) {
		/* s is digits and dots only (checked above): no quoting needed */
		snprintf(err, errlen, "%s is out of range (%g to %g)", s, min, max);
		return -1;
	}
	*v = x;
	return 0;
}

int sw_parse_seconds(const char *s, __u64 *ns, char *err, size_t errlen)
{
	double x;

	if (sw_parse_double(s, 0, MAX_SECONDS, &x, err, errlen))
		return -1;
	*ns = (__u64)llround(x * (double)NSEC_PER_SEC);
	return 0;
}

/* ---- special values ------------------------------------------------------ */

bool sw_addr_list_contains(const struct sw_addr_list *l, unsigned int family,
			   const __u8 addr[16])
{
	size_t len = family == AF_INET ? 4 : 16;
	__u32 i;

	for (i = 0; i < l->n; i++)
		if (l->addr[i].family == family &&
		    !memcmp(l->addr[i].addr, addr, len))
			return true;
	return false;
}

static int parse_addr(const char *s, struct sw_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->addr) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -1;
}

static int set_allow(struct sw_config *c, const char *v, char *err, size_t len)
{
	struct sw_addr_list l = { .n = 0 };
	char tok[64], q[SW_QUOTE_LEN];
	int r;

	while ((r = sw_list_next(&v, tok, sizeof(tok))) > 0) {
		if (l.n == SW_CFG_MAX_ADDRS) {
			snprintf(err, len, "more than %d addresses",
				 SW_CFG_MAX_ADDRS);
			return -1;
		}
		if (parse_addr(tok, &l.addr[l.n++])) {
			snprintf(err, len, "bad IP address %s",
				 sw_quote(q, sizeof(q), tok));
			return -1;
		}
	}
	if (r < 0) {
		snprintf(err, len, "an address is too long");
		return -1;
	}
	c->allow = l;
	return 0;
}

static int set_ports(struct sw_config *c, const char *v, char *err, size_t len)
{
	return sw_protect_set_ports(&c->protection, v, err, len);
}

static int set_patterns(struct sw_config *c, const char *v, char *err,
			size_t len)
{
	return sw_protect_set_patterns(&c->protection, v, err, len);
}

static int set_cleanup_mode(struct sw_config *c, const char *v, char *err, size_t len)
{
	return sw_cleanup_parse_mode(v, &c->cleanup.mode, err, len);
}

static int set_cleanup_processes(struct sw_config *c, const char *v, char *err, size_t len)
{
	return sw_cleanup_set_processes(&c->cleanup, v, err, len);
}

static int set_action(struct sw_config *c, const char *v, char *err, size_t len)
{
	return sw_action_parse(v, &c->on_breach, err, len);
}

/* The ring buffer is a power-of-two number of pages (BPF_MAP_TYPE_RINGBUF). */
static int set_ring_kb(struct sw_config *c, const char *v, char *err,
		       size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	__u64 kb, bytes;

	if (sw_parse_u64(v, 1, 1U << 22, &kb, err, len))
		return -1;
	bytes = kb * 1024;
	if ((bytes & (bytes - 1)) || bytes < (__u64)page) {
		snprintf(err, len, "%llu KiB is not a power of 2 multiple of "
			 "the page size (%ld bytes)", (unsigned long long)kb, page);
		return -1;
	}
	c->agent.ring_buffer_kb = kb;
	return 0;
}

/* The kernel's statistics cost two clock reads per program run: opt-in. */
static int set_self_stats(struct sw_config *c, const char *v, char *err,
			  size_t len)
{
	char q[SW_QUOTE_LEN];

	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1")) {
		c->agent.self_stats = true;
		return 0;
	}
	if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0")) {
		c->agent.self_stats = false;
		return 0;
	}
	snprintf(err, len, "%s is not a boolean (true or false)",
		 sw_quote(q, sizeof(q), v));
	return -1;
}

/*
 * How records reach the agent: a BPF ring buffer per CPU, one shared by
 * all CPUs (for comparison), or a perf buffer per CPU
 * (README, Performance).
 */
static int set_event_buffer(struct sw_config *c, const char *v, char *err,
			    size_t len)
{
	char q[SW_QUOTE_LEN];

	if (!sw_event_buffer_parse(v, &c->agent.event_buffer))
		return 0;
	snprintf(err, len, "%s is not an event buffer (ring, shared-ring or perf)",
		 sw_quote(q, sizeof(q), v));
	return -1;
}

/* "ADDR:PORT" or "[ADDR6]:PORT", ADDR numeric. */
static int set_listen(struct sw_config *c, const char *v, char *err, size_t len)
{
	char q[SW_QUOTE_LEN];
	struct sockaddr_storage ss;
	socklen_t sl;

	/* the server's own parser; a configured port must not be 0 */
	if (strlen(v) >= sizeof(c->http.listen) ||
	    sw_http_parse_listen(v, &ss, &sl, err, len) ||
	    !sw_sockaddr_port(&ss))
		goto bad;
	strcpy(c->http.listen, v);
	return 0;
bad:
	snprintf(err, len, "bad listen address %s (want ADDR:PORT or "
		 "[ADDR6]:PORT)", sw_quote(q, sizeof(q), v));
	return -1;
}

/* ---- the key table --------------------------------------------------------- */

enum kind { K_U32, K_U64, K_DOUBLE, K_SECONDS, K_STR, K_FN };

/*
 * One config key: where its value goes and its range. Numbers are checked
 * against [min, max] (min_excl: min itself is refused); K_FN parses itself.
 */
struct key {
	const char *section;
	const char *name;
	enum kind   kind;
	size_t      off;
	size_t      size;	/* K_STR: buffer size */
	double      min, max;
	bool        min_excl;
	int (*fn)(struct sw_config *c, const char *v, char *err, size_t len);
};

#define OFF(f)	offsetof(struct sw_config, f)
#define U32(s, n, f, lo, hi)	{ s, n, K_U32, OFF(f), 0, lo, hi, false, NULL }
#define U64(s, n, f, lo, hi)	{ s, n, K_U64, OFF(f), 0, lo, hi, false, NULL }
#define DBL(s, n, f, lo, hi, x)	{ s, n, K_DOUBLE, OFF(f), 0, lo, hi, x, NULL }
#define SEC(s, n, f, x)		{ s, n, K_SECONDS, OFF(f), 0, 0, MAX_SECONDS, x, NULL }
#define STR(s, n, f)		{ s, n, K_STR, OFF(f), sizeof(((struct sw_config *)0)->f), 0, 0, false, NULL }
#define FN(s, n, fn)		{ s, n, K_FN, 0, 0, 0, 0, false, fn }

static const struct key keys[] = {
	U64("ewma", "min_ports", ewma.min_ports, 1, UINT32_MAX),
	U64("ewma", "max_ports", ewma.max_ports, 1, UINT32_MAX),
	DBL("ewma", "max_difference", ewma.max_difference, 0, 1e6, true),
	U32("ewma", "short_samples", ewma.short_samples, 1, 1000000),
	U32("ewma", "long_samples", ewma.long_samples, 1, 1000000),
	SEC("ewma", "interval_seconds", ewma.interval_ns, true),
	SEC("ewma", "breach_seconds", ewma.breach_ns, false),
	FN("ewma", "allow_addresses", set_allow),

	SEC("leaks", "close_wait_seconds", leaks.close_wait_ns, false),
	SEC("leaks", "idle_seconds", leaks.idle_ns, false),
	DBL("leaks", "fd_headroom_percent", leaks.fd_headroom_percent, 0, 100, true),

	FN("protection", "critical_ports", set_ports),
	FN("protection", "infrastructure_patterns", set_patterns),
	U64("protection", "active_bytes", protection.active_bytes, 0, 1e18),
	SEC("protection", "min_age_seconds", protection.min_age_ns, false),

	FN("actions", "on_breach", set_action),

	U32("agent", "max_keys", agent.max_keys, 1, 1U << 20),
	SEC("agent", "key_idle_seconds", agent.key_idle_ns, false),
	SEC("agent", "reconcile_seconds", agent.reconcile_ns, true),
	FN("agent", "ring_buffer_kb", set_ring_kb),
	STR("agent", "host_root", agent.host_root),
	FN("agent", "self_stats", set_self_stats),
	FN("agent", "event_buffer", set_event_buffer),

	FN("http", "listen", set_listen),
	STR("http", "token_file", http.token_file),
	STR("http", "web_config", http.web_config),
	U32("http", "top_k", http.top_k, 1, 100000),
	U32("http", "max_connections", http.max_connections, 1, 65535),
	U32("http", "per_ip_connections", http.per_ip_connections, 1, 65535),
	SEC("http", "timeout_seconds", http.timeout_ns, true),

	SEC("health", "interval_seconds", health.interval_ns, true),
	DBL("health", "ephemeral_warning_percent", health.ephemeral_warning_percent, 0, 100, true),
	DBL("health", "ephemeral_critical_percent", health.ephemeral_critical_percent, 0, 100, true),
	U32("health", "time_wait_warning", health.time_wait_warning, 0, UINT32_MAX),
	U64("health", "connections_warning", health.connections_warning, 0, 1e18),
	U64("health", "nofile_warning", health.nofile_warning, 0, 1e18),
	STR("health", "tls_certificates", health.tls_certificates),
	U32("health", "tls_warn_days", health.tls_warn_days, 0, 36500),
	STR("health", "tls_ca_file", health.tls_ca_file),

	STR("ports", "state_file", ports.state_file),

	FN("cleanup", "mode", set_cleanup_mode),
	SEC("cleanup", "min_age_seconds", cleanup.min_age_ns, false),
	U32("cleanup", "max_per_minute", cleanup.max_per_minute, 1, SW_CLEANUP_MAX_PER_MINUTE),
	FN("cleanup", "processes", set_cleanup_processes),

	DBL("flood", "connections_per_second", flood.connections_per_second, 0, 1e9, true),
	SEC("flood", "window_seconds", flood.window_ns, true),

	STR("manifest", "path", manifest.path),

	STR("alerts", "alertmanager_url", alerts.alertmanager_url),
	STR("alerts", "node", alerts.node),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const sections[] = {
	"ewma", "leaks", "protection", "actions", "agent", "http", "health",
	"flood", "manifest", "alerts", "ports", "cleanup",
};

void sw_config_defaults(struct sw_config *c)
{
	memset(c, 0, sizeof(*c));
	sw_ewma_params_default(&c->ewma);
	sw_leak_defaults(&c->leaks);
	sw_protect_defaults(&c->protection);
	c->on_breach.kind = SW_ACTION_NONE;
	c->agent = (struct sw_agent_cfg){
		.max_keys = 4096,
		.key_idle_ns = 300 * NSEC_PER_SEC,
		.reconcile_ns = 10 * NSEC_PER_SEC,
		.ring_buffer_kb = 1024,
		.host_root = "/",
	};
	strcpy(c->http.listen, "127.0.0.1:9178");
	c->http.top_k = 20;
	c->http.max_connections = 64;
	c->http.per_ip_connections = 16;
	c->http.timeout_ns = 10 * NSEC_PER_SEC;
	c->health = (struct sw_health_cfg){
		.interval_ns = 30 * NSEC_PER_SEC,
		.ephemeral_warning_percent = 60,
		.ephemeral_critical_percent = 80,
		.time_wait_warning = 10,
		.connections_warning = 10000,
		.nofile_warning = 1024,
		.tls_warn_days = 30,
	};
	strcpy(c->ports.state_file, SW_REGISTRY_DEFAULT);
	sw_cleanup_defaults(&c->cleanup);
	c->flood.connections_per_second = 100;
	c->flood.window_ns = 5 * NSEC_PER_SEC;
}

/* ---- parsing ------------------------------------------------------------------ */

/*
 * Bounds on what the reader takes in: a line longer than inih's buffer is
 * refused rather than split, and a file (or a device such as /dev/zero)
 * is never read past SW_CFG_MAX_BYTES, so memory and time stay bounded
 * whatever the path points at.
 */
#define SW_CFG_LINE_MAX		512
#define SW_CFG_MAX_BYTES	(1 << 20)

/*
 * State of one load. inih's handler is not told the line number, so the
 * reader counts lines (inih asks for one line per call) and remembers where
 * each key was set, for the messages of cross-key checks. The line buffer
 * is part of the state: reading allocates nothing, so an allocation failure
 * can never look like the end of the file.
 */
struct load {
	struct sw_config cfg;
	FILE   *f;
	size_t  bytes;		/* read so far */
	int     lineno;
	int     set_at[NKEYS];	/* line of the key's last assignment, 0 = unset */
	bool    failed;		/* first error recorded */
	int     err_line;	/* its line, 0 = about the whole file */
	int     max_line;	/* inih's line length, for messages */
	char    err[ERRLEN];
	char    line[SW_CFG_LINE_MAX + 2];
};

__attribute__((format(printf, 3, 4)))
static int fail(struct load *l, int line, const char *fmt, ...)
{
	va_list ap;

	if (l->failed)
		return 0;
	l->failed = true;
	l->err_line = line;
	va_start(ap, fmt);
	vsnprintf(l->err, sizeof(l->err), fmt, ap);
	va_end(ap);
	return 0;
}

static bool known_section(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strlen(sections[i]) == len && !strncmp(sections[i], name, len))
			return true;
	return false;
}

/*
 * "[name]": refuse an unknown section even when it holds no keys, and
 * anything but blanks or a comment after the ']' (inih ignores it).
 */
static bool check_section(struct load *l, const char *s)
{
	const char *end = strchr(s, ']');
	const char *b = s + 1, *after;
	char q[SW_QUOTE_LEN];
	size_t n;

	if (!end)
		return true;	/* inih reports the syntax error */
	after = end + 1 + strspn(end + 1, " \t\r\n");
	if (*after && *after != ';' && *after != '#') {
		n = strlen(after);
		while (n && isspace((unsigned char)after[n - 1]))
			n--;
		fail(l, l->lineno, "text after ']': %s",
		     sw_quote_mem(q, sizeof(q), after, n));
		return false;
	}
	while (b < end && isspace((unsigned char)*b))
		b++;
	while (end > b && isspace((unsigned char)end[-1]))
		end--;
	if (known_section(b, end - b))
		return true;
	fail(l, l->lineno, "unknown section %s",
	     sw_quote_mem(q, sizeof(q), b, end - b));
	return false;
}

/*
 * One line into l->line, at most max bytes, refusing NUL bytes. Returns
 * its length, -1 at the end of the file, -2 after fail().
 */
static int read_line(struct load *l, int max)
{
	int c, n = 0;

	while ((c = getc_unlocked(l->f)) != EOF) {
		if (++l->bytes > SW_CFG_MAX_BYTES) {
			fail(l, l->lineno + 1, "file larger than %d bytes",
			     SW_CFG_MAX_BYTES);
			return -2;
		}
		if (c == '\0') {
			fail(l, l->lineno + 1, "NUL byte (not a text file?)");
			return -2;
		}
		if (n == max) {
			fail(l, l->lineno + 1, "line too long (at most %d characters)",
			     l->max_line);
			return -2;
		}
		l->line[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (ferror(l->f)) {
		fail(l, l->lineno + 1, "read error: %s", strerror(errno));
		return -2;
	}
	if (!n)
		return -1;
	l->line[n] = '\0';
	return n;
}

/* Is s well-formed UTF-8 (no overlong forms, surrogates or > U+10FFFF)? */
static bool utf8_valid(const unsigned char *s)
{
	unsigned int cp, need, min;

	while (*s) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0)
			need = 1, cp = *s & 0x1f, min = 0x80;
		else if ((*s & 0xf0) == 0xe0)
			need = 2, cp = *s & 0x0f, min = 0x800;
		else if ((*s & 0xf8) == 0xf0)
			need = 3, cp = *s & 0x07, min = 0x10000;
		else
			return false;
		for (s++; need; need--, s++) {
			if ((*s & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*s & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

/*
 * inih's reader: one whole line, leading blanks stripped. Stripping them
 * turns off inih's continuation lines, which would otherwise take an
 * indented "key = value" as more of the previous value. A line that does
 * not fit inih's buffer, holds a NUL byte or is not UTF-8 is refused: the
 * load fails with the line's number rather than going on with a part of
 * it, or with defaults.
 */
static char *reader(char *str, int num, void *stream)
{
	struct load *l = stream;
	int max = num - 3 < SW_CFG_LINE_MAX ? num - 3 : SW_CFG_LINE_MAX;
	char *s;

	l->max_line = max;
	if (l->failed || read_line(l, SW_CFG_LINE_MAX) < 0)
		return NULL;
	l->lineno++;
	s = l->line;
	while (*s == ' ' || *s == '\t')
		s++;
	if ((int)strlen(s) > max) {
		fail(l, l->lineno, "line too long (at most %d characters)", max);
		return NULL;
	}
	if (!utf8_valid((const unsigned char *)s)) {
		fail(l, l->lineno, "invalid UTF-8");
		return NULL;
	}
	if (*s == '[' && !check_section(l, s))
		return NULL;
	strcpy(str, s);
	return str;
}

static int store(struct load *l, const struct key *k, const char *v,
		 char *err, size_t len)
{
	void *p = (char *)&l->cfg + k->off;
	double d = 0;
	__u64 u;

	switch (k->kind) {
	case K_U32:
	case K_U64:
		if (sw_parse_u64(v, (__u64)k->min, (__u64)k->max, &u, err, len))
			return -1;
		if (k->kind == K_U32)
			*(__u32 *)p = u;
		else
			*(__u64 *)p = u;
		return 0;
	case K_DOUBLE:
	case K_SECONDS:
		if (sw_parse_double(v, k->min, k->max, &d, err, len))
			return -1;
		break;
	case K_STR:
		if (strlen(v) >= k->size) {
			snprintf(err, len, "value too long");
			return -1;
		}
		strcpy(p, v);
		return 0;
	case K_FN:
		return k->fn(&l->cfg, v, err, len);
	}
	if (k->min_excl && d <= k->min) {
		snprintf(err, len, "must be greater than %g", k->min);
		return -1;
	}
	if (k->kind == K_DOUBLE)
		*(double *)p = d;
	else
		*(__u64 *)p = (__u64)llround(d * (double)NSEC_PER_SEC);
	return 0;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct load *l = user;
	char err[ERRLEN], q[SW_QUOTE_LEN], qs[SW_QUOTE_LEN];
	size_t i;

	if (l->failed)
		return 0;
	if (!*section)
		return fail(l, l->lineno, "key %s outside of any section",
			    sw_quote(q, sizeof(q), name));
	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			break;
	if (i == NKEYS && !known_section(section, strlen(section)))
		/* a header inih read otherwise than check_section did */
		return fail(l, l->lineno, "unknown key %s in section %s",
			    sw_quote(q, sizeof(q), name),
			    sw_quote(qs, sizeof(qs), section));
	if (i == NKEYS)
		return fail(l, l->lineno, "unknown key %s in [%s]",
			    sw_quote(q, sizeof(q), name), section);
	if (store(l, &keys[i], value, err, sizeof(err)))
		return fail(l, l->lineno, "[%s] %s: %s", section, name, err);
	l->set_at[i] = l->lineno;
	return 1;
}

/* ---- checks across keys -------------------------------------------------- */

/* The line of the later of two keys (b may be NULL), 0 when neither is set. */
static int line_of(const struct load *l, const char *section, const char *a,
		   const char *b)
{
	int line = 0;
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].section, section))
			continue;
		if ((!strcmp(keys[i].name, a) || (b && !strcmp(keys[i].name, b))) &&
		    l->set_at[i] > line)
			line = l->set_at[i];
	}
	return line;
}

/* The keys a failed [ewma] check is about, to point at the right line. */
static const char *const ewma_other[SW_EWMA_NFIELDS] = {
	[SW_EWMA_F_MAX_PORTS]		= "min_ports",
	[SW_EWMA_F_SHORT_SAMPLES]	= "long_samples",
};

static void check_ewma(struct load *l)
{
	enum sw_ewma_field f;
	char err[ERRLEN];

	if (!sw_ewma_params_check(&l->cfg.ewma, NULL, &f, err, sizeof(err)))
		return;
	fail(l, line_of(l, "ewma", sw_ewma_key_names[f], ewma_other[f]),
	     "[ewma] %s", err);
}

static void check_cross(struct load *l)
{
	const struct sw_config *c = &l->cfg;

	check_ewma(l);
	if (c->http.per_ip_connections > c->http.max_connections)
		fail(l, line_of(l, "http", "per_ip_connections", "max_connections"),
		     "[http] per_ip_connections (%u) must not exceed "
		     "max_connections (%u)", c->http.per_ip_connections,
		     c->http.max_connections);
	if (c->health.ephemeral_warning_percent >=
	    c->health.ephemeral_critical_percent)
		fail(l, line_of(l, "health", "ephemeral_warning_percent",
				"ephemeral_critical_percent"),
		     "[health] ephemeral_warning_percent (%g) must be less than "
		     "ephemeral_critical_percent (%g)",
		     c->health.ephemeral_warning_percent,
		     c->health.ephemeral_critical_percent);
}

/* ---- entry points ----------------------------------------------------------- */

static int load_file(const char *name, FILE *f, struct sw_config *out,
		     char *err, size_t errlen)
{
	struct load *l;
	int r, ret = -1;

	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	sw_config_defaults(&l->cfg);
	l->f = f;
	r = ini_parse_stream(reader, l, handler, l);
	if (r > 0 && (!l->failed || r < l->err_line)) {
		l->failed = false;
		fail(l, r, "syntax error (want [section] or key = value)");
	} else if (r < 0) {
		fail(l, 0, "cannot parse: out of memory");
	}
	if (!l->failed)
		check_cross(l);
	if (l->failed && l->err_line > 0)
		snprintf(err, errlen, "%s:%d: %s", name, l->err_line, l->err);
	else if (l->failed)
		snprintf(err, errlen, "%s: %s", name, l->err);
	else
		ret = 0;
	if (!ret) {
		snprintf(l->cfg.source, sizeof(l->cfg.source), "%s", name);
		*out = l->cfg;
	}
	free(l);
	return ret;
}

int sw_config_load(const char *path, struct sw_config *out, char *err,
		   size_t errlen)
{
	FILE *f = fopen(path, "re");
	struct stat st;
	int r;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not a config file", path);
		fclose(f);
		return -1;
	}
	r = load_file(path, f, out, err, errlen);
	fclose(f);
	return r;
}

int sw_config_load_mem(const char *name, const void *data, size_t len,
		       struct sw_config *out, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)data, len, "r");
	int r;

	if (!f) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	r = load_file(name, f, out, err, errlen);
	fclose(f);
	return r;
}

int sw_config_load_string(const char *name, const char *text,
			  struct sw_config *out, char *err, size_t errlen)
{
	return sw_config_load_mem(name, text, strlen(text), out, err, errlen);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "detect/protection.h"
#include "lib/portrange.h"
#include "lib/quote.h"

static const char *const reason_names[SW_PROT_NREASONS] = {
	[SW_PROT_LISTENING]		= "listening",
	[SW_PROT_CRITICAL_PORT]		= "critical_port",
	[SW_PROT_INFRASTRUCTURE]	= "infrastructure",
	[SW_PROT_ACTIVE_TRAFFIC]	= "active_traffic",
	[SW_PROT_YOUNG]			= "young",
	[SW_PROT_UNPROTECTED]		= "unprotected",
};

const char *sw_prot_reason_name(enum sw_prot_reason r)
{
	return r < SW_PROT_NREASONS ? reason_names[r] : "?";
}

int sw_list_next(const char **p, char *tok, size_t toklen)
{
	const char *s = *p, *end, *comma;
	size_t n;

	if (!s)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	comma = strchr(s, ',');
	end = comma ? comma : s + strlen(s);
	*p = comma ? comma + 1 : end;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	n = end - s;
	if (n >= toklen)
		return -1;
	memcpy(tok, s, n);
	tok[n] = '\0';
	return 1;
}

bool sw_protect_port_is_critical(const struct sw_protect_cfg *c, __u16 port)
{
	return port && sw_portset_has(&c->critical, port);
}

int sw_protect_set_ports(struct sw_protect_cfg *c, const char *list,
			 char *err, size_t errlen)
{
	struct sw_portset set = { 0 };	/* 8 KiB */
	char tok[32], q[SW_QUOTE_LEN], why[SW_PORT_WHY_LEN];
	struct sw_portrange pr;
	int r;

	while ((r = sw_list_next(&list, tok, sizeof(tok))) > 0) {
		if (sw_portrange_parse(tok, &pr, why)) {
			snprintf(err, errlen, "bad port or range %s (want "
				 "1-65535 or LOW-HIGH)", sw_quote(q, sizeof(q), tok));
			return -1;
		}
		sw_portset_add_range(&set, &pr);
	}
	if (r < 0) {
		snprintf(err, errlen, "port list item too long");
		return -1;
	}
	c->critical = set;
	return 0;
}

int sw_protect_set_patterns(struct sw_protect_cfg *c, const char *list,
			    char *err, size_t errlen)
{
	char pat[SW_PROT_MAX_PATTERNS][SW_PROT_PATTERN_LEN];
	char tok[SW_PROT_PATTERN_LEN];
	unsigned int n = 0;
	int r;

	while ((r = sw_list_next(&list, tok, sizeof(tok))) > 0) {
		if (!tok[0]) {
			snprintf(err, errlen, "empty pattern");
			return -1;
		}
		if (n == SW_PROT_MAX_PATTERNS) {
			snprintf(err, errlen, "more than %d patterns",
				 SW_PROT_MAX_PATTERNS);
			return -1;
		}
		memcpy(pat[n++], tok, sizeof(tok));
	}
	if (r < 0) {
		snprintf(err, errlen, "a pattern is longer than %d characters",
			 SW_PROT_PATTERN_LEN - 1);
		return -1;
	}
	memcpy(c->patterns, pat, sizeof(pat));
	c->npatterns = n;
	return 0;
}

void sw_protect_defaults(struct sw_protect_cfg *c)
{
	char err[8];

	memset(c, 0, sizeof(*c));
	sw_protect_set_ports(c, SW_PROT_DEFAULT_PORTS, err, sizeof(err));
	sw_protect_set_patterns(c, SW_PROT_DEFAULT_PATTERNS, err, sizeof(err));
	c->active_bytes = 1024;
	c->min_age_ns = 300ULL * 1000000000ULL;
}

int sw_protect_match_infra(const struct sw_protect_cfg *c, const char *comm,
			   const char *cmdline)
{
	__u32 i;

	for (i = 0; i < c->npatterns; i++) {
		if (comm && strcasestr(comm, c->patterns[i]))
			return i;
		if (cmdline && strcasestr(cmdline, c->patterns[i]))
			return i;
	}
	return -1;
}

/* Layer 1. An unconnected, bound UDP socket is what `ss -l` lists too. */
static bool is_listening(const struct sw_sock *s)
{
	if (s->proto == IPPROTO_UDP)
		return s->lport && !s->rport;
	return s->state == SW_TCP_LISTEN;
}

static bool decided(struct sw_prot_decision *d, enum sw_prot_reason r)
{
	d->reason = r;
	return true;
}

/* Layers 1-3, the ones that do not depend on the socket's history. */
static bool decide_static(const struct sw_protect_cfg *c,
			  const struct sw_sock *s, sw_infra_fn infra,
			  void *ctx, struct sw_prot_decision *d)
{
	if (is_listening(s))
		return decided(d, SW_PROT_LISTENING);
	if (sw_protect_port_is_critical(c, s->lport)) {
		d->port = s->lport;
		return decided(d, SW_PROT_CRITICAL_PORT);
	}
	if (sw_protect_port_is_critical(c, s->rport)) {
		d->port = s->rport;
		return decided(d, SW_PROT_CRITICAL_PORT);
	}
	d->pattern = infra ? infra(ctx, s) : -1;
	return d->pattern >= 0 && decided(d, SW_PROT_INFRASTRUCTURE);
}

void sw_protect_decide(const struct sw_protect_cfg *c, const struct sw_sock *s,
		       __u64 now_ns, sw_infra_fn infra, void *ctx,
		       struct sw_prot_decision *d)
{
	*d = (struct sw_prot_decision){ .reason = SW_PROT_UNPROTECTED,
					.pattern = -1 };
	if (decide_static(c, s, infra, ctx, d))
		return;
	if (s->rx_bytes + s->tx_bytes > c->active_bytes)
		d->reason = SW_PROT_ACTIVE_TRAFFIC;
	else if (now_ns < s->birth_ns || now_ns - s->birth_ns < c->min_age_ns)
		d->reason = SW_PROT_YOUNG;
}

struct cmd_ctx {
	const struct sw_protect_cfg *c;
	const char *cmdline;
};

static int match_cmd(void *ctx, const struct sw_sock *s)
{
	struct cmd_ctx *cc = ctx;
	char comm[SW_COMM_LEN + 1];

	/* the kernel's comm is NUL-terminated, a snapshot's may not be */
	memcpy(comm, s->comm, SW_COMM_LEN);
	comm[SW_COMM_LEN] = '\0';
	return sw_protect_match_infra(cc->c, comm, cc->cmdline);
}

void sw_protect_decide_cmd(const struct sw_protect_cfg *c,
			   const struct sw_sock *s, const char *cmdline,
			   __u64 now_ns, struct sw_prot_decision *d)
{
	struct cmd_ctx cc = { c, cmdline };

	sw_protect_decide(c, s, now_ns, match_cmd, &cc, d);
}

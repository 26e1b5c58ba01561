// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Network statistics (the seed's network/stats): per-interface counters
 * from one rtnetlink RTM_GETLINK dump (IFLA_STATS64), plain netlink and
 * no library for one request; TCP sockets by state from sock_diag.
 *
 * The interfaces health check warns when an interface's errors or drops
 * grew since the previous run: the counters only ever grow, so growth,
 * not their level, is news. A counter that went back (the interface was
 * re-created) is a new baseline, not growth.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include "health/health_impl.h"
#include "lib/json_writer.h"
#include "table/decode.h"
#include "table/sockdiag.h"

#define LINK_BUF	(32 * 1024)

static void parse_link(struct sw_ifstats *out, const struct nlmsghdr *h)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct rtattr *a = IFLA_RTA(ifi);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	struct sw_ifstat *s;
	struct rtnl_link_stats64 st;

	if (out->n == SW_HEALTH_MAX_IFS) {
		out->left_out++;
		return;
	}
	if (len < 0)
		return;
	s = &out->v[out->n];
	memset(s, 0, sizeof(*s));
	s->ifindex = (__u32)ifi->ifi_index;
	s->up = ifi->ifi_flags & IFF_UP;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			snprintf(s->name, sizeof(s->name), "%.*s", (int)RTA_PAYLOAD(a),
				 (const char *)RTA_DATA(a));
		if (a->rta_type != IFLA_STATS64)
			continue;
		memset(&st, 0, sizeof(st));
		memcpy(&st, RTA_DATA(a), RTA_PAYLOAD(a) < sizeof(st) ? RTA_PAYLOAD(a) : sizeof(st));
		s->rx_bytes = st.rx_bytes;
		s->tx_bytes = st.tx_bytes;
		s->rx_packets = st.rx_packets;
		s->tx_packets = st.tx_packets;
		s->rx_errors = st.rx_errors;
		s->tx_errors = st.tx_errors;
		s->rx_dropped = st.rx_dropped;
		s->tx_dropped = st.tx_dropped;
	}
	out->n++;
}

static int recv_links(int fd, char *buf, struct sw_ifstats *out)
{
	struct nlmsghdr *h;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, LINK_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)NLMSG_DATA(h))->error ?: -EIO;
			if (h->nlmsg_type == RTM_NEWLINK)
				parse_link(out, h);
		}
	}
}

int sw_netstats_links(struct sw_ifstats *out)
{
	struct {
		struct nlmsghdr nlh;
		struct ifinfomsg ifi;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1,
		},
		.ifi = { .ifi_family = AF_UNSPEC },
	};
	char *buf;
	int fd, ret;

	memset(out, 0, sizeof(*out));
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	buf = malloc(LINK_BUF);
	if (!buf)
		ret = -ENOMEM;
	else if (send(fd, &req, sizeof(req), 0) < 0)
		ret = -errno;
	else
		ret = recv_links(fd, buf, out);
	free(buf);
	close(fd);
	return ret;
}

void sw_netstats_growth(struct sw_ifstats *cur, const struct sw_ifstats *prev)
{
	unsigned int i, k;

	cur->compared = prev && prev->n;
	for (i = 0; cur->compared && i < cur->n; i++) {
		struct sw_ifstat *c = &cur->v[i];
		__u64 err = c->rx_errors + c->tx_errors, drop = c->rx_dropped + c->tx_dropped;

		for (k = 0; k < prev->n; k++) {
			const struct sw_ifstat *p = &prev->v[k];
			__u64 perr = p->rx_errors + p->tx_errors;
			__u64 pdrop = p->rx_dropped + p->tx_dropped;

			if (p->ifindex != c->ifindex || strcmp(p->name, c->name))
				continue;
			c->errors_growth = err > perr ? err - perr : 0;
			c->drops_growth = drop > pdrop ? drop - pdrop : 0;
			break;
		}
	}
}

void sw_health_links(const struct sw_health_limits *lim, struct sw_health_report *r)
{
	struct sw_health_check *c = &r->check[SW_HC_INTERFACES];
	char grew[96] = "";
	__u64 errs = 0, drops = 0;
	size_t len;
	unsigned int i;
	int ret = sw_netstats_links(&r->ifs);

	if (ret < 0) {
		hc_fig_str(c, "counters", "unavailable: %s", strerror(-ret));
		return;
	}
	sw_netstats_growth(&r->ifs, lim->ifs_prev);
	for (i = 0; i < r->ifs.n; i++) {
		const struct sw_ifstat *s = &r->ifs.v[i];

		if (!s->errors_growth && !s->drops_growth)
			continue;
		errs += s->errors_growth;
		drops += s->drops_growth;
		len = strlen(grew);
		snprintf(grew + len, sizeof(grew) - len, "%s%s", len ? "," : "", s->name);
	}
	if (r->ifs.left_out)
		hc_fig_int(c, "counters_left_out", r->ifs.left_out);
	hc_fig_int(c, "errors_growth", (__s64)errs);
	hc_fig_int(c, "drops_growth", (__s64)drops);
	if (!errs && !drops)
		return;
	/* growth of errors or drops outranks "ok": keep a worse status */
	if (c->status > SW_HEALTH_WARNING)
		return;
	hc_result(c, SW_HEALTH_WARNING,
		  "look at the interface (ip -s link show DEV): cabling, driver, full queues or buffers",
		  "errors or drops grew since the last check on %s (+%llu errors, +%llu drops)",
		  grew, (unsigned long long)errs, (unsigned long long)drops);
}

static int count_state(const struct sw_diag_sock *s, void *arg)
{
	__u32 *by_state = arg;

	if (s->state < SW_TCP_MAX_STATES)
		by_state[s->state]++;
	return 0;
}

int sw_netstats_tcp_states(__u32 by_state[SW_TCP_MAX_STATES])
{
	struct sw_diag_req req = { .protos = SW_DIAG_TCP };

	memset(by_state, 0, SW_TCP_MAX_STATES * sizeof(*by_state));
	return sw_diag_dump_all(&req, count_state, by_state);
}

static void ifstat_json(struct sw_json *j, const struct sw_ifstat *s, bool compared)
{
	sw_json_obj_begin(j);
	sw_json_kstr(j, "name", s->name);
	sw_json_kuint(j, "ifindex", s->ifindex);
	sw_json_kbool(j, "up", s->up);
	sw_json_kuint(j, "rx_bytes", s->rx_bytes);
	sw_json_kuint(j, "tx_bytes", s->tx_bytes);
	sw_json_kuint(j, "rx_packets", s->rx_packets);
	sw_json_kuint(j, "tx_packets", s->tx_packets);
	sw_json_kuint(j, "rx_errors", s->rx_errors);
	sw_json_kuint(j, "tx_errors", s->tx_errors);
	sw_json_kuint(j, "rx_dropped", s->rx_dropped);
	sw_json_kuint(j, "tx_dropped", s->tx_dropped);
	if (compared) {
		sw_json_kuint(j, "errors_growth", s->errors_growth);
		sw_json_kuint(j, "drops_growth", s->drops_growth);
	} else {
		sw_json_knull(j, "errors_growth");
		sw_json_knull(j, "drops_growth");
	}
	sw_json_obj_end(j);
}

void sw_netstats_ifs_json(struct sw_json *j, const struct sw_ifstats *ifs)
{
	unsigned int i;

	sw_json_arr_begin(j);
	for (i = 0; i < ifs->n; i++)
		ifstat_json(j, &ifs->v[i], ifs->compared);
	sw_json_arr_end(j);
}

int sw_netstats_json(struct sw_json *j, const struct sw_ifstats *prev)
{
	static const char *const io_keys[] = {
		"bytes_recv", "bytes_sent", "packets_recv", "packets_sent",
		"errors_in", "errors_out", "drops_in", "drops_out",
	};
	struct sw_ifstats *ifs = malloc(sizeof(*ifs));
	__u32 by_state[SW_TCP_MAX_STATES];
	__u64 io[8] = { 0 }, total = 0;
	unsigned int i, k;
	int ret;

	if (!ifs)
		return -ENOMEM;
	ret = sw_netstats_links(ifs);
	if (!ret)
		ret = sw_netstats_tcp_states(by_state);
	if (ret < 0) {
		free(ifs);
		return ret;
	}
	sw_netstats_growth(ifs, prev);
	sw_json_obj_begin(j);
	sw_json_key(j, "interfaces");
	sw_netstats_ifs_json(j, ifs);
	sw_json_kuint(j, "interfaces_left_out", ifs->left_out);
	for (i = 0; i < ifs->n; i++) {
		const struct sw_ifstat *s = &ifs->v[i];
		const __u64 v[8] = { s->rx_bytes, s->tx_bytes, s->rx_packets, s->tx_packets,
				     s->rx_errors, s->tx_errors, s->rx_dropped, s->tx_dropped };

		for (k = 0; k < 8; k++)
			io[k] += v[k];
	}
	sw_json_key(j, "io");
	sw_json_obj_begin(j);
	for (k = 0; k < 8; k++)
		sw_json_kuint(j, io_keys[k], io[k]);
	sw_json_obj_end(j);
	sw_json_key(j, "connections");
	sw_json_obj_begin(j);
	for (i = 1; i < SW_TCP_MAX_STATES; i++)
		total += by_state[i];
	sw_json_kuint(j, "total", total);
	sw_json_key(j, "by_state");
	sw_json_obj_begin(j);
	for (i = 1; i < SW_TCP_MAX_STATES; i++)
		if (by_state[i])
			sw_json_kuint(j, sw_tcp_state_name(i), by_state[i]);
	sw_json_obj_end(j);
	sw_json_obj_end(j);
	sw_json_obj_end(j);
	free(ifs);
	return 0;
}

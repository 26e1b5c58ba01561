// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Port inventory and free-port search. See ports.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "table/decode.h"
#include "health/ports.h"

bool sw_port_is_held(const struct sw_diag_sock *s, bool all)
{
	if (!s->lport)
		return false;
	if (s->proto == IPPROTO_UDP)
		return true;
	if (s->state == SW_TCP_LISTEN || s->state == SW_TCP_CLOSE)
		return true;
	return all && s->state != SW_TCP_TIME_WAIT &&
	       s->state != SW_TCP_NEW_SYN_RECV;
}

bool sw_port_is_exposed(const struct sw_diag_sock *s)
{
	bool open = s->proto == IPPROTO_UDP ? !s->rport : s->state == SW_TCP_LISTEN;

	return s->lport && open && sw_addr_is_any(s->family, s->laddr);
}

int sw_port_list_add(struct sw_port_list *l, const struct sw_diag_sock *s,
		     const struct sw_owner_map *map)
{
	const struct sw_owner *o = map ? sw_owner_lookup(map, s->inode) : NULL;
	struct sw_port_ent *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		e = realloc(l->v, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		l->v = e;
		l->cap = cap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->netns = s->netns;
	e->nsock = 1;
	e->port = s->lport;
	e->family = s->family;
	e->proto = s->proto;
	e->state = s->proto == IPPROTO_TCP ? s->state : SW_TCP_NONE;
	e->all_interfaces = sw_addr_is_any(s->family, s->laddr);
	memcpy(e->addr, s->laddr, 16);
	if (o) {
		e->pid = o->pid;
		memcpy(e->comm, o->comm, SW_COMM_LEN);
	}
	return 0;
}

/* Everything but nsock and comm decides identity; port first for output. */
static int ent_cmp(const void *pa, const void *pb)
{
	const struct sw_port_ent *a = pa, *b = pb;
	int d;

	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto - b->proto;
	if (a->family != b->family)
		return a->family - b->family;
	d = memcmp(a->addr, b->addr, 16);
	if (d)
		return d;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->state - b->state;
}

void sw_port_list_finish(struct sw_port_list *l)
{
	size_t i, out = 0;

	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof(*l->v), ent_cmp);
	for (i = 1; i < l->n; i++) {
		if (!ent_cmp(&l->v[out], &l->v[i]))
			l->v[out].nsock++;
		else
			l->v[++out] = l->v[i];
	}
	l->n = out + 1;
}

void sw_port_list_free(struct sw_port_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* State of one sw_ports_collect() dump. */
struct collect_ctx {
	const struct sw_portrange *r;
	bool all;
	struct sw_owner_map map;
	struct sw_port_list *out;
};

static int collect_cb(const struct sw_diag_sock *s, void *arg)
{
	struct collect_ctx *c = arg;

	if (s->lport < c->r->lo || s->lport > c->r->hi || !sw_port_is_held(s, c->all))
		return 0;
	return sw_port_list_add(c->out, s, &c->map);
}

int sw_ports_collect(const struct sw_portrange *r, bool all,
		     struct sw_port_list *out)
{
	struct sw_diag_req req = { 0 };
	struct collect_ctx c = { .r = r, .all = all, .out = out };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = sw_owner_map_build(&c.map);
	if (ret < 0)
		return ret;
	ret = sw_diag_dump_all(&req, collect_cb, &c);
	sw_owner_map_free(&c.map);
	if (ret < 0) {
		sw_port_list_free(out);
		return ret;
	}
	sw_port_list_finish(out);
	return 0;
}

static int bind_one(int family, __u16 port, bool reuseaddr)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd, ret = 0;

	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (reuseaddr)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET ? bind(fd, (struct sockaddr *)&s4, sizeof(s4)) :
				bind(fd, (struct sockaddr *)&s6, sizeof(s6)))
		ret = -errno;
	close(fd);
	return ret;
}

int sw_port_bind_test(__u16 port, bool reuseaddr)
{
	int ret = bind_one(AF_INET, port, reuseaddr);

	if (ret)
		return ret;
	ret = bind_one(AF_INET6, port, reuseaddr);
	if (ret == -EAFNOSUPPORT || ret == -EADDRNOTAVAIL)
		ret = 0;
	return ret;
}

int sw_port_mark_used(const struct sw_diag_sock *s, void *portset)
{
	if (s->lport)
		sw_portset_add_range(portset, &(struct sw_portrange){ s->lport, s->lport });
	return 0;
}

int sw_port_find_free(const struct sw_portrange *r, __u16 *port)
{
	struct sw_diag_req req = { 0 };
	struct sw_portset *used;
	unsigned int p;
	int ret;

	used = calloc(1, sizeof(*used));
	if (!used)
		return -ENOMEM;
	ret = sw_diag_dump(-1, &req, sw_port_mark_used, used);
	for (p = r->lo; !ret && p <= r->hi; p++) {
		if (sw_portset_has(used, (__u16)p) || sw_port_bind_test((__u16)p, false))
			continue;
		*port = (__u16)p;
		free(used);
		return 0;
	}
	free(used);
	return ret ? ret : -ENOENT;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * NETLINK_SOCK_DIAG dumps of inet sockets, and network namespace walking.
 * See sockdiag.h for the contract.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <linux/tcp.h>
#include "table/procfs.h"
#include "table/sockdiag.h"

/*
 * One recvmsg() returns at most one skb of the dump, which the kernel
 * sizes to the reader's buffer up to 32 KiB (more with large pages), so
 * 64 KiB is always enough and costs one allocation per dump.
 */
#define DIAG_BUF_SIZE	(64 * 1024)
/* Socket receive buffer: lets the kernel queue ahead of the reader. */
#define DIAG_RCVBUF	(4 * 1024 * 1024)

__u32 sw_netns_self(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) < 0)
		return 0;
	return (__u32)st.st_ino;
}

static __u32 fd_ino(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	return (__u32)st.st_ino;
}

int sw_netns_run(int netns_fd, int (*fn)(void *arg), void *arg)
{
	int orig, ret;

	if (netns_fd < 0 || fd_ino(netns_fd) == sw_netns_self())
		return fn(arg);
	orig = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return -errno;
	if (setns(netns_fd, CLONE_NEWNET) < 0) {
		ret = -errno;
		close(orig);
		return ret;
	}
	ret = fn(arg);
	if (setns(orig, CLONE_NEWNET) < 0) {
		/* The thread would go on in a foreign namespace: never. */
		perror("sockwatch: setns back to the original netns");
		abort();
	}
	close(orig);
	return ret;
}

static int open_nl(void *arg)
{
	int rcvbuf = DIAG_RCVBUF;
	int fd;

	(void)arg;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	/* FORCE ignores rmem_max when we may; plain RCVBUF otherwise. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

int sw_diag_open(int netns_fd)
{
	return sw_netns_run(netns_fd, open_nl, NULL);
}

/* A dump request whose body follows nlh: the header filled in, and sent. */
static int send_dump(int fd, struct nlmsghdr *nlh, size_t len, __u16 type,
		     __u32 seq)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	nlh->nlmsg_len = len;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (sendto(fd, nlh, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

static int send_req(int fd, __u8 family, __u8 proto, const struct sw_diag_req *req,
		    __u32 seq)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} msg;

	memset(&msg, 0, sizeof(msg));
	msg.r.sdiag_family = family;
	msg.r.sdiag_protocol = proto;
	msg.r.idiag_states = req->states ? req->states : SW_DIAG_ALL_STATES;
	if (req->want_info && proto == IPPROTO_TCP)
		msg.r.idiag_ext = 1 << (INET_DIAG_INFO - 1);
	return send_dump(fd, &msg.nlh, sizeof(msg), SOCK_DIAG_BY_FAMILY, seq);
}

/*
 * TCP of both families in one request: the old TCPDIAG_GETSOCK dump asks
 * with family AF_UNSPEC, so the kernel walks its established hash (its
 * size set by memory, 262,144 buckets on a 2-core VM, however few the
 * sockets) once instead of once per family: half the cost of listing
 * 100,000 sockets. A kernel without it answers the request with an error
 * before any record; that is remembered, and each family asked apart.
 */
static int tcp_both_families;	/* 0: not tried, 1: works, -1: not here */

static int send_req_both(int fd, const struct sw_diag_req *req, __u32 seq)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req r;
	} msg;

	memset(&msg, 0, sizeof(msg));
	msg.r.idiag_family = AF_INET;	/* unused by the dump: it takes both */
	msg.r.idiag_states = req->states ? req->states : SW_DIAG_ALL_STATES;
	if (req->want_info)
		msg.r.idiag_ext = 1 << (INET_DIAG_INFO - 1);
	return send_dump(fd, &msg.nlh, sizeof(msg), TCPDIAG_GETSOCK, seq);
}

static void parse_attrs(struct sw_diag_sock *s, const struct inet_diag_msg *m,
			int len)
{
	const struct rtattr *a = (const struct rtattr *)(m + 1);
	struct tcp_info ti;
	size_t n;

	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type != INET_DIAG_INFO || s->proto != IPPROTO_TCP)
			continue;
		/* Older kernels send a shorter struct: missing fields stay 0. */
		memset(&ti, 0, sizeof(ti));
		n = RTA_PAYLOAD(a);
		memcpy(&ti, RTA_DATA(a), n < sizeof(ti) ? n : sizeof(ti));
		s->bytes_received = ti.tcpi_bytes_received;
		s->bytes_acked = ti.tcpi_bytes_acked;
		s->has_info = true;
	}
}

static void fill_sock(struct sw_diag_sock *s, const struct nlmsghdr *h,
		      __u8 proto, __u32 netns)
{
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	size_t alen = m->idiag_family == AF_INET ? 4 : 16;

	memset(s, 0, sizeof(*s));
	s->cookie = (__u64)m->id.idiag_cookie[0] |
		    (__u64)m->id.idiag_cookie[1] << 32;
	s->inode = m->idiag_inode;
	s->netns = netns;
	s->uid = m->idiag_uid;
	s->rqueue = m->idiag_rqueue;
	s->wqueue = m->idiag_wqueue;
	s->lport = ntohs(m->id.idiag_sport);
	s->rport = ntohs(m->id.idiag_dport);
	memcpy(s->laddr, m->id.idiag_src, alen);
	memcpy(s->raddr, m->id.idiag_dst, alen);
	s->family = m->idiag_family;
	s->proto = proto;
	s->state = m->idiag_state;
	parse_attrs(s, m, (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
}

/*
 * Read one dump to its end. Returns 0 at NLMSG_DONE, the callback's
 * non-zero value, or -errno. A callback that stops leaves the rest of the
 * dump queued: drain it so the socket can serve the next request.
 */
static int recv_dump(int fd, char *buf, __u8 proto, __u32 seq, __u32 netns,
		     sw_diag_cb cb, void *ctx)
{
	struct sw_diag_sock s;
	struct nlmsghdr *h;
	int stop = 0;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, DIAG_BUF_SIZE, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return stop;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error ? e->error : -EIO;
			}
			if (stop || (h->nlmsg_type != SOCK_DIAG_BY_FAMILY &&
				     h->nlmsg_type != TCPDIAG_GETSOCK) ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			fill_sock(&s, h, proto, netns);
			stop = cb(&s, ctx);
		}
	}
}

struct both_ctx {
	sw_diag_cb cb;
	void *ctx;
	bool any;		/* a record was passed on */
};

static int both_one(const struct sw_diag_sock *s, void *arg)
{
	struct both_ctx *c = arg;

	c->any = true;
	return c->cb(s, c->ctx);
}

/* TCP through send_req_both; -EAGAIN when the kernel has no such dump. */
static int dump_tcp_both(int nl_fd, char *buf, __u32 netns_ino,
			 const struct sw_diag_req *req, sw_diag_cb cb, void *ctx)
{
	static __u32 seq = 0x80000000u;	/* apart from the other requests' */
	__u32 s = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
	struct both_ctx c = { cb, ctx, false };
	int ret = send_req_both(nl_fd, req, s);

	if (!ret)
		ret = recv_dump(nl_fd, buf, IPPROTO_TCP, s, netns_ino, both_one, &c);
	if (ret < 0 && !c.any && (ret == -EINVAL || ret == -EOPNOTSUPP ||
				  ret == -ENOENT)) {
		/* refused: the dump never started */
		__atomic_store_n(&tcp_both_families, -1, __ATOMIC_RELAXED);
		return -EAGAIN;
	}
	__atomic_store_n(&tcp_both_families, 1, __ATOMIC_RELAXED);
	return ret;
}

int sw_diag_dump_fd(int nl_fd, __u32 netns_ino, const struct sw_diag_req *req,
		    sw_diag_cb cb, void *ctx)
{
	static const __u8 families[] = { AF_INET, AF_INET6 };
	static const struct { __u8 bit, proto; } protos[] = {
		{ SW_DIAG_TCP, IPPROTO_TCP }, { SW_DIAG_UDP, IPPROTO_UDP },
	};
	__u8 want = req->protos ? req->protos : SW_DIAG_TCP | SW_DIAG_UDP;
	static __u32 seq;
	size_t f, p;
	char *buf;
	int ret = 0;

	if (!netns_ino)
		netns_ino = sw_netns_self();
	buf = malloc(DIAG_BUF_SIZE);
	if (!buf)
		return -ENOMEM;
	for (p = 0; p < 2 && !ret; p++) {
		if (!(want & protos[p].bit))
			continue;
		if (protos[p].proto == IPPROTO_TCP && !req->family &&
		    __atomic_load_n(&tcp_both_families, __ATOMIC_RELAXED) >= 0) {
			ret = dump_tcp_both(nl_fd, buf, netns_ino, req, cb, ctx);
			if (ret != -EAGAIN)
				continue;
			ret = 0;	/* not here: family by family */
		}
		for (f = 0; f < 2 && !ret; f++) {
			__u32 s = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);

			if (req->family && req->family != families[f])
				continue;
			ret = send_req(nl_fd, families[f], protos[p].proto, req, s);
			if (!ret)
				ret = recv_dump(nl_fd, buf, protos[p].proto, s,
						netns_ino, cb, ctx);
			/* No udp_diag in this kernel: nothing to list, not an error. */
			if (ret == -ENOENT && protos[p].proto == IPPROTO_UDP)
				ret = 0;
		}
	}
	free(buf);
	return ret;
}

int sw_diag_dump(int netns_fd, const struct sw_diag_req *req,
		 sw_diag_cb cb, void *ctx)
{
	__u32 ino = netns_fd < 0 ? sw_netns_self() : fd_ino(netns_fd);
	int fd, ret;

	fd = sw_diag_open(netns_fd);
	if (fd < 0)
		return fd;
	ret = sw_diag_dump_fd(fd, ino, req, cb, ctx);
	close(fd);
	return ret;
}

/*
 * The namespaces found by the scan: inode and where to open it again.
 * Sorted by inode for deduplication by binary search. Opening happens in
 * the callback loop, not during the scan, so that a host with thousands
 * of namespaces does not need thousands of fds at once.
 */
struct ns_ent {
	__u32 ino;
	char path[64];		/* /proc/PID/ns/net or /run/netns/NAME */
};

struct ns_set {
	struct ns_ent *v;
	size_t n, cap;
};

static int ns_add(struct ns_set *set, __u32 ino, const char *path)
{
	size_t lo = 0, hi = set->n, mid;
	struct ns_ent *nv;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (set->v[mid].ino == ino)
			return 0;
		if (set->v[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		nv = realloc(set->v, set->cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		set->v = nv;
	}
	memmove(&set->v[lo + 1], &set->v[lo], (set->n - lo) * sizeof(*nv));
	set->v[lo].ino = ino;
	snprintf(set->v[lo].path, sizeof(set->v[lo].path), "%s", path);
	set->n++;
	return 0;
}

/* Add every namespace found as DIR/NAME[SUFFIX]; names filtered by pids_only. */
static int ns_scan(struct ns_set *set, const char *dir, const char *suffix,
		   bool pids_only)
{
	char path[64];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int ret = 0;

	d = opendir(dir);
	if (!d)
		return 0;	/* no /run/netns: nothing named */
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    (pids_only && (de->d_name[0] < '0' || de->d_name[0] > '9')))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s%s", dir, de->d_name,
			     suffix) >= (int)sizeof(path))
			continue;
		if (stat(path, &st) < 0)
			continue;	/* gone, or not ours to see */
		ret = ns_add(set, (__u32)st.st_ino, path);
	}
	closedir(d);
	return ret;
}

static int ns_visit(const struct ns_ent *e, sw_netns_cb cb, void *ctx)
{
	int fd, ret;

	fd = open(e->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* deleted, or its last process exited, since the listing */
		sw_scan_fault(SW_FAULT_NETNS_VANISHED);
		return 0;
	}
	ret = fd_ino(fd) == e->ino ? cb(fd, e->ino, ctx) : 0;
	close(fd);
	return ret;
}

int sw_netns_foreach(sw_netns_cb cb, void *ctx)
{
	struct ns_set set = { 0 };
	struct ns_ent self = { .path = "/proc/thread-self/ns/net" };
	size_t i;
	int ret;

	self.ino = sw_netns_self();
	ret = ns_scan(&set, "/proc", "/ns/net", true);
	if (!ret)
		ret = ns_scan(&set, "/run/netns", "", false);
	/*
	 * Our own namespace needs no fd (-1: stay): it must be read even
	 * when /proc is not, or reconciliation would take an empty listing
	 * for every socket closed.
	 */
	if (!ret)
		ret = cb(-1, self.ino, ctx);
	for (i = 0; i < set.n && !ret; i++) {
		if (set.v[i].ino != self.ino)
			ret = ns_visit(&set.v[i], cb, ctx);
	}
	free(set.v);
	return ret;
}

struct dump_all_ctx {
	const struct sw_diag_req *req;
	sw_diag_cb cb;
	void *ctx;
};

static int dump_one_ns(int netns_fd, __u32 ino, void *arg)
{
	struct dump_all_ctx *c = arg;
	int fd, ret;

	fd = sw_diag_open(netns_fd);
	if (fd < 0)
		return 0;	/* cannot enter (no CAP_SYS_ADMIN): skip it */
	ret = sw_diag_dump_fd(fd, ino, c->req, c->cb, c->ctx);
	close(fd);
	return ret;
}

int sw_diag_dump_all(const struct sw_diag_req *req, sw_diag_cb cb, void *ctx)
{
	struct dump_all_ctx c = { req, cb, ctx };

	return sw_netns_foreach(dump_one_ns, &c);
}

/* ---- SOCK_DESTROY ---------------------------------------------------------- */

static int destroy_fd(int fd, const struct sw_diag_sock *s)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} msg;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[512];
	struct nlmsghdr *h;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DESTROY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	msg.nlh.nlmsg_seq = 1;
	msg.r.sdiag_family = s->family;
	msg.r.sdiag_protocol = s->proto;
	msg.r.idiag_states = SW_DIAG_ALL_STATES;
	msg.r.id.idiag_sport = htons(s->lport);
	msg.r.id.idiag_dport = htons(s->rport);
	memcpy(msg.r.id.idiag_src, s->laddr, 16);
	memcpy(msg.r.id.idiag_dst, s->raddr, 16);
	msg.r.id.idiag_cookie[0] = (__u32)s->cookie;
	msg.r.id.idiag_cookie[1] = (__u32)(s->cookie >> 32);
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)NLMSG_DATA(h))->error;
		if (n == 0)
			return -EIO;
	}
}

/* sw_netns_foreach callback: destroy in the namespace whose inode matches. */
static int destroy_in_ns(int netns_fd, __u32 ino, void *arg)
{
	const struct sw_diag_sock *s = arg;
	int fd, ret;

	if (ino != s->netns)
		return 0;
	fd = sw_diag_open(netns_fd);
	if (fd < 0)
		return fd;
	ret = destroy_fd(fd, s);
	close(fd);
	/* found: stop the walk with a non-zero value that keeps the result */
	return ret ? ret : 1;
}

int sw_diag_destroy(const struct sw_diag_sock *s)
{
	int fd, ret;

	if (!s->netns || s->netns == sw_netns_self()) {
		fd = sw_diag_open(-1);
		if (fd < 0)
			return fd;
		ret = destroy_fd(fd, s);
		close(fd);
		return ret;
	}
	ret = sw_netns_foreach(destroy_in_ns, (void *)s);
	return ret == 1 ? 0 : ret ? ret : -ENOENT;
}

int sw_diag_destroy_probe(void)
{
	/* no socket has port 0 on both ends and no cookie matches ~0 */
	struct sw_diag_sock s = {
		.family = AF_INET, .proto = IPPROTO_TCP, .cookie = ~0ULL,
	};
	int ret = sw_diag_destroy(&s);

	return ret == -ENOENT || ret == -ESTALE || ret == 0 ? 0 : ret;
}

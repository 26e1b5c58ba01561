// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Health checks of the host: address families, interfaces, socket
 * options, file limits, DNS. The socket-based checks are in
 * health_sockets.c, the renderers in health_report.c.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "agent/config.h"
#include "health/health_impl.h"
#include "table/procfs.h"

static const char *const check_names[SW_HC_MAX] = {
	[SW_HC_IPV4]		= "ipv4",
	[SW_HC_IPV6]		= "ipv6",
	[SW_HC_LOOPBACK]	= "loopback",
	[SW_HC_INTERFACES]	= "interfaces",
	[SW_HC_REUSE]		= "socket_reuse",
	[SW_HC_FILES_SYSTEM]	= "system_file_limit",
	[SW_HC_FILES_PROCESS]	= "process_file_limits",
	[SW_HC_PORT_BIND]	= "port_bind",
	[SW_HC_TIME_WAIT]	= "time_wait",
	[SW_HC_CONNECTIONS]	= "connections",
	[SW_HC_DNS]		= "dns",
	[SW_HC_EPHEMERAL]	= "ephemeral_ports",
	[SW_HC_EXPOSURE]	= "exposure",
	[SW_HC_TLS]		= "tls_certificates",
};

const char *sw_health_check_name(enum sw_health_check_id id)
{
	return id < SW_HC_MAX ? check_names[id] : "unknown";
}

const char *sw_health_status_name(enum sw_health_status s)
{
	return s == SW_HEALTH_CRITICAL ? "critical" :
	       s == SW_HEALTH_WARNING ? "warning" : "ok";
}

const char *sw_health_overall_name(enum sw_health_status s)
{
	return s == SW_HEALTH_OK ? "healthy" : sw_health_status_name(s);
}

enum sw_health_status sw_health_grade_percent(double pct, double warn, double crit)
{
	if (pct > crit)
		return SW_HEALTH_CRITICAL;
	return pct > warn ? SW_HEALTH_WARNING : SW_HEALTH_OK;
}

enum sw_health_status sw_health_grade_above(__u64 v, __u64 warn)
{
	return v > warn ? SW_HEALTH_WARNING : SW_HEALTH_OK;
}

enum sw_health_status sw_health_grade_below(__u64 v, __u64 warn)
{
	return v < warn ? SW_HEALTH_WARNING : SW_HEALTH_OK;
}

void sw_health_limits_default(struct sw_health_limits *lim)
{
	*lim = (struct sw_health_limits){
		.ephemeral_warning_percent = 60,
		.ephemeral_critical_percent = 80,
		.time_wait_warning = 10,
		.connections_warning = 10000,
		.nofile_warning = 1024,
		.nofile_usage_percent = 90,
		.top_n = 5,
		.dns_timeout_ms = 2000,
		.tls_warn_days = 30,
	};
}

void sw_health_limits_from_config(const struct sw_health_cfg *c,
				  struct sw_health_limits *lim)
{
	sw_health_limits_default(lim);
	lim->ephemeral_warning_percent = c->ephemeral_warning_percent;
	lim->ephemeral_critical_percent = c->ephemeral_critical_percent;
	lim->time_wait_warning = c->time_wait_warning;
	lim->connections_warning = c->connections_warning;
	lim->nofile_warning = c->nofile_warning;
	lim->tls_warn_days = c->tls_warn_days;
	snprintf(lim->tls_certificates, sizeof(lim->tls_certificates), "%s", c->tls_certificates);
	snprintf(lim->tls_ca_file, sizeof(lim->tls_ca_file), "%s", c->tls_ca_file);
}

static struct sw_health_fig *fig_add(struct sw_health_check *c, const char *key,
				     enum sw_health_fig_type type)
{
	struct sw_health_fig *f;

	if (c->nfig >= SW_HEALTH_MAX_FIGS)
		return NULL;
	f = &c->fig[c->nfig++];
	f->key = key;
	f->type = type;
	return f;
}

void hc_fig_int(struct sw_health_check *c, const char *key, __s64 v)
{
	struct sw_health_fig *f = fig_add(c, key, SW_FIG_INT);

	if (f)
		f->num = v;
}

void hc_fig_dbl(struct sw_health_check *c, const char *key, double v)
{
	struct sw_health_fig *f = fig_add(c, key, SW_FIG_DBL);

	if (f)
		f->dbl = v;
}

void hc_fig_str(struct sw_health_check *c, const char *key, const char *fmt, ...)
{
	struct sw_health_fig *f = fig_add(c, key, SW_FIG_STR);
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vsnprintf(f->str, sizeof(f->str), fmt, ap);
	va_end(ap);
}

void hc_result(struct sw_health_check *c, enum sw_health_status st,
	       const char *advice, const char *fmt, ...)
{
	va_list ap;

	c->ran = true;
	c->status = st;
	snprintf(c->advice, sizeof(c->advice), "%s", st == SW_HEALTH_OK ? "" : advice);
	va_start(ap, fmt);
	vsnprintf(c->summary, sizeof(c->summary), fmt, ap);
	va_end(ap);
}

static void check_ipv4(struct sw_health_check *c)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int err = errno;

	hc_fig_int(c, "available", fd >= 0);
	if (fd < 0) {
		hc_result(c, SW_HEALTH_CRITICAL,
			  "enable IPv4 in the kernel / network namespace",
			  "cannot create an IPv4 socket: %s", strerror(err));
		return;
	}
	close(fd);
	hc_result(c, SW_HEALTH_OK, "", "IPv4 sockets can be created");
}

static void check_ipv6(struct sw_health_check *c)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int err = errno;

	/* A socket alone is not enough: disable_ipv6 leaves no ::1. */
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		err = errno;
	else if (fd >= 0)
		err = 0;
	if (fd >= 0)
		close(fd);
	hc_fig_int(c, "available", !err);
	if (err) {
		hc_result(c, SW_HEALTH_WARNING,
			  "enable IPv6 (net.ipv6.conf.all.disable_ipv6=0) if services need it",
			  "IPv6 unavailable: %s", strerror(err));
		return;
	}
	hc_result(c, SW_HEALTH_OK, "", "IPv6 sockets can be created and bound to ::1");
}

/* What getifaddrs says, gathered in one walk. */
struct if_summary {
	bool lo_present, lo_up, lo_has_127;
	int others, others_up;
	char down[64];		/* names of the other interfaces that are down */
};

static void if_add_down(struct if_summary *s, const char *name)
{
	size_t len = strlen(s->down);

	if (strstr(s->down, name))
		return;		/* already listed (one entry per address) */
	snprintf(s->down + len, sizeof(s->down) - len, "%s%s", len ? "," : "", name);
}

static int if_gather(struct if_summary *s)
{
	struct ifaddrs *ifa, *i;

	memset(s, 0, sizeof(*s));
	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		bool up = i->ifa_flags & IFF_UP;

		if (i->ifa_flags & IFF_LOOPBACK) {
			s->lo_present = true;
			s->lo_up |= up;
			if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
			    ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr ==
			    htonl(INADDR_LOOPBACK))
				s->lo_has_127 = true;
			continue;
		}
		/* AF_PACKET: exactly one entry per link, with or without addresses */
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_PACKET)
			continue;
		s->others++;
		if (up)
			s->others_up++;
		else
			if_add_down(s, i->ifa_name);
	}
	freeifaddrs(ifa);
	return 0;
}

static void check_interfaces(struct sw_health_check *lo, struct sw_health_check *c)
{
	struct if_summary s;
	int err = if_gather(&s);

	if (err) {
		hc_result(lo, SW_HEALTH_CRITICAL, "check the network stack",
			  "cannot list interfaces: %s", strerror(-err));
		hc_result(c, SW_HEALTH_WARNING, "check the network stack",
			  "cannot list interfaces: %s", strerror(-err));
		return;
	}
	hc_fig_int(lo, "present", s.lo_present);
	hc_fig_int(lo, "up", s.lo_up);
	hc_fig_int(lo, "has_127_0_0_1", s.lo_has_127);
	if (s.lo_present && s.lo_up && s.lo_has_127)
		hc_result(lo, SW_HEALTH_OK, "", "loopback is up with 127.0.0.1");
	else
		hc_result(lo, SW_HEALTH_CRITICAL, "ip link set lo up; ip addr add 127.0.0.1/8 dev lo",
			  "loopback %s", !s.lo_present ? "missing" :
			  !s.lo_up ? "down" : "has no 127.0.0.1");

	hc_fig_int(c, "total", s.others);
	hc_fig_int(c, "up", s.others_up);
	hc_fig_str(c, "down", "%s", s.down);
	if (!s.others)
		hc_result(c, SW_HEALTH_OK, "", "no interface besides loopback (isolated namespace)");
	else if (s.others_up)
		hc_result(c, SW_HEALTH_OK, "", "%d of %d interfaces besides loopback up%s%s",
			  s.others_up, s.others, s.down[0] ? "; down: " : "", s.down);
	else
		hc_result(c, SW_HEALTH_WARNING,
			  "bring an interface up (ip link set DEV up) for connectivity beyond this host",
			  "no interface besides loopback is up (%d present)", s.others);
}

static void check_reuse(struct sw_health_check *c)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool addr = false, port = false;

	if (fd >= 0) {
		addr = !setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		port = !setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
		close(fd);
	}
	hc_fig_int(c, "SO_REUSEADDR", addr);
	hc_fig_int(c, "SO_REUSEPORT", port);
	if (addr && port)
		hc_result(c, SW_HEALTH_OK, "", "SO_REUSEADDR and SO_REUSEPORT available");
	else
		hc_result(c, SW_HEALTH_WARNING,
			  "servers restarting on a busy port will fail to bind; check the kernel",
			  "SO_REUSEADDR %s, SO_REUSEPORT %s",
			  addr ? "available" : "refused", port ? "available" : "refused");
}

static void check_files_system(const struct sw_health_limits *lim,
			       struct sw_health_check *c)
{
	unsigned long long alloc, unused, max;
	char buf[128];
	double pct;

	if (sw_read_file("/proc/sys/fs/file-nr", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%llu %llu %llu", &alloc, &unused, &max) != 3 || !max) {
		hc_result(c, SW_HEALTH_WARNING, "mount /proc",
			  "cannot read /proc/sys/fs/file-nr");
		return;
	}
	pct = 100.0 * (double)alloc / (double)max;
	hc_fig_int(c, "open", (__s64)alloc);
	hc_fig_int(c, "max", (__s64)max);
	hc_fig_dbl(c, "percent", pct);
	if (pct >= lim->nofile_usage_percent)
		hc_result(c, SW_HEALTH_WARNING, "raise fs.file-max or find the process holding files",
			  "%llu of %llu system file handles in use (%.1f%%)", alloc, max, pct);
	else
		hc_result(c, SW_HEALTH_OK, "", "%llu of %llu system file handles in use (%.1f%%)",
			  alloc, max, pct);
}

static double proc_pct(const struct sw_health_proc *p)
{
	return p->limit ? 100.0 * (double)p->count / (double)p->limit : 0;
}

/* Keep the top_n processes by share of their limit, largest first. */
struct files_ctx {
	struct sw_health_report *r;
	unsigned int top_n;
	double usage_pct;
	unsigned int over;	/* processes at or above usage_pct */
};

static int files_one(pid_t pid, void *arg)
{
	struct files_ctx *c = arg;
	struct sw_health_report *r = c->r;
	struct sw_health_proc p = { .pid = (__u32)pid };
	__u64 soft, hard;
	unsigned int i;
	int n = sw_proc_fd_count(pid);

	if (n < 0 || sw_proc_nofile(pid, &soft, &hard) < 0)
		return 0;
	p.count = (__u64)n;
	p.limit = soft;
	if (proc_pct(&p) >= c->usage_pct)
		c->over++;
	for (i = r->n_files; i > 0 && proc_pct(&r->files[i - 1]) < proc_pct(&p); i--)
		if (i < c->top_n)
			r->files[i] = r->files[i - 1];
	if (i >= c->top_n)
		return 0;
	sw_proc_comm(pid, p.comm, sizeof(p.comm));
	r->files[i] = p;
	if (r->n_files < c->top_n)
		r->n_files++;
	return 0;
}

static void check_files_process(const struct sw_health_limits *lim,
				struct sw_health_report *r)
{
	struct sw_health_check *c = &r->check[SW_HC_FILES_PROCESS];
	struct files_ctx fc = { r, lim->top_n, lim->nofile_usage_percent, 0 };
	__u64 soft = 0, hard = 0;

	sw_proc_nofile(0, &soft, &hard);
	sw_proc_foreach(files_one, &fc);
	hc_fig_int(c, "soft_limit", (__s64)soft);
	hc_fig_int(c, "hard_limit", (__s64)hard);
	hc_fig_int(c, "nofile_warning", (__s64)lim->nofile_warning);
	hc_fig_int(c, "processes_near_limit", fc.over);
	if (sw_health_grade_below(soft, lim->nofile_warning))
		hc_result(c, SW_HEALTH_WARNING,
			  "raise the open-file limit (ulimit -n, LimitNOFILE=, limits.conf)",
			  "open-file soft limit %llu is below %llu",
			  (unsigned long long)soft, (unsigned long long)lim->nofile_warning);
	else if (fc.over)
		hc_result(c, SW_HEALTH_WARNING,
			  "raise that process's LimitNOFILE or look for an fd leak",
			  "%u process(es) use %.0f%% or more of their open-file limit",
			  fc.over, lim->nofile_usage_percent);
	else
		hc_result(c, SW_HEALTH_OK, "", "open-file soft limit %llu; no process near its limit",
			  (unsigned long long)soft);
}

/*
 * DNS with a bound: getaddrinfo_a runs the lookups in glibc's threads
 * and we poll them (every 5 ms) until the deadline, so a resolver that
 * never answers costs dns_timeout_ms and not the resolver's own retries.
 * A lookup still running then is cancelled if it can be; if not, its
 * request is left to glibc (a small leak) rather than freed under it.
 */
static int resolve_bounded(const char **names, int n, int *ok, unsigned int ms)
{
	struct gaicb **reqs = calloc((size_t)n, sizeof(*reqs));
	struct timespec deadline, now, left;
	int i, pending;

	if (!reqs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		reqs[i] = calloc(1, sizeof(**reqs));
		if (reqs[i])
			reqs[i]->ar_name = names[i];
	}
	if (getaddrinfo_a(GAI_NOWAIT, reqs, n, NULL))
		memset(ok, 0, (size_t)n * sizeof(*ok));
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (long)(ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	for (;;) {
		for (pending = 0, i = 0; i < n; i++)
			pending += reqs[i] && gai_error(reqs[i]) == EAI_INPROGRESS;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!pending || now.tv_sec > deadline.tv_sec ||
		    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
			break;
		left.tv_sec = deadline.tv_sec - now.tv_sec;
		left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000;
		}
		/*
		 * Not gai_suspend: glibc sets a request's result before it
		 * takes its lock to notify waiters, so gai_suspend may return
		 * leaving its on-stack waitlist entry on that request, and
		 * __gai_notify then writes through it (a crash of the agent's
		 * health thread). Polling registers nothing.
		 */
		if (left.tv_sec > 0 || left.tv_nsec > 5000000) {
			left.tv_sec = 0;
			left.tv_nsec = 5000000;
		}
		nanosleep(&left, NULL);
	}
	for (i = 0; i < n; i++) {
		int e = reqs[i] ? gai_error(reqs[i]) : EAI_MEMORY;

		if (e == EAI_INPROGRESS && gai_cancel(reqs[i]) == EAI_NOTCANCELED) {
			ok[i] = 0;
			continue;	/* still glibc's: do not free */
		}
		ok[i] = e == 0 ? 1 : (e == EAI_INPROGRESS || e == EAI_CANCELED) ? -1 : 0;
		if (e == 0)
			freeaddrinfo(reqs[i]->ar_result);
		free(reqs[i]);
	}
	free(reqs);
	return 0;
}

static void check_dns(const struct sw_health_limits *lim, struct sw_health_check *c)
{
	char host[256] = "";
	const char *names[2] = { "localhost", host };
	int ok[2] = { 0, 0 };

	gethostname(host, sizeof(host) - 1);
	if (!host[0])
		snprintf(host, sizeof(host), "localhost");
	resolve_bounded(names, 2, ok, lim->dns_timeout_ms);
	hc_fig_int(c, "localhost", ok[0] == 1);
	hc_fig_str(c, "hostname", "%s", host);
	hc_fig_int(c, "hostname_resolves", ok[1] == 1);
	hc_fig_int(c, "timeout_ms", lim->dns_timeout_ms);
	if (ok[0] == 1 && ok[1] == 1) {
		hc_result(c, SW_HEALTH_OK, "", "localhost and %s resolve", host);
		return;
	}
	hc_result(c, SW_HEALTH_WARNING,
		  "check /etc/hosts and /etc/resolv.conf (nsswitch 'hosts:' line)",
		  "%s%s%s%s", ok[0] == 1 ? "" : "localhost ",
		  ok[0] == 1 ? "" : ok[0] < 0 ? "timed out; " : "does not resolve; ",
		  ok[1] == 1 ? "" : host,
		  ok[1] == 1 ? "" : ok[1] < 0 ? " timed out" : " does not resolve");
}

int sw_health_run(const struct sw_health_limits *lim, int port,
		  struct sw_health_report *out)
{
	struct timespec ts;
	int i, ret;

	memset(out, 0, sizeof(*out));
	out->port = port;
	clock_gettime(CLOCK_REALTIME, &ts);
	out->wall_ns = (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
	check_ipv4(&out->check[SW_HC_IPV4]);
	check_ipv6(&out->check[SW_HC_IPV6]);
	check_interfaces(&out->check[SW_HC_LOOPBACK], &out->check[SW_HC_INTERFACES]);
	sw_health_links(lim, out);
	check_reuse(&out->check[SW_HC_REUSE]);
	check_files_system(lim, &out->check[SW_HC_FILES_SYSTEM]);
	if (!lim->cheap) {
		check_files_process(lim, out);
		check_dns(lim, &out->check[SW_HC_DNS]);
	}
	sw_health_tls(lim, out);
	ret = sw_health_sockets(lim, port, out);
	if (ret < 0)
		return ret;
	for (i = 0; i < SW_HC_MAX; i++) {
		const struct sw_health_check *c = &out->check[i];

		if (!c->ran)
			continue;
		out->n_warning += c->status == SW_HEALTH_WARNING;
		out->n_critical += c->status == SW_HEALTH_CRITICAL;
		if (c->status > out->status)
			out->status = c->status;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include "table/decode.h"
#include "cmd/trace_output.h"

bool sw_event_match(const struct sw_event_filter *f, const struct sw_event *e)
{
	if (f->pid && e->pid != f->pid)
		return false;
	if (f->comm[0] && strncmp(f->comm, e->comm, SW_COMM_LEN))
		return false;
	if (f->port && e->lport != f->port && e->rport != f->port)
		return false;
	/* "entering": a close reports the state it leaves the socket in */
	if (f->state >= 0 && (e->new_state != f->state || e->kind == SW_EV_CLOSE))
		return false;
	return true;
}

void sw_event_printer_init(struct sw_event_printer *p, FILE *out, bool json)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->json = json;
	sw_json_init(&p->j);
}

void sw_event_printer_free(struct sw_event_printer *p)
{
	sw_json_free(&p->j);
}

/*
 * Whether an endpoint is known: a fresh socket has none, and a connect
 * comes before the kernel picks the local port. Once known, a port of 0
 * is printed as such (a TCP socket's last CLOSE, after unhashing).
 */
static bool has_local(const struct sw_event *e)
{
	return e->kind != SW_EV_CREATE && !sw_endpoint_empty(e->laddr, e->lport);
}

static bool has_remote(const struct sw_event *e)
{
	return e->kind != SW_EV_CREATE && e->kind != SW_EV_BIND &&
	       e->kind != SW_EV_LISTEN && !sw_endpoint_empty(e->raddr, e->rport);
}

/* an endpoint's two members, or two nulls (a macro: the keys are literals) */
#define JSON_ADDR(j, ka, kp, known, family, addr, port)			\
	do {								\
		char buf_[SW_ADDR_STRLEN];				\
									\
		if (known) {						\
			sw_fmt_addr(buf_, (family), (addr));		\
			SW_JSON_LSTR(j, ka, buf_);			\
			SW_JSON_LUINT(j, kp, (port));			\
		} else {						\
			SW_JSON_LNULL(j, ka);				\
			SW_JSON_LNULL(j, kp);				\
		}							\
	} while (0)

static __s64 age_ms(const struct sw_event *e)
{
	if (!(e->flags & SW_F_BIRTH_KNOWN) || e->ts_ns < e->birth_ns)
		return -1;
	return (e->ts_ns - e->birth_ns) / 1000000;
}

static void event_json(struct sw_json *j, const struct sw_event *e, bool wl,
		       const struct sw_workload *w)
{
	char t[SW_TIME_STRLEN];
	bool owner = e->flags & SW_F_OWNER_KNOWN;
	bool tcp = e->proto == IPPROTO_TCP;
	__s64 age = age_ms(e);

	sw_fmt_time(t, sw_mono_to_wall(e->ts_ns));
	sw_json_obj_begin(j);
	SW_JSON_LSTR(j, "time", t);
	SW_JSON_LSTR(j, "event", sw_event_kind_name(e->kind));
	if (owner) {
		SW_JSON_LUINT(j, "pid", e->pid);
		SW_JSON_LUINT(j, "tid", e->tid);
		SW_JSON_LSTR(j, "comm", e->comm);
		SW_JSON_LUINT(j, "cgroup_id", e->cgroup_id);
	} else {
		SW_JSON_LNULL(j, "pid");
		SW_JSON_LNULL(j, "tid");
		SW_JSON_LNULL(j, "comm");
		SW_JSON_LNULL(j, "cgroup_id");
	}
	if (wl)
		sw_workload_json(j, owner ? w : NULL);
	if (e->netns)
		SW_JSON_LUINT(j, "netns", e->netns);
	else
		SW_JSON_LNULL(j, "netns");
	SW_JSON_LUINT(j, "sock", e->sock);
	SW_JSON_LSTR(j, "family", sw_family_name(e->family));
	SW_JSON_LSTR(j, "proto", sw_proto_name(e->proto));
	JSON_ADDR(j, "laddr", "lport", has_local(e), e->family, e->laddr, e->lport);
	JSON_ADDR(j, "raddr", "rport", has_remote(e), e->family, e->raddr, e->rport);
	if (e->kind == SW_EV_STATE || e->kind == SW_EV_LISTEN)
		SW_JSON_LSTR(j, "old_state", sw_tcp_state_name(e->old_state));
	else
		SW_JSON_LNULL(j, "old_state");
	if (tcp && e->new_state)
		SW_JSON_LSTR(j, "new_state", sw_tcp_state_name(e->new_state));
	else
		SW_JSON_LNULL(j, "new_state");
	if (age >= 0)
		SW_JSON_LINT(j, "age_ms", age);
	else
		SW_JSON_LNULL(j, "age_ms");
	if (e->flags & SW_F_BYTES) {
		SW_JSON_LUINT(j, "rx_bytes", e->rx_bytes);
		SW_JSON_LUINT(j, "tx_bytes", e->tx_bytes);
	} else {
		SW_JSON_LNULL(j, "rx_bytes");
		SW_JSON_LNULL(j, "tx_bytes");
	}
	if (e->flags & SW_F_PREEXISTING)
		SW_JSON_LBOOL(j, "preexisting", true);
	sw_json_obj_end(j);
}

void sw_event_json(struct sw_json *j, const struct sw_event *e)
{
	event_json(j, e, false, NULL);
}

void sw_event_json_wl(struct sw_json *j, const struct sw_event *e,
		      const struct sw_workload *w)
{
	event_json(j, e, true, w);
}

void sw_event_print_header(struct sw_event_printer *p)
{
	if (p->workload_column) {
		fprintf(p->out, "%-12s %-8s %-7s %-15s %-5s %-24s %-24s %-25s %-8s %s\n",
			"TIME", "EVENT", "PID", "COMM", "PROTO", "LOCAL", "REMOTE",
			"STATE", "AGE", "WORKLOAD");
		return;
	}
	fprintf(p->out, "%-12s %-8s %-7s %-15s %-5s %-24s %-24s %-25s %s\n",
		"TIME", "EVENT", "PID", "COMM", "PROTO", "LOCAL", "REMOTE",
		"STATE", "AGE");
}

static void fmt_endpoint(char *buf, size_t len, const struct sw_event *e,
			 bool known, const __u8 *addr, __u16 port)
{
	if (known)
		sw_fmt_endpoint(buf, len, e->family, addr, port);
	else
		snprintf(buf, len, "-");
}

static void print_text(struct sw_event_printer *p, const struct sw_event *e,
		       const struct sw_workload *w)
{
	char t[16], l[64], r[64], st[32], age[24], pid[12], wl[SW_WL_PATH_LEN];
	__u64 wall = sw_mono_to_wall(e->ts_ns);
	time_t sec = wall / 1000000000ULL;
	struct tm tm;
	__s64 a = age_ms(e);

	localtime_r(&sec, &tm);
	snprintf(t, sizeof(t), "%02d:%02d:%02d.%03u", tm.tm_hour, tm.tm_min,
		 tm.tm_sec, (unsigned)(wall % 1000000000ULL / 1000000));
	fmt_endpoint(l, sizeof(l), e, has_local(e), e->laddr, e->lport);
	fmt_endpoint(r, sizeof(r), e, has_remote(e), e->raddr, e->rport);
	if (e->kind == SW_EV_STATE || e->kind == SW_EV_LISTEN)
		snprintf(st, sizeof(st), "%s->%s", sw_tcp_state_name(e->old_state),
			 sw_tcp_state_name(e->new_state));
	else if (e->proto == IPPROTO_TCP && e->new_state)
		snprintf(st, sizeof(st), "%s", sw_tcp_state_name(e->new_state));
	else
		snprintf(st, sizeof(st), "-");
	if (a >= 0)
		snprintf(age, sizeof(age), "%lldms", (long long)a);
	else
		snprintf(age, sizeof(age), "-");
	if (e->flags & SW_F_OWNER_KNOWN)
		snprintf(pid, sizeof(pid), "%u", e->pid);
	else
		snprintf(pid, sizeof(pid), "-");
	fprintf(p->out, "%-12s %-8s %-7s %-15s %-5s %-24s %-24s %-25s ", t,
		sw_event_kind_name(e->kind), pid,
		(e->flags & SW_F_OWNER_KNOWN) ? e->comm : "-",
		sw_proto_name(e->proto), l, r, st);
	if (!p->workload_column) {
		fprintf(p->out, "%s\n", age);
		return;
	}
	sw_workload_label((e->flags & SW_F_OWNER_KNOWN) ? w : NULL, wl, sizeof(wl));
	fprintf(p->out, "%-8s %s\n", age, wl);
}

void sw_event_print(struct sw_event_printer *p, const struct sw_event *e)
{
	sw_event_print_wl(p, e, NULL);
}

void sw_event_print_wl(struct sw_event_printer *p, const struct sw_event *e,
		       const struct sw_workload *w)
{
	if (!p->json) {
		print_text(p, e, w);
		return;
	}
	sw_json_reset(&p->j);
	if (p->workload_json)
		sw_event_json_wl(&p->j, e, w);
	else
		sw_event_json(&p->j, e);
	/* one write into stdio's buffer, the newline included */
	sw_strbuf_put_fast(&p->j.out, "\n", 1);
	fwrite_unlocked(sw_json_cstr(&p->j), 1, p->j.out.len, p->out);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <mntent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "sockwatch_abi.h"
#include "kernel/attach_plan.h"
/* after the ABI header: the skeleton names struct sw_filter */
#include "sockwatch.skel.h"

#define SW_CGROUP2_MNT "/run/sockwatch/cgroup2"
#define MAX_PROGS 2

static const char *const mech_names[SW_MECH_MAX] = {
	[SW_MECH_NONE]		= "none",
	[SW_MECH_FENTRY]	= "fentry",
	[SW_MECH_TP_BTF]	= "tp_btf",
	[SW_MECH_CGROUP]	= "cgroup",
	[SW_MECH_SOCKOPS]	= "sockops",
	[SW_MECH_TRACEPOINT]	= "tracepoint",
};

const char *sw_mech_name(enum sw_mech m)
{
	return m < SW_MECH_MAX ? mech_names[m] : "?";
}

/*
 * One way to feed an event: programs of bpf/ that load together, what
 * they need of the kernel (said when none of an event's variants loads),
 * and an optional check that keeps a variant off a kernel it does not fit
 * without loading it (0, or -1 with the reason).
 */
struct sw_variant {
	const char *name;		/* for SOCKWATCH_FORBID */
	enum sw_mech mech;
	const char *hook;
	const char *progs[MAX_PROGS + 1];	/* NULL-terminated */
	const char *needs;
	int accept_args;	/* fits only where inet_csk_accept takes so many */
};

static const struct sw_variant
	v_create_fexit = { "fexit", SW_MECH_FENTRY, "fexit/inet{,6}_create",
			   { "sw_inet_create", "sw_inet6_create" },
			   "fexit programs (BPF trampolines) with socket storage and cookies (Linux 5.12)" },
	v_create = { "cgroup", SW_MECH_CGROUP, "cgroup/sock_create", { "sw_sock_create" },
		     "cgroup v2 socket programs with socket storage and the ring buffer (Linux 5.8)" },
	v_bind_fexit = { "fexit", SW_MECH_FENTRY, "fexit/inet{,6}_bind",
			 { "sw_inet_bind", "sw_inet6_bind" },
			 "fexit programs (BPF trampolines) with socket cookies (Linux 5.12)" },
	v_bind = { "cgroup", SW_MECH_CGROUP, "cgroup/post_bind4+6", { "sw_post_bind4", "sw_post_bind6" },
		   "cgroup v2 post_bind programs with socket storage (Linux 5.8)" },
	v_connect_fentry = { "fentry", SW_MECH_FENTRY, "fentry/inet_{stream,dgram}_connect",
			     { "sw_stream_conn", "sw_dgram_conn" },
			     "fentry programs (BPF trampolines) with socket cookies (Linux 5.12)" },
	v_connect = { "cgroup", SW_MECH_CGROUP, "cgroup/connect4+6", { "sw_connect4", "sw_connect6" },
		      "cgroup v2 connect programs with socket storage (Linux 5.8)" },
	v_state_btf = { "tp_btf", SW_MECH_TP_BTF, "tp_btf/inet_sock_set_state", { "sw_state" },
			"socket storage and cookies in tracing programs (Linux 5.12)" },
	v_state_ops = { "sockops", SW_MECH_SOCKOPS, "sockops (STATE_CB)", { "sw_state_ops" },
			"sock_ops programs with bpf_sock_ops.sk and socket storage (Linux 5.10)" },
	v_accept_fexit = { "fexit", SW_MECH_FENTRY, "fexit/inet_csk_accept", { "sw_accept_fexit" },
			   "fexit programs (BPF trampolines, Linux 5.5)", 4 },
	v_accept_fexit2 = { "fexit", SW_MECH_FENTRY, "fexit/inet_csk_accept (6.10+)", { "sw_accept_fexit2" },
			    "fexit programs (BPF trampolines, Linux 5.5)", 2 },
	v_accept_tp = { "tracepoint", SW_MECH_TRACEPOINT, "tracepoint/syscalls/sys_exit_accept{,4}",
			{ "sw_accept4", "sw_accept" }, "syscall tracepoints (CONFIG_FTRACE_SYSCALLS)" },
	/* the agent's: no program; the state program reports the child, the table owns it */
	v_accept_listener = { "listener", SW_MECH_NONE, "state + the listener's owner", { NULL },
			      "the state program reporting the child in the accept queue" },
	v_close_fentry = { "fentry", SW_MECH_FENTRY, "fentry/inet_release", { "sw_inet_release" },
			   "fentry programs (BPF trampolines) with socket storage and cookies (Linux 5.12)" },
	v_close = { "cgroup", SW_MECH_CGROUP, "cgroup/sock_release", { "sw_sock_release" },
		    "the cgroup v2 sock_release hook (Linux 5.9)" };

/*
 * Variants per event kind, best first; accept differs by mode. fentry and
 * fexit come first: a BPF trampoline is a direct call from the traced
 * function, where a cgroup hook walks the socket's cgroup's program array
 * and builds a context. Not measured on real CPUs yet (README, "Kernel
 * requirements", has the one figure, from an emulated 6.1).
 */
static const struct sw_variant *const variants[SW_HOOK_MAX][SW_PLAN_MAX_CAND] = {
	[SW_HOOK_CREATE]  = { &v_create_fexit, &v_create },
	[SW_HOOK_BIND]	  = { &v_bind_fexit, &v_bind },
	[SW_HOOK_CONNECT] = { &v_connect_fentry, &v_connect },
	[SW_HOOK_STATE]	  = { &v_state_btf, &v_state_ops },
	[SW_HOOK_ACCEPT]  = { &v_accept_fexit, &v_accept_fexit2, &v_accept_tp },
	[SW_HOOK_CLOSE]	  = { &v_close_fentry, &v_close },
};
static const struct sw_variant *const agent_accept[SW_PLAN_MAX_CAND] = { &v_accept_listener };

static const char *const event_names[SW_HOOK_MAX] = {
	"create", "bind", "connect", "state", "accept", "close",
};

/* The number of arguments of inet_csk_accept in this kernel's BTF, or -1. */
static int accept_args(void)
{
	static int n = -2;
	const struct btf_type *t;
	struct btf *btf;
	int id;

	if (n != -2)
		return n;
	n = -1;
	btf = btf__load_vmlinux_btf();
	if (libbpf_get_error(btf))
		return n;
	id = btf__find_by_name_kind(btf, "inet_csk_accept", BTF_KIND_FUNC);
	if (id > 0) {
		t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
		if (t && btf_is_func_proto(t))
			n = btf_vlen(t);
	}
	btf__free(btf);
	return n;
}

/* Is name listed in SOCKWATCH_FORBID? */
static bool forbid_listed(const char *name)
{
	const char *env = getenv("SOCKWATCH_FORBID");
	char list[256], *tok, *save = NULL;

	if (!env || !*env)
		return false;
	snprintf(list, sizeof(list), "%s", env);
	for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		if (!strcmp(tok, name))
			return true;
	return false;
}

/* SOCKWATCH_FORBID names the variant or its mechanism. */
static bool forbidden(const struct sw_variant *v)
{
	return forbid_listed(v->name) || forbid_listed(sw_mech_name(v->mech));
}

static bool needs_cgroup(const struct sw_variant *v)
{
	return v->mech == SW_MECH_CGROUP || v->mech == SW_MECH_SOCKOPS;
}

/* Move an event to its next usable candidate (cur -1: none left). */
static void advance(struct sw_attach_plan *p, int k)
{
	struct sw_plan_entry *e = &p->e[k];

	for (e->cur++; e->cur < e->ncand; e->cur++)
		if (e->c[e->cur].state == SW_CAND_UNTRIED)
			return;
	e->cur = -1;
}

void sw_plan_init(struct sw_attach_plan *p, bool owned_only)
{
	int k, i, err;

	memset(p, 0, sizeof(*p));
	p->owned_only = owned_only;
	/* "task_btf": the in-program fallback for bpf_get_current_task_btf */
	p->no_task_btf = forbid_listed("task_btf");
	err = sw_cgroup2_root(p->cgroup_path, sizeof(p->cgroup_path));
	if (err) {
		p->cgroup_path[0] = '\0';
		snprintf(p->cgroup_err, sizeof(p->cgroup_err),
			 "no cgroup v2 hierarchy, and mounting one failed: %s", strerror(-err));
	}
	for (k = 0; k < SW_HOOK_MAX; k++) {
		struct sw_plan_entry *e = &p->e[k];
		const struct sw_variant *const *vs = variants[k];

		if (k == SW_HOOK_ACCEPT && owned_only)
			vs = agent_accept;
		e->event = event_names[k];
		e->hook = "-";
		for (i = 0; i < SW_PLAN_MAX_CAND && vs[i]; i++) {
			struct sw_plan_cand *c = &e->c[i];

			c->v = vs[i];
			if (forbidden(c->v)) {
				c->state = SW_CAND_FORBIDDEN;
				snprintf(c->why, sizeof(c->why), "forbidden by SOCKWATCH_FORBID");
			} else if (needs_cgroup(c->v) && !p->cgroup_path[0]) {
				c->state = SW_CAND_UNFIT;
				snprintf(c->why, sizeof(c->why), "%s", p->cgroup_err);
			} else if (c->v->accept_args && c->v->accept_args != accept_args()) {
				c->state = SW_CAND_UNFIT;
				snprintf(c->why, sizeof(c->why),
					 "this kernel's inet_csk_accept takes %d arguments, not %d",
					 accept_args(), c->v->accept_args);
			}
		}
		e->ncand = i;
		e->cur = -1;
		advance(p, k);
	}
}

/*
 * libbpf's messages while loading: which program the kernel rejected, and
 * the verifier's last words about it. Passed on to the printer that was
 * set before (the loader's, which keeps them for its error report).
 */
static struct {
	libbpf_print_fn_t prev;
	char prog[64];
	char reason[160];
} cap;

/* Verifier log lines that are not its verdict. */
static bool noise(const char *l)
{
	static const char *const prefixes[] = {
		"processed ", "verification time", "stack depth", "; ", "func#",
		"Validating ", "mark_precise", "last_idx", "regs=",
	};
	size_t i;

	if (!*l || (l[0] >= '0' && l[0] <= '9'))
		return true;	/* blank, or an instruction dump */
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(l, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * libbpf says, for a rejected program: "prog 'NAME': BPF program load
 * failed: ERROR", then the verifier's log between BEGIN and END PROG LOAD
 * LOG, then "prog 'NAME': failed to load: -ERRNO". The reason is the
 * log's last verdict line, else libbpf's own words.
 */
static void capture_line(const char *l)
{
	static bool in_log, log_said;
	const char *p, *q;

	if (strstr(l, "-- BEGIN PROG LOAD LOG --")) {
		in_log = true;
		return;
	}
	if (strstr(l, "-- END PROG LOAD LOG --")) {
		in_log = false;
		return;
	}
	if (in_log) {
		if (!noise(l)) {
			snprintf(cap.reason, sizeof(cap.reason), "%s", l);
			log_said = true;
		}
		return;
	}
	p = strstr(l, "prog '");
	if (!p || !(q = strchr(p + 6, '\'')) || q[1] != ':')
		return;
	if (strstr(q, "BPF program load failed: ")) {
		snprintf(cap.reason, sizeof(cap.reason), "%s",
			 strstr(q, "failed: ") + 8);
		log_said = false;
	} else if (strstr(q, "failed to load") || strstr(q, "failed to find") ||
		   strstr(q, "failed to resolve")) {
		snprintf(cap.prog, sizeof(cap.prog), "%.*s", (int)(q - p - 6), p + 6);
		if (!log_said && !cap.reason[0])
			snprintf(cap.reason, sizeof(cap.reason), "%s", q + 2);
		log_said = false;
	}
}

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static char msg[1 << 17];	/* a verifier log is one message */
	char *l, *save = NULL;
	va_list copy;
	int ret = 0;

	va_copy(copy, ap);
	if (cap.prev)
		ret = cap.prev(level, fmt, ap);
	if (level != LIBBPF_DEBUG) {
		vsnprintf(msg, sizeof(msg), fmt, copy);
		for (l = strtok_r(msg, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			capture_line(strncmp(l, "libbpf: ", 8) ? l : l + 8);
	}
	va_end(copy);
	return ret;
}

static bool uses_mech(const struct sw_attach_plan *p, int k, enum sw_mech m)
{
	return p->e[k].cur >= 0 && p->e[k].c[p->e[k].cur].v->mech == m;
}

/* Open the object with autoload on only for wanted programs. */
static struct sockwatch_bpf *open_with(const struct sw_attach_plan *p,
				       bool (*wanted)(const char *, const void *),
				       const void *arg, sw_plan_setup_fn setup,
				       void *ctx, int *err)
{
	struct sockwatch_bpf *skel = sockwatch_bpf__open();
	struct bpf_program *prog;

	if (!skel) {
		*err = -errno;
		return NULL;
	}
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, wanted(bpf_program__name(prog), arg));
	skel->rodata->task_btf = !p->no_task_btf;
	/* sock_ops cannot name the task at listen(2): the listener's owner,
	 * which its children inherit, must come from socket(2) */
	skel->rodata->owner_at_create = uses_mech(p, SW_HOOK_STATE, SW_MECH_SOCKOPS);
	*err = setup ? setup(skel, ctx) : 0;
	if (*err) {
		sockwatch_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

static bool variant_has(const struct sw_variant *v, const char *prog)
{
	int i;

	for (i = 0; i < MAX_PROGS && v->progs[i]; i++)
		if (!strcmp(v->progs[i], prog))
			return true;
	return false;
}

const char *const *sw_plan_progs(const struct sw_attach_plan *p, int k)
{
	if (k < 0 || k >= SW_HOOK_MAX || p->e[k].cur < 0)
		return NULL;
	return p->e[k].c[p->e[k].cur].v->progs;
}

bool sw_plan_uses(const struct sw_attach_plan *p, const char *prog)
{
	int k;

	for (k = 0; k < SW_HOOK_MAX; k++)
		if (p->e[k].cur >= 0 && variant_has(p->e[k].c[p->e[k].cur].v, prog))
			return true;
	return false;
}

static bool plan_wants(const char *prog, const void *p)
{
	return sw_plan_uses(p, prog);
}

static bool variant_wants(const char *prog, const void *v)
{
	return variant_has(v, prog);
}

/* The event and candidate whose program the kernel rejected, or -1. */
static int find_rejected(struct sw_attach_plan *p, const char *prog)
{
	int k;

	for (k = 0; k < SW_HOOK_MAX; k++)
		if (p->e[k].cur >= 0 && variant_has(p->e[k].c[p->e[k].cur].v, prog))
			return k;
	return -1;
}

static void settle(struct sw_attach_plan *p)
{
	int k;

	p->complete = true;
	for (k = 0; k < SW_HOOK_MAX; k++) {
		struct sw_plan_entry *e = &p->e[k];
		const struct sw_variant *v;

		if (e->cur < 0) {
			e->chosen = SW_MECH_NONE;
			e->hook = "-";
			snprintf(e->why, sizeof(e->why), "no variant loads");
			p->complete = false;
			continue;
		}
		v = e->c[e->cur].v;
		e->c[e->cur].state = SW_CAND_LOADS;
		snprintf(e->c[e->cur].why, sizeof(e->c[0].why), "loads");
		e->chosen = v->mech;
		e->hook = v->hook;
		snprintf(e->why, sizeof(e->why), "%s", e->cur ? "fallback" : "first choice");
	}
}

/* The helper a verifier verdict "unknown func bpf_NAME#ID" names, or -1. */
static int unknown_helper(const char *reason)
{
	const char *s = strstr(reason, "unknown func ");

	s = s ? strchr(s, '#') : NULL;
	return s ? atoi(s + 1) : -1;
}

static bool calls_helper(const struct bpf_program *prog, int id)
{
	const struct bpf_insn *in = bpf_program__insns(prog);
	size_t i, n = bpf_program__insn_cnt(prog);

	for (i = 0; in && i < n; i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == 0 &&
		    in[i].imm == id)
			return true;
	return false;
}

static bool trampoline(const struct bpf_program *prog)
{
	enum bpf_attach_type t = bpf_program__expected_attach_type(prog);

	return bpf_program__type(prog) == BPF_PROG_TYPE_TRACING &&
	       (t == BPF_TRACE_FENTRY || t == BPF_TRACE_FEXIT);
}

/*
 * Would prog get the rejection bad got? Yes when the kernel refused BPF
 * trampolines outright (EPERM, for every fentry/fexit program: so it
 * is on this 6.18 machine), or when the verifier did not know a helper
 * (5.10's tracing programs lack the socket storage and cookie helpers)
 * and prog, of the same kind, calls it too.
 */
static bool alike(const struct bpf_program *prog, const struct bpf_program *bad,
		  int err, int helper)
{
	if (trampoline(bad))
		return trampoline(prog) &&
		       (err == -EPERM || (helper >= 0 && calls_helper(prog, helper)));
	return helper >= 0 && bpf_program__type(prog) == bpf_program__type(bad) &&
	       bpf_program__expected_attach_type(prog) == bpf_program__expected_attach_type(bad) &&
	       calls_helper(prog, helper);
}

static bool variant_alike(struct bpf_object *obj, const struct sw_variant *v,
			  const struct bpf_program *bad, int err, int helper)
{
	const struct bpf_program *prog;
	int i;

	for (i = 0; i < MAX_PROGS && v->progs[i]; i++) {
		prog = bpf_object__find_program_by_name(obj, v->progs[i]);
		if (prog && alike(prog, bad, err, helper))
			return true;
	}
	return false;
}

/*
 * The kernel rejected program bad_name (its variant already retired):
 * retire with it every event's current variant that would be
 * rejected for the same reason, so that the plan takes one load per
 * cause, not one per event (on 5.10 the fentry variants of four events
 * fail alike).
 */
static void retire_alike(struct sw_attach_plan *p, struct bpf_object *obj,
			 const char *bad_name, int err)
{
	const struct bpf_program *bad = bpf_object__find_program_by_name(obj, bad_name);
	int helper = unknown_helper(cap.reason), k;

	if (!bad)
		return;
	for (k = 0; k < SW_HOOK_MAX; k++) {
		struct sw_plan_entry *e = &p->e[k];

		while (e->cur >= 0 && variant_alike(obj, e->c[e->cur].v, bad, err, helper)) {
			e->c[e->cur].state = SW_CAND_FAILS;
			snprintf(e->c[e->cur].why, sizeof(e->c[0].why),
				 "does not load: %s (as for %s)",
				 cap.reason[0] ? cap.reason : strerror(-err), bad_name);
			advance(p, k);
		}
	}
}

struct sockwatch_bpf *sw_plan_load(struct sw_attach_plan *p, sw_plan_setup_fn setup,
				   void *ctx, int *err)
{
	struct sockwatch_bpf *skel = NULL;
	int k, tries;

	*err = 0;
	cap.prev = libbpf_set_print(capture);
	/* each rejection retires one candidate: bounded by their number */
	for (tries = 0; tries <= SW_HOOK_MAX * SW_PLAN_MAX_CAND; tries++) {
		for (k = 0; k < SW_HOOK_MAX && p->e[k].cur >= 0; k++)
			;
		if (k < SW_HOOK_MAX)
			break;		/* an event has nothing left to try */
		skel = open_with(p, plan_wants, p, setup, ctx, err);
		if (!skel)
			break;
		cap.prog[0] = cap.reason[0] = '\0';
		p->loads++;
		*err = sockwatch_bpf__load(skel);
		if (!*err)
			break;
		/* a helper with a fallback inside the programs: take it, retry */
		if (!p->no_task_btf && strstr(cap.reason, "bpf_get_current_task_btf")) {
			p->no_task_btf = true;
			sockwatch_bpf__destroy(skel);
			continue;
		}
		k = find_rejected(p, cap.prog);
		if (k >= 0) {
			p->e[k].c[p->e[k].cur].state = SW_CAND_FAILS;
			snprintf(p->e[k].c[p->e[k].cur].why, sizeof(p->e[k].c[0].why),
				 "does not load: %s", cap.reason[0] ? cap.reason : strerror(-*err));
			advance(p, k);
			retire_alike(p, skel->obj, cap.prog, *err);
		}
		sockwatch_bpf__destroy(skel);
		skel = NULL;
		if (k < 0)
			break;		/* not a program's fault: reported as such */
		*err = 0;
	}
	libbpf_set_print(cap.prev);
	settle(p);
	return skel;
}

void sw_plan_probe_rest(struct sw_attach_plan *p)
{
	struct sockwatch_bpf *skel;
	int k, i, err;

	cap.prev = libbpf_set_print(capture);
	for (k = 0; k < SW_HOOK_MAX; k++) {
		for (i = 0; i < p->e[k].ncand; i++) {
			struct sw_plan_cand *c = &p->e[k].c[i];

			if (c->state != SW_CAND_UNTRIED || !c->v->progs[0])
				continue;
			skel = open_with(p, variant_wants, c->v, NULL, NULL, &err);
			cap.prog[0] = cap.reason[0] = '\0';
			if (skel)
				err = sockwatch_bpf__load(skel);
			sockwatch_bpf__destroy(skel);
			c->state = err ? SW_CAND_FAILS : SW_CAND_LOADS;
			if (err)
				snprintf(c->why, sizeof(c->why), "does not load: %s",
					 cap.reason[0] ? cap.reason : strerror(-err));
			else
				snprintf(c->why, sizeof(c->why), "loads too (a fallback)");
		}
	}
	libbpf_set_print(cap.prev);
}

void sw_plan_missing(const struct sw_attach_plan *p, char *buf, size_t len)
{
	const struct sw_plan_entry *e;
	const struct sw_plan_cand *c;
	int k;

	for (k = 0; k < SW_HOOK_MAX && p->e[k].cur >= 0; k++)
		;
	if (k == SW_HOOK_MAX) {
		snprintf(buf, len, "the attach plan is complete");
		return;
	}
	e = &p->e[k];
	if (!e->ncand) {
		snprintf(buf, len, "no %s events: sockwatch has no program for them", e->event);
		return;
	}
	/* the last candidate the kernel refused is the one older kernels have */
	for (c = &e->c[e->ncand - 1]; c > e->c && c->state == SW_CAND_FORBIDDEN; c--)
		;
	if (c->state == SW_CAND_FORBIDDEN) {
		snprintf(buf, len, "no %s events: SOCKWATCH_FORBID forbids every variant", e->event);
		return;
	}
	snprintf(buf, len, "this kernel cannot feed the %s events: it lacks %s (%s %s); `sockwatch status` shows every variant tried",
		 e->event, c->v->needs, c->v->hook, c->why);
}

void sw_plan_print(const struct sw_attach_plan *p, FILE *f)
{
	static const char *const st[] = {
		[SW_CAND_UNTRIED] = "not tried", [SW_CAND_LOADS] = "ok",
		[SW_CAND_FAILS] = "no", [SW_CAND_UNFIT] = "unfit",
		[SW_CAND_FORBIDDEN] = "forbidden",
	};
	char line[512];
	int k, i;

	fprintf(f, "attach plan (%s, %d load%s):\n", p->complete ? "complete" : "INCOMPLETE",
		p->loads, p->loads == 1 ? "" : "s");
	for (k = 0; k < SW_HOOK_MAX; k++) {
		const struct sw_plan_entry *e = &p->e[k];

		fprintf(f, "  %-8s %-42s %s\n", e->event, e->hook, e->why);
		for (i = 0; i < e->ncand; i++) {
			const struct sw_plan_cand *c = &e->c[i];

			fprintf(f, "  %8s %c %-40s %-9s %s\n", "", i == e->cur ? '*' : ' ',
				c->v->hook, st[c->state], c->why);
		}
	}
	if (p->cgroup_path[0])
		fprintf(f, "cgroup v2 root: %s\n", p->cgroup_path);
	if (p->no_task_btf)
		fprintf(f, "helpers: bpf_get_current_task_btf refused to process-context programs here; their netns comes through probe reads\n");
	if (!p->complete) {
		sw_plan_missing(p, line, sizeof(line));
		fprintf(f, "missing: %s\n", line);
	}
}

/* The first cgroup2 mount listed in a mounts file, prefixed by root. */
static bool find_cgroup2(const char *mounts, const char *root, char *path, size_t len)
{
	struct mntent *m;
	FILE *f = setmntent(mounts, "r");
	bool found = false;

	if (!f)
		return false;
	while ((m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(path, len, "%s%s", root, m->mnt_dir);
			found = true;
			break;
		}
	endmntent(f);
	return found;
}

static bool same_ns(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return true;	/* cannot tell: assume the host's */
	return sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

int sw_cgroup2_root(char *path, size_t len)
{
	/*
	 * In a container with its own cgroup namespace (what Kubernetes
	 * gives), the local cgroup2 mount is the container's subtree, and
	 * programs attached there would see only the container. The host's
	 * hierarchy is reachable through PID 1's root when the pod shares
	 * the host's PID namespace (hostPID).
	 */
	if (!same_ns("/proc/self/ns/cgroup", "/proc/1/ns/cgroup") &&
	    find_cgroup2("/proc/1/mounts", "/proc/1/root", path, len))
		return 0;
	if (find_cgroup2("/proc/self/mounts", "", path, len))
		return 0;
	/* No v2 hierarchy mounted: mount one; its root holds every task. */
	mkdir("/run/sockwatch", 0700);
	mkdir(SW_CGROUP2_MNT, 0700);
	if (mount("cgroup2", SW_CGROUP2_MNT, "cgroup2", 0, NULL))
		return -errno;
	snprintf(path, len, "%s", SW_CGROUP2_MNT);
	return 0;
}
